/**
 * Users API: the lifecycle operations and delete, every valid transition and Okta's errors for the invalid ones. Sources:
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml (the
 *    /api/v1/users/{id}/lifecycle/* descriptions, deleteUser)
 *  - [design] developer.okta.com/docs/reference/core-okta-api/ (okta-developer-docs .../reference/core-okta-api/index.md)
 *  - [sdk] node_modules/@okta/okta-sdk-nodejs README.md and src/
 *  - [docs] Okta's API reference (error table: suspend/unsuspend wrong status 400 E0000001; reactivate
 *    403 E0000038; E0000016 403 for activate on an ACTIVE user, seen in okta-sdk-ruby's recorded cassette
 *    users/invalid_activate_user and okta-sdk-python's fixtures)
 *  - [errors] developer.okta.com/docs/reference/error-codes (E0000007 404, E0000016 403, E0000038 403)
 * Blocks declared with `describeDefault` run against a DEFAULT twin (`createOktaTwin()`: system clock, not strict) and
 * the official SDK with its DEFAULT options (response cache on), over both the HTTP server and MSW.
 */
import { expect, test } from 'vitest';
import { collect, describeDefault, describeOkta, person, sdkError, stateOf, changeState, type OktaTarget } from '../../support/okta.js';

const PASSWORD = 'Zq8mpvwx';

async function createUser(t: OktaTarget, name: string, options: { password?: boolean; activate?: boolean } = {}) {
  const body = { profile: person(name), ...(options.password === false ? {} : { credentials: { password: { value: PASSWORD } } }) };
  const user = await t.client.userApi.createUser({ body, activate: options.activate ?? true });
  return user.id!;
}

const statusOf = async (t: OktaTarget, id: string) => (await stateOf(t)).users[id]?.status;

const TROUBADOR_PASSWORD = 'Tr0ub4dor-Horse9';

const ADMIN_ID = '00uadmintwin00000001';
const EVERYONE_ID = '00geveryonetwin00001';
const STRONG_PASSWORD = 'Str0ng-Passw0rd!x';

const ids = <T extends { id?: string }>(items: T[]) => items.map((i) => i.id);

