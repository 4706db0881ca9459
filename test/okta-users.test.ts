import { expect, test } from 'vitest';
import { describeOkta, person, sdkError, sendJson, type OktaTarget } from './support/okta.js';

const ADMIN_ID = '00uadmintwin00000001';
const EVERYONE_ID = '00geveryonetwin00001';

async function json(response: Response): Promise<any> {
  return response.json();
}

function addGroup(t: OktaTarget, id: string, name: string) {
  const at = '2026-01-01T00:00:00.000Z';
  t.twin.state.groups[id] = { id, created: at, lastUpdated: at, lastMembershipUpdated: at, objectClass: ['okta:user_group'], type: 'OKTA_GROUP', profile: { name, description: null } };
  t.twin.state.groupMembers[id] = [];
}

describeOkta('Okta users: create and read', (t) => {
  test('a user created with activate=false is STAGED, without credentials but the OKTA provider', async () => {
    const user = await t.client.userApi.createUser({ body: { profile: person('Isaac Brock') }, activate: false });
    expect(user.id).toMatch(/^00u[0-9A-Za-z]{17}$/);
    expect(user.status).toBe('STAGED');
    expect(user.activated).toBeNull();
    expect(user.statusChanged).toBeNull();
    expect(user.passwordChanged).toBeNull();
    expect(user.created).toEqual(new Date('2026-01-01T00:00:00.000Z'));
    expect(user.credentials?.provider).toMatchObject({ type: 'OKTA', name: 'OKTA' });
    expect(user.credentials?.password).toBeUndefined();
    expect(user._links?.activate?.href).toBe(`${t.baseUrl}/api/v1/users/${user.id}/lifecycle/activate`);
  });

  test('a user created with a password is ACTIVE and shows `password: {}`, never the value', async () => {
    const response = await sendJson(t, '/api/v1/users?activate=true', { profile: person('Eric Judy'), credentials: { password: { value: 'Tlpw3NT2m!' } } });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain('Tlpw3NT2m!');
    const user = JSON.parse(text);
    expect(user.status).toBe('ACTIVE');
    expect(user.credentials).toEqual({ password: {}, provider: { type: 'OKTA', name: 'OKTA' } });
    expect(user.activated).toBe('2026-01-01T00:00:00.000Z');
    expect(user.statusChanged).toBe('2026-01-01T00:00:00.000Z');
    expect(user.passwordChanged).toBe('2026-01-01T00:00:00.000Z');
    expect(user.profile).toEqual({ ...person('Eric Judy'), mobilePhone: null, secondEmail: null });
    expect(user.type).toEqual({ id: 'otytwindefault000001' });
    expect(user).not.toHaveProperty('transitioningToStatus');
    expect(Object.keys(user._links)).toEqual(expect.arrayContaining(['self', 'suspend', 'resetPassword', 'expirePassword', 'changePassword', 'deactivate']));
    expect(user._links).not.toHaveProperty('activate');
  });

  test('a user activated without a password is PROVISIONED, waiting for its activation email', async () => {
    const user = await t.client.userApi.createUser({ body: { profile: person('Ann Lee') } });
    expect(user.status).toBe('PROVISIONED');
    expect(user.activated).toEqual(new Date('2026-01-01T00:00:00.000Z'));
  });

  test('a recovery question shows its question only; the answer is never returned', async () => {
    const response = await sendJson(t, '/api/v1/users?activate=false', {
      profile: person('Rita Ora'),
      credentials: { recovery_question: { question: 'Who is a major player in the cowboy scene?', answer: 'Annie Oakley' } },
    });
    const user = await json(response);
    expect(user.credentials.recovery_question).toEqual({ question: 'Who is a major player in the cowboy scene?' });
    expect(JSON.stringify(user)).not.toContain('Annie Oakley');
  });

  test('a user with a FEDERATION provider needs no password and is ACTIVE once activated', async () => {
    const user = await json(await sendJson(t, '/api/v1/users?provider=true', { profile: person('Fed User'), credentials: { provider: { type: 'FEDERATION', name: 'FEDERATION' } } }));
    expect(user.status).toBe('ACTIVE');
    expect(user.credentials).toEqual({ provider: { type: 'FEDERATION', name: 'FEDERATION' } });
  });

  test('an imported password hash makes the provider IMPORT', async () => {
    const hash = { algorithm: 'BCRYPT', workFactor: 10, salt: 'rwh3vH166HCH/NT9XV5FYu', value: 'qaMqvAPULkbiQzkTCWo5XDcvzpk8Tna' };
    const user = await json(await sendJson(t, '/api/v1/users?activate=false', { profile: person('Hash User'), credentials: { password: { hash } } }));
    expect(user.credentials).toEqual({ password: {}, provider: { type: 'IMPORT', name: 'IMPORT' } });
  });

  test('nextLogin=changePassword creates the user with an expired password', async () => {
    const user = await t.client.userApi.createUser({ body: { profile: person('Exp Ired'), credentials: { password: { value: 'Xy7pqrstu' } } }, nextLogin: 'changePassword' });
    expect(user.status).toBe('PASSWORD_EXPIRED');
  });

  test('nextLogin=changePassword needs activate=true (E0000125) and a password (E0000124)', async () => {
    const inactive = await sdkError(
      t.client.userApi.createUser({ body: { profile: person('No Act'), credentials: { password: { value: 'Xy7pqrstu' } } }, activate: false, nextLogin: 'changePassword' }),
    );
    expect(inactive.status).toBe(400);
    expect(inactive.errorCode).toBe('E0000125');
    const passwordless = await sdkError(t.client.userApi.createUser({ body: { profile: person('No Pass') }, nextLogin: 'changePassword' }));
    expect(passwordless.errorCode).toBe('E0000124');
    expect(passwordless.errorSummary).toBe('Could not create user. To create a user and expire their password immediately, a password must be specified.');
  });

  test('a new user joins Everyone and every group named in groupIds', async () => {
    addGroup(t, '00gengineering000001', 'Engineering');
    t.twin.clock.advance(60_000);
    const user = await t.client.userApi.createUser({ body: { profile: person('Group Member'), groupIds: ['00gengineering000001'] }, activate: false });
    expect(t.twin.state.groupMembers[EVERYONE_ID]).toContain(user.id);
    expect(t.twin.state.groupMembers['00gengineering000001']).toEqual([user.id]);
    expect(t.twin.state.groups['00gengineering000001'].lastMembershipUpdated).toBe('2026-01-01T00:01:00.000Z');
    const groups: any[] = [];
    for await (const group of await t.client.userApi.listUserGroups({ userId: user.id! })) groups.push(group);
    expect(groups.map((g) => g.profile.name)).toEqual(['Everyone', 'Engineering']);
    expect(groups[1]._links.users.href).toBe(`${t.baseUrl}/api/v1/groups/00gengineering000001/users`);
  });

  test('more than 20 groupIds is E0000093', async () => {
    const groupIds = Array.from({ length: 21 }, (_, i) => `00gtoomany${String(i).padStart(10, '0')}`);
    const failure = await sdkError(t.client.userApi.createUser({ body: { profile: person('Too Many'), groupIds } }));
    expect(failure.status).toBe(400);
    expect(failure).toMatchObject({ errorCode: 'E0000093', errorSummary: 'Target count limit exceeded', errorCauses: [{ errorSummary: 'The number of group targets is too large' }] });
  });

  test('an unknown group in groupIds is a 404 naming the group, and no user is created', async () => {
    const response = await sendJson(t, '/api/v1/users', { profile: person('Lost Group'), groupIds: ['00gnosuchgroup000001'] });
    expect(response.status).toBe(404);
    expect((await json(response)).errorSummary).toBe('Not found: Resource not found: 00gnosuchgroup000001 (UserGroup)');
    expect(Object.values(t.twin.state.users).map((u) => u.profile.login)).not.toContain('lost.group@example.com');
  });

  test('a login already taken, in any case, is E0000001 with Okta\'s errorCauses', async () => {
    await t.client.userApi.createUser({ body: { profile: person('Dup Licate') }, activate: false });
    const failure = await sdkError(t.client.userApi.createUser({ body: { profile: { ...person('Other Person'), login: 'DUP.LICATE@example.com' } }, activate: false }));
    expect(failure.status).toBe(400);
    expect(failure.errorCode).toBe('E0000001');
    expect(failure.errorSummary).toBe('Api validation failed: login');
    expect(failure.errorCauses).toEqual([{ errorSummary: 'login: An object with this field already exists in the current organization' }]);
    expect(failure.errorLink).toBe('E0000001');
    expect(failure.errorId).toMatch(/^oae/);
  });

  test('an empty profile lists every blank required property, login first', async () => {
    const body = await json(await sendJson(t, '/api/v1/users', { profile: {} }));
    expect(body.errorCode).toBe('E0000001');
    expect(body.errorSummary).toBe('Api validation failed: login');
    expect(body.errorCauses.map((c: any) => c.errorSummary)).toEqual([
      'login: The field cannot be left blank',
      'firstName: The field cannot be left blank',
      'lastName: The field cannot be left blank',
      'email: The field cannot be left blank',
      'login: Username must be in the form of an email address',
    ]);
  });

  test('a body without a profile is refused the same way', async () => {
    const response = await sendJson(t, '/api/v1/users', { credentials: { password: { value: 'Abcd1234x' } } });
    expect(response.status).toBe(400);
    expect((await json(response)).errorCode).toBe('E0000001');
  });

  test('a login that is not an email address and a malformed email are refused', async () => {
    const body = await json(await sendJson(t, '/api/v1/users', { profile: { ...person('Bad Mail'), login: 'badmail', email: 'not-an-email' } }));
    expect(body.errorSummary).toBe('Api validation failed: login');
    expect(body.errorCauses).toEqual([{ errorSummary: 'login: Username must be in the form of an email address' }, { errorSummary: 'email: Does not match required pattern' }]);
  });

  test('a password that breaks the default policy is refused', async () => {
    for (const value of ['short1A', 'alllowercase1', 'NoDigitsHere', 'Isaac.Password1']) {
      const failure = await sdkError(t.client.userApi.createUser({ body: { profile: person('Isaac Newton'), credentials: { password: { value } } } }));
      expect(failure.status).toBe(400);
      expect(failure.errorSummary).toBe('Api validation failed: password');
      expect(failure.errorCauses[0].errorSummary).toMatch(/^password: Password requirements were not met/);
    }
  });

  test('bad JSON is E0000003 and a wrongly typed query parameter is E0000001', async () => {
    const badJson = await t.fetch('/api/v1/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"profile": ' });
    expect(badJson.status).toBe(400);
    expect((await json(badJson)).errorCode).toBe('E0000003');
    const badQuery = await sendJson(t, '/api/v1/users?activate=maybe', { profile: person('Query Type') });
    expect(badQuery.status).toBe(400);
    expect((await json(badQuery)).errorCode).toBe('E0000001');
    const badNextLogin = await sendJson(t, '/api/v1/users?nextLogin=now', { profile: person('Next Login') });
    expect((await json(badNextLogin)).errorCode).toBe('E0000001');
  });

  test('a user is found by id, by login in any case, by unambiguous shortname, and as `me`', async () => {
    const created = await t.client.userApi.createUser({ body: { profile: person('Find Me') }, activate: false });
    for (const ref of [created.id!, 'find.me@example.com', 'FIND.ME@EXAMPLE.COM', 'find.me']) {
      const user = await t.client.userApi.getUser({ userId: ref });
      expect(user.id).toBe(created.id);
    }
    const me = await t.client.userApi.getUser({ userId: 'me' });
    expect(me.id).toBe(ADMIN_ID);
    expect(me.profile?.login).toBe('admin@twin.test');
  });

  test('a shortname shared by two logins finds nobody', async () => {
    await t.client.userApi.createUser({ body: { profile: { ...person('Same Name'), login: 'same@one.example.com' } }, activate: false });
    await t.client.userApi.createUser({ body: { profile: { ...person('Same Name'), login: 'same@two.example.com' } }, activate: false });
    const failure = await sdkError(t.client.userApi.getUser({ userId: 'same' }));
    expect(failure.status).toBe(404);
  });

  test('an unknown user is a 404 E0000007 naming the id', async () => {
    const response = await t.fetch('/api/v1/users/00unosuchuser0000001');
    expect(response.status).toBe(404);
    const body = await json(response);
    expect(body).toMatchObject({ errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: 00unosuchuser0000001 (User)', errorLink: 'E0000007', errorCauses: [] });
  });

  test('a bad API token is 401 E0000011 on every user endpoint', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/users'],
      ['POST', '/api/v1/users'],
      ['GET', `/api/v1/users/${ADMIN_ID}`],
      ['POST', `/api/v1/users/${ADMIN_ID}/lifecycle/suspend`],
    ]) {
      const response = await t.fetch(path, { method, headers: { authorization: 'SSWS not-a-token' } });
      expect(response.status).toBe(401);
      expect((await json(response)).errorCode).toBe('E0000011');
    }
  });
});

