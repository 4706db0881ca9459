import {
  createRecord,
  epochSeconds,
  findIssuedToken,
  idTokenHash,
  isLiveToken,
  jwksDocument,
  opaqueToken,
  secretToken,
  signJwt,
  tokenFingerprint,
  tokenRecord,
  verifyJwt,
  type JwtClaims,
  type TokenRecord,
} from '../../../src/index.js';
import type { OktaState, OktaUser, RequestCtx } from '../types.js';
import { activeKey, customClaims, DEFAULT_LIFETIMES, serverKeys, type TokenLifetimes } from './authorization-servers.js';
import { userClaims } from './oauth-claims.js';
import type { AuthorizationServer } from './oauth-servers.js';
import { patched, type TokenPatch } from './token-hooks.js';

// ID tokens live 1 hour on every server (Okta's API Access Management guide); access and refresh token lifetimes come
// from the server's access rule (see authorization-servers.ts).
const ID_TOKEN_LIFETIME = 3600;
/** How long an authorization code works, in seconds. */
export const CODE_LIFETIME = 300;

/** What a grant decided: who gets tokens, from which server, for which scopes. */
export interface Grant {
  server: AuthorizationServer;
  clientId: string;
  user: OktaUser | null;
  scopes: string[];
  authTime: number | null;
  nonce?: string;
  /** The JWK thumbprint of the DPoP key the access token is bound to (`cnf.jkt`, RFC 9449 §6.1). */
  dpopJkt?: string;
  /** What the server's access rule allows; the defaults of Okta's default rule when absent. */
  lifetimes?: TokenLifetimes;
  /** What the rule's token inline hook changed in the tokens. */
  hookPatch?: TokenPatch;
}

/**
 * The public halves of a server's signing keys (`org` or a custom server's id), as its /v1/keys serves them: each
 * server signs with keys of its own (a token of the org server does not verify against the default server's key set),
 * and publishes its NEXT and EXPIRED keys too, so clients that cache the set keep verifying across a rotation.
 */
export function publicJwks(state: OktaState, server: string) {
  return jwksDocument(serverKeys(state, server));
}

async function sign(ctx: RequestCtx, server: string, claims: JwtClaims): Promise<string> {
  const key = activeKey(ctx.state, server) ?? activeKey(ctx.state, 'org')!;
  return signJwt(ctx, key, claims);
}

/** The claims of a token this twin signed (with any server's key) and that is still within its lifetime on the twin clock, or null. */
export function verifyOwnJwt(ctx: RequestCtx, token: string): Promise<JwtClaims | null> {
  return verifyJwt(ctx, ctx.state.oauth.signingKeys, token);
}

function recordOf(grant: Grant, type: TokenRecord['type'], iat: number, lifetime: number, refreshToken: string | null): TokenRecord {
  const { server, clientId, user, scopes, authTime } = grant;
  return tokenRecord({ server: server.key, clientId, userId: user?.id ?? null, scopes, authTime }, type, iat, lifetime, refreshToken);
}

/**
 * Okta's access token: `sub` is the user's login (the client id without a user), `uid` the user id; a custom server adds
 * its RESOURCE claims, and its access rule sets the lifetime.
 */
export async function issueAccessToken(ctx: RequestCtx, grant: Grant, refreshToken: string | null): Promise<string> {
  const iat = epochSeconds(ctx.clock);
  const jti = `AT.${opaqueToken(ctx.ids)}`;
  const lifetime = grant.hookPatch?.access.lifetime ?? (grant.lifetimes ?? DEFAULT_LIFETIMES).accessToken;
  const claims: JwtClaims = patched({
    ...customClaims(ctx.state, grant.server.key, 'RESOURCE', grant.user, grant.scopes),
    ver: 1,
    jti,
    iss: grant.server.issuer,
    aud: grant.server.audience,
    iat,
    exp: iat + lifetime,
    cid: grant.clientId,
    ...(grant.user ? { uid: grant.user.id } : {}),
    scp: grant.scopes,
    ...(grant.user && grant.authTime !== null ? { auth_time: grant.authTime } : {}),
    sub: grant.user ? grant.user.profile.login : grant.clientId,
    ...(grant.dpopJkt ? { cnf: { jkt: grant.dpopJkt } } : {}),
  }, grant.hookPatch?.access);
  ctx.state.oauth.tokens[jti] = recordOf(grant, 'access_token', iat, lifetime, refreshToken);
  const signed = await sign(ctx, grant.server.key, claims);
  // Only this very token is live: a fresh process signing the same jti with the same seeded keys makes another one.
  ctx.state.oauth.tokens[jti].fingerprint = tokenFingerprint(signed);
  return signed;
}

