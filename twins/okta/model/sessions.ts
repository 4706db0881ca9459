import { createRecord, secretToken } from '../../../src/index.js';
import type { Ctx, OktaSession, OktaState, OktaUser, RequestCtx, SessionTokenRecord } from '../types.js';
import { nowIso } from './ids.js';
import { signOnActions } from './policies.js';
import { logEvent, userTarget } from './system-log.js';

/** How long a session token may wait to be exchanged for a session (Okta's Authentication API, "Session token"). */
const SESSION_TOKEN_SECONDS = 300;

const sessionStore = (state: OktaState) => (state.sessions ??= createRecord());
const tokenStore = (state: OktaState) => (state.sessionTokens ??= createRecord());

function later(ctx: RequestCtx, ms: number): string {
  return new Date(ctx.clock.now().getTime() + ms).toISOString();
}

function past(ctx: RequestCtx, iso: string): boolean {
  return ctx.clock.now().getTime() >= Date.parse(iso);
}

/**
 * Hands out a one-time session token for a user who just signed in, with how they did.
 *
 * @example
 * const sessionToken = issueSessionToken(ctx, user, ['pwd'], nowIso(ctx), null);
 */
export function issueSessionToken(ctx: Ctx, user: OktaUser, amr: string[], passwordVerifiedAt: string, factorVerifiedAt: string | null): string {
  const token = secretToken(ctx, 42);
  tokenStore(ctx.state)[token] = { userId: user.id, expiresAt: later(ctx, SESSION_TOKEN_SECONDS * 1000), amr: [...amr], passwordVerifiedAt, factorVerifiedAt };
  return token;
}

/**
 * Spends a session token: its record if it is live and its user still ACTIVE, else undefined. A token works once,
 * whether or not it was still good.
 *
 * @example
 * const record = redeemSessionToken(ctx, ctx.body.sessionToken);
 */
export function redeemSessionToken(ctx: Ctx, token: unknown): SessionTokenRecord | undefined {
  if (typeof token !== 'string') return undefined;
  const tokens = tokenStore(ctx.state);
  const record = Object.hasOwn(tokens, token) ? tokens[token] : undefined;
  if (record) delete tokens[token];
  if (!record || past(ctx, record.expiresAt) || ctx.state.users[record.userId]?.status !== 'ACTIVE') return undefined;
  return { ...record, amr: [...record.amr] };
}

/** When a session used now stops: the sign-on rule's idle timeout, never past its lifetime cap. */
function idleExpiry(ctx: RequestCtx, session: OktaSession): string {
  const idle = Number(signOnActions(ctx.state, ctx.state.users[session.userId]).session?.maxSessionIdleMinutes ?? 120);
  const expiry = later(ctx, idle * 60_000);
  return session.endsAt && Date.parse(session.endsAt) < Date.parse(expiry) ? session.endsAt : expiry;
}

/**
 * Opens a session from a spent session token; its timeouts come from the sign-on rule that governs the user.
 *
 * @example
 * const session = openSession(ctx, redeemSessionToken(ctx, token)!);
 */
export function openSession(ctx: Ctx, record: SessionTokenRecord): OktaSession {
  const user = ctx.state.users[record.userId];
  const lifetime = Number(signOnActions(ctx.state, user).session?.maxSessionLifetimeMinutes ?? 0);
  const session: OktaSession = {
    id: '102' + secretToken(ctx, 22),
    userId: user.id,
    login: String(user.profile.login),
    status: 'ACTIVE',
    createdAt: nowIso(ctx),
    expiresAt: '',
    lastPasswordVerification: record.passwordVerifiedAt,
    lastFactorVerification: record.factorVerifiedAt,
    amr: record.amr,
    ...(lifetime > 0 ? { endsAt: later(ctx, lifetime * 60_000) } : {}),
  };
  session.expiresAt = idleExpiry(ctx, session);
  sessionStore(ctx.state)[session.id] = session;
  return session;
}

/**
 * A session by id that has not expired and whose user is still ACTIVE, or undefined.
 *
 * @example
 * const session = liveSession(ctx, ctx.params.sessionId);
 */
