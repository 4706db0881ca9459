/**
 * Applications through the official SDK: filters, q and expand on the list and on app users, and the SDK's typed
 * application models round-tripping through get → replace. Sources:
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml (listApplications,
 *    listApplicationUsers, queryAppsExpand, replaceApplication)
 *  - [apps-doc] okta-developer-docs reference/api/apps (filter by status, user.id, group.id; expand=user/{userId} with
 *    the user.id filter)
 */
import okta from '@okta/okta-sdk-nodejs';
import { expect, test } from 'vitest';
import { bookmark, collect, describeOkta, people } from '../../support/okta.js';

const SERVICE_APP = '0oatwinservice000001';

describeOkta('Application filters and expand', (t) => {
  test('filter status eq "ACTIVE" / "INACTIVE", name eq "oidc_client", name eq "bookmark"', async () => {
    const active = await bookmark(t, 'Active link');
    const inactive = await bookmark(t, 'Inactive link');
    await t.client.applicationApi.deactivateApplication({ appId: inactive.id });
    const ids = async (filter: string) => (await collect(await t.client.applicationApi.listApplications({ filter }))).map((a) => a.id).sort();
    expect(await ids('status eq "ACTIVE"')).toEqual([SERVICE_APP, active.id].sort());
    expect(await ids('status eq "INACTIVE"')).toEqual([inactive.id]);
    expect(await ids('name eq "oidc_client"')).toEqual([SERVICE_APP]);
    expect(await ids('name eq "bookmark"')).toEqual([active.id, inactive.id].sort());
    // The typed models follow signOnMode.
    const typed = await collect(await t.client.applicationApi.listApplications());
    expect(typed.find((a) => a.id === SERVICE_APP)).toBeInstanceOf(okta.OpenIdConnectApplication);
    expect(typed.find((a) => a.id === active.id)).toBeInstanceOf(okta.BookmarkApplication);
  });

  test('filter user.id eq with expand=user/{id} embeds that app user; filter group.id eq lists the group\'s apps', async () => {
    const [alice] = await people(t, 1, 'alice');
    const wiki = await bookmark(t, 'Wiki');
    await bookmark(t, 'Not assigned');
    await t.client.applicationApi.assignUserToApplication({ appId: wiki.id, appUser: { id: alice.id } });
    const group: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'Wiki readers' } } });
    const crm = await bookmark(t, 'CRM');
    await t.client.applicationApi.assignGroupToApplication({ appId: crm.id, groupId: group.id, applicationGroupAssignment: {} });

    const forAlice: any[] = await collect(await t.client.applicationApi.listApplications({ filter: `user.id eq "${alice.id}"`, expand: `user/${alice.id}` }));
    expect(forAlice.map((a) => a.id)).toEqual([wiki.id]);
    // [spec queryAppsExpand]: "Returns the assigned application user in the _embedded property."
    expect(forAlice[0]._embedded.user).toMatchObject({ id: alice.id, scope: 'USER', credentials: { userName: alice.profile.login } });

    const forGroup = await collect(await t.client.applicationApi.listApplications({ filter: `group.id eq "${group.id}"` }));
    expect(forGroup.map((a) => a.id)).toEqual([crm.id]);
    // A group member is assigned through the group.
    await t.client.groupApi.assignUserToGroup({ groupId: group.id, userId: alice.id });
    const now = await collect(await t.client.applicationApi.listApplications({ filter: `user.id eq "${alice.id}"` }));
    expect(now.map((a) => a.id).sort()).toEqual([wiki.id, crm.id].sort());
  });

  test('q matches the start of the name or the label, case-insensitively', async () => {
    const wiki = await bookmark(t, 'Wiki');
    await bookmark(t, 'Payroll');
    expect((await collect(await t.client.applicationApi.listApplications({ q: 'wik' }))).map((a) => a.id)).toEqual([wiki.id]);
    expect((await collect(await t.client.applicationApi.listApplications({ q: 'book' }))).length).toBe(2);
  });

  test('app users: expand=user embeds the Okta user; a group member shows scope GROUP and a group link', async () => {
    const app = await bookmark(t, 'Docs');
    const [direct, viaGroup] = await people(t, 2);
    await t.client.applicationApi.assignUserToApplication({ appId: app.id, appUser: { id: direct.id } });
    const group: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'Docs group' } } });
    await t.client.groupApi.assignUserToGroup({ groupId: group.id, userId: viaGroup.id });
    await t.client.applicationApi.assignGroupToApplication({ appId: app.id, groupId: group.id, applicationGroupAssignment: {} });
    const listed: any[] = await (await t.fetch(`/api/v1/apps/${app.id}/users?expand=user`)).json();
    expect(listed.map((u) => u.id).sort()).toEqual([direct.id, viaGroup.id].sort());
    for (const u of listed) expect(u._embedded.user.id).toBe(u.id);
    const member: any = await t.client.applicationApi.getApplicationUser({ appId: app.id, userId: viaGroup.id });
    expect(member.scope).toBe('GROUP');
    expect(member._links.group.href).toBe(`${t.baseUrl}/api/v1/groups/${group.id}`);
    // Deleting the group takes the group-sourced assignment with it.
    await t.client.groupApi.deleteGroup({ groupId: group.id });
    expect((await collect(await t.client.applicationApi.listApplicationUsers({ appId: app.id }))).map((u) => u.id)).toEqual([direct.id]);
  });
});

