import { createHash } from 'node:crypto';

/**
 * A PKCE `code_challenge_method` (RFC 7636 §4.2). Many servers take only S256; the caller decides which it accepts.
 *
 * @example
 * const method: PkceMethod = 'S256';
 */
export type PkceMethod = 'S256' | 'plain';

// RFC 7636 §4.1: 43 to 128 unreserved characters, for a verifier and (with S256, by construction) a challenge.
const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * Whether a code verifier or code challenge has PKCE's syntax: 43 to 128 characters of `A-Z a-z 0-9 - . _ ~`.
 *
 * @example
 * if (!isPkceValue(params.code_challenge)) return refuse('invalid_request');
 */
export function isPkceValue(value: string): boolean {
  return PKCE_VALUE.test(value);
}

/**
 * The code challenge of a verifier: BASE64URL(SHA256(ASCII(verifier))) for S256, the verifier itself for plain.
 *
 * @example
 * pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'); // 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
 */
export function pkceChallenge(verifier: string, method: PkceMethod = 'S256'): string {
  return method === 'plain' ? verifier : createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * Whether a token request's `code_verifier` answers the `code_challenge` of its authorization request: false when
 * either is missing, the verifier is not well-formed, or it does not match.
 *
 * @example
 * if (!verifyPkce(form.code_verifier, code.codeChallenge, 'S256')) throw new ExampleError(400, 'invalid_grant');
 */
export function verifyPkce(verifier: string | undefined, challenge: string | null | undefined, method: PkceMethod = 'S256'): boolean {
  if (!verifier || !challenge || !isPkceValue(verifier)) return false;
  return pkceChallenge(verifier, method) === challenge;
}
