import { revokeTokensWhere } from '../../../src/index.js';
import { findUser } from '../model/users.js';
import type { OktaHandlers } from '../types.js';

/** A user's sessions (tag UserSessions). */
export const userSessionHandlers = {
  /**
   * The twin keeps no browser sessions or remembered devices, so only `oauthTokens=true` leaves a trace: every
   * access and refresh token issued to the user is revoked, as POST /v1/revoke would (Okta's revokeUserSessions).
   */
  revokeUserSessions: (ctx) => {
    const user = findUser(ctx, ctx.params.userId);
    if (ctx.query.oauthTokens) revokeTokensWhere(ctx.state.oauth.tokens, (record) => record.userId === user.id);
    return { status: 204 };
  },
} satisfies OktaHandlers;
