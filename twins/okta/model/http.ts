import type { HandlerResult } from '../../../src/index.js';

/**
 * A 200 answer: what most Okta operations return.
 *
 * @example
 * return ok(groupJson(ctx, group), headers);
 */
export function ok(body: unknown, headers: Record<string, string | string[]> = {}): HandlerResult {
  return { status: 200, headers, body };
}

/**
 * The names in an `expand` query parameter (`expand=stats,app`).
 *
 * @example
 * expansions('stats, app'); // ['stats', 'app']
 */
export function expansions(expand: unknown): string[] {
  return typeof expand === 'string' ? expand.split(',').map((e) => e.trim()).filter(Boolean) : [];
}
