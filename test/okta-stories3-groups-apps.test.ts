/**
 * Third red-team round: Groups and Applications stories against a DEFAULT twin (`createOktaTwin()`) and the SDK with
 * its default options (cache on), over HTTP and MSW. Sources:
 *  - [issue] Groups CRUD, Everyone (BUILT_IN, not deletable), members add/list/remove, a user's groups; OIDC apps
 *    (create, get, list, update, deactivate, delete) and user assignment
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml: deleteGroup ("Deletes a group of the OKTA_GROUP or
 *    APP_GROUP type"; responses 204/403/404, 403 = ErrorAccessDenied403 E0000006), addGroup ("Creates a new group with
 *    OKTA_GROUP type"), deleteApplication, assignUserToApplication
 *  - [tf] github.com/okta/terraform-provider-okta/pull/118: BUILT_IN and APP_GROUP memberships "cannot be manipulated
 *    through the Okta API (even as SUPER_ADMIN)": "You do not have permission to perform the requested action" (E0000006)
 *  - [docs] Okta's API reference "Groups, apps" (only an inactive app can be deleted)
 */
import { expect, test } from 'vitest';
import { collect, describeOkta, person, sdkError, type OktaTarget } from './support/okta.js';

const ADMIN_ID = '00uadmintwin00000001';
const EVERYONE_ID = '00geveryonetwin00001';
const SERVICE_APP = '0oatwinservice000001';
const PASSWORD = 'Str0ng-Passw0rd!x';

const describeDefault = (title: string, body: (e: OktaTarget) => void) => describeOkta(title, body, 'defaults');

const ids = <T extends { id?: string }>(items: T[]) => items.map((i) => i.id);

describeDefault('Groups: CRUD through the SDK', (e) => {
  test('create (OKTA_GROUP) → get → list/q/search → replace (rename) → delete → 404 E0000007', async () => {
    const g = await e.client.groupApi.createGroup({ group: { profile: { name: 'Platform', description: 'Infra people' } } });
    expect(g.id).toMatch(/^00g[0-9A-Za-z]{17}$/);
    expect(g.type).toBe('OKTA_GROUP');
    expect(g.profile).toMatchObject({ name: 'Platform', description: 'Infra people' });
    expect(g.objectClass).toEqual(['okta:user_group']);
    expect((await e.client.groupApi.getGroup({ groupId: g.id! })).profile?.name).toBe('Platform');
    expect(ids(await collect(await e.client.groupApi.listGroups())).sort()).toEqual([EVERYONE_ID, g.id].sort());
    expect(ids(await collect(await e.client.groupApi.listGroups({ q: 'plat' })))).toEqual([g.id]);
    expect(ids(await collect(await e.client.groupApi.listGroups({ search: 'profile.name eq "Platform"' })))).toEqual([g.id]);
    expect(ids(await collect(await e.client.groupApi.listGroups({ filter: 'type eq "OKTA_GROUP"' })))).toEqual([g.id]);

    const renamed = await e.client.groupApi.replaceGroup({ groupId: g.id!, group: { profile: { name: 'Platform Eng', description: 'Renamed' } } });
    expect(renamed.profile).toMatchObject({ name: 'Platform Eng', description: 'Renamed' });
    expect((await e.client.groupApi.getGroup({ groupId: g.id! })).profile?.name).toBe('Platform Eng');

    await e.client.groupApi.deleteGroup({ groupId: g.id! });
    const gone = await sdkError(e.client.groupApi.getGroup({ groupId: g.id! }));
    expect(gone).toMatchObject({ status: 404, errorCode: 'E0000007' });
    expect(gone.errorSummary).toContain(g.id!);
    expect(ids(await collect(await e.client.groupApi.listGroups()))).toEqual([EVERYONE_ID]);
    const again = await sdkError(e.client.groupApi.deleteGroup({ groupId: g.id! }));
    expect(again).toMatchObject({ status: 404, errorCode: 'E0000007' });
  });

  test('a second group with the same name is 400 E0000001', async () => {
    await e.client.groupApi.createGroup({ group: { profile: { name: 'Twins' } } });
    const dup = await sdkError(e.client.groupApi.createGroup({ group: { profile: { name: 'Twins' } } }));
    expect(dup).toMatchObject({ status: 400, errorCode: 'E0000001' });
  });

  test('a group without a name is 400 E0000001', async () => {
    const err = await sdkError(e.client.groupApi.createGroup({ group: { profile: { description: 'no name' } as any } }));
    expect(err).toMatchObject({ status: 400, errorCode: 'E0000001' });
  });
});