export function liveSession(ctx: RequestCtx, id: string | undefined): OktaSession | undefined {
  if (id === undefined) return undefined;
  const sessions = ctx.state.sessions ?? {};
  const session = Object.hasOwn(sessions, id) ? sessions[id] : undefined;
  if (!session || past(ctx, session.expiresAt) || ctx.state.users[session.userId]?.status !== 'ACTIVE') return undefined;
  return session;
}

/**
 * Extends a session by the idle timeout, up to its lifetime cap.
 *
 * @example
 * refreshSession(ctx, session);
 */
export function refreshSession(ctx: RequestCtx, session: OktaSession): void {
  session.expiresAt = idleExpiry(ctx, session);
}

/**
 * Ends a session and writes Okta's user.session.end event.
 *
 * @example
 * closeSession(ctx, session);
 */
export function closeSession(ctx: Ctx, session: OktaSession): void {
  delete sessionStore(ctx.state)[session.id];
  const user = ctx.state.users[session.userId];
  if (user) logEvent(ctx, { eventType: 'user.session.end', displayMessage: 'User logout from Okta', actor: userTarget(user), legacyEventType: 'core.user_auth.logout_success', authenticationContext: { externalSessionId: session.id } });
}

/**
 * Ends every session of a user (a revokeUserSessions, a deactivation).
 *
 * @example
 * closeSessionsOf(ctx, user.id);
 */
export function closeSessionsOf(ctx: Ctx, userId: string): void {
  for (const session of Object.values(ctx.state.sessions ?? {})) if (session.userId === userId) closeSession(ctx, session);
}

/**
 * The session a browser's `sid` cookie names, if it is live.
 *
 * @example
 * const session = cookieSession(ctx);
 */
export function cookieSession(ctx: RequestCtx): OktaSession | undefined {
  const sid = /(?:^|;\s*)sid=([^;]+)/.exec(ctx.headers.cookie ?? '')?.[1];
  return liveSession(ctx, sid);
}

/**
 * The cookie Okta sets for a session it opens in the browser.
 *
 * @example
 * headers['set-cookie'] = sessionCookie(session);
 */
export function sessionCookie(session: OktaSession): string {
  return `sid=${session.id}; Path=/; Secure; HttpOnly; SameSite=None`;
}

/**
 * A session as Okta returns it, with its links.
 *
 * @example
 * return ok(sessionJson(ctx, session));
 */
export function sessionJson(ctx: RequestCtx, session: OktaSession, selfPath = `/api/v1/sessions/${session.id}`): Record<string, unknown> {
  const self = `${ctx.baseUrl}${selfPath}`;
  const user = ctx.state.users[session.userId];
  const name = [user?.profile.firstName, user?.profile.lastName].filter(Boolean).join(' ');
  return {
    id: session.id,
    userId: session.userId,
    login: session.login,
    createdAt: session.createdAt,
    expiresAt: session.expiresAt,
    status: session.status,
    lastPasswordVerification: session.lastPasswordVerification,
    lastFactorVerification: session.lastFactorVerification,
    amr: [...session.amr],
    idp: { id: ctx.state.org.id, type: 'OKTA' },
    mfaActive: session.lastFactorVerification !== null,
    _links: {
      self: { href: self, hints: { allow: ['GET', 'DELETE'] } },
      refresh: { href: `${self}/lifecycle/refresh`, hints: { allow: ['POST'] } },
      user: { name, href: `${ctx.baseUrl}/api/v1/users/${session.userId}`, hints: { allow: ['GET'] } },
    },
  };
}

/**
 * Who a browser at `/authorize` is: the user of the live session its `sid` cookie names, or else the user of a
 * session token it brings (`sessionToken=`, from `/api/v1/authn`), which opens a session and sets its cookie. An
 * existing session wins over a session token, as in Okta Classic (Okta developer forum, "Session Token and Session
 * Cookie").
 *
 * @example
 * const browser = browserSignIn(ctx, params.sessionToken);
 */
export function browserSignIn(ctx: Ctx, sessionToken: string | undefined): { user: OktaUser; cookie?: string } | undefined {
  const existing = cookieSession(ctx);
  if (existing) return { user: ctx.state.users[existing.userId] };
  const record = sessionToken === undefined ? undefined : redeemSessionToken(ctx, sessionToken);
  if (!record) return undefined;
  const session = openSession(ctx, record);
  return { user: ctx.state.users[session.userId], cookie: sessionCookie(session) };
}
