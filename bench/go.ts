/**
 * The Go Okta twin beside the TypeScript one, in one run: `twinverse serve okta` (node:http), the Go binary the
 * driver builds, and bare servers serving the twin's own answers (node:http, and Go's net/http from bench/bare-go.go).
 * Load on GET user and POST user against each in turn, from wrk when it is installed, else autocannon; spawn to
 * healthy (the driver's start: spawn, the "listening on" line, /__twin/health); and resident memory per 10,000
 * users created through the API. Run alone with `node dist/bench/go.js` after compiling bench/.
 */
import type autocannon from 'autocannon';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildGoTwin } from '../src/driver/go-build.js';
import { goTwin } from '../src/driver/go-twin.js';
import { cannon, hasWrk, wrk, type Load } from './load.js';
import { spawnNode, spawnProgram, stop, waitForUrl } from './processes.js';
import { ADMIN_ID, ADMIN_TOKEN, type BareFixture } from './shared.js';
import { fmtFixed, fmtInt, fmtRatio, percentile, sortedCopy, table, verdict } from './stats.js';

const CLI = fileURLToPath(new URL('../twins/cli.js', import.meta.url));
const BARE_SERVERS = fileURLToPath(new URL('./bare-servers.js', import.meta.url));
const BARE_GO = fileURLToPath(new URL('../../bench/bare-go.go', import.meta.url));
const AUTH = { authorization: `SSWS ${ADMIN_TOKEN}`, accept: 'application/json' };
const JSON_AUTH = { ...AUTH, 'content-type': 'application/json' };
const WARMUP_SECONDS = 1;
const SECONDS = 5;
const ROUNDS = 3;
const CONNECTIONS = 10;
const STARTS = 10;
const MEMORY_USERS = 10_000;
const HEALTH_POLL_MS = 5;
const GO_TWIN = 'Go twin binary';
const TS_TWIN = 'twinverse serve okta (TypeScript)';

// A new user's body; %d is a number no other request of the run uses.
const CREATE_BODY = JSON.stringify({ profile: { firstName: 'Go', lastName: 'Bench%d', email: 'go.bench%d@example.com', login: 'go.bench%d@example.com' } });
let made = 0;
const createBody = () => CREATE_BODY.replaceAll('%d', `a${++made}`);

interface Route {
  name: string;
  path: string;
  /** A POST's body template (%d: a fresh number); a GET has none. */
  body?: string;
}

const routes: Route[] = [
  { name: 'GET /api/v1/users/{id}', path: `/api/v1/users/${ADMIN_ID}` },
  { name: 'POST /api/v1/users?activate=false', path: '/api/v1/users?activate=false', body: CREATE_BODY },
];

type Generator = (base: string, route: Route, seconds: number) => Promise<Load>;

const withAutocannon: Generator = (base, route, seconds) => {
  const options: autocannon.Options = route.body
    ? { url: base, requests: [{ method: 'POST', path: route.path, headers: JSON_AUTH, setupRequest: (request) => ({ ...request, body: createBody() }) }] }
    : { url: `${base}${route.path}`, headers: AUTH };
  return cannon({ ...options, connections: CONNECTIONS, duration: seconds });
};

const withWrk: Generator = (base, route, seconds) =>
  wrk({ url: `${base}${route.path}`, headers: route.body ? JSON_AUTH : AUTH, connections: CONNECTIONS, seconds, body: route.body });

async function measure(generator: Generator, base: string, route: Route): Promise<Load> {
  await generator(base, route, WARMUP_SECONDS);
  return generator(base, route, SECONDS);
}

