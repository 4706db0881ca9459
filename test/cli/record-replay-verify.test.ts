import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import okta from '@okta/okta-sdk-nodejs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOktaTwin, type Listening } from '../../twins/index.js';
import { runCli, startCli, stopCli } from '../support/cli.js';

const TOKEN = 'twin-okta-token';
let dir: string;
let upstream: Listening;
let file: string;
let userId: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'twinverse-cli-record-'));
  file = join(dir, 'okta-session.har');
  // A twin on loopback stands in for https://dev-123.okta.com.
  upstream = await createOktaTwin().listen(0);
  const proxy = await startCli(['record', '--upstream', upstream.url, '--port', '0', '--out', file], 'Ctrl-C');
  expect(proxy.urls[0]).toBe(upstream.url);
  const client = new okta.Client({ orgUrl: proxy.urls[1], token: TOKEN, cacheMiddleware: null });
  const user = await client.userApi.createUser({ body: { profile: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', login: 'grace@example.com' } }, activate: false });
  userId = user.id as string;
  await client.userApi.getUser({ userId });
  expect(await stopCli(proxy.child)).toBe(0);
});
afterAll(async () => {
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

test('twinverse record writes the session to a HAR file, the token redacted', async () => {
  const text = await readFile(file, 'utf8');
  const har = JSON.parse(text);
  expect(har.log.entries.map((e: { request: { method: string } }) => e.request.method)).toEqual(['POST', 'GET']);
  expect(text).not.toContain(TOKEN);
});

test('twinverse replay serves the recording offline', async () => {
  const replay = await startCli(['replay', file, '--port', '0'], 'Ctrl-C');
  const answer = await fetch(`${replay.urls[0]}/api/v1/users/${userId}`, { headers: { authorization: `SSWS ${TOKEN}`, accept: 'application/json' } });
  expect(answer.status).toBe(200);
  expect(((await answer.json()) as { profile: { login: string } }).profile.login).toBe('grace@example.com');
  const miss = await fetch(`${replay.urls[0]}/api/v1/groups`, { headers: { authorization: `SSWS ${TOKEN}` } });
  expect(miss.status).toBe(404);
  expect(await miss.text()).toContain('closest recorded');
  expect(await stopCli(replay.child)).toBe(0);
});

test('twinverse verify scores the recording against a fresh twin, and exits non-zero below --min-score', async () => {
  const good = await runCli(['verify', file, '--service', 'okta', '--min-score', '100']);
  expect(good.stdout).toContain('okta: 2 of 2 exchanges matched; fidelity score 100.0');
  expect(good.code).toBe(0);

  const har = JSON.parse(await readFile(file, 'utf8'));
  const body = JSON.parse(har.log.entries[1].response.content.text);
  body.profile.lastName = 'Murray';
  har.log.entries[1].response.content.text = JSON.stringify(body);
  const changed = join(dir, 'changed.har');
  await writeFile(changed, JSON.stringify(har));
  const bad = await runCli(['verify', changed, '--service', 'okta', '--min-score', '99.9', '--json']);
  const report = JSON.parse(bad.stdout);
  expect(report.results[1].differences).toEqual([{ path: 'body.profile.lastName', recorded: 'Murray', twin: 'Hopper' }]);
  expect(bad.stderr).toMatch(/fidelity score \d+\.\d is below --min-score 99.9/);
  expect(bad.code).toBe(1);

  const badSecret = await runCli(['verify', changed, '--service', 'okta', '--secret', 'client_secret']);
  expect(badSecret.stderr).toContain('--secret client_secret: write it as name=value');
  expect(badSecret.code).toBe(1);

  const unknown = await runCli(['verify', changed, '--service', 'nope']);
  expect(unknown.stderr).toContain('unknown service "nope"');
  expect(unknown.code).toBe(1);
});

test('twinverse serve --seed-from starts the twin from what the recording showed, under the recorded ids', async () => {
  const served = await startCli(['serve', 'okta', '--port', '0', '--seed-from', file]);
  const headers = { authorization: `SSWS ${TOKEN}`, accept: 'application/json' };
  const user = (await (await fetch(`${served.urls[0]}/api/v1/users/${userId}`, { headers })).json()) as { profile: { login: string } };
  expect(user.profile.login).toBe('grace@example.com');
  const created = await fetch(`${served.urls[0]}/api/v1/users?activate=false`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ profile: { firstName: 'New', lastName: 'One', email: 'new@example.com', login: 'new@example.com' } }),
  });
  expect(created.status).toBe(200);
  expect(((await created.json()) as { id: string }).id).not.toBe(userId);
  expect(await stopCli(served.child)).toBe(0);

  const several = await runCli(['serve', 'okta', 'jira', '--port', '0', '--seed-from', file]);
  expect(several.stderr).toContain('several services are served; name the one it seeds (--seed-from okta=');
  expect(several.code).toBe(1);
});
