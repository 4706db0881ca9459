/**
 * Second red-team round: groups and applications through the official SDK — paging with limit/after through the
 * SDK collection, expand, group search, app filters, and the SDK's typed application models round-tripping through
 * get → replace. Sources:
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml (listGroups, listGroupUsers, listApplications,
 *    listApplicationUsers, queryAppsExpand, replaceApplication)
 *  - [apps-doc] okta-developer-docs reference/api/apps (List applications: limit default 20, max 200; filter by
 *    status, user.id, group.id; expand=user/{userId} with the user.id filter)
 *  - [groups-doc] okta-developer-docs reference/api/groups (search on type, profile.*, lastUpdated; expand=stats)
 */
import okta from '@okta/okta-sdk-nodejs';
import { expect, test } from 'vitest';
import { collect, describeOkta, type OktaTarget } from './support/okta.js';

const EVERYONE = '00geveryonetwin00001';
const SERVICE_APP = '0oatwinservice000001';


function requests(t: OktaTarget, path: string) {
  return t.twin.requests.filter((r) => r.method === 'GET' && r.path === path);
}

async function people(t: OktaTarget, n: number, prefix = 'p') {
  const out: any[] = [];
  for (let i = 0; i < n; i++) {
    out.push(await t.client.userApi.createUser({ body: { profile: { firstName: `${prefix}${i}`, lastName: 'Person', email: `${prefix}${i}@example.com`, login: `${prefix}${i}@example.com` } }, activate: false }));
  }
  return out;
}

function bookmark(t: OktaTarget, label: string) {
  return t.client.applicationApi.createApplication({
    application: { name: 'bookmark', label, signOnMode: 'BOOKMARK', settings: { app: { requestIntegration: false, url: `https://example.com/${encodeURIComponent(label)}` } } } as any,
  }) as Promise<any>;
}

describeOkta('Paging through the SDK collection (limit + the next link)', (t) => {
  test('groups: limit 3 over 8 groups is three requests, the later ones with after and limit from the next link', async () => {
    for (let i = 0; i < 7; i++) await t.client.groupApi.createGroup({ group: { profile: { name: `Team ${i}` } } });
    const all = await collect(await t.client.groupApi.listGroups({ limit: 3 }));
    expect(all).toHaveLength(8);
    expect(new Set(all.map((g) => g.id)).size).toBe(8);
    expect(all[0]).toBeInstanceOf(okta.Group);
    const pages = requests(t, '/api/v1/groups');
    expect(pages).toHaveLength(3);
    for (const page of pages.slice(1)) {
      const query = new URLSearchParams(page.query);
      expect(query.get('limit')).toBe('3');
      expect(query.get('after')).toBeTruthy();
    }
  });

  test('group members: limit 2 over 5 members is three pages of User models', async () => {
    const group: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'Paged members' } } });
    const members = await people(t, 5);
    for (const m of members) await t.client.groupApi.assignUserToGroup({ groupId: group.id, userId: m.id });
    const listed = await collect(await t.client.groupApi.listGroupUsers({ groupId: group.id, limit: 2 }));
    expect(listed.map((u) => u.id).sort()).toEqual(members.map((m) => m.id).sort());
    expect(listed[0]).toBeInstanceOf(okta.User);
    expect(requests(t, `/api/v1/groups/${group.id}/users`)).toHaveLength(3);
  });

  test('apps: limit 2 over 6 apps is three pages; without limit a page holds 20 apps and links to the next', async () => {
    for (let i = 0; i < 5; i++) await bookmark(t, `Link ${i}`);
    const all = await collect(await t.client.applicationApi.listApplications({ limit: 2 }));
    expect(all).toHaveLength(6);
    expect(new Set(all.map((a) => a.id)).size).toBe(6);
    expect(requests(t, '/api/v1/apps')).toHaveLength(3);

    for (let i = 5; i < 25; i++) await bookmark(t, `Link ${i}`);
    // [apps-doc List applications]: limit defaults to 20.
    const first = await t.fetch('/api/v1/apps');
    expect((await first.json()).length).toBe(20);
    expect(first.headers.get('link')).toMatch(/rel="next"/);
    expect(await collect(await t.client.applicationApi.listApplications())).toHaveLength(26);
  });

  test('app users: limit 2 over 5 assignments is three pages of AppUser models', async () => {
    const app = await bookmark(t, 'Wiki');
    const members = await people(t, 5);
    for (const m of members) await t.client.applicationApi.assignUserToApplication({ appId: app.id, appUser: { id: m.id } });
    const listed = await collect(await t.client.applicationApi.listApplicationUsers({ appId: app.id, limit: 2 }));
    expect(listed.map((u) => u.id).sort()).toEqual(members.map((m) => m.id).sort());
    expect(listed[0]).toBeInstanceOf(okta.AppUser);
    expect(requests(t, `/api/v1/apps/${app.id}/users`)).toHaveLength(3);
  });

  test('a Link header is two link-values, self and next, each an absolute URL on the twin', async () => {
    for (let i = 0; i < 3; i++) await t.client.groupApi.createGroup({ group: { profile: { name: `L${i}` } } });
    const res = await t.fetch('/api/v1/groups?limit=2');
    const link = res.headers.get('link')!;
    const values = [...link.matchAll(/<([^>]+)>;\s*rel="([a-z]+)"/g)].map(([, url, rel]) => ({ url, rel }));
    expect(values.map((v) => v.rel)).toEqual(['self', 'next']);
    expect(values[0].url).toBe(`${t.baseUrl}/api/v1/groups?limit=2`);
    const next = new URL(values[1].url);
    expect(next.origin + next.pathname).toBe(`${t.baseUrl}/api/v1/groups`);
    expect(next.searchParams.get('limit')).toBe('2');
    const last = await t.fetch(next.pathname + next.search);
    expect((await last.json()).length).toBe(2);
    expect(last.headers.get('link')).not.toMatch(/rel="next"/);
  });
});

