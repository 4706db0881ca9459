import type { Handler, HandlerResult, OperationContext, OperationInfo, RequestContext } from '../../src/index.js';
import type { OktaAuth } from './auth.js';
import { clientRoleHandlers, clientRolesAllow } from './client-roles.js';
import { OAuthError, OktaError } from './errors.js';
import { authorizeEndpoint } from './oauth-authorize.js';
import { userClaims } from './oauth-claims.js';
import { activeClientApp, authenticateClient, findClientApp, postLogoutRedirectUris } from './oauth-clients.js';
import { tokenEndpoint } from './oauth-grants.js';
import { discoveryDocument, orgServer, resolveServer, type AuthorizationServer } from './oauth-servers.js';
import { isLive, opaqueToken, publicJwks, tokenRecord, verifyOwnJwt, verifyOwnSignature, type TokenRecord } from './oauth-tokens.js';
import type { OktaState } from './state.js';

type Ctx = OperationContext<OktaState, OktaAuth>;

/** A live access token of this server: its signature, issuer, audience and record all check out. */
async function liveAccessToken(ctx: RequestContext<OktaState>, server: AuthorizationServer, token: string): Promise<{ claims: Record<string, any>; record: TokenRecord } | null> {
  const claims = await verifyOwnJwt(ctx, token);
  if (!claims || claims.iss !== server.issuer || claims.aud !== server.audience || typeof claims.jti !== 'string') return null;
  const record = tokenRecord(ctx, claims.jti);
  if (!isLive(ctx, record) || record.type !== 'access_token' || record.server !== server.key) return null;
  return { claims, record };
}

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
      errorId: `oae${opaqueToken(ctx, 22)}`,
      errorCauses: [],
    },
  };
}

function discovery(kind: 'openid' | 'oauth'): Handler<OktaState, OktaAuth> {
  return (ctx) => {
    const server = resolveServer(ctx);
    return checkDiscoveryClient(ctx) ?? { status: 200, body: discoveryDocument(ctx, server, kind) };
  };
}

const keys: Handler<OktaState, OktaAuth> = (ctx) => {
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
  const client = await authenticateClient(ctx, server, 'introspect');
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
    return {
      status: 200,
      body: {
        active: true,
        scope: live.record.scopes.join(' '),
        ...(user ? { username: user.profile.login } : {}),
        exp: live.claims.exp,
        iat: live.claims.iat,
        sub: live.claims.sub,
        aud: live.claims.aud,
        iss: live.claims.iss,
        jti: live.claims.jti,
        token_type: 'Bearer',
        client_id: live.record.clientId,
        ...(user ? { uid: user.id } : {}),
      },
    };
  }
  const record = tokenRecord(ctx, token);
  if (!isLive(ctx, record) || record.type !== 'refresh_token' || record.server !== server.key || record.clientId !== client.clientId) return inactive;
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
  const client = await authenticateClient(ctx, server, 'revoke');
  const token = requireToken(ctx);
  let key: string | undefined = token;
  if (token.split('.').length === 3) {
    const claims = await verifyOwnSignature(ctx, token);
    key = typeof claims?.jti === 'string' && claims.iss === server.issuer ? claims.jti : undefined;
  }
  const record = tokenRecord(ctx, key);
  if (record && record.server === server.key && record.clientId === client.clientId) {
    record.revoked = true;
    if (record.type === 'refresh_token') {
      for (const other of Object.values(ctx.state.oauth.tokens) as TokenRecord[]) if (other.refreshToken === token) other.revoked = true;
    }
  }
  return { status: 200 };
}

function bearerChallenge(server: AuthorizationServer, error: string, description: string): string {
  return `Bearer authorization_uri="${server.endpoints}/authorize", realm="${server.issuer}", scope="openid", error="${error}", error_description="${description}"`;
}

/** GET /userinfo: the user's claims for the token's scopes. Failures carry no body, only a WWW-Authenticate challenge. */
async function userinfoEndpoint(ctx: Ctx): Promise<HandlerResult> {
  const server = resolveServer(ctx);
  const match = ctx.headers.authorization?.match(/^\s*bearer\s+(\S+)\s*$/i);
  if (!match) return { status: 401, headers: { 'www-authenticate': bearerChallenge(server, 'invalid_request', 'The access token is missing.') } };
  const live = await liveAccessToken(ctx, server, match[1]);
  const invalid: HandlerResult = { status: 401, headers: { 'www-authenticate': bearerChallenge(server, 'invalid_token', 'The access token is invalid.') } };
  if (!live) return invalid;
  if (!live.record.scopes.includes('openid')) {
    return {
      status: 403,
      headers: { 'www-authenticate': bearerChallenge(server, 'insufficient_scope', 'The access token must provide access to at least one of these scopes - profile, email, address or phone') },
    };
  }
  const user = live.record.userId ? ctx.state.users[live.record.userId] : undefined;
  if (!user || user.status !== 'ACTIVE') return invalid;
  return { status: 200, body: userClaims(ctx, user, live.record.scopes, server) };
}

