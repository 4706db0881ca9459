import { createHash } from 'node:crypto';
import { SignJWT, compactVerify, createLocalJWKSet, importJWK, jwtVerify, type JWTPayload } from 'jose';
import type { RequestContext } from '../engine/types.js';
import { publicJwk, type SigningKey } from './signing-keys.js';
import { copyJson } from './copy-json.js';

/**
 * The claims of a JWT (registered ones typed, any others allowed), as the kit signs and returns them.
 *
 * @example
 * const claims: JwtClaims = { iss: 'https://api.example.test', sub: 'u1', aud: 'api', exp: 1767229200, scope: 'read' };
 */
export type JwtClaims = JWTPayload;

/** What the JWT functions need of a request context: its memo (imported keys are costly) and the twin clock. */
type JwtContext = Pick<RequestContext, 'memo' | 'clock'>;

// Importing a key and building a key set cost more than signing: both are kept per state in the context's memo.
function verificationKeys(ctx: JwtContext, keys: readonly SigningKey[]) {
  return ctx.memo(`kit:jwks:${keys.map((k) => k.kid).join(' ')}`, () => createLocalJWKSet({ keys: keys.map(publicJwk) }));
}

/**
 * Signs claims as an RS256 JWT with the key's `kid` in the header.
 *
 * @example
 * const token = await signJwt(ctx, ctx.state.signingKeys[0], { iss: 'https://api.example.test', sub: 'u1', exp: nowSeconds + 3600 });
 */
export async function signJwt(ctx: JwtContext, key: SigningKey, claims: JwtClaims): Promise<string> {
  const privateKey = await ctx.memo(`kit:signing-key:${key.kid}`, () => importJWK(key, 'RS256'));
  // A plain copy: jose clones the claims, and claims read from a write's state view are proxies, which cannot be cloned.
  return new SignJWT(copyJson(claims)).setProtectedHeader({ kid: key.kid, alg: 'RS256' }).sign(privateKey);
}

/**
 * The claims of an RS256 JWT signed by one of these keys and within its lifetime on the twin clock (not the
 * wall clock: tests pin the twin clock), or null. Issuer and audience are the caller's to check.
 *
 * @example
 * const claims = await verifyJwt(ctx, ctx.state.signingKeys, bearerToken);
 * if (!claims || claims.iss !== issuer) throw new ExampleError(401, 'invalid token');
 */
export async function verifyJwt(ctx: JwtContext, keys: readonly SigningKey[], token: string): Promise<JwtClaims | null> {
  try {
    const { payload } = await jwtVerify(token, verificationKeys(ctx, keys), { algorithms: ['RS256'], currentDate: ctx.clock.now() });
    return payload;
  } catch {
    return null;
  }
}

/**
 * The claims of an RS256 JWT signed by one of these keys, expired or not (an OpenID Connect logout accepts an
 * expired `id_token_hint`), or null.
 *
 * @example
 * const hint = await verifyJwtSignature(ctx, ctx.state.signingKeys, params.id_token_hint);
 */
export async function verifyJwtSignature(ctx: JwtContext, keys: readonly SigningKey[], token: string): Promise<JwtClaims | null> {
  try {
    const { payload } = await compactVerify(token, verificationKeys(ctx, keys), { algorithms: ['RS256'] });
    return JSON.parse(new TextDecoder().decode(payload)) as JwtClaims;
  } catch {
    return null;
  }
}

/**
 * An ID token's `at_hash` or `c_hash` for RS256: the left half of the SHA-256 of the value, base64url
 * (OpenID Connect Core §3.1.3.6).
 *
 * @example
 * const idClaims = { ...claims, at_hash: idTokenHash(accessToken) };
 */
export function idTokenHash(value: string): string {
  return createHash('sha256').update(value, 'ascii').digest().subarray(0, 16).toString('base64url');
}
