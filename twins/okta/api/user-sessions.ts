import { revokeTokensWhere } from '../../../src/index.js';
import { closeSessionsOf } from '../model/sessions.js';
import { logEvent, userTarget } from '../model/system-log.js';
import { findUser } from '../model/users.js';
import type { OktaHandlers } from '../types.js';

/** A user's sessions (tag UserSessions). */
export const userSessionHandlers = {
  /**
   * Closes every Okta session of the user; with `oauthTokens=true` every access and refresh token issued to the user
   * is revoked too, as POST /v1/revoke would (Okta's revokeUserSessions).
   */
  revokeUserSessions: (ctx) => {
    const user = findUser(ctx, ctx.params.userId);
    closeSessionsOf(ctx, user.id);
    if (ctx.query.oauthTokens) revokeTokensWhere(ctx.state.oauth.tokens, (record) => record.userId === user.id);
    // Okta's user.session.clear (Event Types catalog); the display message is the twin's (the catalog shows none).
    logEvent(ctx, { eventType: 'user.session.clear', displayMessage: 'Clear user sessions', target: [userTarget(user)], debugData: { revokeOauthTokens: Boolean(ctx.query.oauthTokens) } });
    return { status: 204 };
  },
} satisfies OktaHandlers;
