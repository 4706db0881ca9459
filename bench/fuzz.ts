/**
 * The conformance suite's fuzz run, longer: `npm run fuzz -- --seed 7 --count 20000 --twin okta`. Every twin in the
 * catalog unless --twin names some; the same seed and count give the same requests. Prints, per twin, the answers by
 * status, which operations ever answered 2xx, each finding with the index that reproduces it, and whether the state
 * and the probe read still answer; exits 1 when anything was found.
 */
import { parseArgs } from 'node:util';
import { formatFinding, fuzzTwin, type FuzzReport } from '../test/support/fuzz.js';
import { twinCatalog } from '../twins/index.js';
import { fmtFixed, fmtInt } from './stats.js';

const DEFAULT_SEED = 20261206;
const DEFAULT_COUNT = 5000;
const FINDINGS_SHOWN = 40;

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    count: { type: 'string', default: String(DEFAULT_COUNT) },
    twin: { type: 'string', multiple: true },
    transcript: { type: 'boolean', default: false },
  },
});

function wholeNumber(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`[twinverse] fuzz: --${name} must be a whole number, not "${text}"`);
  return value;
}

const seed = wholeNumber('seed', values.seed!);
const count = wholeNumber('count', values.count!);
const names = values.twin ?? Object.keys(twinCatalog);
const unknown = names.filter((name) => !twinCatalog[name]);
if (unknown.length > 0) throw new Error(`[twinverse] fuzz: no twin named ${unknown.join(', ')} in the catalog (${Object.keys(twinCatalog).join(', ')})`);

const held = (report: FuzzReport) => report.findings.length === 0 && report.after.stateStatus === 200 && report.after.stateIsJson && (report.after.probeStatus ?? 200) === 200;

let failed = false;
console.log(`twinverse fuzz: seed ${seed}, ${fmtInt(count)} requests per twin, strict twins on a fixed clock, in process`);
for (const name of names) {
  const started = performance.now();
  const report = await fuzzTwin(twinCatalog[name], { seed, count });
  const seconds = (performance.now() - started) / 1000;
  console.log('');
  console.log(`${name}: ${fmtInt(count)} requests in ${fmtFixed(seconds, 1)} s`);
  console.log(`   by status  ${Object.entries(report.byStatus).map(([status, n]) => `${status}: ${fmtInt(n)}`).join('  ')}`);
  console.log(`   by kind    ${Object.entries(report.byKind).map(([kind, n]) => `${kind}: ${fmtInt(n)}`).join('  ')}`);
  const missed = report.emulated.filter((id) => !report.succeeded.includes(id));
  console.log(`   operations that answered 2xx: ${report.succeeded.length} of ${report.emulated.length}${missed.length ? ` (never: ${missed.join(', ')})` : ''}`);
  console.log(`   afterwards GET /__twin/state ${report.after.stateStatus}${report.after.stateIsJson ? ' (JSON)' : ' (not JSON)'}, probe read ${report.after.probeStatus ?? 'none declared'}`);
  console.log(`   findings: ${report.findings.length}`);
  for (const finding of report.findings.slice(0, FINDINGS_SHOWN)) console.log(`     ${formatFinding(finding)}`);
  if (report.findings.length > FINDINGS_SHOWN) console.log(`     ... and ${report.findings.length - FINDINGS_SHOWN} more`);
  if (values.transcript) for (const line of report.transcript) console.log(`     ${line}`);
  if (!held(report)) failed = true;
}
process.exitCode = failed ? 1 : 0;
