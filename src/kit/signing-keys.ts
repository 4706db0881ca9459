import { exportJWK, generateKeyPair, type JSONWebKeySet, type JWK } from 'jose';

/**
 * A private RS256 signing key as a JWK with its key id. Plain JSON, so it lives in a twin's state and seed
 * (test keys only: anyone who reads the seed can sign as the twin).
 *
 * @example
 * const key: SigningKey = { kty: 'RSA', kid: 'k1', n: '…', e: 'AQAB', d: '…', p: '…', q: '…', dp: '…', dq: '…', qi: '…' };
 */
export type SigningKey = JWK & { kid: string };

/**
 * A new RS256 key pair, exported as a private JWK, for a seed or a test that needs a key of its own.
 *
 * @example
 * const key = await createSigningKey('twin-key-2');
 * seed.signingKeys.push(key);
 */
export async function createSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid };
}

/**
 * The public half of a signing key, as a JWKS serves it: never the private members.
 *
 * @example
 * publicJwk(key); // { kty: 'RSA', alg: 'RS256', kid: 'k1', use: 'sig', e: 'AQAB', n: '…' }
 */
export function publicJwk(key: SigningKey): JWK {
  return { kty: key.kty, alg: 'RS256', kid: key.kid, use: 'sig', e: key.e, n: key.n };
}

/**
 * A JSON Web Key Set document (RFC 7517 §5) of the public halves of these keys, for a `jwks_uri` endpoint.
 *
 * @example
 * return { status: 200, body: jwksDocument(ctx.state.signingKeys) };
 */
export function jwksDocument(keys: readonly SigningKey[]): JSONWebKeySet {
  return { keys: keys.map(publicJwk) };
}
