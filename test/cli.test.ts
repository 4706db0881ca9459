import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { exited, runCli as run, startCli as start } from './support/cli.js';

const me = (url: string) => fetch(`${url}/api/v1/users/me`, { headers: { authorization: 'SSWS twin-okta-token' } });

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
