import type { RoutedContext } from '../../src/index.js';
import { OktaError } from './errors.js';
import { clientRolesAllow } from './model/client-roles.js';
import { tokenBindingProblem } from './model/dpop.js';
import { refuseOktaOnlyPath } from './model/not-emulated.js';
import { orgServer } from './model/oauth-servers.js';
import { liveAccessToken } from './model/oauth-tokens.js';
import { pathParams, userRolesAllow } from './model/roles.js';
import type { OktaAuth, OktaState } from './types.js';

type RoutedCtx = RoutedContext<OktaState>;

/**
 * The Okta API scopes that let a token call this operation: those its OpenAPI security names, each `.read` also
 * met by its `.manage`, and for /users/me the `.self` scopes. Null when the document names none.
 */
function requiredScopes(ctx: RoutedCtx): string[] | null {
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
 * Whether a user's admin roles let it make this call (Okta's 403 E0000006 otherwise). A user's own record is
 * self-service and needs no role: anything under /users/me, and reading itself by id.
 */
function userMayCall(ctx: RoutedCtx, userId: string): boolean {
  if (/^\/api\/v1\/users\/me(\/|$)/.test(ctx.url.pathname)) return true;
  const params = () => pathParams(ctx.operation.path, ctx.url.pathname);
  if (userRolesAllow(ctx.state, userId, ctx.operation, params, () => requiredScopes(ctx) ?? [])) return true;
  const self = ctx.operation.path.startsWith('/api/v1/users/') && ctx.operation.method === 'GET' ? params() : {};
  return (self.userId ?? self.id) === userId;
}

/**
 * Authorizes a Management API call made with `Authorization: Bearer {access_token}`: only a live access token of
 * the org authorization server counts (custom servers' tokens are for your own APIs). A token without the Okta
 * API scope the operation needs is refused with 403 E0000006 and an insufficient_scope challenge; a service
 * client's token also needs an admin role assigned to the client that covers the operation (403 E0000006).
 * A user's token acts as the user: its scopes and the user's admin roles both decide.
 */
async function verifyManagementAccessToken(ctx: RoutedCtx, token: string, presentedAsDpop: boolean): Promise<OktaAuth> {
  const server = orgServer(ctx);
  const live = await liveAccessToken(ctx, server, token);
  const user = live?.record.userId ? ctx.state.users[live.record.userId] : undefined;
  if (!live || (live.record.userId && (!user || user.status !== 'ACTIVE'))) throw new OktaError('E0000011');
  // A DPoP-bound token is good only with a proof of its key (Okta's "DPoP for Okta management APIs").
  const problem = await tokenBindingProblem(ctx, live.claims, token, presentedAsDpop);
  if (problem) throw new OktaError('E0000011', { causes: [problem] });
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
  if (live.record.userId && !userMayCall(ctx, live.record.userId)) throw new OktaError('E0000006');
  return { kind: 'accessToken', userId: live.record.userId, clientId: live.record.clientId, scopes };
}

/**
 * Authenticates Management API calls: an SSWS API token of an ACTIVE user, or an OAuth access token of the org
 * authorization server. Operations whose security is empty (the /oauth2 endpoints, which authenticate clients
 * and tokens in their own handlers and in OAuth's error shape) pass through.
 *
 * @example
 * const oktaTwin = defineTwin<OktaState, OktaAuth, OktaOperationId>({ ..., authenticate: authenticateOkta });
 */
export function authenticateOkta(ctx: RoutedCtx): OktaAuth | Promise<OktaAuth> {
  refuseOktaOnlyPath(ctx.request.method, ctx.url.pathname, ctx.operation.path);
  // Synchronous but for an OAuth access token (its signature is checked asynchronously): most calls carry an API
  // token, and a request spared a promise is answered sooner.
  if (ctx.operation.security.length === 0) return { kind: 'none' };
  const header = ctx.headers.authorization;
  // Okta answers a call without credentials with E0000005 "Invalid session" rather than E0000011.
  if (!header) throw new OktaError('E0000005');
  const [scheme, ...rest] = header.trim().split(/\s+/);
  const credential = rest.join(' ');
  if (/^ssws$/i.test(scheme)) {
    const token = ctx.state.apiTokens.find((t) => t.token === credential);
    const user = token && ctx.state.users[token.userId];
    if (!token || !user || user.status !== 'ACTIVE') throw new OktaError('E0000011');
    // An API token carries the admin permissions of the user who made it (Okta's API token docs).
    if (!userMayCall(ctx, token.userId)) throw new OktaError('E0000006');
    return { kind: 'apiToken', userId: token.userId };
  }
  if (/^(bearer|dpop)$/i.test(scheme) && credential) return verifyManagementAccessToken(ctx, credential, /^dpop$/i.test(scheme));
  throw new OktaError('E0000011');
}
