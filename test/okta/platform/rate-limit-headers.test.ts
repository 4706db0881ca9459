/**
 * X-Rate-Limit-* headers on Management API and OAuth responses, errors included. Sources:
 *  - [rl] developer.okta.com/docs/reference/rl-best-practices/ (X-Rate-Limit-Limit/Remaining/Reset on every response)
 *  - [sdk] node_modules/@okta/okta-sdk-nodejs README.md and src/
 * Blocks declared with `describeDefault` run against a DEFAULT twin (`createOktaTwin()`: system clock, not strict) and
 * the official SDK with its DEFAULT options (response cache on), over both the HTTP server and MSW.
 */
import okta from '@okta/okta-sdk-nodejs';
import { expect, test } from 'vitest';
import { basic, get, postForm } from '../../support/okta-oauth.js';
import { describeDefault, describeOkta, expectRateLimitHeaders, type OktaTarget } from '../../support/okta.js';

const START = Date.parse('2026-01-01T00:00:00.000Z') / 1000;

function limits(res: Response) {
  return {
    limit: Number(res.headers.get('x-rate-limit-limit')),
    remaining: Number(res.headers.get('x-rate-limit-remaining')),
    reset: Number(res.headers.get('x-rate-limit-reset')),
  };
}

async function call(t: OktaTarget, path: string, init: Parameters<OktaTarget['fetch']>[1] = {}) {
  const res = await t.fetch(path, init);
  await res.arrayBuffer();
  return limits(res);
}

const SERVICE_ID = '0oatwinservice000001';
const SERVICE_SECRET = 'twin-okta-client-secret';

describeOkta('Okta rate-limit headers', (t) => {
  test('Remaining counts down per endpoint within the minute; Reset stays the epoch second the window ends', async () => {
    expect(await call(t, '/api/v1/users')).toEqual({ limit: 600, remaining: 599, reset: START + 60 });
    await t.control.advanceClock(30_000);
    expect(await call(t, '/api/v1/users')).toEqual({ limit: 600, remaining: 598, reset: START + 60 });
    // Creating users shares the "create or list users" limit.
    const created = await call(t, '/api/v1/users?activate=false', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ profile: { firstName: 'Rate', lastName: 'Limit', email: 'rate.limit@example.com', login: 'rate.limit@example.com' } }),
    });
    expect(created).toEqual({ limit: 600, remaining: 597, reset: START + 60 });
  });

  test('each endpoint has its own bucket and Okta\'s limit for it', async () => {
    await call(t, '/api/v1/users');
    expect(await call(t, '/api/v1/users/me')).toMatchObject({ limit: 1000, remaining: 999 });
    expect(await call(t, '/api/v1/groups')).toMatchObject({ limit: 600, remaining: 599 });
    expect(await call(t, '/api/v1/groups/00geveryonetwin00001')).toMatchObject({ limit: 600, remaining: 599 });
    expect(await call(t, '/api/v1/apps')).toMatchObject({ limit: 100, remaining: 99 });
    expect(await call(t, '/api/v1/apps/0oatwinservice000001')).toMatchObject({ limit: 600, remaining: 599 });
    expect(await call(t, '/oauth2/default/v1/keys')).toMatchObject({ limit: 1200, remaining: 1199 });
    expect(await call(t, '/oauth2/v1/keys')).toMatchObject({ limit: 1200, remaining: 1199 });
    // Every other /api/v1 call, errors included, shares one bucket.
    expect(await call(t, '/api/v1/users/me/groups')).toMatchObject({ limit: 600, remaining: 599 });
    expect(await call(t, '/api/v1/nothing/here')).toMatchObject({ limit: 600, remaining: 598 });
  });

  test('a new window opens once the minute is over', async () => {
    await call(t, '/api/v1/groups');
    await call(t, '/api/v1/groups');
    await t.control.advanceClock(60_000);
    expect(await call(t, '/api/v1/groups')).toEqual({ limit: 600, remaining: 599, reset: START + 120 });
  });

  test('Remaining stops at 0 and the twin still answers: it reports limits but does not enforce them', async () => {
    let last = await call(t, '/api/v1/apps');
    for (let i = 1; i < 105; i++) last = await call(t, '/api/v1/apps');
    expect(last).toEqual({ limit: 100, remaining: 0, reset: START + 60 });
    const res = await t.fetch('/api/v1/apps');
    expect(res.status).toBe(200);
  });

  test('a twin reset starts the counters over', async () => {
    await call(t, '/api/v1/users');
    await call(t, '/api/v1/users');
    await t.control.reset();
    expect(await call(t, '/api/v1/users')).toMatchObject({ remaining: 599 });
  });
});

