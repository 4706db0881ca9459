/**
 * Users API: partial updates (POST) and full replacements (PUT) of a user, through the SDK (README "Update a User") and
 * raw requests. Sources:
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml
 *  - [sdk] node_modules/@okta/okta-sdk-nodejs README.md and src/
 * Blocks declared with `describeDefault` run against a DEFAULT twin (`createOktaTwin()`: system clock, not strict) and
 * the official SDK with its DEFAULT options (response cache on), over both the HTTP server and MSW.
 */
import { expect, test } from 'vitest';
import { collect, describeDefault, describeOkta, person, sdkError, sendJson, TEST_CLOCK, stateOf } from '../../support/okta.js';

const ADMIN_ID = '00uadmintwin00000001';

async function json(response: Response): Promise<any> {
  return response.json();
}

const PASSWORD = 'Tr0ub4dor-Horse9';

const STRONG_PASSWORD = 'Str0ng-Passw0rd!x';

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
    await t.control.advanceClock(5_000);
    const updated = await t.client.userApi.updateUser({ userId: created.id!, user: { profile: { firstName: 'Isaac', mobilePhone: '555-415-1337' } } });
    expect(updated.profile?.mobilePhone).toBe('555-415-1337');
    expect(updated.profile?.nickName).toBe('nick');
    expect(updated.profile?.login).toBe('isaac.brock@example.com');
    expect(updated.lastUpdated).toEqual(new Date('2026-01-01T00:00:05.000Z'));
    expect(updated.created).toEqual(new Date('2026-01-01T00:00:00.000Z'));
  });

  test('a partial update can set a password and a recovery question without touching the profile', async () => {
    const created = await t.client.userApi.createUser({ body: { profile: person('No Password') }, activate: false });
    await t.control.advanceClock(1_000);
    const response = await sendJson(t, `/api/v1/users/${created.id}`, { credentials: { password: { value: 'Uvw9xyzab' }, recovery_question: { question: 'Forty?', answer: 'two' } } });
    const user = await json(response);
    expect(user.credentials).toEqual({ password: {}, recovery_question: { question: 'Forty?' }, provider: { type: 'OKTA', name: 'OKTA' } });
    expect(user.passwordChanged).toBe('2026-01-01T00:00:01.000Z');
    expect(user.status).toBe('STAGED');
    expect((await stateOf(t)).users[created.id!].password).toBe('Uvw9xyzab');
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
    expect((await stateOf(t)).users[created.id!].profile.lastName).toBe('Me');
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
    expect((await stateOf(t)).users[user.id!].password).toBe('Zq8mpvwx');
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
    expect((await stateOf(t)).users[ADMIN_ID].profile.nickName).toBe('root');
  });
});

describeOkta('Story: keeping profiles up to date', (t) => {
  test('README "Update a User": change one property of the fetched user and send it back; the rest is kept', async () => {
    const created = await t.client.userApi.createUser({
      body: { profile: person('Ada Lovelace', { department: 'Analytics', mobilePhone: '555-415-1337' }), credentials: { password: { value: PASSWORD } } },
    });
    await t.control.advanceClock(5_000);
    const user = await t.client.userApi.getUser({ userId: created.id! });
    user.profile!.nickName = 'Enchantress of Numbers';
    const updated = await t.client.userApi.updateUser({ userId: user.id!, user });
    expect(updated.profile).toMatchObject({ nickName: 'Enchantress of Numbers', department: 'Analytics', mobilePhone: '555-415-1337', login: 'ada.lovelace@example.com' });
    expect(updated.status).toBe('ACTIVE');
    expect(updated.lastUpdated?.toISOString()).toBe('2026-01-01T00:00:05.000Z');
    expect(updated.passwordChanged?.toISOString()).toBe(TEST_CLOCK);
  });

  test('a partial update (POST) with only one profile property keeps every other property', async () => {
    // [spec updateUser]: "Updates a user's profile or credentials with partial update semantics."
    const created = await t.client.userApi.createUser({ body: { profile: person('Ada Lovelace', { department: 'Analytics', title: 'Countess' }) }, activate: false });
    const updated = await t.client.userApi.updateUser({ userId: created.id!, user: { profile: { title: 'Programmer' } } });
    expect(updated.profile).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', login: 'ada.lovelace@example.com', department: 'Analytics', title: 'Programmer' });
  });

  test('a replace (PUT) drops the profile properties it leaves out', async () => {
    // [spec replaceUser]: "Any property not specified in the request is deleted." / updateUser: "Unspecified properties are set to null with PUT."
    const created = await t.client.userApi.createUser({ body: { profile: person('Ada Lovelace', { department: 'Analytics', nickName: 'Ada' }) }, activate: false });
    const replaced = await t.client.userApi.replaceUser({ userId: created.id!, user: { profile: person('Ada King') } });
    expect(replaced.profile).toMatchObject({ firstName: 'Ada', lastName: 'King', login: 'ada.king@example.com' });
    expect(replaced.profile?.department ?? null).toBeNull();
    expect(replaced.profile?.nickName ?? null).toBeNull();
    const reread = await t.client.userApi.getUser({ userId: created.id! });
    expect(reread.profile?.department ?? null).toBeNull();
  });

  test('base-schema properties are accepted, but a custom property missing from the profile schema is refused (400 E0000001)', async () => {
    // [spec components.schemas.UserProfile]: "You can extend user profiles with custom properties. You must first add the custom
    // property to the user profile schema before you reference it." Real orgs answer e.g. "Property name 'x' is not defined in profile"
    // (github.com/stormpath/stormpath-sdk-java/issues/1335, an Okta org refusing an undefined attribute).
    const base = await t.client.userApi.createUser({
      body: { profile: person('Base Schema', { city: 'Portland', costCenter: 'CC-1', division: 'R&D', employeeNumber: '42', organization: 'Acme', preferredLanguage: 'en', timezone: 'America/Los_Angeles', userType: 'Employee' }) },
      activate: false,
    });
    expect(base.profile).toMatchObject({ city: 'Portland', employeeNumber: '42', timezone: 'America/Los_Angeles' });

    const failure = await sdkError(t.client.userApi.createUser({ body: { profile: person('Custom Attr', { favoriteColor: 'teal' }) }, activate: false }));
    expect(failure.status).toBe(400);
    expect(failure.errorCode).toBe('E0000001');
    expect(JSON.stringify(failure.errorCauses)).toContain('favoriteColor');
    const search = await collect(await t.client.userApi.listUsers({ filter: 'profile.login eq "custom.attr@example.com"' }));
    expect(search).toEqual([]);

    const update = await sdkError(t.client.userApi.updateUser({ userId: base.id!, user: { profile: { favoriteColor: 'teal' } } }));
    expect(update.status).toBe(400);
    expect(update.errorCode).toBe('E0000001');
  });
});

