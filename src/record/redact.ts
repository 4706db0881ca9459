import { jsonDepthOver } from '../engine/pipeline.js';
import type { HarEntry, HarPair } from './har.js';

/** What stands in a recording for a secret. */
export const REDACTED = '[REDACTED]';

/**
 * What to redact besides the defaults (see `createRedactor`). A twin declares its vendor's secrets in this shape
 * (`definition.secrets`); `mergeRedactions` joins several.
 *
 * @example
 * const options: RedactOptions = { headers: ['x-api-key'], keys: ['ssn'], jsonPaths: ['profile.mobilePhone', 'items.*.secret'] };
 */
export interface RedactOptions {
  /** More header names whose values are secrets (case-insensitive). */
  headers?: string[];
  /** More property names whose values are secrets wherever they appear: JSON bodies, forms, query strings. */
  keys?: string[];
  /** Property names that are secrets in a query string only (an API key `?key=`, where a body's `key` may not be one). */
  queryKeys?: string[];
  /** Dotted paths into JSON bodies (`*` matches any key or index) whose values are secrets. */
  jsonPaths?: string[];
  /**
   * Secrets recognizable by their form wherever they appear (URLs, headers, text); global regular expressions.
   * What a pattern's first group matches is kept, the rest of the match becomes `[REDACTED]`.
   */
  patterns?: RegExp[];
}

/**
 * One set of redactions from several (the twins of a catalog, and what a user adds).
 *
 * @example
 * const redact = mergeRedactions(oktaTwin.secrets, slackTwin.secrets, { keys: ['ssn'] });
 */
export function mergeRedactions(...sets: (RedactOptions | undefined)[]): RedactOptions {
  const merged: Required<RedactOptions> = { headers: [], keys: [], queryKeys: [], jsonPaths: [], patterns: [] };
  for (const set of sets) {
    for (const field of Object.keys(merged) as (keyof RedactOptions)[]) (merged[field] as unknown[]).push(...(set?.[field] ?? []));
  }
  return merged;
}

// Headers that carry credentials. Authorization keeps its scheme ("SSWS [REDACTED]") so that a replay or a
// fidelity check knows which credential to put back.
const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'dpop', 'x-api-key', 'x-auth-token'];

// Property names that hold secrets in OAuth 2.0 and its extensions (RFC 6749, 7521, 7636, 8628, 8693) and
// passwords; a vendor's own names come from its twin's `secrets`.
const SECRET_KEYS = ['access_token', 'refresh_token', 'id_token', 'device_code', 'client_secret', 'client_assertion', 'code_verifier', 'assertion', 'subject_token', 'actor_token', 'password', 'secret'];

// JSON Web Tokens, wherever they appear.
const SECRET_PATTERNS = [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g];

/**
 * Redacts everything a recording must not keep, in requests and answers: credential headers, secret properties
 * of JSON bodies, forms and query strings, token-shaped strings anywhere, and what the options add. A replayer
 * redacts incoming requests the same way, so that they match what was recorded.
 */
export interface Redactor {
  /** Redacts a whole exchange in place, and returns it. */
  entry(entry: HarEntry): HarEntry;
  url(href: string): string;
  body(text: string, mimeType: string): string;
}

/**
 * Builds the redactor a recorder applies to each exchange before it is kept anywhere.
 *
 * @example
 * const redact = createRedactor({ keys: ['ssn'] });
 * redact.entry(entry); // entry's Authorization is now "SSWS [REDACTED]"
 */
