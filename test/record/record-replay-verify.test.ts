import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import okta from '@okta/okta-sdk-nodejs';
import { WebClient } from '@slack/web-api';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  createOktaTwin,
  createRecording,
  createRecordingHandlers,
  createReplayHandlers,
  createSlackTwin,
  formatReport,
  oktaTwin,
  readHar,
  slackTwin,
  startRecordingProxy,
  startReplayServer,
  verifyRecording,
  type Listening,
} from '../../twins/index.js';

// A twin on loopback stands in for the vendor: the recorder cannot tell it from dev-123.okta.com.
const OKTA_TOKEN = 'twin-okta-token';
const SLACK_TOKEN = 'xoxb-twin-bot-token';
const CLIENT_SECRET = 'twin-okta-client-secret';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'twinverse-record-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const noCache = { cacheMiddleware: null };

/** A session an Okta user runs: create, read, page, change, a refusal, and a client-credentials token. */
async function oktaSession(orgUrl: string) {
  const client = new okta.Client({ orgUrl, token: OKTA_TOKEN, ...noCache });
  const created = await client.userApi.createUser({ body: { profile: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', login: 'ada@example.com' } }, activate: false });
  const read = await client.userApi.getUser({ userId: created.id as string });
  const seen: string[] = [];
  await (await client.userApi.listUsers({ limit: 1 })).each((u) => void seen.push(u.profile?.login as string));
  await client.userApi.activateUser({ userId: created.id as string, sendEmail: false });
  const missing = await client.userApi.getUser({ userId: '00unotthere000000000' }).then(
    () => 'found',
    (error: { status?: number }) => error.status,
  );
  const token = await fetch(`${orgUrl}/oauth2/default/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: '0oatwinservice000001', client_secret: CLIENT_SECRET, scope: 'api:read' }),
  }).then((r) => r.json() as Promise<{ access_token: string }>);
  return { created, read, seen, missing, accessToken: token.access_token };
}

/** Every secret a recording must not hold, found in the file's text. */
function secretsIn(text: string, secrets: string[]): string[] {
  return secrets.filter((s) => text.includes(s));
}

describe('recording through the proxy', () => {
  let upstream: Listening;
  let file: string;
  let session: Awaited<ReturnType<typeof oktaSession>>;

  beforeAll(async () => {
    const vendor = createOktaTwin();
    // Two users the recording never sees: the vendor's ids then differ from a fresh twin's.
    upstream = await vendor.listen(0);
    const warmup = new okta.Client({ orgUrl: upstream.url, token: OKTA_TOKEN, ...noCache });
    for (const name of ['pre1', 'pre2']) await warmup.userApi.createUser({ body: { profile: { firstName: name, lastName: 'X', email: `${name}@example.com`, login: `${name}@example.com` } } });
    file = join(dir, 'okta-session.har');
    const proxy = await startRecordingProxy({ upstream: upstream.url, out: file, port: 0, redact: oktaTwin.secrets });
    session = await oktaSession(proxy.url);
    await proxy.close();
  });
  afterAll(() => upstream.close());

  test('the SDK works through the proxy, paging links included', () => {
    expect(session.read.profile?.login).toBe('ada@example.com');
    expect(session.seen).toEqual(['admin@twin.test', 'pre1@example.com', 'pre2@example.com', 'ada@example.com']);
    expect(session.missing).toBe(404);
    expect(session.accessToken).toMatch(/^eyJ/);
  });

  test('the file is HAR 1.2 with every exchange, in order', async () => {
    const har = await readHar(file);
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator.name).toBe('twinverse');
    const lines = har.log.entries.map((e) => `${e.request.method} ${new URL(e.request.url).pathname}`);
    expect(lines[0]).toBe('POST /api/v1/users');
    expect(lines).toContain('POST /oauth2/default/v1/token');
    expect(lines.filter((l) => l === 'GET /api/v1/users')).toHaveLength(4);
    expect(har.log.entries.every((e) => e.request.url.startsWith(upstream.url))).toBe(true);
  });

  test('no secret reaches the disk: tokens, client secret, access token', async () => {
    const text = await readFile(file, 'utf8');
    expect(secretsIn(text, [OKTA_TOKEN, CLIENT_SECRET, session.accessToken])).toEqual([]);
    expect(text).toContain('SSWS [REDACTED]');
    const har = await readHar(file);
    const token = har.log.entries.find((e) => e.request.url.endsWith('/v1/token'));
    expect(JSON.parse(token?.response.content.text ?? '{}').access_token).toBe('[REDACTED]');
    expect(new URLSearchParams(token?.request.postData?.text).get('client_secret')).toBe('[REDACTED]');
  });

  test('replay over HTTP answers the same session offline, and a new request gets the closest recorded one', async () => {
    const replay = await startReplayServer(await readHar(file));
    try {
      const again = await oktaSession(replay.url);
      expect(again.read).toEqual(session.read);
      expect(again.seen).toEqual(session.seen);
      expect(again.missing).toBe(404);
      const miss = await fetch(`${replay.url}/api/v1/users?limit=7`, { headers: { authorization: `SSWS ${OKTA_TOKEN}` } });
      expect(miss.status).toBe(404);
      expect(miss.headers.get('x-twinverse-replay')).toBe('no-match');
      const text = await miss.text();
      expect(text).toContain('GET /api/v1/users?limit=7');
      expect(text).toContain('closest recorded');
      expect(text).toContain('query limit: recorded "1", got "7"');
    } finally {
      await replay.close();
    }
  });

  test('verify against a fresh twin maps the vendor ids to the twin ids and scores full fidelity', async () => {
    const har = await readHar(file);
    // The fresh twin has no pre1/pre2: the list pages differ, by design of this recording; the rest matches,
    // the token request once it has the client secret the recording redacted.
    const report = await verifyRecording(oktaTwin, har, { secrets: { client_secret: CLIENT_SECRET } });
    const differing = report.results.filter((r) => r.differences.length > 0);
    expect(differing.every((r) => r.method === 'GET' && r.target.startsWith('/api/v1/users?'))).toBe(true);
    const created = report.results[0];
    expect(created.differences).toEqual([]);
    const read = report.results[1];
    expect(read.target).toMatch(/^\/api\/v1\/users\/00u/);
    expect(read.status).toEqual({ recorded: 200, twin: 200 });
    expect(read.differences).toEqual([]);
    expect(report.score).toBeGreaterThan(80);
    expect(report.score).toBeLessThan(100);
    expect(formatReport(report)).toMatch(/okta: \d+ of \d+ exchanges matched; fidelity score \d+\.\d/);
  });

  test('verify names a changed value as a readable diff and lowers the score', async () => {
    const har = await readHar(file);
    const body = JSON.parse(har.log.entries[0].response.content.text as string);
    body.status = 'PROVISIONED';
    body.profile.lastName = 'Byron';
    har.log.entries[0].response.content.text = JSON.stringify(body);
    const report = await verifyRecording(oktaTwin, har);
    expect(report.results[0].differences).toEqual([
      { path: 'body.status', recorded: 'PROVISIONED', twin: 'STAGED' },
      { path: 'body.profile.lastName', recorded: 'Byron', twin: 'Lovelace' },
    ]);
    const text = formatReport(report);
    expect(text).toContain('body.status\n         - "PROVISIONED"\n         + "STAGED"');
  });
});

describe('recording through MSW in record mode, replaying through MSW', () => {
  let upstream: Listening;
  beforeAll(async () => {
    upstream = await createSlackTwin().listen(0);
  });
  afterAll(() => upstream.close());

  test('a Slack session is recorded with its xoxb token redacted, then replayed in process', async () => {
    const file = join(dir, 'slack-session.har');
    const recording = createRecording({ out: file, redact: slackTwin.secrets });
    const server = setupServer(...createRecordingHandlers([upstream.url], recording));
    server.listen({ onUnhandledRequest: 'error' });
    const slackApiUrl = `${upstream.url}/api/`;
    let posted: string | undefined;
    try {
      const web = new WebClient(SLACK_TOKEN, { slackApiUrl, retryConfig: { retries: 0 } });
      const auth = await web.auth.test();
      const channel = (await web.conversations.create({ name: 'recorded' })).channel?.id as string;
      posted = (await web.chat.postMessage({ channel, text: 'hello from the recording' })).ts;
      const history = await web.conversations.history({ channel });
      expect(auth.ok).toBe(true);
      expect(history.messages?.[0].text).toBe('hello from the recording');
    } finally {
      server.close();
      await recording.flush();
    }
    const text = await readFile(file, 'utf8');
    expect(secretsIn(text, [SLACK_TOKEN])).toEqual([]);
    const har = await readHar(file);
    expect(har.log.entries.map((e) => new URL(e.request.url).pathname)).toEqual(['/api/auth.test', '/api/conversations.create', '/api/chat.postMessage', '/api/conversations.history']);

    const replay = setupServer(...createReplayHandlers(har));
    replay.listen({ onUnhandledRequest: 'error' });
    try {
      const web = new WebClient(SLACK_TOKEN, { slackApiUrl, retryConfig: { retries: 0 } });
      const channel = (await web.conversations.create({ name: 'recorded' })).channel?.id as string;
      expect((await web.chat.postMessage({ channel, text: 'hello from the recording' })).ts).toBe(posted);
      const miss = await fetch(`${upstream.url}/api/chat.postMessage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel, text: 'never recorded' }) });
      expect(miss.status).toBe(404);
      expect(await miss.text()).toContain('closest recorded (entry 2)');
    } finally {
      replay.close();
    }

    const report = await verifyRecording(slackTwin, har);
    expect(report.matched).toBe(report.exchanges);
    expect(report.score).toBe(100);
  });
});

