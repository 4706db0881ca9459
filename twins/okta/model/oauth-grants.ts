import { epochSeconds, findToken, isLiveToken, verifyPkce, type HandlerResult } from '../../../src/index.js';
import { OAuthError } from '../errors.js';
import type { CodeRecord, Ctx } from '../types.js';
import { isAssigned } from './app-assignments.js';
import { ungrantedScopeError } from './app-grants.js';
import { clearFailures, countFailure } from './authn.js';
import { accessRuleLifetimes } from './authorization-servers.js';
import { bindRefreshToken, bindTokenRequest, boundKey, checkRefreshBinding } from './dpop.js';
import { nowIso } from './ids.js';
import { authenticateOAuthClient, grantTypes, invalidClient, type OAuthClient } from './oauth-clients.js';
import { CLAIM_SCOPES, isOktaApiScope, NEED_OPENID, parseScopes, USER_SCOPES, userScopeError } from './oauth-scopes.js';
import { resolveServer, type AuthorizationServer } from './oauth-servers.js';
import { issueAccessToken, issueIdToken, issueRefreshToken, type Grant } from './oauth-tokens.js';
import { logTokenGrant } from './system-log.js';
import { runTokenHook } from './token-hooks.js';
import { userByLogin } from './users.js';

const EMULATED_GRANTS = ['authorization_code', 'client_credentials', 'password', 'refresh_token'];

function invalidScope(description: string): OAuthError {
  return new OAuthError(400, 'invalid_scope', description);
}

function tokenResponse(body: Record<string, unknown>): HandlerResult {
  // RFC 6749 §5.1: token responses must not be cached.
  return { status: 200, headers: { 'cache-control': 'no-store', pragma: 'no-cache' }, body };
}

/**
 * The token response for a grant: an access token, a refresh token with offline_access, an ID token with openid. The
 * server's access policies decide first whether the grant may have tokens at all, and for how long.
 */
async function grantTokens(ctx: Ctx, ungoverned: Grant, refresh: { reuse?: string; allowed: boolean }, grantType: string): Promise<HandlerResult> {
  const jkt = boundKey(ctx);
  const grant: Grant = {
    ...ungoverned,
    ...(jkt ? { dpopJkt: jkt } : {}),
    lifetimes: ungoverned.lifetimes ?? accessRuleLifetimes(ctx.state, ungoverned.server.key, ungoverned.clientId, ungoverned.user, grantType, ungoverned.scopes),
  };
  const patch = await runTokenHook(ctx, grant, grantType);
  if (patch) grant.hookPatch = patch;
  const refreshToken = refresh.reuse ?? (refresh.allowed && grant.user && grant.scopes.includes('offline_access') ? issueRefreshToken(ctx, grant) : null);
  if (refreshToken) bindRefreshToken(ctx, grant.clientId, refreshToken);
  const accessToken = await issueAccessToken(ctx, grant, refreshToken);
  const idToken = grant.user && grant.scopes.includes('openid') ? await issueIdToken(ctx, { ...grant, user: grant.user }, { accessToken }) : undefined;
  const server = grant.server.custom ? grant.server.key : null;
  logTokenGrant(ctx, { serverId: server, clientId: grant.clientId, user: grant.user, grantType, scopes: grant.scopes, accessToken, idToken, refreshToken: refresh.reuse ? null : refreshToken });
  return tokenResponse({
    // RFC 9449 §5: a token bound to the proof's key is a DPoP token.
    token_type: jkt ? 'DPoP' : 'Bearer',
    expires_in: grant.hookPatch?.access.lifetime ?? grant.lifetimes!.accessToken,
    access_token: accessToken,
    scope: grant.scopes.join(' '),
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
    ...(idToken ? { id_token: idToken } : {}),
  });
}

function clientCanRefresh(client: OAuthClient): boolean {
  return grantTypes(client.app).includes('refresh_token');
}

/**
 * Client credentials: tokens for the client itself. The org server requires private_key_jwt and grants only
 * Okta API scopes (support.okta.com: "Client Credentials requests to the Org Authorization Server must use the
 * private_key_jwt token_endpoint_auth_method"); a custom server grants its own scopes, or its default ones.
 */
