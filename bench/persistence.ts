/**
 * The cost of `--data`: POST user against `twinverse serve okta` holding 10,000 users, with and without a data file,
 * measured in the same run (autocannon, 10 connections). With the change log and group commit a write costs what it
 * changed, so the two stay close; before, every write rewrote the whole file. Run alone with
 * `node dist/bench/persistence.js` after compiling bench/.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOktaTwin } from '../twins/index.js';
import { spawnNode, stop, waitForUrl } from './processes.js';
import { ADMIN_TOKEN, ORG_URL } from './shared.js';
import { cannon, type Load } from './load.js';
import { fmtFixed, fmtInt, fmtRatio, table, verdict } from './stats.js';

const USERS = 10_000;
const CONNECTIONS = 10;
const WARMUP_SECONDS = 1;
const SECONDS = 5;
const CLI = fileURLToPath(new URL('../twins/cli.js', import.meta.url));
const JSON_AUTH = { authorization: `SSWS ${ADMIN_TOKEN}`, accept: 'application/json', 'content-type': 'application/json' };

/** A state export of an org with `USERS` users, made in process through the twin's own POST /api/v1/users. */
async function orgExport(): Promise<string> {
  const twin = createOktaTwin({ clock: '2026-01-01T00:00:00.000Z' });
  await twin.ready();
  for (let n = 1; n < USERS; n++) {
    const login = `member${n}@persistence.test`;
    const body = JSON.stringify({ profile: { firstName: 'Kept', lastName: `Member${n}`, email: login, login } });
    const res = await twin.handle({ method: 'POST', url: `${ORG_URL}/api/v1/users?activate=false`, headers: JSON_AUTH, body, baseUrl: ORG_URL });
    if (res.status !== 200) throw new Error(`creating user ${n} answered ${res.status}: ${res.body}`);
  }
  return JSON.stringify(twin.exportState());
}

let loginSeq = 0;
function createBody(): string {
  const n = ++loginSeq;
  const login = `bench-${n}@persistence.test`;
  return JSON.stringify({ profile: { firstName: 'Bench', lastName: `User${n}`, email: login, login } });
}

function postLoad(base: string, seconds: number): Promise<Load> {
  return cannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ method: 'POST', path: '/api/v1/users?activate=false', headers: JSON_AUTH, setupRequest: (request) => ({ ...request, body: createBody() }) }],
  });
}

/** POST user load against a CLI started from the org export, with the extra arguments given. */
async function measure(seed: string, extra: string[]): Promise<Load> {
  const child = spawnNode([CLI, 'serve', 'okta', '--port', '0', '--seed', seed, ...extra]);
  try {
    const url = await waitForUrl(child);
    await postLoad(url, WARMUP_SECONDS);
    return await postLoad(url, SECONDS);
  } finally {
    await stop(child);
  }
}

/**
 * Prints the section: POST user req/s and latency with and without `--data` at 10,000 users, and their ratio.
 *
 * @example
 * await persistenceSection('10');
 */
export async function persistenceSection(number: string): Promise<void> {
  console.log(`${number}. --data: POST /api/v1/users on \`serve okta\` holding ${fmtInt(USERS)} users (${CONNECTIONS} connections, ${SECONDS} s)`);
  const dir = await mkdtemp(join(tmpdir(), 'twinverse-bench-'));
  try {
    const seed = join(dir, 'org.json');
    await writeFile(seed, await orgExport());
    const data = join(dir, 'state.json');
    const without = await measure(seed, []);
    const kept = await measure(seed, ['--data', data]);
    const logSize = await stat(`${data}.log`).then((s) => s.size, () => 0);
    const rows = [
      ['', 'req/s', 'p50 ms', 'p99 ms', 'failed'],
      ['without --data', fmtInt(without.rps), fmtFixed(without.p50, 1), fmtFixed(without.p99, 1), String(without.failed)],
      ['with --data', fmtInt(kept.rps), fmtFixed(kept.p50, 1), fmtFixed(kept.p99, 1), String(kept.failed)],
    ];
    console.log(table(rows));
    const ratio = without.rps / kept.rps;
    console.log(`   change log after the run: ${fmtInt(logSize)} bytes (folded into the snapshot whenever it outgrows it)`);
    console.log(`   target: POST with --data within 3x of without  ->  ${fmtRatio(ratio)} slower  ${verdict(ratio <= 3)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await persistenceSection('1');
