import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import { createRecord, epochSeconds } from '../../../src/index.js';
import { OAuthError } from '../errors.js';
import type { OktaApp, RequestCtx } from '../types.js';
import { configuredMethod, findClientApp } from './oauth-clients.js';

/** The proof algorithms Okta takes and advertises (`dpop_signing_alg_values_supported`). */
export const DPOP_ALGS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];
/** How far a proof's `iat` may be from the twin clock, in seconds: RFC 9449 §11.1 leaves it to the server. */
const PROOF_WINDOW_SECONDS = 300;
/**
 * How long a nonce is handed out, and how long after it was made it is still accepted, in seconds. Okta's DPoP guide:
 * "The authorization server provides the dpop-nonce value to limit the lifetime of DPoP proof JWTs and renews the
 * value every 24 hours. The old dpop-nonce value continues to work for three days after generation."
 */
const NONCE_RENEWAL_SECONDS = 24 * 3600;
const NONCE_ACCEPTED_SECONDS = 3 * 24 * 3600;

/**
 * A DPoP nonce an authorization server hands out (`DPoP-Nonce`) until `expiresAt`, with the earlier ones it still
 * accepts.
 */
interface DpopNonce {
  value: string;
  expiresAt: number;
  older?: { value: string; acceptedUntil: number }[];
}

/** What a request to a DPoP-protected endpoint must show: the method and URL it was sent to, the token it carries. */
export interface ProofExpectations {
  method: string;
  /** The endpoint's URL without query or fragment (`htu`). */
  url: string;
  /** The access token the request presents (the proof's `ath` must hash it), at a resource. */
  accessToken?: string;
  /** The token endpoint demands a nonce it issued (Okta always does); a resource does not. */
  requireNonce: boolean;
}

/**
 * Whether the app's access tokens must be DPoP-bound: its `settings.oauthClient.dpop_bound_access_tokens`
 * (Okta's "Require Demonstrating Proof of Possession (DPoP) header in token requests").
 *
 * @example
 * if (requiresDpop(client.app)) await checkDpopProof(ctx, { method: 'POST', url, requireNonce: true });
 */
export function requiresDpop(app: OktaApp): boolean {
  return app.settings?.oauthClient?.dpop_bound_access_tokens === true;
}

const invalidProof = (description: string) => new OAuthError(400, 'invalid_dpop_proof', description);

/**
 * The server's current nonce, renewed once it has been handed out for a day; the one it replaces stays accepted until
 * three days after it was made (a request is a write, so this is kept).
 */
function currentNonce(ctx: RequestCtx, server: string): DpopNonce {
  const nonces = (ctx.state.oauth.dpopNonces ??= createRecord());
  const now = epochSeconds(ctx.clock);
  let nonce = nonces[server];
  if (!nonce || nonce.expiresAt <= now) {
    const older = (nonce?.older ?? []).filter((old) => old.acceptedUntil > now);
    if (nonce) {
      const acceptedUntil = nonce.expiresAt - NONCE_RENEWAL_SECONDS + NONCE_ACCEPTED_SECONDS;
      if (acceptedUntil > now) older.push({ value: nonce.value, acceptedUntil });
    }
    nonce = { value: ctx.ids.token(43), expiresAt: now + NONCE_RENEWAL_SECONDS, ...(older.length ? { older } : {}) };
    nonces[server] = nonce;
  }
  return nonce;
}

/** Whether `value` is the server's nonce or an earlier one it still accepts. */
function acceptsNonce(ctx: RequestCtx, nonce: DpopNonce, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (value === nonce.value) return true;
  const now = epochSeconds(ctx.clock);
  return (nonce.older ?? []).some((old) => old.value === value && old.acceptedUntil > now);
}

/**
 * Accepts a proof's `jti` once at a resource (Okta's DPoP guide: "Resource servers must require and track the
 * incoming DPoP proof JWT's jti claim ... and not accept that claim more than once"). The token endpoint does not:
 * the same guide refreshes a token with "the same DPoP header value" as the code exchange. What is remembered is
 * bounded by the acceptance window: an entry is dropped once its proof's `iat` is too old to be accepted anyway.
 */