async function clientCredentials(ctx: Ctx, server: AuthorizationServer, client: OAuthClient): Promise<HandlerResult> {
  const form = ctx.body ?? {};
  if (!server.custom && client.method !== 'private_key_jwt') {
    throw invalidClient('Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.');
  }
  let scopes = parseScopes(form.scope);
  if (scopes.length === 0) {
    if (!server.custom) throw invalidScope('No scopes were requested.');
    if (server.defaultScopes.length === 0) throw invalidScope("The authorization server resource does not have any configured default scopes, 'scope' must be provided.");
    scopes = server.defaultScopes;
  }
  if (scopes.some((s) => USER_SCOPES.has(s))) throw invalidScope("Cannot request 'openid' scopes using client credentials.");
  if (!server.custom && scopes.some((s) => !isOktaApiScope(s))) throw invalidScope('Custom scopes are not allowed for this request.');
  const error = userScopeError(server, scopes) ?? ungrantedScopeError(ctx.state, server, client.app, scopes);
  if (error) throw invalidScope(error);
  return grantTokens(ctx, { server, clientId: client.clientId, user: null, scopes, authTime: null }, { allowed: false }, 'client_credentials');
}

async function authorizationCode(ctx: Ctx, server: AuthorizationServer, client: OAuthClient): Promise<HandlerResult> {
  const form = ctx.body ?? {};
  if (!form.code) throw new OAuthError(400, 'invalid_request', 'The `code` parameter is required.');
  const record: CodeRecord | undefined = ctx.state.oauth.codes[form.code];
  const invalidCode = new OAuthError(400, 'invalid_grant', 'The authorization code is invalid or has expired.');
  if (!record || record.server !== server.key) throw invalidCode;
  // A code is good for one attempt, successful or not.
  delete ctx.state.oauth.codes[form.code];
  if (record.expiresAt <= epochSeconds(ctx.clock)) throw invalidCode;
  if (record.clientId !== client.clientId) {
    throw new OAuthError(400, 'invalid_grant', 'The grant was issued to another client. Ensure that the `client_id` matches the one used at the authorize request.');
  }
  if (form.redirect_uri !== record.redirectUri) {
    throw new OAuthError(400, 'invalid_grant', "The 'redirect_uri' does not match the redirection URI used in the authorization request.");
  }
  // Okta takes only S256 challenges, so a stored challenge is always one.
  if ((record.codeChallenge !== null || form.code_verifier !== undefined) && !verifyPkce(form.code_verifier, record.codeChallenge, 'S256')) {
    throw new OAuthError(400, 'invalid_grant', 'PKCE verification failed.');
  }
  const user = ctx.state.users[record.userId];
  if (!user || user.status !== 'ACTIVE') throw invalidCode;
  const grant: Grant = { server, clientId: client.clientId, user, scopes: record.scopes, authTime: record.authTime, nonce: record.nonce ?? undefined };
  return grantTokens(ctx, grant, { allowed: clientCanRefresh(client) }, 'authorization_code');
}

/** Resource owner password: the user's own credentials, checked against the twin-only stored password. */
async function password(ctx: Ctx, server: AuthorizationServer, client: OAuthClient): Promise<HandlerResult> {
  const form = ctx.body ?? {};
  if (!form.username) throw new OAuthError(400, 'invalid_request', 'The `username` parameter is required.');
  if (form.password === undefined) throw new OAuthError(400, 'invalid_request', 'The `password` parameter is required.');
  let scopes = parseScopes(form.scope);
  if (scopes.length === 0) {
    if (!server.custom || server.defaultScopes.length === 0) throw invalidScope("The authorization server resource does not have any configured default scopes, 'scope' must be provided.");
    scopes = server.defaultScopes;
  }
  const error = userScopeError(server, scopes) ?? ungrantedScopeError(ctx.state, server, client.app, scopes);
  if (error) throw invalidScope(error);
  if (!scopes.includes('openid') && scopes.some((s) => CLAIM_SCOPES.includes(s))) {
    throw new OAuthError(403, 'access_denied', NEED_OPENID);
  }
  const user = userByLogin(ctx, form.username);
  if (!user || user.status !== 'ACTIVE' || user.password === null || user.password !== form.password) {
    // A wrong password counts toward the password policy's lockout, as at /api/v1/authn.
    if (user?.status === 'ACTIVE' && user.password !== null) countFailure(ctx, user);
    throw new OAuthError(400, 'invalid_grant', 'The credentials provided were invalid.');
  }
  clearFailures(ctx, user);
  if (!isAssigned(ctx.state, client.app, user.id)) throw new OAuthError(403, 'access_denied', 'User is not assigned to the client application.');
  const now = epochSeconds(ctx.clock);
  user.lastLogin = nowIso(ctx);
  return grantTokens(ctx, { server, clientId: client.clientId, user, scopes, authTime: now }, { allowed: clientCanRefresh(client) }, 'password');
}