/**
 * An opaque refresh token, recorded for introspect, revoke and the refresh_token grant. It expires unused after the
 * rule's window, and at the latest at its deadline: the rule's lifetime from the first issue, which a token rotated
 * from another one inherits (`deadline`).
 */
export function issueRefreshToken(ctx: RequestCtx, grant: Grant, deadline?: number): string {
  const iat = epochSeconds(ctx.clock);
  const value = secretToken(ctx);
  const { refreshTokenWindow, refreshTokenLifetime } = grant.lifetimes ?? DEFAULT_LIFETIMES;
  const until = deadline ?? (refreshTokenLifetime > 0 ? iat + refreshTokenLifetime : undefined);
  ctx.state.oauth.tokens[value] = recordOf(grant, 'refresh_token', iat, refreshTokenWindow, null);
  if (until !== undefined) {
    ctx.state.oauth.tokens[value].expiresAt = Math.min(iat + refreshTokenWindow, until);
    (ctx.state.oauth.refreshTokenDeadlines ??= createRecord())[value] = until;
  }
  return value;
}

/**
 * The ID token. With `minimal` (an implicit request that also returns an access token) it carries only the
 * base claims, and the profile claims are left to /userinfo, as Okta does.
 */
export async function issueIdToken(
  ctx: RequestCtx,
  grant: Grant & { user: OktaUser },
  options: { accessToken?: string; code?: string; minimal?: boolean } = {},
): Promise<string> {
  const iat = epochSeconds(ctx.clock);
  const { sub, ...claims } = userClaims(ctx, grant.user, grant.scopes, grant.server);
  const payload: JwtClaims = patched({
    sub,
    ...(options.minimal ? {} : claims),
    ...(options.minimal ? {} : customClaims(ctx.state, grant.server.key, 'IDENTITY', grant.user, grant.scopes, options.accessToken !== undefined || options.code !== undefined)),
    ver: 1,
    iss: grant.server.issuer,
    aud: grant.clientId,
    iat,
    exp: iat + (grant.hookPatch?.identity.lifetime ?? ID_TOKEN_LIFETIME),
    jti: `ID.${opaqueToken(ctx.ids)}`,
    amr: ['pwd'],
    idp: ctx.state.org.id,
    ...(grant.nonce !== undefined ? { nonce: grant.nonce } : {}),
    ...(grant.authTime !== null ? { auth_time: grant.authTime } : {}),
    ...(options.accessToken ? { at_hash: idTokenHash(options.accessToken) } : {}),
    ...(options.code ? { c_hash: idTokenHash(options.code) } : {}),
  }, grant.hookPatch?.identity);
  return sign(ctx, grant.server.key, payload);
}

/** A live access token of this server: its signature, issuer, audience and record all check out. */
export async function liveAccessToken(ctx: RequestCtx, server: AuthorizationServer, token: string): Promise<{ claims: Record<string, any>; record: TokenRecord } | null> {
  const claims = await verifyOwnJwt(ctx, token);
  if (!claims || claims.iss !== server.issuer || claims.aud !== server.audience || typeof claims.jti !== 'string') return null;
  const record = findIssuedToken(ctx.state.oauth.tokens, claims.jti, token);
  if (!isLiveToken(record, epochSeconds(ctx.clock)) || record.type !== 'access_token' || record.server !== server.key) return null;
  return { claims, record };
}
