/**
 * Group rules (Okta's GroupRule API), through the SDK over both transports, plus Okta's answers to bad input on every
 * endpoint.
 */
import okta from '@okta/okta-sdk-nodejs';
import { expect, test } from 'vitest';
import { collect, describeOkta, person, refused, sdkError, sendJson, TEST_CLOCK, type OktaTarget } from '../../support/okta.js';

const EVERYONE = '00geveryonetwin00001';

function createUser(t: OktaTarget, name: string, extra: Record<string, unknown> = {}, activate = true) {
  return t.client.userApi.createUser({ body: { profile: person(name, extra), credentials: { password: { value: 'Tr0ub4dor&3-horse' } } }, activate });
}

async function createGroup(t: OktaTarget, name: string): Promise<string> {
  return (await t.client.groupApi.createGroup({ group: { profile: { name } } })).id!;
}

function createRule(t: OktaTarget, name: string, expression: string, groupIds: string[], exclude?: string[]) {
  return t.client.groupApi.createGroupRule({
    groupRule: {
      type: 'group_rule',
      name,
      conditions: {
        ...(exclude ? { people: { users: { exclude }, groups: { exclude: [] } } } : {}),
        expression: { value: expression, type: 'urn:okta:expression:1.0' },
      },
      actions: { assignUserToGroups: { groupIds } },
    },
  });
}

async function memberIds(t: OktaTarget, groupId: string): Promise<string[]> {
  return (await collect(await t.client.groupApi.listGroupUsers({ groupId }))).map((u) => u.id!).sort();
}

const sorted = (ids: (string | undefined)[]) => ids.map(String).sort();

