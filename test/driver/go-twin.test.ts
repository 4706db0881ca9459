/**
 * The Go twin driver: where the binary comes from (given, or built from the sources into a cache keyed by their hash),
 * how it is started (a free port it reports, a health check with a deadline), how it fails (with the binary's
 * stderr), and how it ends (on close, and with the process that started it, even on SIGKILL). A stand-in binary
 * (fixtures/twins/okta/go) keeps the binary's side of the contract; the name it runs under picks a way to misbehave.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { buildGoTwin, goSources, hasGoToolchain } from '../../src/driver/go-build.js';
import { goTwin, type GoTwin } from '../../src/driver/go-twin.js';
import { fault, rateLimit } from '../../twins/index.js';
import { eventually, isGone, STAND_IN_ROOT, standInBinary } from './support.js';

const DIST_DRIVER = fileURLToPath(new URL('../../dist/src/driver/go-twin.js', import.meta.url));

let dir: string;
/** The stand-in, built once; `as(name)` is the same binary under a name that picks a behavior. */
let standIn: string;
const as = (name: string) => join(dir, 'bin', name);
const running: GoTwin[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'twinverse-driver-'));
  standIn = await standInBinary();
  await mkdir(join(dir, 'bin'));
  for (const name of ['okta', 'exit-at-once', 'never-healthy', 'silent', 'other-twin']) await symlink(standIn, as(name));
}, 180_000);
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(running.splice(0).map((t) => t.close()));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const start = async (options: Parameters<typeof goTwin>[1]) => {
  const twin = await goTwin('okta', options);
  running.push(twin);
  return twin;
};
const failure = (options: Parameters<typeof goTwin>[1]) =>
  goTwin('okta', options).then(
    (twin) => {
      running.push(twin);
      throw new Error('the twin was expected not to start');
    },
    (error: Error) => error.message,
  );

describe('building from the sources', () => {
  test('builds into a cache keyed by the sources, reuses it, and builds again when a source changes', async () => {
    const root = join(dir, 'sources');
    await cp(join(STAND_IN_ROOT, 'twins'), join(root, 'twins'), { recursive: true });
    const cacheDir = join(dir, 'rebuild-cache');
    const first = await buildGoTwin('okta', { sourceRoot: root, cacheDir });
    expect(first.built).toBe(true);
    expect(await buildGoTwin('okta', { sourceRoot: root, cacheDir })).toEqual({ binary: first.binary, built: false });
    // A TypeScript file beside the Go module is not part of its build.
    await writeFile(join(root, 'twins', 'okta', 'index.ts'), 'export {};\n');
    expect((await buildGoTwin('okta', { sourceRoot: root, cacheDir })).built).toBe(false);
    await writeFile(join(root, 'twins', 'okta', 'go', 'version.go'), 'package main\n\nconst version = 2\n');
    const second = await buildGoTwin('okta', { sourceRoot: root, cacheDir });
    expect(second.built).toBe(true);
    expect(second.binary).not.toBe(first.binary);
  }, 60_000);

  test('two builds at once: one builds, the other waits for its binary; no lock or partial file is left behind', async () => {
    const cacheDir = join(dir, 'race-cache');
    const [a, b] = await Promise.all([buildGoTwin('okta', { sourceRoot: STAND_IN_ROOT, cacheDir }), buildGoTwin('okta', { sourceRoot: STAND_IN_ROOT, cacheDir })]);
    expect(a.binary).toBe(b.binary);
    expect([a.built, b.built].sort()).toEqual([false, true]);
    expect(await readdir(cacheDir)).toEqual([a.binary.slice(cacheDir.length + 1)]);
    const twin = await start({ binary: a.binary });
    expect((await fetch(`${twin.url}/__twin/health`)).status).toBe(200);
  }, 60_000);

  test('a lock left by a process that died is taken over', async () => {
    const cacheDir = join(dir, 'stale-cache');
    const binary = join(cacheDir, basename(standIn));
    await mkdir(cacheDir);
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.on('exit', resolve));
    await mkdir(`${binary}.lock`);
    await writeFile(join(`${binary}.lock`, 'pid'), String(dead.pid));
    expect(await buildGoTwin('okta', { sourceRoot: STAND_IN_ROOT, cacheDir })).toEqual({ binary, built: true });
  }, 60_000);

  test('a service with no Go twin is named, with the ones there are', async () => {
    await expect(buildGoTwin('jira', { sourceRoot: STAND_IN_ROOT, cacheDir: join(dir, 'no-cache') })).rejects.toThrow(/no Go twin of jira .*\(Go twins: okta\).*TWINVERSE_GO_BIN/);
  });
});

