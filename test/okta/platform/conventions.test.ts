import { expect, test } from 'vitest';
import { describeOkta, stateOf } from '../../support/okta.js';

describeOkta('Okta conventions', (t) => {
  test('GET /api/v1/users/me returns the seeded admin that owns twin-okta-token', async () => {
    const me = await t.client.userApi.getUser({ userId: 'me' });
    expect(me.id).toBe('00uadmintwin00000001');
    expect(me.status).toBe('ACTIVE');
    expect(me.profile).toMatchObject({ firstName: 'Admin', lastName: 'Twin', login: 'admin@twin.test', email: 'admin@twin.test' });
  });

  test('any other API token gets 401 E0000011 through the SDK', async () => {
    const stranger = t.makeClient({ token: 'not-a-real-token' });
    const error = await stranger.userApi.getUser({ userId: 'me' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, errorCode: 'E0000011', errorSummary: 'Invalid token provided' });
  });

  test('the error envelope carries errorCode, errorSummary, errorLink, a unique errorId and errorCauses', async () => {
    const first = await t.fetch('/api/v1/users/me', { headers: { authorization: 'SSWS wrong' } });
    const second = await t.fetch('/api/v1/users/me', { headers: { authorization: 'SSWS wrong' } });
    expect(first.status).toBe(401);
    const a = await first.json();
    const b = await second.json();
    expect(a).toEqual({ errorCode: 'E0000011', errorSummary: 'Invalid token provided', errorLink: 'E0000011', errorId: expect.stringMatching(/^oae/), errorCauses: [] });
    expect(a.errorId).not.toBe(b.errorId);
  });

  test('a request without credentials is refused with E0000005', async () => {
    const res = await t.fetch('/api/v1/users/me', { headers: { authorization: '' } });
    expect(res.status).toBe(403);
    expect((await res.json()).errorCode).toBe('E0000005');
  });

  test('every response, errors included, carries the rate-limit headers and a request id', async () => {
    for (const res of [await t.fetch('/api/v1/users/me'), await t.fetch('/api/v1/users/00unope0000000000000'), await t.fetch('/api/v1/nothing')]) {
      expect(Number(res.headers.get('x-rate-limit-limit'))).toBeGreaterThan(0);
      expect(Number(res.headers.get('x-rate-limit-remaining'))).toBeGreaterThanOrEqual(0);
      expect(Number(res.headers.get('x-rate-limit-reset'))).toBe(Date.parse('2026-01-01T00:00:00.000Z') / 1000 + 60);
      expect(res.headers.get('x-okta-request-id')).toBeTruthy();
    }
  });

  test('a path the twin does not emulate gets a vendor-shaped 404 that names it', async () => {
    const res = await t.fetch('/api/v1/nothing/here');
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body.errorCode).toBe('E0000007');
    expect(body.errorSummary).toContain('GET /api/v1/nothing/here');
  });

  test('malformed JSON is refused with E0000003 and stores nothing', async () => {
    const before = Object.keys((await stateOf(t)).users).length;
    const res = await t.fetch('/api/v1/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"profile":' });
    expect(res.status).toBe(400);
    expect((await res.json()).errorCode).toBe('E0000003');
    expect(Object.keys((await stateOf(t)).users)).toHaveLength(before);
  });

  test('the admin API serves health, state export/import, reset and the request journal', async () => {
    expect(await (await fetch(`${t.baseUrl}/__twin/health`)).json()).toEqual({ status: 'ok', twin: 'okta' });
    await t.client.userApi.createUser({ body: { profile: { firstName: 'J', lastName: 'D', email: 'j@example.com', login: 'j@example.com' } }, activate: false });
    const exported = await (await fetch(`${t.baseUrl}/__twin/state`)).text();
    expect((await fetch(`${t.baseUrl}/__twin/reset`, { method: 'POST' })).status).toBe(200);
    expect(Object.keys((await stateOf(t)).users)).toHaveLength(1);
    expect((await fetch(`${t.baseUrl}/__twin/state`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: exported })).status).toBe(200);
    expect(Object.values((await stateOf(t)).users).map((u) => u.profile.login)).toContain('j@example.com');
    await t.client.userApi.getUser({ userId: 'me' });
    const journal = await (await fetch(`${t.baseUrl}/__twin/requests`)).json();
    expect(journal.requests.at(-1)).toMatchObject({ method: 'GET', path: '/api/v1/users/me', operationId: 'getUser', status: 200 });
  });
});
