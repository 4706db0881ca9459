import type { RateLimitPolicy } from '../../src/index.js';

const MINUTE_SECONDS = 60;
// The Docs API's per-user quotas (developers.google.com/workspace/docs/api/limits): reads 300, writes 60 a minute.
const DOCS_READS_PER_USER = 300;
const DOCS_WRITES_PER_USER = 60;
// Drive's per-user query quota (developers.google.com/drive/api/guides/limits): 12,000 queries a minute.
const DRIVE_QUERIES_PER_USER = 12_000;

const BUCKETS = {
  reads: { key: 'docs reads', limit: DOCS_READS_PER_USER, windowSeconds: MINUTE_SECONDS },
  writes: { key: 'docs writes', limit: DOCS_WRITES_PER_USER, windowSeconds: MINUTE_SECONDS },
  drive: { key: 'drive queries', limit: DRIVE_QUERIES_PER_USER, windowSeconds: MINUTE_SECONDS },
};

/**
 * Google's per-user quotas as rate-limit buckets (the seed has one user): the Docs API's reads and writes a
 * minute, and Drive's queries a minute. Google sends no rate-limit headers, on a refusal or otherwise; the refusal
 * is Docs' 429 RESOURCE_EXHAUSTED rateLimitExceeded or Drive's 403 userRateLimitExceeded (renderGoogleError).
 *
 * @example
 * gdocs.use(rateLimit({ limits: { 'docs writes': 2 } }));
 */
export const gdocsRateLimits: RateLimitPolicy = {
  bucket(ctx) {
    if (ctx.url.pathname.startsWith('/drive/')) return BUCKETS.drive;
    return ctx.request.method === 'GET' || ctx.request.method === 'HEAD' ? BUCKETS.reads : BUCKETS.writes;
  },
  headers: () => ({}),
};
