/**
 * The Factors API (SDK userFactorApi) and the reset_factors lifecycle operation. Sources: Okta's management spec
 * (enrollFactor, activateFactor, verifyFactor, getFactorTransactionStatus and the EnrollFactor*Response,
 * ListFactorsResults and UserFactorVerify* examples) and Okta's Factors API reference.
 */
import { createHmac } from 'node:crypto';
import { expect, test } from 'vitest';
import { collect, describeOkta, refused, sdkError, sendJson, stateOf, changeState, type OktaTarget } from '../../support/okta.js';

const PASSWORD = 'Tr0ub4dor-Horse9';
const PHONE = '+1-555-415-1337';
const FACTOR_ID = /^[A-Za-z0-9]{20}$/;
const WRONG_PASSCODE = ["Your passcode doesn't match our records. Please try again."];

function activeUser(t: OktaTarget, first: string, credentials: Record<string, unknown> = {}) {
  const login = `${first.toLowerCase()}.factor@example.com`;
  return t.client.userApi.createUser({
    body: { profile: { firstName: first, lastName: 'Factor', email: login, login, secondEmail: `${first.toLowerCase()}@home.example` }, credentials: { password: { value: PASSWORD }, ...credentials } },
  });
}

function enroll(t: OktaTarget, userId: string, body: Record<string, unknown>, options: { activate?: boolean; updatePhone?: boolean } = {}) {
  return t.client.userFactorApi.enrollFactor({ userId, body: body as any, ...options });
}

/** The passcode the twin "sent" for a factor, as the user would read it on their phone or in their inbox. */
async function sentCode(t: OktaTarget, factorId: string): Promise<string> {
  return (await stateOf(t)).factorCodes![factorId];
}

function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const bytes = bits.match(/.{8}/g) ?? [];
  return Buffer.from(bytes.map((byte) => parseInt(byte, 2)));
}

/** What an authenticator app shows (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), `offset` steps from the twin's now. */
async function authenticatorCode(t: OktaTarget, secret: string, offset = 0): Promise<string> {
  const step = Math.floor((await t.control.now()).getTime() / 30_000) + offset;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const hmac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const at = hmac[19] & 0xf;
  const value = ((hmac[at] & 0x7f) << 24) | (hmac[at + 1] << 16) | (hmac[at + 2] << 8) | hmac[at + 3];
  return String(value % 1_000_000).padStart(6, '0');
}

