import type { AuthorizationServer } from './oauth-servers.js';

/** Scopes of the org authorization server that are not Okta API scopes, in the order its discovery document lists them. */
export const ORG_OIDC_SCOPES = ['openid', 'email', 'profile', 'address', 'phone', 'offline_access', 'groups'];

const RESOURCES_WITH_READ_AND_MANAGE = [
  'agentPools', 'apiTokens', 'appGrants', 'apps', 'apps.interclientTrust', 'authenticators', 'authorizationServers',
  'behaviors', 'botProtection', 'brands', 'captchas', 'clients', 'customTelephonyProvider', 'deviceAssurance',
  'deviceIntegrations', 'devicePostureChecks', 'devices', 'directories.groups', 'domains', 'dr', 'emailDomains',
  'emailServers', 'eventHooks', 'features', 'groups', 'identitySources', 'idps', 'inlineHooks', 'linkedObjects',
  'logStreams', 'myAccount', 'myAccount.email', 'myAccount.phone', 'myAccount.profile', 'networkZones',
  'oauthIntegrations', 'orgs', 'personal.adminSettings', 'policies', 'principalRateLimits', 'profileMappings',
  'pushProviders', 'rateLimits', 'realmAssignments', 'realms', 'roles', 'schemas', 'securityEventsProviders',
  'serviceAccounts', 'serviceAccounts.okta', 'sessions', 'templates', 'threatInsights', 'trustedOrigins', 'uischemas',
  'userRisk', 'userTypes', 'users',
];

/** The Okta API scopes (`okta.*`) that only the org authorization server grants, as listed in Okta's Management API reference. */
export const OKTA_API_SCOPES: ReadonlySet<string> = new Set([
  ...RESOURCES_WITH_READ_AND_MANAGE.flatMap((resource) => [`okta.${resource}.read`, `okta.${resource}.manage`]),
  'okta.clients.register',
  'okta.logs.read',
  'okta.users.read.self',
  'okta.users.manage.self',
  'okta.universalLogout.manage',
  'okta.workflows.invoke.manage',
]);

/** Whether a scope is an Okta API scope (`okta.*`), which only the org authorization server issues. */
export function isOktaApiScope(scope: string): boolean {
  return scope.startsWith('okta.');
}

/** The OpenID Connect scopes: never granted to a client without a user. */
export const USER_SCOPES = new Set([...ORG_OIDC_SCOPES, 'device_sso']);

/** Scopes that release user claims and so need `openid` alongside. */
export const CLAIM_SCOPES = ['profile', 'email', 'address', 'phone', 'groups'];

/** Okta's words for a request of user claims without `openid`. */
export const NEED_OPENID = 'Requests for ID tokens or access tokens with OpenID scopes require the `openid` scope.';

/** The scopes of a `scope` parameter (space-delimited, RFC 6749 §3.3), each once. */
export function parseScopes(scope: string | undefined): string[] {
  return [...new Set((scope ?? '').split(' ').filter(Boolean))];
}

/** Why a user flow may not have these scopes, or null. */
export function userScopeError(server: AuthorizationServer, scopes: string[]): string | null {
  if (scopes.every((s) => server.knows(s))) return null;
  return server.custom ? 'One or more scopes are not configured for the authorization server resource.' : 'The requested scope is invalid, unknown, or malformed.';
}
