import { authenticateClient, createRecord, type ClientAuthFailure, type ClientAuthMethod, type RegisteredClient } from '../../../src/index.js';
import { OAuthError } from '../errors.js';
import type { OktaApp, OktaState, RequestCtx } from '../types.js';
import type { AuthorizationServer } from './oauth-servers.js';

/** A client that proved who it is on this request. */
export interface OAuthClient {
  app: OktaApp;
  clientId: string;
  /** How it authenticated: `none` for a public client naming itself. */
  method: ClientAuthMethod;
}

/** Okta's words for a client_id it does not know (or that is not active). */
export const INVALID_CLIENT_ID = 'Invalid value for the `client_id` parameter';
const AUTHENTICATION_FAILED = 'Client authentication failed. Either the client or the client credentials are invalid.';

/** RFC 6749's 401 invalid_client, with Okta's description. */
export function invalidClient(description: string): OAuthError {
  return new OAuthError(401, 'invalid_client', description);
}

/** The OPENID_CONNECT app whose `credentials.oauthClient.client_id` is this, active or not. */
export function findClientApp(state: OktaState, clientId: string | undefined): OktaApp | undefined {
  if (!clientId) return undefined;
  return Object.values(state.apps).find((app) => app.signOnMode === 'OPENID_CONNECT' && app.credentials?.oauthClient?.client_id === clientId);
}

/** Okta's defaults when an app leaves these settings out: client_secret_basic and the authorization code grant. */
export function configuredMethod(app: OktaApp): ClientAuthMethod {
  return app.credentials?.oauthClient?.token_endpoint_auth_method ?? 'client_secret_basic';
}

/** The grant types the app may use. */
export function grantTypes(app: OktaApp): string[] {
  return app.settings?.oauthClient?.grant_types ?? ['authorization_code'];
}

/**
 * A redirect URI must be registered exactly; with `wildcard_redirect: SUBDOMAIN` a `*` in the leftmost label of a
 * registered host stands for any one label there.
 */
export function isRegisteredRedirect(app: OktaApp, uri: string): boolean {
  const registered: string[] = app.settings?.oauthClient?.redirect_uris ?? [];
  if (registered.includes(uri)) return true;
  if (app.settings?.oauthClient?.wildcard_redirect !== 'SUBDOMAIN') return false;
  return registered.some((pattern) => {
    const star = pattern.indexOf('*');
    if (star < 0) return false;
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`^${escape(pattern.slice(0, star))}[A-Za-z0-9-]+${escape(pattern.slice(star + 1))}$`).test(uri);
  });
}

/** Where a logout may send the browser back to. */
export function postLogoutRedirectUris(app: OktaApp): string[] {
  return app.settings?.oauthClient?.post_logout_redirect_uris ?? [];
}

/** PKCE is mandatory for public clients and for apps that ask for it (`pkce_required`). */
export function pkceRequired(app: OktaApp): boolean {
  return configuredMethod(app) === 'none' || app.credentials?.oauthClient?.pkce_required === true;
}

/** An active client named by a request that does not authenticate it (/authorize, /logout). */
export function activeClientApp(state: OktaState, clientId: string | undefined): OktaApp | undefined {
  const app = findClientApp(state, clientId);
  return app && app.status === 'ACTIVE' ? app : undefined;
}

/** An OIDC app in the terms client authentication needs: only the keys in use sign assertions. */
function registered(app: OktaApp | undefined): RegisteredClient<OktaApp> | undefined {
  if (!app) return undefined;
  return {
    client: app,
    active: app.status === 'ACTIVE',
    method: configuredMethod(app),
    secret: app.credentials?.oauthClient?.client_secret,
    jwks: (app.settings?.oauthClient?.jwks?.keys ?? []).filter((k: Record<string, unknown>) => k.status !== 'INACTIVE'),
  };
}

/** Okta's answer to each way client authentication fails: 401 invalid_client, except for a malformed request. */
function refusal(failure: ClientAuthFailure): OAuthError {
  switch (failure.kind) {
    case 'multiple_credentials':
      return new OAuthError(400, 'invalid_request', "Can't supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a `client_assertion` in the post body.");
    case 'invalid_assertion_type':
      return new OAuthError(400, 'invalid_request', 'The `client_assertion_type` is invalid.');
    case 'no_credentials':
      return invalidClient('No client credentials found.');
    case 'unknown_client':
      // A client that sends a secret learns no more than that authentication failed.
      return invalidClient(failure.presented === 'basic' || failure.presented === 'post' ? AUTHENTICATION_FAILED : INVALID_CLIENT_ID);
    case 'invalid_secret':
      return invalidClient('The client secret supplied for a confidential client is invalid.');
    case 'malformed_assertion':
      return invalidClient('The client_assertion token is malformed.');
    case 'assertion_subject':
      return invalidClient("The client_assertion token's 'iss' and 'sub' claims must both be the client_id.");
    case 'assertion_without_exp':
      return invalidClient("The client_assertion token must have an 'exp' claim.");
    case 'assertion_too_long':
      return invalidClient('The client_assertion token must expire within one hour of being issued.');
    case 'assertion_signature':
      return invalidClient('The client_assertion signature is invalid.');
    case 'assertion_audience':
      return invalidClient(`The audience [aud] claim of the client_assertion must be '${failure.audience}'.`);
    case 'assertion_replayed':
      return invalidClient('The client_assertion token has already been used.');
    case 'malformed_basic':
    case 'client_id_mismatch':
    case 'wrong_method':
      return invalidClient(AUTHENTICATION_FAILED);
  }
}

/**
 * Authenticates the client of a /token, /introspect or /revoke request (the kit's client authentication with
 * Okta's clients and words). A public client may name itself in the query string of /introspect and /revoke;
 * an assertion's audience is the endpoint's URL on the addressed server.
 */
export async function authenticateOAuthClient(ctx: RequestCtx, server: AuthorizationServer, endpoint: 'token' | 'introspect' | 'revoke'): Promise<OAuthClient> {
  const request = { authorization: ctx.headers.authorization, form: (ctx.body ?? {}) as Record<string, string | undefined> };
  const { client, clientId, method } = await authenticateClient(request, {
    findClient: (clientId) => registered(findClientApp(ctx.state, clientId)),
    audience: `${server.endpoints}/${endpoint}`,
    usedAssertions: () => (ctx.state.oauth.usedClientAssertions ??= createRecord()),
    queryClientId: endpoint === 'token' ? undefined : (ctx.query.client_id as string | undefined),
    refuse: refusal,
  });
  return { app: client, clientId, method };
}
