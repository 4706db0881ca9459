import type { RequestContext } from '../../../src/index.js';
import type { Ctx } from '../types.js';

/**
 * The arguments of a request before the engine validated it (authenticate and the rate-limit policy run first): the
 * query string, then a form or JSON body on top. Read once per request.
 *
 * @example
 * const token = rawArgs(ctx).token; // the `token` argument, when the header carries none
 */
export function rawArgs(ctx: RequestContext<any>): Record<string, unknown> {
  const parsed = ctx.memo('slack.rawArgs', () => new WeakMap<object, Record<string, unknown>>());
  const known = parsed.get(ctx.request);
  if (known) return known;
  const out: Record<string, unknown> = {};
  if (ctx.url.search) for (const [key, value] of ctx.url.searchParams) out[key] = value;
  const text = ctx.request.body;
  if (text) {
    const type = ctx.headers['content-type'] ?? '';
    if (type.startsWith('application/x-www-form-urlencoded')) {
      for (const [key, value] of new URLSearchParams(text)) out[key] = value;
    } else if (type.startsWith('application/json')) {
      try {
        const body: unknown = JSON.parse(text);
        if (body && typeof body === 'object' && !Array.isArray(body)) Object.assign(out, body);
      } catch {
        // Not JSON: the engine refuses it as invalid_json once the request is validated.
      }
    }
  }
  parsed.set(ctx.request, out);
  return out;
}

/**
 * The validated arguments of a method call: the query string of a GET, the body of a POST (form fields already
 * coerced to the document's types).
 *
 * @example
 * const { channel, text } = args(ctx);
 */
export function args(ctx: Ctx): Record<string, any> {
  return ctx.request.method === 'POST' ? (ctx.body ?? {}) : ctx.query;
}

/**
 * An argument that is JSON (blocks, attachments, files): a JSON body carries it as is, a form field or query
 * string as JSON text. Undefined when absent; `invalid` when it is text that does not parse to an array.
 *
 * @example
 * const blocks = jsonArray(a.blocks); // [{ type: 'section', ... }]
 */
export function jsonArray(value: unknown): unknown[] | undefined | 'invalid' {
  if (value === undefined || value === '') return undefined;
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return 'invalid';
  try {
    const parsedValue: unknown = JSON.parse(value);
    return Array.isArray(parsedValue) ? parsedValue : 'invalid';
  } catch {
    return 'invalid';
  }
}

/**
 * A comma-separated list argument (types, users, channels) as its items, blanks dropped.
 *
 * @example
 * list('public_channel, private_channel'); // ['public_channel', 'private_channel']
 */
export function list(value: unknown): string[] {
  return typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : [];
}
