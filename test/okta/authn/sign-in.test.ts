/**
 * Signing in without login_hint: Okta's classic Authentication API (`/api/v1/authn`), the Sessions API (SDK
 * sessionApi) and `/authorize?sessionToken=`, as a browser signs a user in. Sources: Okta's Authentication API
 * reference (transaction object and statuses, primary authentication, verify factor, change and reset password,
 * recovery, error codes E0000004, E0000011, E0000068, E0000079, E0000080) and the management spec (Session, createSession,
 * getSession, refreshSession, revokeSession). The SDK has no Authentication API, so those calls are plain requests.
 */
import { decodeJwt } from 'jose';
import { expect, test } from 'vitest';
import { employee, get, pkcePair, postForm, REDIRECT_URI, webApp } from '../../support/okta-oauth.js';
import { describeOkta, refused, sdkError, sendJson, stateOf, changeState, type OktaTarget } from '../../support/okta.js';

const PASSWORD = 'Tr0ub4dor-Horse9';
const LOGIN = 'ada.lovelace@example.com';
const PASSWORD_POLICY = '00ptwinpassword00001';
const PASSWORD_RULE = '0prtwinpassword00001';

/** A request to the Authentication API, as a sign-in page makes it: no API token. */
function authn(t: OktaTarget, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${t.baseUrl}/api/v1/authn${path}`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body: JSON.stringify(body) });
}

async function ok(res: Response): Promise<any> {
  expect(res.status).toBe(200);
  return res.json();
}

function signIn(t: OktaTarget, password = PASSWORD, username = LOGIN) {
  return authn(t, '', { username, password });
}

async function ada(t: OktaTarget, credentials: Record<string, unknown> = {}) {
  return t.client.userApi.createUser({
    body: { profile: { firstName: 'Ada', lastName: 'Lovelace', email: LOGIN, login: LOGIN }, credentials: { password: { value: PASSWORD }, ...credentials } },
  });
}

async function passwordPolicy(t: OktaTarget, change: (policy: any) => void) {
  const policy: any = await t.client.policyApi.getPolicy({ policyId: PASSWORD_POLICY });
  change(policy);
  return t.client.policyApi.replacePolicy({ policyId: PASSWORD_POLICY, policy });
}

async function passwordRule(t: OktaTarget, actions: Record<string, unknown>) {
  const rule: any = await t.client.policyApi.getPolicyRule({ policyId: PASSWORD_POLICY, ruleId: PASSWORD_RULE });
  return t.client.policyApi.replacePolicyRule({ policyId: PASSWORD_POLICY, ruleId: PASSWORD_RULE, policyRule: { ...rule, actions: { ...rule.actions, ...actions } } });
}

describeOkta('Authentication API: primary authentication and sessions', (t) => {
  test('username and password → SUCCESS with a sessionToken; the SDK turns it into a session, reads, refreshes and revokes it', async () => {
    const user = await ada(t);
    const success = await ok(await signIn(t));
    expect(success).toMatchObject({ status: 'SUCCESS', expiresAt: '2026-01-01T00:05:00.000Z', sessionToken: expect.any(String), _embedded: { user: { id: user.id, profile: { login: LOGIN, firstName: 'Ada', lastName: 'Lovelace' } } } });
    expect(success.stateToken).toBeUndefined();

    const session: any = await t.client.sessionApi.createSession({ createSessionRequest: { sessionToken: success.sessionToken } });
    expect(session).toMatchObject({ userId: user.id, login: LOGIN, status: 'ACTIVE', amr: ['pwd'] });
    expect(session.expiresAt.toISOString()).toBe('2026-01-01T02:00:00.000Z');
    const raw = await (await t.fetch(`/api/v1/sessions/${session.id}`)).json();
    expect(raw).toMatchObject({ mfaActive: false, idp: { type: 'OKTA' }, _links: { refresh: { href: `${t.baseUrl}/api/v1/sessions/${session.id}/lifecycle/refresh` } } });
    expect((await t.client.userApi.getUser({ userId: user.id! })).lastLogin?.toISOString()).toBe('2026-01-01T00:00:00.000Z');

    await t.control.advanceClock(30 * 60_000);
    const refreshed: any = await t.client.sessionApi.refreshSession({ sessionId: session.id });
    expect(refreshed.expiresAt.toISOString()).toBe('2026-01-01T02:30:00.000Z');
    expect((await t.client.sessionApi.getSession({ sessionId: session.id })).id).toBe(session.id);

    await t.client.sessionApi.revokeSession({ sessionId: session.id });
    expect(await sdkError(t.client.sessionApi.getSession({ sessionId: session.id }))).toMatchObject({ status: 404, errorCode: 'E0000007' });
    // A session token works once.
    expect(await sdkError(t.client.sessionApi.createSession({ createSessionRequest: { sessionToken: success.sessionToken } }))).toMatchObject({ status: 401, errorCode: 'E0000004', errorSummary: 'Authentication failed' });
  });

  test('a session ends after the sign-on rule\'s idle time; revoking the user\'s sessions closes them', async () => {
    const user = await ada(t);
    const { sessionToken } = await ok(await signIn(t));
    const session: any = await t.client.sessionApi.createSession({ createSessionRequest: { sessionToken } });
    await t.control.advanceClock(2 * 3600_000);
    expect((await sdkError(t.client.sessionApi.getSession({ sessionId: session.id }))).status).toBe(404);
    const second: any = await t.client.sessionApi.createSession({ createSessionRequest: { sessionToken: (await ok(await signIn(t))).sessionToken } });
    await t.client.userApi.revokeUserSessions({ userId: user.id! });
    expect((await sdkError(t.client.sessionApi.getSession({ sessionId: second.id }))).status).toBe(404);
  });

  test('a browser signs in: authn → /authorize?sessionToken= → code → tokens; the sid cookie then signs it in again and names /sessions/me', async () => {
    const app = await webApp(t);
    const user = await employee(t, app);
    const { sessionToken } = await ok(await signIn(t, 'Correct-Horse-42', 'kj@example.com'));
    const { verifier, challenge } = pkcePair();
    const params = { client_id: app.clientId, response_type: 'code', scope: 'openid profile', redirect_uri: REDIRECT_URI, state: 's-1', nonce: 'n-1', code_challenge: challenge, code_challenge_method: 'S256' };
    const res = await get(t, `/oauth2/default/v1/authorize?${new URLSearchParams({ ...params, sessionToken })}`);
    expect(res.status).toBe(302);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^sid=102[\w-]{22}; Path=\/; Secure; HttpOnly/);
    const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
    const tokens = await (await postForm(t, '/oauth2/default/v1/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }, { authorization: app.auth })).json();
    expect(decodeJwt(tokens.id_token)).toMatchObject({ sub: user.id, nonce: 'n-1' });

    const sid = cookie.slice(0, cookie.indexOf(';'));
    const again = await get(t, `/oauth2/default/v1/authorize?${new URLSearchParams({ ...params, state: 's-2', prompt: 'none' })}`, { cookie: sid });
    expect(new URL(again.headers.get('location')!).searchParams.get('code')).toBeTruthy();
    const me = await ok(await fetch(`${t.baseUrl}/api/v1/sessions/me`, { headers: { cookie: sid, accept: 'application/json' } }));
    expect(me).toMatchObject({ userId: user.id, login: 'kj@example.com', _links: { self: { href: `${t.baseUrl}/api/v1/sessions/me` } } });
    // The SDK's own calls for the browser's session take the cookie as a parameter.
    expect((await t.client.sessionApi.getCurrentSession({ cookie: sid })).userId).toBe(user.id);
    await t.control.advanceClock(60_000);
    expect((await t.client.sessionApi.refreshCurrentSession({ cookie: sid })).expiresAt?.toISOString()).toBe('2026-01-01T02:01:00.000Z');
    await t.client.sessionApi.closeCurrentSession({ cookie: sid });
    expect((await fetch(`${t.baseUrl}/api/v1/sessions/me`, { headers: { cookie: sid, accept: 'application/json' } })).status).toBe(404);
    const gone = await get(t, `/oauth2/default/v1/authorize?${new URLSearchParams({ ...params, state: 's-3', prompt: 'none' })}`, { cookie: sid });
    expect(new URL(gone.headers.get('location')!).searchParams.get('error')).toBe('login_required');
    // The session token was spent at /authorize.
    expect((await sdkError(t.client.sessionApi.createSession({ createSessionRequest: { sessionToken } }))).errorCode).toBe('E0000004');
  });

  test('bad credentials are 401 E0000004, and the sign-in is logged as a failure', async () => {
    await ada(t);
    for (const res of [await signIn(t, 'Not-The-Passw0rd'), await signIn(t, PASSWORD, 'nobody@example.com')]) {
      expect(await refused(res, 401)).toMatchObject({ errorCode: 'E0000004', errorSummary: 'Authentication failed', causes: [] });
    }
    const failed = (await stateOf(t)).systemLog!.filter((e) => e.eventType === 'user.session.start' && e.outcome.result === 'FAILURE');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ actor: { alternateId: LOGIN }, outcome: { reason: 'INVALID_CREDENTIALS' } });
  });
});

describeOkta('Authentication API: lockout, unlock and recovery, as the password policy says', (t) => {
  test("the password policy's maxAttempts lock the user out; LOCKED_OUT then answers even the right password, without an unlock link by default", async () => {
    const user = await ada(t);
    await passwordPolicy(t, (p) => void (p.settings.password.lockout.maxAttempts = 3));
    for (let i = 0; i < 3; i++) expect((await signIn(t, 'Wrong-Passw0rd')).status).toBe(401);
    expect((await t.client.userApi.getUser({ userId: user.id! })).status).toBe('LOCKED_OUT');
    expect(await ok(await signIn(t))).toEqual({ status: 'LOCKED_OUT', _links: {} });
    expect((await stateOf(t)).systemLog!.some((e) => e.eventType === 'user.account.lock' && e.target[0].id === user.id)).toBe(true);
    // An admin unlocks; the count starts over.
    await t.client.userApi.unlockUser({ userId: user.id! });
    expect((await ok(await signIn(t))).status).toBe('SUCCESS');
  });

  test('wrong passwords at the token endpoint (password grant) count toward the same lockout', async () => {
    const app = await webApp(t, {}, ['password', 'authorization_code']);
    const user = await employee(t, app);
    await passwordPolicy(t, (p) => void (p.settings.password.lockout.maxAttempts = 2));
    const grant = (password: string) => postForm(t, '/oauth2/default/v1/token', { grant_type: 'password', username: 'kj@example.com', password, scope: 'openid' }, { authorization: app.auth });
    expect((await grant('Wrong-Passw0rd')).status).toBe(400);
    expect((await grant('Correct-Horse-42')).status).toBe(200);
    expect((await grant('Wrong-Passw0rd')).status).toBe(400);
    expect((await signIn(t, 'Wrong-Passw0rd', 'kj@example.com')).status).toBe(401);
    expect((await t.client.userApi.getUser({ userId: user.id })).status).toBe('LOCKED_OUT');
    expect((await grant('Correct-Horse-42')).status).toBe(400);
  });

  test('a success resets the failure count; autoUnlockMinutes lets the user back in after the wait', async () => {
    await ada(t);
    await passwordPolicy(t, (p) => Object.assign(p.settings.password.lockout, { maxAttempts: 2, autoUnlockMinutes: 10 }));
    await signIn(t, 'Wrong-Passw0rd');
    expect((await ok(await signIn(t))).status).toBe('SUCCESS');
    await signIn(t, 'Wrong-Passw0rd');
    await signIn(t, 'Wrong-Passw0rd');
    expect((await ok(await signIn(t))).status).toBe('LOCKED_OUT');
    await t.control.advanceClock(10 * 60_000);
    expect((await ok(await signIn(t))).status).toBe('SUCCESS');
  });

  test('self-service unlock, once the password rule allows it: LOCKED_OUT links to unlock, the emailed recovery token unlocks', async () => {
    const user = await ada(t);
    await passwordPolicy(t, (p) => void (p.settings.password.lockout.maxAttempts = 1));
    await passwordRule(t, { selfServiceUnlock: { access: 'ALLOW' } });
    await signIn(t, 'Wrong-Passw0rd');
    const locked = await ok(await signIn(t));
    expect(locked._links.next).toEqual({ name: 'unlock', href: `${t.baseUrl}/api/v1/authn/recovery/unlock`, hints: { allow: ['POST'] } });
    expect(await ok(await authn(t, '/recovery/unlock', { username: LOGIN, factorType: 'EMAIL' }))).toEqual({ status: 'RECOVERY_CHALLENGE', factorResult: 'WAITING', factorType: 'EMAIL', recoveryType: 'UNLOCK', _links: {} });
    const [recoveryToken] = Object.keys((await stateOf(t)).recoveryTokens!);
    const unlocked = await ok(await authn(t, '/recovery/token', { recoveryToken }));
    expect(unlocked).toMatchObject({ status: 'UNLOCKED', recoveryType: 'UNLOCK', _embedded: { user: { id: user.id } } });
    expect((await t.client.userApi.getUser({ userId: user.id! })).status).toBe('ACTIVE');
    expect(await refused(await authn(t, '/recovery/token', { recoveryToken }), 401)).toMatchObject({ errorCode: 'E0000011' });
  });

  test("an admin's reset_password link carries a recovery token: recovery question, then a new password the policy accepts → SUCCESS", async () => {
    const user = await ada(t, { recovery_question: { question: 'Favorite number?', answer: 'forty two' } });
    const { resetPasswordUrl } = (await t.client.userApi.generateResetPasswordToken({ userId: user.id!, sendEmail: false })) as any;
    const recoveryToken = resetPasswordUrl.slice(resetPasswordUrl.lastIndexOf('/') + 1);
    const recovery = await ok(await authn(t, '/recovery/token', { recoveryToken }));
    expect(recovery).toMatchObject({ status: 'RECOVERY', recoveryType: 'PASSWORD', stateToken: expect.any(String), _embedded: { user: { recovery_question: { question: 'Favorite number?' } } } });
    expect(recovery._links.next.href).toBe(`${t.baseUrl}/api/v1/authn/recovery/answer`);
    expect(await refused(await authn(t, '/recovery/answer', { stateToken: recovery.stateToken, answer: 'nine' }), 403)).toMatchObject({ errorCode: 'E0000087' });
    const reset = await ok(await authn(t, '/recovery/answer', { stateToken: recovery.stateToken, answer: 'forty two' }));
    expect(reset).toMatchObject({ status: 'PASSWORD_RESET', stateToken: recovery.stateToken, _embedded: { policy: { complexity: { minLength: 8 }, age: { historyCount: 4 } } } });
    const weak = await refused(await authn(t, '/credentials/reset_password', { stateToken: reset.stateToken, newPassword: 'short' }), 403);
    expect(weak).toMatchObject({ errorCode: 'E0000080', causes: [expect.stringContaining('Password requirements: at least 8 characters')] });
    const reused = await refused(await authn(t, '/credentials/reset_password', { stateToken: reset.stateToken, newPassword: PASSWORD }), 403);
    expect(reused.causes).toEqual(['password: Password has been used too recently']);
    expect((await ok(await authn(t, '/credentials/reset_password', { stateToken: reset.stateToken, newPassword: 'Brand-New-Pass1' }))).status).toBe('SUCCESS');
    expect((await t.client.userApi.getUser({ userId: user.id! })).status).toBe('ACTIVE');
    expect((await ok(await signIn(t, 'Brand-New-Pass1'))).status).toBe('SUCCESS');
  });

  test('forgot password by email: RECOVERY_CHALLENGE for anyone; a user without a question goes straight to PASSWORD_RESET', async () => {
    await ada(t);
    const unknown = await ok(await authn(t, '/recovery/password', { username: 'nobody@example.com', factorType: 'EMAIL' }));
    expect(unknown.status).toBe('RECOVERY_CHALLENGE');
    expect((await stateOf(t)).recoveryTokens ?? {}).toEqual({});
    await ok(await authn(t, '/recovery/password', { username: LOGIN, factorType: 'EMAIL', relayState: '/dashboard' }));
    const [recoveryToken] = Object.keys((await stateOf(t)).recoveryTokens!);
    const reset = await ok(await authn(t, '/recovery/token', { recoveryToken }));
    expect(reset.status).toBe('PASSWORD_RESET');
    // Recovery tokens expire (the policy's email token lifetime, 60 minutes by default).
    await ok(await authn(t, '/recovery/password', { username: LOGIN, factorType: 'EMAIL' }));
    const late = Object.keys((await stateOf(t)).recoveryTokens!).find((token) => token !== recoveryToken)!;
    await t.control.advanceClock(61 * 60_000);
    expect((await refused(await authn(t, '/recovery/token', { recoveryToken: late }), 401)).errorCode).toBe('E0000011');
  });
});

describeOkta('Authentication API: MFA, expired passwords and the sign-on policy', (t) => {
  test('a user with a security question gets MFA_REQUIRED; a wrong answer is 403 E0000068; the right one gives a session with mfa', async () => {
    const user = await ada(t);
    const factor: any = await t.client.userFactorApi.enrollFactor({ userId: user.id!, body: { factorType: 'question', provider: 'OKTA', profile: { question: 'disliked_food', answer: 'mayonnaise' } } as any });
    const required = await ok(await signIn(t));
    expect(required).toMatchObject({ status: 'MFA_REQUIRED', stateToken: expect.any(String), _embedded: { factors: [{ id: factor.id, factorType: 'question', profile: { question: 'disliked_food' } }] } });
    const verify = required._embedded.factors[0]._links.verify.href;
    expect(verify).toBe(`${t.baseUrl}/api/v1/authn/factors/${factor.id}/verify`);
    const wrong = await refused(await authn(t, `/factors/${factor.id}/verify`, { stateToken: required.stateToken, answer: 'broccoli' }), 403);
    expect(wrong).toMatchObject({ errorCode: 'E0000068', causes: ["Your answer doesn't match our records. Please try again."] });
    const success = await ok(await authn(t, `/factors/${factor.id}/verify`, { stateToken: required.stateToken, answer: 'mayonnaise' }));
    expect(success.status).toBe('SUCCESS');
    const session: any = await t.client.sessionApi.createSession({ createSessionRequest: { sessionToken: success.sessionToken } });
    expect(session).toMatchObject({ amr: ['pwd', 'mfa', 'kba'] });
    // The state token is spent with the transaction.
    expect((await refused(await authn(t, `/factors/${factor.id}/verify`, { stateToken: required.stateToken, answer: 'mayonnaise' }), 401)).errorCode).toBe('E0000011');
  });

  test('sms: verifying without a passCode sends one (MFA_CHALLENGE); the code read from the phone signs in', async () => {
    const user = await ada(t);
    const factor: any = await t.client.userFactorApi.enrollFactor({ userId: user.id!, body: { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: '+1-555-415-1337' } } as any, activate: true });
    const { stateToken } = await ok(await signIn(t));
    const challenge = await ok(await authn(t, `/factors/${factor.id}/verify`, { stateToken }));
    expect(challenge).toMatchObject({ status: 'MFA_CHALLENGE', stateToken, _embedded: { factor: { id: factor.id, factorType: 'sms' } }, _links: { next: { name: 'verify' } } });
    const code = (await stateOf(t)).factorCodes![factor.id];
    const state = await ok(await authn(t, '', { stateToken }));
    expect(state.status).toBe('MFA_CHALLENGE');
    const success = await ok(await authn(t, `/factors/${factor.id}/verify`, { stateToken, passCode: code }));
    expect(success.status).toBe('SUCCESS');
    expect((await stateOf(t)).systemLog!.some((e) => e.eventType === 'user.authentication.auth_via_mfa')).toBe(true);
  });

  test('Okta Verify push: the verify call starts a challenge and is polled until the device answers', async () => {
    const user = await ada(t);
    const factor: any = await t.client.userFactorApi.enrollFactor({ userId: user.id!, body: { factorType: 'push', provider: 'OKTA' } as any });
    // The twin has no phone: the test plays Okta Verify, finishing enrollment and then answering the push.
    await changeState(t, (state) => {
      state.factors![factor.id].status = 'ACTIVE';
    });
    const { stateToken } = await ok(await signIn(t));
    const poll = () => authn(t, `/factors/${factor.id}/verify`, { stateToken });
    const waiting = await ok(await poll());
    expect(waiting).toMatchObject({ status: 'MFA_CHALLENGE', factorResult: 'WAITING', _links: { next: { name: 'poll', href: `${t.baseUrl}/api/v1/authn/factors/${factor.id}/verify` } } });
    expect((await ok(await poll())).factorResult).toBe('WAITING');
    await changeState(t, (state) => {
      const [push] = Object.values(state.factorTransactions!).filter((tx) => tx.factorId === factor.id);
      push.factorResult = 'REJECTED';
    });
    expect(await ok(await poll())).toMatchObject({ status: 'MFA_CHALLENGE', factorResult: 'REJECTED' });
    expect((await ok(await poll())).factorResult).toBe('WAITING');
    await changeState(t, (state) => {
      for (const tx of Object.values(state.factorTransactions!)) if (tx.factorResult === 'WAITING') tx.factorResult = 'SUCCESS';
    });
    const success = await ok(await poll());
    expect(success.status).toBe('SUCCESS');
    const session: any = await t.client.sessionApi.createSession({ createSessionRequest: { sessionToken: success.sessionToken } });
    expect(session.amr).toEqual(['pwd', 'mfa', 'swk']);
  });

  test('an expired password: PASSWORD_EXPIRED, change_password checks the old one and the policy, then SUCCESS', async () => {
    const user = await ada(t);
    await t.client.userApi.expirePassword({ userId: user.id! });
    const expired = await ok(await signIn(t));
    expect(expired).toMatchObject({ status: 'PASSWORD_EXPIRED', _embedded: { policy: { complexity: { minLength: 8, minNumber: 1, excludeUsername: true } } } });
    expect(expired._links.next).toEqual({ name: 'changePassword', href: `${t.baseUrl}/api/v1/authn/credentials/change_password`, hints: { allow: ['POST'] } });
    const change = (oldPassword: string, newPassword: string) => authn(t, '/credentials/change_password', { stateToken: expired.stateToken, oldPassword, newPassword });
    expect(await refused(await change('Wrong-Passw0rd', 'Brand-New-Pass1'), 403)).toMatchObject({ errorCode: 'E0000014', causes: ['oldPassword: The credentials provided were incorrect.'] });
    expect((await refused(await change(PASSWORD, 'Ada-Lovelace-99'), 403)).errorCode).toBe('E0000080');
    expect((await ok(await change(PASSWORD, 'Brand-New-Pass1'))).status).toBe('SUCCESS');
    expect((await t.client.userApi.getUser({ userId: user.id! })).status).toBe('ACTIVE');
  });

  test("the password policy's maxAgeDays expires a password at sign-in", async () => {
    const user = await ada(t);
    await passwordPolicy(t, (p) => void (p.settings.password.age.maxAgeDays = 30));
    await t.control.advanceClock(31 * 86_400_000);
    expect((await ok(await signIn(t))).status).toBe('PASSWORD_EXPIRED');
    expect((await t.client.userApi.getUser({ userId: user.id! })).status).toBe('PASSWORD_EXPIRED');
  });

  test('a factor the MFA enrollment policy REQUIRES is enrolled at sign-in: MFA_ENROLL → sms → MFA_ENROLL_ACTIVATE → the code → SUCCESS', async () => {
    const user = await ada(t);
    const policy = await (await t.fetch('/api/v1/policies/00ptwinmfaenroll0001')).json();
    policy.settings.factors.okta_sms.enroll.self = 'REQUIRED';
    await sendJson(t, '/api/v1/policies/00ptwinmfaenroll0001', policy, 'PUT');
    const enroll = await ok(await signIn(t));
    expect(enroll.status).toBe('MFA_ENROLL');
    expect(enroll._embedded.factors.find((f: any) => f.factorType === 'sms')).toMatchObject({ enrollment: 'REQUIRED', status: 'NOT_SETUP' });
    const pending = await ok(await authn(t, '/factors', { stateToken: enroll.stateToken, factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: '+1-555-415-1337' } }));
    expect(pending).toMatchObject({ status: 'MFA_ENROLL_ACTIVATE', _embedded: { factor: { factorType: 'sms', status: 'PENDING_ACTIVATION' } } });
    const factorId = pending._embedded.factor.id;
    expect(pending._links.next.href).toBe(`${t.baseUrl}/api/v1/authn/factors/${factorId}/lifecycle/activate`);
    const wrong = await refused(await authn(t, `/factors/${factorId}/lifecycle/activate`, { stateToken: enroll.stateToken, passCode: '000000' }), 403);
    expect(wrong.errorCode).toBe('E0000068');
    const success = await ok(await authn(t, `/factors/${factorId}/lifecycle/activate`, { stateToken: enroll.stateToken, passCode: (await stateOf(t)).factorCodes![factorId] }));
    expect(success.status).toBe('SUCCESS');
    expect((await t.client.userFactorApi.getFactor({ userId: user.id!, factorId })).status).toBe('ACTIVE');
    // From now on the factor is asked for, and once verified nothing more is required.
    const required = await ok(await signIn(t));
    expect(required.status).toBe('MFA_REQUIRED');
  });

  test('a sign-on rule that requires a factor sends a user without one to enroll (MFA_ENROLL); one that denies access fails the sign-in', async () => {
    const user = await ada(t);
    const group: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'Strict' } } });
    await t.client.groupApi.assignUserToGroup({ groupId: group.id, userId: user.id! });
    const policy: any = await t.client.policyApi.createPolicy({ policy: { type: 'OKTA_SIGN_ON', name: 'Strict sign-on', conditions: { people: { groups: { include: [group.id] } } } } as any });
    const rule: any = await t.client.policyApi.createPolicyRule({ policyId: policy.id, policyRule: { type: 'SIGN_ON', name: 'Require MFA', actions: { signon: { access: 'ALLOW', requireFactor: true } } } as any });
    const enroll = await ok(await signIn(t));
    expect(enroll.status).toBe('MFA_ENROLL');
    expect(enroll._embedded.factors.map((f: any) => f.factorType)).toContain('question');
    const question = enroll._embedded.factors.find((f: any) => f.factorType === 'question');
    expect(question._links.enroll.href).toBe(`${t.baseUrl}/api/v1/authn/factors`);
    const enrolled = await ok(await authn(t, '/factors', { stateToken: enroll.stateToken, factorType: 'question', provider: 'OKTA', profile: { question: 'disliked_food', answer: 'mayonnaise' } }));
    expect(enrolled.status).toBe('SUCCESS');

    await t.client.policyApi.replacePolicyRule({ policyId: policy.id, ruleId: rule.id, policyRule: { type: 'SIGN_ON', name: 'Deny', actions: { signon: { access: 'DENY' } } } as any });
    expect((await refused(await signIn(t), 401)).errorCode).toBe('E0000004');
  });
});

describeOkta('Authentication API and Sessions API: bad input', (t) => {
  test('missing fields are 400 E0000001, malformed JSON 400 E0000003, an unknown state token 401 E0000011', async () => {
    expect(await refused(await authn(t, '', { password: PASSWORD }))).toMatchObject({ errorCode: 'E0000001', causes: ['username: The field cannot be left blank'] });
    expect((await refused(await authn(t, '', { username: LOGIN }))).causes).toEqual(['password: The field cannot be left blank']);
    const malformed = await fetch(`${t.baseUrl}/api/v1/authn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":' });
    expect((await refused(malformed)).errorCode).toBe('E0000003');
    expect((await refused(await authn(t, '', { stateToken: '00nope' }), 401)).errorCode).toBe('E0000011');
    expect((await refused(await authn(t, '/cancel', { stateToken: '00nope' }), 401)).errorCode).toBe('E0000011');
    expect((await refused(await authn(t, '/recovery/password', { username: LOGIN, factorType: 'SMS' }))).errorCode).toBe('E0000001');
  });

  test('a step the transaction is not at is 403 E0000079; cancel ends the transaction', async () => {
    const user = await ada(t);
    await t.client.userApi.expirePassword({ userId: user.id! });
    const { stateToken } = await ok(await signIn(t));
    expect(await refused(await authn(t, '/factors/ufsnope/verify', { stateToken, answer: 'x' }), 403)).toMatchObject({ errorCode: 'E0000079', errorSummary: 'This operation is not allowed in the current authentication state.' });
    expect(await ok(await authn(t, '/cancel', { stateToken }))).toEqual({});
    expect((await refused(await authn(t, '', { stateToken }), 401)).errorCode).toBe('E0000011');
  });

  test('sessions: an unknown id is 404 E0000007; a blank session token 400; /sessions/me without a cookie 404', async () => {
    expect(await sdkError(t.client.sessionApi.getSession({ sessionId: '102nosuchsession' }))).toMatchObject({ status: 404, errorCode: 'E0000007' });
    expect((await refused(await sendJson(t, '/api/v1/sessions', { sessionToken: '' }))).causes).toEqual(['sessionToken: The field cannot be left blank']);
    expect((await refused(await sendJson(t, '/api/v1/sessions', { sessionToken: 42 }))).errorCode).toBe('E0000001');
    expect((await refused(await fetch(`${t.baseUrl}/api/v1/sessions/me`, { headers: { accept: 'application/json' } }), 404)).errorCode).toBe('E0000007');
    expect((await refused(await sendJson(t, '/api/v1/sessions/102nosuchsession/lifecycle/refresh'), 404)).errorCode).toBe('E0000007');
  });
});