describeOkta('Story: a user secures their account with SMS', (t) => {
  test('enroll sms → activate with the code sent → listed ACTIVE → a challenge and its code verify', async () => {
    const user = await activeUser(t, 'Sam');
    const factor: any = await enroll(t, user.id!, { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: PHONE } });
    expect(factor).toMatchObject({ factorType: 'sms', provider: 'OKTA', vendorName: 'OKTA', status: 'PENDING_ACTIVATION', profile: { phoneNumber: PHONE } });
    expect(factor.id).toMatch(/^sms/);
    expect(factor.id).toMatch(FACTOR_ID);
    expect(factor._links.activate.href).toBe(`${t.baseUrl}/api/v1/users/${user.id}/factors/${factor.id}/lifecycle/activate`);
    const code = await sentCode(t, factor.id);
    expect(code).toMatch(/^\d{6}$/);

    const activated: any = await t.client.userFactorApi.activateFactor({ userId: user.id!, factorId: factor.id, body: { passCode: code } });
    expect(activated).toMatchObject({ id: factor.id, factorType: 'sms', status: 'ACTIVE' });
    expect(activated._links.verify.href).toBe(`${t.baseUrl}/api/v1/users/${user.id}/factors/${factor.id}/verify`);

    const listed = await collect(await t.client.userFactorApi.listFactors({ userId: user.id! }));
    expect(listed.map((f: any) => [f.id, f.factorType, f.status])).toEqual([[factor.id, 'sms', 'ACTIVE']]);

    const challenge: any = await t.client.userFactorApi.verifyFactor({ userId: user.id!, factorId: factor.id });
    expect(challenge).toMatchObject({ factorResult: 'CHALLENGE', profile: { phoneNumber: PHONE } });
    expect(challenge._links.verify.href).toBe(`${t.baseUrl}/api/v1/users/${user.id}/factors/${factor.id}/verify`);
    const verified: any = await t.client.userFactorApi.verifyFactor({ userId: user.id!, factorId: factor.id, body: { passCode: await sentCode(t, factor.id) } });
    expect(verified.factorResult).toBe('SUCCESS');
  });

  test('raw JSON of a pending sms factor: resend link, self without DELETE, user link, timestamps from the twin clock', async () => {
    const user = await activeUser(t, 'Raw');
    const res = await sendJson(t, `/api/v1/users/${user.id}/factors`, { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: PHONE } });
    expect(res.status).toBe(200);
    const factor = await res.json();
    const self = `${t.baseUrl}/api/v1/users/${user.id}/factors/${factor.id}`;
    expect(factor).toEqual({
      id: factor.id,
      factorType: 'sms',
      provider: 'OKTA',
      vendorName: 'OKTA',
      status: 'PENDING_ACTIVATION',
      created: '2026-01-01T00:00:00.000Z',
      lastUpdated: '2026-01-01T00:00:00.000Z',
      profile: { phoneNumber: PHONE },
      _links: {
        activate: { href: `${self}/lifecycle/activate`, hints: { allow: ['POST'] } },
        resend: [{ name: 'sms', href: `${self}/resend`, hints: { allow: ['POST'] } }],
        self: { href: self, hints: { allow: ['GET'] } },
        user: { href: `${t.baseUrl}/api/v1/users/${user.id}`, hints: { allow: ['GET'] } },
      },
    });
  });

  test('activate=true enrolls sms ACTIVE at once and sends no code', async () => {
    const user = await activeUser(t, 'Auto');
    const factor: any = await enroll(t, user.id!, { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: PHONE } }, { activate: true });
    expect(factor.status).toBe('ACTIVE');
    expect((await stateOf(t)).factorCodes![factor.id]).toBeUndefined();
  });

  test('resend sends a new code; the earlier one no longer activates', async () => {
    const user = await activeUser(t, 'Resend');
    const factor: any = await enroll(t, user.id!, { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: PHONE } });
    const first = await sentCode(t, factor.id);
    const resent: any = await t.client.userFactorApi.resendEnrollFactor({ userId: user.id!, factorId: factor.id, resendUserFactor: { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: PHONE } } as any });
    expect(resent).toMatchObject({ id: factor.id, status: 'PENDING_ACTIVATION' });
    const second = await sentCode(t, factor.id);
    expect(second).not.toBe(first);
    const failure = await refused(await sendJson(t, `/api/v1/users/${user.id}/factors/${factor.id}/lifecycle/activate`, { passCode: first }), 403);
    expect(failure).toMatchObject({ errorCode: 'E0000068', errorSummary: 'Invalid Passcode/Answer', causes: WRONG_PASSCODE });
    const activated: any = await t.client.userFactorApi.activateFactor({ userId: user.id!, factorId: factor.id, body: { passCode: second } });
    expect(activated.status).toBe('ACTIVE');
  });

  test('re-enrolling a pending sms factor keeps its id; a new number needs updatePhone=true', async () => {
    const user = await activeUser(t, 'Phone');
    const factor: any = await enroll(t, user.id!, { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: PHONE } });
    const other = '+1-555-415-9999';
    const failure = await sdkError(enroll(t, user.id!, { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: other } }));
    expect(failure).toMatchObject({ status: 400, errorCode: 'E0000001', errorSummary: 'Api validation failed: factorEnrollRequest', causes: ['There is an existing verified phone number.'] });
    const updated: any = await enroll(t, user.id!, { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: other } }, { updatePhone: true });
    expect(updated).toMatchObject({ id: factor.id, status: 'PENDING_ACTIVATION', profile: { phoneNumber: other } });
    expect(await collect(await t.client.userFactorApi.listFactors({ userId: user.id! }))).toHaveLength(1);
  });

  test('a call factor gets a clf id and a 5-digit voice code, and keeps its extension', async () => {
    const user = await activeUser(t, 'Caller');
    const factor: any = await enroll(t, user.id!, { factorType: 'call', provider: 'OKTA', profile: { phoneNumber: PHONE, phoneExtension: '1234' } });
    expect(factor.id).toMatch(/^clf/);
    expect(factor.profile).toEqual({ phoneNumber: PHONE, phoneExtension: '1234' });
    expect(await sentCode(t, factor.id)).toMatch(/^\d{5}$/);
    const activated: any = await t.client.userFactorApi.activateFactor({ userId: user.id!, factorId: factor.id, body: { passCode: await sentCode(t, factor.id) } });
    expect(activated.status).toBe('ACTIVE');
    const challenge: any = await t.client.userFactorApi.verifyFactor({ userId: user.id!, factorId: factor.id });
    expect(challenge).toMatchObject({ factorResult: 'CHALLENGE', profile: { phoneNumber: PHONE, phoneExtension: '1234' } });
  });
});