describeOkta('Group rules: lifecycle and the memberships they manage', (t) => {
  test('a new rule is INACTIVE, shaped like Okta\'s, with a 0pr id; it assigns nobody until it is activated', async () => {
    const engineers = await createGroup(t, 'Engineers');
    const ada = await createUser(t, 'Ada Lovelace', { department: 'Engineering' });
    const rule = await createRule(t, 'Engineering department', 'user.department=="Engineering"', [engineers]);
    expect(rule).toBeInstanceOf(okta.GroupRule);
    expect(rule.id).toMatch(/^0pr[0-9A-Za-z]{17}$/);
    expect(rule).toMatchObject({
      type: 'group_rule',
      status: 'INACTIVE',
      name: 'Engineering department',
      conditions: { expression: { value: 'user.department=="Engineering"', type: 'urn:okta:expression:1.0' } },
      actions: { assignUserToGroups: { groupIds: [engineers] } },
    });
    expect(rule.created?.toISOString()).toBe(TEST_CLOCK);
    expect(rule.lastUpdated?.toISOString()).toBe(TEST_CLOCK);
    expect(await memberIds(t, engineers)).toEqual([]);

    await t.client.groupApi.activateGroupRule({ ruleId: rule.id! });
    expect((await t.client.groupApi.getGroupRule({ ruleId: rule.id! })).status).toBe('ACTIVE');
    expect(await memberIds(t, engineers)).toEqual([ada.id]);
  });

  test('an active rule adds new matching users, drops users whose profile stops matching, and adds them back', async () => {
    const engineers = await createGroup(t, 'Engineers');
    const rule = await createRule(t, 'Engineering', 'user.department=="Engineering"', [engineers]);
    await t.client.groupApi.activateGroupRule({ ruleId: rule.id! });
    const grace = await createUser(t, 'Grace Hopper', { department: 'Engineering' });
    const linus = await createUser(t, 'Linus Torvalds', { department: 'Sales' });
    expect(await memberIds(t, engineers)).toEqual([grace.id]);

    await t.client.userApi.updateUser({ userId: grace.id!, user: { profile: { department: 'Finance' } } });
    expect(await memberIds(t, engineers)).toEqual([]);
    await t.client.userApi.updateUser({ userId: linus.id!, user: { profile: { department: 'Engineering' } } });
    await t.client.userApi.updateUser({ userId: grace.id!, user: { profile: { department: 'Engineering' } } });
    expect(await memberIds(t, engineers)).toEqual(sorted([grace.id, linus.id]));
    // A profile replacement (PUT) is a profile change too.
    await t.client.userApi.replaceUser({ userId: linus.id!, user: { profile: person('Linus Torvalds') } });
    expect(await memberIds(t, engineers)).toEqual([grace.id]);
  });

  test('deactivating keeps the memberships; an edited expression reactivated drops who no longer matches (the SDK\'s own flow)', async () => {
    const group = await createGroup(t, 'Group-Rule API Test Group');
    const john = await createUser(t, 'John With-Group-Rule');
    const rule = await createRule(t, 'Test group rule', `user.lastName=="${john.profile!.lastName}"`, [group], []);
    await t.client.groupApi.activateGroupRule({ ruleId: rule.id! });
    expect(await memberIds(t, group)).toEqual([john.id]);

    await t.client.groupApi.deactivateGroupRule({ ruleId: rule.id! });
    expect(await memberIds(t, group)).toEqual([john.id]);
    const inactive = await t.client.groupApi.getGroupRule({ ruleId: rule.id! });
    expect(inactive.status).toBe('INACTIVE');

    inactive.name = 'Test group rule updated';
    inactive.conditions!.expression!.value = 'user.lastName=="incorrect"';
    await t.control.advanceClock(1_000);
    const updated = await t.client.groupApi.replaceGroupRule({ ruleId: rule.id!, groupRule: inactive });
    expect(updated).toMatchObject({ name: 'Test group rule updated', status: 'INACTIVE', conditions: { expression: { value: 'user.lastName=="incorrect"' } } });
    expect(updated.lastUpdated!.getTime()).toBeGreaterThan(updated.created!.getTime());
    expect(await memberIds(t, group)).toEqual([john.id]);

    await t.client.groupApi.activateGroupRule({ ruleId: rule.id! });
    expect(await memberIds(t, group)).toEqual([]);
  });

  test('an ACTIVE rule cannot be replaced or deleted; the actions of a rule never change', async () => {
    const group = await createGroup(t, 'Sales');
    const other = await createGroup(t, 'Other');
    const rule = await createRule(t, 'Sales', 'user.department=="Sales"', [group]);
    await t.client.groupApi.activateGroupRule({ ruleId: rule.id! });
    const active = await t.client.groupApi.getGroupRule({ ruleId: rule.id! });
    active.name = 'Renamed';
    const replaceActive = await sdkError(t.client.groupApi.replaceGroupRule({ ruleId: rule.id!, groupRule: active }));
    expect(replaceActive).toMatchObject({ status: 400, errorCode: 'E0000001' });
    expect(replaceActive.causes[0]).toMatch(/ACTIVE/);
    const deleteActive = await sdkError(t.client.groupApi.deleteGroupRule({ ruleId: rule.id! }));
    expect(deleteActive).toMatchObject({ status: 400, errorCode: 'E0000001' });

    await t.client.groupApi.deactivateGroupRule({ ruleId: rule.id! });
    const inactive = await t.client.groupApi.getGroupRule({ ruleId: rule.id! });
    inactive.actions!.assignUserToGroups!.groupIds = [other];
    const changeActions = await sdkError(t.client.groupApi.replaceGroupRule({ ruleId: rule.id!, groupRule: inactive }));
    expect(changeActions).toMatchObject({ status: 400, errorCode: 'E0000001', causes: ['actions: The actions of a group rule cannot be changed'] });
    expect((await t.client.groupApi.getGroupRule({ ruleId: rule.id! })).name).toBe('Sales');
  });

  test('deleting a rule answers 202; its members stay unless removeUsers is true', async () => {
    const group = await createGroup(t, 'Staff');
    await createUser(t, 'Ann Staff', { department: 'Ops' });
    const keep = await createRule(t, 'Keep', 'user.department=="Ops"', [group]);
    await t.client.groupApi.activateGroupRule({ ruleId: keep.id! });
    await t.client.groupApi.deactivateGroupRule({ ruleId: keep.id! });
    const res = await t.fetch(`/api/v1/groups/rules/${keep.id}`, { method: 'DELETE' });
    expect(res.status).toBe(202);
    expect((await memberIds(t, group)).length).toBe(1);
    expect((await sdkError(t.client.groupApi.getGroupRule({ ruleId: keep.id! }))).status).toBe(404);

    const drop = await createRule(t, 'Drop', 'user.department=="Ops"', [group]);
    await t.client.groupApi.activateGroupRule({ ruleId: drop.id! });
    await t.client.groupApi.deactivateGroupRule({ ruleId: drop.id! });
    await t.client.groupApi.deleteGroupRule({ ruleId: drop.id!, removeUsers: true });
    expect(await memberIds(t, group)).toEqual([]);
  });

  test('removing a rule-managed member by hand puts the user on the rule\'s exclude list, so the rule leaves them out', async () => {
    const group = await createGroup(t, 'Designers');
    const rule = await createRule(t, 'Design', 'user.department=="Design"', [group]);
    await t.client.groupApi.activateGroupRule({ ruleId: rule.id! });
    const dana = await createUser(t, 'Dana Design', { department: 'Design' });
    expect(await memberIds(t, group)).toEqual([dana.id]);
    await t.client.groupApi.unassignUserFromGroup({ groupId: group, userId: dana.id! });
    const after = await t.client.groupApi.getGroupRule({ ruleId: rule.id! });
    expect(after.conditions?.people?.users?.exclude).toEqual([dana.id]);
    await t.client.userApi.updateUser({ userId: dana.id!, user: { profile: { title: 'Lead' } } });
    expect(await memberIds(t, group)).toEqual([]);
  });

  test('conditions.people.users.exclude keeps listed users out; deactivated users are left alone', async () => {
    const group = await createGroup(t, 'Support');
    const a = await createUser(t, 'Amy Support', { department: 'Support' });
    const b = await createUser(t, 'Bob Support', { department: 'Support' });
    const c = await createUser(t, 'Cat Support', { department: 'Support' });
    await t.client.userApi.deactivateUser({ userId: c.id! });
    const rule = await createRule(t, 'Support', 'user.department=="Support"', [group], [b.id!]);
    expect(rule.conditions?.people).toEqual({ users: { exclude: [b.id] }, groups: { exclude: [] } });
    await t.client.groupApi.activateGroupRule({ ruleId: rule.id! });
    expect(await memberIds(t, group)).toEqual([a.id]);
  });

  test('a rule assigns to every group it names; a member added by hand who matches stays a member', async () => {
    const one = await createGroup(t, 'One');
    const two = await createGroup(t, 'Two');
    const eve = await createUser(t, 'Eve Both', { department: 'Both' });
    await t.client.groupApi.assignUserToGroup({ groupId: one, userId: eve.id! });
    const rule = await createRule(t, 'Both', 'user.department=="Both"', [one, two]);
    await t.client.groupApi.activateGroupRule({ ruleId: rule.id! });
    expect(await memberIds(t, one)).toEqual([eve.id]);
    expect(await memberIds(t, two)).toEqual([eve.id]);
    const groups = (await collect(await t.client.userApi.listUserGroups({ userId: eve.id! }))).map((g) => g.id);
    expect(sorted(groups)).toEqual(sorted([EVERYONE, one, two]));
  });

  test('a rule whose group was deleted reads INVALID and cannot be activated or deactivated', async () => {
    const group = await createGroup(t, 'Temporary');
    const rule = await createRule(t, 'Temp', 'user.department=="Temp"', [group]);
    await t.client.groupApi.deleteGroup({ groupId: group });
    expect((await t.client.groupApi.getGroupRule({ ruleId: rule.id! })).status).toBe('INVALID');
    const error = await sdkError(t.client.groupApi.activateGroupRule({ ruleId: rule.id! }));
    expect(error).toMatchObject({ status: 400, errorCode: 'E0000001', causes: ['Cannot activate or deactivate a Group Rule with the status INVALID'] });
    expect((await sdkError(t.client.groupApi.deactivateGroupRule({ ruleId: rule.id! }))).status).toBe(400);
    await t.client.groupApi.deleteGroupRule({ ruleId: rule.id! });
  });
});

