import { revokeToken, type TokenRecord } from '../../../src/index.js';
import { notFound } from '../errors.js';
import { requireApp } from '../model/apps.js';
import { requireServer } from '../model/authorization-servers.js';
import { clientIdOf, liveRefreshTokens, refreshTokenId, refreshTokenJson, type RefreshTokenEntry } from '../model/app-tokens.js';
import { expansions, ok } from '../model/http.js';
import { findClientApp } from '../model/oauth-clients.js';
import { findUser } from '../model/users.js';
import type { Ctx, OktaHandlers } from '../types.js';

function expandsScope(ctx: Ctx): boolean {
  return expansions(ctx.query.expand).includes('scope');
}

function limited<T>(ctx: Ctx, items: T[]): T[] {
  return ctx.query.limit === undefined ? items : items.slice(0, Number(ctx.query.limit));
}

function appTokens(ctx: Ctx): { appId: string; entries: RefreshTokenEntry[] } {
  const app = requireApp(ctx, ctx.params.appId);
  const clientId = clientIdOf(app);
  return { appId: app.id, entries: clientId ? liveRefreshTokens(ctx, (r) => r.clientId === clientId) : [] };
}

function userClientTokens(ctx: Ctx): { userId: string; clientId: string; entries: RefreshTokenEntry[] } {
  const user = findUser(ctx, ctx.params.userId);
  const clientId: string = ctx.params.clientId;
  return { userId: user.id, clientId, entries: liveRefreshTokens(ctx, (r: TokenRecord) => r.userId === user.id && r.clientId === clientId) };
}

function serverClientTokens(ctx: Ctx): { base: string; entries: RefreshTokenEntry[] } {
  const server = requireServer(ctx, ctx.params.authServerId);
  const clientId: string = ctx.params.clientId;
  return {
    base: `${ctx.baseUrl}/api/v1/authorizationServers/${server.id}/clients/${clientId}/tokens`,
    entries: liveRefreshTokens(ctx, (r) => r.server === server.id && r.clientId === clientId),
  };
}

/** The OAuth 2.0 clients of these client ids, as the Management API lists them (OAuth2Client), with links to `base`/{clientId}/…. */
function clientsJson(ctx: Ctx, clientIds: string[], base: string) {
  return clientIds.map((clientId) => {
    const app = findClientApp(ctx.state, clientId);
    return {
      client_id: clientId,
      client_name: String(app?.label ?? clientId),
      client_uri: app?.settings?.oauthClient?.client_uri ?? null,
      logo_uri: app?.settings?.oauthClient?.logo_uri ?? null,
      _links: { grants: { href: `${base}/${clientId}/grants` }, tokens: { href: `${base}/${clientId}/tokens` } },
    };
  });
}

function pick(entries: RefreshTokenEntry[], tokenId: string): RefreshTokenEntry {
  const entry = entries.find((e) => refreshTokenId(e.value) === tokenId);
  if (!entry) throw notFound(tokenId, 'OAuth2RefreshToken');
  return entry;
}

function revokeAll(ctx: Ctx, entries: RefreshTokenEntry[]) {
  for (const entry of entries) revokeToken(ctx.state.oauth.tokens, entry.value);
  return { status: 204 };
}

/**
 * The refresh tokens an app's client holds (tag ApplicationTokens), a custom server's clients and their refresh tokens
 * (tag AuthorizationServerClients), and a user's tokens and consent grants per client (tags UserOAuth and UserGrant). Revoking a refresh token also revokes the access tokens issued with it. The twin asks
 * no user for consent (every scope's consent is IMPLICIT), so users have no consent grants to list or revoke.
 */
