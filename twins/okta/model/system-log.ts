import { copyJson } from '../../../src/index.js';
import type { Ctx, OktaApp, OktaGroup, OktaUser, RequestCtx } from '../types.js';
import { queueEventHookDeliveries } from './event-hooks.js';

/** How an event ended (Okta's LogOutcome.result). */
export type LogOutcomeResult = 'SUCCESS' | 'FAILURE' | 'SKIPPED' | 'ALLOW' | 'DENY' | 'CHALLENGE' | 'UNKNOWN';

/** Okta's LogSeverity. */
export type LogSeverity = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** Who acted, or what was acted on: Okta's LogActor and LogTarget (a target may also carry `changeDetails`). */
export interface LogEntity {
  id: string;
  /** `User`, `UserGroup`, `AppInstance`, `PublicClientApp`, `AppUser`, `Policy`, `PolicyRule`, `EventHook`, ... */
  type: string;
  alternateId: string;
  displayName: string;
  detailEntry?: Record<string, unknown> | null;
  changeDetails?: { from?: Record<string, unknown>; to?: Record<string, unknown> };
}

/**
 * One System Log event as Okta returns it from `GET /api/v1/logs` and delivers it to event hooks (LogEvent).
 * The twin knows no geography, device or network reputation: those fields are present and null, as Okta leaves
 * them when it cannot resolve them.
 */
export interface OktaLogEvent {
  uuid: string;
  published: string;
  eventType: string;
  version: '0';
  severity: LogSeverity;
  legacyEventType: string | null;
  displayMessage: string;
  actor: LogEntity & { detailEntry: Record<string, unknown> | null };
  client: Record<string, any>;
  device: null;
  outcome: { result: LogOutcomeResult; reason: string | null };
  target: LogEntity[];
  transaction: { type: 'WEB' | 'JOB'; id: string; detail: Record<string, unknown> };
  debugContext: { debugData: Record<string, unknown> };
  authenticationContext: Record<string, any>;
  securityContext: Record<string, any>;
  request: { ipChain: Record<string, any>[] };
}

/** What a caller of `logEvent` says about an event; everything else is taken from the request. */
export interface LogEventInput {
  /** Okta's event type, e.g. `user.lifecycle.create` (developer.okta.com/docs/reference/api/event-types). */
  eventType: string;
  /** Okta's display message for the type, e.g. `Create Okta user`. */
  displayMessage: string;
  /** What was acted on, most specific first as Okta lists them (use `userTarget`, `groupTarget`, `appTarget`). */
  target?: LogEntity[];
  /** Who acted; by default the caller (the API token's user, the access token's user or client). */
  actor?: LogEntity;
  /** SUCCESS unless given. */
  outcome?: { result: LogOutcomeResult; reason?: string | null };
  /** INFO unless given. */
  severity?: LogSeverity;
  /** The pre-System-Log name Okta still sends for some types (`core.user_auth.login_success`). */
  legacyEventType?: string | null;
  /** Added to `debugContext.debugData` (which always has requestId, requestUri and url). */
  debugData?: Record<string, unknown>;
  /** Merged over the default `authenticationContext` (e.g. `{ externalSessionId }` for a sign-in). */
  authenticationContext?: Record<string, unknown>;
  /** The OAuth client the request came through, when it is not the caller's access token (`client.id`). */
  clientId?: string;
  /**
   * JOB for what Okta does on its own after a request (an event hook's delivery): no client or network of a caller.
   * WEB (the default) for what a request did.
   */
  transactionType?: 'WEB' | 'JOB';
}

const HEX = '0123456789abcdef';

/**
 * The id of the request being served: the `X-Okta-Request-Id` the twin answers with, and the `transaction.id` of
 * every event the request writes (Okta ties them so a support case can name one request).
 *
 * @example
 * response.headers['x-okta-request-id'] ??= requestId(ctx); // 'twin-7'
 */
export function requestId(ctx: RequestCtx): string {
  const ids = ctx.memo('requestIds', () => new WeakMap<object, string>());
  let id = ids.get(ctx.request);
  if (id === undefined) {
    id = `twin-${ctx.ids.sequence('requestId')}`;
    ids.set(ctx.request, id);
  }
  return id;
}

