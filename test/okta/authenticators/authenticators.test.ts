/**
 * Authenticators (SDK authenticatorApi): list, get, activate, deactivate, and what they govern: which factors may be
 * enrolled (Factors API) and verified at sign-in (Authentication API). Sources: the management spec
 * (listAuthenticators, getAuthenticator, activateAuthenticator, deactivateAuthenticator; the AuthenticatorsResponse
 * example) and Okta's Factors API ("Factor not enabled.").
 */
import { expect, test } from 'vitest';
import { collect, describeOkta, refused, sdkError, sendJson, stateOf, type OktaTarget } from '../../support/okta.js';

const PHONE = 'auttwinphone00000001';
const QUESTION = 'auttwinquestion00001';

async function user(t: OktaTarget) {
  return t.client.userApi.createUser({
    body: { profile: { firstName: 'Otto', lastName: 'Factor', email: 'otto@example.com', login: 'otto@example.com' }, credentials: { password: { value: 'Tr0ub4dor-Horse9' } } },
  });
}

function signIn(t: OktaTarget) {
  return fetch(`${t.baseUrl}/api/v1/authn`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ username: 'otto@example.com', password: 'Tr0ub4dor-Horse9' }) });
}

describeOkta('Authenticators API', (t) => {
  test('the org lists its authenticators, each with the lifecycle link its status allows', async () => {
    const all: any[] = await collect(await t.client.authenticatorApi.listAuthenticators());
    expect(all.map((a) => [a.key, a.type, a.status])).toEqual([
      ['okta_email', 'email', 'ACTIVE'],
      ['okta_password', 'password', 'ACTIVE'],
      ['phone_number', 'phone', 'ACTIVE'],
      ['security_question', 'security_question', 'ACTIVE'],
      ['okta_verify', 'app', 'ACTIVE'],
      ['google_otp', 'app', 'ACTIVE'],
    ]);
    const phone = await (await t.fetch(`/api/v1/authenticators/${PHONE}`)).json();
    expect(phone).toMatchObject({ id: PHONE, name: 'Phone', settings: { allowedFor: 'any' }, _links: { deactivate: { href: `${t.baseUrl}/api/v1/authenticators/${PHONE}/lifecycle/deactivate` } } });
    expect((await t.client.authenticatorApi.getAuthenticator({ authenticatorId: PHONE })).key).toBe('phone_number');
  });

  test('deactivating the phone authenticator stops sms enrollment ("Factor not enabled."); activating it allows it again', async () => {
    const otto = await user(t);
    await t.control.advanceClock(1000);
    const inactive: any = await t.client.authenticatorApi.deactivateAuthenticator({ authenticatorId: PHONE });
    expect(inactive.status).toBe('INACTIVE');
    expect(inactive.lastUpdated.toISOString()).toBe('2026-01-01T00:00:01.000Z');
    const enroll = () => t.client.userFactorApi.enrollFactor({ userId: otto.id!, body: { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: '+1-555-415-1337' } } as any });
    expect(await sdkError(enroll())).toMatchObject({ status: 400, errorCode: 'E0000001', causes: ['Factor not enabled.'] });
    expect((await t.client.authenticatorApi.activateAuthenticator({ authenticatorId: PHONE })).status).toBe('ACTIVE');
    expect((await enroll()).status).toBe('PENDING_ACTIVATION');
    expect((await stateOf(t)).systemLog!.filter((e) => e.eventType.startsWith('security.authenticator.')).map((e) => e.eventType)).toEqual([
      'security.authenticator.lifecycle.deactivate',
      'security.authenticator.lifecycle.activate',
    ]);
  });

  test("a user's factor catalog shows what the authenticators and the MFA enrollment policy allow, REQUIRED where the policy says", async () => {
    const otto = await user(t);
    const catalog = async () => (await (await t.fetch(`/api/v1/users/${otto.id}/factors/catalog`)).json()).map((f: any) => `${f.factorType}/${f.provider}/${f.enrollment}`);
    expect(await catalog()).toContain('sms/OKTA/OPTIONAL');
    await t.client.authenticatorApi.deactivateAuthenticator({ authenticatorId: PHONE });
    const raw = await (await t.fetch('/api/v1/policies/00ptwinmfaenroll0001')).json();
    raw.settings.factors.okta_question.enroll.self = 'REQUIRED';
    await sendJson(t, '/api/v1/policies/00ptwinmfaenroll0001', raw, 'PUT');
    const after = await catalog();
    expect(after).toContain('question/OKTA/REQUIRED');
    expect(after.some((f: string) => f.startsWith('sms/') || f.startsWith('call/'))).toBe(false);
  });

  test('a factor whose authenticator is inactive is not asked for at sign-in', async () => {
    const otto = await user(t);
    await t.client.userFactorApi.enrollFactor({ userId: otto.id!, body: { factorType: 'question', provider: 'OKTA', profile: { question: 'disliked_food', answer: 'mayonnaise' } } as any });
    expect((await (await signIn(t)).json()).status).toBe('MFA_REQUIRED');
    await t.client.authenticatorApi.deactivateAuthenticator({ authenticatorId: QUESTION });
    expect((await (await signIn(t)).json()).status).toBe('SUCCESS');
  });

  test('bad input: an unknown authenticator is 404 E0000007; the password authenticator cannot be deactivated (400)', async () => {
    expect(await sdkError(t.client.authenticatorApi.getAuthenticator({ authenticatorId: 'autnosuchthing000001' }))).toMatchObject({
      status: 404,
      errorCode: 'E0000007',
      errorSummary: 'Not found: Resource not found: autnosuchthing000001 (Authenticator)',
    });
    expect((await refused(await sendJson(t, '/api/v1/authenticators/autnosuchthing000001/lifecycle/activate'), 404)).errorCode).toBe('E0000007');
    expect((await refused(await sendJson(t, '/api/v1/authenticators/auttwinpassword00001/lifecycle/deactivate'))).causes).toEqual(['The password authenticator cannot be deactivated.']);
  });
});
