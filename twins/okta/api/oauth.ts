import { epochSeconds, findIssuedToken, findToken, isLiveToken, opaqueToken, revokeToken, verifyJwtSignature, type HandlerResult } from '../../../src/index.js';
import { OAuthError } from '../errors.js';
import { authorizeEndpoint } from '../model/oauth-authorize.js';
import { customClaims, RESERVED_CLAIMS } from '../model/authorization-servers.js';
import { userClaims } from '../model/oauth-claims.js';
import { activeClientApp, authenticateOAuthClient, findClientApp, postLogoutRedirectUris } from '../model/oauth-clients.js';
import { checkDpopProof, DPOP_ALGS } from '../model/dpop.js';
import { tokenEndpoint } from '../model/oauth-grants.js';
import { discoveryDocument, resolveServer, type AuthorizationServer } from '../model/oauth-servers.js';
import { liveAccessToken, publicJwks, verifyOwnJwt } from '../model/oauth-tokens.js';
import { appTarget, logEvent } from '../model/system-log.js';
import type { Ctx, OktaHandler, OktaHandlers } from '../types.js';

/** Okta's answer for a discovery request naming an unknown client: its error envelope with a non-E code. */
function checkDiscoveryClient(ctx: Ctx): HandlerResult | null {
  const clientId: string | undefined = ctx.query.client_id;
  if (clientId === undefined || findClientApp(ctx.state, clientId)) return null;
  return {
    status: 400,
    body: {
      errorCode: 'invalid_client',
      errorSummary: "Invalid value for 'client_id' parameter.",
      errorLink: 'invalid_client',
      errorId: `oae${opaqueToken(ctx.ids, 22)}`,
      errorCauses: [],
    },
  };
}

function discovery(kind: 'openid' | 'oauth'): OktaHandler {
  return (ctx) => {
    const server = resolveServer(ctx);
    return checkDiscoveryClient(ctx) ?? { status: 200, body: discoveryDocument(ctx, server, kind) };
  };
}

const keys: OktaHandler = (ctx) => {
  const server = resolveServer(ctx);
  // Okta lets clients cache its key sets; it rotates keys well ahead of use.
  return { status: 200, headers: { 'cache-control': 'max-age=3600, must-revalidate' }, body: publicJwks(ctx.state, server.key) };
};

function requireToken(ctx: Ctx): string {
  const token: string | undefined = ctx.body?.token;
  if (!token) throw new OAuthError(400, 'invalid_request', 'The `token` parameter is required.');
  return token;
}

/**
 * POST /introspect: `{active:false}` for anything not live on this server. Any authenticated client may
 * introspect the server's access tokens; refresh tokens only by the client they were issued to.
 */
async function introspectEndpoint(ctx: Ctx): Promise<HandlerResult> {
  const server = resolveServer(ctx);
  const client = await authenticateOAuthClient(ctx, server, 'introspect');
  const token = requireToken(ctx);
  const inactive: HandlerResult = { status: 200, body: { active: false } };
  if (token.split('.').length === 3) {
    const claims = await verifyOwnJwt(ctx, token);
    if (!claims || claims.iss !== server.issuer || typeof claims.jti !== 'string') return inactive;
    if (claims.jti.startsWith('ID.')) {
      return {
        status: 200,
        body: { active: true, token_type: 'Bearer', client_id: claims.aud, exp: claims.exp, iat: claims.iat, sub: claims.sub, aud: claims.aud, iss: claims.iss, jti: claims.jti },
      };
    }
    const live = await liveAccessToken(ctx, server, token);
    if (!live) return inactive;
    const user = live.record.userId ? ctx.state.users[live.record.userId] : undefined;
    const body: Record<string, unknown> = {
      active: true,
      scope: live.record.scopes.join(' '),
      ...(user ? { username: user.profile.login } : {}),
      exp: live.claims.exp,
      iat: live.claims.iat,
      sub: live.claims.sub,
      aud: live.claims.aud,
      iss: live.claims.iss,
      jti: live.claims.jti,
      // RFC 9449 §6.2: introspection shows a bound token as DPoP, with its confirmation.
      token_type: live.claims.cnf ? 'DPoP' : 'Bearer',
      client_id: live.record.clientId,
      ...(user ? { uid: user.id } : {}),
      ...(live.claims.cnf ? { cnf: live.claims.cnf } : {}),
    };
    // Okta's /introspect reference: besides these members, the answer carries the claims in the token, so a custom
    // server's claims (and those a token hook added) come back too (IntrospectionResponse takes additional properties).
    for (const [name, value] of Object.entries(live.claims)) if (!RESERVED_CLAIMS.has(name) && !(name in body)) body[name] = value;
    return { status: 200, body };
  }
  const record = findToken(ctx.state.oauth.tokens, token);
  if (!isLiveToken(record, epochSeconds(ctx.clock)) || record.type !== 'refresh_token' || record.server !== server.key || record.clientId !== client.clientId) return inactive;
  const user = record.userId ? ctx.state.users[record.userId] : undefined;
  return {
    status: 200,
    body: {
      active: true,
      token_type: 'Bearer',
      scope: record.scopes.join(' '),
      client_id: record.clientId,
      ...(user ? { username: user.profile.login } : {}),
      exp: record.expiresAt,
      iat: record.issuedAt,
      sub: user ? user.profile.login : record.clientId,
      ...(user ? { uid: user.id } : {}),
    },
  };
}

