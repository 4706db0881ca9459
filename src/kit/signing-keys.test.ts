import { importJWK, jwtVerify, SignJWT } from 'jose';
import { expect, test } from 'vitest';
import { deriveSigningKey, publicJwk } from './signing-keys.js';

test('a derived key is the same for the same seed, another for another seed, and signs RS256 tokens that verify', async () => {
  const key = deriveSigningKey('signing-keys-test-seed', 'k1');
  expect(deriveSigningKey('signing-keys-test-seed', 'k2')).toEqual({ ...key, kid: 'k2' });
  expect(deriveSigningKey('signing-keys-test-other', 'k1').n).not.toBe(key.n);
  expect(Buffer.from(key.n!, 'base64url').length).toBe(256);
  const token = await new SignJWT({ sub: 'u1' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(await importJWK(key, 'RS256'));
  const { payload } = await jwtVerify(token, await importJWK(publicJwk(key), 'RS256'));
  expect(payload.sub).toBe('u1');
});