function spendProof(ctx: RequestCtx, jkt: string, jti: string, iat: number): void {
  const spent = (ctx.state.oauth.dpopProofs ??= createRecord());
  const now = epochSeconds(ctx.clock);
  for (const key of Object.keys(spent)) if (spent[key] < now) delete spent[key];
  const key = createHash('sha256').update(`${jkt}.${jti}`).digest('base64url');
  // The twin's wording: Okta does not publish its description for a replayed proof.
  if (spent[key] !== undefined) throw invalidProof("The DPoP proof 'jti' has already been used.");
  spent[key] = iat + PROOF_WINDOW_SECONDS;
}

/** The base64url SHA-256 of an access token: a proof's `ath` (RFC 9449 §4.2). */
function accessTokenHash(token: string): string {
  return createHash('sha256').update(token, 'ascii').digest('base64url');
}

function sameEndpoint(htu: unknown, expected: string): boolean {
  if (typeof htu !== 'string') return false;
  try {
    const a = new URL(htu);
    const b = new URL(expected);
    return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
  } catch {
    return false;
  }
}

/**
 * Checks the request's `DPoP` proof as RFC 9449 §4.3 and Okta describe it: a `dpop+jwt` signed with an asymmetric
 * key whose public JWK is in its header, for this method and URL, recent, with a `jti`; at the token endpoint with
 * the server's nonce (else 400 `use_dpop_nonce` and a `DPoP-Nonce` header), at a resource with the token's `ath`
 * and never seen there before (a replayed `jti` is 400 `invalid_dpop_proof`). Returns the key's SHA-256 JWK thumbprint, which binds the token (`cnf.jkt`).
 *
 * @example
 * const jkt = await checkDpopProof(ctx, 'default', { method: 'POST', url: `${server.endpoints}/token`, requireNonce: true });
 */
export async function checkDpopProof(ctx: RequestCtx, server: string, expected: ProofExpectations): Promise<string> {
  const proof = ctx.headers.dpop;
  if (!proof) throw invalidProof('The DPoP proof JWT header is missing.');
  let header: { typ?: unknown; alg?: unknown; jwk?: unknown };
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    throw invalidProof('The DPoP proof JWT is malformed.');
  }
  if (header.typ !== 'dpop+jwt') throw invalidProof("The DPoP proof JWT 'typ' header must be 'dpop+jwt'.");
  if (typeof header.alg !== 'string' || !DPOP_ALGS.includes(header.alg)) throw invalidProof(`The DPoP proof JWT 'alg' must be one of ${DPOP_ALGS.join(', ')}.`);
  const jwk = header.jwk as JWK | undefined;
  if (!jwk || typeof jwk !== 'object' || 'd' in jwk) throw invalidProof("The DPoP proof JWT 'jwk' header must be a public key.");
  let claims: Record<string, unknown>;
  try {
    // A copy: jose must not be handed anything read through a write's state view, and the header is the client's.
    const key = await importJWK({ ...jwk }, header.alg);
    ({ payload: claims } = await jwtVerify(proof, key, { typ: 'dpop+jwt', algorithms: DPOP_ALGS, currentDate: ctx.clock.now() }));
  } catch {
    throw invalidProof('The DPoP proof JWT signature is invalid.');
  }
  if (claims.htm !== expected.method) throw invalidProof(`The DPoP proof 'htm' claim must be '${expected.method}'.`);
  if (!sameEndpoint(claims.htu, expected.url)) throw invalidProof(`The DPoP proof 'htu' claim must be '${expected.url}'.`);
  if (typeof claims.jti !== 'string' || claims.jti === '') throw invalidProof("The DPoP proof 'jti' claim is missing.");
  if (typeof claims.iat !== 'number' || Math.abs(claims.iat - epochSeconds(ctx.clock)) > PROOF_WINDOW_SECONDS) throw invalidProof("The DPoP proof 'iat' claim is missing or not recent.");
  if (expected.accessToken !== undefined && claims.ath !== accessTokenHash(expected.accessToken)) throw invalidProof("The DPoP proof 'ath' claim does not match the access token.");
  if (expected.requireNonce) {
    const nonce = currentNonce(ctx, server);
    if (!acceptsNonce(ctx, nonce, claims.nonce)) {
      throw new OAuthError(400, 'use_dpop_nonce', 'Authorization server requires nonce in DPoP proof.', { 'dpop-nonce': nonce.value });
    }
  }
  const jkt = await calculateJwkThumbprint({ ...jwk }, 'sha256');
  if (expected.accessToken !== undefined) spendProof(ctx, jkt, claims.jti, claims.iat);
  return jkt;
}