/** Builds bench/bare-go.go into a temporary folder: the caller removes it. */
async function buildBareGo(): Promise<{ binary: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'twinverse-bare-go-'));
  const binary = join(dir, 'bare-go');
  await promisify(execFile)('go', ['build', '-o', binary, BARE_GO], { cwd: dir });
  return { binary, dir };
}

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
  const useWrk = await hasWrk();
  const generator = useWrk ? withWrk : withAutocannon;
  console.log(
    `${number}  the Go Okta twin (${binary}) beside twinverse serve okta and bare servers; ${useWrk ? 'wrk' : 'autocannon'}, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up then ${SECONDS} s, ${ROUNDS} rounds over the servers in turn, each server's median run`,
  );
  if (!useWrk) console.log('   wrk is not installed: autocannon runs in this process and, on a small machine, limits the fastest servers (the bare ones show where)');

  const ts = spawnNode([CLI, 'serve', 'okta', '--port', '0']);
  const go = await goTwin('okta', { binary });
  const bareGoBuild = await buildBareGo();
  const bare: ReturnType<typeof spawnNode>[] = [];
  try {
    const tsUrl = await waitForUrl(ts);
    const user = await (await fetch(`${tsUrl}/api/v1/users/${ADMIN_ID}`, { headers: AUTH })).json();
    const created = await fetch(`${tsUrl}/api/v1/users?activate=false`, { method: 'POST', headers: JSON_AUTH, body: createBody() });
    const fixture: BareFixture = { user, created: (await created.json()) as BareFixture['created'], createdStatus: created.status };
    const fixtureEnv = { BENCH_FIXTURE: JSON.stringify(fixture) };
    bare.push(spawnNode([BARE_SERVERS, 'node'], fixtureEnv), spawnProgram(bareGoBuild.binary, [], fixtureEnv));
    const [bareNodeUrl, bareGoUrl] = await Promise.all(bare.map((child) => waitForUrl(child)));
    // Each answer's links name its own server: compared with the origins set aside.
    const goGet = (await (await fetch(`${go.url}/api/v1/users/${ADMIN_ID}`, { headers: AUTH })).text()).replaceAll(go.url, 'ORIGIN');
    const tsGet = (await (await fetch(`${tsUrl}/api/v1/users/${ADMIN_ID}`, { headers: AUTH })).text()).replaceAll(tsUrl, 'ORIGIN');
    const servers: [string, string][] = [
      [TS_TWIN, tsUrl],
      [GO_TWIN, go.url],
      ['bare node:http', bareNodeUrl],
      ['bare Go net/http', bareGoUrl],
    ];
    const rows = [['', 'req/s', 'p50 ms', 'p99 ms', 'Go twin ÷ this req/s']];
    const results = new Map<string, Map<string, Load>>();
    for (const route of routes) {
      // Rounds over the servers in turn, each server's median run kept: a machine shared with other work moves
      // single runs by a fifth or more, and in turn no server gets all the quiet (or busy) moments.
      const runs = new Map<string, Load[]>(servers.map(([name]) => [name, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, url] of servers) {
          const load = await measure(generator, url, route);
          if (load.failed > 0) throw new Error(`${route.name} on ${name}: ${load.failed} requests failed`);
          runs.get(name)!.push(load);
        }
      }
      const byServer = new Map([...runs].map(([name, loads]) => [name, [...loads].sort((a, b) => a.rps - b.rps)[Math.floor(loads.length / 2)]]));
      results.set(route.name, byServer);
      rows.push([route.name, '', '', '', '']);
      const goLoad = byServer.get(GO_TWIN)!;
      for (const [name, load] of byServer) rows.push([`  ${name}`, fmtInt(load.rps), fmtFixed(load.p50, 2), fmtFixed(load.p99, 2), name === GO_TWIN ? '' : fmtRatio(goLoad.rps / load.rps)]);
    }
    console.log(table(rows));
    console.log(`   the Go and TypeScript twins answer GET user with the same body: ${goGet === tsGet ? 'yes' : 'NO'}`);
    const get = results.get(routes[0].name)!;
    const ratio = get.get(GO_TWIN)!.rps / get.get(TS_TWIN)!.rps;
    console.log(`   target: the Go twin serves GET user at ≥ 3x the TypeScript twin server's req/s  ->  ${fmtRatio(ratio)}  ${verdict(ratio >= 3)}`);
  } finally {
    await go.close();
    await stop(ts);
    for (const child of bare) await stop(child);
    await rm(bareGoBuild.dir, { recursive: true, force: true });
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
  memoryRows.push(await memory(GO_TWIN, async () => goTwin('okta', { binary })));
  memoryRows.push(
    await memory(TS_TWIN, async () => {
      const child = spawnNode([CLI, 'serve', 'okta', '--port', '0']);
      const url = await waitForUrl(child);
      return { url, pid: child.pid!, close: () => stop(child) };
    }),
  );
  console.log(table(memoryRows));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await goSection('12');
