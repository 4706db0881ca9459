/**
 * Heap kept per official-SDK call through the twin's MSW handlers, on each Node and msw the tests run:
 * Node 20 with the project's msw 2, and Node 22 with test/node22's msw 3 (`npm ci --prefix test/node22`
 * installs both). `npm run bench:msw-heap`, or `node dist/bench/msw-heap.js [calls]` after building.
 * Each case is bench/sdk-child.js's memory task in a fresh process, beside its baselines on the same
 * runtime: a bare msw handler (msw's own share) and no msw at all (the SDK over 127.0.0.1).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createOktaTwin } from '../twins/index.js';
import { spawnNode, stop, waitForUrl } from './processes.js';
import { ADMIN_ID, ADMIN_TOKEN, ORG_URL, SDK_WARMUP_CALLS, type BareFixture, type MemoryResult, type SdkTarget } from './shared.js';
import { fmtInt, memoryReport } from './stats.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const ROOT = here('../../');
const SDK_CHILD = here('./sdk-child.js');
const BARE_SERVERS = here('./bare-servers.js');
const CALLS = Number(process.argv[2] ?? 10_000);

interface Runtime {
  name: string;
  node: string;
  /** A folder whose node_modules holds the msw to use. */
  mswFrom: string;
}

const RUNTIMES: Runtime[] = [
  { name: "this Node, the project's msw", node: process.execPath, mswFrom: ROOT },
  { name: "test/node22's Node and msw", node: `${ROOT}test/node22/node_modules/.bin/node`, mswFrom: `${ROOT}test/node22/` },
];

// A resolve hook, registered before anything loads, that sends every `msw` and `msw/*` import (the
// twin's adapter, sdk-child's own) to the runtime's msw: the Node 22 case must not find the project's msw 2.
const HOOKS = `let parentURL;
export function initialize(data) { parentURL = data.parentURL; }
export function resolve(specifier, context, next) {
  return specifier === 'msw' || specifier.startsWith('msw/') ? next(specifier, { ...context, parentURL }) : next(specifier, context);
}`;
const dataUrl = (source: string) => `data:text/javascript,${encodeURIComponent(source)}`;
function mswImport(runtime: Runtime): string[] {
  const parentURL = pathToFileURL(`${runtime.mswFrom}package.json`).href;
  return ['--import', dataUrl(`import { register } from 'node:module'; register(${JSON.stringify(dataUrl(HOOKS))}, { data: { parentURL: ${JSON.stringify(parentURL)} } });`)];
}

/** Runs `node <args>` on the given binary and returns its last stdout line, parsed. */
function runJson<T>(node: string, args: string[], env: Record<string, string>): Promise<T> {
  const child = spawn(node, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`${node} ${args.at(-3)} ${args.at(-2)} exited with ${code}; it printed: ${out}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${node} printed no JSON result: ${out}`));
      }
    });
  });
}

/** The Node version and the msw version that an import of msw finds, asked of the runtime itself. */
function probe(runtime: Runtime): Promise<{ node: string; msw: string }> {
  const source = `const p = await import('msw/package.json', { with: { type: 'json' } }); console.log(JSON.stringify({ node: process.versions.node, msw: p.default.version }));`;
  return runJson(runtime.node, [...mswImport(runtime), '--input-type=module', '-e', source], {});
}

/** The interceptors msw loads: nested under msw, or hoisted beside it (their exports hide package.json). */
function interceptorsVersion(runtime: Runtime): string {
  for (const dir of ['node_modules/msw/node_modules/', 'node_modules/']) {
    const file = `${runtime.mswFrom}${dir}@mswjs/interceptors/package.json`;
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

async function main() {
  const twin = createOktaTwin();
  const user = (await twin.handle({ method: 'GET', url: `${ORG_URL}/api/v1/users/${ADMIN_ID}`, headers: { authorization: `SSWS ${ADMIN_TOKEN}` }, baseUrl: ORG_URL })).body!;
  // The bare server only answers GET here; the create template is never sent.
  const fixture: BareFixture = { user: JSON.parse(user), created: { profile: {} }, createdStatus: 200 };
  const bare = spawnNode([BARE_SERVERS, 'node'], { BENCH_FIXTURE: JSON.stringify(fixture) });
  const env = { BENCH_USER_JSON: user, BENCH_ORG_URL: await waitForUrl(bare) };
  const sdk = createRequire(import.meta.url)('@okta/okta-sdk-nodejs/package.json') as { version: string };

  console.log(`heap kept per official SDK call (client.userApi.getUser, @okta/okta-sdk-nodejs ${sdk.version}) through msw setupServer:`);
  console.log(`${SDK_WARMUP_CALLS} warm-up then ${fmtInt(CALLS)} sequential calls; heapUsed after minus before, each after forced GC; each case in a fresh process`);
  try {
    for (const runtime of RUNTIMES) {
      console.log('');
      if (!existsSync(runtime.node)) {
        console.log(`${runtime.name}: ${runtime.node} is not installed (npm ci --prefix test/node22); skipped`);
        continue;
      }
      const found = await probe(runtime);
      console.log(`Node ${found.node}, msw ${found.msw}, @mswjs/interceptors ${interceptorsVersion(runtime)} (${runtime.name})`);
      const measure = (target: SdkTarget) => runJson<MemoryResult>(runtime.node, [...mswImport(runtime), '--expose-gc', SDK_CHILD, target, 'memory', String(CALLS)], env);
      const twinRun = await measure('twin');
      const bareMsw = await measure('bare-msw');
      const noMsw = await measure('no-msw');
      console.log(memoryReport(twinRun, bareMsw, noMsw));
    }
  } finally {
    await stop(bare);
  }
}

await main();
