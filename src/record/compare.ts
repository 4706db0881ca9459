import { REDACTED } from './redact.js';

/**
 * One way a twin's answer differs from the recorded one, at a path into the exchange (`status`,
 * `header link`, `body.profile.login`).
 *
 * @example
 * const difference: Difference = { path: 'body.status', recorded: 'STAGED', twin: 'ACTIVE' };
 */
export interface Difference {
  path: string;
  /** The recorded value; absent when the recording has nothing there. */
  recorded?: unknown;
  /** The twin's value; absent when the twin's answer has nothing there. */
  twin?: unknown;
}

/** The outcome of comparing two values: how many checks were made, which failed. */
export interface Comparison {
  checks: number;
  differences: Difference[];
}

// Generated values are compared by form, not value: a recording's ids, timestamps and tokens are the vendor's,
// a twin's are its own. Each pattern names a form; two strings of the same form match.
const FORMS: [string, RegExp][] = [
  ['iso-datetime', /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/],
  ['http-date', /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/],
  ['uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i],
  ['jwt', /^eyJ[\w-]+\.[\w-]+\.[\w-]*$/],
  ['epoch-micros', /^\d{9,11}\.\d{6}$/],
  ['number-string', /^\d+$/],
];

/** A token-like string: one unbroken run of letters, digits and `-_.~+/=` with at least one digit, 8 or more long. */
const OPAQUE = /^(?=.*\d)[A-Za-z0-9._~+/=-]{8,}$/;

/** A string's form when it looks generated, else undefined (compared by value). */
export function formOf(value: string): string | undefined {
  for (const [name, pattern] of FORMS) if (pattern.test(value)) return name;
  if (OPAQUE.test(value) && !/^[a-z]+([._-][a-z]+)*$/.test(value)) {
    // A leading capital is often the kind of resource an id names (C… for a channel, U… for a user): part of the form.
    return /^[A-Z]/.test(value) ? `opaque-${value[0]}` : 'opaque';
  }
  // Keys and labels with a counter in them (PROJ-12, "Sprint 3") keep their letters and lose their digits.
  if (/\d/.test(value) && value.length <= 64) return `skeleton:${value.replace(/\d+/g, '#')}`;
  return undefined;
}

// Numeric fields whose values are times or counters of the service, compared by magnitude.
const TIME_KEYS = /(^|_)(ts|date|time|created|updated|expires?|exp|iat|nbf|auth_time|last_?\w*|date_\w+|\w+_at|\w+At|created\w*|updated\w*|expires\w*)$/i;

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Compares a recorded value with a twin's, leaf by leaf. Generated strings match by form, and each match of two
 * different generated values is learned in `ids` (recorded → twin), so that later requests can name the twin's
 * resource where the recording named the vendor's. URLs compare by path and query, segment by segment, whatever
 * their host.
 *
 * @example
 * const ids = new Map<string, string>();
 * compareValues({ id: '00ub0oNGTSWTBKOLGLNR', status: 'STAGED' }, { id: '00u1a2b3c4d5e6f7g8h9', status: 'STAGED' }, 'body', ids);
 * // { checks: 2, differences: [] }, and ids maps the recorded id to the twin's
 */
export function compareValues(recorded: unknown, twin: unknown, path: string, ids: Map<string, string>, key = ''): Comparison {
  if (Array.isArray(recorded) && Array.isArray(twin)) {
    const result: Comparison = { checks: 0, differences: [] };
    for (let i = 0; i < Math.max(recorded.length, twin.length); i++) {
      const at = `${path}[${i}]`;
      if (i >= twin.length) {
        result.checks++;
        result.differences.push({ path: at, recorded: recorded[i] });
      } else if (i >= recorded.length) {
        result.checks++;
        result.differences.push({ path: at, twin: twin[i] });
      } else add(result, compareValues(recorded[i], twin[i], at, ids, key));
    }
    return result.checks === 0 ? { checks: 1, differences: [] } : result;
  }
  if (isObject(recorded) && isObject(twin)) {
    const result: Comparison = { checks: 0, differences: [] };
    for (const [name, value] of Object.entries(recorded)) {
      const at = `${path}.${name}`;
      if (!Object.hasOwn(twin, name)) {
        result.checks++;
        result.differences.push({ path: at, recorded: value });
      } else add(result, compareValues(value, twin[name], at, ids, name));
    }
    for (const [name, value] of Object.entries(twin)) {
      if (Object.hasOwn(recorded, name)) continue;
      result.checks++;
      result.differences.push({ path: `${path}.${name}`, twin: value });
    }
    return result.checks === 0 ? { checks: 1, differences: [] } : result;
  }
  return { checks: 1, differences: leafMatches(recorded, twin, ids, key) ? [] : [{ path, recorded, twin }] };
}

function add(into: Comparison, from: Comparison): void {
  into.checks += from.checks;
  into.differences.push(...from.differences);
}

function leafMatches(recorded: unknown, twin: unknown, ids: Map<string, string>, key: string): boolean {
  if (recorded === twin) return true;
  if (typeof recorded === 'number' && typeof twin === 'number') {
    // Epoch times (seconds or milliseconds) match when both are of the same magnitude.
    return TIME_KEYS.test(key) && Number.isInteger(recorded) === Number.isInteger(twin) && String(Math.trunc(recorded)).length === String(Math.trunc(twin)).length;
  }
  // What the recording redacted is unknown: any value of the twin's matches it.
  if (recorded === REDACTED) return twin !== undefined && twin !== null;
  if (typeof recorded !== 'string' || typeof twin !== 'string') return false;
  if (recorded.includes(REDACTED) || ids.get(recorded) === twin) return true;
  const url = urlsMatch(recorded, twin, ids);
  if (url !== undefined) return url;
  const form = formOf(recorded);
  if (form === undefined || form !== formOf(twin)) {
    // A message that names a recorded id ("Not found: Resource not found: 00ub0o… (User)") names the twin's.
    return ids.size > 0 && substituteIds(recorded, ids) === twin;
  }
  if (!ids.has(recorded)) ids.set(recorded, twin);
  return true;
}

/** Whether two absolute URLs match (path segments and query values as leaves); undefined when either is not one. */
function urlsMatch(recorded: string, twin: string, ids: Map<string, string>): boolean | undefined {
  if (!/^https?:\/\//.test(recorded) || !/^https?:\/\//.test(twin)) return undefined;
  let a: URL;
  let b: URL;
  try {
    a = new URL(recorded);
    b = new URL(twin);
  } catch {
    return undefined;
  }
  const x = a.pathname.split('/');
  const y = b.pathname.split('/');
  if (x.length !== y.length) return false;
  const learned: [string, string][] = [];
  const scratch = new Map(ids);
  for (let i = 0; i < x.length; i++) {
    const p = decodeURIComponent(x[i]);
    const q = decodeURIComponent(y[i]);
    if (p === q || scratch.get(p) === q) continue;
    const form = formOf(p);
    if (form === undefined || form !== formOf(q)) return false;
    learned.push([p, q]);
    scratch.set(p, q);
  }
  const qa = [...a.searchParams];
  const qb = new Map(b.searchParams);
  if (qa.length !== [...b.searchParams].length) return false;
  for (const [name, value] of qa) {
    const other = qb.get(name);
    if (other === undefined) return false;
    if (value === other || scratch.get(value) === other) continue;
    const form = formOf(value);
    if (form === undefined || form !== formOf(other)) return false;
  }
  for (const [p, q] of learned) if (!ids.has(p)) ids.set(p, q);
  return true;
}

/**
 * Replaces, in a request's text, each recorded generated value the comparison learned with the twin's: whole
 * tokens only (bounded by characters that cannot be part of an id), longest first.
 *
 * @example
 * substituteIds('/api/v1/users/00ub0oNGTSWTBKOLGLNR', new Map([['00ub0oNGTSWTBKOLGLNR', '00u1a2b3c4d5e6f7g8h9']]));
 * // '/api/v1/users/00u1a2b3c4d5e6f7g8h9'
 */
export function substituteIds(text: string, ids: Map<string, string>): string {
  if (ids.size === 0) return text;
  let out = text;
  const recorded = [...ids.keys()].filter((k) => k.length >= 4).sort((a, b) => b.length - a.length);
  for (const value of recorded) {
    if (!out.includes(value)) continue;
    const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`, 'g'), ids.get(value) as string);
  }
  return out;
}
