/**
 * The default seed of a fresh org. Sources:
 *  - [issue] the Okta requirements of the issue (seed)
 *  - [errors] developer.okta.com/docs/reference/error-codes (E0000011 401)
 * Blocks declared with `describeDefault` run against a DEFAULT twin (`createOktaTwin()`: system clock, not strict) and
 * the official SDK with its DEFAULT options (response cache on), over both the HTTP server and MSW.
 */
import okta from '@okta/okta-sdk-nodejs';
import { expect, test } from 'vitest';
import { collect, describeDefault, person, sdkError } from '../../support/okta.js';

const ADMIN_ID = '00uadmintwin00000001';
const EVERYONE_ID = '00geveryonetwin00001';

const ids = <T extends { id?: string }>(items: T[]) => items.map((i) => i.id);

describeDefault('Seed exactness of a fresh org', (e) => {
  test('users/me is admin@twin.test (Admin Twin, ACTIVE, 00uadmintwin00000001) and the only user of the org', async () => {
    const me = await e.client.userApi.getUser({ userId: 'me' });
    expect(me.id).toBe(ADMIN_ID);
    expect(me.status).toBe('ACTIVE');
    expect(me.profile).toMatchObject({ firstName: 'Admin', lastName: 'Twin', login: 'admin@twin.test', email: 'admin@twin.test' });
    expect(me.credentials?.provider).toMatchObject({ type: 'OKTA', name: 'OKTA' });
    expect(me.type?.id).toEqual(expect.any(String));
    expect((me as any)._links.self.href).toBe(`${e.baseUrl}/api/v1/users/${ADMIN_ID}`);
    const all = await collect(await e.client.userApi.listUsers());
    expect(ids(all)).toEqual([ADMIN_ID]);
    expect(all[0].profile?.login).toBe('admin@twin.test');
    // by login and by shortname
    expect((await e.client.userApi.getUser({ userId: 'admin@twin.test' })).id).toBe(ADMIN_ID);
    expect((await e.client.userApi.getUser({ userId: ADMIN_ID })).profile?.firstName).toBe('Admin');
  });

  test('the only group is the built-in Everyone (BUILT_IN), whose only member is the admin; the admin\'s groups are [Everyone]', async () => {
    const groups = await collect(await e.client.groupApi.listGroups());
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ id: EVERYONE_ID, type: 'BUILT_IN', profile: { name: 'Everyone' } });
    const members = await collect(await e.client.groupApi.listGroupUsers({ groupId: EVERYONE_ID }));
    expect(ids(members)).toEqual([ADMIN_ID]);
    const mine = await collect(await e.client.userApi.listUserGroups({ userId: ADMIN_ID }));
    expect(ids(mine)).toEqual([EVERYONE_ID]);
    const found = await collect(await e.client.groupApi.listGroups({ q: 'Every' }));
    expect(ids(found)).toEqual([EVERYONE_ID]);
    const builtIn = await collect(await e.client.groupApi.listGroups({ filter: 'type eq "BUILT_IN"' }));
    expect(ids(builtIn)).toEqual([EVERYONE_ID]);
  });

  test('a new user joins Everyone; any other token is 401 E0000011 "Invalid token provided"', async () => {
    const user = await e.client.userApi.createUser({ body: { profile: person('Nora New') }, activate: false });
    const members = await collect(await e.client.groupApi.listGroupUsers({ groupId: EVERYONE_ID }));
    expect(ids(members).sort()).toEqual([ADMIN_ID, user.id].sort());
    const stranger = new okta.Client({ orgUrl: e.baseUrl, token: 'not-the-token' });
    const err = await sdkError(stranger.userApi.getUser({ userId: 'me' }));
    expect(err).toMatchObject({ status: 401, errorCode: 'E0000011', errorSummary: 'Invalid token provided', errorLink: 'E0000011', errorCauses: [] });
    expect(err.errorId).toEqual(expect.any(String));
    const list = await sdkError(collect(await stranger.userApi.listUsers()));
    expect(list).toMatchObject({ status: 401, errorCode: 'E0000011' });
  });
});