describeOkta('Story: a user enrolls an authenticator app (token:software:totp)', (t) => {
  test('Okta Verify TOTP: the shared secret is embedded; a code computed from it activates, a later one verifies', async () => {
    const user = await activeUser(t, 'Tina');
    const factor: any = await enroll(t, user.id!, { factorType: 'token:software:totp', provider: 'OKTA' });
    expect(factor).toMatchObject({ factorType: 'token:software:totp', provider: 'OKTA', status: 'PENDING_ACTIVATION', profile: { credentialId: 'tina.factor@example.com' } });
    expect(factor.id).toMatch(/^ost/);
    expect(factor.id).toMatch(FACTOR_ID);
    const activation = factor._embedded.activation;
    expect(activation).toMatchObject({ timeStep: 30, encoding: 'base32', keyLength: 6 });
    expect(activation.sharedSecret).toMatch(/^[A-Z2-7]{16}$/);
    expect(activation._links.qrcode).toEqual({ href: expect.stringMatching(new RegExp(`^${t.baseUrl}/api/v1/users/${user.id}/factors/${factor.id}/qr/00`)), type: 'image/png' });

    const activated: any = await t.client.userFactorApi.activateFactor({ userId: user.id!, factorId: factor.id, body: { passCode: await authenticatorCode(t, activation.sharedSecret) } });
    expect(activated).toMatchObject({ id: factor.id, status: 'ACTIVE' });
    expect(activated._embedded).toBeUndefined();

    await t.control.advanceClock(30_000);
    const verified: any = await t.client.userFactorApi.verifyFactor({ userId: user.id!, factorId: factor.id, body: { passCode: await authenticatorCode(t, activation.sharedSecret) } });
    expect(verified.factorResult).toBe('SUCCESS');
  });

  test('Google Authenticator: a uft id, GOOGLE vendor, and a code one step old still activates', async () => {
    const user = await activeUser(t, 'Gina');
    const factor: any = await enroll(t, user.id!, { factorType: 'token:software:totp', provider: 'GOOGLE' });
    expect(factor).toMatchObject({ provider: 'GOOGLE', vendorName: 'GOOGLE', status: 'PENDING_ACTIVATION' });
    expect(factor.id).toMatch(/^uft/);
    const activated: any = await t.client.userFactorApi.activateFactor({
      userId: user.id!,
      factorId: factor.id,
      body: { passCode: await authenticatorCode(t, factor._embedded.activation.sharedSecret, -1) },
    });
    expect(activated.status).toBe('ACTIVE');
  });

  test('a pending TOTP factor shows its activation in the list too (ListFactorsResults)', async () => {
    const user = await activeUser(t, 'Lister');
    const factor: any = await enroll(t, user.id!, { factorType: 'token:software:totp', provider: 'OKTA' });
    const [listed]: any[] = await collect(await t.client.userFactorApi.listFactors({ userId: user.id! }));
    expect(listed._embedded.activation.sharedSecret).toBe(factor._embedded.activation.sharedSecret);
  });

  test('a wrong TOTP code is 403 E0000068; a code two steps away is wrong too; the same code twice is E0000082', async () => {
    const user = await activeUser(t, 'Wrong');
    const factor: any = await enroll(t, user.id!, { factorType: 'token:software:totp', provider: 'OKTA' });
    const secret = factor._embedded.activation.sharedSecret;
    const activate = (passCode: string) => sendJson(t, `/api/v1/users/${user.id}/factors/${factor.id}/lifecycle/activate`, { passCode });
    const current = await authenticatorCode(t, secret);
    expect(await refused(await activate(current === '000000' ? '111111' : '000000'), 403)).toMatchObject({ errorCode: 'E0000068', errorSummary: 'Invalid Passcode/Answer', causes: WRONG_PASSCODE });
    expect((await refused(await activate(await authenticatorCode(t, secret, 2)), 403)).errorCode).toBe('E0000068');
    expect((await activate(current)).status).toBe(200);
    const replay = await refused(await sendJson(t, `/api/v1/users/${user.id}/factors/${factor.id}/verify`, { passCode: current }), 403);
    expect(replay).toMatchObject({ errorCode: 'E0000082', errorSummary: 'Each code can only be used once. Please wait for a new code and try again.', causes: [] });
  });
});

