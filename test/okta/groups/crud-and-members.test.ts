/**
 * Groups API: adding, finding, replacing and deleting groups and managing their members, through the SDK and raw
 * requests. Sources:
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml: deleteGroup ("Deletes a group of the OKTA_GROUP or
 *    APP_GROUP type"; responses 204/403/404), addGroup ("Creates a new group with OKTA_GROUP type")
 *  - [sdk] node_modules/@okta/okta-sdk-nodejs README.md and src/
 * Blocks declared with `describeDefault` run against a DEFAULT twin (`createOktaTwin()`: system clock, not strict) and
 * the official SDK with its DEFAULT options (response cache on), over both the HTTP server and MSW.
 */
import { expect, test } from 'vitest';
import { collect, describeDefault, describeOkta, person, sdkError, TEST_CLOCK, stateOf, changeState, type OktaTarget } from '../../support/okta.js';

const EVERYONE = '00geveryonetwin00001';
const ADMIN = '00uadmintwin00000001';

async function createUser(t: OktaTarget, login: string) {
  return t.client.userApi.createUser({
    body: { profile: { firstName: login.split('@')[0], lastName: 'Tester', email: login, login }, credentials: { password: { value: 'Tr0ub4dor&3-horse' } } },
    activate: true,
  });
}

async function createGroup(t: OktaTarget, name: string, description?: string) {
  return t.client.groupApi.createGroup({ group: { profile: { name, ...(description ? { description } : {}) } } });
}

const PASSWORD = 'Tr0ub4dor-Horse9';
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function newUser(t: OktaTarget, first: string, last: string, extra: Record<string, unknown> = {}) {
  return t.client.userApi.createUser({ body: { profile: person(`${first} ${last}`), credentials: { password: { value: PASSWORD } }, ...extra } });
}

const ADMIN_ID = '00uadmintwin00000001';
const EVERYONE_ID = '00geveryonetwin00001';

const STRONG_PASSWORD = 'Str0ng-Passw0rd!x';

const ids = <T extends { id?: string }>(items: T[]) => items.map((i) => i.id);

