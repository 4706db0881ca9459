/**
 * The Jira twin over HTTP: `twinverse serve jira` in a child, filled with 10,000 issues through its own bulk create,
 * then autocannon on creating an issue and on JQL searches through /rest/api/3/search/jql, each against GET
 * /rest/api/3/myself on the same server in the same run (the cheapest authenticated call) as the baseline. Latency
 * is measured twice: under load (10 connections, where answers queue behind each other) and one request at a time
 * (what one test's call waits). Run alone with `node dist/bench/jira.js` after compiling bench/.
 */
import type autocannon from 'autocannon';
import { fileURLToPath } from 'node:url';
import { cannon, type Load } from './load.js';
import { spawnNode, stop, waitForUrl } from './processes.js';
import { fmtFixed, fmtInt, fmtRatio, table, verdict } from './stats.js';

const CLI = fileURLToPath(new URL('../twins/cli.js', import.meta.url));
const ISSUES = 10_000;
const BULK = 50;
const WARMUP_SECONDS = 1;
const SECONDS = 5;
const LOADED_CONNECTIONS = 10;
const BASIC = `Basic ${Buffer.from('admin@twin.test:twin-jira-token').toString('base64')}`;
const AUTH = { authorization: BASIC, accept: 'application/json' };
const JSON_AUTH = { ...AUTH, 'content-type': 'application/json' };
const ADA = '712020:1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9';
const ADMIN = '712020:7a1d2c3e-4b5f-4a6b-8c7d-9e0f1a2b3c4d';
const TYPES = ['Task', 'Bug', 'Story'];
const PRIORITIES = ['High', 'Medium', 'Low'];

async function measure(options: autocannon.Options, connections: number): Promise<Load> {
  await cannon({ ...options, connections, duration: WARMUP_SECONDS });
  return cannon({ ...options, connections, duration: SECONDS });
}

/** 10,000 issues through the twin's own bulk create: types, priorities, assignees and labels in turn. */
async function fill(base: string): Promise<void> {
  for (let start = 0; start < ISSUES; start += BULK) {
    const issueUpdates = Array.from({ length: BULK }, (_, i) => {
      const n = start + i;
      return {
        fields: {
          project: { key: 'TWIN' },
          issuetype: { name: TYPES[n % 3] },
          priority: { name: PRIORITIES[n % 3] },
          summary: `Bench issue ${n} ${n % 100 === 0 ? 'needle' : 'hay'}`,
          assignee: { accountId: n % 2 ? ADA : ADMIN },
          labels: [`batch${n % 10}`],
        },
      };
    });
    const res = await fetch(`${base}/rest/api/3/issue/bulk`, { method: 'POST', headers: JSON_AUTH, body: JSON.stringify({ issueUpdates }) });
    if (res.status !== 201) throw new Error(`bulk create answered ${res.status}: ${await res.text()}`);
  }
}

const search = (jql: string) => `/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}&fields=summary,status,assignee&maxResults=50`;
const STRUCTURED = 'project = TWIN AND issuetype = Bug AND assignee = currentUser() AND labels IN (batch2, batch4) ORDER BY created DESC';
const TEXT = 'project = TWIN AND summary ~ needle ORDER BY key';

/**
 * Prints the Jira section: the table under load and one at a time, and the p50 target of the JQL search.
 *
 * @example
 * await jiraSection('8');
 */
export async function jiraSection(number: string): Promise<void> {
  const child = spawnNode([CLI, 'serve', 'jira', '--port', '0']);
  try {
    const base = await waitForUrl(child);
    const began = performance.now();
    await fill(base);
    const filled = performance.now() - began;
    const check = await (await fetch(`${base}/rest/api/3/search/approximate-count`, { method: 'POST', headers: JSON_AUTH, body: JSON.stringify({ jql: 'project = TWIN' }) })).json();
    if ((check as { count: number }).count !== ISSUES) throw new Error(`the twin holds ${JSON.stringify(check)} issues, not ${ISSUES}`);
    console.log(`${number}  Jira: twinverse serve jira, ${fmtInt(ISSUES)} issues (made through POST /rest/api/3/issue/bulk in ${fmtInt(filled)} ms); autocannon, ${WARMUP_SECONDS} s warm-up then ${SECONDS} s each`);
    console.log(`   JQL A: ${STRUCTURED}`);
    console.log(`   JQL B: ${TEXT}`);
    let created = 0;
    const cases: [string, autocannon.Options][] = [
      ['GET /rest/api/3/myself (baseline)', { url: `${base}/rest/api/3/myself`, headers: AUTH }],
      ['GET /search/jql, JQL A, 50 issues with 3 fields', { url: base + search(STRUCTURED), headers: AUTH }],
      ['GET /search/jql, JQL B (text), 100 matches', { url: base + search(TEXT), headers: AUTH }],
      [
        'POST /rest/api/3/issue',
        {
          url: base,
          requests: [{ method: 'POST', path: '/rest/api/3/issue', headers: JSON_AUTH, setupRequest: (request) => ({ ...request, body: JSON.stringify({ fields: { project: { key: 'TWIN' }, issuetype: { name: 'Task' }, summary: `Created ${++created}` } }) }) }],
        },
      ],
    ];
    const rows = [['', `req/s (${LOADED_CONNECTIONS} conn)`, 'p50 ms', 'p99 ms', 'req/s (1 conn)', 'p50 ms', 'p99 ms', 'p50 ÷ baseline (1 conn)']];
    let baseline = 0;
    let searchP50 = 0;
    for (const [name, options] of cases) {
      const loaded = await measure(options, LOADED_CONNECTIONS);
      const single = await measure(options, 1);
      if (loaded.failed + single.failed > 0) throw new Error(`${name}: ${loaded.failed + single.failed} requests failed`);
      if (!baseline) baseline = single.p50;
      if (name.includes('JQL A')) searchP50 = single.p50;
      rows.push([name, fmtInt(loaded.rps), fmtFixed(loaded.p50, 2), fmtFixed(loaded.p99, 2), fmtInt(single.rps), fmtFixed(single.p50, 2), fmtFixed(single.p99, 2), fmtRatio(single.p50 / baseline)]);
    }
    console.log(table(rows));
    console.log(`   the POST runs created ${fmtInt(created)} more issues (warm-ups included) on top of the ${fmtInt(ISSUES)}`);
    console.log(`   target: JQL A over ${fmtInt(ISSUES)} issues, p50 one at a time < 20 ms  ->  ${fmtFixed(searchP50, 2)} ms  ${verdict(searchP50 < 20)}`);
  } finally {
    await stop(child);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await jiraSection('8');
