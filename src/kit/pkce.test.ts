import { expect, test } from 'vitest';
import { isPkceValue, pkceChallenge, verifyPkce } from './pkce.js';

// RFC 7636, Appendix B.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

test('the S256 challenge of the RFC 7636 example verifier is the RFC example challenge', () => {
  expect(pkceChallenge(VERIFIER)).toBe(CHALLENGE);
  expect(verifyPkce(VERIFIER, CHALLENGE, 'S256')).toBe(true);
});

test('a plain challenge is the verifier itself', () => {
  expect(verifyPkce(VERIFIER, VERIFIER, 'plain')).toBe(true);
  expect(verifyPkce(VERIFIER, VERIFIER, 'S256')).toBe(false);
});

test('a missing, short or mismatched verifier fails, and so does a missing challenge', () => {
  expect(verifyPkce(undefined, CHALLENGE)).toBe(false);
  expect(verifyPkce('short', pkceChallenge('short'))).toBe(false);
  expect(verifyPkce(VERIFIER.replace('d', 'e'), CHALLENGE)).toBe(false);
  expect(verifyPkce(VERIFIER, null)).toBe(false);
  expect(isPkceValue('a'.repeat(43))).toBe(true);
  expect(isPkceValue('a'.repeat(129))).toBe(false);
});
