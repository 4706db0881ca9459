/**
 * Users API: creating users (the creation scenarios, groupIds, credentials, validation) and reading them (by id, login,
 * shortname and `me`; the groups of a user; the wire format of a user), through the official SDK and raw requests. Sources:
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml (tag Users "User creation scenarios")
 *  - [sdk] node_modules/@okta/okta-sdk-nodejs README.md and src/
 *  - [errors] developer.okta.com/docs/reference/error-codes (E0000007 404, E0000011 401)
 * Blocks declared with `describeDefault` run against a DEFAULT twin (`createOktaTwin()`: system clock, not strict) and
 * the official SDK with its DEFAULT options (response cache on), over both the HTTP server and MSW.
 */
import { expect, test } from 'vitest';
import { collect, describeDefault, describeOkta, person, sdkError, sendJson, TEST_CLOCK, stateOf, changeState, type OktaTarget } from '../../support/okta.js';

const ADMIN_ID = '00uadmintwin00000001';
const EVERYONE_ID = '00geveryonetwin00001';

async function json(response: Response): Promise<any> {
  return response.json();
}

function addGroup(t: OktaTarget, id: string, name: string) {
  const at = '2026-01-01T00:00:00.000Z';
  return changeState(t, (state) => {
    state.groups[id] = { id, created: at, lastUpdated: at, lastMembershipUpdated: at, objectClass: ['okta:user_group'], type: 'OKTA_GROUP', profile: { name, description: null } };
    state.groupMembers[id] = [];
  });
}

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const PASSWORD = 'Tr0ub4dor-Horse9';

const STRONG_PASSWORD = 'Str0ng-Passw0rd!x';

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
    expect(user.activated).toBeNull();
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
    await addGroup(t, '00gengineering000001', 'Engineering');
    await t.control.advanceClock(60_000);
    const user = await t.client.userApi.createUser({ body: { profile: person('Group Member'), groupIds: ['00gengineering000001'] }, activate: false });
    expect((await stateOf(t)).groupMembers[EVERYONE_ID]).toContain(user.id);
    expect((await stateOf(t)).groupMembers['00gengineering000001']).toEqual([user.id]);
    expect((await stateOf(t)).groups['00gengineering000001'].lastMembershipUpdated).toBe('2026-01-01T00:01:00.000Z');
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
    expect(Object.values((await stateOf(t)).users).map((u) => u.profile.login)).not.toContain('lost.group@example.com');
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

