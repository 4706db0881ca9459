import { EngineError, TwinError, type HandlerResult } from '../../src/index.js';
import { oktaSupportsMethod } from './model/not-emulated.js';
import type { RequestCtx } from './types.js';

/** Okta's error codes the twin uses: HTTP status and the summary template (Okta's error-codes reference). */
const OKTA_ERRORS = {
  E0000001: { status: 400, summary: 'Api validation failed: {0}' },
  E0000003: { status: 400, summary: 'The request body was not well-formed.' },
  E0000004: { status: 401, summary: 'Authentication failed' },
  E0000005: { status: 403, summary: 'Invalid session' },
  E0000006: { status: 403, summary: 'You do not have permission to perform the requested action' },
  E0000007: { status: 404, summary: 'Not found: {0}' },
  E0000009: { status: 500, summary: 'Internal Server Error' },
  // Okta's error-codes reference gives 503 only for this code.
  E0000010: { status: 503, summary: 'Service is in read only mode' },
  E0000011: { status: 401, summary: 'Invalid token provided' },
  E0000014: { status: 403, summary: 'Update of credentials failed' },
  E0000016: { status: 403, summary: 'Activation failed because the user is already active' },
  E0000022: { status: 405, summary: 'The endpoint does not support the provided HTTP method' },
  E0000028: { status: 400, summary: 'The request is missing a required parameter.' },
  E0000030: { status: 400, summary: "Invalid date. Dates must be of the form yyyy-MM-dd'T'HH:mm:ss.SSSZZ, e.g. 2013-01-01T12:00:00.000-07:00." },
  E0000031: { status: 400, summary: 'Invalid search criteria.' },
  E0000032: { status: 403, summary: 'Unlock is not allowed for this user.' },
  E0000038: { status: 403, summary: "This operation is not allowed in the user's current status." },
  E0000047: { status: 429, summary: 'API call exceeded rate limit due to too many requests.' },
  E0000056: { status: 403, summary: 'Delete application forbidden.' },
  E0000090: { status: 409, summary: 'Duplicate role assignment exception' },
  E0000068: { status: 403, summary: 'Invalid Passcode/Answer' },
  E0000079: { status: 403, summary: 'This operation is not allowed in the current authentication state.' },
  E0000080: { status: 403, summary: 'The password does not meet the complexity requirements of the current password policy.' },
  E0000082: { status: 403, summary: 'Each code can only be used once. Please wait for a new code and try again.' },
  E0000087: { status: 403, summary: 'The recovery question answer did not match our records.' },
  E0000093: { status: 400, summary: 'Target count limit exceeded' },
  E0000124: { status: 400, summary: 'Could not create user. To create a user and expire their password immediately, a password must be specified' },
  E0000125: { status: 400, summary: 'Could not create user. To create a user and expire their password immediately, "activate" must be true' },
  E0000195: { status: 409, summary: 'Validation conflict' },
} as const;

/** The Okta error codes the twin answers with. */
export type OktaErrorCode = keyof typeof OKTA_ERRORS;

/**
 * An error in Okta's envelope (errorCode, errorSummary, errorLink, errorId, errorCauses).
 * The summary is the code's template with `{0}` filled by `detail`, unless `summary` replaces it whole.
 *
 * @example
 * throw new OktaError('E0000007', { detail: `Resource not found: ${id} (User)` });
 * throw new OktaError('E0000001', { detail: 'login: An object with this field already exists in the current organization', causes: ['login: An object with this field already exists in the current organization'] });
 */
export class OktaError extends TwinError {
  readonly code: OktaErrorCode;
  readonly status: number;
  readonly causes: string[];
  readonly headers: Record<string, string>;

  constructor(code: OktaErrorCode, options: { detail?: string; summary?: string; causes?: string[]; status?: number; headers?: Record<string, string> } = {}) {
    const template: string = OKTA_ERRORS[code].summary;
    super(options.summary ?? template.replace('{0}', options.detail ?? ''));
    this.name = 'OktaError';
    this.code = code;
    this.status = options.status ?? OKTA_ERRORS[code].status;
    this.causes = options.causes ?? [];
    this.headers = options.headers ?? {};
  }
}

/**
 * Okta's 404 for a missing resource: `Not found: Resource not found: {id} ({Type})`.
 *
 * @example
 * if (!group) throw notFound(groupId, 'UserGroup');
 */
export function notFound(id: string, type: string): OktaError {
  return new OktaError('E0000007', { detail: `Resource not found: ${id} (${type})` });
}

/**
 * Okta's E0000001: the summary names the first offending property, and every problem is a cause.
 *
 * @example
 * throw validationFailed(['recovery_question.answer: The field cannot be left blank']);
 */
export function validationFailed(causes: string[]): OktaError {
  return new OktaError('E0000001', { detail: causes[0].slice(0, causes[0].indexOf(':')), causes });
}

/**
 * Okta's E0000001 for fields of a request: the summary names the fields, each cause says what is wrong with one.
 *
 * @example
 * throw invalidFields([['scopeId', `'${scopeId}' is not an Okta API scope`]]);
 */
export function invalidFields(problems: [field: string, message: string][]): OktaError {
  const fields = [...new Set(problems.map(([field]) => field))];
  return new OktaError('E0000001', { detail: fields.join(', '), causes: problems.map(([field, message]) => `${field}: ${message}`) });
}

/**
 * An OAuth 2.0 error (RFC 6749 §5.2), the envelope of the /oauth2 endpoints.
 *
 * @example
 * throw new OAuthError(400, 'invalid_grant', 'The authorization code is invalid or has expired.');
 */
export class OAuthError extends TwinError {
  readonly status: number;
  readonly error: string;
  readonly headers: Record<string, string>;

