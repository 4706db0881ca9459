import type { Clock } from '../state/clock.js';
import type { IdSource } from '../state/ids.js';

/**
 * An issued access or refresh token, as a twin's state keeps it for introspect and revoke: plain JSON. Access
 * tokens are stored by their `jti`, refresh tokens (opaque) by their value.
 *
 * @example
 * const record: TokenRecord = { type: 'access_token', server: 'main', clientId: 'c1', userId: 'u1', scopes: ['read'], issuedAt: 1767225600, expiresAt: 1767229200, revoked: false, refreshToken: null, authTime: null };
 */
export interface TokenRecord {
  type: 'access_token' | 'refresh_token';
  /** The key of the authorization server that issued it, so that no server accepts another's tokens. */
  server: string;
  clientId: string;
  userId: string | null;
  scopes: string[];
  /** Epoch seconds. */
  issuedAt: number;
  /** Epoch seconds. */
  expiresAt: number;
  revoked: boolean;
  /** For an access token: the refresh token issued with or used for it, whose revocation revokes it too. */
  refreshToken: string | null;
  /** When the user authenticated (epoch seconds); null for a client acting on its own. */
  authTime: number | null;
}

/**
 * Token records by jti or value: a record of the twin's state (make it with createRecord).
 *
 * @example
 * const tokens: TokenStore = ctx.state.oauth.tokens;
 */
export type TokenStore = Record<string, TokenRecord>;

/**
 * What a grant decided, as far as the record of a token needs it.
 *
 * @example
 * const grant: TokenGrant = { server: 'main', clientId: 'c1', userId: null, scopes: ['read'], authTime: null };
 */
export interface TokenGrant {
  server: string;
  clientId: string;
  userId: string | null;
  scopes: string[];
  authTime: number | null;
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The twin clock's now in whole epoch seconds, as JWT claims and token records count time.
 *
 * @example
 * const iat = epochSeconds(ctx.clock);
 */
export function epochSeconds(clock: Clock): number {
  return Math.floor(clock.nowMs() / 1000);
}

/**
 * An opaque, URL-safe token from the twin's deterministic id source (authorization codes, refresh tokens, jti).
 *
 * @example
 * const code = opaqueToken(ctx.ids); // 43 characters of A-Z a-z 0-9 - _
 */
export function opaqueToken(ids: IdSource, length = 43): string {
  return ids.token(length, BASE64URL);
}

/**
 * The record of a token issued now for a grant, live for `lifetimeSeconds`.
 *
 * @example
 * ctx.state.tokens[jti] = tokenRecord(grant, 'access_token', epochSeconds(ctx.clock), 3600, null);
 */
export function tokenRecord(grant: TokenGrant, type: TokenRecord['type'], issuedAt: number, lifetimeSeconds: number, refreshToken: string | null): TokenRecord {
  return {
    type,
    server: grant.server,
    clientId: grant.clientId,
    userId: grant.userId,
    scopes: grant.scopes,
    issuedAt,
    expiresAt: issuedAt + lifetimeSeconds,
    revoked: false,
    refreshToken,
    authTime: grant.authTime,
  };
}

/**
 * The record of an issued token (an access token's jti, a refresh token's value), or undefined.
 *
 * @example
 * const record = findToken(ctx.state.tokens, claims.jti);
 */
export function findToken(store: TokenStore, key: string | undefined): TokenRecord | undefined {
  return key === undefined ? undefined : store[key];
}

/**
 * Whether a token is neither revoked nor expired at `nowSeconds`.
 *
 * @example
 * if (!isLiveToken(record, epochSeconds(ctx.clock))) return { status: 200, body: { active: false } };
 */
export function isLiveToken(record: TokenRecord | undefined, nowSeconds: number): record is TokenRecord {
  return !!record && !record.revoked && record.expiresAt > nowSeconds;
}

/**
 * Revokes a token; revoking a refresh token also revokes every access token issued with it (RFC 7009 §2.1 lets a
 * server do so, and servers that rotate refresh tokens do).
 *
 * @example
 * revokeToken(ctx.state.tokens, form.token);
 */
export function revokeToken(store: TokenStore, key: string): void {
  const record = store[key];
  if (!record) return;
  record.revoked = true;
  if (record.type !== 'refresh_token') return;
  for (const other of Object.values(store)) if (other.refreshToken === key) other.revoked = true;
}

/**
 * Revokes every token that passes the test (all of a user's tokens when their sessions end, a client's when it is
 * deleted).
 *
 * @example
 * revokeTokensWhere(ctx.state.tokens, (record) => record.userId === user.id);
 */
export function revokeTokensWhere(store: TokenStore, test: (record: TokenRecord) => boolean): void {
  for (const record of Object.values(store)) if (test(record)) record.revoked = true;
}
