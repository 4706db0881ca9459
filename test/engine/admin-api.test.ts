/**
 * The admin API as a user meets it, with the Okta twin as the example: over HTTP, under MSW and as methods, and reset()
 * with tokens minted before it. Source: [readme] README.md ("The admin API").
 */
import okta from '@okta/okta-sdk-nodejs';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createOktaTwin, latency } from '../../twins/index.js';
import { collect, person } from '../support/okta.js';

const ADMIN_ID = '00uadmintwin00000001';
const SSWS = { authorization: 'SSWS twin-okta-token', accept: 'application/json' };

describe('The admin API over HTTP, under MSW and as methods', () => {
  const twin = createOktaTwin();
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ url, close } = await twin.listen(0));
  });
  afterAll(() => close());
  beforeEach(() => twin.reset());

  test('listen(0) serves on 127.0.0.1 with a free port; health is 200 and ready() resolves', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${url}/__twin/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    await expect(twin.ready()).resolves.toBeUndefined();
  });

  test('POST /__twin/reset brings the seed back; the journal lists the calls made', async () => {
    const client = new okta.Client({ orgUrl: url, token: 'twin-okta-token', cacheMiddleware: null });
    await client.userApi.createUser({ body: { profile: person('Res Et') }, activate: false });
    const journal = await (await fetch(`${url}/__twin/requests`)).json();
    expect(journal.requests.some((r: any) => r.method === 'POST' && r.path === '/api/v1/users' && r.status === 200)).toBe(true);
    expect(twin.requests.some((r) => r.method === 'POST' && r.path === '/api/v1/users')).toBe(true);
    const reset = await fetch(`${url}/__twin/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect((await collect(await client.userApi.listUsers())).map((u) => u.id)).toEqual([ADMIN_ID]);
  });

  test('GET /__twin/state exports the users; PUT /__twin/state into another twin brings them there; garbage is 400', async () => {
    const client = new okta.Client({ orgUrl: url, token: 'twin-okta-token', cacheMiddleware: null });
    const u = await client.userApi.createUser({ body: { profile: person('Ex Port') }, activate: false });
    const exported = await (await fetch(`${url}/__twin/state`)).json();
    expect(JSON.stringify(exported)).toContain('ex.port@example.com');
    expect(twin.exportState()).toEqual(exported);

    const other = createOktaTwin();
    const l = await other.listen(0);
    try {
      const put = await fetch(`${l.url}/__twin/state`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(exported) });
      expect(put.status).toBe(200);
      const there = await fetch(`${l.url}/api/v1/users/${u.id}`, { headers: SSWS });
      expect(there.status).toBe(200);
      expect((await there.json()).profile.login).toBe('ex.port@example.com');
      const bad = await fetch(`${l.url}/__twin/state`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"nope":' });
      expect(bad.status).toBe(400);
      // the failed import left the state alone
      expect((await fetch(`${l.url}/api/v1/users/${u.id}`, { headers: SSWS })).status).toBe(200);
    } finally {
      await l.close();
    }
  });

  test('importState / snapshot / restore as methods', async () => {
    const snap = twin.snapshot();
    const client = new okta.Client({ orgUrl: url, token: 'twin-okta-token', cacheMiddleware: null });
    await client.userApi.createUser({ body: { profile: person('Snap Shot') }, activate: false });
    const withUser = twin.exportState();
    twin.restore(snap);
    expect((await collect(await client.userApi.listUsers())).map((u) => u.id)).toEqual([ADMIN_ID]);
    twin.importState(withUser);
    expect((await collect(await client.userApi.listUsers())).map((u) => u.profile?.login)).toEqual(['admin@twin.test', 'snap.shot@example.com']);
  });

  test('the admin API is served under MSW too', async () => {
    const mswTwin = createOktaTwin();
    const server = setupServer(...mswTwin.mswHandlers('https://admin-msw.okta.com'));
    server.listen({ onUnhandledRequest: 'error' });
    try {
      expect((await fetch('https://admin-msw.okta.com/__twin/health')).status).toBe(200);
      const create = await fetch('https://admin-msw.okta.com/api/v1/groups', { method: 'POST', headers: { ...SSWS, 'content-type': 'application/json' }, body: JSON.stringify({ profile: { name: 'Via MSW' } }) });
      expect(create.status).toBe(200);
      expect((await (await fetch('https://admin-msw.okta.com/__twin/requests')).json()).requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/v1/groups', status: 200 });
      expect((await fetch('https://admin-msw.okta.com/__twin/reset', { method: 'POST' })).status).toBe(200);
      const groups = await (await fetch('https://admin-msw.okta.com/api/v1/groups', { headers: SSWS })).json();
      expect(groups.map((g: any) => g.profile.name)).toEqual(['Everyone']);
    } finally {
      server.close();
    }
  });
});

describe('reset() and tokens minted before it', () => {
  const basicAuth = `Basic ${Buffer.from('0oatwinservice000001:twin-okta-client-secret').toString('base64')}`;
  const form = (url: string, body: Record<string, string>) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth }, body: new URLSearchParams(body).toString() });

  test('a token from before the reset stays inactive after the reset, even once new tokens are minted', async () => {
    const twin = createOktaTwin();
    const l = await twin.listen(0);
    try {
      const old = await (await form(`${l.url}/oauth2/default/v1/token`, { grant_type: 'client_credentials', scope: 'api:read' })).json();
      await new Promise((r) => setTimeout(r, 1100)); // a later iat, so the two JWTs differ
      twin.reset();
      expect(await (await form(`${l.url}/oauth2/default/v1/introspect`, { token: old.access_token })).json()).toEqual({ active: false });
      const fresh = await (await form(`${l.url}/oauth2/default/v1/token`, { grant_type: 'client_credentials', scope: 'api:read' })).json();
      expect(fresh.access_token).not.toBe(old.access_token);
      expect((await (await form(`${l.url}/oauth2/default/v1/introspect`, { token: fresh.access_token })).json()).active).toBe(true);
      expect(await (await form(`${l.url}/oauth2/default/v1/introspect`, { token: old.access_token })).json()).toEqual({ active: false });
    } finally {
      await l.close();
    }
  });
});

describe('The clock over the admin API', () => {
  const START = '2026-01-01T00:00:00.000Z';
  const post = (url: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${url}/__twin/clock`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  test('GET /__twin/clock reads a fixed clock; POST moves it on, the twin stamps with it, and reset brings it back', async () => {
    const twin = createOktaTwin({ clock: START });
    const l = await twin.listen(0);
    try {
      expect(await (await fetch(`${l.url}/__twin/clock`)).json()).toEqual({ now: START, fixed: true, pending: 0 });
      const moved = await post(l.url, JSON.stringify({ advanceMs: 90_000 }));
      expect(moved.status).toBe(200);
      expect(await moved.json()).toEqual({ now: '2026-01-01T00:01:30.000Z' });
      expect(await (await post(l.url, '{"advanceMs":0}')).json()).toEqual({ now: '2026-01-01T00:01:30.000Z' });
      expect(twin.clock.now().toISOString()).toBe('2026-01-01T00:01:30.000Z');
      const created = await fetch(`${l.url}/api/v1/groups`, { method: 'POST', headers: { ...SSWS, 'content-type': 'application/json' }, body: JSON.stringify({ profile: { name: 'Later' } }) });
      expect((await created.json()).created).toBe('2026-01-01T00:01:30.000Z');
      await fetch(`${l.url}/__twin/reset`, { method: 'POST' });
      expect(await (await fetch(`${l.url}/__twin/clock`)).json()).toEqual({ now: START, fixed: true, pending: 0 });
    } finally {
      await l.close();
    }
  });

  test('GET /__twin/clock counts the delayed answers waiting on the clock, so a test in another process can wait for one', async () => {
    const twin = createOktaTwin({ clock: START });
    twin.use(latency({ ms: 500 }));
    const l = await twin.listen(0);
    try {
      const read = async () => (await fetch(`${l.url}/__twin/clock`)).json();
      const call = fetch(`${l.url}/api/v1/users/me`, { headers: SSWS });
      let seen = await read();
      for (let i = 0; i < 200 && seen.pending === 0; i++) seen = await read();
      expect(seen).toEqual({ now: START, fixed: true, pending: 1 });
      expect(twin.clock.pending()).toBe(1);
      await post(l.url, '{"advanceMs":500}');
      expect((await call).status).toBe(200);
      expect(await read()).toEqual({ now: '2026-01-01T00:00:00.500Z', fixed: true, pending: 0 });
    } finally {
      await l.close();
    }
  });

  test('POST /__twin/clock takes only { "advanceMs": <non-negative integer> }: anything else is 400 and leaves the clock alone', async () => {
    const twin = createOktaTwin({ clock: START });
    const l = await twin.listen(0);
    try {
      for (const body of ['{not json', '[]', 'null', '{}', '{"advanceMs":-1}', '{"advanceMs":1.5}', '{"advanceMs":"1000"}', '{"advanceMs":1e300}', '{"advanceMS":1000}']) {
        const res = await post(l.url, body);
        expect({ body, status: res.status, error: (await res.json()).error }).toEqual({ body, status: 400, error: '[twinverse] POST /__twin/clock takes JSON: { "advanceMs": <non-negative integer> }' });
      }
      expect(twin.clock.now().toISOString()).toBe(START);
    } finally {
      await l.close();
    }
  });

  test('on the system clock GET says so and POST is 409: the wall clock is not the test\'s to move', async () => {
    const twin = createOktaTwin();
    const l = await twin.listen(0);
    try {
      const before = Date.now();
      const read = await (await fetch(`${l.url}/__twin/clock`)).json();
      expect(read.fixed).toBe(false);
      expect(read.pending).toBe(0);
      expect(Date.parse(read.now)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(read.now)).toBeLessThanOrEqual(Date.now());
      const res = await post(l.url, '{"advanceMs":1000}');
      expect(res.status).toBe(409);
      expect((await res.json()).error).toMatch(/^\[twinverse\] POST \/__twin\/clock moves a fixed clock only/);
      expect(Math.abs(twin.clock.nowMs() - Date.now())).toBeLessThan(1000);
    } finally {
      await l.close();
    }
  });

  test('the clock is guarded like every admin call: the admin token, the Origin, JSON bodies only', async () => {
    const twin = createOktaTwin({ clock: START, adminToken: 'clock-secret' });
    const l = await twin.listen(0);
    try {
      expect((await fetch(`${l.url}/__twin/clock`)).status).toBe(401);
      expect((await post(l.url, '{"advanceMs":1000}')).status).toBe(401);
      const bearer = { authorization: 'Bearer clock-secret' };
      expect((await post(l.url, '{"advanceMs":1000}', { ...bearer, origin: 'https://evil.example' })).status).toBe(403);
      expect((await post(l.url, '{"advanceMs":1000}', { ...bearer, 'content-type': 'text/plain' })).status).toBe(415);
      expect(twin.clock.now().toISOString()).toBe(START);
      expect(await (await post(l.url, '{"advanceMs":1000}', bearer)).json()).toEqual({ now: '2026-01-01T00:00:01.000Z' });
      expect(await (await fetch(`${l.url}/__twin/clock`, { headers: bearer })).json()).toEqual({ now: '2026-01-01T00:00:01.000Z', fixed: true, pending: 0 });
    } finally {
      await l.close();
    }
  });
});
