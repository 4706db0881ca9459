/**
 * The Go Okta twin beside the TypeScript one, in one run: `twinverse serve okta` (node:http), the Go binary the
 * driver builds, and a bare node:http server serving the twin's own answers. autocannon on GET user and POST user
 * against each in turn; spawn to healthy (the driver's start: spawn, the "listening on" line, /__twin/health); and
 * resident memory per 10,000 users created through the API. Run alone with `node dist/bench/go.js` after compiling
 * bench/.
 */
import type autocannon from 'autocannon';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildGoTwin } from '../src/driver/go-build.js';
import { goTwin } from '../src/driver/go-twin.js';
import { cannon, type Load } from './load.js';
import { spawnNode, stop, waitForUrl } from './processes.js';
import { ADMIN_ID, ADMIN_TOKEN, type BareFixture } from './shared.js';
import { fmtFixed, fmtInt, fmtRatio, percentile, sortedCopy, table, verdict } from './stats.js';

const CLI = fileURLToPath(new URL('../twins/cli.js', import.meta.url));
const BARE_SERVERS = fileURLToPath(new URL('./bare-servers.js', import.meta.url));
const AUTH = { authorization: `SSWS ${ADMIN_TOKEN}`, accept: 'application/json' };
const JSON_AUTH = { ...AUTH, 'content-type': 'application/json' };
const WARMUP_SECONDS = 1;
const SECONDS = 5;
const CONNECTIONS = 10;
const STARTS = 10;
const MEMORY_USERS = 10_000;
const HEALTH_POLL_MS = 5;

let made = 0;
const createBody = () => {
  const n = ++made;
  return JSON.stringify({ profile: { firstName: 'Go', lastName: `Bench${n}`, email: `go.bench${n}@example.com`, login: `go.bench${n}@example.com` } });
};

async function measure(options: autocannon.Options): Promise<Load> {
  await cannon({ ...options, connections: CONNECTIONS, duration: WARMUP_SECONDS });
  return cannon({ ...options, connections: CONNECTIONS, duration: SECONDS });
}

const routes: [string, (base: string) => autocannon.Options][] = [
  ['GET /api/v1/users/{id}', (base) => ({ url: `${base}/api/v1/users/${ADMIN_ID}`, headers: AUTH })],
  [
    'POST /api/v1/users?activate=false',
    (base) => ({ url: base, requests: [{ method: 'POST', path: '/api/v1/users?activate=false', headers: JSON_AUTH, setupRequest: (request) => ({ ...request, body: createBody() }) }] }),
  ],
];