describeOkta('Typed application models round-trip through get → replace', (t) => {
  test('BasicAuthApplication: a new label and auth URL; scheme, name and id are kept', async () => {
    const created: any = await t.client.applicationApi.createApplication({
      application: { name: 'template_basic_auth', label: 'Intranet', signOnMode: 'BASIC_AUTH', settings: { app: { url: 'https://intranet.example.com', authURL: 'https://intranet.example.com/login' } } } as any,
    });
    const app = await t.client.applicationApi.getApplication({ appId: created.id });
    expect(app).toBeInstanceOf(okta.BasicAuthApplication);
    app.label = 'Intranet (new)';
    (app as any).settings.app.authURL = 'https://intranet.example.com/sso';
    const replaced: any = await t.client.applicationApi.replaceApplication({ appId: created.id, application: app });
    expect(replaced).toBeInstanceOf(okta.BasicAuthApplication);
    expect(replaced).toMatchObject({ id: created.id, name: 'template_basic_auth', label: 'Intranet (new)', credentials: { scheme: 'EDIT_USERNAME_AND_PASSWORD' }, settings: { app: { url: 'https://intranet.example.com', authURL: 'https://intranet.example.com/sso' } } });
    expect((await t.client.applicationApi.getApplication({ appId: created.id })).label).toBe('Intranet (new)');
  });

  test('BookmarkApplication: get → change url → replace', async () => {
    const created = await bookmark(t, 'Handbook');
    const app: any = await t.client.applicationApi.getApplication({ appId: created.id });
    app.settings.app.url = 'https://example.com/handbook-v2';
    const replaced: any = await t.client.applicationApi.replaceApplication({ appId: created.id, application: app });
    expect(replaced.settings.app.url).toBe('https://example.com/handbook-v2');
    expect(replaced.status).toBe('ACTIVE');
  });

  test('OpenIdConnectApplication: get → add a redirect URI → replace; the client_id stays and the new URI signs users in', async () => {
    const created: any = await t.client.applicationApi.createApplication({
      application: {
        name: 'oidc_client',
        label: 'Portal',
        signOnMode: 'OPENID_CONNECT',
        credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_basic' } },
        settings: { oauthClient: { application_type: 'web', grant_types: ['authorization_code'], response_types: ['code'], redirect_uris: ['https://portal.example.com/cb'] } },
      } as any,
    });
    const app = (await t.client.applicationApi.getApplication({ appId: created.id })) as okta.OpenIdConnectApplication;
    expect(app).toBeInstanceOf(okta.OpenIdConnectApplication);
    app.settings!.oauthClient!.redirect_uris = ['https://portal.example.com/cb', 'https://portal.example.com/cb2'];
    const replaced = (await t.client.applicationApi.replaceApplication({ appId: created.id, application: app })) as okta.OpenIdConnectApplication;
    expect(replaced.credentials?.oauthClient?.client_id).toBe(created.credentials.oauthClient.client_id);
    expect(replaced.settings?.oauthClient?.redirect_uris).toEqual(['https://portal.example.com/cb', 'https://portal.example.com/cb2']);
    expect(replaced.settings?.oauthClient?.grant_types).toEqual(['authorization_code']);

    await t.client.applicationApi.assignUserToApplication({ appId: created.id, appUser: { id: '00uadmintwin00000001' } });
    const res = await fetch(`${t.baseUrl}/oauth2/default/v1/authorize?${new URLSearchParams({ client_id: created.id, response_type: 'code', scope: 'openid', redirect_uri: 'https://portal.example.com/cb2', state: 's', login_hint: 'admin@twin.test' })}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('code')).toBeTruthy();
  });
});
