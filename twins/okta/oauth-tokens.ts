import { createHash } from 'node:crypto';
import { SignJWT, compactVerify, createLocalJWKSet, importJWK, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { RequestContext } from '../../src/index.js';
import { userClaims } from './oauth-claims.js';
import type { AuthorizationServer } from './oauth-servers.js';
import type { OktaState, OktaUser } from './state.js';

/** Lifetimes in seconds: the default access policy's 1 hour tokens, 5 minute codes, and refresh tokens that expire unused after 7 days. */
export const ACCESS_TOKEN_LIFETIME = 3600;
const ID_TOKEN_LIFETIME = 3600;
export const CODE_LIFETIME = 300;
export const REFRESH_TOKEN_IDLE_LIFETIME = 7 * 24 * 3600;

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** An issued access or refresh token, for introspect and revoke. Access tokens are keyed by jti, refresh tokens by their value. */
export interface TokenRecord {
  type: 'access_token' | 'refresh_token';
  /** The key of the authorization server that issued it. */
  server: string;
  clientId: string;
  userId: string | null;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
  /** For an access token: the refresh token issued with or used for it, whose revocation revokes it too. */
  refreshToken: string | null;
  authTime: number | null;
}

/** What a grant decided: who gets tokens, from which server, for which scopes. */
export interface Grant {
  server: AuthorizationServer;
  clientId: string;
  user: OktaUser | null;
  scopes: string[];
  authTime: number | null;
  nonce?: string;
}

export function nowSeconds(ctx: RequestContext<OktaState>): number {
  return Math.floor(ctx.clock.nowMs() / 1000);
}

/** An opaque, URL-safe random string (codes, refresh tokens, jti suffixes). */
export function opaqueToken(ctx: RequestContext<OktaState>, length = 43): string {
  return ctx.ids.token(length, BASE64URL);
}

export function sha256Base64url(value: string): string {
  return createHash('sha256').update(value, 'ascii').digest('base64url');
}

/** `at_hash` and `c_hash`: the left half of the SHA-256 of the value (OpenID Connect Core §3.1.3.6). */
function halfHash(value: string): string {
  return createHash('sha256').update(value, 'ascii').digest().subarray(0, 16).toString('base64url');
}

// Each authorization server signs with keys of its own: a token of the org server does not verify against
// the default server's key set (Okta manages keys per custom server: AuthorizationServerKeys).
function serverKeys(state: OktaState, server: string): Record<string, any>[] {
  return state.oauth.signingKeys.filter((k) => (k.authorizationServer ?? 'org') === server);
}

/** The public halves of a server's signing keys (`org` or a custom server's id), as its /v1/keys serves them. */
export function publicJwks(state: OktaState, server: string): JSONWebKeySet {
  return { keys: serverKeys(state, server).map((k) => ({ kty: k.kty, alg: 'RS256', kid: k.kid, use: 'sig', e: k.e, n: k.n })) };
}

/** Every server's public keys: the twin checks its own tokens' signatures, then their issuer and audience. */
function verificationKeys(ctx: RequestContext<OktaState>) {
  return ctx.memo('oauthVerificationKeys', () => createLocalJWKSet({ keys: ctx.state.oauth.signingKeys.map((k) => ({ kty: k.kty, alg: 'RS256', kid: k.kid, e: k.e, n: k.n })) }));
}

async function sign(ctx: RequestContext<OktaState>, server: string, claims: JWTPayload): Promise<string> {
  const own = serverKeys(ctx.state, server);
  const [jwk] = own.length ? own : serverKeys(ctx.state, 'org');
  const key = await ctx.memo(`signingKey:${jwk.kid}`, () => importJWK(jwk, 'RS256'));
  return new SignJWT(claims).setProtectedHeader({ kid: jwk.kid, alg: 'RS256' }).sign(key);
}

/** The claims of a token this twin signed and that is still within its lifetime on the twin clock, or null. */
export async function verifyOwnJwt(ctx: RequestContext<OktaState>, token: string): Promise<JWTPayload | null> {
  try {
    const { payload } = await jwtVerify(token, verificationKeys(ctx), { algorithms: ['RS256'], currentDate: ctx.clock.now() });
    return payload;
  } catch {
    return null;
  }
}

/** The claims of a token this twin signed, expired or not (logout accepts an expired id_token_hint). */
export async function verifyOwnSignature(ctx: RequestContext<OktaState>, token: string): Promise<JWTPayload | null> {
  try {
    const { payload } = await compactVerify(token, verificationKeys(ctx), { algorithms: ['RS256'] });
    return JSON.parse(new TextDecoder().decode(payload)) as JWTPayload;
  } catch {
    return null;
  }
}

function recordOf(grant: Grant, type: TokenRecord['type'], iat: number, lifetime: number, refreshToken: string | null): TokenRecord {
  return {
    type,
    server: grant.server.key,
    clientId: grant.clientId,
    userId: grant.user?.id ?? null,
    scopes: grant.scopes,
    issuedAt: iat,
    expiresAt: iat + lifetime,
    revoked: false,
    refreshToken,
    authTime: grant.authTime,
  };
}

/** Okta's access token: `sub` is the user's login (the client id without a user), `uid` the user id. */
export async function issueAccessToken(ctx: RequestContext<OktaState>, grant: Grant, refreshToken: string | null): Promise<string> {
  const iat = nowSeconds(ctx);
  const jti = `AT.${opaqueToken(ctx)}`;
  const claims: JWTPayload = {
    ver: 1,
    jti,
    iss: grant.server.issuer,
    aud: grant.server.audience,
    iat,
    exp: iat + ACCESS_TOKEN_LIFETIME,
    cid: grant.clientId,
    ...(grant.user ? { uid: grant.user.id } : {}),
    scp: grant.scopes,
    ...(grant.user && grant.authTime !== null ? { auth_time: grant.authTime } : {}),
    sub: grant.user ? grant.user.profile.login : grant.clientId,
  };
  ctx.state.oauth.tokens[jti] = recordOf(grant, 'access_token', iat, ACCESS_TOKEN_LIFETIME, refreshToken);
  return sign(ctx, grant.server.key, claims);
}

export function issueRefreshToken(ctx: RequestContext<OktaState>, grant: Grant): string {
  const iat = nowSeconds(ctx);
  const value = opaqueToken(ctx);
  ctx.state.oauth.tokens[value] = recordOf(grant, 'refresh_token', iat, REFRESH_TOKEN_IDLE_LIFETIME, null);
  return value;
}

/**
 * The ID token. With `minimal` (an implicit request that also returns an access token) it carries only the
 * base claims, and the profile claims are left to /userinfo, as Okta does.
 */
export async function issueIdToken(
  ctx: RequestContext<OktaState>,
  grant: Grant & { user: OktaUser },
  options: { accessToken?: string; code?: string; minimal?: boolean } = {},
): Promise<string> {
  const iat = nowSeconds(ctx);
  const { sub, ...claims } = userClaims(ctx, grant.user, grant.scopes, grant.server);
  const payload: JWTPayload = {
    sub,
    ...(options.minimal ? {} : claims),
    ver: 1,
    iss: grant.server.issuer,
    aud: grant.clientId,
    iat,
    exp: iat + ID_TOKEN_LIFETIME,
    jti: `ID.${opaqueToken(ctx)}`,
    amr: ['pwd'],
    idp: ctx.state.org.id,
    ...(grant.nonce !== undefined ? { nonce: grant.nonce } : {}),
    ...(grant.authTime !== null ? { auth_time: grant.authTime } : {}),
    ...(options.accessToken ? { at_hash: halfHash(options.accessToken) } : {}),
    ...(options.code ? { c_hash: halfHash(options.code) } : {}),
  };
  return sign(ctx, grant.server.key, payload);
}

/** The record of an issued token (an access token's jti or a refresh token's value), or undefined. */
export function tokenRecord(ctx: RequestContext<OktaState>, key: string | undefined): TokenRecord | undefined {
  return key === undefined ? undefined : (ctx.state.oauth.tokens[key] as TokenRecord | undefined);
}

export function isLive(ctx: RequestContext<OktaState>, record: TokenRecord | undefined): record is TokenRecord {
  return !!record && !record.revoked && record.expiresAt > nowSeconds(ctx);
}
