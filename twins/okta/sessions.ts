import type { Handler } from '../../src/index.js';
import type { OktaAuth } from './auth.js';
import type { TokenRecord } from './oauth-tokens.js';
import type { OktaState } from './state.js';
import { findUser } from './users.js';

export const sessionHandlers: Record<string, Handler<OktaState, OktaAuth>> = {
  /**
   * The twin keeps no browser sessions or remembered devices, so only `oauthTokens=true` leaves a trace: every
   * access and refresh token issued to the user is revoked, as POST /v1/revoke would (Okta's revokeUserSessions).
   */
  revokeUserSessions: (ctx) => {
    const user = findUser(ctx, ctx.params.userId);
    if (ctx.query.oauthTokens) {
      for (const record of Object.values(ctx.state.oauth.tokens) as TokenRecord[]) {
        if (record.userId === user.id) record.revoked = true;
      }
    }
    return { status: 204 };
  },
};
