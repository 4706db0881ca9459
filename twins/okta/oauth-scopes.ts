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

export function isOktaApiScope(scope: string): boolean {
  return scope.startsWith('okta.');
}
