import { epochSeconds } from '../../../src/index.js';
import { OAuthError } from '../errors.js';
import type { Ctx } from '../types.js';
import { callHook } from './inline-hooks.js';
import { userClaims } from './oauth-claims.js';
import { findClientApp } from './oauth-clients.js';
import type { Grant } from './oauth-tokens.js';
import { requestId } from './system-log.js';

type Json = Record<string, any>;

/** What a token inline hook changed: claims set or removed in each token, and lifetimes in seconds. */
export interface TokenPatch {
  access: { set: Json; remove: string[]; lifetime?: number };
  identity: { set: Json; remove: string[]; lifetime?: number };
}

// Claims a hook may not add, change or remove (Okta's token inline hook reference: reserved claims are left alone).
const RESERVED = new Set(['acr', 'amr', 'at_hash', 'aud', 'auth_time', 'c_hash', 'cid', 'cnf', 'exp', 'iat', 'idp', 'iss', 'jti', 'nbf', 'nonce', 'scp', 'sub', 'uid', 'ver']);

/** Okta's bounds on a lifetime a hook sets: 5 minutes to 1 day. */
const MIN_LIFETIME = 300;
const MAX_LIFETIME = 86400;

/** What Okta sends a token inline hook: the request, client, user and access rule, and the claims of the tokens about to be minted. */
function hookPayload(ctx: Ctx, grant: Grant, grantType: string): Json {
  const app = findClientApp(ctx.state, grant.clientId);
  const now = epochSeconds(ctx.clock);
  const lifetime = grant.lifetimes?.accessToken ?? 3600;
  const user = grant.user;
  return {
    source: `${grant.server.endpoints}/token`,
    eventId: requestId(ctx),
    eventTime: ctx.clock.now().toISOString(),
    eventTypeVersion: '1.0',
    cloudEventVersion: '0.1',
    contentType: 'application/json',
    eventType: 'com.okta.oauth2.tokens.transform',
    data: {
      context: {
        request: { id: requestId(ctx), method: ctx.request.method, url: { value: ctx.url.href }, ipAddress: ctx.request.localAddress ?? '127.0.0.1' },
        protocol: {
          type: 'OAUTH2.0',
          request: { scope: grant.scopes.join(' '), grant_type: grantType, client_id: grant.clientId },
          issuer: { uri: grant.server.issuer },
          client: { id: grant.clientId, name: String(app?.label ?? grant.clientId), type: app?.credentials?.oauthClient?.token_endpoint_auth_method === 'none' ? 'PUBLIC' : 'CONFIDENTIAL' },
        },
        ...(user
          ? {
            user: {
              id: user.id,
              passwordChanged: user.passwordChanged,
              profile: { login: user.profile.login, firstName: user.profile.firstName, lastName: user.profile.lastName, locale: user.profile.locale ?? 'en_US', timeZone: user.profile.timezone ?? 'America/Los_Angeles' },
              _links: { groups: { href: `${ctx.baseUrl}/api/v1/users/${user.id}/groups` }, factors: { href: `${ctx.baseUrl}/api/v1/users/${user.id}/factors` } },
            },
          }
          : {}),
        ...(grant.lifetimes?.rule ? { policy: { id: grant.lifetimes.rule.policyId, rule: { id: grant.lifetimes.rule.ruleId } } } : {}),
      },
      ...(user && grant.scopes.includes('openid')
        ? { identity: { claims: { ...userClaims(ctx, user, grant.scopes, grant.server), ver: 1, iss: grant.server.issuer, aud: grant.clientId, amr: ['pwd'], idp: ctx.state.org.id }, token: { lifetime: { expiration: 3600 } } } }
        : {}),
      access: {
        claims: { ver: 1, iss: grant.server.issuer, aud: grant.server.audience, iat: now, exp: now + lifetime, cid: grant.clientId, ...(user ? { uid: user.id } : {}), scp: grant.scopes, sub: user ? user.profile.login : grant.clientId },
        token: { lifetime: { expiration: lifetime } },
        scopes: Object.fromEntries(grant.scopes.map((scope) => [scope, { id: ctx.state.oauth.authorizationServers?.[grant.server.key]?.scopes.find((s) => s.name === scope)?.id ?? scope, action: 'GRANT' }])),
      },
    },
  };
}

/** Applies one patch command (`com.okta.access.patch` or `com.okta.identity.patch`) to the token's side of the patch. */
function applyCommand(side: TokenPatch['access'], operations: unknown): void {
  if (!Array.isArray(operations)) return;
  for (const operation of operations as Json[]) {
    const path = typeof operation?.path === 'string' ? operation.path : '';
    const claim = /^\/claims\/([^/]+)$/.exec(path)?.[1];
    if (claim && !RESERVED.has(claim)) {
      if (operation.op === 'remove') {
        delete side.set[claim];
        side.remove.push(claim);
      } else if (operation.op === 'add' || operation.op === 'replace') side.set[claim] = operation.value;
    } else if (path === '/token/lifetime/expiration' && operation.op === 'replace' && Number.isInteger(operation.value)) {
      side.lifetime = Math.min(Math.max(operation.value, MIN_LIFETIME), MAX_LIFETIME);
    }
  }
}

/**
 * Calls the token inline hook the access rule names, if any and ACTIVE, and returns what its commands change. As Okta
 * documents: a hook that fails or does not answer in time leaves the tokens as they are; a hook that answers with an
 * `error` stops the request with `server_error` and its errorSummary ("The callback service returned an error" when it
 * has none). Only custom authorization servers call token hooks.
 *
 * @example
 * const patch = await runTokenHook(ctx, grant, 'client_credentials'); // null: mint the tokens unchanged
 */
export async function runTokenHook(ctx: Ctx, grant: Grant, grantType: string): Promise<TokenPatch | null> {
  const hookId = grant.lifetimes?.rule?.inlineHookId;
  const hook = hookId ? ctx.state.inlineHooks?.[hookId] : undefined;
  if (!grant.server.custom || !hook || hook.status !== 'ACTIVE') return null;
  const answer = await callHook(hook, hookPayload(ctx, grant, grantType));
  if (!answer.ok) return null;
  const body = (answer.body ?? {}) as Json;
  if (body.error) {
    const summary = typeof body.error.errorSummary === 'string' ? body.error.errorSummary : 'The callback service returned an error';
    throw new OAuthError(400, 'server_error', summary);
  }
  const patch: TokenPatch = { access: { set: {}, remove: [] }, identity: { set: {}, remove: [] } };
  for (const command of Array.isArray(body.commands) ? body.commands : []) {
    if (command?.type === 'com.okta.access.patch') applyCommand(patch.access, command.value);
    if (command?.type === 'com.okta.identity.patch') applyCommand(patch.identity, command.value);
  }
  return patch;
}

/**
 * A token's claims with a hook's changes: claims it set replace or join them, claims it removed go.
 *
 * @example
 * const claims = patched({ ...standard }, grant.hookPatch?.access);
 */
export function patched<T extends Json>(claims: T, side: TokenPatch['access'] | undefined): T {
  if (!side) return claims;
  const out: Json = { ...claims, ...side.set };
  for (const claim of side.remove) delete out[claim];
  return out as T;
}
