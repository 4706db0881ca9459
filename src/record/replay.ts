import { decodeBody, responseBytes, type Har, type HarEntry } from './har.js';
import { createRedactor, type RedactOptions } from './redact.js';

/**
 * How a replayed request is matched to a recorded one. Method and path always count.
 *
 * @example
 * const options: MatchOptions = { query: true, body: false, ignoreQuery: ['after'], sequence: 'strict' };
 */
export interface MatchOptions {
  /** Match the query string (parameters in any order); true by default. */
  query?: boolean;
  /** Match the body (JSON and forms compared as data, key order aside); true by default. */
  body?: boolean;
  /** Query parameters left out of matching (a timestamp or nonce the client adds). */
  ignoreQuery?: string[];
  /** Request headers that must match too (case-insensitive names). */
  headers?: string[];
  /**
   * Identical requests recorded several times are answered in recorded order; after the last, `repeat-last`
   * (the default) answers with the last one again, `strict` refuses as a miss.
   */
  sequence?: 'repeat-last' | 'strict';
  /** What the recording redacted beyond the defaults: a request is redacted the same way before it is matched. */
  redact?: RedactOptions;
}

/** A request as a replayer sees it. */
export interface ReplayRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** A recorded answer to serve, or a miss that names the closest recorded request and how it differs. */
export type ReplayAnswer =
  | { matched: true; entry: HarEntry; index: number; status: number; headers: [string, string][]; body: Buffer }
  | { matched: false; status: number; headers: [string, string][]; body: Buffer; closest?: { index: number; differences: string[] } };

/**
 * Answers requests from a recording.
 *
 * @example
 * const replayer = createReplayer(await readHar('fixtures/okta-session.har'));
 * const answer = replayer.answer({ method: 'GET', url: 'https://dev-123.okta.com/api/v1/users/00u1', headers: {} });
 */
export interface Replayer {
  answer(request: ReplayRequest, origin?: string): ReplayAnswer;
  /** Starts every sequence from its first recorded answer again. */
  rewind(): void;
  /** The recording's origins (scheme, host and port), for handlers that intercept them. */
  readonly origins: string[];
}

// Headers a replayed answer does not repeat: they described the recorded transfer, not this one.
const TRANSFER_HEADERS = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive']);

interface Described {
  method: string;
  path: string;
  query: [string, string][];
  body: unknown;
  headers: Record<string, string>;
}

const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
};

/**
 * Builds a replayer over a recording.
 *
 * @example
 * const replayer = createReplayer(har, { ignoreQuery: ['_'] });
 */
