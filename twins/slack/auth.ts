import type { RequestContext, ResponseDraft, RoutedContext } from '../../src/index.js';
import { SlackError } from './errors.js';
import { rawArgs } from './model/args.js';
import { postDueScheduledMessages } from './model/scheduled.js';
import type { RequestCtx, SlackAuth, SlackState, SlackToken } from './types.js';
import { refuseMalformedCall } from './wire.js';

/** The path prefix of the App Manifest API's methods. */
const MANIFEST_API = '/api/apps.manifest.';

/**
 * The token a request carries: `Authorization: Bearer …`, else a `token` argument in the query string or a form body.
 * A JSON body's `token` does not count: Slack reads the token of a JSON call from the header only
 * (docs.slack.dev/apis/web-api, "JSON-encoded bodies").
 *
 * @example
 * const slackTwin = defineTwin({ ..., credentialOf: tokenOf });
 */
export function tokenOf(ctx: RequestContext<any>): string | undefined {
  const header = ctx.headers.authorization;
  if (header) {
    const [scheme, ...rest] = header.trim().split(/\s+/);
    if (/^bearer$/i.test(scheme) && rest.length) return rest.join(' ');
  }
  const type = ctx.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) return ctx.url.searchParams.get('token') ?? undefined;
  const token = rawArgs(ctx).token;
  return typeof token === 'string' && token ? token : undefined;
}

/**
 * The scopes an operation accepts (any one will do), as its OpenAPI security names them.
 *
 * @example
 * acceptedScopes(ctx); // ['channels:read', 'groups:read', 'im:read', 'mpim:read'] for conversations.list
 */
export function acceptedScopes(ctx: RequestContext<any>): string[] {
  return ctx.operation ? ctx.operation.security.flatMap((requirement) => requirement.slackAuth ?? []) : [];
}

/** The record of the token a request carries, or undefined (no token, or one the workspace never issued). */
function tokenRecord(ctx: RequestContext<SlackState>): SlackToken | undefined {
  const token = tokenOf(ctx);
  return token === undefined || !Object.hasOwn(ctx.state.tokens, token) ? undefined : ctx.state.tokens[token];
}

/**
 * Authenticates a Web API call the way Slack does, once the call's shape passes (see refuseMalformedCall): no token
 * is not_authed, an unknown one invalid_auth, a revoked one token_revoked, an expired one token_expired, a deactivated
 * user's account_inactive, a token of the wrong kind (an app configuration token outside the App Manifest API, or any
 * other token in it) not_allowed_token_type; a token without any scope the method accepts is missing_scope, with
 * `needed` and `provided`. The webhook and upload URLs carry their secret in the path and take no token. Scheduled
 * messages that fell due are posted first, so that every request sees the workspace as the clock says it is.
 *
 * @example
 * const slackTwin = defineTwin({ ..., authenticate: authenticateSlack });
 */
export function authenticateSlack(ctx: RoutedContext<SlackState>): SlackAuth {
  refuseMalformedCall(ctx);
  postDueScheduledMessages(ctx);
  if (ctx.operation.security.length === 0) return { token: null };
  const carried = tokenOf(ctx);
  if (carried === undefined) throw new SlackError('not_authed');
  const record = tokenRecord(ctx);
  if (!record) throw new SlackError('invalid_auth');
  if (record.revoked) throw new SlackError('token_revoked');
  if (record.expires_at !== undefined && ctx.clock.nowMs() >= record.expires_at * 1000) throw new SlackError('token_expired');
  if (ctx.state.users[record.user_id]?.deleted) throw new SlackError('account_inactive');
  // An app configuration token works with the App Manifest API only, and that API with nothing else
  // (api.slack.com/authentication/config-tokens: "solely used to create and configure Slack apps").
  const manifestApi = ctx.url.pathname.startsWith(MANIFEST_API);
  if ((record.type === 'config') !== manifestApi) throw new SlackError('not_allowed_token_type');
  const accepted = acceptedScopes(ctx);
  if (accepted.length > 0 && !accepted.some((scope) => record.scopes.includes(scope))) {
    throw new SlackError('missing_scope', { needed: accepted.join(','), provided: record.scopes.join(',') });
  }
  return { token: record };
}

/**
 * Headers and warnings Slack adds to every Web API answer: the token's scopes in X-OAuth-Scopes and the method's in
 * X-Accepted-OAuth-Scopes (the SDK copies both into response_metadata), the `missing_charset` warning on a JSON call
 * whose Content-Type names no charset (docs.slack.dev/apis/web-api, "Character encoding"), and `superfluous_charset`
 * on a form call whose Content-Type names one.
 *
 * @example
 * const slackTwin = defineTwin({ ..., onResponse: slackResponseHeaders });
 */
export function slackResponseHeaders(response: ResponseDraft, ctx: RequestCtx): void {
  if (!ctx.url.pathname.startsWith('/api/')) return;
  const record = tokenRecord(ctx);
  if (record) response.headers['x-oauth-scopes'] ??= record.scopes.join(',');
  if (ctx.operation) response.headers['x-accepted-oauth-scopes'] ??= acceptedScopes(ctx).join(',');
  const body = response.body as Record<string, any> | undefined;
  const type = ctx.headers['content-type'] ?? '';
  if (body?.ok !== true || ctx.request.method !== 'POST') return;
  const charset = /charset=/i.test(type);
  if (type.startsWith('application/json') && !charset) warn(body, 'missing_charset');
  // A form body has no use for a charset: Slack says so (api.slack.com/methods/api.test, "Warnings").
  const form = type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data');
  if (charset && form) warn(body, 'superfluous_charset');
}

/**
 * Adds a warning to a successful answer as Slack does: `warning` (comma-separated when there are several) and
 * `response_metadata.warnings`.
 *
 * @example
 * warn(body, 'already_in_channel');
 */
export function warn(body: Record<string, any>, warning: string): void {
  body.warning = body.warning ? `${body.warning},${warning}` : warning;
  body.response_metadata = { ...(body.response_metadata ?? {}), warnings: [...(body.response_metadata?.warnings ?? []), warning] };
}
