/**
 * The matcher of the language-neutral conformance cases (test/conformance/cases/<service>/*.json): an expected value
 * is a JSON pattern, compared with what a backend answered, that says what must be equal and what need only have a
 * format. Values one step captures, later steps use as `${name}`.
 *
 * A pattern is:
 * - a string, number, boolean or null: equal to the actual value (a string after `${name}` substitution; a string that is
 *   exactly `${name}` stands for the captured value itself, whatever its type);
 * - an array: an array of the same length, element by element;
 * - an object: an object having at least these keys, each matching (other keys are not looked at);
 * - an object whose keys all start with `$`: a matcher, each of its keys a condition, all of which must hold:
 *   `$format` (a name in FORMATS), `$regex` (a string matching it; `${name}` inside is substituted escaped, and named
 *   groups are captured), `$capture` (the value is kept under this name), `$absent` (the key is missing), `$exact` (an
 *   object with exactly these keys), `$length` (an array of this length), `$each` (every element matches),
 *   `$includes` (each pattern matches some element), `$equals` (deep equality, for literal objects with `$` keys).
 */

/** Formats for values that differ from one backend or run to another: generated ids, timestamps, opaque tokens. */
export const FORMATS: Record<string, (value: unknown) => boolean> = {
  any: () => true,
  string: (v) => typeof v === 'string',
  'non-empty-string': (v) => typeof v === 'string' && v.length > 0,
  number: (v) => typeof v === 'number',
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  array: (v) => Array.isArray(v),
  url: (v) => typeof v === 'string' && /^https?:\/\/[^\s/]+(\/\S*)?$/.test(v),
  /** An instant as vendors write them: ISO 8601 in UTC with milliseconds, `2026-01-01T00:00:00.000Z`. */
  'date-time': (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v) && !Number.isNaN(Date.parse(v)),
  /** Okta's object ids: 20 letters and digits (`00u1abcd...`). */
  'okta-id': (v) => typeof v === 'string' && /^[0-9A-Za-z]{20}$/.test(v),
  /** Okta's errorId: `oae` and at least 20 more URL-safe characters. */
  'okta-error-id': (v) => typeof v === 'string' && /^oae[0-9A-Za-z_-]{20,}$/.test(v),
};

/** Captured values by name; `baseUrl` is there from the start. */
export type Captures = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isMatcher = (v: unknown): v is Record<string, unknown> => isPlainObject(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => k.startsWith('$'));
const MATCHER_KEYS = new Set(['$format', '$regex', '$capture', '$absent', '$exact', '$length', '$each', '$includes', '$equals']);

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `${name}` substituted into a string; an unknown name is the case's mistake, said as such. */
function substitute(text: string, captures: Captures, escape: (text: string) => string = (t) => t): string {
  return text.replace(/\$\{([A-Za-z_][\w]*)\}/g, (_, name: string) => {
    if (!Object.hasOwn(captures, name)) throw new Error(`[twinverse] conformance case: \${${name}} is used before any step captured it (captured so far: ${Object.keys(captures).join(', ')})`);
    const value = captures[name];
    return escape(typeof value === 'string' ? value : JSON.stringify(value));
  });
}

/**
 * A request part with `${name}` substituted in every string; a string that is exactly `${name}` becomes the captured
 * value itself.
 *
 * @example
 * resolve({ id: '${userId}', path: '/users/${userId}' }, { userId: '00u1' }); // { id: '00u1', path: '/users/00u1' }
 */
export function resolve(value: unknown, captures: Captures): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{([A-Za-z_][\w]*)\}$/.exec(value);
    if (whole && Object.hasOwn(captures, whole[1])) return captures[whole[1]];
    return substitute(value, captures);
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, captures));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, captures)]));
  return value;
}

const show = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v)?.slice(0, 200));

/**
 * Compares `actual` with the pattern `expected` at `path`, and returns what does not match (empty when all does).
 * Captures are written into `captures` as they are met, so a later part of the same response can use them.
 *
 * @example
 * match({ id: { $format: 'okta-id', $capture: 'userId' }, status: 'STAGED' }, body, '$', captures); // [] and captures.userId set
 */
