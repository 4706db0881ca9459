/**
 * The built-in Everyone group (BUILT_IN). Sources:
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml: deleteGroup (403 = ErrorAccessDenied403 E0000006)
 *  - [tf] github.com/okta/terraform-provider-okta/pull/118: BUILT_IN and APP_GROUP memberships "cannot be manipulated
 *    through the Okta API (even as SUPER_ADMIN)": "You do not have permission to perform the requested action" (E0000006)
 * Blocks declared with `describeDefault` run against a DEFAULT twin (`createOktaTwin()`: system clock, not strict) and
 * the official SDK with its DEFAULT options (response cache on), over both the HTTP server and MSW.
 */
import { expect, test } from 'vitest';
import { collect, describeDefault, person, sdkError } from '../../support/okta.js';

const ADMIN_ID = '00uadmintwin00000001';
const EVERYONE_ID = '00geveryonetwin00001';

const PASSWORD = 'Str0ng-Passw0rd!x';

const ids = <T extends { id?: string }>(items: T[]) => items.map((i) => i.id);

describeDefault('The built-in Everyone group', (e) => {
  test('cannot be deleted: 403 E0000006, and it is still there with its members', async () => {
    const err = await sdkError(e.client.groupApi.deleteGroup({ groupId: EVERYONE_ID }));
    expect(err).toMatchObject({ status: 403, errorCode: 'E0000006', errorSummary: 'You do not have permission to perform the requested action', errorLink: 'E0000006' });
    const raw = await e.fetch(`/api/v1/groups/${EVERYONE_ID}`, { method: 'DELETE' });
    expect(raw.status).toBe(403);
    expect((await raw.json()).errorCode).toBe('E0000006');
    const everyone = await e.client.groupApi.getGroup({ groupId: EVERYONE_ID });
    expect(everyone).toMatchObject({ id: EVERYONE_ID, type: 'BUILT_IN', profile: { name: 'Everyone' } });
    expect(ids(await collect(await e.client.groupApi.listGroupUsers({ groupId: EVERYONE_ID })))).toEqual([ADMIN_ID]);
  });

  test('its membership is not API-managed: adding or removing a member is 403 E0000006 ([tf])', async () => {
    const u = await e.client.userApi.createUser({ body: { profile: person('Evy One') }, activate: false });
    expect(await sdkError(e.client.groupApi.unassignUserFromGroup({ groupId: EVERYONE_ID, userId: u.id! }))).toMatchObject({ status: 403, errorCode: 'E0000006' });
    expect(ids(await collect(await e.client.groupApi.listGroupUsers({ groupId: EVERYONE_ID }))).sort()).toEqual([ADMIN_ID, u.id].sort());
  });

  test('renaming it is refused and the name stays Everyone', async () => {
    const err = await sdkError(e.client.groupApi.replaceGroup({ groupId: EVERYONE_ID, group: { profile: { name: 'All of us' } } }));
    expect(err.status).toBeGreaterThanOrEqual(400);
    expect(err.status).toBeLessThan(500);
    expect((await e.client.groupApi.getGroup({ groupId: EVERYONE_ID })).profile?.name).toBe('Everyone');
  });

  test('deactivated users stay in Everyone until deleted', async () => {
    const u = await e.client.userApi.createUser({ body: { profile: person('Dee Everyone'), credentials: { password: { value: PASSWORD } } } });
    await e.client.userApi.deactivateUser({ userId: u.id! });
    expect(ids(await collect(await e.client.groupApi.listGroupUsers({ groupId: EVERYONE_ID })))).toContain(u.id);
    await e.client.userApi.deleteUser({ userId: u.id! });
    expect(ids(await collect(await e.client.groupApi.listGroupUsers({ groupId: EVERYONE_ID })))).toEqual([ADMIN_ID]);
  });
});
