/**
 * The toolkit for twins: vendor-neutral pieces that several vendors' APIs share (OAuth 2.0 and OpenID Connect
 * tokens, keys, PKCE and client authentication; cursor paging; expression tokenizing; ISO-8601 instants). Twins
 * import it; the engine never does. Nothing here words an error: where a kit function refuses, the twin passes the
 * refusal in.
 */
export { copyJson } from './copy-json.js';
export { authenticateClient, type AuthenticatedClient, type ClientAuthFailure, type ClientAuthMethod, type ClientAuthOptions, type ClientAuthRequest, type RegisteredClient } from './client-auth.js';
export { parseInstant } from '../state/instant.js';
export { idTokenHash, signJwt, verifyJwt, verifyJwtSignature, type JwtClaims } from './jwt.js';
export { cursorPage, recordOrder, type CursorPage, type CursorPageRequest, type RecordOrder } from './paging.js';
export { decodeCursor, encodeCursor } from './opaque-cursor.js';
export { isPkceValue, pkceChallenge, verifyPkce, type PkceMethod } from './pkce.js';
export { createSigningKey, deriveSigningKey, jwksDocument, publicJwk, type SigningKey } from './signing-keys.js';
export { epochSeconds, findIssuedToken, findToken, isLiveToken, opaqueToken, revokeToken, revokeTokensWhere, secretToken, tokenFingerprint, tokenRecord, type TokenGrant, type TokenRecord, type TokenStore } from './token-records.js';
export { tokenize, type Token, type TokenizeProblem, type TokenizerRules } from './tokenizer.js';