/** Resident memory of a process, from /proc (Linux), in bytes. */
async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** Creates `count` users, CONNECTIONS at a time. */
async function fillUsers(base: string, count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const res = await fetch(`${base}/api/v1/users?activate=false`, { method: 'POST', headers: JSON_AUTH, body: createBody() });
      if (res.status !== 200) throw new Error(`creating a user answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
}

async function healthyAfterSpawn(): Promise<number> {
  const start = performance.now();
  const child = spawnNode([CLI, 'serve', 'okta', '--port', '0']);
  try {
    const url = await waitForUrl(child);
    while ((await fetch(`${url}/__twin/health`).then((r) => r.status, () => 0)) !== 200) await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
    return performance.now() - start;
  } finally {
    await stop(child);
  }
}

/**
 * Prints the Go section: load on the three servers side by side, spawn to healthy, memory per 10,000 users.
 *
 * @example
 * await goSection('12');
 */
export async function goSection(number: string): Promise<void> {
  const { binary } = await buildGoTwin('okta');
  console.log(`${number}  the Go Okta twin (${binary}) beside twinverse serve okta and bare node:http; autocannon, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up then ${SECONDS} s each`);

  const ts = spawnNode([CLI, 'serve', 'okta', '--port', '0']);
  const go = await goTwin('okta', { binary });
  let bare: ReturnType<typeof spawnNode> | undefined;
  try {
    const tsUrl = await waitForUrl(ts);
    const user = await (await fetch(`${tsUrl}/api/v1/users/${ADMIN_ID}`, { headers: AUTH })).json();
    const created = await fetch(`${tsUrl}/api/v1/users?activate=false`, { method: 'POST', headers: JSON_AUTH, body: createBody() });
    const fixture: BareFixture = { user, created: (await created.json()) as BareFixture['created'], createdStatus: created.status };
    bare = spawnNode([BARE_SERVERS, 'node'], { BENCH_FIXTURE: JSON.stringify(fixture) });
    const bareUrl = await waitForUrl(bare);
    // Each answer's links name its own server: compared with the origins set aside.
    const goGet = (await (await fetch(`${go.url}/api/v1/users/${ADMIN_ID}`, { headers: AUTH })).text()).replaceAll(go.url, 'ORIGIN');
    const tsGet = (await (await fetch(`${tsUrl}/api/v1/users/${ADMIN_ID}`, { headers: AUTH })).text()).replaceAll(tsUrl, 'ORIGIN');
    const servers: [string, string][] = [
      ['twinverse serve okta (TypeScript)', tsUrl],
      ['Go twin binary', go.url],
      ['bare node:http', bareUrl],
    ];
    const rows = [['', 'req/s', 'p50 ms', 'p99 ms', 'Go ÷ this req/s']];
    const results = new Map<string, Map<string, Load>>();
    for (const [route, options] of routes) {
      const byServer = new Map<string, Load>();
      for (const [name, url] of servers) {
        const load = await measure(options(url));
        if (load.failed > 0) throw new Error(`${route} on ${name}: ${load.failed} requests failed`);
        byServer.set(name, load);
      }
      results.set(route, byServer);
      rows.push([route, '', '', '', '']);
      const goLoad = byServer.get('Go twin binary')!;
      for (const [name, load] of byServer) rows.push([`  ${name}`, fmtInt(load.rps), fmtFixed(load.p50, 2), fmtFixed(load.p99, 2), name === 'Go twin binary' ? '' : fmtRatio(goLoad.rps / load.rps)]);
    }
    console.log(table(rows));
    console.log(`   the Go and TypeScript twins answer GET user with the same body: ${goGet === tsGet ? 'yes' : 'NO'}`);
    const get = results.get(routes[0][0])!;
    const ratio = get.get('Go twin binary')!.rps / get.get('twinverse serve okta (TypeScript)')!.rps;
    console.log(`   target: the Go twin serves GET user at ≥ 3x the TypeScript twin server's req/s  ->  ${fmtRatio(ratio)}  ${verdict(ratio >= 3)}`);
  } finally {
    await go.close();
    await stop(ts);
    if (bare) await stop(bare);
  }

  const goStarts: number[] = [];
  const tsStarts: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const start = performance.now();
    const twin = await goTwin('okta', { binary });
    goStarts.push(performance.now() - start);
    await twin.close();
    tsStarts.push(await healthyAfterSpawn());
  }
  const goMedian = percentile(sortedCopy(goStarts), 50);
  const tsMedian = percentile(sortedCopy(tsStarts), 50);
  console.log(`   spawn to healthy (${STARTS} starts each, median): Go ${fmtFixed(goMedian, 1)} ms, TypeScript ${fmtFixed(tsMedian, 1)} ms`);
  console.log(`   target: the Go twin is healthy within 100 ms of spawn  ->  ${fmtFixed(goMedian, 1)} ms  ${verdict(goMedian <= 100)}`);

  const memory = async (name: string, start: () => Promise<{ url: string; pid: number; close(): Promise<void> }>) => {
    const server = await start();
    try {
      const before = await rssOf(server.pid);
      await fillUsers(server.url, MEMORY_USERS);
      const after = await rssOf(server.pid);
      return [name, fmtFixed(before / 2 ** 20, 1), fmtFixed(after / 2 ** 20, 1), fmtFixed((after - before) / 2 ** 20, 1)];
    } finally {
      await server.close();
    }
  };
  const memoryRows = [['', 'RSS at start (MiB)', `after ${fmtInt(MEMORY_USERS)} users`, `per ${fmtInt(MEMORY_USERS)} users`]];
  memoryRows.push(await memory('Go twin binary', async () => goTwin('okta', { binary })));
  memoryRows.push(
    await memory('twinverse serve okta (TypeScript)', async () => {
      const child = spawnNode([CLI, 'serve', 'okta', '--port', '0']);
      const url = await waitForUrl(child);
      return { url, pid: child.pid!, close: () => stop(child) };
    }),
  );
  console.log(table(memoryRows));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await goSection('12');
