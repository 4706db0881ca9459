import { EngineError, TwinError, type HandlerResult } from '../../src/index.js';
import type { RequestCtx } from './types.js';

/**
 * An error in Jira's envelope, `{"errorMessages": [...], "errors": {"field": "message"}}` (the ErrorCollection
 * schema of Jira's REST API), with its HTTP status.
 *
 * @example
 * throw new JiraError(400, { errors: { summary: 'You must specify a summary of the issue.' } });
 * throw new JiraError(404, { messages: ['Issue does not exist or you do not have permission to see it.'] });
 */
export class JiraError extends TwinError {
  readonly status: number;
  readonly messages: string[];
  readonly errors: Record<string, string>;
  readonly headers: Record<string, string>;

  constructor(status: number, options: { messages?: string[]; errors?: Record<string, string>; headers?: Record<string, string> }) {
    super(options.messages?.[0] ?? Object.values(options.errors ?? {})[0] ?? `HTTP ${status}`);
    this.name = 'JiraError';
    this.status = status;
    this.messages = options.messages ?? [];
    this.errors = options.errors ?? {};
    this.headers = options.headers ?? {};
  }
}

/**
 * Jira's 404 for an issue: the same words whether it does not exist or the caller may not see it.
 *
 * @example
 * if (!issue) throw issueNotFound();
 */
export function issueNotFound(): JiraError {
  return new JiraError(404, { messages: ['Issue does not exist or you do not have permission to see it.'] });
}

/**
 * Jira's 400 naming fields: `errorMessages` empty, each field's problem under `errors`.
 *
 * @example
 * throw fieldErrors({ summary: 'You must specify a summary of the issue.' });
 */
export function fieldErrors(errors: Record<string, string>): JiraError {
  return new JiraError(400, { errors });
}

/**
 * Jira's 400 with messages only.
 *
 * @example
 * throw badRequest("Transition id '99' is not valid for this issue.");
 */
export function badRequest(...messages: string[]): JiraError {
  return new JiraError(400, { messages });
}

/**
 * Jira's words for a caller it cannot authenticate (bad, missing, expired or revoked credentials).
 *
 * @example
 * throw new JiraError(401, { messages: [NOT_AUTHENTICATED] });
 */
export const NOT_AUTHENTICATED = 'Client must be authenticated to access this resource.';

const envelope = (status: number, messages: string[], errors: Record<string, string> = {}, headers: Record<string, string> = {}): HandlerResult => ({
  status,
  headers,
  body: { errorMessages: messages, errors },
});

/** Each engine refusal as Jira answers the same condition. */
const REFUSALS: Record<string, (error: EngineError, ctx: RequestCtx) => HandlerResult> = {
  route_not_found: (_e, ctx) => envelope(404, [`No REST resource at ${ctx.url.pathname} (not emulated by the twinverse Jira twin)`]),
  not_implemented: (e) => envelope(404, [e.message]),
  method_not_allowed: (_e, ctx) => envelope(405, [`Method ${ctx.request.method} is not allowed on ${ctx.url.pathname}`]),
  malformed_body: () => envelope(400, ['The request body is not well-formed JSON.']),
  payload_too_large: () => envelope(413, ['The request body is too large.']),
  unsupported_media_type: () => envelope(415, ['Unsupported Media Type']),
  invalid_request: (e) => {
    // Body problems name their field, as Jira's field validation does; parameter problems are messages.
    const errors: Record<string, string> = {};
    const messages: string[] = [];
    for (const d of e.diagnostics) {
      if (d.in === 'body') errors[d.name] ??= `${d.name} ${d.message}`;
      else messages.push(`The ${d.in} parameter '${d.name}' ${d.message}.`);
    }
    return envelope(400, messages, errors);
  },
  response_drift: (e) => envelope(500, [`Internal server error: ${e.message}`]),
  internal: () => envelope(500, ['Internal server error']),
  server_error: () => envelope(500, ['Internal server error']),
  // The 429's headers (Retry-After, X-RateLimit-*) come from the rate-limit policy, which sees the refusal.
  rate_limited: () => envelope(429, ['Rate limit exceeded.']),
  unavailable: (e) => envelope(503, ['Service Unavailable'], {}, e.details.retryAfterSeconds === undefined ? {} : { 'retry-after': String(e.details.retryAfterSeconds) }),
  unauthorized: () => envelope(401, [NOT_AUTHENTICATED]),
};

/**
 * Renders anything thrown while serving a request in Jira's envelope, the engine's refusals included; anything
 * unknown is Jira's 500.
 *
 * @example
 * renderJiraError(issueNotFound(), ctx); // { status: 404, body: { errorMessages: ['Issue does not exist ...'], errors: {} } }
 */
export function renderJiraError(error: unknown, ctx: RequestCtx): HandlerResult {
  if (error instanceof JiraError) return envelope(error.status, error.messages, error.errors, error.headers);
  if (error instanceof EngineError) return (REFUSALS[error.kind] ?? REFUSALS.internal)(error, ctx);
  return REFUSALS.internal(new EngineError('internal', 'unexpected'), ctx);
}