describeOkta('Group rules: the expression language', (t) => {
  let rules = 0;
  /** The first names of the users a new, activated rule with this condition assigns. */
  async function matched(expression: string): Promise<string[]> {
    const target = await createGroup(t, `Target ${++rules}`);
    const rule = await createRule(t, `Rule ${rules}`, expression, [target]);
    await t.client.groupApi.activateGroupRule({ ruleId: rule.id! });
    return (await collect(await t.client.groupApi.listGroupUsers({ groupId: target }))).map((u) => String(u.profile!.firstName)).sort();
  }

  test('==, !=, &&, ||, AND, OR, !, parentheses, String.startsWith, String.stringContains, == null, isMemberOfAnyGroup', async () => {
    const vip = await createGroup(t, 'VIP');
    await createUser(t, 'Alice Adams', { department: 'Engineering', city: 'San Francisco' });
    await createUser(t, 'Bob Brown', { department: 'Engineering', city: 'Boston' });
    const carol = await createUser(t, 'Carol Clark', { department: 'Sales', city: 'San Diego' });
    await createUser(t, 'Dan Dunn', { department: 'Marketing' });
    await t.client.groupApi.assignUserToGroup({ groupId: vip, userId: carol.id! });

    expect(await matched('user.department=="Engineering" && user.city=="Boston"')).toEqual(['Bob']);
    expect(await matched('user.department == "Sales" || user.department == "Marketing"')).toEqual(['Carol', 'Dan']);
    expect(await matched('user.department=="Engineering" AND NOT (user.city=="Boston")')).toEqual(['Alice']);
    expect(await matched('user.city != "Boston" and user.department != "Marketing" and user.department != null')).toEqual(['Alice', 'Carol']);
    expect(await matched('String.startsWith(user.city, "San ")')).toEqual(['Alice', 'Carol']);
    expect(await matched('String.stringContains(user.email, "dunn")')).toEqual(['Dan']);
    expect(await matched('user.city == null && user.department != null')).toEqual(['Dan']);
    expect(await matched(`isMemberOfAnyGroup("00gnosuchgroup000001", "${vip}")`)).toEqual(['Carol']);
    expect(await matched(`!isMemberOfAnyGroup("${vip}") && user.department=="Sales"`)).toEqual([]);
    expect(await matched('isMemberOfGroupName("VIP")')).toEqual(['Carol']);
    expect(await matched('String.toLowerCase(user.department)=="engineering" && user.firstName=="Alice"')).toEqual(['Alice']);
  });

  test('a rule whose condition reads a group another rule fills follows that rule', async () => {
    const california = await createGroup(t, 'California');
    const westCoast = await createGroup(t, 'West Coast');
    const first = await createRule(t, 'SF', 'user.city=="San Francisco"', [california]);
    const second = await createRule(t, 'West', `isMemberOfGroup("${california}")`, [westCoast]);
    await t.client.groupApi.activateGroupRule({ ruleId: first.id! });
    await t.client.groupApi.activateGroupRule({ ruleId: second.id! });
    const sam = await createUser(t, 'Sam Francis', { city: 'San Francisco' });
    expect(await memberIds(t, westCoast)).toEqual([sam.id]);
    await t.client.userApi.updateUser({ userId: sam.id!, user: { profile: { city: 'Denver' } } });
    expect(await memberIds(t, california)).toEqual([]);
    expect(await memberIds(t, westCoast)).toEqual([]);
  });
});

