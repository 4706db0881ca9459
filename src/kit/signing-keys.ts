import { checkPrimeSync, createHmac } from 'node:crypto';
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

// Odd primes below 2^14: a candidate divisible by one of them is skipped without a primality test.
const SMALL_PRIMES: number[] = (() => {
  const limit = 1 << 14;
  const composite = new Uint8Array(limit);
  const primes: number[] = [];
  for (let i = 3; i < limit; i += 2) {
    if (composite[i]) continue;
    primes.push(i);
    for (let j = i * i; j < limit; j += 2 * i) composite[j] = 1;
  }
  return primes;
})();

const PUBLIC_EXPONENT = 65537n;

/** A deterministic byte stream from a seed: HMAC-SHA-256 of a counter. */
function byteStream(seed: string): (length: number) => Buffer {
  let counter = 0;
  return (length) => {
    const blocks: Buffer[] = [];
    for (let have = 0; have < length; have += 32) blocks.push(createHmac('sha256', seed).update(String(counter++)).digest());
    return Buffer.concat(blocks).subarray(0, length);
  };
}

/** The first prime at or after a 1024-bit number drawn from the stream (top two bits set, so p·q has 2048 bits). */
function nextPrime(bytes: (length: number) => Buffer): bigint {
  for (;;) {
    const draw = bytes(128);
    draw[0] |= 0xc0;
    draw[127] |= 1;
    const start = BigInt(`0x${draw.toString('hex')}`);
    const residues = SMALL_PRIMES.map((p) => Number(start % BigInt(p)));
    for (let offset = 0; offset < 1 << 16; offset += 2) {
      if (SMALL_PRIMES.some((p, i) => (residues[i] + offset) % p === 0)) continue;
      const candidate = start + BigInt(offset);
      if ((candidate - 1n) % PUBLIC_EXPONENT !== 0n && checkPrimeSync(candidate)) return candidate;
    }
  }
}

function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [a % m, m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
}

function base64url(n: bigint): string {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex').toString('base64url');
}

// Deriving a key costs a few hundred milliseconds; the same seed always gives the same key, so a process remembers
// the last ones (a twin that creates a server over several transports in one test run derives its key once).
const derived = new Map<string, SigningKey>();

/**
 * A 2048-bit RS256 key pair derived from a seed, the same for the same seed in every process: for keys a twin makes
 * at run time (a new authorization server, a key rotation) from its deterministic id source, so that a reproducible
 * run signs with the same keys. Test keys only: anyone who knows the seed knows the private key.
 *
 * @example
 * const kid = opaqueToken(ctx.ids);
 * ctx.state.signingKeys.push(deriveSigningKey(kid, kid));
 */
export function deriveSigningKey(seed: string, kid: string): SigningKey {
  const cached = derived.get(seed);
  if (cached) return { ...cached, kid };
  const bytes = byteStream(seed);
  const p = nextPrime(bytes);
  let q = nextPrime(bytes);
  while (q === p) q = nextPrime(bytes);
  const d = modInverse(PUBLIC_EXPONENT, (p - 1n) * (q - 1n));
  const key: SigningKey = {
    kty: 'RSA',
    kid,
    n: base64url(p * q),
    e: 'AQAB',
    d: base64url(d),
    p: base64url(p),
    q: base64url(q),
    dp: base64url(d % (p - 1n)),
    dq: base64url(d % (q - 1n)),
    qi: base64url(modInverse(q, p)),
  };
  if (derived.size >= 64) derived.delete(derived.keys().next().value!);
  derived.set(seed, key);
  return { ...key };
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