describeOkta('Okta users: list, q, filter and search', (t) => {
  async function seedPeople(): Promise<Record<string, string>> {
    const ids: Record<string, string> = {};
    const people = [
      ['Isaac Brock', 'ACTIVE'],
      ['Eric Judy', 'ACTIVE'],
      ['Jeremiah Green', 'STAGED'],
      ['Judy Garland', 'SUSPENDED'],
      ['Tom Peloso', 'DEPROVISIONED'],
    ];
    for (const [name, status] of people) {
      t.twin.clock.advance(1000);
      const user = await t.client.userApi.createUser({ body: { profile: person(name, { department: name === 'Isaac Brock' ? 'Engineering' : 'Sales' }), credentials: { password: { value: 'Zq8mpvwx' } } }, activate: status !== 'STAGED' });
      if (status === 'SUSPENDED') await t.client.userApi.suspendUser({ userId: user.id! });
      if (status === 'DEPROVISIONED') await t.client.userApi.deactivateUser({ userId: user.id! });
      ids[name] = user.id!;
    }
    return ids;
  }

  async function collect(collection: AsyncIterable<any>): Promise<any[]> {
    const out = [];
    for await (const item of collection) out.push(item);
    return out;
  }

  async function listed(query: string): Promise<{ status: number; body: any; link: string | null }> {
    const response = await t.fetch(`/api/v1/users?${query}`);
    return { status: response.status, body: await response.json(), link: response.headers.get('link') };
  }

  test('the SDK pages through every user, three pages of two, following the next links', async () => {
    await seedPeople();
    const users = await collect(await t.client.userApi.listUsers({ limit: 2 }));
    expect(users.map((u) => u.profile.login)).toEqual(['admin@twin.test', 'isaac.brock@example.com', 'eric.judy@example.com', 'jeremiah.green@example.com', 'judy.garland@example.com']);
    const pages = t.twin.requests.filter((r) => r.operationId === 'listUsers');
    expect(pages).toHaveLength(3);
    expect(pages[1].query).toContain('after=');
  });

  test('the Link header has self and, until the last page, next on the twin\'s own base URL', async () => {
    await seedPeople();
    const first = await listed('limit=2');
    expect(first.link).toContain(`<${t.baseUrl}/api/v1/users?limit=2>; rel="self"`);
    const next = /<([^>]+)>; rel="next"/.exec(first.link!)![1];
    expect(next).toBe(`${t.baseUrl}/api/v1/users?limit=2&after=${first.body[1].id}`);
    const last = await listed(`limit=2&after=${first.body[1].id}`);
    expect(last.body).toHaveLength(2);
    const end = await listed(`limit=2&after=${last.body[1].id}`);
    expect(end.body).toHaveLength(1);
    expect(end.link).not.toContain('rel="next"');
  });

  test('list items carry only the self link', async () => {
    const { body } = await listed('');
    expect(body[0]._links).toEqual({ self: { href: `${t.baseUrl}/api/v1/users/${ADMIN_ID}` } });
  });

  test('a plain list omits DEPROVISIONED users; a filter or a search includes them', async () => {
    const ids = await seedPeople();
    const plain = await collect(await t.client.userApi.listUsers({}));
    expect(plain.map((u) => u.id)).not.toContain(ids['Tom Peloso']);
    const filtered = await collect(await t.client.userApi.listUsers({ filter: 'status eq "DEPROVISIONED"' }));
    expect(filtered.map((u) => u.id)).toEqual([ids['Tom Peloso']]);
    const searched = await collect(await t.client.userApi.listUsers({ search: 'status eq "DEPROVISIONED"' }));
    expect(searched.map((u) => u.id)).toEqual([ids['Tom Peloso']]);
  });

  test('q matches a prefix of first name, last name or email, and skips DEPROVISIONED users', async () => {
    const ids = await seedPeople();
    const judy = await collect(await t.client.userApi.listUsers({ q: 'jud' }));
    expect(judy.map((u) => u.id).sort()).toEqual([ids['Eric Judy'], ids['Judy Garland']].sort());
    const tom = await collect(await t.client.userApi.listUsers({ q: 'tom' }));
    expect(tom).toEqual([]);
  });

  test('q returns one page of 10 by default and never a next link', async () => {
    for (let i = 0; i < 12; i++) await t.client.userApi.createUser({ body: { profile: { ...person('Sam Smith'), login: `sam${i}@example.com`, email: `sam${i}@example.com` } }, activate: false });
    const page = await listed('q=sam');
    expect(page.body).toHaveLength(10);
    expect(page.link).not.toContain('rel="next"');
    expect((await listed('q=sam&limit=3')).body).toHaveLength(3);
  });

  test('filter supports eq on its seven properties, lastUpdated ranges, and and/or with parentheses', async () => {
    const ids = await seedPeople();
    const byLogin = await listed(`filter=${encodeURIComponent('profile.login eq "eric.judy@example.com"')}`);
    expect(byLogin.body.map((u: any) => u.id)).toEqual([ids['Eric Judy']]);
    const since = await listed(`filter=${encodeURIComponent('lastUpdated gt "2026-01-01T00:00:03.000Z" and (status eq "SUSPENDED" or status eq "ACTIVE")')}`);
    expect(since.body.map((u: any) => u.id)).toEqual([ids['Judy Garland']]);
    const either = await listed(`filter=${encodeURIComponent('id eq "' + ids['Isaac Brock'] + '" or profile.lastName eq "Green"')}`);
    expect(either.body.map((u: any) => u.id)).toEqual([ids['Isaac Brock'], ids['Jeremiah Green']]);
  });

  test('filter values are case-sensitive', async () => {
    await seedPeople();
    expect((await listed(`filter=${encodeURIComponent('profile.firstName eq "isaac"')}`)).body).toEqual([]);
    expect((await listed(`filter=${encodeURIComponent('status eq "active"')}`)).body).toEqual([]);
  });

  test('a filter on an unsupported property or operator is E0000031 Invalid search criteria', async () => {
    for (const filter of ['profile.department eq "Sales"', 'status sw "ACT"', 'id gt "00u"', 'profile.login pr']) {
      const response = await listed(`filter=${encodeURIComponent(filter)}`);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ errorCode: 'E0000031', errorSummary: 'Invalid search criteria.', errorCauses: [] });
    }
  });

  test('a malformed filter or search is E0000031 with the cause "Invalid search syntax."', async () => {
    for (const query of ['filter=status eq', 'filter=(status eq "ACTIVE"', 'search=profile.login eq "unterminated', 'search=', 'search=status eq "ACTIVE" and']) {
      const response = await listed(query.replace(/ /g, '%20').replace(/"/g, '%22'));
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ errorCode: 'E0000031', errorCauses: [{ errorSummary: 'Invalid search syntax.' }] });
    }
  });

  test('search matches case-insensitively with eq, sw, co, pr and the inequalities', async () => {
    const ids = await seedPeople();
    const search = async (expression: string) => (await collect(await t.client.userApi.listUsers({ search: expression }))).map((u) => u.id);
    expect(await search('profile.department eq "engineering"')).toEqual([ids['Isaac Brock']]);
    expect(await search('profile.lastName sw "GAR" or profile.firstName co "remi"')).toEqual([ids['Jeremiah Green'], ids['Judy Garland']]);
    expect(await search('profile.department pr and status eq "STAGED"')).toEqual([ids['Jeremiah Green']]);
    expect(await search('created lt "2026-01-01T00:00:02.500Z"')).toEqual([ADMIN_ID, ids['Isaac Brock'], ids['Eric Judy']]);
    expect(await search('(status lt "STAGED" or status gt "STAGED") and profile.department eq "Sales"')).toEqual([ids['Eric Judy'], ids['Judy Garland'], ids['Tom Peloso']]);
  });

  test('search refuses ne, unknown top-level properties and co outside the name and email properties', async () => {
    for (const expression of ['status ne "ACTIVE"', 'foo eq "bar"', 'profile.department co "Eng"']) {
      const response = await listed(`search=${encodeURIComponent(expression)}`);
      expect(response.status).toBe(400);
      expect(response.body.errorCode).toBe('E0000031');
    }
  });

  test('search results sort by sortBy and sortOrder, and page with limit', async () => {
    await seedPeople();
    const names = async (params: Record<string, unknown>) => (await collect(await t.client.userApi.listUsers({ search: 'status pr', ...params }))).map((u) => u.profile.lastName);
    expect(await names({ sortBy: 'profile.lastName' })).toEqual(['Brock', 'Garland', 'Green', 'Judy', 'Peloso', 'Twin']);
    expect(await names({ sortBy: 'profile.lastName', sortOrder: 'desc', limit: 4 })).toEqual(['Twin', 'Peloso', 'Judy', 'Green', 'Garland', 'Brock']);
  });

  test('limit must be a positive integer and is capped at 200', async () => {
    expect((await listed('limit=abc')).body.errorCode).toBe('E0000001');
    expect((await listed('limit=0')).status).toBe(400);
    const capped = await listed('limit=500');
    expect(capped.status).toBe(200);
    expect(capped.link).toContain('limit=500>; rel="self"');
  });

  test('sortOrder other than asc or desc is E0000001', async () => {
    const response = await listed('search=status%20pr&sortBy=id&sortOrder=sideways');
    expect(response.status).toBe(400);
    expect(response.body.errorCode).toBe('E0000001');
  });
});