/**
 * The JWK thumbprint the token request's proof bound its tokens to, set by the token endpoint for the grant that
 * follows in the same request (none for a client that does not use DPoP).
 *
 * @example
 * const jkt = boundKey(ctx); // 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' or undefined
 */
export function boundKey(ctx: RequestCtx): string | undefined {
  return ctx.memo('okta.dpopBindings', () => new WeakMap<object, string>()).get(ctx.request);
}

/**
 * Requires and checks the DPoP proof of a token request from a client whose tokens must be bound, and remembers the
 * key for the grant (`boundKey`). A client without DPoP is left alone: Okta issues it Bearer tokens.
 *
 * @example
 * await bindTokenRequest(ctx, server.key, `${server.endpoints}/token`, client.app);
 */
export async function bindTokenRequest(ctx: RequestCtx, server: string, tokenUrl: string, app: OktaApp): Promise<void> {
  if (!requiresDpop(app)) return;
  const jkt = await checkDpopProof(ctx, server, { method: 'POST', url: tokenUrl, requireNonce: true });
  ctx.memo('okta.dpopBindings', () => new WeakMap<object, string>()).set(ctx.request, jkt);
}

/**
 * What is wrong with how a request presents an access token to a protected resource (the Management API), or null:
 * a DPoP-bound token (`cnf.jkt`) must come as `Authorization: DPoP` with a proof of its key for this method and URL
 * carrying the token's `ath`; a Bearer token must not claim the DPoP scheme (RFC 9449 §7).
 *
 * @example
 * const problem = await tokenBindingProblem(ctx, live.claims, token, scheme === 'dpop');
 * if (problem) throw new OktaError('E0000011', { causes: [problem] });
 */
export async function tokenBindingProblem(ctx: RequestCtx, claims: Record<string, any>, token: string, presentedAsDpop: boolean): Promise<string | null> {
  const jkt: unknown = claims.cnf?.jkt;
  if (typeof jkt !== 'string') return presentedAsDpop ? 'The access token is not DPoP-bound: send it as a Bearer token.' : null;
  if (!presentedAsDpop) return 'The access token is DPoP-bound: send it with Authorization: DPoP and a DPoP proof.';
  try {
    const proven = await checkDpopProof(ctx, 'org', { method: ctx.request.method, url: `${ctx.url.origin}${ctx.url.pathname}`, accessToken: token, requireNonce: false });
    return proven === jkt ? null : 'The DPoP proof key does not match the key the access token is bound to.';
  } catch (error) {
    if (error instanceof OAuthError) return error.message;
    throw error;
  }
}

/**
 * Binds a refresh token issued with a DPoP-bound access token to the same key when its client is public
 * (`token_endpoint_auth_method: none`): RFC 9449 §5 binds a public client's refresh tokens, whose use must then
 * come with a proof of that key. A confidential client's refresh token stays bound to its credentials only.
 *
 * @example
 * bindRefreshToken(ctx, clientId, refreshToken); // after the token request's proof was checked
 */
export function bindRefreshToken(ctx: RequestCtx, clientId: string, refreshToken: string): void {
  const jkt = boundKey(ctx);
  const app = findClientApp(ctx.state, clientId);
  if (!jkt || !app || configuredMethod(app) !== 'none') return;
  (ctx.state.oauth.dpopRefreshBindings ??= createRecord())[refreshToken] = jkt;
}

/**
 * Refuses a refresh token bound to a DPoP key (`bindRefreshToken`) unless the request's proof is of that key.
 *
 * @example
 * checkRefreshBinding(ctx, form.refresh_token);
 */
export function checkRefreshBinding(ctx: RequestCtx, refreshToken: string): void {
  const bound = ctx.state.oauth.dpopRefreshBindings?.[refreshToken];
  if (bound !== undefined && bound !== boundKey(ctx)) throw invalidProof('The DPoP proof key does not match the key the refresh token is bound to.');
}
