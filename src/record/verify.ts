import type { TwinDefinition } from '../define-twin.js';
import type { TwinResponse } from '../engine/types.js';
import { createTwin, type Twin } from '../twin.js';
import { compareValues, substituteIds, type Difference } from './compare.js';
import { decodeBody, recordedExchanges, responseBytes, type Har, type HarEntry } from './har.js';
import { REDACTED } from './redact.js';
import { exportFromRecording } from './seed.js';

/**
 * How `verifyRecording` runs.
 *
 * @example
 * const options: VerifyOptions = { seedFromRecording: true, headers: ['x-rate-limit-limit'] };
 */
export interface VerifyOptions {
  /** Start the twin from what the recording's GET answers show (the twin's seedFromRecording) instead of its seed. */
  seedFromRecording?: boolean;
  /** More response headers to compare, besides content-type, location, link, www-authenticate and retry-after. */
  headers?: string[];
  /**
   * Send the requests to a twin already running at this URL (another backend, such as a Go twin), reset through
   * its admin API first, instead of a fresh twin in process.
   */
  url?: string;
  /** The bearer token of that twin's admin API, when it requires one. */
  adminToken?: string;
  /**
   * Values for secrets the recording redacted in requests, by property name (`{ client_secret: '...' }`): put
   * back in query strings, forms and JSON bodies before each request is sent. Credential headers are put back
   * from the twin's own seeded credentials.
   */
  secrets?: Record<string, string>;
}

/** How one recorded exchange fared. */
export interface ExchangeResult {
  index: number;
  method: string;
  /** The recorded request's path and query. */
  target: string;
  status: { recorded: number; twin: number };
  /** 0 to 1: status 40 %, headers 10 %, body 50 % (each the share of its checks that matched). */
  score: number;
  differences: Difference[];
}

/**
 * What a fidelity check found: how many exchanges matched wholly, each one's differences, and the score (0–100,
 * the mean of the exchanges' scores).
 *
 * @example
 * const report = await verifyRecording(oktaTwin, har);
 * if (report.score < 90) console.log(formatReport(report));
 */
export interface VerifyReport {
  service: string;
  exchanges: number;
  matched: number;
  score: number;
  results: ExchangeResult[];
}

// Headers whose meaning a client acts on; the rest (dates, request ids, caching) vary between any two answers.
const COMPARED_HEADERS = ['content-type', 'location', 'link', 'www-authenticate', 'retry-after'];
const NOT_SENT = new Set(['host', 'content-length', 'connection', 'accept-encoding', 'transfer-encoding', 'keep-alive']);

interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

const headerMap = (pairs: { name: string; value: string }[]) => {
  const out: Record<string, string> = {};
  for (const { name, value } of pairs) {
    const key = name.toLowerCase();
    out[key] = out[key] === undefined ? value : `${out[key]}, ${value}`;
  }
  return out;
};

/** The form of a header's value that a client acts on: the media type; the link relations; the auth scheme and error. */
function headerMeaning(name: string, value: string | undefined): unknown {
  if (value === undefined) return undefined;
  if (name === 'content-type') return value.split(';')[0].trim().toLowerCase();
  if (name === 'link') {
    return [...value.matchAll(/<([^>]*)>\s*;\s*rel="?([^";,]+)"?/g)].map((m) => ({ rel: m[2], url: m[1] })).sort((a, b) => (a.rel < b.rel ? -1 : 1));
  }
  if (name === 'www-authenticate') return { scheme: value.split(/\s/)[0].toLowerCase(), error: /error="([^"]*)"/.exec(value)?.[1] };
  if (name === 'retry-after') return 'present';
  return value;
}

/**
 * Sends a recording's requests, in order, to a fresh twin and compares each answer with the recorded one: the
 * status, the headers that matter, and the body's structure and values, with ids, timestamps and tokens compared
 * by form (a recorded id the twin answered with its own is then put in the later requests that name it). A
 * recorded credential header that was redacted is replaced by the twin's seeded credential of that header.
 *
 * @example
 * const report = await verifyRecording(oktaTwin, await readHar('fixtures/okta-session.har'));
 * console.log(formatReport(report));
 */