describeOkta('Story: a user sets a security question', (t) => {
  test('the questions list, then enroll: ACTIVE at once, the answer never shown; a right answer verifies', async () => {
    const user = await activeUser(t, 'Quinn');
    const questions = await collect(await t.client.userFactorApi.listSupportedSecurityQuestions({ userId: user.id! }));
    expect(questions).toHaveLength(20);
    expect(questions[0]).toMatchObject({ question: 'disliked_food', questionText: 'What is the food you least liked as a child?' });

    const factor: any = await enroll(t, user.id!, { factorType: 'question', provider: 'OKTA', profile: { question: 'disliked_food', answer: 'mayonnaise' } });
    expect(factor).toMatchObject({ factorType: 'question', status: 'ACTIVE', profile: { question: 'disliked_food', questionText: 'What is the food you least liked as a child?' } });
    expect(factor.id).toMatch(/^ufs/);
    expect(factor.profile.answer).toBeUndefined();
    const raw = await (await t.fetch(`/api/v1/users/${user.id}/factors/${factor.id}`)).json();
    expect(raw._links.questions.href).toBe(`${t.baseUrl}/api/v1/users/${user.id}/factors/questions`);
    expect(raw._links.self.hints.allow).toEqual(['GET', 'DELETE']);
    expect(raw._links.verify).toBeUndefined();

    const verified: any = await t.client.userFactorApi.verifyFactor({ userId: user.id!, factorId: factor.id, body: { answer: 'mayonnaise' } as any });
    expect(verified.factorResult).toBe('SUCCESS');
  });

  test('a wrong answer is 403 E0000068 with the answer wording', async () => {
    const user = await activeUser(t, 'Wronganswer');
    const factor: any = await enroll(t, user.id!, { factorType: 'question', provider: 'OKTA', profile: { question: 'first_award', answer: 'spelling bee' } });
    const failure = await sdkError(t.client.userFactorApi.verifyFactor({ userId: user.id!, factorId: factor.id, body: { answer: 'chess' } as any }));
    expect(failure).toMatchObject({ status: 403, errorCode: 'E0000068', errorSummary: 'Invalid Passcode/Answer', causes: ["Your answer doesn't match our records. Please try again."] });
  });

  test('an unknown question key or a missing answer is "Invalid Profile."; an answer under 4 characters is refused', async () => {
    const user = await activeUser(t, 'Badquestion');
    for (const profile of [{ question: 'favorite_color', answer: 'blue sky' }, { question: 'disliked_food' }]) {
      const failure = await refused(await sendJson(t, `/api/v1/users/${user.id}/factors`, { factorType: 'question', provider: 'OKTA', profile }), 400);
      expect(failure).toMatchObject({ errorCode: 'E0000001', errorSummary: 'Api validation failed: factorEnrollRequest', causes: ['Invalid Profile.'] });
    }
    const short = await refused(await sendJson(t, `/api/v1/users/${user.id}/factors`, { factorType: 'question', provider: 'OKTA', profile: { question: 'disliked_food', answer: 'ham' } }), 400);
    expect(short.causes).toEqual(['The security question answer must be at least 4 characters in length']);
    expect(await collect(await t.client.userFactorApi.listFactors({ userId: user.id! }))).toEqual([]);
  });
});

describeOkta('Story: a user sets up Okta Verify push', (t) => {
  test('enroll push: PENDING_ACTIVATION with an activation WAITING for the device, a poll link and a QR code', async () => {
    const user = await activeUser(t, 'Pat');
    const factor: any = await enroll(t, user.id!, { factorType: 'push', provider: 'OKTA' });
    expect(factor).toMatchObject({ factorType: 'push', status: 'PENDING_ACTIVATION' });
    expect(factor.id).toMatch(/^opf/);
    expect(factor.profile).toBeUndefined();
    const self = `${t.baseUrl}/api/v1/users/${user.id}/factors/${factor.id}`;
    expect(factor._links.poll.href).toBe(`${self}/lifecycle/activate/poll`);
    expect(factor._embedded.activation).toMatchObject({ factorResult: 'WAITING', expiresAt: '2026-01-01T00:10:00.000Z' });
    expect(factor._embedded.activation._links.qrcode.type).toBe('image/png');
    expect(factor._embedded.activation._links.send.map((s: any) => s.name)).toEqual(['email', 'sms']);

    const waiting = await (await sendJson(t, `/api/v1/users/${user.id}/factors/${factor.id}/lifecycle/activate`)).json();
    expect(waiting).toMatchObject({ factorResult: 'WAITING', expiresAt: '2026-01-01T00:10:00.000Z' });
    await t.control.advanceClock(600_000);
    const timedOut = await (await sendJson(t, `/api/v1/users/${user.id}/factors/${factor.id}/lifecycle/activate`)).json();
    expect(timedOut.factorResult).toBe('TIMEOUT');
  });

  test('once the device enrolls, a push challenge is 201 WAITING with a poll link; the transaction follows the device', async () => {
    const user = await activeUser(t, 'Pusher');
    const factor: any = await enroll(t, user.id!, { factorType: 'push', provider: 'OKTA' });
    // The twin has no phone: the test plays Okta Verify finishing enrollment.
    await changeState(t, (state) => {
      state.factors![factor.id].status = 'ACTIVE';
    });
    const active: any = await t.client.userFactorApi.activateFactor({ userId: user.id!, factorId: factor.id });
    expect(active).toMatchObject({ id: factor.id, status: 'ACTIVE' });

    const raw = await sendJson(t, `/api/v1/users/${user.id}/factors/${factor.id}/verify`);
    expect(raw.status).toBe(201);
    const challenge = await raw.json();
    expect(challenge).toMatchObject({ factorResult: 'WAITING', expiresAt: '2026-01-01T00:05:00.000Z' });
    const transactionId = challenge._links.poll.href.split('/transactions/')[1];
    expect(transactionId).toMatch(/^v2mst\./);
    expect(challenge._links.cancel.hints.allow).toEqual(['DELETE']);

    const viaSdk: any = await t.client.userFactorApi.verifyFactor({ userId: user.id!, factorId: factor.id });
    expect(viaSdk.factorResult).toBe('WAITING');
    expect(viaSdk._links.poll.href).toContain('/transactions/v2mst.');

    const poll = () => t.client.userFactorApi.getFactorTransactionStatus({ userId: user.id!, factorId: factor.id, transactionId });
    expect(((await poll()) as any).factorResult).toBe('WAITING');
    await changeState(t, (state) => {
      state.factorTransactions![transactionId].factorResult = 'SUCCESS';
    });
    expect(await poll()).toMatchObject({ factorResult: 'SUCCESS' });
  });

  test('an unanswered push times out; a rejected one says REJECTED with a verify link', async () => {
    const user = await activeUser(t, 'Timeout');
    const factor: any = await enroll(t, user.id!, { factorType: 'push', provider: 'OKTA' });
    await changeState(t, (state) => {
      state.factors![factor.id].status = 'ACTIVE';
    });
    const pollOf = async () => (await (await sendJson(t, `/api/v1/users/${user.id}/factors/${factor.id}/verify`)).json())._links.poll.href.slice(t.baseUrl.length);
    const first = await pollOf();
    const second = await pollOf();
    await changeState(t, (state) => {
      state.factorTransactions![second.split('/transactions/')[1]].factorResult = 'REJECTED';
    });
    const rejected = await (await t.fetch(second)).json();
    expect(rejected).toMatchObject({ factorResult: 'REJECTED', profile: { credentialId: 'timeout.factor@example.com' } });
    expect(rejected._links.verify.href).toBe(`${t.baseUrl}/api/v1/users/${user.id}/factors/${factor.id}/verify`);
    await t.control.advanceClock(300_000);
    expect((await (await t.fetch(first)).json()).factorResult).toBe('TIMEOUT');
  });
});

