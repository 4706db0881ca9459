import type { OktaAuth } from '../types.js';

/**
 * Who made a change, as Okta's `createdBy` and `lastUpdatedBy` name it: the admin user behind an API token or a
 * user's access token, or a service client acting on its own.
 *
 * @example
 * origin.lastUpdatedBy = actorId(ctx.auth);
 */
export function actorId(auth: OktaAuth): string {
  if (auth.kind === 'none') return '';
  return auth.kind === 'accessToken' ? (auth.userId ?? auth.clientId) : auth.userId;
}