describeDefault('Update: partial (POST) and full replace (PUT) through the SDK', (e) => {
  test('updateUser keeps what it does not name; replaceUser drops it; both show on the next (cached) getUser', async () => {
    const u = await e.client.userApi.createUser({ body: { profile: person('Up Date', { nickName: 'Upsy', title: 'Boss' }), credentials: { password: { value: STRONG_PASSWORD } } } });
    await e.client.userApi.getUser({ userId: u.id! }); // cache it
    await e.client.userApi.updateUser({ userId: u.id!, user: { profile: { title: 'Chief' } } });
    const partial = await e.client.userApi.getUser({ userId: u.id! });
    expect(partial.profile).toMatchObject({ firstName: 'Up', lastName: 'Date', nickName: 'Upsy', title: 'Chief' });
    await e.client.userApi.replaceUser({ userId: u.id!, user: { profile: { firstName: 'Up', lastName: 'Dated', email: 'up.date@example.com', login: 'up.date@example.com' } } });
    const full = await e.client.userApi.getUser({ userId: u.id! });
    expect(full.profile?.lastName).toBe('Dated');
    expect(full.profile?.nickName ?? null).toBeNull();
    expect(full.profile?.title ?? null).toBeNull();
    expect(full.status).toBe('ACTIVE');
    expect(full.lastUpdated!.getTime()).toBeGreaterThanOrEqual(u.lastUpdated!.getTime());
  });

  test('a PUT that leaves out a required property (email) is 400 E0000001 and changes nothing', async () => {
    const u = await e.client.userApi.createUser({ body: { profile: person('Req Uired') }, activate: false });
    const err = await sdkError(e.client.userApi.replaceUser({ userId: u.id!, user: { profile: { firstName: 'Req', lastName: 'Uired', login: 'req.uired@example.com' } as any } }));
    expect(err).toMatchObject({ status: 400, errorCode: 'E0000001' });
    expect(err.causes.some((c) => c.startsWith('email'))).toBe(true);
    const raw = await (await e.fetch(`/api/v1/users/${u.id}`)).json();
    expect(raw.profile.email).toBe('req.uired@example.com');
  });

  test('updateUser of the seeded admin (users/me) changes its profile; reset brings Admin Twin back', async () => {
    await e.client.userApi.updateUser({ userId: ADMIN_ID, user: { profile: { nickName: 'boss' } } });
    expect((await (await e.fetch('/api/v1/users/me')).json()).profile.nickName).toBe('boss');
    await e.control.reset();
    const me = await (await e.fetch('/api/v1/users/me')).json();
    expect(me.profile).toMatchObject({ firstName: 'Admin', lastName: 'Twin' });
    expect(me.profile.nickName ?? null).toBeNull();
  });
});
