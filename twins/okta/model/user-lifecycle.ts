import type { Ctx, OktaUser, UserStatus } from '../types.js';
import { nowIso } from './ids.js';

/** Providers whose users sign in elsewhere, so they need no password to be ACTIVE. */
export const PASSWORDLESS_PROVIDERS = new Set(['FEDERATION', 'SOCIAL']);

/** Activation makes a user ACTIVE at once only when it can sign in: a password, or a federated or social provider. */
export function canSignInWithoutActivationToken(user: OktaUser): boolean {
  return user.credentials.password !== undefined || PASSWORDLESS_PROVIDERS.has(user.credentials.provider?.type);
}

/**
 * Moves a user to a status; statusChanged moves only when the status does. `activated` is when the user became ACTIVE
 * (Okta's User.activated), so a user who never was (STAGED, or PROVISIONED awaiting activation) has none until then.
 */
export function setStatus(ctx: Ctx, user: OktaUser, status: UserStatus): void {
  const now = nowIso(ctx);
  if (user.status !== status) user.statusChanged = now;
  if (status === 'ACTIVE' && user.activated === null) user.activated = now;
  user.status = status;
  user.transitioningToStatus = null;
  user.lastUpdated = now;
}

/** A one-time token, as activation and password-reset links carry. */
export function oneTimeToken(ctx: Ctx): string {
  return ctx.ids.token(20);
}

/** What activating without sending an email returns: the link and the token in it. */
export function activationToken(ctx: Ctx): { activationUrl: string; activationToken: string } {
  const token = oneTimeToken(ctx);
  return { activationUrl: `${ctx.baseUrl}/tokens/${token}/verify`, activationToken: token };
}

/** A temporary password in Okta's style: two capitals, three digits, three small letters, none easily confused. */
export function temporaryPassword(ctx: Ctx): string {
  return ctx.ids.token(2, 'ABCDEFGHJKLMNPQRSTUVWXYZ') + ctx.ids.token(3, '23456789') + ctx.ids.token(3, 'abcdefghijkmnpqrstuvwxyz');
}
