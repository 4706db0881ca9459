import type { RequestCtx } from '../types.js';

/**
 * A new Okta id: a 3-character type prefix and 17 base62 characters (00u user, 00g group, 0oa app).
 *
 * @example
 * const id = oktaId(ctx, '00g'); // '00g' + 17 characters
 */
export function oktaId(ctx: RequestCtx, prefix: string): string {
  return prefix + ctx.ids.token(17);
}

/**
 * The twin clock's now, as Okta writes timestamps (ISO-8601 with milliseconds and Z).
 *
 * @example
 * user.lastUpdated = nowIso(ctx); // '2026-01-01T00:00:00.000Z'
 */
export function nowIso(ctx: RequestCtx): string {
  return ctx.clock.now().toISOString();
}
