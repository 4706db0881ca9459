import type { RateLimitPolicy } from '../../src/index.js';

// Jira does not publish its burst limits ("REST API rate limits are not published because the computation logic is
// evolving continuously", developer.atlassian.com/cloud/jira/platform/rate-limiting): one plausible figure per
// endpoint and method per second, which a test replaces with rateLimit({ limit }) or ({ limits: { 'GET /rest/api/3/myself': 2 } }).
const BURST_PER_SECOND = 100;
const NEAR_LIMIT_SHARE = 0.2;

/** An instant as ISO-8601 in UTC to the second, e.g. 2026-01-01T00:00:01Z. */
const isoSecond = (ms: number) => new Date(Math.ceil(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/**
 * Jira's burst rate limit: one budget per endpoint and HTTP method per second (RateLimit-Reason `jira-burst-based`).
 * A 429 carries Retry-After (seconds), X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset (an ISO-8601
 * instant; Jira's page writes it to the minute, the twin to the second, as its windows are a second long) and
 * RateLimit-Reason; any response whose budget has less than 20% left carries X-RateLimit-NearLimit: true.
 *
 * @example
 * defineTwin({ ..., rateLimits: jiraRateLimits, plugins: [rateLimit({ enforce: false })] });
 */
export const jiraRateLimits: RateLimitPolicy = {
  bucket: (ctx) => ({
    key: ctx.operation ? `${ctx.operation.method} ${ctx.operation.path}` : `${ctx.request.method} other`,
    limit: BURST_PER_SECOND,
    windowSeconds: 1,
  }),
  headers(window, refused, ctx) {
    const headers: Record<string, string> = {};
    if (window.remaining < window.limit * NEAR_LIMIT_SHARE) headers['x-ratelimit-nearlimit'] = 'true';
    if (!refused) return headers;
    return {
      ...headers,
      'retry-after': String(Math.max(1, Math.ceil((window.resetAt - ctx.clock.nowMs()) / 1000))),
      'x-ratelimit-limit': String(window.limit),
      'x-ratelimit-remaining': String(window.remaining),
      'x-ratelimit-reset': isoSecond(window.resetAt),
      'ratelimit-reason': 'jira-burst-based',
    };
  },
};