describeOkta('Story: email factor', (t) => {
  test('enroll with the primary email → a 6-digit code → ACTIVE; the secondary email is accepted too', async () => {
    const user = await activeUser(t, 'Emma');
    const factor: any = await enroll(t, user.id!, { factorType: 'email', provider: 'OKTA', profile: { email: 'emma.factor@example.com' } });
    expect(factor).toMatchObject({ factorType: 'email', status: 'PENDING_ACTIVATION', profile: { email: 'emma.factor@example.com' } });
    expect(factor.id).toMatch(/^emf/);
    expect(await sentCode(t, factor.id)).toMatch(/^\d{6}$/);
    const activated: any = await t.client.userFactorApi.activateFactor({ userId: user.id!, factorId: factor.id, body: { passCode: await sentCode(t, factor.id) } });
    expect(activated.status).toBe('ACTIVE');
    const challenge: any = await t.client.userFactorApi.verifyFactor({ userId: user.id!, factorId: factor.id });
    expect(challenge.factorResult).toBe('CHALLENGE');
    expect(challenge.profile).toBeUndefined();

    const other = await activeUser(t, 'Second');
    const secondary: any = await enroll(t, other.id!, { factorType: 'email', provider: 'OKTA', profile: { email: 'second@home.example' } });
    expect(secondary.profile.email).toBe('second@home.example');
  });

  test('an address that is not the user\'s is refused; tokenLifetimeSeconds limits the code\'s life', async () => {
    const user = await activeUser(t, 'Elsewhere');
    const failure = await refused(await sendJson(t, `/api/v1/users/${user.id}/factors`, { factorType: 'email', provider: 'OKTA', profile: { email: 'someone@else.example' } }), 400);
    expect(failure).toMatchObject({ errorCode: 'E0000001', errorSummary: 'Api validation failed: Only verified primary or secondary email can be enrolled.', causes: [] });
    const factor = await (await sendJson(t, `/api/v1/users/${user.id}/factors?tokenLifetimeSeconds=60`, { factorType: 'email', provider: 'OKTA' })).json();
    expect(factor.profile.email).toBe('elsewhere.factor@example.com');
    const code = await sentCode(t, factor.id);
    await t.control.advanceClock(61_000);
    expect((await refused(await sendJson(t, `/api/v1/users/${user.id}/factors/${factor.id}/lifecycle/activate`, { passCode: code }), 403)).errorCode).toBe('E0000068');
  });
});