export function createReplayer(har: Har, options: MatchOptions = {}): Replayer {
  const useQuery = options.query ?? true;
  const useBody = options.body ?? true;
  const ignored = new Set(options.ignoreQuery ?? []);
  const matchHeaders = (options.headers ?? []).map((h) => h.toLowerCase());
  const strict = options.sequence === 'strict';
  const redactor = createRedactor(options.redact);

  const describe = (method: string, href: string, headers: Record<string, string>, body: string | undefined, mimeType: string): Described => {
    const url = new URL(href);
    const query = [...url.searchParams].filter(([name]) => !ignored.has(name)).sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1));
    const picked: Record<string, string> = {};
    for (const name of matchHeaders) if (headers[name] !== undefined) picked[name] = headers[name];
    return { method: method.toUpperCase(), path: url.pathname, query, body: decodeBody(body, mimeType), headers: picked };
  };
  const keyOf = (d: Described) =>
    [d.method, d.path, useQuery ? canonical(d.query) : '', useBody ? canonical(d.body) : '', canonical(d.headers)].join('\u0000');

  const recorded = har.log.entries.map((entry, index) => {
    const headers = Object.fromEntries(entry.request.headers.map((h) => [h.name.toLowerCase(), h.value]));
    const described = describe(entry.request.method, entry.request.url, headers, entry.request.postData?.text, entry.request.postData?.mimeType ?? headers['content-type'] ?? '');
    return { entry, index, described, key: keyOf(described), origin: new URL(entry.request.url).origin };
  });
  const sequences = new Map<string, typeof recorded>();
  for (const item of recorded) {
    const list = sequences.get(item.key) ?? [];
    list.push(item);
    sequences.set(item.key, list);
  }
  const served = new Map<string, number>();

  const differences = (want: Described, have: Described): string[] => {
    const out: string[] = [];
    if (want.method !== have.method) out.push(`method: recorded ${have.method}, got ${want.method}`);
    if (want.path !== have.path) out.push(`path: recorded ${have.path}, got ${want.path}`);
    if (useQuery) {
      const a = new Map(want.query);
      const b = new Map(have.query);
      for (const [name, value] of b) if (a.get(name) !== value) out.push(a.has(name) ? `query ${name}: recorded "${value}", got "${a.get(name)}"` : `query ${name}: recorded "${value}", not sent`);
      for (const [name, value] of a) if (!b.has(name)) out.push(`query ${name}: sent "${value}", not recorded`);
    }
    if (useBody && canonical(want.body) !== canonical(have.body)) out.push(`body: recorded ${canonical(have.body).slice(0, 200)}, got ${canonical(want.body).slice(0, 200)}`);
    for (const name of matchHeaders) if (want.headers[name] !== have.headers[name]) out.push(`header ${name}: recorded "${have.headers[name] ?? ''}", got "${want.headers[name] ?? ''}"`);
    return out;
  };
  // Closeness: the same method and path count most, then each query parameter and the body.
  const distance = (want: Described, have: Described) =>
    (want.method === have.method ? 0 : 8) + (want.path === have.path ? 0 : 4 + pathDistance(want.path, have.path)) + differences(want, have).length;

  const rewriteOrigin = (value: string, from: string, to: string | undefined) => (to && to !== from ? value.replaceAll(from, to) : value);

  return {
    origins: [...new Set(recorded.map((r) => r.origin))],
    rewind: () => served.clear(),
    answer(request, origin) {
      // Redacted as the recording was: a secret the client sends matches the recording's "[REDACTED]".
      const mimeType = request.headers['content-type'] ?? '';
      const body = request.body === undefined ? undefined : redactor.body(request.body, mimeType);
      const described = describe(request.method, redactor.url(request.url), request.headers, body, mimeType);
      const key = keyOf(described);
      const list = sequences.get(key);
      const count = served.get(key) ?? 0;
      const hit = list && (count < list.length ? list[count] : strict ? undefined : list[list.length - 1]);
      if (hit) {
        served.set(key, count + 1);
        const { response } = hit.entry;
        // Links and redirects that named the recorded host name the host being replayed instead.
        const headers = response.headers
          .filter((h) => !TRANSFER_HEADERS.has(h.name.toLowerCase()))
          .map((h): [string, string] => [h.name, /^(link|location)$/i.test(h.name) ? rewriteOrigin(h.value, hit.origin, origin) : h.value]);
        return { matched: true, entry: hit.entry, index: hit.index, status: response.status, headers, body: responseBytes(hit.entry) };
      }
      const ranked = recorded.map((r) => ({ r, d: distance(described, r.described) })).sort((a, b) => a.d - b.d || a.r.index - b.r.index);
      const closest = ranked[0]?.r;
      const lines = [`[twinverse] replay: no recorded exchange matches`, `  ${described.method} ${new URL(request.url).pathname}${new URL(request.url).search}`];
      let found: { index: number; differences: string[] } | undefined;
      if (closest) {
        const diff = differences(described, closest.described);
        if (diff.length === 0) diff.push(`all ${list?.length ?? 0} recorded answers to this request were served already (sequence: strict)`);
        found = { index: closest.index, differences: diff };
        const url = new URL(closest.entry.request.url);
        lines.push(`closest recorded (entry ${closest.index}):`, `  ${closest.described.method} ${url.pathname}${url.search}`, 'differences:', ...diff.map((d) => `  ${d}`));
      } else lines.push('the recording holds no exchanges');
      return {
        matched: false,
        status: 404,
        headers: [
          ['content-type', 'text/plain; charset=utf-8'],
          ['x-twinverse-replay', 'no-match'],
        ],
        body: Buffer.from(`${lines.join('\n')}\n`),
        closest: found,
      };
    },
  };
}

function pathDistance(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let d = Math.abs(x.length - y.length);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) d++;
  return d;
}