/**
 * Refresh token: new tokens for the same or fewer scopes. A ROTATE client gets a new refresh token and the old
 * one keeps working for the app's leeway (30 s by default); a STATIC one keeps its token, whose idle expiry restarts.
 */
async function refreshToken(ctx: Ctx, server: AuthorizationServer, client: OAuthClient): Promise<HandlerResult> {
  const form = ctx.body ?? {};
  if (!form.refresh_token) throw new OAuthError(400, 'invalid_request', 'The `refresh_token` parameter is required.');
  const record = findToken(ctx.state.oauth.tokens, form.refresh_token);
  const invalid = new OAuthError(400, 'invalid_grant', 'The refresh token is invalid or expired.');
  if (!isLiveToken(record, epochSeconds(ctx.clock)) || record.type !== 'refresh_token' || record.server !== server.key || record.clientId !== client.clientId) throw invalid;
  const user = record.userId ? ctx.state.users[record.userId] : undefined;
  if (!user || user.status !== 'ACTIVE') throw invalid;
  checkRefreshBinding(ctx, form.refresh_token);
  const requested = parseScopes(form.scope);
  if (requested.some((s) => !record.scopes.includes(s))) throw invalidScope('The requested scope is invalid, unknown, or malformed.');
  const now = epochSeconds(ctx.clock);
  const scopes = requested.length ? requested : record.scopes;
  const lifetimes = accessRuleLifetimes(ctx.state, server.key, client.clientId, user, 'refresh_token', scopes);
  // The rule's refresh token lifetime counts from the first issue; a rotated token keeps the deadline.
  const deadline: number | undefined = ctx.state.oauth.refreshTokenDeadlines?.[form.refresh_token];
  const settings = client.app.settings?.oauthClient?.refresh_token ?? {};
  let current = form.refresh_token as string;
  if (settings.rotation_type === 'ROTATE') {
    current = issueRefreshToken(ctx, { server, clientId: client.clientId, user, scopes: record.scopes, authTime: record.authTime, lifetimes }, deadline);
    record.expiresAt = Math.min(record.expiresAt, now + (settings.leeway ?? 30));
  } else {
    record.expiresAt = Math.min(now + lifetimes.refreshTokenWindow, deadline ?? Infinity);
  }
  return grantTokens(ctx, { server, clientId: client.clientId, user, scopes, authTime: record.authTime, lifetimes }, { reuse: current, allowed: true }, 'refresh_token');
}

/** POST /oauth2/v1/token and /oauth2/{authorizationServerId}/v1/token. */
export async function tokenEndpoint(ctx: Ctx): Promise<HandlerResult> {
  const server = resolveServer(ctx);
  const grantType: string | undefined = ctx.body?.grant_type;
  if (!grantType) throw new OAuthError(400, 'invalid_request', 'The `grant_type` parameter is required.');
  // Grants Okta has but the twin does not emulate (device code, SAML and JWT bearer, token exchange, ...) are unsupported here.
  if (!EMULATED_GRANTS.includes(grantType)) throw new OAuthError(400, 'unsupported_grant_type', "The grant type in the request isn't supported.");
  const client = await authenticateOAuthClient(ctx, server, 'token');
  const allowed = grantTypes(client.app);
  if (!allowed.includes(grantType)) {
    throw new OAuthError(400, 'unauthorized_client', `The client is not authorized to use the provided grant type. Configured grant types: [${allowed.join(', ')}].`);
  }
  await bindTokenRequest(ctx, server.key, `${server.endpoints}/token`, client.app);
  switch (grantType) {
    case 'client_credentials':
      return clientCredentials(ctx, server, client);
    case 'authorization_code':
      return authorizationCode(ctx, server, client);
    case 'password':
      return password(ctx, server, client);
    default:
      return refreshToken(ctx, server, client);
  }
}