/**
 * GET and POST /logout: the twin keeps no browser session, so signing out only checks the request and sends the
 * browser on. id_token_hint must be an ID token of this server (expired is fine); the redirect must be registered.
 */
async function logoutEndpoint(ctx: Ctx, params: Record<string, unknown>): Promise<HandlerResult> {
  const server = resolveServer(ctx);
  const hint = typeof params.id_token_hint === 'string' ? params.id_token_hint : undefined;
  const claims = hint ? await verifyOwnSignature(ctx, hint) : null;
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

const authorizeGet: Handler<OktaState, OktaAuth> = (ctx) => authorizeEndpoint(ctx, ctx.query);
const authorizePost: Handler<OktaState, OktaAuth> = (ctx) => authorizeEndpoint(ctx, ctx.body ?? {});
const logoutGet: Handler<OktaState, OktaAuth> = (ctx) => logoutEndpoint(ctx, ctx.query);
const logoutPost: Handler<OktaState, OktaAuth> = (ctx) => logoutEndpoint(ctx, ctx.body ?? {});

/** The org authorization server (`/oauth2/v1`) and the custom ones (`/oauth2/{authorizationServerId}/v1`) share handlers. */
export const oauthHandlers: Record<string, Handler<OktaState, OktaAuth>> = {
  getWellKnownOpenIDConfiguration: discovery('openid'),
  getWellKnownOpenIDConfigurationCustomAS: discovery('openid'),
  getWellKnownOAuthConfigurationCustomAS: discovery('oauth'),
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
  ...clientRoleHandlers,
};

/**
 * The Okta API scopes that let a token call this operation: those its OpenAPI security names, each `.read` also
 * met by its `.manage`, and for /users/me the `.self` scopes. Null when the document names none.
 */
function requiredScopes(ctx: RequestContext<OktaState> & { operation: OperationInfo }): string[] | null {
  const declared = ctx.operation.security.flatMap((requirement) => requirement.oauth2 ?? []);
  if (declared.length === 0) return null;
  const accepted = [...new Set(declared.flatMap((scope) => (scope.endsWith('.read') ? [scope, scope.replace(/\.read$/, '.manage')] : [scope])))];
  if (/^\/api\/v1\/users\/me(\/|$)/.test(ctx.url.pathname) && accepted.some((s) => s.startsWith('okta.users.'))) {
    const read = declared.every((s) => s.endsWith('.read'));
    accepted.push(...(read ? ['okta.users.read.self', 'okta.users.manage.self'] : ['okta.users.manage.self']));
  }
  return accepted;
}

/**
 * Authorizes a Management API call made with `Authorization: Bearer {access_token}`: only a live access token of
 * the org authorization server counts (custom servers' tokens are for your own APIs). A token without the Okta
 * API scope the operation needs is refused with 403 E0000006 and an insufficient_scope challenge; a service
 * client's token also needs an admin role assigned to the client that covers the operation (403 E0000006).
 * A user's token acts as the user; the twin keeps no admin roles for users, so its scopes alone decide.
 */
export async function verifyManagementAccessToken(ctx: RequestContext<OktaState> & { operation: OperationInfo }, token: string): Promise<OktaAuth> {
  const server = orgServer(ctx);
  const live = await liveAccessToken(ctx, server, token);
  const user = live?.record.userId ? ctx.state.users[live.record.userId] : undefined;
  if (!live || (live.record.userId && (!user || user.status !== 'ACTIVE'))) throw new OktaError('E0000011');
  const scopes = live.record.scopes;
  const needed = requiredScopes(ctx);
  const allowed = needed ? scopes.some((s) => needed.includes(s)) : scopes.some((s) => s.startsWith('okta.'));
  if (!allowed) {
    const scope = needed?.[0] ?? 'okta.*';
    throw new OktaError('E0000006', {
      headers: {
        'www-authenticate': `Bearer authorization_uri="${server.endpoints}/authorize", realm="IdpError", scope="${scope}", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="${ctx.url.pathname}"`,
      },
    });
  }
  if (!live.record.userId && !clientRolesAllow(ctx.state, live.record.clientId, ctx.operation, needed ?? [])) throw new OktaError('E0000006');
  return { kind: 'accessToken', userId: live.record.userId, clientId: live.record.clientId, scopes };
}
