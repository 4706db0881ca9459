import type { OktaUser, RequestCtx } from '../types.js';
import type { AuthorizationServer } from './oauth-servers.js';

function present(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined && value !== null && value !== ''));
}

/**
 * The user's claims for the granted scopes, in the order Okta's /userinfo lists them: `sub` (the user id) always,
 * then profile, email, address and phone claims mapped from the Okta user profile, and on the org server the
 * names of the user's groups for `groups`. Okta fills zoneinfo and locale with the org defaults when unset.
 */
export function userClaims(ctx: RequestCtx, user: OktaUser, scopes: string[], server: AuthorizationServer): { sub: string } & Record<string, unknown> {
  const p = user.profile;
  const claims: Record<string, unknown> = { sub: user.id };
  if (scopes.includes('profile')) {
    const fullName = [p.firstName, p.lastName].filter(Boolean).join(' ');
    Object.assign(claims, present({
      name: fullName || undefined,
      nickname: p.nickName,
      given_name: p.firstName,
      middle_name: p.middleName,
      family_name: p.lastName,
      profile: p.profileUrl,
      zoneinfo: p.timezone ?? 'America/Los_Angeles',
      locale: p.locale ?? 'en_US',
      updated_at: Math.floor(Date.parse(user.lastUpdated) / 1000),
      preferred_username: p.login,
    }));
  }
  if (scopes.includes('email') && p.email) {
    claims.email = p.email;
    claims.email_verified = true;
  }
  if (scopes.includes('address')) {
    const address = present({
      street_address: p.streetAddress,
      locality: p.city,
      region: p.state,
      postal_code: p.zipCode,
      country: p.countryCode,
    });
    if (Object.keys(address).length) claims.address = address;
  }
  if (scopes.includes('phone') && (p.mobilePhone || p.primaryPhone)) claims.phone_number = p.mobilePhone || p.primaryPhone;
  if (!server.custom && scopes.includes('groups')) {
    claims.groups = Object.entries(ctx.state.groupMembers)
      .filter(([, members]) => members.includes(user.id))
      .map(([groupId]) => ctx.state.groups[groupId]?.profile.name)
      .filter((name): name is string => typeof name === 'string');
  }
  return claims as { sub: string } & Record<string, unknown>;
}