describe('replay matching', () => {
  test('identical requests are answered in recorded order, then the last again; strict sequences refuse after the last', async () => {
    const file = join(dir, 'sequence.har');
    const upstream = await createOktaTwin().listen(0);
    const proxy = await startRecordingProxy({ upstream: upstream.url, out: file });
    const client = new okta.Client({ orgUrl: proxy.url, token: OKTA_TOKEN, ...noCache });
    const user = await client.userApi.createUser({ body: { profile: { firstName: 'Seq', lastName: 'Uence', email: 'seq@example.com', login: 'seq@example.com' } } });
    const before = (await client.userApi.getUser({ userId: user.id as string })).status;
    await client.userApi.deactivateUser({ userId: user.id as string });
    const after = (await client.userApi.getUser({ userId: user.id as string })).status;
    await proxy.close();
    await upstream.close();
    expect([before, after]).toEqual(['PROVISIONED', 'DEPROVISIONED']);

    const har = await readHar(file);
    for (const sequence of ['repeat-last', 'strict'] as const) {
      const replay = await startReplayServer(har, { sequence });
      const get = () => fetch(`${replay.url}/api/v1/users/${user.id}`, { headers: { authorization: `SSWS ${OKTA_TOKEN}`, accept: 'application/json' } });
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        const r = await get();
        statuses.push(r.status === 200 ? ((await r.json()) as { status: string }).status : r.status);
      }
      await replay.close();
      expect(statuses).toEqual(sequence === 'strict' ? ['PROVISIONED', 'DEPROVISIONED', 404] : ['PROVISIONED', 'DEPROVISIONED', 'DEPROVISIONED']);
    }
  });

  test('a HAR that is not one is refused naming the problem', async () => {
    const file = join(dir, 'broken.har');
    await writeFile(file, JSON.stringify({ log: { entries: [{ request: { method: 'GET', url: '/relative', headers: [] }, response: { status: 200, headers: [], content: {} } }] } }));
    await expect(readHar(file)).rejects.toThrow('log.entries.0.request.url "/relative" is not an absolute URL');
    await writeFile(file, JSON.stringify({ log: { entries: [{ request: { method: 'GET' } }] } }));
    await expect(readHar(file)).rejects.toThrow(/not a HAR 1\.2 file: log\.entries\.0/);
    await expect(readHar(join(dir, 'absent.har'))).rejects.toThrow('cannot read');
  });
});