export async function verifyRecording(definition: TwinDefinition<any, any>, har: Har, options: VerifyOptions = {}): Promise<VerifyReport> {
  const send = await sender(definition, har, options);
  const ids = new Map<string, string>();
  const compared = [...COMPARED_HEADERS, ...(options.headers ?? []).map((h) => h.toLowerCase())];
  const credentials = Object.fromEntries(Object.entries(definition.probes?.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const results: ExchangeResult[] = [];
  try {
    for (const [index, entry] of har.log.entries.entries()) {
      const recordedUrl = new URL(entry.request.url);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(headerMap(entry.request.headers))) {
        if (NOT_SENT.has(name)) continue;
        if (value.includes(REDACTED)) {
          if (credentials[name] !== undefined) headers[name] = credentials[name];
        } else headers[name] = substituteIds(value, ids);
      }
      const target = restoreSecrets(substituteIds(recordedUrl.pathname + recordedUrl.search, ids), 'query', options.secrets);
      const postData = entry.request.postData;
      const body = postData?.text === undefined ? undefined : restoreSecrets(substituteIds(postData.text, ids), postData.mimeType, options.secrets);
      const answer = await send({ method: entry.request.method.toUpperCase(), origin: recordedUrl.origin, target, headers, body });
      results.push(compareExchange(index, entry, answer, compared, ids));
    }
  } finally {
    await send.close();
  }
  const score = results.length ? (100 * results.reduce((sum, r) => sum + r.score, 0)) / results.length : 100;
  return { service: definition.name, exchanges: results.length, matched: results.filter((r) => r.differences.length === 0).length, score: Math.round(score * 10) / 10, results };
}

/** A request's query string or body with each redacted property given its value from `secrets`, where one is given. */
function restoreSecrets(text: string, kind: string, secrets: Record<string, string> | undefined): string {
  if (!secrets || !(text.includes(REDACTED) || text.includes(encodeURIComponent(REDACTED)))) return text;
  const put = (params: URLSearchParams) => {
    for (const [key, value] of [...params]) if (value === REDACTED && Object.hasOwn(secrets, key)) params.set(key, secrets[key]);
    return params.toString();
  };
  if (kind === 'query') {
    const at = text.indexOf('?');
    return at < 0 ? text : `${text.slice(0, at)}?${put(new URLSearchParams(text.slice(at + 1)))}`;
  }
  if (/x-www-form-urlencoded/i.test(kind)) return put(new URLSearchParams(text));
  const body = decodeBody(text, kind);
  if (typeof body !== 'object' || body === null) return text;
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === REDACTED && Object.hasOwn(secrets, k) ? secrets[k] : walk(v)]));
    }
    return value;
  };
  return JSON.stringify(walk(body));
}

function compareExchange(index: number, entry: HarEntry, answer: Answer, compared: string[], ids: Map<string, string>): ExchangeResult {
  const url = new URL(entry.request.url);
  const differences: Difference[] = [];
  const statusOk = entry.response.status === answer.status;
  if (!statusOk) differences.push({ path: 'status', recorded: entry.response.status, twin: answer.status });

  const recordedHeaders = headerMap(entry.response.headers);
  let headerChecks = 0;
  let headerMisses = 0;
  for (const name of compared) {
    if (recordedHeaders[name] === undefined && answer.headers[name] === undefined) continue;
    headerChecks++;
    const result = compareValues(headerMeaning(name, recordedHeaders[name]), headerMeaning(name, answer.headers[name]), `header ${name}`, ids);
    if (result.differences.length) {
      headerMisses++;
      differences.push({ path: `header ${name}`, recorded: recordedHeaders[name], twin: answer.headers[name] });
    }
  }

  const mimeType = entry.response.content.mimeType || recordedHeaders['content-type'] || '';
  const recordedBody = entry.response.content.encoding === 'base64' ? responseBytes(entry).toString('base64') : decodeBody(entry.response.content.text, mimeType);
  const twinBody = decodeBody(answer.text, answer.headers['content-type'] ?? '');
  let bodyShare = 1;
  if (recordedBody !== undefined || twinBody !== undefined) {
    const result = compareValues(recordedBody, twinBody, 'body', ids);
    differences.push(...result.differences);
    bodyShare = 1 - result.differences.length / result.checks;
  }
  const headerShare = headerChecks ? 1 - headerMisses / headerChecks : 1;
  const score = (statusOk ? 0.4 : 0) + 0.1 * headerShare + 0.5 * bodyShare;
  return { index, method: entry.request.method.toUpperCase(), target: url.pathname + url.search, status: { recorded: entry.response.status, twin: answer.status }, score, differences };
}

