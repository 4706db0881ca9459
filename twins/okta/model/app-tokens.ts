import { createHash } from 'node:crypto';
import { epochSeconds, isLiveToken, type TokenRecord } from '../../../src/index.js';
import type { OktaApp, OktaState, RequestCtx } from '../types.js';
import { findClientApp } from './oauth-clients.js';

type Json = Record<string, any>;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The id under which the Management API shows a refresh token (`oar…`): a hash of the token, so the token itself is
 * never shown and every read names it alike.
 *
 * @example
 * refreshTokenId(refreshToken); // 'oar' + 17 characters
 */
export function refreshTokenId(value: string): string {
  const digest = createHash('sha256').update(value).digest();
  let id = 'oar';
  for (let i = 0; i < 17; i++) id += BASE62[digest[i] % 62];
  return id;
}

/** A live refresh token and the value it is stored under. */
export interface RefreshTokenEntry {
  value: string;
  record: TokenRecord;
}

/** The live refresh tokens that pass the test, in issue order. */
export function liveRefreshTokens(ctx: RequestCtx, test: (record: TokenRecord) => boolean): RefreshTokenEntry[] {
  const now = epochSeconds(ctx.clock);
  return Object.entries(ctx.state.oauth.tokens)
    .filter(([, record]) => record.type === 'refresh_token' && isLiveToken(record, now) && test(record))
    .map(([value, record]) => ({ value, record }));
}

/** The client id of an OIDC app (other apps have none). */
export function clientIdOf(app: OktaApp): string | undefined {
  return app.credentials?.oauthClient?.client_id;
}

function issuerOf(ctx: RequestCtx, server: string): string {
  const base = ctx.baseUrl.replace(/\/+$/, '');
  return server === 'org' ? base : `${base}/oauth2/${server}`;
}

function scopeEmbeds(state: OktaState, server: string, names: string[]): Json[] {
  const scopes = state.oauth.authorizationServers?.[server]?.scopes ?? [];
  return names.map((name) => {
    const scope = scopes.find((s) => s.name === name);
    return { id: scope?.id ?? name, name, displayName: scope?.displayName ?? name, description: scope?.description ?? '' };
  });
}

/**
 * A refresh token as the Management API shows it (OAuth2RefreshToken): who holds it for which client and server, its
 * scopes (with `expand=scope`, embedded), and links to revoke it and to what it belongs to.
 */
export function refreshTokenJson(ctx: RequestCtx, entry: RefreshTokenEntry, self: string, expandScopes: boolean): Json {
  const { record } = entry;
  const base = ctx.baseUrl.replace(/\/+$/, '');
  const app = findClientApp(ctx.state, record.clientId);
  const user = record.userId ? ctx.state.users[record.userId] : undefined;
  const server = ctx.state.oauth.authorizationServers?.[record.server];
  const created = new Date(record.issuedAt * 1000).toISOString();
  return {
    id: refreshTokenId(entry.value),
    status: 'ACTIVE',
    created,
    lastUpdated: created,
    expiresAt: new Date(record.expiresAt * 1000).toISOString(),
    issuer: issuerOf(ctx, record.server),
    clientId: record.clientId,
    userId: record.userId ?? '',
    scopes: [...record.scopes],
    ...(expandScopes ? { _embedded: { scopes: scopeEmbeds(ctx.state, record.server, record.scopes) } } : {}),
    _links: {
      app: { href: `${base}/api/v1/apps/${app?.id ?? record.clientId}`, title: String(app?.label ?? record.clientId) },
      self: { href: self },
      revoke: { href: self, hints: { allow: ['DELETE'] } },
      client: { href: `${base}/oauth2/v1/clients/${record.clientId}`, title: String(app?.label ?? record.clientId) },
      ...(user ? { user: { href: `${base}/api/v1/users/${user.id}`, title: [user.profile.firstName, user.profile.lastName].filter(Boolean).join(' ') } } : {}),
      authorizationServer: { href: record.server === 'org' ? issuerOf(ctx, 'org') : `${base}/api/v1/authorizationServers/${record.server}`, title: server?.name ?? 'Okta' },
    },
  };
}
