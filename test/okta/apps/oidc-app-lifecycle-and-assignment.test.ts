/**
 * OIDC apps through the SDK: create, get, list, update, deactivate, delete, and user and group assignment. Sources:
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml: deleteApplication, assignUserToApplication
 *  - [docs] Okta's API reference "Groups, apps" (only an inactive app can be deleted)
 * Blocks declared with `describeDefault` run against a DEFAULT twin (`createOktaTwin()`: system clock, not strict) and
 * the official SDK with its DEFAULT options (response cache on), over both the HTTP server and MSW.
 */
import { expect, test } from 'vitest';
import { collect, describeDefault, person, sdkError } from '../../support/okta.js';

const ADMIN_ID = '00uadmintwin00000001';

const SERVICE_APP = '0oatwinservice000001';
const PASSWORD = 'Str0ng-Passw0rd!x';

const ids = <T extends { id?: string }>(items: T[]) => items.map((i) => i.id);

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