describeOkta('Okta users: update and replace', (t) => {
  async function createActive(name: string) {
    return t.client.userApi.createUser({ body: { profile: person(name, { nickName: 'nick', title: 'Director' }), credentials: { password: { value: 'Zq8mpvwx' } } } });
  }

  test('a login freed by a rename or a delete can be taken again; the new login is unique at once', async () => {
    const user = await createActive('Rena Meid');
    await t.client.userApi.updateUser({ userId: user.id!, user: { profile: { login: 'rena.renamed@example.com' } } });
    const taken = await sdkError(t.client.userApi.createUser({ body: { profile: person('Rena Renamed', { login: 'RENA.RENAMED@example.com' }) } }));
    expect(taken.errorCauses).toEqual([{ errorSummary: 'login: An object with this field already exists in the current organization' }]);
    const reused = await t.client.userApi.createUser({ body: { profile: person('Rena Meid') }, activate: false });
    expect(reused.profile?.login).toBe('rena.meid@example.com');
    expect((await t.client.userApi.getUser({ userId: 'rena.renamed@example.com' })).id).toBe(user.id);

    await t.client.userApi.deleteUser({ userId: reused.id! });
    await t.client.userApi.deleteUser({ userId: reused.id! });
    expect((await sdkError(t.client.userApi.getUser({ userId: 'rena.meid@example.com' }))).status).toBe(404);
    const again = await t.client.userApi.createUser({ body: { profile: person('Rena Meid') }, activate: false });
    expect(again.id).not.toBe(reused.id);
  });

  test('a partial update merges the profile and keeps every other property', async () => {
    const created = await createActive('Isaac Brock');
    t.twin.clock.advance(5_000);
    const updated = await t.client.userApi.updateUser({ userId: created.id!, user: { profile: { firstName: 'Isaac', mobilePhone: '555-415-1337' } } });
    expect(updated.profile?.mobilePhone).toBe('555-415-1337');
    expect(updated.profile?.nickName).toBe('nick');
    expect(updated.profile?.login).toBe('isaac.brock@example.com');
    expect(updated.lastUpdated).toEqual(new Date('2026-01-01T00:00:05.000Z'));
    expect(updated.created).toEqual(new Date('2026-01-01T00:00:00.000Z'));
  });

  test('a partial update can set a password and a recovery question without touching the profile', async () => {
    const created = await t.client.userApi.createUser({ body: { profile: person('No Password') }, activate: false });
    t.twin.clock.advance(1_000);
    const response = await sendJson(t, `/api/v1/users/${created.id}`, { credentials: { password: { value: 'Uvw9xyzab' }, recovery_question: { question: 'Forty?', answer: 'two' } } });
    const user = await json(response);
    expect(user.credentials).toEqual({ password: {}, recovery_question: { question: 'Forty?' }, provider: { type: 'OKTA', name: 'OKTA' } });
    expect(user.passwordChanged).toBe('2026-01-01T00:00:01.000Z');
    expect(user.status).toBe('STAGED');
    expect(t.twin.state.users[created.id!].password).toBe('Uvw9xyzab');
  });

  test('a replace drops the profile properties left out', async () => {
    const created = await createActive('Eric Judy');
    const replaced = await t.client.userApi.replaceUser({ userId: created.id!, user: { profile: person('Eric Judy', { city: 'Portland' }) } });
    expect(replaced.profile?.city).toBe('Portland');
    const raw = await json(await t.fetch(`/api/v1/users/${created.id}`));
    expect(raw.profile).toEqual({ ...person('Eric Judy', { city: 'Portland' }), mobilePhone: null, secondEmail: null });
    expect(raw.credentials.password).toEqual({});
  });

  test('a replace without the required properties is refused and changes nothing', async () => {
    const created = await createActive('Keep Me');
    const response = await sendJson(t, `/api/v1/users/${created.id}`, { profile: { firstName: 'Only' } }, 'PUT');
    expect(response.status).toBe(400);
    expect((await json(response)).errorCauses[0].errorSummary).toBe('login: The field cannot be left blank');
    expect(t.twin.state.users[created.id!].profile.lastName).toBe('Me');
  });

  test('changing the login to one another user holds is E0000001', async () => {
    await createActive('First User');
    const second = await createActive('Second User');
    const failure = await sdkError(t.client.userApi.updateUser({ userId: second.id!, user: { profile: { login: 'First.User@example.com' } } }));
    expect(failure.status).toBe(400);
    expect(failure.errorCauses).toEqual([{ errorSummary: 'login: An object with this field already exists in the current organization' }]);
  });

  test('a user may keep its own login when updating', async () => {
    const user = await createActive('Same Login');
    const updated = await t.client.userApi.updateUser({ userId: user.id!, user: { profile: { login: 'SAME.LOGIN@example.com' } } });
    expect(updated.profile?.login).toBe('SAME.LOGIN@example.com');
  });

  test('a weak new password is refused and the old one stays', async () => {
    const user = await createActive('Weak Pass');
    const failure = await sdkError(t.client.userApi.updateUser({ userId: user.id!, user: { credentials: { password: { value: 'weak' } } } }));
    expect(failure.errorSummary).toBe('Api validation failed: password');
    expect(t.twin.state.users[user.id!].password).toBe('Zq8mpvwx');
  });

  test('a DEPROVISIONED user cannot be edited: 403 E0000038', async () => {
    const user = await createActive('Gone Soon');
    await t.client.userApi.deactivateUser({ userId: user.id! });
    for (const method of ['POST', 'PUT']) {
      const response = await sendJson(t, `/api/v1/users/${user.id}`, { profile: person('Gone Soon') }, method);
      expect(response.status).toBe(403);
      expect(await json(response)).toMatchObject({ errorCode: 'E0000038', errorSummary: "This operation is not allowed in the user's current status." });
    }
  });

  test('a partial update cannot change the user type', async () => {
    const user = await createActive('Type Fixed');
    const response = await sendJson(t, `/api/v1/users/${user.id}`, { type: { id: 'otyothertype00000001' } });
    expect(response.status).toBe(400);
    expect((await json(response)).errorCode).toBe('E0000001');
  });

  test('update and replace refuse bad JSON, a missing body and unknown users', async () => {
    const user = await createActive('Bad Input');
    for (const method of ['POST', 'PUT']) {
      const badJson = await t.fetch(`/api/v1/users/${user.id}`, { method, headers: { 'content-type': 'application/json' }, body: '{' });
      expect((await json(badJson)).errorCode).toBe('E0000003');
      const empty = await t.fetch(`/api/v1/users/${user.id}`, { method, headers: { 'content-type': 'application/json' } });
      expect(empty.status).toBe(400);
      expect((await json(empty)).errorCode).toBe('E0000001');
      const unknown = await sendJson(t, '/api/v1/users/00unosuchuser0000001', { profile: {} }, method);
      expect(unknown.status).toBe(404);
      const wrongType = await sendJson(t, `/api/v1/users/${user.id}`, { profile: { firstName: 42 } }, method);
      expect((await json(wrongType)).errorCode).toBe('E0000001');
    }
  });

  test('`me` can update the caller\'s own profile', async () => {
    const updated = await t.client.userApi.updateUser({ userId: 'me', user: { profile: { nickName: 'root' } } });
    expect(updated.id).toBe(ADMIN_ID);
    expect(t.twin.state.users[ADMIN_ID].profile.nickName).toBe('root');
  });
});

describeOkta('Okta users: groups of a user', (t) => {
  test('listUserGroups lists the groups holding the user, Everyone first, in Okta\'s group shape', async () => {
    addGroup(t, '00gsales000000000001', 'Sales');
    t.twin.state.groupMembers['00gsales000000000001'].push(ADMIN_ID);
    const response = await t.fetch(`/api/v1/users/${ADMIN_ID}/groups`);
    const groups = await json(response);
    expect(groups.map((g: any) => g.id)).toEqual([EVERYONE_ID, '00gsales000000000001']);
    expect(groups[0]).toMatchObject({ type: 'BUILT_IN', objectClass: ['okta:user_group'], profile: { name: 'Everyone' } });
    expect(groups[0]._links.apps.href).toBe(`${t.baseUrl}/api/v1/groups/${EVERYONE_ID}/apps`);
  });

  test('the groups of an unknown user are a 404', async () => {
    const failure = await sdkError(t.client.userApi.listUserGroups({ userId: '00unosuchuser0000001' }).then((c) => c.next()));
    expect(failure.status).toBe(404);
  });
});
