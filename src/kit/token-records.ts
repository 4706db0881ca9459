import { createHash, randomBytes } from 'node:crypto';
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
  /** For a signed token: the SHA-256 of the token as issued (see tokenFingerprint), so that only that very token matches. */
  fingerprint?: string;
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
 * A secret token (an authorization code, a refresh token): from the twin's id source on a fixed clock, so that a
 * reproducible run gives the same values; on the wall clock, from the system's random source, so that a fresh
 * process never issues again a value an earlier one issued (and revoked). The id source is drawn from either way,
 * so the ids that follow are the same.
 *
 * @example
 * const code = secretToken(ctx); // 43 characters of A-Z a-z 0-9 - _
 */
export function secretToken(ctx: { ids: IdSource; clock: Clock }, length = 43): string {
  const seeded = ctx.ids.token(length, BASE64URL);
  if (ctx.clock.fixed) return seeded;
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += BASE64URL[bytes[i] & 63];
  return out;
}

/**
 * The fingerprint of a token as issued (SHA-256, base64url), kept in its record: a token that merely carries a known
 * id (the same jti, signed again by a fresh process with the same seeded keys) does not match it.
 *
 * @example
 * record.fingerprint = tokenFingerprint(signedJwt);
 */
export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/**
 * The record of an issued token, only if `token` is the very token that was issued under `key` (its fingerprint
 * matches, when the record has one).
 *
 * @example
 * const record = findIssuedToken(ctx.state.tokens, claims.jti, bearerToken);
 */
export function findIssuedToken(store: TokenStore, key: string | undefined, token: string): TokenRecord | undefined {
  const record = findToken(store, key);
  if (!record || (record.fingerprint !== undefined && record.fingerprint !== tokenFingerprint(token))) return undefined;
  return record;
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
