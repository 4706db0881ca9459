/**
 * The forgot-password credential operations (SDK userApi forgotPassword and forgotPasswordSetNewPassword). Source: Okta's
 * management spec (forgotPassword, forgotPasswordSetNewPassword).
 */
import { expect, test } from 'vitest';
import { describeOkta, refused, sdkError, sendJson, type OktaTarget } from '../../support/okta.js';

const PASSWORD = 'Tr0ub4dor-Horse9';

function activeUser(t: OktaTarget, first: string, credentials: Record<string, unknown> = {}) {
  const login = `${first.toLowerCase()}.factor@example.com`;
  return t.client.userApi.createUser({
    body: { profile: { firstName: first, lastName: 'Factor', email: login, login, secondEmail: `${first.toLowerCase()}@home.example` }, credentials: { password: { value: PASSWORD }, ...credentials } },
  });
}

describeOkta('Story: a user forgot their password', (t) => {
  test('forgotPassword answers {} by default and a reset link with sendEmail=false; the user stays ACTIVE', async () => {
    const user = await activeUser(t, 'Forgetful');
    const raw = await sendJson(t, `/api/v1/users/${user.id}/credentials/forgot_password`);
    expect(raw.status).toBe(200);
    expect(await raw.json()).toEqual({});
    const link = await t.client.userApi.forgotPassword({ userId: user.id!, sendEmail: false });
    expect(link.resetPasswordUrl).toMatch(new RegExp(`^${t.baseUrl}/signin/reset-password/[A-Za-z0-9]{20}$`));
    expect((await t.client.userApi.getUser({ userId: user.id! })).status).toBe('ACTIVE');
    const links = (await (await t.fetch(`/api/v1/users/${user.id}`)).json())._links;
    expect(links.forgotPassword.href).toBe(`${t.baseUrl}/api/v1/users/${user.id}/credentials/forgot_password`);
  });

  test('forgotPassword is refused for a user who is not ACTIVE (403 E0000038) and unknown users (404)', async () => {
    const staged = await t.client.userApi.createUser({ body: { profile: { firstName: 'Staged', lastName: 'User', email: 'staged@example.com', login: 'staged@example.com' } }, activate: false });
    const failure = await sdkError(t.client.userApi.forgotPassword({ userId: staged.id!, sendEmail: false }));
    expect(failure).toMatchObject({ status: 403, errorCode: 'E0000038', errorSummary: "This operation is not allowed in the user's current status." });
    expect((await sdkError(t.client.userApi.forgotPassword({ userId: '00unosuchuser0000001' }))).status).toBe(404);
    expect((await refused(await sendJson(t, `/api/v1/users/${staged.id}/credentials/forgot_password?sendEmail=sometimes`), 400)).errorCode).toBe('E0000001');
  });

  test('the recovery question answer sets a new password (forgotPasswordSetNewPassword)', async () => {
    const user = await activeUser(t, 'Recover', { recovery_question: { question: 'Who is a major player in the cowboy scene?', answer: 'Annie Oakley' } });
    await t.control.advanceClock(60_000);
    const credentials = await t.client.userApi.forgotPasswordSetNewPassword({
      userId: user.id!,
      userCredentials: { password: { value: 'N3w-Horse-Battery' }, recovery_question: { answer: 'Annie Oakley' } },
    });
    expect(credentials).toMatchObject({ password: {}, recovery_question: { question: 'Who is a major player in the cowboy scene?' }, provider: { type: 'OKTA', name: 'OKTA' } });
    const after = await t.client.userApi.getUser({ userId: user.id! });
    expect(after.passwordChanged?.toISOString()).toBe('2026-01-01T00:01:00.000Z');
    expect(after.status).toBe('ACTIVE');
  });

  test('a wrong recovery answer is 403 E0000087; no recovery question is 403 E0000038; a weak password is E0000014', async () => {
    const user = await activeUser(t, 'Answer', { recovery_question: { question: 'Favorite river?', answer: 'Danube' } });
    const path = `/api/v1/users/${user.id}/credentials/forgot_password_recovery_question`;
    const wrong = await refused(await sendJson(t, path, { password: { value: 'N3w-Horse-Battery' }, recovery_question: { answer: 'Rhine' } }), 403);
    expect(wrong).toMatchObject({ errorCode: 'E0000087', errorSummary: 'The recovery question answer did not match our records.', causes: [] });
    const weak = await refused(await sendJson(t, path, { password: { value: 'short' }, recovery_question: { answer: 'Danube' } }), 403);
    expect(weak.errorCode).toBe('E0000014');
    expect((await refused(await sendJson(t, path, { recovery_question: { answer: 'Danube' } }), 400)).errorCode).toBe('E0000001');
    const plain = await activeUser(t, 'Plain');
    const noQuestion = await refused(await sendJson(t, `/api/v1/users/${plain.id}/credentials/forgot_password_recovery_question`, { password: { value: 'N3w-Horse-Battery' }, recovery_question: { answer: 'x' } }), 403);
    expect(noQuestion.errorCode).toBe('E0000038');
  });
});
