/**
 * `twinverse serve --go`: the serve command's plumbing to the driver, on the stand-in binary (TWINVERSE_GO_BIN): the
 * same flags reach the binary, the URL it reports is served, what a Go twin does not take is refused up front, and
 * the binary ends with the CLI (the CLI's own cases need `npm run build` first: they run dist/).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { serve } from '../../src/cli/serve.js';
import { twinCatalog } from '../../twins/index.js';
import { startCli, stopCli } from '../support/cli.js';
import { eventually, isGone, standInBinary } from './support.js';

let dir: string;
let standIn: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'twinverse-serve-go-'));
  standIn = await standInBinary();
}, 180_000);
afterEach(() => vi.unstubAllEnvs());
afterAll(() => rm(dir, { recursive: true, force: true }));

const options = { port: 0, host: '127.0.0.1', go: true };

test('serves the Go twin with the flags of the command and its seed, and stops it on close', async () => {
  vi.stubEnv('TWINVERSE_GO_BIN', standIn);
  const seed = join(dir, 'seed.json');
  await writeFile(seed, JSON.stringify({ twinverse: 1, twin: 'okta', state: {}, ids: {} }));
  const { served, close } = await serve(['okta'], twinCatalog, { ...options, strict: true, clock: '2026-01-01T00:00:00.000Z', seed: [seed], adminToken: 'admin-secret-1', bodyLimit: 1024 });
  try {
    expect(served.map((s) => s.name)).toEqual(['okta']);
    expect(served[0].twin.definition).toBe(twinCatalog.okta);
    const state = await (await fetch(`${served[0].url}/__twin/state`, { headers: { authorization: 'Bearer admin-secret-1' } })).json();
    expect(state.state).toMatchObject({ strict: true, clock: '2026-01-01T00:00:00.000Z' });
    // The starting state reaches the binary as a file of its own, read at start and then removed.
    expect(state.state.seed).toMatch(/twinverse-seeds-\w+[\\/]okta\.json$/);
    expect(existsSync(state.state.seed)).toBe(false);
    expect(state.state.args).toEqual(expect.arrayContaining(['--admin-token', 'admin-secret-1', '--body-limit', '1024']));
  } finally {
    await close();
  }
  await expect(fetch(`${served[0].url}/__twin/health`)).rejects.toThrow();
});

test('plugins reach the binary as serve takes them, checked first; a twin module is refused with --go', async () => {
  vi.stubEnv('TWINVERSE_GO_BIN', standIn);
  const file = join(dir, 'plugins.json');
  await writeFile(file, JSON.stringify([{ name: 'fault', options: { nth: 2 } }]));
  const { served, close } = await serve(['okta'], twinCatalog, { ...options, plugin: ['latency:ms=5'], plugins: file });
  try {
    const state = await (await fetch(`${served[0].url}/__twin/state`)).json();
    expect(state.state.args).toEqual(expect.arrayContaining(['--plugins', file, '--plugin', 'latency:ms=5']));
  } finally {
    await close();
  }
  await expect(serve(['okta'], twinCatalog, { ...options, plugin: ['latency:nope=5'] })).rejects.toThrow(/^\[twinverse\] plugin latency: /);
  await expect(serve(['okta'], twinCatalog, { ...options, twin: ['./my-twin.js'] })).rejects.toThrow(/^\[twinverse\] --twin cannot be used with --go/);
});

test('a binary that cannot start is a usage error naming it', async () => {
  vi.stubEnv('TWINVERSE_GO_BIN', join(dir, 'no-such-binary'));
  await expect(serve(['okta'], twinCatalog, options)).rejects.toThrow(/^\[twinverse\] the Go okta twin \(.*no-such-binary\) cannot be run: no such file$/);
});

describe('npx twinverse serve okta --go (the built CLI)', () => {
  test('prints the URL and credentials as for the TypeScript twin, and SIGTERM stops the binary with the CLI', async () => {
    vi.stubEnv('TWINVERSE_GO_BIN', standIn);
    const { child, out, urls } = await startCli(['serve', 'okta', '--go', '--port', '0']);
    expect(urls).toHaveLength(1);
    expect(out).toContain('SSWS twin-okta-token');
    const { pid } = (await (await fetch(`${urls[0]}/__twin/state`)).json()).state;
    expect(await stopCli(child)).toBe(0);
    expect(await eventually(() => isGone(pid), 5000)).toBe(true);
  });

  test('a CLI killed with SIGKILL leaves no Go twin behind', async () => {
    vi.stubEnv('TWINVERSE_GO_BIN', standIn);
    const { child, urls } = await startCli(['serve', 'okta', '--go', '--port', '0']);
    const { pid } = (await (await fetch(`${urls[0]}/__twin/state`)).json()).state;
    try {
      child.kill('SIGKILL');
      expect(await eventually(() => isGone(pid), 5000)).toBe(true);
    } finally {
      if (!isGone(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});