interface Outgoing {
  method: string;
  origin: string;
  target: string;
  headers: Record<string, string>;
  body?: string;
}

type Sender = ((request: Outgoing) => Promise<Answer>) & { close(): Promise<void> };

const answerOf = (response: TwinResponse): Answer => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  return { status: response.status, headers, text: response.body ?? '' };
};

/** A fresh twin in process (answering as if it were the recorded host, so its links name that host), or a running one. */
async function sender(definition: TwinDefinition<any, any>, har: Har, options: VerifyOptions): Promise<Sender> {
  if (options.url) {
    const base = options.url.replace(/\/$/, '');
    const admin: Record<string, string> = { 'content-type': 'application/json' };
    if (options.adminToken) admin.authorization = `Bearer ${options.adminToken}`;
    const reset = await fetch(`${base}/__twin/reset`, { method: 'POST', headers: admin, body: '{}' });
    if (!reset.ok) throw new Error(`[twinverse] verify: POST ${base}/__twin/reset answered ${reset.status}; is a twin running there (and is --admin-token right)?`);
    if (options.seedFromRecording) {
      const { doc } = exportFromRecording(definition, recordedExchanges(har));
      const put = await fetch(`${base}/__twin/state`, { method: 'PUT', headers: admin, body: JSON.stringify(doc) });
      if (!put.ok) throw new Error(`[twinverse] verify: PUT ${base}/__twin/state answered ${put.status}: ${(await put.text()).slice(0, 300)}`);
    }
    return Object.assign(
      async (request: Outgoing): Promise<Answer> => {
        const response = await fetch(base + request.target, { method: request.method, headers: request.headers, body: request.body, redirect: 'manual' });
        const headers: Record<string, string> = {};
        response.headers.forEach((value, name) => {
          headers[name] = value;
        });
        return { status: response.status, headers, text: await response.text() };
      },
      { close: () => Promise.resolve() },
    );
  }
  const twin: Twin<unknown> = createTwin(definition);
  if (options.seedFromRecording) twin.importState(exportFromRecording(definition, recordedExchanges(har)).doc);
  return Object.assign(
    async (request: Outgoing) =>
      answerOf(await twin.handle({ method: request.method, url: request.origin + request.target, headers: request.headers, body: request.body, baseUrl: request.origin })),
    { close: () => Promise.resolve() },
  );
}

const show = (value: unknown) => (value === undefined ? '(absent)' : JSON.stringify(value)?.slice(0, 300));

/**
 * The report as text: a line per exchange, each difference as a `-` recorded / `+` twin pair, and the totals.
 *
 * @example
 * console.log(formatReport(report));
 */
export function formatReport(report: VerifyReport): string {
  const lines: string[] = [];
  for (const r of report.results) {
    const mark = r.differences.length === 0 ? 'ok  ' : 'DIFF';
    lines.push(`${mark} #${r.index} ${r.method} ${r.target} → ${r.status.twin}${r.status.twin === r.status.recorded ? '' : ` (recorded ${r.status.recorded})`}  ${Math.round(r.score * 100)}%`);
    for (const d of r.differences) {
      lines.push(`       ${d.path}`, `         - ${show(d.recorded)}`, `         + ${show(d.twin)}`);
    }
  }
  lines.push('', `${report.service}: ${report.matched} of ${report.exchanges} exchanges matched; fidelity score ${report.score.toFixed(1)}`);
  return lines.join('\n');
}
