import { epochSeconds, isPkceValue, secretToken, type HandlerResult } from '../../../src/index.js';
import { OAuthError } from '../errors.js';
import type { CodeRecord, Ctx } from '../types.js';
import { isAssigned } from './app-assignments.js';
import { ungrantedScopeError } from './app-grants.js';
import { matchAccessRule, NO_MATCHING_POLICY } from './authorization-servers.js';
import { nowIso } from './ids.js';
import { activeClientApp, configuredMethod, grantTypes, INVALID_CLIENT_ID, isRegisteredRedirect, pkceRequired } from './oauth-clients.js';
import { CLAIM_SCOPES, NEED_OPENID, parseScopes, userScopeError } from './oauth-scopes.js';
import { resolveServer } from './oauth-servers.js';
import { browserSignIn } from './sessions.js';
import { CODE_LIFETIME, issueAccessToken, issueIdToken, type Grant } from './oauth-tokens.js';
import { appTarget, logEvent, logTokenGrant, userTarget } from './system-log.js';
import { runTokenHook } from './token-hooks.js';
import { userByIdOrLogin } from './users.js';

type ResponseMode = 'query' | 'fragment' | 'form_post' | 'okta_post_message';

const RESPONSE_MODES: ResponseMode[] = ['query', 'fragment', 'form_post', 'okta_post_message'];

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Sends the authorization response (or error) back to the client the way `response_mode` asks. */
function deliver(redirectUri: string, mode: ResponseMode, params: Record<string, string>): HandlerResult {
  const encoded = new URLSearchParams(params).toString();
  if (mode === 'query') return { status: 302, headers: { location: `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${encoded}` } };
  if (mode === 'fragment') return { status: 302, headers: { location: `${redirectUri}#${encoded}` } };
  const html = mode === 'form_post'
    ? `<html><head><title>Submit This Form</title></head><body onload="javascript:document.forms[0].submit()"><form method="post" action="${escapeHtml(redirectUri)}">${Object.entries(params)
      .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}"/>`)
      .join('')}</form></body></html>`
    : `<html><head><title>Okta Post Message</title></head><body><script>window.parent.postMessage(${JSON.stringify(params).replace(/</g, '\\u003c')}, ${JSON.stringify(new URL(redirectUri).origin)});</script></body></html>`;
  return { status: 200, headers: { 'content-type': 'text/html;charset=utf-8' }, body: html };
}

/**
 * GET and POST /oauth2/v1/authorize and /oauth2/{authorizationServerId}/v1/authorize.
 *
 * The twin has no sign-in page. The browser is signed in by its Okta session (the `sid` cookie) or by a session
 * token from `/api/v1/authn` (`sessionToken=`, which opens a session and sets the cookie), as with Okta. Failing
 * those, the twin treats `login_hint` (the login or id of an ACTIVE user) as the browser's existing Okta session:
 * that user is signed in with a password (amr `pwd`) and the flow continues at once.
 * Without such a user the request fails with `login_required`, as Okta does for `prompt=none`.
 * An unknown client or an unregistered redirect_uri is answered directly (Okta shows an error page);
 * every other error goes back to the redirect_uri, like a successful response.
 */
export async function authorizeEndpoint(ctx: Ctx, params: Record<string, unknown>): Promise<HandlerResult> {
  const server = resolveServer(ctx);
  const str = (name: string): string | undefined => (params[name] === undefined || params[name] === null ? undefined : String(params[name]));
  const app = activeClientApp(ctx.state, str('client_id'));
  if (!app) throw new OAuthError(400, 'invalid_client', INVALID_CLIENT_ID);
  const redirectUri = str('redirect_uri');
  if (!redirectUri || !isRegisteredRedirect(app, redirectUri)) {
    throw new OAuthError(400, 'invalid_request', "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.");
  }

  const responseTypes = [...new Set((str('response_type') ?? '').split(' ').filter(Boolean))];
  const requestedMode = str('response_mode');
  const defaultMode: ResponseMode = responseTypes.length === 1 && responseTypes[0] === 'code' ? 'query' : 'fragment';
  const knownMode = requestedMode === undefined || (RESPONSE_MODES as string[]).includes(requestedMode);
  const mode = knownMode && requestedMode ? (requestedMode as ResponseMode) : defaultMode;
  const state = str('state');
  const fail = (error: string, description: string) =>
    deliver(redirectUri, mode, { error, error_description: description, ...(state !== undefined ? { state } : {}) });

  if (!knownMode) return fail('unsupported_response_mode', "The response mode isn't supported by the authorization server. Valid response modes: [`query`, `fragment`, `form_post`, `okta_post_message`].");
  if (responseTypes.length === 0) return fail('invalid_request', "The 'response_type' parameter is required.");
  if (responseTypes.some((t) => t !== 'code' && t !== 'token' && t !== 'id_token')) {
    return fail('unsupported_response_type', "The response type contained in the request isn't supported.");
  }
  if (mode === 'query' && responseTypes.some((t) => t !== 'code')) {
    return fail('invalid_request', "The 'query' response mode isn't allowed when the response type includes 'token' or 'id_token'.");
  }
  const neededGrants = [...(responseTypes.includes('code') ? ['authorization_code'] : []), ...(responseTypes.some((t) => t !== 'code') ? ['implicit'] : [])];
  const allowedGrants = grantTypes(app);
  if (neededGrants.some((g) => !allowedGrants.includes(g))) {
    return fail('unauthorized_client', `The client is not authorized to use the provided grant type. Configured grant types: [${allowedGrants.join(', ')}].`);
  }
  if (!state) return fail('invalid_request', "The authentication request has an invalid 'state' parameter.");

  const scopes = parseScopes(str('scope'));
  if (scopes.length === 0) return fail('invalid_scope', "The authentication request has an empty 'scope' parameter.");
  const scopeError = userScopeError(server, scopes) ?? ungrantedScopeError(ctx.state, server, app, scopes);
  if (scopeError) return fail('invalid_scope', scopeError);
  if (!scopes.includes('openid') && (responseTypes.includes('id_token') || scopes.some((s) => CLAIM_SCOPES.includes(s)))) return fail('access_denied', NEED_OPENID);
  const nonce = str('nonce');
  if (responseTypes.includes('id_token') && !nonce) return fail('invalid_request', "The 'nonce' parameter is required for implicit and hybrid flows.");

  const challenge = str('code_challenge');
  const challengeMethod = str('code_challenge_method');
  // Okta supports only the S256 PKCE method, and a challenge must say so.
  if ((challenge !== undefined || challengeMethod !== undefined) && challengeMethod !== 'S256') {
    return fail('invalid_request', "The 'code_challenge_method' parameter must be 'S256'.");
  }
  if (challengeMethod !== undefined && (!challenge || !isPkceValue(challenge))) {
    return fail('invalid_request', "The 'code_challenge' parameter is invalid.");
  }
  if (!challenge && responseTypes.includes('code') && pkceRequired(app)) {
    return fail('invalid_request', configuredMethod(app) === 'none'
      ? "PKCE code challenge is required when the token endpoint authentication method is 'NONE'."
      : 'PKCE code challenge is required by the client app settings.');
  }

  const loginHint = str('login_hint');
  const browser = browserSignIn(ctx, str('sessionToken'));
  const user = browser?.user ?? (loginHint ? userByIdOrLogin(ctx, loginHint) : undefined);
  if (!user || user.status !== 'ACTIVE') {
    return fail('login_required', str('prompt') === 'none'
      ? 'The client specified not to prompt, but the user is not logged in.'
      : 'The user is not logged in (the twin signs in the ACTIVE user named by login_hint).');
  }
  if (!isAssigned(ctx.state, app, user.id)) return fail('access_denied', 'User is not assigned to the client application.');
  const clientId = app.credentials.oauthClient.client_id as string;
  // A hybrid flow needs an access rule for each of its grants; the implicit one sets the lifetime of the tokens sent now.
  const rules = neededGrants.map((grantType) => matchAccessRule(ctx.state, server.key, clientId, user, grantType, scopes));
  const lifetimes = rules[rules.length - 1];
  if (!lifetimes || rules.includes(null)) return fail('access_denied', NO_MATCHING_POLICY);

  const authTime = epochSeconds(ctx.clock);
  user.lastLogin = nowIso(ctx);
  // A login_hint sign-in stands for a password sign-in at Okta's page; a session token or a session cookie comes from
  // a sign-in the Authentication API already logged.
  if (!browser) logEvent(ctx, { eventType: 'user.session.start', displayMessage: 'User login to Okta', actor: userTarget(user), clientId, legacyEventType: 'core.user_auth.login_success', authenticationContext: { credentialType: 'PASSWORD' } });
  const grant: Grant & { user: typeof user } = { server, clientId, user, scopes, authTime, nonce, lifetimes };
  // Tokens sent from here (implicit and hybrid flows) go through the rule's token inline hook first.
  if (responseTypes.some((t) => t !== 'code')) {
    try {
      const patch = await runTokenHook(ctx, grant, 'implicit');
      if (patch) grant.hookPatch = patch;
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      return fail(error.error, error.message);
    }
  }
  const response: Record<string, string> = {};
  if (responseTypes.includes('code')) {
    const code = secretToken(ctx);
    ctx.state.oauth.codes[code] = {
      server: server.key,
      clientId,
      userId: user.id,
      redirectUri,
      scopes,
      nonce: nonce ?? null,
      codeChallenge: challenge ?? null,
      authTime,
      expiresAt: authTime + CODE_LIFETIME,
    } satisfies CodeRecord;
    response.code = code;
    const codeTarget = { id: 'unknown', type: 'code', alternateId: server.custom ? server.key : 'org', displayName: 'Authorization Code' };
    logEvent(ctx, { eventType: server.custom ? 'app.oauth2.as.authorize.code' : 'app.oauth2.authorize.code', displayMessage: 'OAuth2 authorization code request', actor: userTarget(user), clientId, target: [codeTarget, appTarget(app)], debugData: { requestedScopes: scopes.join(' ') } });
  }
  if (responseTypes.includes('token')) {
    Object.assign(response, {
      access_token: await issueAccessToken(ctx, grant, null),
      token_type: 'Bearer',
      expires_in: String(grant.hookPatch?.access.lifetime ?? lifetimes.accessToken),
      scope: scopes.join(' '),
    });
  }
  if (responseTypes.includes('id_token')) {
    response.id_token = await issueIdToken(ctx, grant, {
      accessToken: response.access_token,
      code: response.code,
      minimal: responseTypes.includes('token'),
    });
  }
  response.state = state;
  if (response.access_token || response.id_token) {
    logTokenGrant(ctx, { serverId: server.custom ? server.key : null, clientId, user, grantType: 'implicit', scopes, accessToken: response.access_token, idToken: response.id_token });
  }
  const delivered = deliver(redirectUri, mode, response);
  return browser?.cookie ? { ...delivered, headers: { ...delivered.headers, 'set-cookie': browser.cookie } } : delivered;
}