describeOkta('Okta groups', (t) => {
  test('adding a group returns an OKTA_GROUP with its profile, timestamps and links', async () => {
    const group = await createGroup(t, 'West Coast users', 'All users West of The Rockies');
    expect(group.id).toMatch(/^00g[0-9A-Za-z]{17}$/);
    expect(group.type).toBe('OKTA_GROUP');
    expect(group.objectClass).toEqual(['okta:user_group']);
    expect(group.profile).toEqual({ name: 'West Coast users', description: 'All users West of The Rockies' });
    expect(group.created?.toISOString()).toBe(TEST_CLOCK);
    expect(group.lastMembershipUpdated?.toISOString()).toBe(TEST_CLOCK);
    const links = group._links as Record<string, any>;
    expect(links.users.href).toBe(`${t.baseUrl}/api/v1/groups/${group.id}/users`);
    expect(links.apps.href).toBe(`${t.baseUrl}/api/v1/groups/${group.id}/apps`);
    expect(links.logo).toHaveLength(2);

    const fetched = await t.client.groupApi.getGroup({ groupId: group.id! });
    expect(fetched.profile?.name).toBe('West Coast users');
  });

  test('a group added without a description reads back with a null description', async () => {
    const group = await createGroup(t, 'Engineering');
    expect(group.profile).toEqual({ name: 'Engineering', description: null });
  });

  test('group names are unique: a second group with the same name is E0000001', async () => {
    await createGroup(t, 'Sales');
    const error = await sdkError(createGroup(t, 'sales'));
    expect(error.status).toBe(400);
    expect(error.errorCode).toBe('E0000001');
    expect(error.errorCauses[0].errorSummary).toBe('name: An object with this field already exists in the current organization');
  });

  test('q finds groups whose name starts with it, exact matches first', async () => {
    await createGroup(t, 'Engineering Leads');
    await createGroup(t, 'Engineering');
    await createGroup(t, 'Marketing');
    const groups = await collect(await t.client.groupApi.listGroups({ q: 'engineering' }));
    expect(groups.map((g) => g.profile?.name)).toEqual(['Engineering', 'Engineering Leads']);
  });

  test('filter by type lists only OKTA_GROUPs; search matches profile attributes', async () => {
    await createGroup(t, 'Support');
    const okta = await collect(await t.client.groupApi.listGroups({ filter: 'type eq "OKTA_GROUP"' }));
    expect(okta.map((g) => g.profile?.name)).toEqual(['Support']);
    const builtIn = await collect(await t.client.groupApi.listGroups({ filter: 'type eq "BUILT_IN"' }));
    expect(builtIn.map((g) => g.id)).toEqual([EVERYONE]);
    const found = await collect(await t.client.groupApi.listGroups({ search: 'profile.name sw "Sup" or profile.name eq "Everyone"' }));
    expect(found.map((g) => g.profile?.name)).toEqual(['Everyone', 'Support']);
    const sorted = await collect(await t.client.groupApi.listGroups({ search: 'type pr', sortBy: 'profile.name', sortOrder: 'desc' }));
    expect(sorted.map((g) => g.profile?.name)).toEqual(['Support', 'Everyone']);
  });

  test('filter compares timestamps: groups updated after an instant', async () => {
    await t.control.advanceClock(60_000);
    await createGroup(t, 'Later');
    const later = await collect(await t.client.groupApi.listGroups({ filter: `lastUpdated gt "${TEST_CLOCK}"` }));
    expect(later.map((g) => g.profile?.name)).toEqual(['Later']);
  });

  test('listing groups pages with limit and the Link header', async () => {
    for (const name of ['A', 'B', 'C']) await createGroup(t, `Team ${name}`);
    const first = await t.fetch('/api/v1/groups?limit=2');
    expect(first.status).toBe(200);
    const page = (await first.json()) as { id: string }[];
    expect(page).toHaveLength(2);
    const link = first.headers.get('link')!;
    expect(link).toContain('rel="self"');
    const next = /<([^>]+)>; rel="next"/.exec(link)![1];
    expect(next).toContain(`after=${page[1].id}`);
    const all = await collect(await t.client.groupApi.listGroups({ limit: 2 }));
    expect(all.map((g) => g.profile?.name)).toEqual(['Everyone', 'Team A', 'Team B', 'Team C']);
  });

  test('expand=stats embeds the member count', async () => {
    const response = await t.fetch(`/api/v1/groups/${EVERYONE}?expand=stats`);
    const body = (await response.json()) as any;
    expect(body._embedded.stats.usersCount).toBe(1);
  });

  test('adding and removing members changes the member list and lastMembershipUpdated', async () => {
    const group = await createGroup(t, 'Admins');
    const alice = await createUser(t, 'alice@example.com');
    await t.control.advanceClock(60_000);
    await t.client.groupApi.assignUserToGroup({ groupId: group.id!, userId: alice.id! });
    await t.client.groupApi.assignUserToGroup({ groupId: group.id!, userId: alice.id! });
    let members = await collect(await t.client.groupApi.listGroupUsers({ groupId: group.id! }));
    expect(members.map((u) => u.profile?.login)).toEqual(['alice@example.com']);
    expect(members[0].status).toBe('ACTIVE');
    const updated = await t.client.groupApi.getGroup({ groupId: group.id! });
    expect(updated.lastMembershipUpdated?.toISOString()).toBe('2026-01-01T00:01:00.000Z');
    expect(updated.lastUpdated?.toISOString()).toBe(TEST_CLOCK);

    await t.client.groupApi.unassignUserFromGroup({ groupId: group.id!, userId: alice.id! });
    members = await collect(await t.client.groupApi.listGroupUsers({ groupId: group.id! }));
    expect(members).toEqual([]);
  });

  test("a user's groups include the groups they were added to", async () => {
    const group = await createGroup(t, 'Readers');
    const bob = await createUser(t, 'bob@example.com');
    await t.client.groupApi.assignUserToGroup({ groupId: group.id!, userId: bob.id! });
    const groups = await collect(await t.client.userApi.listUserGroups({ userId: bob.id! }));
    expect(groups.map((g) => g.profile?.name).sort()).toEqual(['Everyone', 'Readers']);
  });

  test('listing members pages through the Link header', async () => {
    const group = await createGroup(t, 'Big team');
    const ids: string[] = [];
    for (const name of ['u1', 'u2', 'u3']) {
      const user = await createUser(t, `${name}@example.com`);
      await t.client.groupApi.assignUserToGroup({ groupId: group.id!, userId: user.id! });
      ids.push(user.id!);
    }
    const first = await t.fetch(`/api/v1/groups/${group.id}/users?limit=2`);
    expect(((await first.json()) as unknown[]).length).toBe(2);
    expect(first.headers.get('link')).toContain('rel="next"');
    const members = await collect(await t.client.groupApi.listGroupUsers({ groupId: group.id!, limit: 2 }));
    expect(members.map((u) => u.id)).toEqual(ids);
  });

  test('replacing a group replaces the whole profile and moves lastUpdated', async () => {
    const group = await createGroup(t, 'Old name', 'Old description');
    await t.control.advanceClock(1_000);
    const replaced = await t.client.groupApi.replaceGroup({ groupId: group.id!, group: { profile: { name: 'New name' } } });
    expect(replaced.profile).toEqual({ name: 'New name', description: null });
    expect(replaced.lastUpdated?.toISOString()).toBe('2026-01-01T00:00:01.000Z');
    expect(replaced.created?.toISOString()).toBe(TEST_CLOCK);
  });

  test('deleting a group removes it and its memberships', async () => {
    const group = await createGroup(t, 'Temporary');
    await t.client.groupApi.assignUserToGroup({ groupId: group.id!, userId: ADMIN });
    await t.client.groupApi.deleteGroup({ groupId: group.id! });
    const error = await sdkError(t.client.groupApi.getGroup({ groupId: group.id! }));
    expect(error.status).toBe(404);
    expect(error.errorCode).toBe('E0000007');
    expect((await stateOf(t)).groupMembers[group.id!]).toBeUndefined();
  });

  test('Everyone is BUILT_IN: it cannot be deleted, renamed, or have members changed', async () => {
    const everyone = await t.client.groupApi.getGroup({ groupId: EVERYONE });
    expect(everyone.type).toBe('BUILT_IN');
    // One call at a time: a call started before the previous one is awaited could be refused with nobody listening yet.
    for (const call of [
      () => t.client.groupApi.deleteGroup({ groupId: EVERYONE }),
      () => t.client.groupApi.replaceGroup({ groupId: EVERYONE, group: { profile: { name: 'All' } } }),
      () => t.client.groupApi.unassignUserFromGroup({ groupId: EVERYONE, userId: ADMIN }),
      () => t.client.groupApi.assignUserToGroup({ groupId: EVERYONE, userId: ADMIN }),
    ]) {
      const error = await sdkError(call());
      expect(error.status).toBe(403);
      expect(error.errorCode).toBe('E0000006');
    }
    expect((await stateOf(t)).groups[EVERYONE].profile.name).toBe('Everyone');
  });

  test('an APP_GROUP keeps its profile and members', async () => {
    await changeState(t, (state) => {
      state.groups['00gappgrouptwin00001'] = {
        ...structuredClone(state.groups[EVERYONE]),
        id: '00gappgrouptwin00001',
        type: 'APP_GROUP',
        objectClass: ['okta:windows_security_principal'],
        profile: { name: 'AD users', description: null },
      };
    });
    const error = await sdkError(t.client.groupApi.assignUserToGroup({ groupId: '00gappgrouptwin00001', userId: ADMIN }));
    expect(error.errorCode).toBe('E0000006');
    const deleted = await t.fetch('/api/v1/groups/00gappgrouptwin00001', { method: 'DELETE' });
    expect(deleted.status).toBe(204);
  });

  test('unknown groups and users are E0000007 on every group endpoint', async () => {
    const missing = '00gmissingmissing001';
    const cases: [string, string][] = [
      ['GET', `/api/v1/groups/${missing}`],
      ['DELETE', `/api/v1/groups/${missing}`],
      ['GET', `/api/v1/groups/${missing}/users`],
      ['GET', `/api/v1/groups/${missing}/apps`],
      ['PUT', `/api/v1/groups/${missing}/users/${ADMIN}`],
      ['DELETE', `/api/v1/groups/${missing}/users/${ADMIN}`],
    ];
    for (const [method, path] of cases) {
      const response = await t.fetch(path, { method });
      expect(response.status, `${method} ${path}`).toBe(404);
      const body = (await response.json()) as any;
      expect(body.errorCode).toBe('E0000007');
      expect(body.errorSummary).toBe(`Not found: Resource not found: ${missing} (UserGroup)`);
    }
    const replaced = await t.fetch(`/api/v1/groups/${missing}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ profile: { name: 'x' } }) });
    expect(replaced.status).toBe(404);
    const group = await createGroup(t, 'Known');
    for (const method of ['PUT', 'DELETE']) {
      const response = await t.fetch(`/api/v1/groups/${group.id}/users/00umissingmissing001`, { method });
      const body = (await response.json()) as any;
      expect(response.status).toBe(404);
      expect(body.errorSummary).toBe('Not found: Resource not found: 00umissingmissing001 (User)');
    }
  });

  test('a group body without profile.name is E0000001; malformed JSON is E0000003', async () => {
    const group = await createGroup(t, 'Target');
    for (const [method, path] of [['POST', '/api/v1/groups'], ['PUT', `/api/v1/groups/${group.id}`]]) {
      for (const body of [{ profile: {} }, {}, { profile: { name: '' } }, { profile: { name: 42 } }]) {
        const response = await t.fetch(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        expect(response.status, `${method} ${JSON.stringify(body)}`).toBe(400);
        expect(((await response.json()) as any).errorCode).toBe('E0000001');
      }
      const malformed = await t.fetch(path, { method, headers: { 'content-type': 'application/json' }, body: '{"profile": {' });
      expect(malformed.status).toBe(400);
      expect(((await malformed.json()) as any).errorCode).toBe('E0000003');
    }
    expect(Object.keys((await stateOf(t)).groups)).toHaveLength(2);
  });

  test('a malformed filter or search is E0000031 with the cause "Invalid search syntax."', async () => {
    for (const query of ['filter=type%20eq', 'filter=type%20is%20%22OKTA_GROUP%22', 'search=(type%20eq%20%22OKTA_GROUP%22', 'search=profile.name%20eq%20%22open']) {
      const response = await t.fetch(`/api/v1/groups?${query}`);
      expect(response.status, query).toBe(400);
      expect(await response.json(), query).toMatchObject({ errorCode: 'E0000031', errorSummary: 'Invalid search criteria.', errorCauses: [{ errorSummary: 'Invalid search syntax.' }] });
    }
  });

  test('a filter or search on a property or operator groups do not support is E0000031', async () => {
    for (const query of ['filter=profile.name%20eq%20%22x%22', 'filter=type%20sw%20%22OKTA%22', 'search=type%20co%20%22OKTA%22', 'search=objectClass%20eq%20%22okta:user_group%22']) {
      const response = await t.fetch(`/api/v1/groups?${query}`);
      expect(response.status, query).toBe(400);
      expect(await response.json(), query).toMatchObject({ errorCode: 'E0000031', errorCauses: [] });
    }
  });

  test('a limit that is not a number is E0000001', async () => {
    for (const path of ['/api/v1/groups?limit=abc', `/api/v1/groups/${EVERYONE}/users?limit=many`, `/api/v1/groups/${EVERYONE}/apps?limit=0`]) {
      const response = await t.fetch(path);
      expect(response.status, path).toBe(400);
      expect(((await response.json()) as any).errorCode).toBe('E0000001');
    }
  });

  test('a request with a bad API token is E0000011', async () => {
    const response = await t.fetch('/api/v1/groups', { headers: { authorization: 'SSWS not-a-token' } });
    expect(response.status).toBe(401);
    expect(((await response.json()) as any).errorCode).toBe('E0000011');
  });
});

describeOkta('Story: a team lead manages a group', (t) => {
  test('create, find (q, filter, search), rename, add and remove a member, then delete the group', async () => {
    const group = await t.client.groupApi.createGroup({ group: { profile: { name: 'Platform', description: 'Platform team' } } });
    expect(group).toMatchObject({ type: 'OKTA_GROUP', objectClass: ['okta:user_group'], profile: { name: 'Platform', description: 'Platform team' } });
    expect(group.created?.toISOString()).toBe(TEST_CLOCK);

    // [spec listGroups]: q matches the name; filter takes type; search takes profile properties with sw/eq/co.
    expect((await collect(await t.client.groupApi.listGroups({ q: 'Plat' }))).map((g) => g.id)).toEqual([group.id]);
    const oktaGroups = await collect(await t.client.groupApi.listGroups({ filter: 'type eq "OKTA_GROUP"' }));
    expect(oktaGroups.map((g) => g.id)).toEqual([group.id]);
    const builtIn = await collect(await t.client.groupApi.listGroups({ filter: 'type eq "BUILT_IN"' }));
    expect(builtIn.map((g) => g.profile?.name)).toContain('Everyone');
    expect(builtIn.every((g) => g.type === 'BUILT_IN')).toBe(true);
    expect((await collect(await t.client.groupApi.listGroups({ search: 'profile.name sw "Plat"' }))).map((g) => g.id)).toEqual([group.id]);
    const all = await collect(await t.client.groupApi.listGroups());
    expect(all.map((g) => g.id)).toEqual(expect.arrayContaining([EVERYONE, group.id]));

    await t.control.advanceClock(60_000);
    const renamed = await t.client.groupApi.replaceGroup({ groupId: group.id!, group: { profile: { name: 'Platform Engineering', description: 'Platform team' } } });
    expect(renamed.profile?.name).toBe('Platform Engineering');
    expect(renamed.lastUpdated?.toISOString()).toBe('2026-01-01T00:01:00.000Z');

    const member = await newUser(t, 'Mem', 'Ber');
    await t.control.advanceClock(60_000);
    await t.client.groupApi.assignUserToGroup({ groupId: group.id!, userId: member.id! });
    expect((await collect(await t.client.groupApi.listGroupUsers({ groupId: group.id! }))).map((u) => u.id)).toEqual([member.id]);
    const memberGroups = await collect(await t.client.userApi.listUserGroups({ userId: member.id! }));
    expect(memberGroups.map((g) => g.id)).toEqual(expect.arrayContaining([EVERYONE, group.id]));
    // [spec schemas.Group]: lastMembershipUpdated tracks memberships; lastUpdated tracks the profile.
    const afterAdd = await t.client.groupApi.getGroup({ groupId: group.id! });
    expect(afterAdd.lastMembershipUpdated?.toISOString()).toBe('2026-01-01T00:02:00.000Z');
    expect(afterAdd.lastUpdated?.toISOString()).toBe('2026-01-01T00:01:00.000Z');

    await t.client.groupApi.unassignUserFromGroup({ groupId: group.id!, userId: member.id! });
    expect(await collect(await t.client.groupApi.listGroupUsers({ groupId: group.id! }))).toEqual([]);

    await t.client.groupApi.deleteGroup({ groupId: group.id! });
    const gone = await sdkError(t.client.groupApi.getGroup({ groupId: group.id! }));
    expect(gone.status).toBe(404);
    expect(gone.errorCode).toBe('E0000007');
    expect(gone.errorSummary).toContain(group.id!);
    // The member stays, only the membership went.
    expect((await t.client.userApi.getUser({ userId: member.id! })).status).toBe('ACTIVE');
  });

  test('membership and delete calls answer 204 with no body; add group answers 200', async () => {
    const created = await t.fetch('/api/v1/groups', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ profile: { name: 'Raw' } }) });
    expect(created.status).toBe(200);
    const group = await created.json();
    expect(group.id).toMatch(/^00g[0-9A-Za-z]{17}$/);
    for (const field of ['created', 'lastUpdated', 'lastMembershipUpdated']) expect(group[field]).toMatch(ISO_MS);
    expect(group._links.users.href).toBe(`${t.baseUrl}/api/v1/groups/${group.id}/users`);
    expect(group._links.apps.href).toBe(`${t.baseUrl}/api/v1/groups/${group.id}/apps`);
    const user = await newUser(t, 'Raw', 'Member');
    const put = await t.fetch(`/api/v1/groups/${group.id}/users/${user.id}`, { method: 'PUT' });
    expect(put.status).toBe(204);
    expect(await put.text()).toBe('');
    const del = await t.fetch(`/api/v1/groups/${group.id}/users/${user.id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    const delGroup = await t.fetch(`/api/v1/groups/${group.id}`, { method: 'DELETE' });
    expect(delGroup.status).toBe(204);
  });
});

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
    const a = await e.client.userApi.createUser({ body: { profile: person('Ann Ops'), credentials: { password: { value: STRONG_PASSWORD } } } });
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