  constructor(status: number, error: string, description: string, headers: Record<string, string> = {}) {
    super(description);
    this.name = 'OAuthError';
    this.status = status;
    this.error = error;
    this.headers = headers;
  }
}

/**
 * A unique, deterministic errorId: Okta's are 25 characters, "oae" and 22 base64url characters
 * (e.g. "oaej1XXQlk6SbCEFIkBzAge-A", github.com/okta/okta-developer-docs/issues/1622).
 */
function nextErrorId(ctx: RequestCtx): string {
  const n = ctx.ids.sequence('errorId');
  let x = (n * 2654435761) >>> 0;
  let out = 'oae';
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  for (let i = 0; i < 22; i++) {
    x = (Math.imul(x ^ (x >>> 13), 0x5bd1e995) + i) >>> 0;
    out += alphabet[x % 64];
  }
  return out;
}

function envelope(ctx: RequestCtx, code: OktaErrorCode, summary: string, causes: string[], status: number = OKTA_ERRORS[code].status, headers: Record<string, string> = {}): HandlerResult {
  return {
    status,
    headers,
    body: {
      errorCode: code,
      errorSummary: summary,
      errorLink: code,
      errorId: nextErrorId(ctx),
      errorCauses: causes.map((errorSummary) => ({ errorSummary })),
    },
  };
}

// The OAuth protocol endpoints answer in RFC 6749's shape; Management API paths under /oauth2
// (the client roles, which take an API token) keep Okta's envelope.
function speaksOAuth(ctx: RequestCtx): boolean {
  return ctx.url.pathname.startsWith('/oauth2/') && (ctx.operation === undefined || ctx.operation.security.length === 0);
}

// Refusals Okta answers in its own envelope even on the OAuth endpoints: no route, a bug, a drift, limits and outages.
const OKTA_ENVELOPE_EVERYWHERE = new Set(['route_not_found', 'payload_too_large', 'internal', 'response_drift', 'rate_limited', 'unavailable', 'server_error']);

/** The answer for what Okta serves and the twin does not emulate: a 404 that names the method and the path. */
function notEmulated(ctx: RequestCtx): HandlerResult {
  return envelope(ctx, 'E0000007', `Not found: Resource not found: ${ctx.request.method} ${ctx.url.pathname} (not emulated by the twinverse Okta twin)`, []);
}

/**
 * Renders anything thrown while serving a request in the envelope Okta uses for that endpoint, the engine's
 * refusals included.
 *
 * @example
 * renderOktaError(new OktaError('E0000011'), ctx); // { status: 401, body: { errorCode: 'E0000011', ... } }
 */
export function renderOktaError(error: unknown, ctx: RequestCtx): HandlerResult {
  if (error instanceof OktaError) return envelope(ctx, error.code, error.message, error.causes, error.status, error.headers);
  if (error instanceof OAuthError) {
    return { status: error.status, headers: error.headers, body: { error: error.error, error_description: error.message } };
  }
  if (!(error instanceof EngineError)) return envelope(ctx, 'E0000009', OKTA_ERRORS.E0000009.summary, []);
  if (error.kind === 'unauthorized' && speaksOAuth(ctx)) {
    // RFC 6750 §3.1: an expired or revoked access token is invalid_token, with the reason in WWW-Authenticate.
    return { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token", error_description="The access token is invalid."' }, body: { error: 'invalid_token', error_description: 'The access token is invalid.' } };
  }
  if (speaksOAuth(ctx) && !OKTA_ENVELOPE_EVERYWHERE.has(error.kind)) {
    const description = error.diagnostics.length ? error.diagnostics.map((d) => `${d.name}: ${d.message}`).join('; ') : error.message;
    return { status: error.kind === 'method_not_allowed' ? 405 : 400, headers: {}, body: { error: 'invalid_request', error_description: description } };
  }
  switch (error.kind) {
    case 'route_not_found':
    case 'not_implemented':
      return notEmulated(ctx);
    case 'method_not_allowed':
      // A method Okta serves on this path, which the twin does not emulate, is not a method Okta lacks.
      if (oktaSupportsMethod(ctx.request.method, ctx.url.pathname)) return notEmulated(ctx);
      return envelope(ctx, 'E0000022', OKTA_ERRORS.E0000022.summary, [`${ctx.request.method} ${ctx.url.pathname}`]);
    case 'malformed_body':
    case 'unsupported_media_type':
      return envelope(ctx, 'E0000003', OKTA_ERRORS.E0000003.summary, []);
    case 'payload_too_large':
      // Okta's error codes name no oversized-body error: its reader exception, with HTTP's own status for the case.
      return envelope(ctx, 'E0000003', OKTA_ERRORS.E0000003.summary, [error.message], 413);
    case 'invalid_request': {
      const causes = error.diagnostics.map((d) => `${d.name}: ${d.message}`);
      return envelope(ctx, 'E0000001', OKTA_ERRORS.E0000001.summary.replace('{0}', causes.join('; ')), causes);
    }
    case 'response_drift':
      return envelope(ctx, 'E0000009', `Internal Server Error: ${error.message}`, error.diagnostics.map((d) => `${d.name}: ${d.message}`));
    case 'internal':
    case 'server_error':
      return envelope(ctx, 'E0000009', OKTA_ERRORS.E0000009.summary, []);
    case 'rate_limited':
      return envelope(ctx, 'E0000047', OKTA_ERRORS.E0000047.summary, []);
    case 'unavailable':
      return envelope(ctx, 'E0000010', OKTA_ERRORS.E0000010.summary, [], 503, error.details.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.details.retryAfterSeconds) });
    case 'unauthorized':
      return envelope(ctx, 'E0000011', OKTA_ERRORS.E0000011.summary, []);
  }
}