describe('a running Go twin', () => {
  test('starts on a free port with the flags of twinverse serve and answers the admin API through the handle', async () => {
    const twin = await start({ binary: as('okta'), strict: true, clock: '2026-01-01T00:00:00.000Z', seed: '/seeds/okta.json' });
    expect(twin.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(twin.name).toBe('okta');
    const exported = await twin.exportState();
    expect(exported).toMatchObject({ twinverse: 1, twin: 'okta', state: { strict: true, clock: '2026-01-01T00:00:00.000Z', seed: '/seeds/okta.json' } });
    expect((exported.state as { args: string[] }).args).toEqual(expect.arrayContaining(['--port', '0', '--host', '127.0.0.1', '--exit-on-stdin-close']));

    await twin.importState({ ...exported, state: { changed: true } });
    expect((await twin.exportState()).state).toEqual({ changed: true });
    await fetch(`${twin.url}/api/v1/users`);
    expect((await twin.requests).map((r) => r.path)).toEqual(['/api/v1/users']);

    const [limit, drop] = await twin.use(rateLimit({ limit: 1 }), { name: 'fault', options: { fault: 'drop', nth: 1 } });
    expect(limit).toMatchObject({ name: 'rate-limit', options: { limit: 1 }, origin: 'runtime' });
    expect((await twin.plugins).map((p) => p.id)).toEqual([limit.id, drop.id]);
    expect(await twin.removePlugin(limit.id)).toBe(true);
    expect(await twin.removePlugin(limit.id)).toBe(false);
    await twin.reset();
    expect((await twin.exportState()).state).toMatchObject({ strict: true });
    expect(await twin.requests).toEqual([]);
    expect(await twin.plugins).toHaveLength(1);
    await twin.reset({ plugins: true });
    expect(await twin.plugins).toEqual([]);
  });

  test('a plugin with a when() predicate is refused: it cannot reach another process', async () => {
    const twin = await start({ binary: as('okta') });
    await expect(twin.use(fault({ fault: 503, nth: 1, when: () => true } as never))).rejects.toThrow(/when\(\) predicate, .*operationId, method or path/);
  });

  test('the admin token is sent on every admin call', async () => {
    const twin = await start({ binary: as('okta'), adminToken: 'admin-secret-1' });
    expect((await fetch(`${twin.url}/__twin/state`)).status).toBe(401);
    expect((await twin.exportState()).twin).toBe('okta');
  });

  test('close stops the binary', async () => {
    const twin = await goTwin('okta', { binary: as('okta') });
    await twin.close();
    expect(isGone(twin.pid)).toBe(true);
    await expect(fetch(`${twin.url}/__twin/health`)).rejects.toThrow();
    await expect(twin.reset()).rejects.toThrow(/was closed; start another with goTwin\('okta'\)/);
  });

  test('TWINVERSE_GO_BIN names the binary when options do not', async () => {
    vi.stubEnv('TWINVERSE_GO_BIN', as('okta'));
    const twin = await start({});
    expect(twin.binary).toBe(as('okta'));
  });
});

describe('the binary ends with the process that started it', () => {
  test('a parent killed with SIGKILL leaves no Go twin behind', async () => {
    const script = `const { goTwin } = await import(${JSON.stringify(pathToFileURL(DIST_DRIVER).href)});
const twin = await goTwin('okta', { binary: ${JSON.stringify(as('okta'))} });
console.log(twin.pid);
setInterval(() => undefined, 60_000);`;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    parent.stderr.on('data', (chunk) => (out += chunk));
    const pid = await new Promise<number>((resolve, reject) => {
      parent.stdout.on('data', (chunk) => {
        out += chunk;
        if (/^\d+\n/.test(out)) resolve(Number(out.trim()));
      });
      parent.on('exit', () => reject(new Error(`the parent exited first (run npm run build first: it imports dist/): ${out}`)));
    });
    try {
      expect(isGone(pid)).toBe(false);
      parent.kill('SIGKILL');
      expect(await eventually(() => isGone(pid), 5000)).toBe(true);
    } finally {
      if (!isGone(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});

describe('failing to start', () => {
  test('with neither a binary nor a Go toolchain, one line names both ways out', async () => {
    vi.stubEnv('TWINVERSE_GO_BIN', '');
    vi.stubEnv('PATH', join(dir, 'no-such-folder'));
    const message = await failure({ sourceRoot: STAND_IN_ROOT, cacheDir: join(dir, 'empty-cache') });
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/^\[twinverse\] cannot run the Go okta twin: .*set TWINVERSE_GO_BIN.*install Go/);
  });

  test('a binary that does not exist is named', async () => {
    expect(await failure({ binary: join(dir, 'bin', 'nothing-here') })).toMatch(/nothing-here\) cannot be run: no such file$/);
  });

  test('a binary that exits at once: the error has its exit code and its stderr', async () => {
    expect(await failure({ binary: as('exit-at-once') })).toMatch(/exited with code 3 before listening; its stderr: stand-in: cannot read the seed file/);
  });

  test('a port already taken: the error has the port and the binary\'s own words', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      expect(await failure({ binary: as('okta'), port })).toMatch(new RegExp(`exited with code 1 before listening \\(port ${port} of 127\\.0\\.0\\.1\\); its stderr: .*address already in use`));
    } finally {
      blocker.close();
    }
  });

  test('a health check that never answers fails at the deadline, and the binary is stopped', async () => {
    const started = Date.now();
    expect(await failure({ binary: as('never-healthy'), startTimeoutMs: 1000 })).toMatch(/did not answer GET http:\/\/127\.0\.0\.1:\d+\/__twin\/health in time \(the request timed out\)/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test('a binary that never reports its URL fails at the deadline', async () => {
    expect(await failure({ binary: as('silent'), startTimeoutMs: 300 })).toMatch(/printed no "listening on <url>" line within 300 ms/);
  });

  test('a binary of another service is refused, naming both', async () => {
    expect(await failure({ binary: as('other-twin') })).toMatch(/is the Go jira twin, not okta/);
  });
});

const realOkta = goSources('okta') !== undefined && (Boolean(process.env.TWINVERSE_GO_BIN) || (await hasGoToolchain()));

describe.runIf(realOkta)("the Go Okta twin keeps the binary's side of the contract", () => {
  test('it reports its URL, answers health, and exits when the pipe from its parent closes', async () => {
    const twin = await start({});
    const health = await (await fetch(`${twin.url}/__twin/health`)).json();
    expect(health).toMatchObject({ status: 'ok', twin: 'okta' });
    const child = spawn(twin.binary, ['--port', '0', '--exit-on-stdin-close'], { stdio: ['pipe', 'pipe', 'ignore'] });
    try {
      await new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => /listening on http/.test(String(chunk)) && resolve()));
      child.stdin.end();
      expect(await eventually(() => child.exitCode !== null || child.signalCode !== null, 5000)).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);

  test('on a port already taken it exits non-zero, saying so on stderr', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      expect(await failure({ port })).toMatch(new RegExp(`exited with code [1-9]\\d* before listening \\(port ${port} of 127\\.0\\.0\\.1\\); its stderr: .*(in use|address already in use)`));
    } finally {
      blocker.close();
    }
  }, 120_000);
});
