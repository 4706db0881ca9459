import { notFound, OktaError } from '../errors.js';
import { issueRecoveryToken } from '../model/authn.js';
import { factorsOf, removeFactor } from '../model/factors.js';
import { ok } from '../model/http.js';
import { nowIso } from '../model/ids.js';
import { activationToken, canSignInWithoutActivationToken, oneTimeToken, setStatus, temporaryPassword } from '../model/user-lifecycle.js';
import { logEvent, logUserLifecycle, userTarget } from '../model/system-log.js';
import { findUser, userJson } from '../model/users.js';
import type { Ctx, OktaHandlers, OktaUser, UserStatus } from '../types.js';

const EXPIRABLE: ReadonlySet<UserStatus> = new Set(['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY']);

function expirableUser(ctx: Ctx): OktaUser {
  const user = findUser(ctx, ctx.params.id);
  if (!EXPIRABLE.has(user.status) || user.credentials.password === undefined) throw new OktaError('E0000038');
  return user;
}

/** The user status machine (tag UserLifecycle): activation, suspension, unlock, password resets and factor resets. */
export const userLifecycleHandlers = {
  activateUser: (ctx) => {
    const user = findUser(ctx, ctx.params.id);
    if (user.status !== 'STAGED' && user.status !== 'DEPROVISIONED') throw new OktaError('E0000016');
    const status = canSignInWithoutActivationToken(user) ? 'ACTIVE' : 'PROVISIONED';
    setStatus(ctx, user, status);
    if (status === 'ACTIVE') user.activated = nowIso(ctx);
    logUserLifecycle(ctx, user, 'activate');
    return ok(ctx.query.sendEmail ? {} : activationToken(ctx));
  },

  reactivateUser: (ctx) => {
    const user = findUser(ctx, ctx.params.id);
    if (user.status !== 'PROVISIONED' && user.status !== 'RECOVERY') throw new OktaError('E0000038');
    setStatus(ctx, user, 'PROVISIONED');
    logUserLifecycle(ctx, user, 'reactivate');
    return ok(ctx.query.sendEmail ? {} : activationToken(ctx));
  },

  deactivateUser: (ctx) => {
    const user = findUser(ctx, ctx.params.id);
    // Okta answers a second deactivation as if the user were gone.
    if (user.status === 'DEPROVISIONED') throw notFound(ctx.params.id, 'User');
    setStatus(ctx, user, 'DEPROVISIONED');
    logUserLifecycle(ctx, user, 'deactivate');
    return ok({});
  },

  suspendUser: (ctx) => {
    const user = findUser(ctx, ctx.params.id);
    if (user.status !== 'ACTIVE') throw new OktaError('E0000001', { detail: 'suspendUser', causes: ['Cannot suspend a user that is not active'] });
    setStatus(ctx, user, 'SUSPENDED');
    logUserLifecycle(ctx, user, 'suspend');
    return ok({});
  },

  unsuspendUser: (ctx) => {
    const user = findUser(ctx, ctx.params.id);
    if (user.status !== 'SUSPENDED') throw new OktaError('E0000001', { detail: 'unsuspendUser', causes: ['Cannot unsuspend a user that is not suspended'] });
    setStatus(ctx, user, 'ACTIVE');
    logUserLifecycle(ctx, user, 'unsuspend');
    return ok({});
  },

  unlockUser: (ctx) => {
    const user = findUser(ctx, ctx.params.id);
    // An ACTIVE user may be blocked from unknown devices; unlocking it clears that and keeps it ACTIVE.
    if (user.status !== 'LOCKED_OUT' && user.status !== 'ACTIVE') throw new OktaError('E0000032', { causes: ['The user is not locked out.'] });
    setStatus(ctx, user, 'ACTIVE');
    // An admin's unlock is its own type in Okta's Event Types catalog (user.account.unlock_by_admin); a user's own
    // unlock (/api/v1/authn/recovery/unlock) is user.account.unlock. The display message is the twin's.
    logEvent(ctx, { eventType: 'user.account.unlock_by_admin', displayMessage: 'Unlock user account by admin', target: [userTarget(user)] });
    return ok({});
  },

  resetPassword: (ctx) => {
    const user = findUser(ctx, ctx.params.id);
    if (user.status === 'STAGED' || user.status === 'DEPROVISIONED' || user.status === 'SUSPENDED') throw new OktaError('E0000038');
    setStatus(ctx, user, 'RECOVERY');
    logEvent(ctx, { eventType: 'user.account.reset_password', displayMessage: 'Reset password for user', target: [userTarget(user)] });
    // The token in the link is a recovery token: POST /api/v1/authn/recovery/token takes it.
    return ok(ctx.query.sendEmail ? {} : { resetPasswordUrl: `${ctx.baseUrl}/signin/reset-password/${issueRecoveryToken(ctx, user, 'PASSWORD', oneTimeToken(ctx))}` });
  },

  expirePassword: (ctx) => {
    const user = expirableUser(ctx);
    setStatus(ctx, user, 'PASSWORD_EXPIRED');
    logEvent(ctx, { eventType: 'user.account.expire_password', displayMessage: 'Expire password for user', target: [userTarget(user)] });
    return ok(userJson(ctx, user, 'full'));
  },

  expirePasswordWithTempPassword: (ctx) => {
    const user = expirableUser(ctx);
    const tempPassword = temporaryPassword(ctx);
    user.password = tempPassword;
    user.passwordChanged = nowIso(ctx);
    setStatus(ctx, user, 'PASSWORD_EXPIRED');
    logEvent(ctx, { eventType: 'user.account.expire_password', displayMessage: 'Expire password for user', target: [userTarget(user)] });
    return ok({ tempPassword });
  },

  /** Unenrolls every factor; the user's status does not change (Okta's resetFactors). */
  resetFactors: (ctx) => {
    const user = findUser(ctx, ctx.params.id);
    // "You can't unenroll a factor from a deactivated user" (Okta's unenrollFactor).
    if (user.status === 'DEPROVISIONED') throw new OktaError('E0000038');
    for (const factor of factorsOf(ctx.state, user.id)) removeFactor(ctx.state, factor.id);
    logEvent(ctx, { eventType: 'user.mfa.factor.reset_all', displayMessage: 'Reset all factors for user', target: [userTarget(user)] });
    return ok({});
  },
} satisfies OktaHandlers;
