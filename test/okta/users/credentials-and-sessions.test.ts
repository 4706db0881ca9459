/**
 * Users API: changing a password and a recovery question, and revoking the sessions of a user. Source:
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml (revokeUserSessions, listFactors)
 */
import { expect, test } from 'vitest';
import { basic, postForm } from '../../support/okta-oauth.js';
import { collect, describeOkta, person, refused, sendJson, stateOf, type OktaTarget } from '../../support/okta.js';

const PASSWORD = 'Tr0ub4dor-Horse9';
const NEW_PASSWORD = 'N3w-Battery-Staple';
const POLICY_CAUSE =
  'password: Password requirements were not met. Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username. Your password cannot be any of your last 4 passwords.';

function activeUser(t: OktaTarget, first: string, extra: Record<string, unknown> = {}) {
  const login = `${first.toLowerCase()}.tester@example.com`;
  return t.client.userApi.createUser({
    body: { profile: { firstName: first, lastName: 'Tester', email: login, login }, credentials: { password: { value: PASSWORD }, ...extra } },
  });
}

function changePassword(t: OktaTarget, userId: string, oldPassword: string, newPassword: string) {
  return sendJson(t, `/api/v1/users/${userId}/credentials/change_password`, { oldPassword: { value: oldPassword }, newPassword: { value: newPassword } });
}

/** A web app that may use the password grant, with the given user assigned to it. */
async function passwordGrantApp(t: OktaTarget, userId: string) {
  const app: any = await t.client.applicationApi.createApplication({
    application: {
      name: 'oidc_client',
      label: 'Password grant app',
      signOnMode: 'OPENID_CONNECT',
      credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_basic' } },
      settings: { oauthClient: { application_type: 'web', grant_types: ['password', 'refresh_token', 'authorization_code'], response_types: ['code'], redirect_uris: ['https://app.example.com/cb'] } },
    } as any,
  });
  await t.client.applicationApi.assignUserToApplication({ appId: app.id, appUser: { id: userId } });
  return basic(app.credentials.oauthClient.client_id, app.credentials.oauthClient.client_secret);
}

function passwordGrant(t: OktaTarget, auth: string, username: string, password: string) {
  return postForm(t, '/oauth2/default/v1/token', { grant_type: 'password', username, password, scope: 'openid offline_access' }, { authorization: auth });
}

function activePerson(t: OktaTarget, first: string, last: string, profile: Record<string, unknown> = {}) {
  return t.client.userApi.createUser({ body: { profile: person(`${first} ${last}`, profile), credentials: { password: { value: PASSWORD } } } });
}