describeOkta('Okta user lifecycle', (t) => {
  test('a STAGED user without a password activates to PROVISIONED and, with sendEmail=false, gets an activation token', async () => {
    const id = await createUser(t, 'Staged Person', { password: false, activate: false });
    await t.control.advanceClock(60_000);
    const token = await t.client.userApi.activateUser({ userId: id, sendEmail: false });
    expect(token.activationToken).toMatch(/^[0-9A-Za-z]{20}$/);
    expect(token.activationUrl).toBe(`${t.baseUrl}/tokens/${token.activationToken}/verify`);
    const user = await t.client.userApi.getUser({ userId: id });
    expect(user.status).toBe('PROVISIONED');
    expect(user.activated).toBeNull();
    expect(user.statusChanged).toEqual(new Date('2026-01-01T00:01:00.000Z'));
    expect(user.lastUpdated).toEqual(new Date('2026-01-01T00:01:00.000Z'));
    expect(user._links?.reactivate?.href).toBe(`${t.baseUrl}/api/v1/users/${id}/lifecycle/reactivate`);
  });

  test('a STAGED user with a password activates to ACTIVE; the default sendEmail=true answers {}', async () => {
    const id = await createUser(t, 'Has Password', { activate: false });
    const response = await t.fetch(`/api/v1/users/${id}/lifecycle/activate`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect(await statusOf(t, id)).toBe('ACTIVE');
  });

  test('activating an ACTIVE user is 403 E0000016', async () => {
    const id = await createUser(t, 'Already Active');
    const failure = await sdkError(t.client.userApi.activateUser({ userId: id }));
    expect(failure).toMatchObject({ status: 403, errorCode: 'E0000016', errorSummary: 'Activation failed because the user is already active' });
  });

  test('suspend and unsuspend move an ACTIVE user to SUSPENDED and back', async () => {
    const id = await createUser(t, 'Sus Pend');
    await t.control.advanceClock(1_000);
    await t.client.userApi.suspendUser({ userId: id });
    const suspended = await t.client.userApi.getUser({ userId: id });
    expect(suspended.status).toBe('SUSPENDED');
    expect(suspended.statusChanged).toEqual(new Date('2026-01-01T00:00:01.000Z'));
    const links = (await (await t.fetch(`/api/v1/users/${id}`)).json())._links;
    expect(Object.keys(links)).toEqual(['self', 'schema', 'type', 'unsuspend', 'deactivate']);
    expect(links.unsuspend).toEqual({ href: `${t.baseUrl}/api/v1/users/${id}/lifecycle/unsuspend`, method: 'POST' });
    await t.client.userApi.unsuspendUser({ userId: id });
    expect(await statusOf(t, id)).toBe('ACTIVE');
  });

  test('suspending a user that is not ACTIVE, or unsuspending one that is not SUSPENDED, is 400 E0000001', async () => {
    const id = await createUser(t, 'Not Active', { activate: false });
    const suspend = await sdkError(t.client.userApi.suspendUser({ userId: id }));
    expect(suspend).toMatchObject({ status: 400, errorCode: 'E0000001', errorCauses: [{ errorSummary: 'Cannot suspend a user that is not active' }] });
    const unsuspend = await sdkError(t.client.userApi.unsuspendUser({ userId: id }));
    expect(unsuspend).toMatchObject({ status: 400, errorCode: 'E0000001', errorCauses: [{ errorSummary: 'Cannot unsuspend a user that is not suspended' }] });
    expect(await statusOf(t, id)).toBe('STAGED');
  });

  test('lifecycle operations answer 200 with an empty object', async () => {
    const id = await createUser(t, 'Empty Body');
    for (const operation of ['suspend', 'unsuspend', 'unlock', 'deactivate']) {
      const response = await t.fetch(`/api/v1/users/${id}/lifecycle/${operation}`, { method: 'POST' });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({});
    }
  });

  test('deactivate makes any user DEPROVISIONED, and a second deactivate is a 404', async () => {
    const id = await createUser(t, 'Dea Ctivate');
    await t.control.advanceClock(2_000);
    await t.client.userApi.deactivateUser({ userId: id });
    const user = await t.client.userApi.getUser({ userId: id });
    expect(user.status).toBe('DEPROVISIONED');
    expect(user.statusChanged).toEqual(new Date('2026-01-01T00:00:02.000Z'));
    expect(user.activated).toEqual(new Date('2026-01-01T00:00:00.000Z'));
    const links = (await (await t.fetch(`/api/v1/users/${id}`)).json())._links;
    expect(Object.keys(links)).toEqual(['self', 'schema', 'type', 'activate']);
    const again = await sdkError(t.client.userApi.deactivateUser({ userId: id }));
    expect(again).toMatchObject({ status: 404, errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${id} (User)` });
  });

  test('a DEPROVISIONED user can be activated again', async () => {
    const id = await createUser(t, 'Come Back');
    await t.client.userApi.deactivateUser({ userId: id });
    await t.client.userApi.activateUser({ userId: id, sendEmail: true });
    expect(await statusOf(t, id)).toBe('ACTIVE');
  });

  test('reactivate restarts activation of a PROVISIONED user and is E0000038 for any other status', async () => {
    const provisioned = await createUser(t, 'Pro Visioned', { password: false });
    const token = await t.client.userApi.reactivateUser({ userId: provisioned });
    expect(token.activationToken).toMatch(/^[0-9A-Za-z]{20}$/);
    expect(await statusOf(t, provisioned)).toBe('PROVISIONED');
    const active = await createUser(t, 'Re Active');
    const failure = await sdkError(t.client.userApi.reactivateUser({ userId: active }));
    expect(failure).toMatchObject({ status: 403, errorCode: 'E0000038', errorSummary: "This operation is not allowed in the user's current status." });
  });

  test('reset password puts the user in RECOVERY and, with sendEmail=false, returns the reset URL', async () => {
    const id = await createUser(t, 'Re Set');
    const token = await t.client.userApi.generateResetPasswordToken({ userId: id, sendEmail: false });
    expect(token.resetPasswordUrl).toMatch(new RegExp(`^${t.baseUrl}/signin/reset-password/[0-9A-Za-z]{20}$`));
    expect(await statusOf(t, id)).toBe('RECOVERY');
    const emailed = await t.fetch(`/api/v1/users/${id}/lifecycle/reset_password?sendEmail=true`, { method: 'POST' });
    expect(await emailed.json()).toEqual({});
  });

  test('a RECOVERY user can be reactivated', async () => {
    const id = await createUser(t, 'In Recovery');
    await t.client.userApi.generateResetPasswordToken({ userId: id, sendEmail: false });
    await t.client.userApi.reactivateUser({ userId: id, sendEmail: true });
    expect(await statusOf(t, id)).toBe('PROVISIONED');
  });

  test('resetting the password of a STAGED or SUSPENDED user is E0000038', async () => {
    const staged = await createUser(t, 'Still Staged', { activate: false });
    expect(await sdkError(t.client.userApi.generateResetPasswordToken({ userId: staged, sendEmail: false }))).toMatchObject({ status: 403, errorCode: 'E0000038' });
    const suspended = await createUser(t, 'Now Suspended');
    await t.client.userApi.suspendUser({ userId: suspended });
    expect(await sdkError(t.client.userApi.generateResetPasswordToken({ userId: suspended, sendEmail: false }))).toMatchObject({ status: 403, errorCode: 'E0000038' });
  });

  test('expire password returns the user, now PASSWORD_EXPIRED', async () => {
    const id = await createUser(t, 'Ex Pire');
    const user = await t.client.userApi.expirePassword({ userId: id });
    expect(user.status).toBe('PASSWORD_EXPIRED');
    expect(user._links?.changePassword?.href).toBe(`${t.baseUrl}/api/v1/users/${id}/credentials/change_password`);
  });

  // The SDK 8 reads this answer as a User and drops tempPassword, so the call is made raw.
  test('expire password with a temporary password returns one that meets the password policy', async () => {
    const id = await createUser(t, 'Temp Pass');
    await t.control.advanceClock(3_000);
    const result = await (await t.fetch(`/api/v1/users/${id}/lifecycle/expire_password_with_temp_password`, { method: 'POST' })).json();
    expect(result.tempPassword).toMatch(/^(?=.*[A-Z])(?=.*[a-z])(?=.*\d).{8}$/);
    expect((await stateOf(t)).users[id].password).toBe(result.tempPassword);
    expect((await stateOf(t)).users[id].passwordChanged).toBe('2026-01-01T00:00:03.000Z');
    expect(await statusOf(t, id)).toBe('PASSWORD_EXPIRED');
  });

  test('a user without a password cannot have it expired', async () => {
    const id = await createUser(t, 'No Secret', { password: false });
    expect(await sdkError(t.client.userApi.expirePassword({ userId: id }))).toMatchObject({ status: 403, errorCode: 'E0000038' });
  });

  test('unlock returns a LOCKED_OUT user to ACTIVE and is 403 E0000032 for a user that is not locked out', async () => {
    const id = await createUser(t, 'Locked Out');
    await changeState(t, (state) => {
      state.users[id].status = 'LOCKED_OUT';
    });
    await t.client.userApi.unlockUser({ userId: id });
    expect(await statusOf(t, id)).toBe('ACTIVE');
    const staged = await createUser(t, 'Never Locked', { activate: false });
    const failure = await sdkError(t.client.userApi.unlockUser({ userId: staged }));
    expect(failure).toMatchObject({ status: 403, errorCode: 'E0000032', errorSummary: 'Unlock is not allowed for this user.' });
  });

  test('delete deactivates first; a second delete removes the user, its memberships and app assignments', async () => {
    const id = await createUser(t, 'Del Ete');
    await changeState(t, (state) => {
      state.appUsers['0oaapptwin0000000001'] = { [id]: { id, scope: 'USER' } };
    });
    await t.client.userApi.deleteUser({ userId: id });
    expect(await statusOf(t, id)).toBe('DEPROVISIONED');
    expect((await stateOf(t)).groupMembers['00geveryonetwin00001']).toContain(id);
    await t.client.userApi.deleteUser({ userId: id });
    expect((await stateOf(t)).users[id]).toBeUndefined();
    expect((await stateOf(t)).groupMembers['00geveryonetwin00001']).not.toContain(id);
    expect((await stateOf(t)).appUsers['0oaapptwin0000000001']).toEqual({});
    const third = await sdkError(t.client.userApi.deleteUser({ userId: id }));
    expect(third).toMatchObject({ status: 404, errorCode: 'E0000007' });
  });

  test('delete answers 204 with no body, and takes sendEmail and Prefer: respond-async', async () => {
    const id = await createUser(t, 'Async Delete');
    const response = await t.fetch(`/api/v1/users/${id}?sendEmail=true`, { method: 'DELETE', headers: { prefer: 'respond-async' } });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    const badPrefer = await t.fetch(`/api/v1/users/${id}`, { method: 'DELETE', headers: { prefer: 'respond-later' } });
    expect(badPrefer.status).toBe(400);
    expect((await badPrefer.json()).errorCode).toBe('E0000001');
  });

  test('lifecycle operations accept a login in place of the id', async () => {
    const id = await createUser(t, 'By Login');
    await t.client.userApi.suspendUser({ userId: 'by.login@example.com' });
    expect(await statusOf(t, id)).toBe('SUSPENDED');
  });

  test('every lifecycle operation on an unknown user is a 404 E0000007', async () => {
    for (const operation of ['activate', 'reactivate', 'deactivate', 'suspend', 'unsuspend', 'unlock', 'reset_password', 'expire_password', 'expire_password_with_temp_password']) {
      const response = await t.fetch(`/api/v1/users/00unosuchuser0000001/lifecycle/${operation}`, { method: 'POST' });
      expect(response.status).toBe(404);
      expect((await response.json()).errorSummary).toBe('Not found: Resource not found: 00unosuchuser0000001 (User)');
    }
  });

  test('a non-boolean sendEmail is E0000001', async () => {
    const id = await createUser(t, 'Bad Flag', { activate: false });
    for (const operation of ['activate', 'reactivate', 'deactivate', 'reset_password']) {
      const response = await t.fetch(`/api/v1/users/${id}/lifecycle/${operation}?sendEmail=perhaps`, { method: 'POST' });
      expect(response.status).toBe(400);
      expect((await response.json()).errorCode).toBe('E0000001');
    }
    expect(await statusOf(t, id)).toBe('STAGED');
  });

  test('a lifecycle call with a bad token is 401 E0000011 and changes nothing', async () => {
    const id = await createUser(t, 'Bad Token');
    const response = await t.fetch(`/api/v1/users/${id}/lifecycle/deactivate`, { method: 'POST', headers: { authorization: 'SSWS wrong' } });
    expect(response.status).toBe(401);
    expect((await response.json()).errorCode).toBe('E0000011');
    expect(await statusOf(t, id)).toBe('ACTIVE');
  });
});

describeOkta('Story: offboarding a leaver', (t) => {
  test('deactivate makes the user DEPROVISIONED: gone from the plain list, present for filter and search; delete removes it for good', async () => {
    const group = await t.client.groupApi.createGroup({ group: { profile: { name: 'Contractors' } } });
    const user = await t.client.userApi.createUser({ body: { profile: person('Leo Leaver'), credentials: { password: { value: TROUBADOR_PASSWORD } }, groupIds: [group.id!] } });
    await t.control.advanceClock(60_000);

    // README "Delete a User": deactivateUser then deleteUser.
    await t.client.userApi.deactivateUser({ userId: user.id! });
    const deactivated = await t.client.userApi.getUser({ userId: user.id! });
    expect(deactivated.status).toBe('DEPROVISIONED');
    expect(deactivated.statusChanged?.toISOString()).toBe('2026-01-01T00:01:00.000Z');

    // [spec listUsers]: the plain list omits DEPROVISIONED users; filter and search include them.
    const plain = await collect(await t.client.userApi.listUsers());
    expect(plain.map((u) => u.id)).not.toContain(user.id);
    const filtered = await collect(await t.client.userApi.listUsers({ filter: 'status eq "DEPROVISIONED"' }));
    expect(filtered.map((u) => u.id)).toEqual([user.id]);
    const searched = await collect(await t.client.userApi.listUsers({ search: 'status eq "DEPROVISIONED"' }));
    expect(searched.map((u) => u.id)).toEqual([user.id]);
    // [spec listUsers `q`]: q omits DEPROVISIONED users too.
    const q = await collect(await t.client.userApi.listUsers({ q: 'Leo' }));
    expect(q).toEqual([]);

    await t.client.userApi.deleteUser({ userId: user.id! });
    const gone = await sdkError(t.client.userApi.getUser({ userId: user.id! }));
    expect(gone.status).toBe(404);
    expect(gone.errorCode).toBe('E0000007');
    expect(gone.errorSummary).toBe(`Not found: Resource not found: ${user.id} (User)`);
    const members = await collect(await t.client.groupApi.listGroupUsers({ groupId: group.id! }));
    expect(members).toEqual([]);

    const again = await sdkError(t.client.userApi.deleteUser({ userId: user.id! }));
    expect(again.status).toBe(404);
    expect(again.errorCode).toBe('E0000007');
  });

  test('DELETE on an ACTIVE user only deactivates it (204); a second DELETE deletes it (204); a third is a 404', async () => {
    // [spec deleteUser]: "This operation on a user that hasn't been deactivated causes that user to be deactivated. A second delete operation is required".
    const user = await t.client.userApi.createUser({ body: { profile: person('Dee Leet'), credentials: { password: { value: TROUBADOR_PASSWORD } } } });
    const first = await t.fetch(`/api/v1/users/${user.id}`, { method: 'DELETE' });
    expect(first.status).toBe(204);
    expect(await first.text()).toBe('');
    expect((await t.client.userApi.getUser({ userId: user.id! })).status).toBe('DEPROVISIONED');
    const second = await t.fetch(`/api/v1/users/${user.id}`, { method: 'DELETE' });
    expect(second.status).toBe(204);
    const third = await t.fetch(`/api/v1/users/${user.id}`, { method: 'DELETE' });
    expect(third.status).toBe(404);
    expect((await third.json()).errorCode).toBe('E0000007');
  });
});

describeOkta('Story: lifecycle mistakes surface as Okta errors through the SDK', (t) => {
  test('suspending a STAGED user is a 400 E0000001 OktaApiError with every Okta error field', async () => {
    const user = await t.client.userApi.createUser({ body: { profile: person('Sue Spend') }, activate: false });
    const failure = await sdkError(t.client.userApi.suspendUser({ userId: user.id! }));
    expect(failure.status).toBe(400);
    expect(failure.errorCode).toBe('E0000001');
    expect(failure.errorLink).toBe('E0000001');
    expect(failure.errorSummary).toMatch(/^Api validation failed/);
    expect(failure.errorId).toMatch(/^oae/);
    expect(Array.isArray(failure.errorCauses)).toBe(true);
    // [sdk src/api-error.js]: message = "Okta HTTP {status} {errorCode} {errorSummary}...".
    expect(failure.message).toMatch(/^Okta HTTP 400 E0000001 Api validation failed/);
    expect(failure.headers?.get('x-okta-request-id')).toBeTruthy();
    expect((await t.client.userApi.getUser({ userId: user.id! })).status).toBe('STAGED');
  });

  test('errorIds have the shape of real ones: "oae" and 22 more characters', async () => {
    // Okta's errorIds are 25 characters: "oaeHfmOAx1iRLa0H10DeMz5fQ" ([design] "Errors"), "oaej1XXQlk6SbCEFIkBzAge-A"
    // (github.com/okta/okta-developer-docs/issues/1622), "oaeUwehAi0TTu-CsPBeUMgahw" (github.com/okta/okta-sdk-java/issues/1532).
    const failure = await sdkError(t.client.userApi.getUser({ userId: '00unosuchuser0000001' }));
    expect(failure.errorId).toMatch(/^oae[A-Za-z0-9_-]{22}$/);
  });

  test('two failures carry two different errorIds; errorSummary names the missing user', async () => {
    const a = await sdkError(t.client.userApi.getUser({ userId: '00unosuchuser0000001' }));
    const b = await sdkError(t.client.userApi.getUser({ userId: '00unosuchuser0000001' }));
    expect(a).toMatchObject({ status: 404, errorCode: 'E0000007', errorLink: 'E0000007', errorSummary: 'Not found: Resource not found: 00unosuchuser0000001 (User)', errorCauses: [] });
    expect(a.errorId).not.toBe(b.errorId);
  });

  test('a duplicate login is E0000001 with the "already exists" cause', async () => {
    await t.client.userApi.createUser({ body: { profile: person('Dup Licate') }, activate: false });
    const failure = await sdkError(t.client.userApi.createUser({ body: { profile: person('Dup Licate') }, activate: false }));
    expect(failure.status).toBe(400);
    expect(failure.errorCode).toBe('E0000001');
    // [design "Errors"] example: "login: An object with this field already exists in the current organization".
    expect(failure.errorCauses).toEqual([{ errorSummary: 'login: An object with this field already exists in the current organization' }]);
  });

  test('suspend and unsuspend round-trip an ACTIVE user; lifecycle calls answer 200 {}', async () => {
    const user = await t.client.userApi.createUser({ body: { profile: person('Round Trip'), credentials: { password: { value: TROUBADOR_PASSWORD } } } });
    const suspend = await t.fetch(`/api/v1/users/${user.id}/lifecycle/suspend`, { method: 'POST' });
    expect(suspend.status).toBe(200);
    expect(await suspend.json()).toEqual({});
    expect((await t.client.userApi.getUser({ userId: user.id! })).status).toBe('SUSPENDED');
    await t.client.userApi.unsuspendUser({ userId: user.id! });
    expect((await t.client.userApi.getUser({ userId: user.id! })).status).toBe('ACTIVE');
  });
});

describeDefault('Lifecycle: every valid transition through the SDK (default cache on)', (e) => {
  async function active(name: string) {
    return e.client.userApi.createUser({ body: { profile: person(name), credentials: { password: { value: STRONG_PASSWORD } } } });
  }
  const status = async (id: string) => (await e.client.userApi.getUser({ userId: id })).status;

  test('ACTIVE → suspend → SUSPENDED → unsuspend → ACTIVE', async () => {
    const u = await active('Sue Spend');
    await e.client.userApi.suspendUser({ userId: u.id! });
    expect(await status(u.id!)).toBe('SUSPENDED');
    await e.client.userApi.unsuspendUser({ userId: u.id! });
    expect(await status(u.id!)).toBe('ACTIVE');
  });

  test('ACTIVE → reset_password (sendEmail=false) → RECOVERY with a resetPasswordUrl', async () => {
    const u = await active('Ray Cover');
    const token = await e.client.userApi.generateResetPasswordToken({ userId: u.id!, sendEmail: false });
    expect(token.resetPasswordUrl).toEqual(expect.stringMatching(/^https?:\/\//));
    expect(await status(u.id!)).toBe('RECOVERY');
  });

  test('ACTIVE → expire_password → PASSWORD_EXPIRED (the response is the user)', async () => {
    const u = await active('Exp Ired');
    const res = await e.client.userApi.expirePassword({ userId: u.id! });
    expect(res.id).toBe(u.id);
    expect(res.status).toBe('PASSWORD_EXPIRED');
    expect(await status(u.id!)).toBe('PASSWORD_EXPIRED');
  });

  test('expire_password_with_temp_password answers a tempPassword and PASSWORD_EXPIRED', async () => {
    const u = await active('Tem Porary');
    // The SDK deserializes this answer as a User (dropping tempPassword), so read it raw ([spec] ExpirePwdWithTempPwdResponse).
    const res = await e.fetch(`/api/v1/users/${u.id}/lifecycle/expire_password_with_temp_password`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ tempPassword: expect.any(String) });
    expect(await status(u.id!)).toBe('PASSWORD_EXPIRED');
  });

  test('LOCKED_OUT → unlock → ACTIVE', async () => {
    const u = await active('Lock Ed');
    await changeState(e, (state) => {
      (state.users as any)[u.id!].status = 'LOCKED_OUT';
    });
    await e.client.userApi.unlockUser({ userId: u.id! });
    expect(await status(u.id!)).toBe('ACTIVE');
  });

  test('PROVISIONED → reactivate (sendEmail=false) → PROVISIONED with a new activation token', async () => {
    const u = await e.client.userApi.createUser({ body: { profile: person('Rea Ctivate') }, activate: true });
    const token = await e.client.userApi.reactivateUser({ userId: u.id!, sendEmail: false });
    expect(token.activationToken).toEqual(expect.any(String));
    expect(await status(u.id!)).toBe('PROVISIONED');
  });

  test('ACTIVE → deactivate → DEPROVISIONED → activate → ACTIVE (password user)', async () => {
    const u = await active('Dee Activate');
    await e.client.userApi.deactivateUser({ userId: u.id! });
    expect(await status(u.id!)).toBe('DEPROVISIONED');
    await e.client.userApi.activateUser({ userId: u.id!, sendEmail: false });
    expect(await status(u.id!)).toBe('ACTIVE');
  });

  test('STAGED, PROVISIONED, SUSPENDED each deactivate to DEPROVISIONED', async () => {
    const staged = await e.client.userApi.createUser({ body: { profile: person('Sta Ged') }, activate: false });
    const prov = await e.client.userApi.createUser({ body: { profile: person('Pro Vis') }, activate: true });
    const susp = await active('Sus Pended');
    await e.client.userApi.suspendUser({ userId: susp.id! });
    for (const u of [staged, prov, susp]) {
      await e.client.userApi.deactivateUser({ userId: u.id! });
      expect(await status(u.id!)).toBe('DEPROVISIONED');
    }
  });

  test('lifecycle answers are 200 with a JSON body ({} for suspend/unsuspend/deactivate/unlock)', async () => {
    const u = await active('Raw Life');
    for (const op of ['suspend', 'unsuspend', 'deactivate']) {
      const res = await e.fetch(`/api/v1/users/${u.id}/lifecycle/${op}`, { method: 'POST' });
      expect({ op, status: res.status }).toEqual({ op, status: 200 });
      expect(await res.json()).toEqual({});
    }
  });
});

describeDefault('Lifecycle: invalid transitions answer Okta\'s errors (status + errorCode)', (e) => {
  async function make(kind: 'STAGED' | 'PROVISIONED' | 'ACTIVE' | 'SUSPENDED' | 'DEPROVISIONED', name: string) {
    const password = kind === 'ACTIVE' || kind === 'SUSPENDED' || kind === 'DEPROVISIONED';
    const u = await e.client.userApi.createUser({
      body: { profile: person(name), ...(password ? { credentials: { password: { value: STRONG_PASSWORD } } } : {}) },
      activate: kind !== 'STAGED',
    });
    if (kind === 'SUSPENDED') await e.client.userApi.suspendUser({ userId: u.id! });
    if (kind === 'DEPROVISIONED') await e.client.userApi.deactivateUser({ userId: u.id! });
    expect((await e.client.userApi.getUser({ userId: u.id! })).status).toBe(kind);
    return u.id!;
  }

  test('suspend of a non-ACTIVE user (STAGED, PROVISIONED, SUSPENDED, DEPROVISIONED) is 400 E0000001', async () => {
    for (const [i, kind] of (['STAGED', 'PROVISIONED', 'SUSPENDED', 'DEPROVISIONED'] as const).entries()) {
      const id = await make(kind, `Sus${i} Pend`);
      const err = await sdkError(e.client.userApi.suspendUser({ userId: id }));
      expect({ kind, status: err.status, code: err.errorCode }).toEqual({ kind, status: 400, code: 'E0000001' });
      expect((await e.client.userApi.getUser({ userId: id })).status).toBe(kind);
    }
  });

  test('unsuspend of a non-SUSPENDED user (ACTIVE, STAGED) is 400 E0000001', async () => {
    for (const [i, kind] of (['ACTIVE', 'STAGED'] as const).entries()) {
      const id = await make(kind, `Uns${i} Pend`);
      const err = await sdkError(e.client.userApi.unsuspendUser({ userId: id }));
      expect({ kind, status: err.status, code: err.errorCode }).toEqual({ kind, status: 400, code: 'E0000001' });
    }
  });

  test('activate of an ACTIVE user is 403 E0000016 "Activation failed because the user is already active"', async () => {
    const id = await make('ACTIVE', 'Already Active');
    const err = await sdkError(e.client.userApi.activateUser({ userId: id, sendEmail: false }));
    expect(err).toMatchObject({ status: 403, errorCode: 'E0000016', errorSummary: 'Activation failed because the user is already active' });
    const admin = await sdkError(e.client.userApi.activateUser({ userId: ADMIN_ID, sendEmail: false }));
    expect(admin).toMatchObject({ status: 403, errorCode: 'E0000016' });
  });

  test('reactivate of an ACTIVE or STAGED user is 403 E0000038', async () => {
    for (const [i, kind] of (['ACTIVE', 'STAGED'] as const).entries()) {
      const id = await make(kind, `Rea${i} Ctivate`);
      const err = await sdkError(e.client.userApi.reactivateUser({ userId: id, sendEmail: false }));
      expect({ kind, status: err.status, code: err.errorCode }).toEqual({ kind, status: 403, code: 'E0000038' });
      expect(err.errorSummary).toBe("This operation is not allowed in the user's current status.");
    }
  });

  test('a refused transition changes nothing: the status, statusChanged and lastUpdated stay', async () => {
    const id = await make('STAGED', 'Still Staged');
    const before = await (await e.fetch(`/api/v1/users/${id}`)).json();
    await sdkError(e.client.userApi.suspendUser({ userId: id }));
    await sdkError(e.client.userApi.unsuspendUser({ userId: id }));
    const after = await (await e.fetch(`/api/v1/users/${id}`)).json();
    expect({ status: after.status, statusChanged: after.statusChanged, lastUpdated: after.lastUpdated }).toEqual({
      status: before.status,
      statusChanged: before.statusChanged,
      lastUpdated: before.lastUpdated,
    });
  });

  test('lifecycle calls on an unknown user are 404 E0000007', async () => {
    // One call at a time: a call started before the previous one is awaited could be refused with nobody listening yet.
    for (const call of [
      () => e.client.userApi.suspendUser({ userId: '00unosuchuser0000000' }),
      () => e.client.userApi.activateUser({ userId: '00unosuchuser0000000', sendEmail: false }),
      () => e.client.userApi.deactivateUser({ userId: '00unosuchuser0000000' }),
    ]) {
      const err = await sdkError(call());
      expect(err).toMatchObject({ status: 404, errorCode: 'E0000007' });
    }
  });

  test('a profile update of a DEPROVISIONED user is refused (403 E0000038)', async () => {
    const id = await make('DEPROVISIONED', 'Gone Person');
    const err = await sdkError(e.client.userApi.updateUser({ userId: id, user: { profile: { nickName: 'ghost' } } }));
    expect(err).toMatchObject({ status: 403, errorCode: 'E0000038' });
  });
});

describeDefault('Delete: first DELETE deactivates, second deletes (SDK, cache on)', (e) => {
  test('deleteUser on an ACTIVE user → DEPROVISIONED (still readable); deleteUser again → 404 E0000007 everywhere', async () => {
    const group = await e.client.groupApi.createGroup({ group: { profile: { name: 'Leavers' } } });
    const u = await e.client.userApi.createUser({ body: { profile: person('Del Ete'), credentials: { password: { value: STRONG_PASSWORD } }, groupIds: [group.id!] } });
    await e.client.userApi.getUser({ userId: u.id! }); // prime the SDK cache
    await e.client.userApi.deleteUser({ userId: u.id! });
    const deactivated = await e.client.userApi.getUser({ userId: u.id! });
    expect(deactivated.status).toBe('DEPROVISIONED');
    await e.client.userApi.deleteUser({ userId: u.id! });
    const gone = await sdkError(e.client.userApi.getUser({ userId: u.id! }));
    expect(gone).toMatchObject({ status: 404, errorCode: 'E0000007' });
    expect(ids(await collect(await e.client.userApi.listUsers({ filter: 'status eq "DEPROVISIONED"' })))).toEqual([]);
    expect(ids(await collect(await e.client.groupApi.listGroupUsers({ groupId: group.id! })))).toEqual([]);
    expect(ids(await collect(await e.client.groupApi.listGroupUsers({ groupId: EVERYONE_ID })))).toEqual([ADMIN_ID]);
    const third = await sdkError(e.client.userApi.deleteUser({ userId: u.id! }));
    expect(third).toMatchObject({ status: 404, errorCode: 'E0000007' });
  });

  test('a STAGED user is deactivated then deleted the same way; deleting by login works', async () => {
    const u = await e.client.userApi.createUser({ body: { profile: person('Sta Del') }, activate: false });
    await e.client.userApi.deleteUser({ userId: 'sta.del@example.com' });
    expect((await e.client.userApi.getUser({ userId: u.id! })).status).toBe('DEPROVISIONED');
    await e.client.userApi.deleteUser({ userId: 'sta.del@example.com' });
    // (a DELETE by login does not evict the SDK's cache entry keyed by the id URL, so read raw)
    expect((await e.fetch(`/api/v1/users/${u.id}`)).status).toBe(404);
    // the login is free again
    const again = await e.client.userApi.createUser({ body: { profile: person('Sta Del') }, activate: false });
    expect(again.id).not.toBe(u.id);
  });
});
