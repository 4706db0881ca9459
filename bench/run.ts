/**
 * twinverse benchmark: `npm run bench` (builds, then runs this with --expose-gc). Every figure comes with
 * a baseline measured in the same run on the same machine, and the ratio between them.
 *   1. HTTP: the `twinverse serve okta` child against a bare express 5 route and a bare node:http server
 *   2. the official Okta SDK through the twin's MSW handlers against a bare msw handler
 *   3. twin.reset() of the default seed
 *   4. `twinverse serve okta` from spawn to healthy
 *   5. heap retained per SDK call through MSW, with msw's share separated from the twin's
 *   6. the plugin chain's cost per request, in process: no plugin, and the rate-limit plugin enforcing, each
 *      against the same twin run with no plugin chain at all
 *   7. listing users (first page, a page from a cursor, q=) at 100 and at 20,000 users (bench/listing.ts)
 *   8. `--data`: POST user on `twinverse serve okta` holding 10,000 users, with and without a data file (bench/persistence.ts)
 *   9. Jira over HTTP: creating an issue and JQL searches over 10,000 issues, against GET myself (bench/jira.ts)
 *  10. Slack over HTTP: chat.postMessage and conversations.history over 100,000 messages, against auth.test (bench/slack.ts)
 *  11. Google Docs in process: a batchUpdate of 100 insertText and a documents.get on a 1 MB document, against a 1 KB one (bench/gdocs.ts)
 *  12. the Go Okta twin beside the TypeScript twin server and bare node:http: GET and POST user, spawn to healthy, memory per 10,000 users (bench/go.ts)
 */
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOktaTwin, createTwin, createTwinRuntime, oktaTwin, rateLimit, type TwinRequest } from '../twins/index.js';
import { gdocsSection } from './gdocs.js';
import { goSection } from './go.js';
import { jiraSection } from './jira.js';
import { listingSection } from './listing.js';
import { persistenceSection } from './persistence.js';
import { slackSection } from './slack.js';
import { runJsonChild, spawnNode, statusOf, stop, waitForUrl } from './processes.js';
import { ADMIN_ID, ADMIN_TOKEN, ORG_URL, SDK_WARMUP_CALLS, type BareFixture, type MemoryResult, type SdkTarget, type SdkTask, type ThroughputResult } from './shared.js';
import { fmtFixed, fmtInt, fmtRatio, median, memoryReport, percentile, sortedCopy, table, verdict } from './stats.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const CLI = here('../twins/cli.js');
const BARE_SERVERS = here('./bare-servers.js');
const SDK_CHILD = here('./sdk-child.js');

const HTTP = { connections: 10, warmupSeconds: 1, seconds: 5 };
const SDK_CALLS = 3000;
const MEMORY_CALLS = 10_000;
const RESET_CALLS = 10_000;
const RESET_WARMUP = 500;
const STARTUP_RUNS = 5;
const CHAIN_ROUNDS = 7;
const CHAIN_CALLS = 20_000;
const HEALTH_POLL_MS = 2;

const AUTH = { authorization: `SSWS ${ADMIN_TOKEN}`, accept: 'application/json' };
const JSON_AUTH = { ...AUTH, 'content-type': 'application/json' };

let loginSeq = 0;
/** A valid create body; every login is new, since the twin (like Okta) refuses a taken one. */
function createBody(): string {
  const n = ++loginSeq;
  const login = `bench-${process.pid}-${n}@twin.test`;
  return JSON.stringify({ profile: { firstName: 'Bench', lastName: `User${n}`, email: login, login } });
}

function machine(): string {
  let model = cpus()[0]?.model ?? 'unknown CPU';
  try {
    model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? model;
  } catch {
    // Not Linux: os.cpus() already named the model.
  }
  return `${model}, ${cpus().length} cores, Node ${process.version}, ${process.platform} ${process.arch}`;
}