describeDefault('Groups: members add, list, remove; a user\'s groups', (e) => {
  test('assign two users, list them, remove one; listUserGroups follows; deleting the group leaves the users', async () => {
    const g = await e.client.groupApi.createGroup({ group: { profile: { name: 'Ops' } } });
    const a = await e.client.userApi.createUser({ body: { profile: person('Ann Ops'), credentials: { password: { value: PASSWORD } } } });
    const b = await e.client.userApi.createUser({ body: { profile: person('Bob Ops') }, activate: false });
    await e.client.groupApi.assignUserToGroup({ groupId: g.id!, userId: a.id! });
    await e.client.groupApi.assignUserToGroup({ groupId: g.id!, userId: b.id! });
    await e.client.groupApi.assignUserToGroup({ groupId: g.id!, userId: b.id! }); // idempotent
    const members = await collect(await e.client.groupApi.listGroupUsers({ groupId: g.id! }));
    expect(ids(members).sort()).toEqual([a.id, b.id].sort());
    expect(members.find((m) => m.id === b.id)?.status).toBe('STAGED');
    expect(ids(await collect(await e.client.userApi.listUserGroups({ userId: a.id! }))).sort()).toEqual([EVERYONE_ID, g.id].sort());

    await e.client.groupApi.unassignUserFromGroup({ groupId: g.id!, userId: a.id! });
    expect(ids(await collect(await e.client.groupApi.listGroupUsers({ groupId: g.id! })))).toEqual([b.id]);
    expect(ids(await collect(await e.client.userApi.listUserGroups({ userId: a.id! })))).toEqual([EVERYONE_ID]);

    // The admin can be a member of a normal group too.
    await e.client.groupApi.assignUserToGroup({ groupId: g.id!, userId: ADMIN_ID });
    expect(ids(await collect(await e.client.userApi.listUserGroups({ userId: 'me' }))).sort()).toEqual([EVERYONE_ID, g.id].sort());

    await e.client.groupApi.deleteGroup({ groupId: g.id! });
    expect((await e.client.userApi.getUser({ userId: b.id! })).id).toBe(b.id);
    expect(ids(await collect(await e.client.userApi.listUserGroups({ userId: b.id! })))).toEqual([EVERYONE_ID]);
  });

  test('limit=1 paging over group members visits each once', async () => {
    const g = await e.client.groupApi.createGroup({ group: { profile: { name: 'Paged' } } });
    const made = [];
    for (let i = 0; i < 3; i++) {
      const u = await e.client.userApi.createUser({ body: { profile: person(`Mem${i} Ber`) }, activate: false });
      await e.client.groupApi.assignUserToGroup({ groupId: g.id!, userId: u.id! });
      made.push(u.id);
    }
    expect(ids(await collect(await e.client.groupApi.listGroupUsers({ groupId: g.id!, limit: 1 })))).toEqual(made);
    expect(ids(await collect(await e.client.groupApi.listGroupUsers({ groupId: EVERYONE_ID, limit: 2 })))).toEqual([ADMIN_ID, ...made]);
  });

  test('unknown user or group in a membership call is 404 E0000007', async () => {
    const g = await e.client.groupApi.createGroup({ group: { profile: { name: 'Real' } } });
    expect(await sdkError(e.client.groupApi.assignUserToGroup({ groupId: g.id!, userId: '00unosuchuser0000000' }))).toMatchObject({ status: 404, errorCode: 'E0000007' });
    expect(await sdkError(e.client.groupApi.assignUserToGroup({ groupId: '00gnosuchgroup000000', userId: ADMIN_ID }))).toMatchObject({ status: 404, errorCode: 'E0000007' });
    expect(await sdkError(collect(await e.client.groupApi.listGroupUsers({ groupId: '00gnosuchgroup000000' })))).toMatchObject({ status: 404, errorCode: 'E0000007' });
  });

  test('membership calls answer 204 with no body over the wire', async () => {
    const g = await e.client.groupApi.createGroup({ group: { profile: { name: 'Wire' } } });
    const put = await e.fetch(`/api/v1/groups/${g.id}/users/${ADMIN_ID}`, { method: 'PUT' });
    expect(put.status).toBe(204);
    const del = await e.fetch(`/api/v1/groups/${g.id}/users/${ADMIN_ID}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    const delGroup = await e.fetch(`/api/v1/groups/${g.id}`, { method: 'DELETE' });
    expect(delGroup.status).toBe(204);
    expect(await delGroup.text()).toBe('');
  });
});

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

function oidcWebApp(label: string) {
  return {
    name: 'oidc_client',
    label,
    signOnMode: 'OPENID_CONNECT',
    credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_basic' } },
    settings: {
      oauthClient: {
        application_type: 'web',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: ['https://app.example.com/callback'],
        post_logout_redirect_uris: ['https://app.example.com'],
      },
    },
  } as any;
}

describeDefault('OIDC app lifecycle through the SDK', (e) => {
  test('create → get → list → update (replace label) → deactivate → delete (ACTIVE refused first) → 404', async () => {
    const app: any = await e.client.applicationApi.createApplication({ application: oidcWebApp('Expenses') });
    expect(app.id).toMatch(/^0oa[0-9A-Za-z]{17}$/);
    expect(app).toMatchObject({ name: 'oidc_client', label: 'Expenses', signOnMode: 'OPENID_CONNECT', status: 'ACTIVE' });
    expect(app.credentials.oauthClient.client_id).toBe(app.id);
    expect(app.credentials.oauthClient.client_secret).toEqual(expect.any(String));
    expect(app.settings.oauthClient).toMatchObject({ application_type: 'web', grant_types: ['authorization_code'], redirect_uris: ['https://app.example.com/callback'] });

    const got: any = await e.client.applicationApi.getApplication({ appId: app.id });
    expect(got).toMatchObject({ id: app.id, label: 'Expenses', status: 'ACTIVE', signOnMode: 'OPENID_CONNECT' });
    expect(got.credentials.oauthClient.client_id).toBe(app.id);

    const listed = await collect(await e.client.applicationApi.listApplications());
    expect(ids(listed)).toContain(app.id);
    expect(ids(listed)).toContain(SERVICE_APP);
    expect(ids(await collect(await e.client.applicationApi.listApplications({ q: 'Expen' })))).toEqual([app.id]);

    got.label = 'Expenses v2';
    const replaced: any = await e.client.applicationApi.replaceApplication({ appId: app.id, application: got });
    expect(replaced.label).toBe('Expenses v2');
    expect(replaced.credentials.oauthClient.client_id).toBe(app.id);
    expect(((await e.client.applicationApi.getApplication({ appId: app.id })) as any).label).toBe('Expenses v2');

    const active = await sdkError(e.client.applicationApi.deleteApplication({ appId: app.id }));
    expect(active.status).toBe(403);
    expect(active.errorCode).toMatch(/^E0000056$/);

    await e.client.applicationApi.deactivateApplication({ appId: app.id });
    expect(((await e.client.applicationApi.getApplication({ appId: app.id })) as any).status).toBe('INACTIVE');
    expect(ids(await collect(await e.client.applicationApi.listApplications({ filter: 'status eq "INACTIVE"' })))).toEqual([app.id]);

    await e.client.applicationApi.deleteApplication({ appId: app.id });
    const gone = await sdkError(e.client.applicationApi.getApplication({ appId: app.id }));
    expect(gone).toMatchObject({ status: 404, errorCode: 'E0000007' });
    expect(ids(await collect(await e.client.applicationApi.listApplications()))).not.toContain(app.id);
  });

  test('deactivate then activate brings an app back to ACTIVE; lifecycle answers are 200 {}', async () => {
    const app: any = await e.client.applicationApi.createApplication({ application: oidcWebApp('Toggle') });
    const off = await e.fetch(`/api/v1/apps/${app.id}/lifecycle/deactivate`, { method: 'POST' });
    expect(off.status).toBe(200);
    expect(await off.json()).toEqual({});
    await e.client.applicationApi.activateApplication({ appId: app.id });
    expect(((await e.client.applicationApi.getApplication({ appId: app.id })) as any).status).toBe('ACTIVE');
  });

  test('the seeded service app is an ACTIVE OIDC client_credentials app with client_id 0oatwinservice000001', async () => {
    const app: any = await e.client.applicationApi.getApplication({ appId: SERVICE_APP });
    expect(app).toMatchObject({ id: SERVICE_APP, status: 'ACTIVE', signOnMode: 'OPENID_CONNECT', name: 'oidc_client' });
    expect(app.credentials.oauthClient.client_id).toBe(SERVICE_APP);
    expect(app.settings.oauthClient.grant_types).toEqual(['client_credentials']);
  });

  test('an OIDC app without redirect URIs for authorization_code is 400 E0000001', async () => {
    const body = oidcWebApp('No redirect');
    body.settings.oauthClient.redirect_uris = [];
    const err = await sdkError(e.client.applicationApi.createApplication({ application: body }));
    expect(err).toMatchObject({ status: 400, errorCode: 'E0000001' });
  });
});

describeDefault('User assignment to an OIDC app', (e) => {
  test('assign → list → get → unassign; the user\'s app links follow', async () => {
    const app: any = await e.client.applicationApi.createApplication({ application: oidcWebApp('Assigned') });
    const u = await e.client.userApi.createUser({ body: { profile: person('App User'), credentials: { password: { value: PASSWORD } } } });
    const au: any = await e.client.applicationApi.assignUserToApplication({ appId: app.id, appUser: { id: u.id } as any });
    expect(au.id).toBe(u.id);
    expect(au.scope).toBe('USER');
    expect(au.credentials?.userName).toBe('app.user@example.com');
    expect(ids(await collect(await e.client.applicationApi.listApplicationUsers({ appId: app.id })))).toEqual([u.id]);
    const one: any = await e.client.applicationApi.getApplicationUser({ appId: app.id, userId: u.id! });
    expect(one).toMatchObject({ id: u.id, scope: 'USER' });
    const links = await collect(await e.client.userApi.listAppLinks({ userId: u.id! }));
    expect(links.map((l: any) => l.appInstanceId)).toEqual([app.id]);

    await e.client.applicationApi.unassignUserFromApplication({ appId: app.id, userId: u.id! });
    expect(await collect(await e.client.applicationApi.listApplicationUsers({ appId: app.id }))).toEqual([]);
    expect(await sdkError(e.client.applicationApi.getApplicationUser({ appId: app.id, userId: u.id! }))).toMatchObject({ status: 404, errorCode: 'E0000007' });
    expect(await collect(await e.client.userApi.listAppLinks({ userId: u.id! }))).toEqual([]);
  });

  test('assigning an unknown user is 404 E0000007; assigning to an unknown app is 404 E0000007', async () => {
    const app: any = await e.client.applicationApi.createApplication({ application: oidcWebApp('Unknowns') });
    expect(await sdkError(e.client.applicationApi.assignUserToApplication({ appId: app.id, appUser: { id: '00unosuchuser0000000' } as any }))).toMatchObject({ status: 404, errorCode: 'E0000007' });
    expect(await sdkError(e.client.applicationApi.assignUserToApplication({ appId: '0oanosuchapp00000000', appUser: { id: ADMIN_ID } as any }))).toMatchObject({ status: 404, errorCode: 'E0000007' });
  });

  test('a group assignment makes its members app users with scope GROUP', async () => {
    const app: any = await e.client.applicationApi.createApplication({ application: oidcWebApp('Grouped') });
    const g = await e.client.groupApi.createGroup({ group: { profile: { name: 'App people' } } });
    const u = await e.client.userApi.createUser({ body: { profile: person('Gro Up'), credentials: { password: { value: PASSWORD } } } });
    await e.client.groupApi.assignUserToGroup({ groupId: g.id!, userId: u.id! });
    await e.client.applicationApi.assignGroupToApplication({ appId: app.id, groupId: g.id!, applicationGroupAssignment: {} });
    const users: any[] = await collect(await e.client.applicationApi.listApplicationUsers({ appId: app.id }));
    expect(users.map((x) => [x.id, x.scope])).toEqual([[u.id, 'GROUP']]);
  });
});