export const appTokenHandlers = {
  listOAuth2TokensForApplication(ctx) {
    const { appId, entries } = appTokens(ctx);
    const base = `${ctx.baseUrl}/api/v1/apps/${appId}/tokens`;
    return ok(limited(ctx, entries).map((e) => refreshTokenJson(ctx, e, `${base}/${refreshTokenId(e.value)}`, expandsScope(ctx))));
  },

  getOAuth2TokenForApplication(ctx) {
    const { appId, entries } = appTokens(ctx);
    const entry = pick(entries, ctx.params.tokenId);
    return ok(refreshTokenJson(ctx, entry, `${ctx.baseUrl}/api/v1/apps/${appId}/tokens/${ctx.params.tokenId}`, expandsScope(ctx)));
  },

  revokeOAuth2TokenForApplication(ctx) {
    const { entries } = appTokens(ctx);
    return revokeAll(ctx, [pick(entries, ctx.params.tokenId)]);
  },

  revokeOAuth2TokensForApplication: (ctx) => revokeAll(ctx, appTokens(ctx).entries),

  listUserClients(ctx) {
    const user = findUser(ctx, ctx.params.userId);
    const clientIds = [...new Set(liveRefreshTokens(ctx, (r) => r.userId === user.id).map((e) => e.record.clientId))];
    return ok(clientsJson(ctx, clientIds, `${ctx.baseUrl}/api/v1/users/${user.id}/clients`));
  },

  listOAuth2ClientsForAuthorizationServer(ctx) {
    const server = requireServer(ctx, ctx.params.authServerId);
    const clientIds = [...new Set(liveRefreshTokens(ctx, (r) => r.server === server.id).map((e) => e.record.clientId))];
    return ok(clientsJson(ctx, clientIds, `${ctx.baseUrl}/api/v1/authorizationServers/${server.id}/clients`));
  },

  listRefreshTokensForAuthorizationServerAndClient(ctx) {
    const { base, entries } = serverClientTokens(ctx);
    return ok(limited(ctx, entries).map((e) => refreshTokenJson(ctx, e, `${base}/${refreshTokenId(e.value)}`, expandsScope(ctx))));
  },

  getRefreshTokenForAuthorizationServerAndClient(ctx) {
    const { base, entries } = serverClientTokens(ctx);
    return ok(refreshTokenJson(ctx, pick(entries, ctx.params.tokenId), `${base}/${ctx.params.tokenId}`, expandsScope(ctx)));
  },

  revokeRefreshTokenForAuthorizationServerAndClient: (ctx) => revokeAll(ctx, [pick(serverClientTokens(ctx).entries, ctx.params.tokenId)]),

  revokeRefreshTokensForAuthorizationServerAndClient: (ctx) => revokeAll(ctx, serverClientTokens(ctx).entries),

  listRefreshTokensForUserAndClient(ctx) {
    const { userId, clientId, entries } = userClientTokens(ctx);
    const base = `${ctx.baseUrl}/api/v1/users/${userId}/clients/${clientId}/tokens`;
    return ok(limited(ctx, entries).map((e) => refreshTokenJson(ctx, e, `${base}/${refreshTokenId(e.value)}`, expandsScope(ctx))));
  },

  getRefreshTokenForUserAndClient(ctx) {
    const { userId, clientId, entries } = userClientTokens(ctx);
    const entry = pick(entries, ctx.params.tokenId);
    return ok(refreshTokenJson(ctx, entry, `${ctx.baseUrl}/api/v1/users/${userId}/clients/${clientId}/tokens/${ctx.params.tokenId}`, expandsScope(ctx)));
  },

  revokeTokenForUserAndClient: (ctx) => revokeAll(ctx, [pick(userClientTokens(ctx).entries, ctx.params.tokenId)]),

  revokeTokensForUserAndClient: (ctx) => revokeAll(ctx, userClientTokens(ctx).entries),

  listGrantsForUserAndClient(ctx) {
    findUser(ctx, ctx.params.userId);
    return ok([]);
  },

  revokeGrantsForUserAndClient(ctx) {
    findUser(ctx, ctx.params.userId);
    return { status: 204 };
  },

  listUserGrants(ctx) {
    findUser(ctx, ctx.params.userId);
    return ok([]);
  },

  getUserGrant(ctx) {
    findUser(ctx, ctx.params.userId);
    throw notFound(ctx.params.grantId, 'OAuth2ScopeConsentGrant');
  },

  revokeUserGrants(ctx) {
    findUser(ctx, ctx.params.userId);
    return { status: 204 };
  },

  revokeUserGrant(ctx) {
    findUser(ctx, ctx.params.userId);
    throw notFound(ctx.params.grantId, 'OAuth2ScopeConsentGrant');
  },
} satisfies OktaHandlers;