export function createRedactor(options: RedactOptions = {}): Redactor {
  const headers = new Set([...SECRET_HEADERS, ...(options.headers ?? []).map((h) => h.toLowerCase())]);
  const keys = new Set([...SECRET_KEYS, ...(options.keys ?? [])]);
  const queryKeys = new Set([...keys, ...(options.queryKeys ?? [])]);
  // A pattern with a group keeps what the group matched (a URL's path up to its secret segment).
  const patterns = [...SECRET_PATTERNS, ...(options.patterns ?? [])].map((pattern): [RegExp, string] => [pattern, new RegExp(`${pattern.source}|`).exec('')!.length > 1 ? `$1${REDACTED}` : REDACTED]);
  const scrubText = (text: string) => patterns.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
  const paths = (options.jsonPaths ?? []).map((p) => p.split('.'));

  const redactHeader = (pair: HarPair): HarPair => {
    const name = pair.name.toLowerCase();
    if (!headers.has(name)) return { name: pair.name, value: scrubText(pair.value) };
    if (name === 'authorization' || name === 'proxy-authorization') {
      const scheme = /^([A-Za-z][\w-]*)\s+\S/.exec(pair.value)?.[1];
      return { name: pair.name, value: scheme ? `${scheme} ${REDACTED}` : REDACTED };
    }
    return { name: pair.name, value: REDACTED };
  };

  const redactValue = (value: unknown, path: string[]): unknown => {
    if (typeof value === 'string') return scrubText(value);
    if (Array.isArray(value)) return value.map((item, i) => redactNode(item, [...path, String(i)]));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = redactNode(item, [...path, key], key);
      return out;
    }
    return value;
  };
  const pathMatches = (path: string[]) => paths.some((p) => p.length === path.length && p.every((part, i) => part === '*' || part === path[i]));
  // A secret key's value is replaced whole when it is a string or number; an object under it (a password given as
  // { value }) is walked with every string in it redacted.
  const redactNode = (value: unknown, path: string[], key?: string): unknown => {
    if (pathMatches(path) || (key !== undefined && keys.has(key))) {
      if (value === null || value === undefined || typeof value === 'boolean') return value;
      if (typeof value === 'object') return redactAll(value);
      return REDACTED;
    }
    return redactValue(value, path);
  };
  const redactAll = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(redactAll);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactAll(v)]));
    return value === null || typeof value === 'boolean' ? value : REDACTED;
  };

  const redactBody = (text: string, mimeType: string): string => {
    if (/x-www-form-urlencoded/i.test(mimeType)) {
      const form = new URLSearchParams(text);
      for (const [key, value] of [...form]) form.set(key, keys.has(key) ? REDACTED : scrubText(value));
      return form.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED);
    }
    const trimmed = text.trimStart();
    if ((/json/i.test(mimeType) || trimmed.startsWith('{') || trimmed.startsWith('[')) && !jsonDepthOver(text, 64)) {
      try {
        return JSON.stringify(redactValue(JSON.parse(text), []));
      } catch {
        return scrubText(text);
      }
    }
    return scrubText(text);
  };

  const redactUrl = (href: string): string => {
    const url = new URL(href);
    const original = [...url.searchParams];
    const query = original.map(([key, value]) => [key, queryKeys.has(key) ? REDACTED : scrubText(value)]);
    // Rewritten only when a value changed, so that the query keeps the client's own encoding otherwise.
    if (query.some((pair, i) => pair[1] !== original[i][1])) url.search = new URLSearchParams(query).toString();
    url.pathname = scrubText(url.pathname);
    return url.href.replaceAll(encodeURIComponent(REDACTED), REDACTED);
  };

  const entry = (entry: HarEntry): HarEntry => {
    const { request, response } = entry;
    request.url = redactUrl(request.url);
    request.queryString = request.queryString.map(({ name, value }) => ({ name, value: queryKeys.has(name) ? REDACTED : scrubText(value) }));
    request.headers = request.headers.map(redactHeader);
    request.cookies = [];
    if (request.postData) request.postData.text = redactBody(request.postData.text, request.postData.mimeType);
    response.headers = response.headers.map(redactHeader);
    response.cookies = [];
    if (response.content.text !== undefined && response.content.encoding !== 'base64') {
      response.content.text = redactBody(response.content.text, response.content.mimeType);
      response.content.size = Buffer.byteLength(response.content.text);
    }
    if (response.redirectURL) response.redirectURL = redactUrl(new URL(response.redirectURL, request.url).href);
    return entry;
  };
  return { entry, url: redactUrl, body: redactBody };
}
