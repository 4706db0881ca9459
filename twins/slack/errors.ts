import { EngineError, TwinError, type HandlerResult } from '../../src/index.js';
import type { RequestCtx } from './types.js';

/**
 * A Slack method error: HTTP 200 with `{"ok": false, "error": code}` and whatever Slack adds for that code (`needed`
 * and `provided` for missing_scope, `response_metadata.messages` for invalid_arguments).
 *
 * @example
 * throw new SlackError('channel_not_found');
 * throw new SlackError('missing_scope', { needed: 'chat:write', provided: 'users:read' });
 */
export class SlackError extends TwinError {
  readonly error: string;
  readonly extra: Record<string, unknown>;

  constructor(error: string, extra: Record<string, unknown> = {}) {
    super(error);
    this.name = 'SlackError';
    this.error = error;
    this.extra = extra;
  }
}

/**
 * An incoming-webhook refusal: a plain-text error word with an HTTP status, as hooks.slack.com answers
 * (docs.slack.dev/messaging/sending-messages-using-incoming-webhooks, "Handling errors").
 *
 * @example
 * throw new WebhookError(404, 'no_service');
 */
export class WebhookError extends TwinError {
  readonly status: number;

  constructor(status: number, word: string) {
    super(word);
    this.name = 'WebhookError';
    this.status = status;
  }
}

const METHOD_PREFIX = '/api/';
const WEBHOOK_PREFIX = '/services/';
const UPLOAD_PREFIX = '/upload/';
const TEXT = { 'content-type': 'text/plain; charset=utf-8' };

/** The Web API method a path names (`chat.postMessage` for /api/chat.postMessage). */
function methodOf(ctx: RequestCtx): string {
  const path = ctx.url.pathname;
  return path.startsWith(METHOD_PREFIX) ? path.slice(METHOD_PREFIX.length) : path;
}

/** Whether a JSON body parsed to something other than an object (an array, a string, a number): Slack's json_not_object. */
function jsonNotObject(ctx: RequestCtx): boolean {
  if (!(ctx.headers['content-type'] ?? '').startsWith('application/json') || !ctx.request.body) return false;
  try {
    const body: unknown = JSON.parse(ctx.request.body);
    return body === null || typeof body !== 'object' || Array.isArray(body);
  } catch {
    return false;
  }
}

const failure = (error: string, extra: Record<string, unknown> = {}, status = 200, headers: Record<string, string> = {}): HandlerResult => ({
  status,
  headers,
  body: { ok: false, error, ...extra },
});

/**
 * Renders anything thrown while serving a request the way Slack answers: method errors on HTTP 200 with ok false,
 * 429 `ratelimited` with an integer Retry-After (the SDK retries only when it can read one), and 5xx for failures.
 *
 * @example
 * renderSlackError(new SlackError('not_authed'), ctx); // { status: 200, body: { ok: false, error: 'not_authed' } }
 */
export function renderSlackError(error: unknown, ctx: RequestCtx): HandlerResult {
  if (error instanceof WebhookError) return { status: error.status, headers: TEXT, body: error.message };
  const unreadable = error instanceof EngineError && ['malformed_body', 'invalid_request', 'unsupported_media_type'].includes(error.kind);
  if (ctx.url.pathname.startsWith(WEBHOOK_PREFIX) && ctx.operation) {
    // An incoming webhook answers in plain words: a bad payload of any kind is invalid_payload, a method error its code.
    if (error instanceof SlackError) return { status: 400, headers: TEXT, body: error.error };
    if (unreadable) return { status: 400, headers: TEXT, body: 'invalid_payload' };
  }
  // The upload URL (files.slack.com in Slack) is no Web API method: it answers in plain text too.
  if (ctx.url.pathname.startsWith(UPLOAD_PREFIX) && ctx.operation && unreadable) return { status: 400, headers: TEXT, body: 'Bad Request' };
  if (error instanceof SlackError) return failure(error.error, error.extra);
  if (!(error instanceof EngineError)) return failure('internal_error', {}, 500);
  switch (error.kind) {
    case 'route_not_found':
      // Slack answers an unknown method with unknown_method and echoes the method name it was asked for.
      return failure('unknown_method', { req_method: methodOf(ctx) });
    case 'not_implemented':
      return failure('unknown_method', { req_method: methodOf(ctx), response_metadata: { messages: [`[ERROR] ${methodOf(ctx)} is not emulated by the twinverse Slack twin`] } });
    // Slack documents no answer for a verb other than GET and POST, for a body too large to read, or for an outage:
    // these keep the {"ok": false} envelope every answer has (api.slack.com/web) on the HTTP status that says what
    // happened, so that the SDK reports them as HTTP errors.
    case 'method_not_allowed':
      return failure('method_not_allowed', { req_method: methodOf(ctx), response_metadata: { messages: [`[ERROR] ${ctx.request.method} is not supported: use GET or POST`] } }, 405);
    case 'malformed_body':
      return failure('invalid_json');
    case 'payload_too_large':
      return failure('request_too_large', {}, 413);
    case 'unsupported_media_type':
      return failure('invalid_post_type', { response_metadata: { messages: [`[ERROR] ${error.message}`] } });
    case 'invalid_request':
      if (jsonNotObject(ctx)) return failure('json_not_object');
      return failure('invalid_arguments', {
        response_metadata: {
          messages: error.diagnostics.map((d) => (d.message === 'is required' ? `[ERROR] missing required field: ${d.name}` : `[ERROR] ${d.message} [json-pointer:/${d.name.replace(/\./g, '/')}]`)),
        },
      });
    case 'rate_limited':
      return failure('ratelimited', {}, 429, { 'retry-after': String(error.details.retryAfterSeconds ?? 1) });
    case 'unauthorized':
      return failure(error.details.reason === 'revoked' ? 'token_revoked' : 'token_expired');
    case 'unavailable':
      return failure('service_unavailable', {}, 503, error.details.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.details.retryAfterSeconds) });
    case 'response_drift':
    case 'internal':
    case 'server_error':
      return failure('internal_error', {}, 500);
  }
}
