/**
 * The Slack twin over HTTP: `twinverse serve slack` in a child, seeded with #general holding 100,000 messages and
 * #random 1,000, then autocannon on chat.postMessage and on conversations.history (the newest page, a page from the
 * middle of the channel by cursor, and the newest page of the small channel), each against auth.test on the same
 * server in the same run as the baseline. History paging must cost the same in both channels: a page is found by
 * binary search on ts, never by walking the channel. Run alone with `node dist/bench/slack.js` after compiling bench/.
 */
import type autocannon from 'autocannon';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSlackTwin } from '../twins/index.js';
import { cannon, type Load } from './load.js';
import { spawnNode, stop, waitForUrl } from './processes.js';
import { fmtFixed, fmtInt, fmtRatio, table, verdict } from './stats.js';

const CLI = fileURLToPath(new URL('../twins/cli.js', import.meta.url));
const BIG = 100_000;
const SMALL = 1_000;
const GENERAL = 'C0GENERAL1';
const RANDOM = 'C0RANDOM01';
const ADMIN = 'U0TWADMIN1';
const WARMUP_SECONDS = 1;
const SECONDS = 4;
const LOADED_CONNECTIONS = 10;
const AUTH = { authorization: 'Bearer xoxp-twin-user-token' };
const FORM_AUTH = { ...AUTH, 'content-type': 'application/x-www-form-urlencoded' };
const FIRST_TS = 1767225600;

async function measure(options: autocannon.Options, connections: number): Promise<Load> {
  await cannon({ ...options, connections, duration: WARMUP_SECONDS });
  return cannon({ ...options, connections, duration: SECONDS });
}

/** A message of the seeded channels, as the twin stores a user's post: one a second from the clock's start. */
const message = (i: number) => ({ type: 'message' as const, user: ADMIN, text: `Bench message ${i}`, ts: `${FIRST_TS - BIG + i}.000000`, team: 'T0TWIN0001' });

/** A state export of the default seed with #general holding 100,000 messages and #random 1,000. */
function seedExport(): unknown {
  const doc = createSlackTwin().exportState();
  const state = doc.state;
  state.messages[GENERAL] = Array.from({ length: BIG }, (_, i) => message(i));
  state.messages[RANDOM] = Array.from({ length: SMALL }, (_, i) => message(BIG - SMALL + i));
  state.lastTs[GENERAL] = state.messages[GENERAL][BIG - 1].ts;
  state.lastTs[RANDOM] = state.messages[RANDOM][SMALL - 1].ts;
  return doc;
}

/** A method call as @slack/web-api sends it (a form POST); `form` is drawn for every request. */
interface Case {
  name: string;
  method: string;
  form: () => Record<string, string>;
}

/** The autocannon options of a case on the twin at `base`. */
const options = (base: string, c: Case): autocannon.Options => ({
  url: base,
  requests: [{ method: 'POST', path: `/api/${c.method}`, headers: FORM_AUTH, setupRequest: (request) => ({ ...request, body: new URLSearchParams(c.form()).toString() }) }],
});

/** One call of a case, checked: an answer with ok false would be measured as fast as a real one. */
async function check(base: string, c: Case): Promise<void> {
  const res = await fetch(`${base}/api/${c.method}`, { method: 'POST', headers: FORM_AUTH, body: new URLSearchParams(c.form()).toString() });
  const body = (await res.json()) as { ok: boolean; error?: string };
  if (!body.ok) throw new Error(`${c.name}: the twin answered ${res.status} ${JSON.stringify(body)}`);
}

/**
 * Prints the Slack section: chat.postMessage and conversations.history under load and one at a time, and the check
 * that a history page costs the same in a channel of 100,000 messages as in one of 1,000.
 *
 * @example
 * await slackSection('9');
 */
export async function slackSection(number: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'twinverse-bench-slack-'));
  const seedFile = join(dir, 'slack-100k.json');
  await writeFile(seedFile, JSON.stringify(seedExport()));
  const child = spawnNode([CLI, 'serve', 'slack', '--port', '0', '--seed', seedFile]);
  try {
    const base = await waitForUrl(child);
    const first = (await (await fetch(`${base}/api/conversations.history`, { method: 'POST', headers: FORM_AUTH, body: `channel=${GENERAL}&limit=1` })).json()) as { messages: { text: string }[] };
    if (first.messages?.[0]?.text !== `Bench message ${BIG - 1}`) throw new Error(`the twin did not load the seeded channel: ${JSON.stringify(first).slice(0, 200)}`);
    const middle = Buffer.from(`next_ts:${FIRST_TS - BIG / 2}.000000`).toString('base64');
    console.log(`${number}  Slack: twinverse serve slack, #general seeded with ${fmtInt(BIG)} messages and #random with ${fmtInt(SMALL)}; autocannon, ${WARMUP_SECONDS} s warm-up then ${SECONDS} s each`);
    let posted = 0;
    const cases: Case[] = [
      { name: 'auth.test (baseline)', method: 'auth.test', form: () => ({}) },
      { name: 'chat.postMessage into #general', method: 'chat.postMessage', form: () => ({ channel: GENERAL, text: `Posted ${++posted}` }) },
      { name: 'conversations.history #general, newest 100', method: 'conversations.history', form: () => ({ channel: GENERAL, limit: '100' }) },
      { name: 'conversations.history #general, 100 from the middle', method: 'conversations.history', form: () => ({ channel: GENERAL, limit: '100', cursor: middle }) },
      { name: 'conversations.history #random (1,000), newest 100', method: 'conversations.history', form: () => ({ channel: RANDOM, limit: '100' }) },
    ];
    const rows = [['', `req/s (${LOADED_CONNECTIONS} conn)`, 'p50 ms', 'p99 ms', 'req/s (1 conn)', 'p50 ms', 'p99 ms', 'p50 ÷ baseline (1 conn)']];
    const singles = new Map<string, Load>();
    let baseline = 0;
    for (const c of cases) {
      await check(base, c);
      const loaded = await measure(options(base, c), LOADED_CONNECTIONS);
      const single = await measure(options(base, c), 1);
      if (loaded.failed + single.failed > 0) throw new Error(`${c.name}: ${loaded.failed + single.failed} requests failed`);
      if (!baseline) baseline = single.p50;
      singles.set(c.name, single);
      rows.push([c.name, fmtInt(loaded.rps), fmtFixed(loaded.p50, 2), fmtFixed(loaded.p99, 2), fmtInt(single.rps), fmtFixed(single.p50, 2), fmtFixed(single.p99, 2), fmtRatio(single.p50 / baseline)]);
    }
    console.log(table(rows));
    console.log(`   the POST runs added ${fmtInt(posted)} messages (warm-ups included) to the ${fmtInt(BIG)} of #general`);
    const big = singles.get(cases[3].name)!.p50;
    const small = singles.get(cases[4].name)!.p50;
    const ratio = big / small;
    console.log(`   target: a history page costs the same at any size (O(page)): p50 in the middle of ${fmtInt(BIG)} ÷ newest of ${fmtInt(SMALL)} ≤ 1.25x  ->  ${fmtRatio(ratio)}  ${verdict(ratio <= 1.25)}`);
  } finally {
    await stop(child);
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await slackSection('1');
