import type { HandlerResult, RequestContext } from '../../src/engine/types.js';
import type { OktaState } from './state.js';

/** One rate-limit bucket: a key and its per-minute limit. */
interface Bucket {
  key: string;
  limit: number;
}

/** Where a bucket's current one-minute window stands. */
interface Window {
  resetAt: number;
  used: number;
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
 * Okta sends its rate-limit headers on every response (X-Rate-Limit-Reset in UTC epoch seconds) and an
 * X-Okta-Request-Id that the SDK echoes back when it retries (developer.okta.com/docs/reference/rl-best-practices).
 * Remaining counts down per bucket within a one-minute window opened by the bucket's first call.
 */
export function rateLimitHeaders(result: HandlerResult & { headers: Record<string, string | string[]> }, ctx: RequestContext<OktaState>): void {
  const headers = result.headers;
  const nowMs = ctx.clock.nowMs();
  const now = Math.floor(nowMs / 1000);
  const bucket = bucketOf(ctx.request.method, ctx.url.pathname);
  // Counters live per twin instance outside the state (a reset empties them); the twin reports but never refuses,
  // so teams running thousands of tests an hour are not throttled: enforcing is left to an opt-in plugin.
  const windows = ctx.memo('rateLimitWindows', () => new Map<string, Window>());
  let window = windows.get(bucket.key);
  if (!window || now >= window.resetAt || now < window.resetAt - MINUTE_SECONDS) {
    window = { resetAt: now + MINUTE_SECONDS, used: 0 };
    windows.set(bucket.key, window);
  }
  window.used += 1;
  headers['x-rate-limit-limit'] ??= String(bucket.limit);
  headers['x-rate-limit-remaining'] ??= String(Math.max(0, bucket.limit - window.used));
  headers['x-rate-limit-reset'] ??= String(window.resetAt);
  headers['date'] ??= new Date(nowMs).toUTCString();
  headers['x-okta-request-id'] ??= `twin-${ctx.ids.sequence('requestId')}`;
}