/**
 * POST /revoke: always 200 with no body, so nothing leaks (Okta's revoke guide). Only the issuing client can
 * revoke a token; revoking a refresh token also revokes the access tokens issued with it.
 */
async function revokeEndpoint(ctx: Ctx): Promise<HandlerResult> {
  const server = resolveServer(ctx);
  const client = await authenticateOAuthClient(ctx, server, 'revoke');
  const token = requireToken(ctx);
  let key: string | undefined = token;
  if (token.split('.').length === 3) {
    const claims = await verifyJwtSignature(ctx, ctx.state.oauth.signingKeys, token);
    key = typeof claims?.jti === 'string' && claims.iss === server.issuer ? claims.jti : undefined;
  }
  const record = findIssuedToken(ctx.state.oauth.tokens, key, token);
  if (key !== undefined && record && record.server === server.key && record.clientId === client.clientId) {
    revokeToken(ctx.state.oauth.tokens, key);
    const family = server.custom ? 'app.oauth2.as.token.revoke' : 'app.oauth2.token.revoke';
    const actor = { id: client.clientId, type: 'PublicClientApp', alternateId: String(client.app.label), displayName: String(client.app.label) };
    logEvent(ctx, { eventType: family, displayMessage: 'OAuth2 token revocation request', actor, clientId: client.clientId, target: [{ id: key === token ? 'unknown' : key, type: record.type, alternateId: server.key, displayName: record.type }, appTarget(client.app)] });
  }
  return { status: 200 };
}

function bearerChallenge(server: AuthorizationServer, error: string, description: string): string {
  return `Bearer authorization_uri="${server.endpoints}/authorize", realm="${server.issuer}", scope="openid", error="${error}", error_description="${description}"`;
}

/** RFC 9449 §7.1: the challenge of a resource that takes DPoP-bound tokens. */
function dpopChallenge(error: string, description: string): string {
  return `DPoP algs="${DPOP_ALGS.join(' ')}", error="${error}", error_description="${description}"`;
}

/**
 * GET /userinfo: the user's claims for the token's scopes. Failures carry no body, only a WWW-Authenticate challenge.
 * A DPoP-bound token (`cnf.jkt`) is accepted only as `Authorization: DPoP` with a proof of its key for this request
 * and its `ath` (RFC 9449 §7); a Bearer token only as Bearer.
 */
