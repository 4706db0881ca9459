/**
 * One SDK measurement in a fresh process, so that neither JIT warmth nor leftovers of another run
 * colour it: `node --expose-gc sdk-child.js <target> <task> <calls>`.
 *   target  twin      the twin's MSW handlers
 *           bare-msw  one msw `http.get` handler answering the same JSON (BENCH_USER_JSON)
 *           no-msw    no msw loaded: the SDK talks over 127.0.0.1 to BENCH_ORG_URL (a bare node:http server)
 *   task    throughput  sequential getUser calls per second
 *           memory      heapUsed after minus before the calls, after forced GC
 * Prints one JSON line.
 */
import okta from '@okta/okta-sdk-nodejs';
import { http, HttpResponse } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import { ADMIN_ID, ADMIN_TOKEN, ORG_URL, SDK_WARMUP_CALLS, type MemoryResult, type SdkTarget, type SdkTask, type ThroughputResult } from './shared.js';

async function settledMemory(): Promise<NodeJS.MemoryUsage> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run with node --expose-gc');
  // Sockets and streams finish closing on later turns of the loop; collect after they have.
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage();
}

async function main() {
  const [target, task, countText] = process.argv.slice(2) as [SdkTarget, SdkTask, string];
  const calls = Number(countText);
  let orgUrl = ORG_URL;
  let server: SetupServer | undefined;
  let journal: (() => number) | undefined;
  if (target === 'twin') {
    // Imported only here, so that the baselines' heaps hold none of the twin.
    const { createOktaTwin } = await import('../twins/index.js');
    const twin = createOktaTwin();
    await twin.ready();
    server = setupServer(...twin.mswHandlers(ORG_URL));
    journal = () => twin.requests.length;
  } else if (target === 'bare-msw') {
    const user = JSON.parse(process.env.BENCH_USER_JSON ?? '') as Record<string, unknown>;
    server = setupServer(http.get(`${ORG_URL}/api/v1/users/:userId`, () => HttpResponse.json(user)));
  } else if (target === 'no-msw') {
    orgUrl = process.env.BENCH_ORG_URL ?? '';
  } else {
    throw new Error(`unknown target ${target}`);
  }
  server?.listen({ onUnhandledRequest: 'error' });

  const client = new okta.Client({ orgUrl, token: ADMIN_TOKEN, cacheMiddleware: null });
  const call = () => client.userApi.getUser({ userId: ADMIN_ID });
  const first = await call();
  if (first.id !== ADMIN_ID) throw new Error(`getUser answered ${JSON.stringify(first)}`);
  for (let i = 1; i < SDK_WARMUP_CALLS; i++) await call();

  if (task === 'throughput') {
    const start = performance.now();
    for (let i = 0; i < calls; i++) await call();
    const seconds = (performance.now() - start) / 1000;
    const result: ThroughputResult = { calls, seconds, callsPerSec: calls / seconds };
    console.log(JSON.stringify(result));
  } else {
    const before = await settledMemory();
    for (let i = 0; i < calls; i++) await call();
    const after = await settledMemory();
    const result: MemoryResult = {
      calls,
      heapBefore: before.heapUsed,
      heapAfter: after.heapUsed,
      perCall: (after.heapUsed - before.heapUsed) / calls,
      rssBefore: before.rss,
      rssAfter: after.rss,
      journal: journal?.() ?? null,
    };
    console.log(JSON.stringify(result));
  }
  server?.close();
}

await main();
