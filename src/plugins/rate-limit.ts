import { EngineError } from '../engine/engine-error.js';
import type { RequestContext } from '../engine/types.js';
import type { Plugin, PluginScope, PluginTarget } from './plugin.js';

/**
 * Where one rate-limit bucket stands for the request being answered.
 *
 * @example
 * const window: RateLimitWindow = { key: '/api/v1/users', limit: 600, used: 3, remaining: 597, resetAt: 1767225660000, windowSeconds: 60 };
 */
export interface RateLimitWindow {
  key: string;
  limit: number;
  used: number;
  remaining: number;
  /** When the window ends, in epoch milliseconds of the twin's clock. */
  resetAt: number;
  windowSeconds: number;
}

/**
 * How a vendor limits request rates: which bucket a request counts against (with the vendor's documented
 * limit), and the headers it sends, on every response or only on a refusal.
 *
 * @example
 * const policy: RateLimitPolicy = {
 *   bucket: (ctx) => ({ key: ctx.operation?.operationId ?? 'other', limit: 100, windowSeconds: 60 }),
 *   headers: (w, refused) => (refused ? { 'retry-after': String(Math.ceil((w.resetAt - Date.now()) / 1000)) } : {}),
 * };
 */
export interface RateLimitPolicy {
  bucket(ctx: RequestContext<any>): { key: string; limit: number; windowSeconds: number };
  /** The headers of a response, given its bucket's window; `refused` is true on the 429 itself. */
  headers(window: RateLimitWindow, refused: boolean, ctx: RequestContext<any>): Record<string, string>;
}

/** A vendor with no declared policy: one bucket of 600 requests a minute, and Retry-After on a refusal. */
const FALLBACK_POLICY: RateLimitPolicy = {
  bucket: () => ({ key: 'all', limit: 600, windowSeconds: 60 }),
  headers: (w, refused, ctx): Record<string, string> => (refused ? { 'retry-after': String(Math.max(1, Math.ceil((w.resetAt - ctx.clock.nowMs()) / 1000))) } : {}),
};

/**
 * Options of the rate-limit plugin. Limits default to the vendor's documented ones (the twin's policy).
 *
 * @example
 * const options: RateLimitOptions = { limit: 2, enforce: true };
 */
export interface RateLimitOptions extends PluginTarget {
  /** One limit for every bucket, replacing the vendor's. */
  limit?: number;
  /** Limits by bucket key (as the twin's policy names its buckets), replacing the vendor's for those. */
  limits?: Record<string, number>;
  /** The window length in seconds, replacing the vendor's. */
  windowSeconds?: number;
  /** Refuse requests over the limit (default true); false only reports, in the vendor's headers. */
  enforce?: boolean;
}

interface Window {
  resetAt: number;
  used: number;
}

/**
 * Rate limits as the twin's vendor enforces them: each request counts against its bucket's window, every
 * response carries the vendor's rate-limit headers (where the vendor sends them), and a request over the limit
 * gets the vendor's 429 (rendered by the twin from the `rate_limited` refusal), headers included.
 *
 * @example
 * const okta = createOktaTwin({ plugins: [rateLimit({ limit: 2 })] });
 * // the third GET /api/v1/users within a minute answers 429 E0000047 with X-Rate-Limit-Reset
 */
export function rateLimit(options: RateLimitOptions = {}): Plugin {
  const enforce = options.enforce ?? true;
  const { limit: _limit, limits: _limits, windowSeconds: _windowSeconds, enforce: _enforce, ...target } = options;
  const policyOf = (scope: PluginScope) => scope.twin.rateLimits ?? FALLBACK_POLICY;

  // Counts a request against its bucket (once per request) and returns where the bucket stands.
  const count = (ctx: RequestContext<any>, scope: PluginScope): RateLimitWindow => {
    const counted: WeakMap<object, RateLimitWindow> = scope.memory.get('counted') ?? scope.memory.set('counted', new WeakMap()).get('counted');
    const already = counted.get(ctx);
    if (already) return already;
    const bucket = policyOf(scope).bucket(ctx);
    const limit = options.limits?.[bucket.key] ?? options.limit ?? bucket.limit;
    const windowSeconds = options.windowSeconds ?? bucket.windowSeconds;
    const windows: Map<string, Window> = scope.memory.get('windows') ?? scope.memory.set('windows', new Map()).get('windows');
    const now = ctx.clock.nowMs();
    const windowMs = windowSeconds * 1000;
    let window = windows.get(bucket.key);
    // A window opens with its bucket's first request and is whole seconds long, as vendors report it in epoch seconds.
    if (!window || now >= window.resetAt || now < window.resetAt - windowMs) {
      window = { resetAt: Math.floor(now / 1000) * 1000 + windowMs, used: 0 };
      windows.set(bucket.key, window);
    }
    window.used += 1;
    const state: RateLimitWindow = { key: bucket.key, limit, used: window.used, remaining: Math.max(0, limit - window.used), resetAt: window.resetAt, windowSeconds };
    counted.set(ctx, state);
    return state;
  };

  return {
    name: 'rate-limit',
    key: 'rate-limit',
    options: { ...options },
    ...target,
    before(ctx, scope) {
      const window = count(ctx, scope);
      if (!enforce || window.used <= window.limit) return;
      const retryAfterSeconds = Math.max(1, Math.ceil((window.resetAt - ctx.clock.nowMs()) / 1000));
      scope.note(`refused with 429: ${window.used} requests to ${window.key} within ${window.windowSeconds}s, limit ${window.limit}`);
      throw new EngineError('rate_limited', `API call exceeded rate limit due to too many requests (${window.key}: ${window.limit} per ${window.windowSeconds}s)`, [], undefined, {
        limit: window.limit,
        remaining: 0,
        resetAt: window.resetAt,
        retryAfterSeconds,
        scope: window.key,
      });
    },
    after(ctx, response, scope) {
      // Requests refused before the plugins ran (no route, bad credentials) count too: vendors count what reaches them.
      const window = count(ctx, scope);
      const refused = response.status === 429 && window.used > window.limit;
      Object.assign(response.headers, policyOf(scope).headers(window, refused, ctx));
      return response;
    },
  };
}
