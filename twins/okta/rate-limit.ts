import type { HandlerResult, RequestContext } from '../../src/engine/types.js';
import type { OktaState } from './state.js';

/**
 * Okta sends its rate-limit headers on every response (X-Rate-Limit-Reset in UTC epoch seconds) and an
 * X-Okta-Request-Id that the SDK echoes back when it retries (developer.okta.com/docs/reference/rl-best-practices).
 * The twin never limits by itself: the limit stays full unless a rate-limit plugin says otherwise.
 */
export function rateLimitHeaders(result: HandlerResult & { headers: Record<string, string | string[]> }, ctx: RequestContext<OktaState>): void {
  const headers = result.headers;
  const nowMs = ctx.clock.nowMs();
  headers['x-rate-limit-limit'] ??= '600';
  headers['x-rate-limit-remaining'] ??= '599';
  headers['x-rate-limit-reset'] ??= String(Math.ceil(nowMs / 1000) + 60);
  headers['date'] ??= new Date(nowMs).toUTCString();
  headers['x-okta-request-id'] ??= `twin-${ctx.ids.sequence('requestId')}`;
}
