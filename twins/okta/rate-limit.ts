import type { RateLimitPolicy, ResponseDraft } from '../../src/index.js';
import { requestId } from './model/system-log.js';
import type { RequestCtx } from './types.js';

/** One rate-limit bucket: a key, its limit and its window (a minute, for every Okta bucket). */
interface Bucket {
  key: string;
  limit: number;
  windowSeconds: number;
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

const bucket = (key: string, limit: number): Bucket => ({ key, limit, windowSeconds: MINUTE_SECONDS });
// The fixed buckets are made once: a request looks its bucket up rather than building one.
const BUCKETS = {
  oauthOrg: bucket('oauth2 org', OAUTH_SERVER),
  oauthClients: bucket('oauth2 clients', OAUTH_CLIENTS),
  users: bucket('/api/v1/users', USERS_COLLECTION),
  userRead: bucket('GET /api/v1/users/{idOrLogin}', USER_READ),
  userWrite: bucket('write /api/v1/users/{id}', USER_WRITE),
  app: bucket('/api/v1/apps/{id}', APP),
  apps: bucket('/api/v1/apps', APPS_COLLECTION),
  group: bucket('/api/v1/groups/{id}', GROUP),
  groups: bucket('/api/v1/groups', GROUPS_COLLECTION),
  logs: bucket('/api/v1/logs', LOGS),
  other: bucket('/api/v1', OTHER),
};

/**
 * The bucket of a request. Okta limits per endpoint: a few endpoints have their own limit and every other
 * /api/v1 call shares one (rl-global-mgmt: "Most other API actions"); each authorization server has its own.
 */
function bucketOf(method: string, path: string): Bucket {
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === '.well-known') return BUCKETS.oauthOrg;
  if (parts[0] === 'oauth2') {
    if (parts[1] === 'v1') return parts[2] === 'clients' ? BUCKETS.oauthClients : BUCKETS.oauthOrg;
    return bucket(`oauth2 ${parts[1]}`, OAUTH_SERVER);
  }
  if (parts[0] === 'api' && parts[1] === 'v1') {
    const collection = parts[2];
    const exact = parts.length === 4;
    if (collection === 'users' && parts.length === 3 && (method === 'GET' || method === 'POST')) return BUCKETS.users;
    if (collection === 'users' && exact) return method === 'GET' ? BUCKETS.userRead : BUCKETS.userWrite;
    if (collection === 'apps') return exact ? BUCKETS.app : BUCKETS.apps;
    if (collection === 'groups') return exact ? BUCKETS.group : BUCKETS.groups;
    if (collection === 'logs') return BUCKETS.logs;
  }
  return BUCKETS.other;
}

/**
 * Okta's rate-limit policy: per-endpoint buckets per minute, with X-Rate-Limit-Limit, -Remaining and -Reset (UTC
 * epoch seconds) on every response, the 429 included: the SDK retries a 429 only when it carries exactly one
 * X-Rate-Limit-Reset, and waits Reset − Date + 1 s (developer.okta.com/docs/reference/rl-best-practices).
 */
export const oktaRateLimits: RateLimitPolicy = {
  bucket: (ctx) => bucketOf(ctx.request.method, ctx.url.pathname),
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
  // An HTTP date has whole seconds: it is formatted once a second, not once a request.
  const second = Math.floor(ctx.clock.nowMs() / 1000);
  const date = ctx.memo('httpDate', () => ({ second: NaN, text: '' }));
  if (date.second !== second) Object.assign(date, { second, text: new Date(second * 1000).toUTCString() });
  response.headers['date'] ??= date.text;
  response.headers['x-okta-request-id'] ??= requestId(ctx);
}
