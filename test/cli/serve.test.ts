/**
 * The twinverse command, built (`npm run build` first): serve, its options and --help. Source: [readme] README.md ("Run a
 * twin from the command line", "The Okta twin's default seed").
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import okta from '@okta/okta-sdk-nodejs';
import { describe, expect, test } from 'vitest';
import { createOktaTwin } from '../../twins/index.js';
import { exited, runCli as run, startCli as start, stopCli } from '../support/cli.js';
import { collect, person } from '../support/okta.js';

const me = (url: string) => fetch(`${url}/api/v1/users/me`, { headers: { authorization: 'SSWS twin-okta-token' } });

const ADMIN_ID = '00uadmintwin00000001';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as import('node:net').AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe('twinverse serve', () => {
  test('serves okta on 127.0.0.1, prints the URL and the default credentials, and stops on SIGTERM', async () => {
    const { child, out, urls } = await start(['serve', 'okta', '--port', '0']);
    expect(urls).toHaveLength(1);
    expect(out).toContain('SSWS twin-okta-token');
    expect((await fetch(`${urls[0]}/__twin/health`)).status).toBe(200);
    expect(((await (await me(urls[0])).json()) as { profile: { login: string } }).profile.login).toBe('admin@twin.test');
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  });

  test('stops cleanly on SIGINT', async () => {
    const { child } = await start(['serve', 'okta', '--port', '0']);
    child.kill('SIGINT');
    expect(await exited(child)).toBe(0);
  });

  test('an unknown service gives one line naming the known ones and a non-zero exit', async () => {
    const { code, stderr, stdout } = await run(['serve', 'okta', 'nope']);
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/unknown service "nope".*okta/);
  });

  test('a port in use gives one clear line and a non-zero exit', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const { code, stderr } = await run(['serve', 'okta', '--port', String(port)]);
    blocker.close();
    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`port ${port} on 127.0.0.1 is in use`);
  });

  test('an unreadable seed file gives one clear line and a non-zero exit', async () => {
    const { code, stderr } = await run(['serve', 'okta', '--port', '0', '--seed', '/nonexistent/seed.json']);
    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('cannot read seed file /nonexistent/seed.json');
  });

  test('--seed starts from a state export', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'twinverse-cli-'));
    const first = await start(['serve', 'okta', '--port', '0']);
    const state = await (await fetch(`${first.urls[0]}/__twin/state`)).json();
    first.child.kill('SIGTERM');
    await exited(first.child);
    state.state.users['00uadmintwin00000001'].profile.firstName = 'Seeded';
    await writeFile(join(dir, 'seed.json'), JSON.stringify(state));
    const second = await start(['serve', 'okta', '--port', '0', '--seed', join(dir, 'seed.json')]);
    expect(((await (await me(second.urls[0])).json()) as { profile: { firstName: string } }).profile.firstName).toBe('Seeded');
  });

  test('--data keeps state across a restart, and a corrupt data file is refused untouched', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'twinverse-cli-'));
    const data = join(dir, 'state.json');
    const first = await start(['serve', 'okta', '--port', '0', '--data', data]);
    const created = await fetch(`${first.urls[0]}/api/v1/users?activate=false`, {
      method: 'POST',
      headers: { authorization: 'SSWS twin-okta-token', 'content-type': 'application/json' },
      body: JSON.stringify({ profile: { firstName: 'Per', lastName: 'Sist', email: 'per@example.com', login: 'per@example.com' } }),
    });
    expect(created.status).toBe(200);
    first.child.kill('SIGTERM');
    await exited(first.child);

    const second = await start(['serve', 'okta', '--port', '0', '--data', data]);
    const found = await fetch(`${second.urls[0]}/api/v1/users/per@example.com`, { headers: { authorization: 'SSWS twin-okta-token' } });
    expect(found.status).toBe(200);
    second.child.kill('SIGTERM');
    await exited(second.child);

    await writeFile(data, '{"twinverse":1,"twi');
    const { code, stderr } = await run(['serve', 'okta', '--port', '0', '--data', data]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/not valid JSON.*refusing/);
    expect(await readFile(data, 'utf8')).toBe('{"twinverse":1,"twi');
  });

  test('--data into a folder that does not exist refuses to start, in one line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'twinverse-cli-'));
    const { code, stderr } = await run(['serve', 'okta', '--port', '0', '--data', join(dir, 'no-such-folder', 'state.json')]);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/no-such-folder does not exist/);
  });

  test('every write acknowledged before a kill -9 is there after a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'twinverse-cli-'));
    const data = join(dir, 'state.json');
    const first = await start(['serve', 'okta', '--port', '0', '--data', data]);
    const create = (i: number) =>
      fetch(`${first.urls[0]}/api/v1/groups`, { method: 'POST', headers: { authorization: 'SSWS twin-okta-token', 'content-type': 'application/json' }, body: JSON.stringify({ profile: { name: `Kept ${i}` } }) });
    const acknowledged = (await Promise.all(Array.from({ length: 40 }, (_, i) => create(i)))).filter((r) => r.status === 200);
    expect(acknowledged).toHaveLength(40);
    first.child.kill('SIGKILL');
    await exited(first.child);
    const second = await start(['serve', 'okta', '--port', '0', '--data', data]);
    const groups = (await (await fetch(`${second.urls[0]}/api/v1/groups?limit=200`, { headers: { authorization: 'SSWS twin-okta-token' } })).json()) as { profile: { name: string } }[];
    expect(groups.map((g) => g.profile.name).filter((n) => n.startsWith('Kept')).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `Kept ${i}`).sort());
    await stopCli(second.child);
  });

  test('a --host off loopback needs --admin-token; with one, the admin API answers only with it', async () => {
    const refused = await run(['serve', 'okta', '--port', '0', '--host', '0.0.0.0']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--admin-token/);
    const served = await start(['serve', 'okta', '--port', '0', '--admin-token', 'admin-secret-1']);
    expect((await fetch(`${served.urls[0]}/__twin/state`)).status).toBe(401);
    expect((await fetch(`${served.urls[0]}/__twin/reset`, { method: 'POST', headers: { authorization: 'Bearer wrong-secret' } })).status).toBe(401);
    expect((await fetch(`${served.urls[0]}/__twin/health`, { headers: { authorization: 'Bearer admin-secret-1' } })).status).toBe(200);
    expect((await me(served.urls[0])).status).toBe(200);
    await stopCli(served.child);
  });

  test('naming a service twice is refused', async () => {
    const { code, stderr } = await run(['serve', 'okta', 'okta', '--port', '0']);
    expect(code).not.toBe(0);
    expect(stderr).toContain('named twice');
  });
});

describe('twinverse --help', () => {
  test.each([[['--help']], [['serve', '--help']], [['list', '--help']]])('%j prints usage and exits 0', async (args) => {
    const { code, stdout } = await run(args);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: twinverse');
  });

  test('list names every service with its credentials', async () => {
    const { code, stdout } = await run(['list']);
    expect(code).toBe(0);
    expect(stdout).toContain('okta');
    expect(stdout).toContain('SSWS twin-okta-token');
  });
});

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