/** The version of an installed package, found from the file that would load it. */
function installedVersion(name: string, from: string): string {
  let dir = dirname(createRequire(from).resolve(name));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version: string };
      if (pkg.name === name) return pkg.version;
    } catch {
      // No package.json at this level: keep climbing.
    }
    if (dirname(dir) === dir) return 'unknown';
    dir = dirname(dir);
  }
}

// ---------- 1. HTTP ----------

interface Load {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** 2xx answers; for POST, the users the server created. */
  ok: number;
}

/** One autocannon run; latencies come from each response's own timing (float ms), not the whole-ms histogram. */
function cannon(options: autocannon.Options): Promise<Load> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const instance = autocannon({ connections: HTTP.connections, ...options }, (error, result) => {
      if (error) return reject(error);
      const sorted = sortedCopy(latencies);
      resolve({ rps: result.requests.average, p50: percentile(sorted, 50), p99: percentile(sorted, 99), non2xx: result.non2xx, errors: result.errors + result.timeouts, ok: result['2xx'] });
    });
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status < 300) latencies.push(ms);
    });
  });
}

interface Route {
  name: string;
  options(base: string): autocannon.Options;
}

const ROUTES: Route[] = [
  { name: 'GET /api/v1/users/{id}', options: (base) => ({ url: `${base}/api/v1/users/${ADMIN_ID}`, headers: AUTH }) },
  {
    name: 'POST /api/v1/users?activate=false',
    options: (base) => ({
      url: base,
      requests: [{ method: 'POST', path: '/api/v1/users?activate=false', headers: JSON_AUTH, setupRequest: (request) => ({ ...request, body: createBody() }) }],
    }),
  },
];

/** The measured run; `ok` counts the warm-up's 2xx answers too, since for POST they all add users. */
async function measureLoad(base: string, route: Route): Promise<Load> {
  const warmup = await cannon({ ...route.options(base), duration: HTTP.warmupSeconds });
  const measured = await cannon({ ...route.options(base), duration: HTTP.seconds });
  return { ...measured, ok: warmup.ok + measured.ok };
}

/** The twin's real answers, which the bare servers then serve. */
async function fixtureFrom(twinUrl: string): Promise<{ fixture: BareFixture; getText: string }> {
  const get = await fetch(`${twinUrl}/api/v1/users/${ADMIN_ID}`, { headers: AUTH });
  const getText = await get.text();
  if (get.status !== 200) throw new Error(`the twin answered GET user with ${get.status}: ${getText}`);
  const post = await fetch(`${twinUrl}/api/v1/users?activate=false`, { method: 'POST', headers: JSON_AUTH, body: createBody() });
  const created = (await post.json()) as BareFixture['created'];
  if (post.status !== 200) throw new Error(`the twin answered POST user with ${post.status}: ${JSON.stringify(created)}`);
  return { fixture: { user: JSON.parse(getText), created, createdStatus: post.status }, getText };
}

async function startBare(kind: 'express' | 'node', fixture: BareFixture, getText: string) {
  const child = spawnNode([BARE_SERVERS, kind], { BENCH_FIXTURE: JSON.stringify(fixture) });
  const url = await waitForUrl(child);
  const served = await (await fetch(`${url}/api/v1/users/${ADMIN_ID}`, { headers: AUTH })).text();
  if (served !== getText) throw new Error(`the bare ${kind} server does not serve the twin's GET body byte for byte`);
  return { child, url };
}