describeOkta('Group rules: listing', (t) => {
  test('the SDK collection pages with limit and the next link; search matches the name; expand embeds group names', async () => {
    const group = await createGroup(t, 'Paged');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createRule(t, `Rule ${i}`, `user.department=="D${i}"`, [group])).id!);
    const all = await collect(await t.client.groupApi.listGroupRules({ limit: 2 }));
    expect(all.map((r) => r.id)).toEqual(ids);
    expect(all[0]).toBeInstanceOf(okta.GroupRule);
    expect((await t.control.requests).filter((r) => r.method === 'GET' && r.path === '/api/v1/groups/rules')).toHaveLength(3);

    const found = await collect(await t.client.groupApi.listGroupRules({ search: 'rule 3' }));
    expect(found.map((r) => r.name)).toEqual(['Rule 3']);

    const expanded = await (await t.fetch('/api/v1/groups/rules?expand=groupIdToGroupNameMap&limit=1')).json();
    expect(expanded[0]._embedded).toEqual({ groupIdToGroupNameMap: { [group]: 'Paged' } });
    const one = await (await t.fetch(`/api/v1/groups/rules/${ids[0]}?expand=groupIdToGroupNameMap`)).json();
    expect(one._embedded.groupIdToGroupNameMap).toEqual({ [group]: 'Paged' });
    const plain = await (await t.fetch(`/api/v1/groups/rules/${ids[0]}`)).json();
    expect(plain._embedded).toBeUndefined();
  });

  test('without limit a page holds 50 rules; /api/v1/groups/rules is not read as a group id', async () => {
    const group = await createGroup(t, 'Many');
    for (let i = 0; i < 51; i++) await sendJson(t, '/api/v1/groups/rules', { type: 'group_rule', name: `R${i}`, conditions: { expression: { value: 'user.title=="x"' } }, actions: { assignUserToGroups: { groupIds: [group] } } });
    const res = await t.fetch('/api/v1/groups/rules');
    expect(res.status).toBe(200);
    expect((await res.json()).length).toBe(50);
    expect(res.headers.get('link')).toMatch(/rel="next"/);
    expect((await t.client.groupApi.getGroup({ groupId: group })).profile?.name).toBe('Many');
  });
});

