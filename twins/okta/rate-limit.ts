import type { RateLimitPolicy, ResponseDraft } from '../../src/index.js';
import type { RequestCtx } from './types.js';

/** One rate-limit bucket: a key and its per-minute limit. */
interface Bucket {
  key: string;
  limit: number;
}

const MINUTE_SECONDS = 60;
// The Enterprise column of Okta's management rate limits (developer.okta.com/docs/reference/rl-global-mgmt/).
const APPS_COLLECTION = 100;
const APP = 600;
const GROUPS_COLLECTION = 600;
const GROUP = 600;
const USERS_COLLECTION = 600;
const USER_READ = 1000;
const USER_WRITE = 600;
const LOGS = 50;
const OAUTH_CLIENTS = 100;
const OAUTH_SERVER = 1200;
const OTHER = 600;

/**
 * The bucket of a request. Okta limits per endpoint: a few endpoints have their own limit and every other
 * /api/v1 call shares one (rl-global-mgmt: "Most other API actions"); each authorization server has its own.
 */
function bucketOf(method: string, path: string): Bucket {
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === '.well-known') return { key: 'oauth2 org', limit: OAUTH_SERVER };
  if (parts[0] === 'oauth2') {
    if (parts[1] === 'v1' && parts[2] === 'clients') return { key: 'oauth2 clients', limit: OAUTH_CLIENTS };
    return { key: `oauth2 ${parts[1] === 'v1' ? 'org' : parts[1]}`, limit: OAUTH_SERVER };
  }
  if (parts[0] === 'api' && parts[1] === 'v1') {
    const collection = parts[2];
    const exact = parts.length === 4;
    if (collection === 'users' && parts.length === 3 && (method === 'GET' || method === 'POST')) return { key: '/api/v1/users', limit: USERS_COLLECTION };
    if (collection === 'users' && exact && method === 'GET') return { key: 'GET /api/v1/users/{idOrLogin}', limit: USER_READ };
    if (collection === 'users' && exact) return { key: 'write /api/v1/users/{id}', limit: USER_WRITE };
    if (collection === 'apps') return exact ? { key: '/api/v1/apps/{id}', limit: APP } : { key: '/api/v1/apps', limit: APPS_COLLECTION };
    if (collection === 'groups') return exact ? { key: '/api/v1/groups/{id}', limit: GROUP } : { key: '/api/v1/groups', limit: GROUPS_COLLECTION };
    if (collection === 'logs') return { key: '/api/v1/logs', limit: LOGS };
  }
  return { key: '/api/v1', limit: OTHER };
}

/**
 * Okta's rate-limit policy: per-endpoint buckets per minute, with X-Rate-Limit-Limit, -Remaining and -Reset (UTC
 * epoch seconds) on every response, the 429 included: the SDK retries a 429 only when it carries exactly one
 * X-Rate-Limit-Reset, and waits Reset − Date + 1 s (developer.okta.com/docs/reference/rl-best-practices).
 */
export const oktaRateLimits: RateLimitPolicy = {
  bucket: (ctx) => ({ ...bucketOf(ctx.request.method, ctx.url.pathname), windowSeconds: MINUTE_SECONDS }),
  headers: (window) => ({
    'x-rate-limit-limit': String(window.limit),
    'x-rate-limit-remaining': String(window.remaining),
    'x-rate-limit-reset': String(Math.floor(window.resetAt / 1000)),
  }),
};

/**
 * Headers Okta sends on every response: a Date (which the SDK's retry reads) and an X-Okta-Request-Id, which the
 * SDK echoes back as X-Okta-Retry-For when it retries.
 */
export function oktaResponseHeaders(response: ResponseDraft, ctx: RequestCtx): void {
  response.headers['date'] ??= new Date(ctx.clock.nowMs()).toUTCString();
  response.headers['x-okta-request-id'] ??= `twin-${ctx.ids.sequence('requestId')}`;
}