function httpSection(results: Map<string, Map<string, Load>>): string {
  const servers = [...results.values().next().value!.keys()];
  const rows: string[][] = [['', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'twin÷this req/s', 'p50', 'p99']];
  const lines: string[] = [];
  for (const [route, byServer] of results) {
    rows.push([route, '', '', '', '', '', '', '']);
    const twin = byServer.get(servers[0])!;
    for (const server of servers) {
      const r = byServer.get(server)!;
      const isTwin = server === servers[0];
      rows.push([
        `  ${server}`,
        fmtInt(r.rps),
        fmtFixed(r.p50, 2),
        fmtFixed(r.p99, 2),
        fmtInt(r.non2xx + r.errors),
        isTwin ? '' : fmtRatio(twin.rps / r.rps),
        isTwin ? '' : fmtRatio(twin.p50 / r.p50),
        isTwin ? '' : fmtRatio(twin.p99 / r.p99),
      ]);
      if (r.non2xx + r.errors > 0) lines.push(`   warning: ${server} answered ${r.non2xx} non-2xx and had ${r.errors} errors on ${route}`);
    }
  }
  const created = results.get(ROUTES[1].name)!.get(servers[0])!.ok;
  lines.push(`   the twin created ${fmtInt(created)} users in its POST run (warm-up included) and keeps them all: its POST figures include that growth`);
  const get = results.get(ROUTES[0].name)!;
  const ratio = get.get(servers[0])!.rps / get.get(servers[1])!.rps;
  lines.push(`   target: GET user twin ÷ bare express ≥ 1.00x  ->  ${fmtRatio(ratio)}  ${verdict(ratio >= 1)}`);
  const nodeRatio = get.get(servers[0])!.rps / get.get(servers[2])!.rps;
  lines.push(`   target: GET user twin ÷ bare node:http ≥ 0.50x  ->  ${fmtRatio(nodeRatio)}  ${verdict(nodeRatio >= 0.5)}`);
  lines.push('   (latency ratios: above 1.00x the twin is slower; req/s ratios: above 1.00x the twin is faster)');
  return [table(rows), ...lines].join('\n');
}

// ---------- 2. and 5. the SDK through MSW, in fresh children ----------

function sdkChild<T>(target: SdkTarget, task: SdkTask, calls: number, env: Record<string, string>): Promise<T> {
  return runJsonChild<T>(['--expose-gc', SDK_CHILD, target, task, String(calls)], env);
}

// ---------- 3. reset ----------

async function measureReset(): Promise<{ median: number; p99: number; users: number }> {
  const twin = createOktaTwin();
  await twin.ready();
  const create = () => twin.handle({ method: 'POST', url: `${ORG_URL}/api/v1/users?activate=false`, headers: JSON_AUTH, body: createBody() });
  const samples: number[] = [];
  for (let i = 0; i < RESET_WARMUP + RESET_CALLS; i++) {
    const created = await create();
    if (created.status !== 200) throw new Error(`creating a user before reset answered ${created.status}: ${created.body}`);
    const start = process.hrtime.bigint();
    twin.reset();
    const ns = Number(process.hrtime.bigint() - start);
    if (i >= RESET_WARMUP) samples.push(ns / 1e6);
  }
  const sorted = sortedCopy(samples);
  return { median: percentile(sorted, 50), p99: percentile(sorted, 99), users: Object.keys(twin.state.users).length };
}

// ---------- 4. startup ----------

async function measureStartup(): Promise<{ printed: number; healthy: number }> {
  const start = performance.now();
  const child = spawnNode([CLI, 'serve', 'okta', '--port', '0']);
  try {
    const url = await waitForUrl(child);
    const printed = performance.now() - start;
    while ((await statusOf(`${url}/__twin/health`)) !== 200) await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
    return { printed, healthy: performance.now() - start };
  } finally {
    await stop(child);
  }
}

// ---------- 6. the plugin chain ----------

/**
 * Microseconds per GET user through twin.handle() for each variant, measured in alternating rounds (so a noisy
 * moment hits every variant alike); the median round of each.
 */