describeOkta('Group search, filter and expand', (t) => {
  test('search: profile.name sw "Eng", type eq "OKTA_GROUP", lastUpdated gt an instant, and or-combined ids', async () => {
    const eng: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'Engineering', description: 'Builders' } } });
    const engOps: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'Eng Ops', description: 'Runners' } } });
    const sales: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'Sales', description: 'Engaging people' } } });
    const ids = async (params: Record<string, unknown>) => (await collect(await t.client.groupApi.listGroups(params as any))).map((g) => g.id).sort();

    expect(await ids({ search: 'profile.name sw "Eng"' })).toEqual([eng.id, engOps.id].sort());
    expect(await ids({ search: 'type eq "OKTA_GROUP"' })).toEqual([eng.id, engOps.id, sales.id].sort());
    expect(await ids({ search: 'type eq "BUILT_IN"' })).toEqual([EVERYONE]);
    expect(await ids({ search: 'profile.description co "Engag"' })).toEqual([sales.id]);
    expect(await ids({ search: `id eq "${eng.id}" or id eq "${sales.id}"` })).toEqual([eng.id, sales.id].sort());

    t.twin.clock.advance(60_000);
    const mark = t.twin.clock.now().toISOString();
    t.twin.clock.advance(1_000);
    await t.client.groupApi.replaceGroup({ groupId: sales.id, group: { profile: { name: 'Sales', description: 'Closers' } } });
    expect(await ids({ search: `lastUpdated gt "${mark}"` })).toEqual([sales.id]);
    expect(await ids({ filter: `lastUpdated gt "${mark}"` })).toEqual([sales.id]);
    expect(await ids({ search: 'profile.name sw "Eng" and type eq "OKTA_GROUP"' })).toEqual([eng.id, engOps.id].sort());
  });

  test('expand=stats embeds usersCount and appsCount on list and get', async () => {
    const group: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'Counted' } } });
    const [a, b] = await people(t, 2);
    await t.client.groupApi.assignUserToGroup({ groupId: group.id, userId: a.id });
    await t.client.groupApi.assignUserToGroup({ groupId: group.id, userId: b.id });
    const app = await bookmark(t, 'Counted app');
    await t.client.applicationApi.assignGroupToApplication({ appId: app.id, groupId: group.id, applicationGroupAssignment: {} });
    const raw = await (await t.fetch(`/api/v1/groups?expand=stats&search=${encodeURIComponent(`id eq "${group.id}"`)}`)).json();
    expect(raw[0]._embedded.stats).toMatchObject({ usersCount: 2, appsCount: 1 });
    const one = await (await t.fetch(`/api/v1/groups/${group.id}?expand=stats`)).json();
    expect(one._embedded.stats).toMatchObject({ usersCount: 2, appsCount: 1 });
    const listed: any[] = await collect(await t.client.groupApi.listGroups({ q: 'Counted', expand: 'stats' }));
    expect(listed[0]._embedded.stats.usersCount).toBe(2);
  });
});

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

describeOkta('Users API: app links and group rules (Users and Groups API reference operations)', (t) => {
  test('listAppLinks lists a user\'s direct and group-sourced app links ([spec] listAppLinks, examples.ListAppLinks)', async () => {
    const [user] = await people(t, 1, 'links');
    const wiki = await bookmark(t, 'Wiki');
    const crm = await bookmark(t, 'CRM');
    await t.client.applicationApi.assignUserToApplication({ appId: wiki.id, appUser: { id: user.id } });
    const group: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'CRM users' } } });
    await t.client.groupApi.assignUserToGroup({ groupId: group.id, userId: user.id });
    await t.client.applicationApi.assignGroupToApplication({ appId: crm.id, groupId: group.id, applicationGroupAssignment: {} });
    const links: any[] = await collect(await t.client.userApi.listAppLinks({ userId: user.id }));
    expect(links.map((l) => l.label).sort()).toEqual(['CRM', 'Wiki']);
    for (const link of links) {
      expect(link).toMatchObject({ appName: 'bookmark', appInstanceId: expect.stringMatching(/^0oa/), linkUrl: expect.stringContaining('/home/bookmark/'), hidden: false });
    }
  });

  test('a group rule is created INACTIVE, then activated ([spec] createGroupRule / activateGroupRule)', async () => {
    const group: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'Engineers' } } });
    const rule: any = await t.client.groupApi.createGroupRule({
      groupRule: {
        type: 'group_rule',
        name: 'Engineering department',
        conditions: { expression: { value: 'user.department=="Engineering"', type: 'urn:okta:expression:1.0' } },
        actions: { assignUserToGroups: { groupIds: [group.id] } },
      } as any,
    });
    expect(rule).toMatchObject({ type: 'group_rule', status: 'INACTIVE', name: 'Engineering department' });
    await t.client.groupApi.activateGroupRule({ ruleId: rule.id });
    expect((await t.client.groupApi.getGroupRule({ ruleId: rule.id })).status).toBe('ACTIVE');
  });
});
