import { copyJson } from '../../../src/index.js';
import { OktaError } from '../errors.js';
import { authenticatorJson, requireAuthenticator } from '../model/authenticators.js';
import { ok } from '../model/http.js';
import { nowIso } from '../model/ids.js';
import { logEvent } from '../model/system-log.js';
import type { Ctx, OktaAuthenticator, OktaHandlers } from '../types.js';

function setStatus(ctx: Ctx, authenticator: OktaAuthenticator, status: OktaAuthenticator['status']): Record<string, unknown> {
  if (authenticator.status !== status) {
    authenticator.status = status;
    authenticator.lastUpdated = nowIso(ctx);
    const verb = status === 'ACTIVE' ? 'activate' : 'deactivate';
    logEvent(ctx, {
      eventType: `security.authenticator.lifecycle.${verb}`,
      displayMessage: `${status === 'ACTIVE' ? 'Activate' : 'Deactivate'} Authenticator`,
      target: [{ id: authenticator.id, type: 'Authenticator', alternateId: authenticator.key, displayName: authenticator.name }],
    });
  }
  return copyJson(authenticatorJson(ctx, authenticator));
}

/**
 * The org's authenticators (tag Authenticator): which kinds of factor users may enroll. Deactivating one stops new
 * enrollments of its factors ("Factor not enabled.") and keeps them out of sign-in challenges.
 */
export const authenticatorHandlers = {
  listAuthenticators: (ctx) => ok(Object.values(ctx.state.authenticators ?? {}).map((a) => authenticatorJson(ctx, a))),

  getAuthenticator: (ctx) => ok(authenticatorJson(ctx, requireAuthenticator(ctx.state, ctx.params.authenticatorId))),

  activateAuthenticator: (ctx) => ok(setStatus(ctx, requireAuthenticator(ctx.state, ctx.params.authenticatorId), 'ACTIVE')),

  deactivateAuthenticator: (ctx) => {
    const authenticator = requireAuthenticator(ctx.state, ctx.params.authenticatorId);
    // Every user signs in with a password in the twin's org: the password authenticator cannot be turned off.
    if (authenticator.key === 'okta_password') {
      throw new OktaError('E0000001', { detail: 'authenticator', causes: ['The password authenticator cannot be deactivated.'] });
    }
    return ok(setStatus(ctx, authenticator, 'INACTIVE'));
  },
} satisfies OktaHandlers;