async function measureChain(): Promise<Map<string, number>> {
  const request = (): TwinRequest => ({ method: 'GET', url: `${ORG_URL}/api/v1/users/${ADMIN_ID}`, headers: { ...AUTH }, baseUrl: ORG_URL });
  const bare = { ...oktaTwin, plugins: [] };
  const variants: [string, { handle(r: TwinRequest): Promise<{ status: number }>; ready(): Promise<void> }][] = [
    ['no plugin chain (the engine alone)', createTwinRuntime(bare)],
    ['chain, no plugin', createTwin(bare)],
    ['chain, rate-limit plugin enforcing', createTwin(bare, { plugins: [rateLimit({ limit: 1e9 })] })],
    ["Okta as shipped (its own reporting rate-limit plugin)", createOktaTwin()],
  ];
  const rounds = new Map<string, number[]>(variants.map(([name]) => [name, []]));
  for (const [, twin] of variants) {
    await twin.ready();
    for (let i = 0; i < CHAIN_CALLS; i++) await twin.handle(request());
  }
  for (let round = 0; round < CHAIN_ROUNDS; round++) {
    for (const [name, twin] of variants) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < CHAIN_CALLS; i++) {
        const res = await twin.handle(request());
        if (res.status !== 200) throw new Error(`${name} answered ${res.status}`);
      }
      rounds.get(name)!.push(Number(process.hrtime.bigint() - start) / 1e3 / CHAIN_CALLS);
    }
  }
  return new Map([...rounds].map(([name, us]) => [name, median(us)]));
}

// ---------- the run ----------

