import autocannon from 'autocannon';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { percentile, sortedCopy } from './stats.js';

const run = promisify(execFile);

/**
 * What one autocannon run measured: requests per second, latency percentiles of the 2xx answers, and how many
 * requests failed (non-2xx, errors, timeouts).
 *
 * @example
 * const load: Load = await cannon({ url, connections: 10, duration: 5 });
 */
export interface Load {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
}

/**
 * One autocannon run; latencies come from each response's own timing (float ms).
 *
 * @example
 * const { rps, p50 } = await cannon({ url: `${base}/rest/api/3/myself`, headers, connections: 1, duration: 5 });
 */
export function cannon(options: autocannon.Options): Promise<Load> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const instance = autocannon(options, (error, result) => {
      if (error) return reject(error);
      const sorted = sortedCopy(latencies);
      resolve({ rps: result.requests.average, p50: percentile(sorted, 50), p99: percentile(sorted, 99), failed: result.non2xx + result.errors + result.timeouts });
    });
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status < 300) latencies.push(ms);
    });
  });
}

/**
 * One wrk run (wrk, the C load generator, if it is on the PATH): a second process that spends far less CPU per
 * request than autocannon in this one, so a fast server is not held back by its load generator. `body` makes each
 * request a POST with a body built from a counter (`%d`), which a Lua script fills in.
 *
 * @example
 * const { rps } = await wrk({ url: `${base}/api/v1/users/00u1`, headers, connections: 10, seconds: 5 });
 */
export async function wrk(options: { url: string; headers: Record<string, string>; connections: number; seconds: number; body?: string }): Promise<Load> {
  const dir = await mkdtemp(join(tmpdir(), 'twinverse-wrk-'));
  try {
    const script = join(dir, 'requests.lua');
    await writeFile(script, luaScript(options.headers, options.body));
    const args = ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency', '-s', script, options.url];
    const { stdout } = await run('wrk', args);
    return parseWrk(stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Whether wrk can be run here. */
export function hasWrk(): Promise<boolean> {
  return run('wrk', ['--version']).then(
    () => true,
    // wrk --version prints its version and exits with 1.
    (error: NodeJS.ErrnoException & { stdout?: string }) => /^wrk /.test(error.stdout ?? ''),
  );
}

const lua = (text: string): string => JSON.stringify(text);

function luaScript(headers: Record<string, string>, body: string | undefined): string {
  const lines = Object.entries(headers).map(([name, value]) => `wrk.headers[${lua(name)}] = ${lua(value)}`);
  if (body === undefined) return `${lines.join('\n')}\n`;
  // Each POST gets its own body: %d becomes a counter, after the run's tag that keeps logins apart between runs.
  const tag = `${process.pid}${Date.now().toString(36)}`;
  return [
    ...lines,
    'wrk.method = "POST"',
    `local template = ${lua(body)}`,
    'local n = 0',
    'request = function()',
    '  n = n + 1',
    `  local body = string.gsub(template, "%%d", ${lua(tag)} .. n)`,
    '  return wrk.format(nil, nil, nil, body)',
    'end',
    '',
  ].join('\n');
}

const UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function parseWrk(out: string): Load {
  const latency = (p: number) => {
    const match = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(out);
    if (!match) throw new Error(`wrk printed no ${p}% latency:\n${out}`);
    return Number(match[1]) * UNITS[match[2]];
  };
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  if (!rps) throw new Error(`wrk printed no Requests/sec:\n${out}`);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return { rps: Number(rps[1]), p50: latency(50), p99: latency(99), failed: non2xx + errors };
}
