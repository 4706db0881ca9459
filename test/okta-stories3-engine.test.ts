/**
 * Third red-team round: the engine as a user meets it — the README's MSW pattern (one module-level SDK client with its
 * default cache, `twin.reset()` before each test), the admin API over HTTP, under MSW and as methods, supertest against
 * `twin.app`, `twin.app` mounted in an outer express app, two twins in one process, and the built CLI with --port,
 * --host, --data and --seed driven through the SDK. Sources: [readme] README.md ("Use a twin in a vitest suite through
 * MSW", "The admin API", "Run a twin from the command line", "The Okta twin's default seed"; "The official SDK caches
 * single-resource GETs by default ... so that cache behaves as it does against a real org"), [sdk]
 * node_modules/@okta/okta-sdk-nodejs/src/default-cache-middleware.js (GETs cached by `_links.self.href`; a non-GET evicts
 * only the URLs of its own path).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import okta from '@okta/okta-sdk-nodejs';
import express from 'express';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createOktaTwin } from '../twins/index.js';
import { startCli as start, stopCli } from './support/cli.js';
import { collect, person } from './support/okta.js';

const ADMIN_ID = '00uadmintwin00000001';
const SSWS = { authorization: 'SSWS twin-okta-token', accept: 'application/json' };

describe('README MSW pattern: one module-level client (default cache), reset before each test', () => {
  const twin = createOktaTwin();
  const server = setupServer(...twin.mswHandlers('https://dev-123.okta.com'));
  const client = new okta.Client({ orgUrl: 'https://dev-123.okta.com', token: 'twin-okta-token' });
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => twin.reset());
  afterAll(() => server.close());
  let firstId: string | undefined;

  test('test 1: Ada is created and read back by id', async () => {
    const ada = await client.userApi.createUser({ body: { profile: person('Ada Lovelace') }, activate: false });
    firstId = ada.id;
    expect((await client.userApi.getUser({ userId: ada.id! })).profile?.firstName).toBe('Ada');
  });

  test('test 2: after reset, only the admin is listed (Ada is gone)', async () => {
    const users = await collect(await client.userApi.listUsers());
    expect(users.map((u) => u.profile?.login)).toEqual(['admin@twin.test']);
    const raw = await fetch(`https://dev-123.okta.com/api/v1/users/${firstId}`, { headers: SSWS });
    expect(raw.status).toBe(404);
  });

  // Against a real org an id is never reused, so the SDK cache (keyed by _links.self.href) can never answer for another
  // user. reset() replays the id sequence, so Bob gets Ada's id and the SDK answers Ada from its cache.
  test('test 3: Bob, created after a reset, is read back by id as Bob (not a cached Ada)', async () => {
    const bob = await client.userApi.createUser({ body: { profile: person('Bob Builder') }, activate: false });
    const read = await client.userApi.getUser({ userId: bob.id! });
    expect(read.profile?.firstName).toBe('Bob');
    expect(read.profile?.login).toBe('bob.builder@example.com');
  });

  // (Groups carry no _links.self, as in Okta, so the SDK never caches them.)
  test('test 4: the same holds for groups: a group created after reset reads back with its own name', async () => {
    const g1 = await client.groupApi.createGroup({ group: { profile: { name: 'First' } } });
    expect((await client.groupApi.getGroup({ groupId: g1.id! })).profile?.name).toBe('First');
    twin.reset();
    const g2 = await client.groupApi.createGroup({ group: { profile: { name: 'Second' } } });
    expect((await client.groupApi.getGroup({ groupId: g2.id! })).profile?.name).toBe('Second');
  });
});

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

describe('supertest against twin.app, and twin.app mounted in an outer express app', () => {
  const twin = createOktaTwin();
  beforeEach(() => twin.reset());

  test('GET /api/v1/users/me with SSWS is the admin; a bad token is 401 E0000011; headers carry X-Rate-Limit-*', async () => {
    const me = await request(twin.app).get('/api/v1/users/me').set('Authorization', 'SSWS twin-okta-token').set('Accept', 'application/json');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: ADMIN_ID, status: 'ACTIVE', profile: { firstName: 'Admin', lastName: 'Twin', login: 'admin@twin.test' } });
    expect(me.headers['x-rate-limit-limit']).toMatch(/^\d+$/);
    const bad = await request(twin.app).get('/api/v1/users/me').set('Authorization', 'SSWS nope');
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ errorCode: 'E0000011', errorSummary: 'Invalid token provided', errorLink: 'E0000011', errorCauses: [] });
    expect(bad.headers['x-rate-limit-remaining']).toMatch(/^\d+$/);
  });

  test('POST a user, then list it; health and reset through supertest', async () => {
    const created = await request(twin.app)
      .post('/api/v1/users?activate=false')
      .set('Authorization', 'SSWS twin-okta-token')
      .send({ profile: person('Super Test') });
    expect(created.status).toBe(200);
    expect(created.body.status).toBe('STAGED');
    const list = await request(twin.app).get('/api/v1/users').set('Authorization', 'SSWS twin-okta-token');
    expect(list.body.map((u: any) => u.profile.login)).toEqual(['admin@twin.test', 'super.test@example.com']);
    expect(list.headers.link).toMatch(/rel="self"/);
    expect((await request(twin.app).get('/__twin/health')).status).toBe(200);
    expect((await request(twin.app).post('/__twin/reset')).status).toBe(200);
    const after = await request(twin.app).get('/api/v1/users').set('Authorization', 'SSWS twin-okta-token');
    expect(after.body).toHaveLength(1);
  });

  test('a client_credentials token through supertest', async () => {
    const res = await request(twin.app)
      .post('/oauth2/default/v1/token')
      .auth('0oatwinservice000001', 'twin-okta-client-secret')
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'api:read' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'api:read' });
  });

  test('mounted under /okta in an outer app, the SDK works against <url>/okta (links include the mount path)', async () => {
    const outer = express();
    outer.get('/health', (_req, res) => {
      res.json({ ok: true });
    });
    outer.use('/okta', twin.app);
    const srv = await new Promise<import('node:http').Server>((resolve) => {
      const s = outer.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const port = (srv.address() as import('node:net').AddressInfo).port;
      const base = `http://127.0.0.1:${port}/okta`;
      const client = new okta.Client({ orgUrl: base, token: 'twin-okta-token' });
      const me = await client.userApi.getUser({ userId: 'me' });
      expect(me.id).toBe(ADMIN_ID);
      expect((me as any)._links.self.href).toBe(`${base}/api/v1/users/${ADMIN_ID}`);
      for (let i = 0; i < 3; i++) await client.userApi.createUser({ body: { profile: person(`Mou${i} Nted`) }, activate: false });
      expect(await collect(await client.userApi.listUsers({ limit: 1 }))).toHaveLength(4);
    } finally {
      await new Promise((r) => srv.close(r));
    }
  });
});

describe('Two twins in one process share nothing', () => {
  test('state, journal and reset are per instance (HTTP)', async () => {
    const a = createOktaTwin();
    const b = createOktaTwin();
    const la = await a.listen(0);
    const lb = await b.listen(0);
    try {
      expect(la.url).not.toBe(lb.url);
      const ca = new okta.Client({ orgUrl: la.url, token: 'twin-okta-token' });
      const cb = new okta.Client({ orgUrl: lb.url, token: 'twin-okta-token' });
      const u = await ca.userApi.createUser({ body: { profile: person('Only Ina') }, activate: false });
      expect((await collect(await cb.userApi.listUsers())).map((x) => x.id)).toEqual([ADMIN_ID]);
      expect((await fetch(`${lb.url}/api/v1/users/${u.id}`, { headers: SSWS })).status).toBe(404);
      await cb.groupApi.createGroup({ group: { profile: { name: 'Only in B' } } });
      expect((await collect(await ca.groupApi.listGroups())).map((g) => g.profile?.name)).toEqual(['Everyone']);
      expect(a.requests.some((r) => r.path === '/api/v1/groups' && r.method === 'POST')).toBe(false);
      b.reset();
      expect((await collect(await ca.userApi.listUsers())).map((x) => x.id)).toEqual([ADMIN_ID, u.id]);
      // tokens are independent too: each twin signs its own
      const tok = await (await fetch(`${la.url}/oauth2/default/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('0oatwinservice000001:twin-okta-client-secret').toString('base64')}` },
        body: 'grant_type=client_credentials&scope=api%3Aread',
      })).json();
      const introB = await fetch(`${lb.url}/oauth2/default/v1/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('0oatwinservice000001:twin-okta-client-secret').toString('base64')}` },
        body: new URLSearchParams({ token: tok.access_token }).toString(),
      });
      expect(await introB.json()).toEqual({ active: false });
    } finally {
      await la.close();
      await lb.close();
    }
  });

  test('two twins under one MSW server, on two org URLs', async () => {
    const a = createOktaTwin();
    const b = createOktaTwin();
    const server = setupServer(...a.mswHandlers('https://org-a.okta.com'), ...b.mswHandlers('https://org-b.okta.com'));
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const ca = new okta.Client({ orgUrl: 'https://org-a.okta.com', token: 'twin-okta-token' });
      const cb = new okta.Client({ orgUrl: 'https://org-b.okta.com', token: 'twin-okta-token' });
      await ca.userApi.createUser({ body: { profile: person('Ann A') }, activate: false });
      await cb.userApi.createUser({ body: { profile: person('Ben B') }, activate: false });
      expect((await collect(await ca.userApi.listUsers())).map((u) => u.profile?.login)).toEqual(['admin@twin.test', 'ann.a@example.com']);
      expect((await collect(await cb.userApi.listUsers())).map((u) => u.profile?.login)).toEqual(['admin@twin.test', 'ben.b@example.com']);
      const me = await ca.userApi.getUser({ userId: 'me' });
      expect((me as any)._links.self.href).toBe(`https://org-a.okta.com/api/v1/users/${ADMIN_ID}`);
    } finally {
      server.close();
    }
  });
});

// ---------- the built CLI (run `npm run build` first) ----------

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as import('node:net').AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe('The CLI: --port, --host, --data, --seed, driven through the SDK', () => {
  test('--port N --host 127.0.0.1 serves there; SIGTERM exits 0', async () => {
    const port = await freePort();
    const { child, urls: [url], out } = await start(['serve', 'okta', '--port', String(port), '--host', '127.0.0.1']);
    expect(url).toBe(`http://127.0.0.1:${port}`);
    expect(out).toContain('twin-okta-token');
    const client = new okta.Client({ orgUrl: url, token: 'twin-okta-token' });
    expect((await client.userApi.getUser({ userId: 'me' })).profile?.login).toBe('admin@twin.test');
    expect(await stopCli(child)).toBe(0);
  });

  test('--data keeps users, groups, memberships and apps created through the SDK across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'twinverse-s3-'));
    const data = join(dir, 'state.json');
    const first = await start(['serve', 'okta', '--port', '0', '--data', data]);
    const c1 = new okta.Client({ orgUrl: first.urls[0], token: 'twin-okta-token' });
    const user = await c1.userApi.createUser({ body: { profile: person('Per Sisted'), credentials: { password: { value: 'Str0ng-Passw0rd!x' } } } });
    const group = await c1.groupApi.createGroup({ group: { profile: { name: 'Persisted' } } });
    await c1.groupApi.assignUserToGroup({ groupId: group.id!, userId: user.id! });
    await c1.userApi.suspendUser({ userId: user.id! });
    const app: any = await c1.applicationApi.createApplication({
      application: { name: 'bookmark', label: 'Kept', signOnMode: 'BOOKMARK', settings: { app: { requestIntegration: false, url: 'https://example.com/kept' } } } as any,
    });
    expect(await stopCli(first.child)).toBe(0);
    expect(JSON.parse(await readFile(data, 'utf8'))).toBeTruthy();

    const second = await start(['serve', 'okta', '--port', '0', '--data', data]);
    const c2 = new okta.Client({ orgUrl: second.urls[0], token: 'twin-okta-token' });
    const back = await c2.userApi.getUser({ userId: 'per.sisted@example.com' });
    expect(back.id).toBe(user.id);
    expect(back.status).toBe('SUSPENDED');
    expect((await collect(await c2.groupApi.listGroupUsers({ groupId: group.id! }))).map((u) => u.id)).toEqual([user.id]);
    expect(((await c2.applicationApi.getApplication({ appId: app.id })) as any).label).toBe('Kept');
    // a new user after restart gets a fresh id, not one already taken
    const next = await c2.userApi.createUser({ body: { profile: person('Af Ter') }, activate: false });
    expect(next.id).not.toBe(user.id);
    expect((await collect(await c2.userApi.listUsers({ filter: 'status eq "SUSPENDED"' }))).map((u) => u.id)).toEqual([user.id]);
    const groupsAfter = await collect(await c2.groupApi.listGroups());
    const g2 = await c2.groupApi.createGroup({ group: { profile: { name: 'After restart' } } });
    expect(groupsAfter.map((g) => g.id)).not.toContain(g2.id);

    // POST /__twin/reset goes back to the default seed, and that too is kept
    expect((await fetch(`${second.urls[0]}/__twin/reset`, { method: 'POST' })).status).toBe(200);
    expect(await stopCli(second.child)).toBe(0);
    const third = await start(['serve', 'okta', '--port', '0', '--data', data]);
    const c3 = new okta.Client({ orgUrl: third.urls[0], token: 'twin-okta-token' });
    expect((await collect(await c3.userApi.listUsers())).map((u) => u.id)).toEqual([ADMIN_ID]);
    await stopCli(third.child);
  });

  test('--seed starts from an in-process twin\'s export; reset returns to that seed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'twinverse-s3-'));
    const local = createOktaTwin();
    const l = await local.listen(0);
    const lc = new okta.Client({ orgUrl: l.url, token: 'twin-okta-token' });
    const u = await lc.userApi.createUser({ body: { profile: person('See Ded') }, activate: false });
    await writeFile(join(dir, 'seed.json'), JSON.stringify(local.exportState()));
    await l.close();

    const { child, urls: [url] } = await start(['serve', 'okta', '--port', '0', '--seed', join(dir, 'seed.json')]);
    const client = new okta.Client({ orgUrl: url, token: 'twin-okta-token', cacheMiddleware: null });
    expect((await client.userApi.getUser({ userId: u.id! })).profile?.login).toBe('see.ded@example.com');
    await client.userApi.createUser({ body: { profile: person('Ex Tra') }, activate: false });
    await fetch(`${url}/__twin/reset`, { method: 'POST' });
    expect((await collect(await client.userApi.listUsers())).map((x) => x.profile?.login)).toEqual(['admin@twin.test', 'see.ded@example.com']);
    await stopCli(child);
  });
});

describe('Options and small conveniences', () => {
  test('mswHandlers with a trailing slash in the base URL still serve the org', async () => {
    const twin = createOktaTwin();
    const server = setupServer(...twin.mswHandlers('https://slash.okta.com/'));
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const client = new okta.Client({ orgUrl: 'https://slash.okta.com', token: 'twin-okta-token' });
      const me = await client.userApi.getUser({ userId: 'me' });
      expect(me.id).toBe(ADMIN_ID);
      expect((me as any)._links.self.href).toBe(`https://slash.okta.com/api/v1/users/${ADMIN_ID}`);
      for (let i = 0; i < 2; i++) await client.userApi.createUser({ body: { profile: person(`Sla${i} Sh`) }, activate: false });
      expect(await collect(await client.userApi.listUsers({ limit: 1 }))).toHaveLength(3);
    } finally {
      server.close();
    }
  });

  test('listen() with no port picks a free one on 127.0.0.1', async () => {
    const twin = createOktaTwin();
    const l = await twin.listen();
    try {
      expect(l.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${l.url}/__twin/health`)).status).toBe(200);
    } finally {
      await l.close();
    }
  });

  test('journalLimit bounds twin.requests, keeping the newest', async () => {
    const twin = createOktaTwin({ journalLimit: 3 });
    const l = await twin.listen(0);
    try {
      for (let i = 0; i < 6; i++) await fetch(`${l.url}/api/v1/users/me?i=${i}`, { headers: SSWS });
      expect(twin.requests).toHaveLength(3);
      expect(twin.requests.at(-1)?.query).toContain('i=5');
    } finally {
      await l.close();
    }
  });

  test('strict mode on the wall clock: a day of SDK calls raises no drift', async () => {
    const twin = createOktaTwin({ strict: true });
    const drift: string[] = [];
    twin.events.on('drift', (ev: any) => drift.push(ev.message));
    twin.events.on('failure', (ev: any) => drift.push(ev.message));
    const l = await twin.listen(0);
    try {
      const client = new okta.Client({ orgUrl: l.url, token: 'twin-okta-token' });
      const u = await client.userApi.createUser({ body: { profile: person('Str Ict'), credentials: { password: { value: 'Str0ng-Passw0rd!x' } } } });
      await client.userApi.updateUser({ userId: u.id!, user: { profile: { nickName: 'strict' } } });
      await client.userApi.suspendUser({ userId: u.id! });
      await client.userApi.unsuspendUser({ userId: u.id! });
      await client.userApi.generateResetPasswordToken({ userId: u.id!, sendEmail: false });
      await client.userApi.expirePassword({ userId: u.id! });
      const g = await client.groupApi.createGroup({ group: { profile: { name: 'Strict' } } });
      await client.groupApi.assignUserToGroup({ groupId: g.id!, userId: u.id! });
      await collect(await client.groupApi.listGroupUsers({ groupId: g.id! }));
      await collect(await client.userApi.listUserGroups({ userId: u.id! }));
      const app: any = await client.applicationApi.createApplication({
        application: { name: 'oidc_client', label: 'Strict app', signOnMode: 'OPENID_CONNECT', credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_basic' } }, settings: { oauthClient: { application_type: 'web', grant_types: ['authorization_code'], response_types: ['code'], redirect_uris: ['https://x.example.com/cb'] } } } as any,
      });
      await client.applicationApi.assignUserToApplication({ appId: app.id, appUser: { id: u.id } as any });
      await collect(await client.applicationApi.listApplicationUsers({ appId: app.id }));
      await client.applicationApi.deactivateApplication({ appId: app.id });
      await client.applicationApi.deleteApplication({ appId: app.id });
      await client.userApi.deactivateUser({ userId: u.id! });
      await client.userApi.deleteUser({ userId: u.id! });
      await client.groupApi.deleteGroup({ groupId: g.id! });
      await fetch(`${l.url}/oauth2/default/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('0oatwinservice000001:twin-okta-client-secret').toString('base64')}` },
        body: 'grant_type=client_credentials&scope=api%3Aread',
      });
      expect(drift).toEqual([]);
    } finally {
      await l.close();
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