async function userinfoEndpoint(ctx: Ctx): Promise<HandlerResult> {
  const server = resolveServer(ctx);
  const match = ctx.headers.authorization?.match(/^\s*(bearer|dpop)\s+(\S+)\s*$/i);
  if (!match) return { status: 401, headers: { 'www-authenticate': bearerChallenge(server, 'invalid_request', 'The access token is missing.') } };
  const dpop = match[1].toLowerCase() === 'dpop';
  const live = await liveAccessToken(ctx, server, match[2]);
  const invalid: HandlerResult = { status: 401, headers: { 'www-authenticate': bearerChallenge(server, 'invalid_token', 'The access token is invalid.') } };
  if (!live) return invalid;
  const jkt: unknown = live.claims.cnf?.jkt;
  if (dpop !== (typeof jkt === 'string')) {
    const description = dpop ? 'The access token is not DPoP-bound: send it as a Bearer token.' : 'The access token is DPoP-bound: send it with the DPoP scheme and a DPoP proof.';
    return { status: 401, headers: { 'www-authenticate': dpop ? bearerChallenge(server, 'invalid_token', description) : dpopChallenge('invalid_token', description) } };
  }
  if (dpop) {
    const proven = await checkDpopProof(ctx, server.key, { method: ctx.request.method, url: `${server.endpoints}/userinfo`, accessToken: match[2], requireNonce: false });
    if (proven !== jkt) throw new OAuthError(400, 'invalid_dpop_proof', 'The DPoP proof key does not match the key the access token is bound to.');
  }
  if (!live.record.scopes.includes('openid')) {
    return {
      status: 403,
      headers: { 'www-authenticate': bearerChallenge(server, 'insufficient_scope', 'The access token must provide access to at least one of these scopes - profile, email, address or phone') },
    };
  }
  const user = live.record.userId ? ctx.state.users[live.record.userId] : undefined;
  if (!user || user.status !== 'ACTIVE') return invalid;
  // A custom server's IDENTITY claims show here too, those kept out of the ID token included (Okta: the client reads them from /userinfo).
  return { status: 200, body: { ...customClaims(ctx.state, server.key, 'IDENTITY', user, live.record.scopes), ...userClaims(ctx, user, live.record.scopes, server) } };
}

/**
 * GET and POST /logout: the twin keeps no browser session, so signing out only checks the request and sends the
 * browser on. id_token_hint must be an ID token of this server (expired is fine); the redirect must be registered.
 */
async function logoutEndpoint(ctx: Ctx, params: Record<string, unknown>): Promise<HandlerResult> {
  const server = resolveServer(ctx);
  const hint = typeof params.id_token_hint === 'string' ? params.id_token_hint : undefined;
  // An expired ID token is a fine hint: only its signature is checked.
  const claims = hint ? await verifyJwtSignature(ctx, ctx.state.oauth.signingKeys, hint) : null;
  const app = claims && claims.iss === server.issuer && typeof claims.aud === 'string' ? activeClientApp(ctx.state, claims.aud) : undefined;
  if (!claims || !app || typeof claims.jti !== 'string' || !claims.jti.startsWith('ID.')) {
    throw new OAuthError(400, 'invalid_request', "The 'id_token_hint' parameter is invalid.");
  }
  const redirect = typeof params.post_logout_redirect_uri === 'string' ? params.post_logout_redirect_uri : undefined;
  if (redirect === undefined) return { status: 200 };
  if (!postLogoutRedirectUris(app).includes(redirect)) {
    throw new OAuthError(400, 'invalid_request', "The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client app settings.");
  }
  const location = new URL(redirect);
  if (typeof params.state === 'string') location.searchParams.set('state', params.state);
  return { status: 302, headers: { location: location.toString() } };
}

const authorizeGet: OktaHandler = (ctx) => authorizeEndpoint(ctx, ctx.query);
const authorizePost: OktaHandler = (ctx) => authorizeEndpoint(ctx, ctx.body ?? {});
const logoutGet: OktaHandler = (ctx) => logoutEndpoint(ctx, ctx.query);
const logoutPost: OktaHandler = (ctx) => logoutEndpoint(ctx, ctx.body ?? {});

/**
 * The OAuth 2.0 and OpenID Connect endpoints (tags OrgAS and CustomAS): the org authorization server (`/oauth2/v1`)
 * and the custom ones (`/oauth2/{authorizationServerId}/v1`) share handlers.
 */
export const oauthHandlers = {
  getWellKnownOpenIDConfiguration: discovery('openid'),
  getWellKnownOpenIDConfigurationCustomAS: discovery('openid'),
  getWellKnownOAuthConfigurationCustomAS: discovery('oauth'),
  getWellKnownOAuthConfigurationRfc8414: discovery('oauth'),
  oauthKeys: keys,
  oauthKeysCustomAS: keys,
  authorize: authorizeGet,
  authorizeCustomAS: authorizeGet,
  authorizeWithPost: authorizePost,
  authorizeCustomASWithPost: authorizePost,
  token: tokenEndpoint,
  tokenCustomAS: tokenEndpoint,
  introspect: introspectEndpoint,
  introspectCustomAS: introspectEndpoint,
  revoke: revokeEndpoint,
  revokeCustomAS: revokeEndpoint,
  userinfo: userinfoEndpoint,
  userinfoCustomAS: userinfoEndpoint,
  logout: logoutGet,
  logoutCustomAS: logoutGet,
  logoutWithPost: logoutPost,
  logoutCustomASWithPost: logoutPost,
} satisfies OktaHandlers;