describeOkta('Story: a bulk importer paces itself with the rate-limit headers', (t) => {
  test('Management API and OAuth responses, errors included, carry X-Rate-Limit-* (reset in epoch seconds after Date) and X-Okta-Request-Id', async () => {
    // [rl] every response carries X-Rate-Limit-Limit, -Remaining and -Reset (UTC epoch seconds); the SDK waits Reset − Date + 1 s
    // [sdk README "Manual Retry"], so a Date header must be present too.
    const responses = [
      await t.fetch('/api/v1/users'),
      await t.fetch('/api/v1/users/00unosuchuser0000001'),
      await t.fetch('/api/v1/groups'),
      await t.fetch('/api/v1/apps'),
      await fetch(`${t.baseUrl}/oauth2/default/v1/keys`),
      await fetch(`${t.baseUrl}/oauth2/default/v1/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' }),
    ];
    const requestIds = new Set<string>();
    for (const res of responses) {
      const limit = Number(res.headers.get('x-rate-limit-limit'));
      const remaining = Number(res.headers.get('x-rate-limit-remaining'));
      const reset = Number(res.headers.get('x-rate-limit-reset'));
      const date = Date.parse(res.headers.get('date') ?? '');
      expect(limit).toBeGreaterThan(0);
      expect(remaining).toBeGreaterThanOrEqual(0);
      expect(remaining).toBeLessThanOrEqual(limit);
      expect(Number.isInteger(reset)).toBe(true);
      expect(reset * 1000).toBeGreaterThan(date);
      const requestId = res.headers.get('x-okta-request-id');
      expect(requestId).toBeTruthy();
      requestIds.add(requestId!);
    }
    expect(requestIds.size).toBe(responses.length);
  });

  test('X-Rate-Limit-Remaining counts down as the importer keeps calling the same endpoint within the window', async () => {
    // [rl] "X-Rate-Limit-Remaining: the number of requests remaining in the current rate-limit window".
    const first = await t.fetch('/api/v1/users');
    const second = await t.fetch('/api/v1/users');
    const third = await t.fetch('/api/v1/users');
    const remaining = [first, second, third].map((res) => Number(res.headers.get('x-rate-limit-remaining')));
    expect(remaining[1]).toBeLessThan(remaining[0]);
    expect(remaining[2]).toBeLessThan(remaining[1]);
    expect(second.headers.get('x-rate-limit-reset')).toBe(first.headers.get('x-rate-limit-reset'));
  });
});

describeDefault('X-Rate-Limit headers on every response', (e) => {
  test('Management successes and errors (401 E0000011, 404 E0000007, 400 E0000001, 403 E0000006) and OAuth endpoints', async () => {
    const mk = (path: string, init: RequestInit = {}, token = 'twin-okta-token') =>
      fetch(e.baseUrl + path, { ...init, headers: { authorization: `SSWS ${token}`, accept: 'application/json', 'content-type': 'application/json', ...(init.headers as any) } });
    const cases: [string, Promise<Response>, number][] = [
      ['users/me 200', mk('/api/v1/users/me'), 200],
      ['bad token 401', mk('/api/v1/users/me', {}, 'wrong'), 401],
      ['missing user 404', mk('/api/v1/users/00unosuchuser0000000'), 404],
      ['bad body 400', mk('/api/v1/users', { method: 'POST', body: JSON.stringify({ profile: { firstName: 'x' } }) }), 400],
      ['everyone delete 403', mk('/api/v1/groups/00geveryonetwin00001', { method: 'DELETE' }), 403],
      ['list groups 200', mk('/api/v1/groups'), 200],
    ];
    for (const [label, p, status] of cases) {
      const res = await p;
      expect({ label, status: res.status }).toEqual({ label, status });
      expectRateLimitHeaders(res, label);
    }
    for (const path of ['/.well-known/openid-configuration', '/oauth2/v1/keys', '/oauth2/default/.well-known/openid-configuration', '/oauth2/default/v1/keys']) {
      expectRateLimitHeaders(await get(e, path), path);
    }
    const tok = await postForm(e, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:read' }, { authorization: basic(SERVICE_ID, SERVICE_SECRET) });
    expectRateLimitHeaders(tok, 'token 200');
  });

  test('the SDK error carries the headers too (OktaApiError.headers)', async () => {
    const stranger = new okta.Client({ orgUrl: e.baseUrl, token: 'nope' });
    try {
      await stranger.userApi.getUser({ userId: 'me' });
      expect.unreachable();
    } catch (err: any) {
      expect(err.status).toBe(401);
      expect(err.headers.get('x-rate-limit-limit')).toMatch(/^\d+$/);
      expect(err.headers.get('x-rate-limit-remaining')).toMatch(/^\d+$/);
      expect(err.headers.get('x-rate-limit-reset')).toMatch(/^\d+$/);
    }
  });
});
