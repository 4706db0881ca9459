import type { OktaApp, OktaState, ScopeConsentGrant } from '../types.js';
import { isOktaApiScope } from './oauth-scopes.js';
import type { AuthorizationServer } from './oauth-servers.js';

/** The app's grants collection: the Okta API scopes an admin granted it. */
export function grantsOf(state: OktaState, appId: string): ScopeConsentGrant[] {
  return state.oauth.appGrants?.[appId] ?? [];
}

/**
 * Why the org authorization server refuses these scopes to this client, or null: every Okta API scope requested
 * must be in the app's grants collection. Custom authorization servers never issue Okta API scopes.
 */
export function ungrantedScopeError(state: OktaState, server: AuthorizationServer, app: OktaApp, scopes: string[]): string | null {
  if (server.custom) return null;
  const granted = new Set(grantsOf(state, app.id).map((g) => g.scopeId));
  const missing = scopes.filter((s) => isOktaApiScope(s) && !granted.has(s));
  return missing.length ? `The following scopes are not allowed for this request: [${missing.join(', ')}].` : null;
}