describeOkta('Group rules: bad input', (t) => {
  const valid = (groupId: string, overrides: Record<string, unknown> = {}) => ({
    type: 'group_rule',
    name: 'A rule',
    conditions: { expression: { value: 'user.department=="Engineering"', type: 'urn:okta:expression:1.0' } },
    actions: { assignUserToGroups: { groupIds: [groupId] } },
    ...overrides,
  });

  test('createGroupRule: missing or too long names, wrong type, wrong expression type, no groups, and malformed JSON', async () => {
    const group = await createGroup(t, 'G');
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: undefined }, /^name: /],
      [{ name: 'x'.repeat(51) }, /^name: /],
      [{ name: '   ' }, /^name: The field cannot be left blank$/],
      [{ type: 'policy_rule' }, /^type: /],
      [{ conditions: { expression: { value: 'user.a=="b"', type: 'urn:okta:expression:2.0' } } }, /^conditions\.expression\.type: /],
      [{ conditions: { expression: { type: 'urn:okta:expression:1.0' } } }, /^conditions\.expression\.value: /],
      [{ conditions: { expression: { value: '' } } }, /^conditions\.expression\.value: The field cannot be left blank$/],
      [{ actions: { assignUserToGroups: { groupIds: [] } } }, /^actions\.assignUserToGroups\.groupIds: The field cannot be left blank$/],
      [{ actions: {} }, /^actions\.assignUserToGroups: /],
      [{ conditions: { people: { users: { exclude: Array.from({ length: 101 }, (_, i) => `00u${i}`) } }, expression: { value: 'user.a=="b"' } } }, /at most 100 users/],
    ];
    for (const [overrides, cause] of cases) {
      const body = await refused(await sendJson(t, '/api/v1/groups/rules', valid(group, overrides)));
      expect(body.errorCode).toBe('E0000001');
      expect(body.errorSummary).toMatch(/^Api validation failed: /);
      expect(body.causes.some((c) => cause.test(c))).toBe(true);
    }
    const malformed = await refused(await t.fetch('/api/v1/groups/rules', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' }));
    expect(malformed.errorCode).toBe('E0000003');
    expect(await collect(await t.client.groupApi.listGroupRules())).toEqual([]);
  });

  test('createGroupRule: an unknown group is 404; the Everyone group and app groups cannot be targets', async () => {
    const missing = await refused(await sendJson(t, '/api/v1/groups/rules', valid('00gnosuchgroup000001')), 404);
    expect(missing).toMatchObject({ errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: 00gnosuchgroup000001 (UserGroup)' });
    const builtIn = await sdkError(createRule(t, 'Everyone', 'user.title=="x"', [EVERYONE]));
    expect(builtIn).toMatchObject({ status: 400, errorCode: 'E0000001' });
    expect(builtIn.causes[0]).toMatch(/OKTA_GROUP/);
  });

  test('createGroupRule: invalid or unsupported expressions are E0000001 validateRule with the reason', async () => {
    const group = await createGroup(t, 'G');
    const cases: [string, RegExp][] = [
      ['user.department="Engineering"', /assignment/],
      ['user.department=="Engineering" AND', /^Invalid expression: unexpected end of expression at position 35$/],
      ['(user.department=="Engineering"', /expected '\)'/],
      ['user.department=="Engineering', /not closed/],
      ['String.startsWith(user.firstName)', /^Parameter count mismatch for function String\.startsWith: expected 2, got 1$/],
      ['Arrays.contains(user.roles, "admin")', /^Function Arrays\.contains is not supported/],
      ['profile.department=="Engineering"', /unknown variable 'profile\.department'/],
      ['user.profile.department=="Engineering"', /^Invalid property profile\.department/],
      ['"Engineering"', /Boolean/],
      ['user.a=="b" && "c"', /Boolean/],
      ['user.salary > 10 ? true : false', /conditional/],
      ['user.firstName # 1', /unexpected character '#'/],
    ];
    for (const [expression, cause] of cases) {
      const error = await sdkError(createRule(t, 'Bad', expression, [group]));
      expect(error).toMatchObject({ status: 400, errorCode: 'E0000001', errorSummary: 'Api validation failed: validateRule' });
      expect(error.causes).toHaveLength(1);
      expect(error.causes[0]).toMatch(cause);
    }
  });

  test('listGroupRules: limit below 1, a non-number limit and an unknown expand are E0000001; no credentials is 403', async () => {
    for (const query of ['limit=0', 'limit=many', 'expand=stats']) {
      expect((await refused(await t.fetch(`/api/v1/groups/rules?${query}`))).errorCode).toBe('E0000001');
    }
    const unauthenticated = await refused(await fetch(`${t.baseUrl}/api/v1/groups/rules`), 403);
    expect(unauthenticated.errorCode).toBe('E0000005');
  });

  test('get, replace, delete, activate and deactivate of an unknown rule are 404 GroupRule', async () => {
    const id = '0prnosuchrule00000001';
    const calls = [
      t.fetch(`/api/v1/groups/rules/${id}`),
      sendJson(t, `/api/v1/groups/rules/${id}`, valid(EVERYONE), 'PUT'),
      t.fetch(`/api/v1/groups/rules/${id}`, { method: 'DELETE' }),
      t.fetch(`/api/v1/groups/rules/${id}/lifecycle/activate`, { method: 'POST' }),
      t.fetch(`/api/v1/groups/rules/${id}/lifecycle/deactivate`, { method: 'POST' }),
    ];
    for (const call of calls) {
      const body = await refused(await call, 404);
      expect(body).toMatchObject({ errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${id} (GroupRule)` });
    }
    expect((await sdkError(t.client.groupApi.getGroupRule({ ruleId: id }))).status).toBe(404);
  });

  test('replaceGroupRule: a missing name or a bad expression is refused and changes nothing; an unknown expand on get is E0000001', async () => {
    const group = await createGroup(t, 'G');
    const rule = await createRule(t, 'Keep me', 'user.department=="Engineering"', [group]);
    const noName = await refused(await sendJson(t, `/api/v1/groups/rules/${rule.id}`, { conditions: { expression: { value: 'user.a=="b"' } } }, 'PUT'));
    expect(noName.causes).toEqual(['name: is required']);
    const badExpression = await refused(await sendJson(t, `/api/v1/groups/rules/${rule.id}`, valid(group, { name: 'New', conditions: { expression: { value: 'user.a=' } } }), 'PUT'));
    expect(badExpression.errorSummary).toBe('Api validation failed: validateRule');
    const unchanged = await t.client.groupApi.getGroupRule({ ruleId: rule.id! });
    expect(unchanged).toMatchObject({ name: 'Keep me', conditions: { expression: { value: 'user.department=="Engineering"' } } });
    expect((await refused(await t.fetch(`/api/v1/groups/rules/${rule.id}?expand=everything`))).errorCode).toBe('E0000001');
  });

  test('deleteGroupRule: removeUsers must be a boolean', async () => {
    const group = await createGroup(t, 'G');
    const rule = await createRule(t, 'R', 'user.title=="x"', [group]);
    expect((await refused(await t.fetch(`/api/v1/groups/rules/${rule.id}?removeUsers=perhaps`, { method: 'DELETE' }))).errorCode).toBe('E0000001');
    expect((await t.client.groupApi.getGroupRule({ ruleId: rule.id! })).id).toBe(rule.id);
  });
});