export function match(expected: unknown, actual: unknown, path: string, captures: Captures): string[] {
  if (isMatcher(expected)) return matchWith(expected, actual, path, captures);
  if (actual === undefined) return [`${path}: expected ${show(expected)}, got nothing`];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${show(actual)}`];
    if (actual.length !== expected.length) return [`${path}: expected ${expected.length} items, got ${actual.length}: ${show(actual)}`];
    return expected.flatMap((e, i) => match(e, actual[i], `${path}[${i}]`, captures));
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return [`${path}: expected an object, got ${show(actual)}`];
    return Object.entries(expected).flatMap(([key, e]) => match(e, actual[key], `${path}.${key}`, captures));
  }
  const want = typeof expected === 'string' ? resolve(expected, captures) : expected;
  return deepEqual(want, actual) ? [] : [`${path}: expected ${show(want)}, got ${show(actual)}`];
}

function matchWith(matcher: Record<string, unknown>, actual: unknown, path: string, captures: Captures): string[] {
  const unknown = Object.keys(matcher).filter((k) => !MATCHER_KEYS.has(k));
  if (unknown.length) throw new Error(`[twinverse] conformance case: unknown matcher ${unknown.join(', ')} at ${path}; matchers: ${[...MATCHER_KEYS].join(', ')}`);
  if (matcher.$absent === true) return actual === undefined ? [] : [`${path}: expected to be absent, got ${show(actual)}`];
  if (actual === undefined) return [`${path}: expected a value (${show(matcher)}), got nothing`];
  const problems: string[] = [];
  if (matcher.$format !== undefined) {
    const format = FORMATS[matcher.$format as string];
    if (!format) throw new Error(`[twinverse] conformance case: unknown format "${String(matcher.$format)}" at ${path}; formats: ${Object.keys(FORMATS).join(', ')}`);
    if (!format(actual)) problems.push(`${path}: expected the format ${String(matcher.$format)}, got ${show(actual)}`);
  }
  if (matcher.$regex !== undefined) {
    const regex = new RegExp(substitute(matcher.$regex as string, captures, escapeRegex));
    const found = typeof actual === 'string' ? regex.exec(actual) : null;
    if (!found) problems.push(`${path}: expected to match /${regex.source}/, got ${show(actual)}`);
    else Object.assign(captures, found.groups ?? {});
  }
  if (matcher.$equals !== undefined && !deepEqual(resolve(matcher.$equals, captures), actual)) problems.push(`${path}: expected ${show(matcher.$equals)}, got ${show(actual)}`);
  if (matcher.$exact !== undefined) {
    const want = matcher.$exact as Record<string, unknown>;
    if (!isPlainObject(actual)) problems.push(`${path}: expected an object, got ${show(actual)}`);
    else {
      const extra = Object.keys(actual).filter((k) => !Object.hasOwn(want, k));
      const missing = Object.entries(want).filter(([k, e]) => !Object.hasOwn(actual, k) && !(isMatcher(e) && e.$absent === true)).map(([k]) => k);
      if (extra.length || missing.length) problems.push(`${path}: expected exactly the keys ${Object.keys(want).join(', ')}${extra.length ? `; extra: ${extra.join(', ')}` : ''}${missing.length ? `; missing: ${missing.join(', ')}` : ''}`);
      problems.push(...match(want, actual, path, captures));
    }
  }
  if (matcher.$length !== undefined || matcher.$each !== undefined || matcher.$includes !== undefined) {
    if (!Array.isArray(actual)) problems.push(`${path}: expected an array, got ${show(actual)}`);
    else {
      if (matcher.$length !== undefined && actual.length !== matcher.$length) problems.push(`${path}: expected ${String(matcher.$length)} items, got ${actual.length}`);
      if (matcher.$each !== undefined) actual.forEach((item, i) => problems.push(...match(matcher.$each, item, `${path}[${i}]`, captures)));
      for (const [i, pattern] of ((matcher.$includes as unknown[]) ?? []).entries()) {
        const at = actual.findIndex((item) => match(pattern, item, path, { ...captures }).length === 0);
        if (at < 0) problems.push(`${path}: expected an item matching $includes[${i}] ${show(pattern)}, none does`);
        else match(pattern, actual[at], `${path}[${at}]`, captures);
      }
    }
  }
  if (typeof matcher.$capture === 'string' && problems.length === 0) captures[matcher.$capture] = actual;
  return problems;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}
