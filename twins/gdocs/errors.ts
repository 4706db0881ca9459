import { EngineError, TwinError, type HandlerResult } from '../../src/index.js';
import type { RequestCtx } from './types.js';

/** The canonical google.rpc.Code names the twin answers with, by the HTTP status Google pairs them with. */
export type GoogleStatus =
  | 'INVALID_ARGUMENT'
  | 'FAILED_PRECONDITION'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'RESOURCE_EXHAUSTED'
  | 'INTERNAL'
  | 'UNIMPLEMENTED'
  | 'UNAVAILABLE';

const HTTP_STATUS: Record<GoogleStatus, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  INTERNAL: 500,
  UNIMPLEMENTED: 501,
  UNAVAILABLE: 503,
};

/** One entry of the legacy `errors[]` list Drive v3 (and the twin, on every API) sends with an error. */
export interface LegacyError {
  message: string;
  domain: string;
  reason: string;
  location?: string;
  locationType?: 'header' | 'parameter';
}

/** Google's 401 message for a token it does not accept. */
export const INVALID_CREDENTIALS =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
/** Google's 401 message for a request with no credentials at all. */
export const MISSING_CREDENTIALS =
  'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

/**
 * An error in Google's envelope: `{"error": {"code", "message", "status", "errors": [...]}}`. `reason` (and the
 * optional location) fill the legacy `errors[]` entry; the HTTP status follows the canonical code unless given.
 *
 * @example
 * throw new GoogleError('NOT_FOUND', 'Requested entity was not found.', { reason: 'notFound' });
 */
export class GoogleError extends TwinError {
  readonly status: GoogleStatus;
  readonly httpStatus: number;
  readonly errors: LegacyError[];
  readonly headers: Record<string, string>;