/**
 * A version-1-shaped UUID like Okta's event uuids (`dc9fd3c0-598c-11ef-8478-2b7584bf8d5a`), unique per event and
 * deterministic: drawn from a counter, so logging an event never moves the ids other records get.
 */
function eventUuid(ctx: RequestCtx): string {
  const n = ctx.ids.sequence('logEvent');
  let x = (n * 2654435761) >>> 0;
  let hex = '';
  for (let i = 0; i < 32; i++) {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + i + n) >>> 0;
    hex += HEX[x & 15];
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-1${hex.slice(13, 16)}-${'89ab'[parseInt(hex[16], 16) & 3]}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/**
 * A user as an actor or target: Okta names users by login and full name.
 *
 * @example
 * logEvent(ctx, { eventType: 'user.lifecycle.create', displayMessage: 'Create Okta user', target: [userTarget(user)] });
 */
export function userTarget(user: OktaUser): LogEntity {
  const profile = user.profile ?? {};
  const name = [profile.firstName, profile.lastName].filter((part) => typeof part === 'string' && part !== '').join(' ');
  return { id: user.id, type: 'User', alternateId: String(profile.login ?? 'unknown'), displayName: name || String(profile.login ?? 'unknown'), detailEntry: null };
}

/**
 * A group as a target (`UserGroup`, named by its profile name).
 *
 * @example
 * logEvent(ctx, { eventType: 'group.user_membership.add', displayMessage: 'Add user to group membership', target: [userTarget(user), groupTarget(group)] });
 */
export function groupTarget(group: OktaGroup): LogEntity {
  return { id: group.id, type: 'UserGroup', alternateId: 'unknown', displayName: String(group.profile.name), detailEntry: null };
}

/**
 * An application as a target (`AppInstance`, named by its label).
 *
 * @example
 * logEvent(ctx, { eventType: 'application.lifecycle.create', displayMessage: 'Create application', target: [appTarget(app)] });
 */
export function appTarget(app: OktaApp): LogEntity {
  const label = String(app.label ?? app.name ?? app.id);
  return { id: app.id, type: 'AppInstance', alternateId: label, displayName: label, detailEntry: { signOnModeType: app.signOnMode } };
}

/**
 * Who the caller is, as Okta logs it: the user an API token or a user's access token acts as; a service client's
 * own app (`PublicClientApp`) for a client-credentials token; Okta itself (`SystemPrincipal`) for an anonymous call.
 *
 * @example
 * const actor = callerActor(ctx); // { id: '00uadmintwin00000001', type: 'User', alternateId: 'admin@twin.test', ... }
 */
export function callerActor(ctx: Ctx | RequestCtx): LogEntity {
  const auth = ctx.auth as Ctx['auth'] | undefined;
  const userId = auth && auth.kind !== 'none' ? auth.userId : null;
  const user = userId ? ctx.state.users[userId] : undefined;
  if (user) return userTarget(user);
  if (auth?.kind === 'accessToken') {
    const app = Object.values(ctx.state.apps).find((a) => a.credentials?.oauthClient?.client_id === auth.clientId);
    const label = String(app?.label ?? auth.clientId);
    return { id: auth.clientId, type: 'PublicClientApp', alternateId: label, displayName: label, detailEntry: null };
  }
  return { id: ctx.state.org.id, type: 'SystemPrincipal', alternateId: 'system@okta.com', displayName: 'Okta System', detailEntry: null };
}

function clientIp(ctx: RequestCtx): string {
  const forwarded = ctx.headers['x-forwarded-for']?.split(',')[0]?.trim();
  return forwarded || ctx.request.localAddress || '127.0.0.1';
}

/**
 * Writes one System Log event for the change the current request made, as Okta writes it, and hands it to the
 * active event hooks that subscribe to its type (they receive it after the response, as Okta delivers).
 * Call it after the change is made and validated, in the same request: a write that is rolled back takes its
 * event with it. A refusal Okta logs (a failed sign-in, `outcome: { result: 'FAILURE', reason }`) logs before it
 * throws its OktaError or OAuthError, which keep what the request wrote. Returns the stored event.
 *
 * @example
 * logEvent(ctx, { eventType: 'user.lifecycle.activate', displayMessage: 'Activate Okta user', target: [userTarget(user)] });
 * logEvent(ctx, {
 *   eventType: 'user.session.start',
 *   displayMessage: 'User login to Okta',
 *   actor: userTarget(user),
 *   legacyEventType: 'core.user_auth.login_success',
 *   authenticationContext: { externalSessionId: session.id },
 * });
 */
export function logEvent(ctx: Ctx | RequestCtx, input: LogEventInput): OktaLogEvent {
  const auth = ctx.auth as Ctx['auth'] | undefined;
  const job = input.transactionType === 'JOB';
  const ip = clientIp(ctx);
  const actor = copyJson(input.actor ?? callerActor(ctx));
  const event: OktaLogEvent = {
    uuid: eventUuid(ctx),
    published: ctx.clock.now().toISOString(),
    eventType: input.eventType,
    version: '0',
    severity: input.severity ?? 'INFO',
    legacyEventType: input.legacyEventType ?? null,
    displayMessage: input.displayMessage,
    actor: { ...actor, detailEntry: actor.detailEntry ?? null },
    client: job
      ? { userAgent: null, zone: null, device: null, id: null, ipAddress: null, geographicalContext: null }
      : {
          userAgent: { rawUserAgent: ctx.headers['user-agent'] ?? 'UNKNOWN', os: 'Unknown', browser: 'UNKNOWN' },
          // Okta sends the network zone of an unzoned client as the string "null", not as null.
          zone: 'null',
          device: 'Unknown',
          id: input.clientId ?? (auth?.kind === 'accessToken' ? auth.clientId : null),
          ipAddress: ip,
          geographicalContext: null,
        },
    device: null,
    outcome: { result: input.outcome?.result ?? 'SUCCESS', reason: input.outcome?.reason ?? null },
    target: copyJson(input.target ?? []).map((t) => ({ ...t, detailEntry: t.detailEntry ?? null })),
    transaction: { type: job ? 'JOB' : 'WEB', id: requestId(ctx), detail: {} },
    debugContext: { debugData: { requestId: requestId(ctx), requestUri: ctx.url.pathname, url: ctx.url.pathname + ctx.url.search, ...copyJson(input.debugData ?? {}) } },
    authenticationContext: {
      authenticationProvider: null,
      credentialProvider: null,
      credentialType: null,
      issuer: null,
      interface: null,
      authenticationStep: 0,
      externalSessionId: 'unknown',
      ...copyJson(input.authenticationContext ?? {}),
    },
    securityContext: { asNumber: null, asOrg: null, isp: null, domain: null, isProxy: null },
    request: { ipChain: job ? [] : [{ ip, geographicalContext: null, version: ip.includes(':') ? 'V6' : 'V4', source: null }] },
  };
  (ctx.state.systemLog ??= []).push(event);
  queueEventHookDeliveries(ctx, event);
  return event;
}

/** The display messages of Okta's user lifecycle events (Event Types catalog, `user.lifecycle.*`). */
const USER_LIFECYCLE_MESSAGES = {
  create: 'Create Okta user',
  activate: 'Activate Okta user',
  reactivate: 'Reactivate Okta user',
  deactivate: 'Deactivate Okta user',
  suspend: 'Suspend Okta user',
  unsuspend: 'Unsuspend Okta user',
  delete: 'Delete Okta user',
} as const;

/**
 * Logs a user lifecycle change as Okta does: `user.lifecycle.{action}`; a delete is `user.lifecycle.delete.initiated`
 * followed by `user.lifecycle.delete.completed`, as Okta writes both.
 *
 * @example
 * setStatus(ctx, user, 'SUSPENDED');
 * logUserLifecycle(ctx, user, 'suspend');
 */
export function logUserLifecycle(ctx: Ctx | RequestCtx, user: OktaUser, action: keyof typeof USER_LIFECYCLE_MESSAGES): void {
  const displayMessage = USER_LIFECYCLE_MESSAGES[action];
  const target = [userTarget(user)];
  if (action !== 'delete') {
    logEvent(ctx, { eventType: `user.lifecycle.${action}`, displayMessage, target });
    return;
  }
  logEvent(ctx, { eventType: 'user.lifecycle.delete.initiated', displayMessage, target });
  logEvent(ctx, { eventType: 'user.lifecycle.delete.completed', displayMessage, target });
}

/**
 * Logs what an edit of a user changed: `user.account.update_profile` for a profile, `user.account.update_password`
 * for a password (as Okta logs each). A new recovery question writes nothing: Okta's Event Types catalog has no type
 * for it (the `user.account.update_recovery_question` the twin wrote before is not one of Okta's).
 *
 * @example
 * logUserEdit(ctx, user, { profile: { nickName: 'Bo' } });
 */
export function logUserEdit(ctx: Ctx | RequestCtx, user: OktaUser, body: { profile?: unknown; credentials?: { password?: unknown; recovery_question?: unknown } }): void {
  const target = [userTarget(user)];
  if (body.profile) logEvent(ctx, { eventType: 'user.account.update_profile', displayMessage: 'Update user profile for Okta', target });
  if (body.credentials?.password) logEvent(ctx, { eventType: 'user.account.update_password', displayMessage: 'User update password for Okta', target });
}

/** What a token grant issued, for `logTokenGrant`. */
export interface TokenGrantLog {
  /** A custom authorization server's id, or null for the org authorization server. */
  serverId: string | null;
  clientId: string;
  /** The user the tokens are for (the actor); null for client credentials, where the client acts. */
  user: OktaUser | null;
  grantType: string;
  scopes: string[];
  /** The issued tokens that exist: access token (a JWT), ID token, refresh token. */
  accessToken?: string;
  idToken?: string;
  refreshToken?: string | null;
}

const TOKEN_NAMES = { access_token: 'access', id_token: 'id', refresh_token: 'refresh' } as const;

/** The `jti` of a JWT the twin signed, read without verifying (the twin has just signed it). */
function jwtId(token: string): string {
  try {
    return String(JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).jti ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

/**
 * Logs each token a grant issued, as Okta does: `app.oauth2.as.token.grant.{access_token|id_token|refresh_token}` for
 * a custom authorization server, `app.oauth2.token.grant.…` for the org one, targeting the token and the client app;
 * tokens /authorize returns at once (implicit and hybrid flows) are `app.oauth2.as.authorize.implicit.…`.
 *
 * @example
 * logTokenGrant(ctx, { serverId: 'default', clientId, user, grantType: 'authorization_code', scopes, accessToken, idToken });
 */
export function logTokenGrant(ctx: Ctx | RequestCtx, grant: TokenGrantLog): void {
  const app = Object.values(ctx.state.apps).find((a) => a.credentials?.oauthClient?.client_id === grant.clientId);
  const label = String(app?.label ?? grant.clientId);
  const client: LogEntity = app ? appTarget(app) : { id: grant.clientId, type: 'AppInstance', alternateId: label, displayName: label, detailEntry: null };
  const actor: LogEntity = grant.user ? userTarget(grant.user) : { id: grant.clientId, type: 'PublicClientApp', alternateId: label, displayName: label, detailEntry: null };
  const server = grant.serverId === null ? 'app.oauth2' : 'app.oauth2.as';
  const family = grant.grantType === 'implicit' ? `${server}.authorize.implicit` : `${server}.token.grant`;
  const issued: [keyof typeof TOKEN_NAMES, string | null | undefined][] = [
    ['access_token', grant.accessToken],
    ['id_token', grant.idToken],
    ['refresh_token', grant.refreshToken],
  ];
  for (const [type, token] of issued) {
    if (!token) continue;
    const id = type === 'refresh_token' ? 'unknown' : jwtId(token);
    logEvent(ctx, {
      eventType: `${family}.${type}`,
      displayMessage: `OAuth2 ${TOKEN_NAMES[type]} token is granted`,
      actor,
      clientId: grant.clientId,
      target: [{ id, type, alternateId: grant.serverId ?? 'org', displayName: `${TOKEN_NAMES[type][0].toUpperCase()}${TOKEN_NAMES[type].slice(1)} Token`, detailEntry: { grantType: grant.grantType, scopes: grant.scopes.join(' ') } }, client],
      debugData: { grantType: grant.grantType, requestedScopes: grant.scopes.join(' ') },
    });
  }
}