async function main() {
  const began = performance.now();
  console.log('twinverse bench');
  console.log(`machine  ${machine()}`);
  console.log(`msw ${installedVersion('msw', import.meta.url)}, @mswjs/interceptors ${installedVersion('@mswjs/interceptors', createRequire(import.meta.url).resolve('msw'))}, express ${installedVersion('express', import.meta.url)}, autocannon ${installedVersion('autocannon', import.meta.url)}, @okta/okta-sdk-nodejs ${installedVersion('@okta/okta-sdk-nodejs', import.meta.url)}`);
  console.log('');

  const cli = spawnNode([CLI, 'serve', 'okta', '--port', '0']);
  const twinUrl = await waitForUrl(cli);
  const { fixture, getText } = await fixtureFrom(twinUrl);
  const express = await startBare('express', fixture, getText);
  const bareNode = await startBare('node', fixture, getText);
  const userForMsw = (await createOktaTwin().handle({ method: 'GET', url: `${ORG_URL}/api/v1/users/${ADMIN_ID}`, headers: AUTH, baseUrl: ORG_URL })).body!;

  try {
    console.log(`1  HTTP on 127.0.0.1: ${HTTP.connections} connections, ${HTTP.warmupSeconds} s warm-up then ${HTTP.seconds} s each; autocannon here, each server in its own child`);
    console.log(`   twin: twinverse serve okta --port 0 (${twinUrl}); baselines answer the twin's own GET body byte for byte and the same shape for POST`);
    const servers: [string, string][] = [
      ['twin (twinverse serve)', twinUrl],
      ['bare express 5', express.url],
      ['bare node:http', bareNode.url],
    ];
    const results = new Map<string, Map<string, Load>>();
    for (const route of ROUTES) {
      const byServer = new Map<string, Load>();
      for (const [name, url] of servers) byServer.set(name, await measureLoad(url, route));
      results.set(route.name, byServer);
    }
    console.log(httpSection(results));
    console.log('');
    await Promise.all([stop(cli), stop(express.child)]);

    console.log(`2  official SDK, client.userApi.getUser, through msw setupServer: ${SDK_WARMUP_CALLS} warm-up then ${fmtInt(SDK_CALLS)} sequential calls, each case in a fresh child`);
    const sdkEnv = { BENCH_USER_JSON: userForMsw };
    const sdkTwin = await sdkChild<ThroughputResult>('twin', 'throughput', SDK_CALLS, sdkEnv);
    const sdkBare = await sdkChild<ThroughputResult>('bare-msw', 'throughput', SDK_CALLS, sdkEnv);
    const sdkRatio = sdkTwin.callsPerSec / sdkBare.callsPerSec;
    console.log(
      table([
        ['', 'calls/s', 'twin÷this'],
        ['twin mswHandlers', fmtInt(sdkTwin.callsPerSec), ''],
        ['bare msw http.get + HttpResponse.json', fmtInt(sdkBare.callsPerSec), fmtRatio(sdkRatio)],
      ]),
    );
    console.log(`   target: twin ÷ bare msw ≥ 0.80x  ->  ${fmtRatio(sdkRatio)}  ${verdict(sdkRatio >= 0.8)}`);
    console.log('');

    console.log(`3  twin.reset() to the default seed, each after creating a user through twin.handle: ${fmtInt(RESET_CALLS)} timed after ${RESET_WARMUP} warm-up`);
    const reset = await measureReset();
    if (reset.users !== 1) throw new Error(`after reset the twin holds ${reset.users} users, not the seeded 1`);
    console.log(`   median ${fmtFixed(reset.median * 1000, 1)} µs   p99 ${fmtFixed(reset.p99 * 1000, 1)} µs`);
    console.log(`   target: p99 < 1 ms  ->  ${fmtFixed(reset.p99, 3)} ms  ${verdict(reset.p99 < 1)}`);
    console.log('');

    console.log(`4  twinverse serve okta --port 0, from spawn until GET /__twin/health answers 200 (polled every ${HEALTH_POLL_MS} ms): ${STARTUP_RUNS} runs`);
    const startups: { printed: number; healthy: number }[] = [];
    for (let i = 0; i < STARTUP_RUNS; i++) startups.push(await measureStartup());
    const healthyMedian = median(startups.map((s) => s.healthy));
    console.log(`   healthy after  ${startups.map((s) => `${fmtInt(s.healthy)} ms`).join('  ')}   median ${fmtInt(healthyMedian)} ms`);
    console.log(`   URL printed after  ${startups.map((s) => `${fmtInt(s.printed)} ms`).join('  ')}`);
    console.log(`   target: median < 500 ms  ->  ${fmtInt(healthyMedian)} ms  ${verdict(healthyMedian < 500)}`);
    console.log('');

    console.log(`5  heap retained by ${fmtInt(MEMORY_CALLS)} SDK getUser calls (after ${SDK_WARMUP_CALLS} warm-up): heapUsed after minus before, each after forced GC, each case in a fresh child`);
    const memEnv = { ...sdkEnv, BENCH_ORG_URL: bareNode.url };
    const memTwin = await sdkChild<MemoryResult>('twin', 'memory', MEMORY_CALLS, memEnv);
    const memBare = await sdkChild<MemoryResult>('bare-msw', 'memory', MEMORY_CALLS, memEnv);
    const memNone = await sdkChild<MemoryResult>('no-msw', 'memory', MEMORY_CALLS, memEnv);
    console.log(memoryReport(memTwin, memBare, memNone));
    console.log('   rss counts memory outside the JS heap too, and heap pages V8 keeps after GC: a rough figure');
    console.log('');

    console.log(`6  the plugin chain: GET user through twin.handle() in process, ${CHAIN_ROUNDS} alternating rounds of ${fmtInt(CHAIN_CALLS)} calls, median round`);
    const chain = await measureChain();
    const [baseName, baseUs] = [...chain][0];
    console.log(table([['', 'µs per request', `÷ ${baseName}`], ...[...chain].map(([name, us]) => [name, fmtFixed(us, 2), name === baseName ? '' : fmtRatio(us / baseUs)])]));
    const empty = chain.get('chain, no plugin')! / baseUs;
    console.log(`   target: the chain with no plugin costs ≤ 1.03x the engine alone  ->  ${fmtRatio(empty)}  ${verdict(empty <= 1.03)}`);
    console.log('');

    await listingSection('7');
    console.log('');

    await persistenceSection('8');
    console.log('');

    await jiraSection('9');
    console.log('');

    await slackSection('10');
    console.log('');

    await gdocsSection('11');
    console.log('');

    await goSection('12');
  } finally {
    await Promise.all([stop(cli), stop(express.child), stop(bareNode.child)]);
  }
  console.log('');
  console.log(`done in ${fmtFixed((performance.now() - began) / 1000, 1)} s`);
}

await main();