  constructor(status: GoogleStatus, message: string, options: { reason?: string; domain?: string; location?: string; locationType?: 'header' | 'parameter'; httpStatus?: number; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = 'GoogleError';
    this.status = status;
    this.httpStatus = options.httpStatus ?? HTTP_STATUS[status];
    const entry: LegacyError = { message, domain: options.domain ?? 'global', reason: options.reason ?? defaultReason(status) };
    if (options.location) Object.assign(entry, { location: options.location, locationType: options.locationType ?? 'parameter' });
    this.errors = [entry];
    this.headers = options.headers ?? {};
  }
}

function defaultReason(status: GoogleStatus): string {
  switch (status) {
    case 'INVALID_ARGUMENT':
      return 'badRequest';
    case 'FAILED_PRECONDITION':
      return 'failedPrecondition';
    case 'UNAUTHENTICATED':
      return 'authError';
    case 'PERMISSION_DENIED':
      return 'forbidden';
    case 'NOT_FOUND':
      return 'notFound';
    case 'RESOURCE_EXHAUSTED':
      return 'rateLimitExceeded';
    case 'UNIMPLEMENTED':
      return 'notImplemented';
    default:
      return 'backendError';
  }
}

/**
 * Google's 400 for one invalid request of a batchUpdate: the message names the request's index and kind,
 * "Invalid requests[0].insertText: ..." (the Docs API's own wording).
 *
 * @example
 * throw invalidRequest(0, 'insertText', 'Index 5 must be less than the end index of the referenced segment, 2.');
 */
export function invalidRequest(index: number, kind: string, reason: string): GoogleError {
  return new GoogleError('INVALID_ARGUMENT', `Invalid requests[${index}].${kind}: ${reason}`);
}

/**
 * Drive's 404 for a file the caller cannot see: "File not found: {id}.", located at the fileId parameter.
 *
 * @example
 * if (!file) throw fileNotFound(ctx.params.fileId);
 */
export function fileNotFound(fileId: string): GoogleError {
  return new GoogleError('NOT_FOUND', `File not found: ${fileId}.`, { location: 'fileId' });
}

// Google sends this challenge with every 401 (RFC 6750 §3).
const CHALLENGE = { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' };

/** Drive answers under /drive/; the Docs API everywhere else. */
const isDrive = (ctx: RequestCtx) => ctx.url.pathname.replace(/\/{2,}/g, '/').startsWith('/drive/');

/**
 * The quota refusal of the API a request went to: the Docs API's 429 RESOURCE_EXHAUSTED rateLimitExceeded, or
 * Drive's 403 userRateLimitExceeded (developers.google.com/drive/api/guides/limits).
 */
function rateLimited(ctx: RequestCtx, scope: string | undefined): GoogleError {
  if (isDrive(ctx)) {
    return new GoogleError('PERMISSION_DENIED', 'User rate limit exceeded.', { reason: 'userRateLimitExceeded', domain: 'usageLimits' });
  }
  const metric = scope === 'docs writes' ? 'Write' : 'Read';
  return new GoogleError(
    'RESOURCE_EXHAUSTED',
    `Quota exceeded for quota metric '${metric} requests' and limit '${metric} requests per minute per user' of service 'docs.googleapis.com' for consumer 'project_number:twin'.`,
    { reason: 'rateLimitExceeded', domain: 'usageLimits' },
  );
}

/** The engine's refusals, in Google's words. */
function fromEngine(error: EngineError, ctx: RequestCtx): GoogleError {
  const path = ctx.url.pathname;
  switch (error.kind) {
    case 'route_not_found':
      return new GoogleError('NOT_FOUND', `The requested URL ${path} was not found on this server.`);
    case 'method_not_allowed':
      // Google's front end routes by method and path together: another method on a known path is a missing method.
      return new GoogleError('NOT_FOUND', `Method not found: ${ctx.request.method} ${path}.`);
    case 'malformed_body':
      return new GoogleError('INVALID_ARGUMENT', 'Invalid JSON payload received. Unexpected end of string.', { reason: 'parseError' });
    case 'payload_too_large':
      return new GoogleError('INVALID_ARGUMENT', 'Request payload size exceeds the limit.', { httpStatus: 413, reason: 'uploadTooLarge' });
    case 'unsupported_media_type':
      return new GoogleError('INVALID_ARGUMENT', `Invalid JSON payload received. ${error.message}.`, { reason: 'parseError' });
    case 'invalid_request': {
      const problems = error.diagnostics.map((d) => `Invalid value at '${d.name}': ${d.message}`);
      const refusal = new GoogleError('INVALID_ARGUMENT', problems.join('; ') || 'Invalid argument.', { reason: 'invalid' });
      refusal.errors.splice(0, 1, ...error.diagnostics.map((d, i): LegacyError => ({ message: problems[i], domain: 'global', reason: 'invalid', location: d.name, ...(d.in === 'body' ? {} : { locationType: 'parameter' as const }) })));
      return refusal;
    }
    case 'not_implemented':
      return new GoogleError('UNIMPLEMENTED', `${ctx.request.method} ${path} is not emulated by the twinverse Google Docs twin.`);
    case 'response_drift':
      return new GoogleError('INTERNAL', `Internal error encountered. ${error.message}`);
    case 'internal':
    case 'server_error':
      return new GoogleError('INTERNAL', 'Internal error encountered.');
    case 'rate_limited':
      return rateLimited(ctx, error.details.scope);
    case 'unavailable':
      return new GoogleError('UNAVAILABLE', 'The service is currently unavailable.', {
        headers: error.details.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.details.retryAfterSeconds) },
      });
    case 'unauthorized':
      return new GoogleError('UNAUTHENTICATED', INVALID_CREDENTIALS, { location: 'Authorization', locationType: 'header', headers: CHALLENGE });
  }
}

/**
 * Renders anything thrown while serving a request in Google's error envelope, the engine's refusals included.
 *
 * @example
 * renderGoogleError(new GoogleError('NOT_FOUND', 'Requested entity was not found.'), ctx);
 * // { status: 404, body: { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND', errors: [...] } } }
 */
export function renderGoogleError(error: unknown, ctx: RequestCtx): HandlerResult {
  const google = error instanceof GoogleError ? error : error instanceof EngineError ? fromEngine(error, ctx) : new GoogleError('INTERNAL', 'Internal error encountered.');
  const headers = { ...(google.status === 'UNAUTHENTICATED' ? CHALLENGE : {}), ...google.headers };
  return { status: google.httpStatus, headers, body: { error: { code: google.httpStatus, message: google.message, errors: google.errors, status: google.status } } };
}
