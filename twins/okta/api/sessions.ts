import { invalidFields, notFound, OktaError } from '../errors.js';
import { ok } from '../model/http.js';
import { closeSession, cookieSession, liveSession, openSession, redeemSessionToken, refreshSession, sessionJson } from '../model/sessions.js';
import type { Ctx, OktaHandlers, OktaSession } from '../types.js';

function requireSession(ctx: Ctx): OktaSession {
  const session = liveSession(ctx, ctx.params.sessionId);
  if (!session) throw notFound(ctx.params.sessionId, 'Session');
  return session;
}

/** The browser's own session, named by its `sid` cookie: without one Okta answers 404 (Sessions API, "/sessions/me"). */
function requireCookieSession(ctx: Ctx): OktaSession {
  const session = cookieSession(ctx);
  if (!session) throw notFound('me', 'Session');
  return session;
}

/** Okta sessions (tag Session): opened from a session token, read, refreshed and closed. */
export const sessionHandlers = {
  createSession: (ctx) => {
    const token = ctx.body.sessionToken;
    if (typeof token !== 'string' || token === '') throw invalidFields([['sessionToken', 'The field cannot be left blank']]);
    const record = redeemSessionToken(ctx, token);
    // A spent, expired or unknown session token fails authentication: Okta's Sessions API reference, createSession,
    // "If an invalid sessionToken is provided, a 401 Unauthorized status code will be returned" (E0000004 is Okta's
    // 401 "Authentication failed"; the reference shows no body).
    if (!record) throw new OktaError('E0000004');
    return ok(sessionJson(ctx, openSession(ctx, record)));
  },

  getSession: (ctx) => ok(sessionJson(ctx, requireSession(ctx))),

  refreshSession: (ctx) => {
    const session = requireSession(ctx);
    refreshSession(ctx, session);
    return ok(sessionJson(ctx, session));
  },

  revokeSession: (ctx) => {
    closeSession(ctx, requireSession(ctx));
    return { status: 204 };
  },

  getCurrentSession: (ctx) => ok(sessionJson(ctx, requireCookieSession(ctx), '/api/v1/sessions/me')),

  refreshCurrentSession: (ctx) => {
    const session = requireCookieSession(ctx);
    refreshSession(ctx, session);
    return ok(sessionJson(ctx, session, '/api/v1/sessions/me'));
  },

  closeCurrentSession: (ctx) => {
    closeSession(ctx, requireCookieSession(ctx));
    return { status: 204 };
  },
} satisfies OktaHandlers;
