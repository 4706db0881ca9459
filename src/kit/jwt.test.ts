import { decodeProtectedHeader } from 'jose';
import { beforeAll, expect, test } from 'vitest';
import { createClock } from '../state/clock.js';
import { idTokenHash, signJwt, verifyJwt, verifyJwtSignature } from './jwt.js';
import { createSigningKey, jwksDocument, type SigningKey } from './signing-keys.js';

const memo = new Map<string, unknown>();
const ctxAt = (instant: string) => ({
  clock: createClock(instant),
  memo: <T>(key: string, build: () => T): T => (memo.has(key) ? (memo.get(key) as T) : (memo.set(key, build()), memo.get(key) as T)),
});
const ctx = ctxAt('2026-01-01T00:00:00.000Z');
const iat = Date.parse('2026-01-01T00:00:00.000Z') / 1000;
let key: SigningKey;
let other: SigningKey;

beforeAll(async () => {
  key = await createSigningKey('k1');
  other = await createSigningKey('k2');
});

test('a JWKS document carries only the public halves of the keys', () => {
  const [jwk] = jwksDocument([key]).keys;
  expect(jwk).toEqual({ kty: 'RSA', alg: 'RS256', kid: 'k1', use: 'sig', e: key.e, n: key.n });
  expect(key.d).toBeTypeOf('string');
});

test('a signed JWT names its key and verifies within its lifetime on the twin clock', async () => {
  const token = await signJwt(ctx, key, { sub: 'u1', iat, exp: iat + 60 });
  expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', kid: 'k1' });
  expect(await verifyJwt(ctx, [other, key], token)).toMatchObject({ sub: 'u1' });
  expect(await verifyJwt(ctxAt('2026-01-01T00:02:00.000Z'), [key], token)).toBeNull();
  expect(await verifyJwtSignature(ctxAt('2026-01-01T00:02:00.000Z'), [key], token)).toMatchObject({ sub: 'u1' });
  expect(await verifyJwt(ctx, [other], token)).toBeNull();
  expect(await verifyJwtSignature(ctx, [key], 'not.a.jwt')).toBeNull();
});

test('at_hash and c_hash are those of the OpenID Connect Core examples (Appendix A.6)', () => {
  expect(idTokenHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y')).toBe('77QmUPtjPfzWtF2AnpK9RQ');
  expect(idTokenHash('Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk')).toBe('LDktKdoQak3Pk0cnXxCltA');
});