describeOkta('Story: an admin reviews, removes and resets factors', (t) => {
  test('the catalog lists the org\'s factors, NOT_SETUP until enrolled', async () => {
    const user = await activeUser(t, 'Cat');
    const before = await collect(await t.client.userFactorApi.listSupportedFactors({ userId: user.id! }));
    expect(before.map((f: any) => `${f.factorType}/${f.provider}/${f.status}`)).toEqual([
      'question/OKTA/NOT_SETUP',
      'token:software:totp/OKTA/NOT_SETUP',
      'token:software:totp/GOOGLE/NOT_SETUP',
      'sms/OKTA/NOT_SETUP',
      'call/OKTA/NOT_SETUP',
      'email/OKTA/NOT_SETUP',
      'push/OKTA/NOT_SETUP',
    ]);
    expect((before[0] as any)._links.enroll.href).toBe(`${t.baseUrl}/api/v1/users/${user.id}/factors`);
    await enroll(t, user.id!, { factorType: 'question', provider: 'OKTA', profile: { question: 'favorite_toy', answer: 'teddy bear' } });
    const after: any[] = await collect(await t.client.userFactorApi.listSupportedFactors({ userId: user.id! }));
    expect(after[0]).toMatchObject({ factorType: 'question', status: 'ACTIVE' });
  });

  test('unenrolling a factor is 204; it is gone and its type can be enrolled again', async () => {
    const user = await activeUser(t, 'Unenroll');
    const factor: any = await enroll(t, user.id!, { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: PHONE } }, { activate: true });
    await t.client.userFactorApi.unenrollFactor({ userId: user.id!, factorId: factor.id });
    const gone = await sdkError(t.client.userFactorApi.getFactor({ userId: user.id!, factorId: factor.id }));
    expect(gone).toMatchObject({ status: 404, errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${factor.id} (UserFactor)` });
    expect(await collect(await t.client.userFactorApi.listFactors({ userId: user.id! }))).toEqual([]);
    const again: any = await enroll(t, user.id!, { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: PHONE } });
    expect(again.id).not.toBe(factor.id);
  });

  test('unenrolling Okta Verify push also unenrolls Okta Verify TOTP, not Google Authenticator', async () => {
    const user = await activeUser(t, 'Verify');
    const push: any = await enroll(t, user.id!, { factorType: 'push', provider: 'OKTA' });
    await enroll(t, user.id!, { factorType: 'token:software:totp', provider: 'OKTA' });
    const google: any = await enroll(t, user.id!, { factorType: 'token:software:totp', provider: 'GOOGLE' });
    const res = await t.fetch(`/api/v1/users/${user.id}/factors/${push.id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect((await collect(await t.client.userFactorApi.listFactors({ userId: user.id! }))).map((f: any) => f.id)).toEqual([google.id]);
  });

  test('reset_factors unenrolls every factor, answers {} and leaves the user ACTIVE; the user link shows only while factors exist', async () => {
    const user = await activeUser(t, 'Reset');
    const userPath = `/api/v1/users/${user.id}`;
    expect((await (await t.fetch(userPath)).json())._links.resetFactors).toBeUndefined();
    await enroll(t, user.id!, { factorType: 'question', provider: 'OKTA', profile: { question: 'favorite_toy', answer: 'teddy bear' } });
    await enroll(t, user.id!, { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: PHONE } }, { activate: true });
    await enroll(t, user.id!, { factorType: 'token:software:totp', provider: 'OKTA' });
    const other = await activeUser(t, 'Bystander');
    await enroll(t, other.id!, { factorType: 'question', provider: 'OKTA', profile: { question: 'favorite_toy', answer: 'rocking horse' } });
    expect((await (await t.fetch(userPath)).json())._links.resetFactors).toEqual({ href: `${t.baseUrl}${userPath}/lifecycle/reset_factors`, method: 'POST' });

    const raw = await sendJson(t, `${userPath}/lifecycle/reset_factors`);
    expect(raw.status).toBe(200);
    expect(await raw.json()).toEqual({});
    expect(await collect(await t.client.userFactorApi.listFactors({ userId: user.id! }))).toEqual([]);
    expect(await collect(await t.client.userFactorApi.listFactors({ userId: other.id! }))).toHaveLength(1);
    const after = await (await t.fetch(userPath)).json();
    expect(after.status).toBe('ACTIVE');
    expect(after._links.resetFactors).toBeUndefined();
  });

  test('the SDK resets factors (userApi.resetFactors)', async () => {
    const user = await activeUser(t, 'Sdkreset');
    await enroll(t, user.id!, { factorType: 'email', provider: 'OKTA' }, { activate: true });
    await t.client.userApi.resetFactors({ userId: user.id! });
    expect(await collect(await t.client.userFactorApi.listFactors({ userId: user.id! }))).toEqual([]);
  });

  test('a new user has no factors; the questions and catalog of an unknown user are 404', async () => {
    const user = await activeUser(t, 'Nofactors');
    expect(await (await t.fetch(`/api/v1/users/${user.id}/factors`)).json()).toEqual([]);
    for (const path of ['factors', 'factors/catalog', 'factors/questions']) {
      const failure = await refused(await t.fetch(`/api/v1/users/00unosuchuser0000001/${path}`), 404);
      expect(failure).toMatchObject({ errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: 00unosuchuser0000001 (User)', causes: [] });
    }
  });
});

describeOkta('Factors API: refused input', (t) => {
  test('enrolling a factor type the org does not offer, or an unknown type, is 400 E0000001', async () => {
    const user = await activeUser(t, 'Unsupported');
    const u2f = await refused(await sendJson(t, `/api/v1/users/${user.id}/factors`, { factorType: 'u2f', provider: 'FIDO' }), 400);
    expect(u2f).toMatchObject({ errorCode: 'E0000001', errorSummary: 'Api validation failed: factorEnrollRequest', causes: ['Factor not enabled.'] });
    const googleSms = await refused(await sendJson(t, `/api/v1/users/${user.id}/factors`, { factorType: 'sms', provider: 'GOOGLE', profile: { phoneNumber: PHONE } }), 400);
    expect(googleSms.causes).toEqual(['Factor not allowed for the user based on the Multifactor policy.']);
    expect((await refused(await sendJson(t, `/api/v1/users/${user.id}/factors`, { factorType: 'carrier-pigeon', provider: 'OKTA' }), 400)).errorCode).toBe('E0000001');
    expect((await refused(await sendJson(t, `/api/v1/users/${user.id}/factors`, { provider: 'OKTA' }), 400)).errorCode).toBe('E0000001');
  });

  test('a factor of a type already ACTIVE cannot be enrolled again (400 "A factor of this type is already set up.")', async () => {
    const user = await activeUser(t, 'Twice');
    await enroll(t, user.id!, { factorType: 'question', provider: 'OKTA', profile: { question: 'favorite_toy', answer: 'teddy bear' } });
    const failure = await sdkError(enroll(t, user.id!, { factorType: 'question', provider: 'OKTA', profile: { question: 'first_award', answer: 'spelling' } }));
    expect(failure).toMatchObject({ status: 400, errorCode: 'E0000001', errorSummary: 'Api validation failed: factorEnrollRequest', causes: ['A factor of this type is already set up.'] });
  });

  test('a bad or missing phone number is 400 "Invalid Phone Number."', async () => {
    const user = await activeUser(t, 'Badphone');
    for (const profile of [{ phoneNumber: 'call me maybe' }, { phoneNumber: '5554151337' }, {}]) {
      const failure = await refused(await sendJson(t, `/api/v1/users/${user.id}/factors`, { factorType: 'sms', provider: 'OKTA', profile }), 400);
      expect(failure).toMatchObject({ errorCode: 'E0000001', errorSummary: 'Api validation failed: factorEnrollRequest', causes: ['Invalid Phone Number.'] });
    }
  });

  test('malformed JSON is E0000003 on enroll, activate and verify', async () => {
    const user = await activeUser(t, 'Malformed');
    const factor: any = await enroll(t, user.id!, { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: PHONE } });
    for (const path of ['factors', `factors/${factor.id}/lifecycle/activate`, `factors/${factor.id}/verify`]) {
      const res = await t.fetch(`/api/v1/users/${user.id}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"passCode": ' });
      expect((await refused(res, 400)).errorCode).toBe('E0000003');
    }
  });

  test('query parameters out of range are 400 E0000001', async () => {
    const user = await activeUser(t, 'Query');
    const res = await sendJson(t, `/api/v1/users/${user.id}/factors?tokenLifetimeSeconds=0`, { factorType: 'email', provider: 'OKTA' });
    expect((await refused(res, 400)).errorCode).toBe('E0000001');
    const activate = await sendJson(t, `/api/v1/users/${user.id}/factors?activate=perhaps`, { factorType: 'email', provider: 'OKTA' });
    expect((await refused(activate, 400)).errorCode).toBe('E0000001');
    const factor: any = await enroll(t, user.id!, { factorType: 'email', provider: 'OKTA' }, { activate: true });
    const unenroll = await t.fetch(`/api/v1/users/${user.id}/factors/${factor.id}?removeRecoveryEnrollment=perhaps`, { method: 'DELETE' });
    expect((await refused(unenroll, 400)).errorCode).toBe('E0000001');
    const verify = await sendJson(t, `/api/v1/users/${user.id}/factors/${factor.id}/verify?tokenLifetimeSeconds=86401`);
    expect((await refused(verify, 400)).errorCode).toBe('E0000001');
    expect((await t.client.userFactorApi.getFactor({ userId: user.id!, factorId: factor.id })).status).toBe('ACTIVE');
  });

  test('an unknown factor, or another user\'s factor, is 404 on get, activate, verify, resend and delete', async () => {
    const owner = await activeUser(t, 'Owner');
    const stranger = await activeUser(t, 'Stranger');
    const factor: any = await enroll(t, owner.id!, { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: PHONE } });
    for (const factorId of ['smsnosuchfactor00001', factor.id]) {
      const base = `/api/v1/users/${stranger.id}/factors/${factorId}`;
      const responses = [
        await t.fetch(base),
        await t.fetch(base, { method: 'DELETE' }),
        await sendJson(t, `${base}/lifecycle/activate`, { passCode: '123456' }),
        await sendJson(t, `${base}/verify`, { passCode: '123456' }),
        await sendJson(t, `${base}/resend`, { factorType: 'sms', provider: 'OKTA' }),
        await t.fetch(`${base}/transactions/v2mst.nosuchtransaction`),
      ];
      for (const res of responses) expect(await refused(res, 404)).toMatchObject({ errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${factorId} (UserFactor)`, causes: [] });
    }
    expect((await t.client.userFactorApi.getFactor({ userId: owner.id!, factorId: factor.id })).id).toBe(factor.id);
  });

  test('an unknown transaction of a real factor is 404', async () => {
    const user = await activeUser(t, 'Notransaction');
    const factor: any = await enroll(t, user.id!, { factorType: 'push', provider: 'OKTA' });
    const failure = await sdkError(t.client.userFactorApi.getFactorTransactionStatus({ userId: user.id!, factorId: factor.id, transactionId: 'v2mst.nosuchtransaction' }));
    expect(failure).toMatchObject({ status: 404, errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: v2mst.nosuchtransaction (Transaction)' });
  });

  test('activating without a code, or an ACTIVE factor, is refused', async () => {
    const user = await activeUser(t, 'Activate');
    const sms: any = await enroll(t, user.id!, { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: PHONE } });
    expect(await refused(await sendJson(t, `/api/v1/users/${user.id}/factors/${sms.id}/lifecycle/activate`), 403)).toMatchObject({ errorCode: 'E0000068', causes: WRONG_PASSCODE });
    const question: any = await enroll(t, user.id!, { factorType: 'question', provider: 'OKTA', profile: { question: 'favorite_toy', answer: 'teddy bear' } });
    const failure = await sdkError(t.client.userFactorApi.activateFactor({ userId: user.id!, factorId: question.id, body: { passCode: '123456' } }));
    expect(failure).toMatchObject({ status: 400, errorCode: 'E0000001', errorSummary: 'Api validation failed: factor', causes: ['factor: The factor is already active.'] });
  });

  test('verifying a pending factor, a code never sent, or a wrong code is refused', async () => {
    const user = await activeUser(t, 'Verifier');
    const pending: any = await enroll(t, user.id!, { factorType: 'token:software:totp', provider: 'OKTA' });
    const notActive = await refused(await sendJson(t, `/api/v1/users/${user.id}/factors/${pending.id}/verify`, { passCode: '123456' }), 400);
    expect(notActive).toMatchObject({ errorCode: 'E0000001', errorSummary: 'Api validation failed: factor', causes: ['factor: The factor is not active.'] });
    const sms: any = await enroll(t, user.id!, { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: PHONE } }, { activate: true });
    expect((await refused(await sendJson(t, `/api/v1/users/${user.id}/factors/${sms.id}/verify`, { passCode: '123456' }), 403)).errorCode).toBe('E0000068');
    await sendJson(t, `/api/v1/users/${user.id}/factors/${sms.id}/verify`);
    const code = await sentCode(t, sms.id);
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await refused(await sendJson(t, `/api/v1/users/${user.id}/factors/${sms.id}/verify`, { passCode: wrong }), 403)).toMatchObject({ errorCode: 'E0000068', causes: WRONG_PASSCODE });
    expect((await (await sendJson(t, `/api/v1/users/${user.id}/factors/${sms.id}/verify`, { passCode: code })).json()).factorResult).toBe('SUCCESS');
    expect((await refused(await sendJson(t, `/api/v1/users/${user.id}/factors/${sms.id}/verify`, { passCode: code }), 403)).errorCode).toBe('E0000068');
  });

  test('resend needs a pending sms, call or email factor and a body', async () => {
    const user = await activeUser(t, 'Resender');
    const totp: any = await enroll(t, user.id!, { factorType: 'token:software:totp', provider: 'OKTA' });
    const failure = await refused(await sendJson(t, `/api/v1/users/${user.id}/factors/${totp.id}/resend`, { factorType: 'sms', provider: 'OKTA' }), 400);
    expect(failure.causes).toEqual(['factor: Only a pending sms, call or email enrollment can be resent.']);
    const sms: any = await enroll(t, user.id!, { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: PHONE } });
    expect((await refused(await sendJson(t, `/api/v1/users/${user.id}/factors/${sms.id}/resend`), 400)).errorCode).toBe('E0000001');
  });

  test('a DEPROVISIONED user\'s factors can be read but not changed (403 E0000038)', async () => {
    const user = await activeUser(t, 'Gone');
    const factor: any = await enroll(t, user.id!, { factorType: 'question', provider: 'OKTA', profile: { question: 'favorite_toy', answer: 'teddy bear' } });
    await t.client.userApi.deactivateUser({ userId: user.id! });
    expect(await collect(await t.client.userFactorApi.listFactors({ userId: user.id! }))).toHaveLength(1);
    const base = `/api/v1/users/${user.id}`;
    const responses = [
      await sendJson(t, `${base}/factors`, { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: PHONE } }),
      await sendJson(t, `${base}/factors/${factor.id}/verify`, { answer: 'teddy bear' }),
      await t.fetch(`${base}/factors/${factor.id}`, { method: 'DELETE' }),
      await sendJson(t, `${base}/lifecycle/reset_factors`),
    ];
    for (const res of responses) expect((await refused(res, 403)).errorCode).toBe('E0000038');
  });

  test('reset_factors of an unknown user is 404', async () => {
    const failure = await sdkError(t.client.userApi.resetFactors({ userId: '00unosuchuser0000001' }));
    expect(failure).toMatchObject({ status: 404, errorCode: 'E0000007' });
  });
});