describeOkta('Okta users: groups of a user', (t) => {
  test('listUserGroups lists the groups holding the user, Everyone first, in Okta\'s group shape', async () => {
    await addGroup(t, '00gsales000000000001', 'Sales');
    await changeState(t, (state) => {
      state.groupMembers['00gsales000000000001'].push(ADMIN_ID);
    });
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

describeOkta('Story: onboarding a new engineer', (t) => {
  test('HR creates the Engineering group, then a user with a password in it (groupIds); the user is ACTIVE and found everywhere', async () => {
    // README "Create a Group" / "Create a User"; spec createUser example "Create user in group" (groupIds).
    const group = await t.client.groupApi.createGroup({ group: { profile: { name: 'Engineering', description: 'People who ship code' } } });
    expect(group.id).toMatch(/^00g[0-9A-Za-z]{17}$/);
    expect(group.type).toBe('OKTA_GROUP');

    const user = await t.client.userApi.createUser({
      body: {
        profile: person('Grace Hopper', { department: 'Engineering', title: 'Rear Admiral', nickName: 'Amazing Grace' }),
        credentials: { password: { value: PASSWORD } },
        groupIds: [group.id!],
      },
    });
    // activate defaults to true; with a password the user is ACTIVE [spec createUser "User creation scenarios"].
    expect(user.id).toMatch(/^00u[0-9A-Za-z]{17}$/);
    expect(user.status).toBe('ACTIVE');
    expect(user.profile).toMatchObject({ login: 'grace.hopper@example.com', department: 'Engineering', title: 'Rear Admiral', nickName: 'Amazing Grace' });
    expect(user.credentials?.password).toEqual({});
    expect(user.credentials?.provider).toMatchObject({ type: 'OKTA', name: 'OKTA' });
    expect(user.passwordChanged?.toISOString()).toBe(TEST_CLOCK);

    const members = await collect(await t.client.groupApi.listGroupUsers({ groupId: group.id! }));
    expect(members.map((m) => m.id)).toEqual([user.id]);

    const groups = await collect(await t.client.userApi.listUserGroups({ userId: user.id! }));
    expect(groups.map((g) => g.profile?.name).sort()).toEqual(['Engineering', 'Everyone']);

    // Search takes any profile property, values are case-insensitive [spec listUsers `search`].
    const engineers = await collect(await t.client.userApi.listUsers({ search: 'profile.department eq "Engineering"' }));
    expect(engineers.map((u) => u.id)).toEqual([user.id]);
    const lowerCase = await collect(await t.client.userApi.listUsers({ search: 'profile.department eq "engineering"' }));
    expect(lowerCase.map((u) => u.id)).toEqual([user.id]);

    const everyone = await collect(await t.client.userApi.listUsers());
    expect(everyone.map((u) => u.id)).toEqual(expect.arrayContaining([ADMIN_ID, user.id]));

    // README "Get a User": by id or by login.
    const byLogin = await t.client.userApi.getUser({ userId: 'grace.hopper@example.com' });
    expect(byLogin.id).toBe(user.id);
  });

  test('README "Create a User" verbatim: Foo Bar with password PasswordAbc123 is created ACTIVE and can be fetched by login', async () => {
    const newUser = {
      profile: { firstName: 'Foo', lastName: 'Bar', email: 'foo@example.com', login: 'foo@example.com' },
      credentials: { password: { value: 'PasswordAbc123' } },
    };
    const user = await t.client.userApi.createUser({ body: newUser });
    expect(user.status).toBe('ACTIVE');
    expect((await t.client.userApi.getUser({ userId: 'foo@example.com' })).id).toBe(user.id);
  });

  test('a user created without credentials and activate=false is STAGED; activating with sendEmail=false hands back an activation token', async () => {
    const user = await t.client.userApi.createUser({ body: { profile: person('Alan Turing') }, activate: false });
    expect(user.status).toBe('STAGED');
    expect(user.activated).toBeNull();
    const token = await t.client.userApi.activateUser({ userId: user.id!, sendEmail: false });
    expect(token.activationToken).toEqual(expect.any(String));
    expect(token.activationUrl).toContain(token.activationToken);
    const after = await t.client.userApi.getUser({ userId: user.id! });
    expect(after.status).toBe('PROVISIONED');
  });

  test('excluding a status with `lt ... or ... gt` (Okta has no `ne` for search) lists everyone but the STAGED users', async () => {
    // [spec listUsers `search`]: "to see all users except those that have a status of STAGED, use (status lt "STAGED" or status gt "STAGED")".
    const staged = await t.client.userApi.createUser({ body: { profile: person('Staged Person') }, activate: false });
    const active = await t.client.userApi.createUser({ body: { profile: person('Active Person'), credentials: { password: { value: PASSWORD } } } });
    const found = await collect(await t.client.userApi.listUsers({ search: '(status lt "STAGED" or status gt "STAGED")' }));
    expect(found.map((u) => u.id)).toEqual(expect.arrayContaining([ADMIN_ID, active.id]));
    expect(found.map((u) => u.id)).not.toContain(staged.id);
  });
});

describeOkta('Story: wire format of a user', (t) => {
  test('create is 200 with application/json; ids are 20 characters with the 00u prefix; timestamps are ISO-8601 with ms and Z', async () => {
    const res = await t.fetch('/api/v1/users?activate=true', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ profile: person('Wire Format'), credentials: { password: { value: PASSWORD } } }),
    });
    // [spec createUser]: 200 (not 201). Okta sends `Content-Type: application/json` without a charset (Okta API release notes
    // 2017.40, example response headers; okta-developer-docs).
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const user = await res.json();
    expect(user.id).toMatch(/^00u[0-9A-Za-z]{17}$/);
    for (const field of ['created', 'activated', 'statusChanged', 'lastUpdated', 'passwordChanged']) expect(user[field]).toMatch(ISO_MS);
    expect(user.lastLogin).toBeNull();
    expect(user.type).toEqual({ id: expect.stringMatching(/^oty/) });
    expect(user._links.self).toEqual({ href: `${t.baseUrl}/api/v1/users/${user.id}` });
    // A single ACTIVE user carries the lifecycle operations its status allows [spec tag User "Links object"].
    expect(user._links.deactivate.href).toBe(`${t.baseUrl}/api/v1/users/${user.id}/lifecycle/deactivate`);
    expect(user._links.suspend.href).toBe(`${t.baseUrl}/api/v1/users/${user.id}/lifecycle/suspend`);
    expect(user._links.activate).toBeUndefined();

    const got = await t.fetch(`/api/v1/users/${user.id}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/json');
    const listed = await t.fetch('/api/v1/users');
    expect(listed.headers.get('content-type')).toBe('application/json');
    const missing = await t.fetch('/api/v1/users/00unosuchuser0000001');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/json');
  });

  test('the users that own the API token are `me`', async () => {
    const me = await t.client.userApi.getUser({ userId: 'me' });
    expect(me.id).toBe(ADMIN_ID);
    expect(me.status).toBe('ACTIVE');
  });
});

describeDefault('Create scenarios ([spec] "User creation scenarios")', (e) => {
  test('password + activate (default) → ACTIVE; password + activate=false → STAGED; none + activate=false → STAGED; none + activate=true → PROVISIONED', async () => {
    const a = await e.client.userApi.createUser({ body: { profile: person('Pat Password'), credentials: { password: { value: STRONG_PASSWORD } } } });
    expect(a.status).toBe('ACTIVE');
    expect(a.activated).toBeInstanceOf(Date);
    const b = await e.client.userApi.createUser({ body: { profile: person('Sal Staged'), credentials: { password: { value: STRONG_PASSWORD } } }, activate: false });
    expect(b.status).toBe('STAGED');
    const c = await e.client.userApi.createUser({ body: { profile: person('Nick Nocreds') }, activate: false });
    expect(c.status).toBe('STAGED');
    expect(c.activated).toBeNull();
    const d = await e.client.userApi.createUser({ body: { profile: person('Pam Provisioned') }, activate: true });
    expect(d.status).toBe('PROVISIONED');
    // and each reads back the same way
    for (const [u, s] of [[a, 'ACTIVE'], [b, 'STAGED'], [c, 'STAGED'], [d, 'PROVISIONED']] as const) {
      expect((await e.client.userApi.getUser({ userId: u.id! })).status).toBe(s);
    }
  });

  test('activating a STAGED user: without a password → PROVISIONED (activation token when sendEmail=false); with a password → ACTIVE', async () => {
    const noPw = await e.client.userApi.createUser({ body: { profile: person('Ann Activate') }, activate: false });
    const token = await e.client.userApi.activateUser({ userId: noPw.id!, sendEmail: false });
    expect(token.activationToken).toEqual(expect.any(String));
    expect(token.activationUrl).toEqual(expect.stringContaining(token.activationToken!));
    expect((await e.client.userApi.getUser({ userId: noPw.id! })).status).toBe('PROVISIONED');

    const withPw = await e.client.userApi.createUser({ body: { profile: person('Will Password'), credentials: { password: { value: STRONG_PASSWORD } } }, activate: false });
    await e.client.userApi.activateUser({ userId: withPw.id!, sendEmail: true });
    const after = await e.client.userApi.getUser({ userId: withPw.id! });
    expect(after.status).toBe('ACTIVE');
    expect(after.activated).toBeInstanceOf(Date);
  });

  test('a duplicate login is 400 E0000001 with the login cause, also when an update renames a user to a taken login', async () => {
    const first = await e.client.userApi.createUser({ body: { profile: person('Dup Licate') }, activate: false });
    const dup = await sdkError(e.client.userApi.createUser({ body: { profile: person('Dup Licate') }, activate: false }));
    expect(dup).toMatchObject({ status: 400, errorCode: 'E0000001', errorLink: 'E0000001' });
    expect(dup.errorSummary).toMatch(/^Api validation failed: login/);
    expect(dup.causes).toEqual(['login: An object with this field already exists in the current organization']);
    const other = await e.client.userApi.createUser({ body: { profile: person('Oth Er') }, activate: false });
    const renamed = await sdkError(e.client.userApi.updateUser({ userId: other.id!, user: { profile: { login: 'dup.licate@example.com' } } }));
    expect(renamed).toMatchObject({ status: 400, errorCode: 'E0000001' });
    expect(renamed.causes).toEqual(['login: An object with this field already exists in the current organization']);
    // The admin's login is taken too.
    const admin = await sdkError(e.client.userApi.createUser({ body: { profile: { firstName: 'A', lastName: 'B', email: 'admin@twin.test', login: 'admin@twin.test' } } }));
    expect(admin).toMatchObject({ status: 400, errorCode: 'E0000001' });
    expect((await e.client.userApi.getUser({ userId: first.id! })).profile?.login).toBe('dup.licate@example.com');
  });

  test('a missing user is 404 E0000007 "Not found: Resource not found: {id} (User)"', async () => {
    const err = await sdkError(e.client.userApi.getUser({ userId: '00unosuchuser0000000' }));
    expect(err).toMatchObject({ status: 404, errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: 00unosuchuser0000000 (User)', errorLink: 'E0000007', errorCauses: [] });
  });
});

describeDefault('Validation errors on create (E0000001 with errorCauses) and malformed bodies', (e) => {
  test('a password that misses the default policy is 400 E0000001 with a password cause; nothing is created', async () => {
    for (const value of ['short1A', 'alllowercase1', 'NoDigitsHere', 'xPerson1234x']) {
      const login = value === 'xPerson1234x' ? 'policy.person@example.com' : `p${value.length}@example.com`;
      const err = await sdkError(e.client.userApi.createUser({ body: { profile: { firstName: 'Pol', lastName: 'Icy', email: login, login }, credentials: { password: { value } } } }));
      expect({ value, status: err.status, code: err.errorCode }).toEqual({ value, status: 400, code: 'E0000001' });
      expect(err.causes.some((c) => c.startsWith('password: Password requirements were not met'))).toBe(true);
    }
    expect((await collect(await e.client.userApi.listUsers())).map((u) => u.id)).toEqual([ADMIN_ID]);
  });

  test('a profile without email, or with a malformed email, is 400 E0000001 naming email', async () => {
    const missing = await sdkError(e.client.userApi.createUser({ body: { profile: { firstName: 'No', lastName: 'Mail', login: 'no.mail@example.com' } as any }, activate: false }));
    expect(missing).toMatchObject({ status: 400, errorCode: 'E0000001' });
    expect(missing.causes.some((c) => c.startsWith('email:'))).toBe(true);
    const bad = await sdkError(e.client.userApi.createUser({ body: { profile: { firstName: 'Bad', lastName: 'Mail', email: 'not-an-email', login: 'bad.mail@example.com' } }, activate: false }));
    expect(bad).toMatchObject({ status: 400, errorCode: 'E0000001' });
    expect(bad.causes.some((c) => c.startsWith('email:'))).toBe(true);
  });

  test('a body that is not JSON is 400 E0000003', async () => {
    const res = await e.fetch('/api/v1/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"profile": ' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errorCode: 'E0000003', errorLink: 'E0000003', errorCauses: [] });
  });

  test('activateUser without sendEmail (default true) answers {} and the user is PROVISIONED; reset_password with sendEmail=true answers {}', async () => {
    const u = await e.client.userApi.createUser({ body: { profile: person('Def Ault') }, activate: false });
    const res = await e.fetch(`/api/v1/users/${u.id}/lifecycle/activate`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect((await e.client.userApi.getUser({ userId: u.id! })).status).toBe('PROVISIONED');
    const a = await e.client.userApi.createUser({ body: { profile: person('Res Et'), credentials: { password: { value: STRONG_PASSWORD } } } });
    const reset = await e.fetch(`/api/v1/users/${a.id}/lifecycle/reset_password?sendEmail=true`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(await reset.json()).toEqual({});
    expect((await e.client.userApi.getUser({ userId: a.id! })).status).toBe('RECOVERY');
  });

  test('a fresh org\'s list is one page: a self link and no next link', async () => {
    const res = await e.fetch('/api/v1/users');
    expect(res.status).toBe(200);
    expect((await res.json()).map((u: any) => u.id)).toEqual([ADMIN_ID]);
    const link = res.headers.get('link') ?? '';
    expect(link).toMatch(/rel="self"/);
    expect(link).not.toMatch(/rel="next"/);
  });
});