describeOkta('Okta credentials: change password', (t) => {
  test('the SDK changes a password with the current one; the new one signs in, the old one no longer does', async () => {
    const user = await activeUser(t, 'Changer');
    const auth = await passwordGrantApp(t, user.id!);
    await t.control.advanceClock(60_000);
    const credentials = await t.client.userApi.changePassword({
      userId: user.id!,
      changePasswordRequest: { oldPassword: { value: PASSWORD }, newPassword: { value: NEW_PASSWORD } },
    });
    expect(credentials.password).toEqual({});
    expect(credentials.provider).toMatchObject({ type: 'OKTA', name: 'OKTA' });
    const after = await t.client.userApi.getUser({ userId: user.id! });
    expect(after.passwordChanged?.toISOString()).toBe('2026-01-01T00:01:00.000Z');
    expect(after.status).toBe('ACTIVE');
    expect((await passwordGrant(t, auth, 'changer.tester@example.com', NEW_PASSWORD)).status).toBe(200);
    expect((await passwordGrant(t, auth, 'changer.tester@example.com', PASSWORD)).status).toBe(400);
  });

  test('a wrong current password is 403 E0000014 and changes nothing', async () => {
    const user = await activeUser(t, 'Wrong');
    const failure = await refused(await changePassword(t, user.id!, 'Not-The-Passw0rd', NEW_PASSWORD), 403);
    expect(failure).toMatchObject({ errorCode: 'E0000014', errorSummary: 'Update of credentials failed', causes: ['oldPassword: The credentials provided were incorrect.'] });
    expect((await stateOf(t)).users[user.id!].password).toBe(PASSWORD);
  });

  test('a new password the policy refuses, or the current one again, is 403 E0000014', async () => {
    const user = await activeUser(t, 'Policy');
    const weak = await refused(await changePassword(t, user.id!, PASSWORD, 'short'), 403);
    expect(weak).toMatchObject({ errorCode: 'E0000014', causes: [POLICY_CAUSE] });
    const withLogin = await refused(await changePassword(t, user.id!, PASSWORD, 'Policy-Tester-99'), 403);
    expect(withLogin.causes).toEqual([POLICY_CAUSE]);
    const same = await refused(await changePassword(t, user.id!, PASSWORD, PASSWORD), 403);
    expect(same.causes).toEqual(['password: Password has been used too recently']);
  });

  test('a user in RECOVERY or with an expired password becomes ACTIVE', async () => {
    const recovering = await activeUser(t, 'Recover');
    await t.client.userApi.generateResetPasswordToken({ userId: recovering.id!, sendEmail: false });
    expect((await changePassword(t, recovering.id!, PASSWORD, NEW_PASSWORD)).status).toBe(200);
    expect((await t.client.userApi.getUser({ userId: recovering.id! })).status).toBe('ACTIVE');

    const expired = await activeUser(t, 'Expired');
    await t.client.userApi.expirePassword({ userId: expired.id! });
    expect((await changePassword(t, expired.id!, PASSWORD, NEW_PASSWORD)).status).toBe(200);
    expect((await t.client.userApi.getUser({ userId: expired.id! })).status).toBe('ACTIVE');
  });

  test('a SUSPENDED user or one without a password gets E0000038; an unknown user a 404', async () => {
    const suspended = await activeUser(t, 'Suspended');
    await t.client.userApi.suspendUser({ userId: suspended.id! });
    expect((await refused(await changePassword(t, suspended.id!, PASSWORD, NEW_PASSWORD), 403)).errorCode).toBe('E0000038');
    const passwordless = await t.client.userApi.createUser({ body: { profile: { firstName: 'No', lastName: 'Password', email: 'no.password@example.com', login: 'no.password@example.com' } } });
    expect((await refused(await changePassword(t, passwordless.id!, PASSWORD, NEW_PASSWORD), 403)).errorCode).toBe('E0000038');
    const unknown = await refused(await changePassword(t, '00unosuchuser0000001', PASSWORD, NEW_PASSWORD), 404);
    expect(unknown.errorSummary).toBe('Not found: Resource not found: 00unosuchuser0000001 (User)');
  });

  test('a body without oldPassword or newPassword, or that is not JSON, is refused with a 400', async () => {
    const user = await activeUser(t, 'Body');
    const path = `/api/v1/users/${user.id}/credentials/change_password`;
    expect((await refused(await sendJson(t, path, { newPassword: { value: NEW_PASSWORD } }), 400)).errorCode).toBe('E0000001');
    expect((await refused(await sendJson(t, path, { oldPassword: { value: PASSWORD } }), 400)).errorCode).toBe('E0000001');
    expect((await refused(await sendJson(t, path, { oldPassword: { value: PASSWORD }, newPassword: {} }), 400)).causes).toEqual(['newPassword: The field cannot be left blank']);
    expect((await refused(await sendJson(t, path, { oldPassword: PASSWORD, newPassword: NEW_PASSWORD }), 400)).errorCode).toBe('E0000001');
    const notJson = await t.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect((await refused(notJson, 400)).errorCode).toBe('E0000003');
    expect((await stateOf(t)).users[user.id!].password).toBe(PASSWORD);
  });
});

describeOkta('Okta credentials: change recovery question', (t) => {
  test('the SDK replaces the question and answer with the current password; the answer is never sent back', async () => {
    const user = await activeUser(t, 'Question', { recovery_question: { question: 'First pet?', answer: 'Rex the dog' } });
    const credentials = await t.client.userApi.changeRecoveryQuestion({
      userId: user.id!,
      userCredentials: { password: { value: PASSWORD }, recovery_question: { question: 'Favourite author?', answer: 'Ursula Le Guin' } },
    });
    expect(credentials.recovery_question).toEqual({ question: 'Favourite author?' });
    const raw = await (await t.fetch(`/api/v1/users/${user.id}`)).json();
    expect(raw.credentials.recovery_question).toEqual({ question: 'Favourite author?' });
    expect(raw._links.changeRecoveryQuestion.href).toBe(`${t.baseUrl}/api/v1/users/${user.id}/credentials/change_recovery_question`);
  });

  test('a wrong password is 403 E0000014; a blank answer is 400 E0000001; a SUSPENDED user gets E0000038', async () => {
    const user = await activeUser(t, 'Guarded');
    const path = `/api/v1/users/${user.id}/credentials/change_recovery_question`;
    const wrong = await refused(await sendJson(t, path, { password: { value: 'Nope-Nope-123' }, recovery_question: { question: 'Q?', answer: 'An answer' } }), 403);
    expect(wrong).toMatchObject({ errorCode: 'E0000014', causes: ['password: The credentials provided were incorrect.'] });
    const blank = await refused(await sendJson(t, path, { password: { value: PASSWORD }, recovery_question: { question: 'Q?', answer: ' ' } }), 400);
    expect(blank.causes).toEqual(['recovery_question.answer: The field cannot be left blank']);
    expect((await refused(await sendJson(t, path, { password: { value: PASSWORD } }), 400)).errorCode).toBe('E0000001');
    expect((await stateOf(t)).users[user.id!].recoveryQuestion).toBeNull();
    await t.client.userApi.suspendUser({ userId: user.id! });
    expect((await refused(await sendJson(t, path, { password: { value: PASSWORD }, recovery_question: { question: 'Q?', answer: 'An answer' } }), 403)).errorCode).toBe('E0000038');
  });
});

