import { createLocalJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import type { RequestContext } from '../../src/index.js';
import { OAuthError } from './errors.js';
import type { AuthorizationServer } from './oauth-servers.js';
import type { OktaApp, OktaState } from './state.js';
import { createRecord } from '../../src/index.js';

type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'client_secret_jwt' | 'private_key_jwt' | 'none';

/** A client that proved who it is on this request. */
export interface OAuthClient {
  app: OktaApp;
  clientId: string;
  /** How it authenticated: `none` for a public client naming itself. */
  method: ClientAuthMethod;
}

const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const INVALID_CLIENT_ID = 'Invalid value for the `client_id` parameter';
const AUTHENTICATION_FAILED = 'Client authentication failed. Either the client or the client credentials are invalid.';

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

function parseBasic(header: string | undefined): { clientId: string; secret: string } | undefined | null {
  const match = header?.match(/^\s*basic\s+(\S+)\s*$/i);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { clientId: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

function checkSecret(app: OktaApp | undefined, secret: string, encoded: boolean): OktaApp {
  if (!app || app.status !== 'ACTIVE') throw invalidClient(AUTHENTICATION_FAILED);
  const method = configuredMethod(app);
  if (method === 'none' || method === 'private_key_jwt') throw invalidClient(AUTHENTICATION_FAILED);
  const expected = app.credentials?.oauthClient?.client_secret;
  // RFC 6749 §2.3.1 form-encodes Basic credentials; many clients do not, so both spellings are accepted.
  const matches = expected !== undefined && (secret === expected || (encoded && formDecode(secret) === expected));
  if (!matches) throw invalidClient('The client secret supplied for a confidential client is invalid.');
  return app;
}

/**
 * Authenticates the client of a /token, /introspect or /revoke request: client_secret_basic (Authorization
 * header), client_secret_post (body), client_secret_jwt or private_key_jwt (`client_assertion`), or a public
 * client's bare client_id (body, or the query string as /introspect and /revoke also allow).
 * Okta accepts a secret in the header or the body whichever of the two the app is configured with.
 */
export async function authenticateClient(
  ctx: RequestContext<OktaState>,
  server: AuthorizationServer,
  endpoint: 'token' | 'introspect' | 'revoke',
): Promise<OAuthClient> {
  const form: Record<string, string | undefined> = ctx.body ?? {};
  const basic = parseBasic(ctx.headers.authorization);
  const supplied = [basic !== undefined, form.client_secret !== undefined, form.client_assertion !== undefined].filter(Boolean).length;
  if (supplied > 1) {
    throw new OAuthError(400, 'invalid_request', "Can't supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a `client_assertion` in the post body.");
  }
  if (basic === null) throw invalidClient(AUTHENTICATION_FAILED);
  if (basic) {
    const clientId = formDecode(basic.clientId);
    if (form.client_id !== undefined && form.client_id !== clientId) throw invalidClient(AUTHENTICATION_FAILED);
    return { app: checkSecret(findClientApp(ctx.state, clientId), basic.secret, true), clientId, method: 'client_secret_basic' };
  }
  if (form.client_secret !== undefined) {
    if (!form.client_id) throw invalidClient('No client credentials found.');
    return { app: checkSecret(findClientApp(ctx.state, form.client_id), form.client_secret, false), clientId: form.client_id, method: 'client_secret_post' };
  }
  if (form.client_assertion !== undefined || form.client_assertion_type !== undefined) {
    if (form.client_assertion_type !== JWT_BEARER_ASSERTION || !form.client_assertion) {
      throw new OAuthError(400, 'invalid_request', 'The `client_assertion_type` is invalid.');
    }
    return verifyClientAssertion(ctx, server, endpoint, form.client_assertion, form.client_id);
  }
  const clientId = form.client_id ?? (endpoint === 'token' ? undefined : (ctx.query.client_id as string | undefined));
  if (!clientId) throw invalidClient('No client credentials found.');
  const app = findClientApp(ctx.state, clientId);
  if (!app || app.status !== 'ACTIVE') throw invalidClient(INVALID_CLIENT_ID);
  if (configuredMethod(app) !== 'none') throw invalidClient(AUTHENTICATION_FAILED);
  return { app, clientId, method: 'none' };
}

const ASYMMETRIC_ALGS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];
const HMAC_ALGS = ['HS256', 'HS384', 'HS512'];

/**
 * A client assertion (RFC 7523) signed with one of the app's registered public keys (`settings.oauthClient.jwks`)
 * or, for client_secret_jwt, with its secret. `iss` and `sub` are the client id and `aud` the endpoint URL.
 * Its lifetime may not exceed an hour and a jti is accepted once. It is not compared with the twin clock:
 * SDKs sign assertions with the wall clock, while tests usually pin the twin clock to a fixed instant.
 */
async function verifyClientAssertion(
  ctx: RequestContext<OktaState>,
  server: AuthorizationServer,
  endpoint: string,
  assertion: string,
  formClientId: string | undefined,
): Promise<OAuthClient> {
  let claims: JWTPayload;
  try {
    claims = decodeJwt(assertion);
  } catch {
    throw invalidClient('The client_assertion token is malformed.');
  }
  const clientId = claims.sub;
  if (typeof clientId !== 'string' || claims.iss !== clientId) throw invalidClient("The client_assertion token's 'iss' and 'sub' claims must both be the client_id.");
  if (formClientId !== undefined && formClientId !== clientId) throw invalidClient(AUTHENTICATION_FAILED);
  const app = findClientApp(ctx.state, clientId);
  if (!app || app.status !== 'ACTIVE') throw invalidClient(INVALID_CLIENT_ID);
  const method = configuredMethod(app);
  if (method !== 'private_key_jwt' && method !== 'client_secret_jwt') throw invalidClient(AUTHENTICATION_FAILED);
  if (typeof claims.exp !== 'number') throw invalidClient("The client_assertion token must have an 'exp' claim.");
  if (typeof claims.iat === 'number' && claims.exp - claims.iat > 3600) throw invalidClient('The client_assertion token must expire within one hour of being issued.');
  const audience = `${server.endpoints}/${endpoint}`;
  // Checking the signature and claims "as of" the assertion's own issue time validates its lifetime without the clock.
  const asOf = new Date(((typeof claims.iat === 'number' ? claims.iat : claims.exp - 1)) * 1000);
  try {
    if (method === 'private_key_jwt') {
      const keys = (app.settings?.oauthClient?.jwks?.keys ?? []).filter((k: Record<string, unknown>) => k.status !== 'INACTIVE');
      await jwtVerify(assertion, createLocalJWKSet({ keys }), { algorithms: ASYMMETRIC_ALGS, currentDate: asOf });
    } else {
      const secret = new TextEncoder().encode(app.credentials?.oauthClient?.client_secret ?? '');
      await jwtVerify(assertion, secret, { algorithms: HMAC_ALGS, currentDate: asOf });
    }
  } catch {
    throw invalidClient('The client_assertion signature is invalid.');
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(audience)) throw invalidClient(`The audience [aud] claim of the client_assertion must be '${audience}'.`);
  if (typeof claims.jti === 'string') {
    const used: Record<string, number> = (ctx.state.oauth.usedClientAssertions ??= createRecord());
    const key = `${clientId}:${claims.jti}`;
    if (used[key] !== undefined) throw invalidClient('The client_assertion token has already been used.');
    used[key] = claims.exp;
  }
  return { app, clientId, method };
}
