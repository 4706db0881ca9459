/**
 * Listing users at two org sizes, in process through twin.handle(): the first page, a page from a cursor and a `q=`
 * search, each at 100 and at 20,000 users, as the ratio between the two measured in the same run. A page should
 * cost in proportion to the page, not to the org. Run alone with `node dist/bench/listing.js` after compiling bench/.
 */
import { fileURLToPath } from 'node:url';
import { createOktaTwin, type Twin, type TwinRequest } from '../twins/index.js';
import { ADMIN_TOKEN, ORG_URL } from './shared.js';
import { fmtFixed, fmtInt, fmtRatio, median, table, verdict } from './stats.js';

const SMALL = 100;
const LARGE = 20_000;
const ROUNDS = 7;
const CALLS = 400;
const WARMUP_CALLS = 400;
const AUTH = { authorization: `SSWS ${ADMIN_TOKEN}`, accept: 'application/json' };

interface Org {
  twin: Twin;
  /** The id of the user halfway through the org, for a page that starts from a cursor. */
  middle: string;
  /** The login of the last user created, which only a search through the whole org reaches. */
  lastEmail: string;
}

/** An org of `size` users (the seeded admin and size - 1 more), created through the twin's own POST /api/v1/users. */
async function org(size: number): Promise<Org> {
  const twin = createOktaTwin({ clock: '2026-01-01T00:00:00.000Z' });
  await twin.ready();
  let middle = '';
  let lastEmail = '';
  for (let n = 1; n < size; n++) {
    lastEmail = `member${String(n).padStart(5, '0')}@listing.test`;
    const body = JSON.stringify({ profile: { firstName: 'Listed', lastName: `Member${n}`, email: lastEmail, login: lastEmail } });
    const res = await twin.handle({ method: 'POST', url: `${ORG_URL}/api/v1/users?activate=false`, headers: { ...AUTH, 'content-type': 'application/json' }, body, baseUrl: ORG_URL });
    if (res.status !== 200) throw new Error(`creating user ${n} answered ${res.status}: ${res.body}`);
    if (n === Math.floor(size / 2)) middle = (JSON.parse(res.body!) as { id: string }).id;
  }
  return { twin, middle, lastEmail };
}

interface Case {
  name: string;
  /** The query string, given the org. */
  query(org: Org): string;
  /** How many users the page holds at each size, checked on every call. */
  expect(size: number): number;
  /** Whether the case is held to the 2x target: not when the pages differ in size, nor for a search that must read the whole org by its nature. */
  target: boolean;
  /** Calls per round, when the default would take too long. */
  calls?: number;
}

const CASES: Case[] = [
  { name: 'first page, limit=100 (100 users listed at both sizes)', query: () => 'limit=100', expect: () => 100, target: true },
  { name: 'first page, default limit (100 users listed, then 200)', query: () => '', expect: (size) => Math.min(size, 200), target: false },
  { name: 'page after a cursor halfway, limit=20', query: (o) => `limit=20&after=${o.middle}`, expect: () => 20, target: true },
  { name: 'q=listed (every user matches; one page of 10)', query: () => 'q=listed', expect: () => 10, target: true },
  { name: 'q=<last user created> (a full scan by its nature)', query: (o) => `q=${encodeURIComponent(o.lastEmail)}`, expect: () => 1, target: false, calls: 20 },
];

const request = (query: string): TwinRequest => ({ method: 'GET', url: `${ORG_URL}/api/v1/users${query ? `?${query}` : ''}`, headers: { ...AUTH }, baseUrl: ORG_URL });

async function call(o: Org, size: number, c: Case): Promise<void> {
  const res = await o.twin.handle(request(c.query(o)));
  if (res.status !== 200) throw new Error(`${c.name} at ${size} users answered ${res.status}: ${res.body}`);
  const listed = (JSON.parse(res.body!) as unknown[]).length;
  if (listed !== c.expect(size)) throw new Error(`${c.name} at ${size} users listed ${listed} users, not ${c.expect(size)}`);
}

/** Microseconds per request, the median of alternating rounds (so a noisy moment hits both sizes alike). */
async function measure(orgs: Map<number, Org>, c: Case): Promise<Map<number, number>> {
  const rounds = new Map<number, number[]>([...orgs.keys()].map((size) => [size, []]));
  const calls = c.calls ?? CALLS;
  for (const [size, o] of orgs) for (let i = 0; i < Math.min(calls, WARMUP_CALLS); i++) await call(o, size, c);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [size, o] of orgs) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < calls; i++) await call(o, size, c);
      rounds.get(size)!.push(Number(process.hrtime.bigint() - start) / 1e3 / calls);
    }
  }
  return new Map([...rounds].map(([size, us]) => [size, median(us)]));
}

/** The first listing after the state is replaced builds the users' order index: once per state, not per page. */
async function firstListingAfterImport(o: Org): Promise<number> {
  o.twin.importState(o.twin.exportState());
  const start = process.hrtime.bigint();
  await call(o, LARGE, CASES[0]);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Prints the listing section: each case at both sizes, its ratio and, for the cases held to it, the 2x target.
 *
 * @example
 * await listingSection('7');
 */
export async function listingSection(number: string): Promise<void> {
  console.log(`${number}  listing users in process through twin.handle(): ${fmtInt(SMALL)} and ${fmtInt(LARGE)} users (created through POST), ${ROUNDS} alternating rounds of ${CALLS} calls after ${WARMUP_CALLS} warm-up, median round`);
  const orgs = new Map([
    [SMALL, await org(SMALL)],
    [LARGE, await org(LARGE)],
  ]);
  const rows = [['GET /api/v1/users', `µs at ${fmtInt(SMALL)}`, `µs at ${fmtInt(LARGE)}`, `${fmtInt(LARGE)} ÷ ${fmtInt(SMALL)}`, 'µs per user listed']];
  const lines: string[] = [];
  for (const c of CASES) {
    const us = await measure(orgs, c);
    const ratio = us.get(LARGE)! / us.get(SMALL)!;
    const perUser = [SMALL, LARGE].map((size) => fmtFixed(us.get(size)! / c.expect(size), 1)).join(' / ');
    rows.push([c.name, fmtFixed(us.get(SMALL)!, 1), fmtFixed(us.get(LARGE)!, 1), fmtRatio(ratio), perUser]);
    if (c.target) lines.push(`   target: ${c.name.replace(/ \(.*/, '')} at ${fmtInt(LARGE)} users within 2x of at ${fmtInt(SMALL)}  ->  ${fmtRatio(ratio)}  ${verdict(ratio <= 2)}`);
  }
  console.log(table(rows));
  console.log(lines.join('\n'));
  console.log(`   the default first page lists every user at ${fmtInt(SMALL)} and 200 at ${fmtInt(LARGE)}: its ratio is that of its page sizes, not of the orgs`);
  console.log(`   the first listing after an import of ${fmtInt(LARGE)} users builds the order index once: ${fmtFixed(await firstListingAfterImport(orgs.get(LARGE)!), 2)} ms`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await listingSection('7');