describeOkta('Okta sessions: revoke all sessions of a user', (t) => {
  test('oauthTokens=true revokes the access and refresh tokens issued to that user, and only to that user', async () => {
    const leaver = await activeUser(t, 'Leaver');
    const stayer = await activeUser(t, 'Stayer');
    const auth = await passwordGrantApp(t, leaver.id!);
    await t.client.applicationApi.assignUserToApplication({ appId: Object.keys((await stateOf(t)).apps).at(-1)!, appUser: { id: stayer.id! } });
    const leaverTokens = await (await passwordGrant(t, auth, 'leaver.tester@example.com', PASSWORD)).json();
    const stayerTokens = await (await passwordGrant(t, auth, 'stayer.tester@example.com', PASSWORD)).json();
    const active = async (token: string) => (await (await postForm(t, '/oauth2/default/v1/introspect', { token }, { authorization: auth })).json()).active;

    const plain = await t.fetch(`/api/v1/users/${leaver.id}/sessions`, { method: 'DELETE' });
    expect(plain.status).toBe(204);
    expect(await plain.text()).toBe('');
    expect(await active(leaverTokens.access_token)).toBe(true);

    await t.client.userApi.revokeUserSessions({ userId: leaver.id!, oauthTokens: true });
    expect(await active(leaverTokens.access_token)).toBe(false);
    expect(await active(leaverTokens.refresh_token)).toBe(false);
    expect(await active(stayerTokens.access_token)).toBe(true);
    const refresh = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'refresh_token', refresh_token: leaverTokens.refresh_token, scope: 'openid offline_access' }, { authorization: auth });
    expect(refresh.status).toBe(400);
  });

  test('an unknown user is a 404 E0000007; a query flag that is not a boolean is a 400 E0000001', async () => {
    const unknown = await refused(await t.fetch('/api/v1/users/00unosuchuser0000001/sessions', { method: 'DELETE' }), 404);
    expect(unknown.errorCode).toBe('E0000007');
    const user = await activeUser(t, 'Flags');
    expect((await refused(await t.fetch(`/api/v1/users/${user.id}/sessions?oauthTokens=maybe`, { method: 'DELETE' }), 400)).errorCode).toBe('E0000001');
    expect((await refused(await t.fetch(`/api/v1/users/${user.id}/sessions?forgetDevices=sometimes`, { method: 'DELETE' }), 400)).errorCode).toBe('E0000001');
    expect((await t.fetch(`/api/v1/users/${user.id}/sessions?oauthTokens=false&forgetDevices=false`, { method: 'DELETE' })).status).toBe(204);
  });
});

describeOkta('Story: security offboarding clears sessions and reviews factors', (t) => {
  test('revoking all sessions of a user (SDK revokeUserSessions, DELETE /api/v1/users/{id}/sessions) answers 204 before deactivation', async () => {
    const user = await activePerson(t, 'Sess', 'Ion');
    // [spec revokeUserSessions] DELETE /api/v1/users/{userId}/sessions → 204.
    const res = await t.fetch(`/api/v1/users/${user.id}/sessions?oauthTokens=true`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    await t.client.userApi.revokeUserSessions({ userId: user.id!, oauthTokens: true });
    await t.client.userApi.deactivateUser({ userId: user.id! });
    expect((await t.client.userApi.getUser({ userId: user.id! })).status).toBe('DEPROVISIONED');
  });

  test('a new password-only user has no enrolled factors (SDK userFactorApi.listFactors → [])', async () => {
    const user = await activePerson(t, 'No', 'Factors');
    // [spec listFactors] GET /api/v1/users/{userId}/factors → 200 with the enrolled factors.
    const factors = await collect(await t.client.userFactorApi.listFactors({ userId: user.id! }));
    expect(factors).toEqual([]);
  });
});
