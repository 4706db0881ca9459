import { createLocalJWKSet, decodeJwt, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { copyJson } from './copy-json.js';

/**
 * How an OAuth client authenticates at the token, introspection and revocation endpoints (`token_endpoint_auth_method`).
 *
 * @example
 * const method: ClientAuthMethod = 'client_secret_basic';
 */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'client_secret_jwt' | 'private_key_jwt' | 'none';

/**
 * A client as the twin has it registered, in the terms authentication needs; `client` is the twin's own record.
 *
 * @example
 * const registered: RegisteredClient<ExampleApp> = { client: app, active: true, method: 'client_secret_post', secret: app.secret };
 */
export interface RegisteredClient<C> {
  client: C;
  active: boolean;
  /** The method the client is registered with. */
  method: ClientAuthMethod;
  secret?: string;
  /** The public keys a private_key_jwt client signs its assertions with (only those in use). */
  jwks?: JWK[];
}

/**
 * A client that proved who it is on this request.
 *
 * @example
 * const { client, clientId, method } = await authenticateClient(request, options);
 */
export interface AuthenticatedClient<C> {
  client: C;
  clientId: string;
  /** How it authenticated on this request: `none` for a public client naming itself. */
  method: ClientAuthMethod;
}

/**
 * Why a client was not authenticated, for the twin to word in its vendor's terms. `presented` is how the client
 * tried (a Basic header, a secret in the body, an assertion, or a bare client_id); `audience` goes with
 * `assertion_audience`.
 *
 * @example
 * const refuse = (failure: ClientAuthFailure) => new ExampleError(401, 'invalid_client', failure.kind);
 */
export interface ClientAuthFailure {
  kind:
    | 'multiple_credentials'
    | 'no_credentials'
    | 'malformed_basic'
    | 'client_id_mismatch'
    | 'unknown_client'
    | 'wrong_method'
    | 'invalid_secret'
    | 'invalid_assertion_type'
    | 'malformed_assertion'
    | 'assertion_subject'
    | 'assertion_without_exp'
    | 'assertion_too_long'
    | 'assertion_signature'
    | 'assertion_audience'
    | 'assertion_replayed';
  presented: 'basic' | 'post' | 'assertion' | 'none';
  audience?: string;
}

/**
 * What the twin tells client authentication: how to find a client, what the vendor requires, and how it refuses.
 *
 * @example
 * const options: ClientAuthOptions<ExampleApp> = {
 *   findClient: (id) => registered(ctx.state.apps[id]),
 *   audience: `${ctx.baseUrl}/oauth/token`,
 *   usedAssertions: () => (ctx.state.usedAssertions ??= createRecord()),
 *   refuse: (failure) => new ExampleError(401, 'invalid_client', failure.kind),
 * };
 */
export interface ClientAuthOptions<C> {
  findClient(clientId: string): RegisteredClient<C> | undefined;
  /** The `aud` a client assertion must name: the URL of the endpoint it is sent to. */
  audience: string;
  /** The state's record of assertions already used (`clientId:jti` to their `exp`); asked for only when one is. */
  usedAssertions(): Record<string, number>;
  /** A public client's client_id from the query string, where the endpoint allows one there. */
  queryClientId?: string;
  /** The longest lifetime (exp − iat) an assertion may have; an hour unless given. */
  maxAssertionSeconds?: number;
  /** The vendor's error for a refusal: kit code never words one itself. */
  refuse(failure: ClientAuthFailure): Error;
}

/**
 * The request as client authentication reads it: the Authorization header and the form body.
 *
 * @example
 * const request: ClientAuthRequest = { authorization: ctx.headers.authorization, form: ctx.body ?? {} };
 */
export interface ClientAuthRequest {
  authorization?: string;
  form: Record<string, string | undefined>;
}

const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const ASYMMETRIC_ALGS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];
const HMAC_ALGS = ['HS256', 'HS384', 'HS512'];
const HOUR_SECONDS = 3600;

/** The Basic credentials of an Authorization header: undefined without one, null when it does not hold `id:secret`. */
function basicCredentials(header: string | undefined): { clientId: string; secret: string } | undefined | null {
  const match = header?.match(/^\s*basic\s+(\S+)\s*$/i);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { clientId: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

function checkSecret<C>(registered: RegisteredClient<C> | undefined, secret: string, presented: 'basic' | 'post', options: ClientAuthOptions<C>): C {
  if (!registered || !registered.active) throw options.refuse({ kind: 'unknown_client', presented });
  if (registered.method === 'none' || registered.method === 'private_key_jwt') throw options.refuse({ kind: 'wrong_method', presented });
  const expected = registered.secret;
  // RFC 6749 §2.3.1 form-encodes Basic credentials; many clients do not, so both spellings are accepted.
  const matches = expected !== undefined && (secret === expected || (presented === 'basic' && formDecode(secret) === expected));
  if (!matches) throw options.refuse({ kind: 'invalid_secret', presented });
  return registered.client;
}

/**
 * A client assertion (RFC 7523) signed with one of the client's registered public keys or, for client_secret_jwt,
 * with its secret; `iss` and `sub` are the client id and `aud` the endpoint URL; a jti is accepted once. It is not
 * compared with the twin clock: SDKs sign assertions with the wall clock, while tests usually pin the twin clock.
 */
async function checkAssertion<C>(assertion: string, formClientId: string | undefined, options: ClientAuthOptions<C>): Promise<AuthenticatedClient<C>> {
  const refuse = (kind: ClientAuthFailure['kind'], extra: Partial<ClientAuthFailure> = {}) => options.refuse({ kind, presented: 'assertion', ...extra });
  let claims: JWTPayload;
  try {
    claims = decodeJwt(assertion);
  } catch {
    throw refuse('malformed_assertion');
  }
  const clientId = claims.sub;
  if (typeof clientId !== 'string' || claims.iss !== clientId) throw refuse('assertion_subject');
  if (formClientId !== undefined && formClientId !== clientId) throw refuse('client_id_mismatch');
  const registered = options.findClient(clientId);
  if (!registered || !registered.active) throw refuse('unknown_client');
  const method = registered.method;
  if (method !== 'private_key_jwt' && method !== 'client_secret_jwt') throw refuse('wrong_method');
  if (typeof claims.exp !== 'number') throw refuse('assertion_without_exp');
  if (typeof claims.iat === 'number' && claims.exp - claims.iat > (options.maxAssertionSeconds ?? HOUR_SECONDS)) throw refuse('assertion_too_long');
  // Checking the signature and claims "as of" the assertion's own issue time validates its lifetime without the clock.
  const asOf = new Date((typeof claims.iat === 'number' ? claims.iat : claims.exp - 1) * 1000);
  try {
    if (method === 'private_key_jwt') {
      // A plain copy: jose clones the key set, and one read from a write's state view is a proxy, which cannot be cloned.
      await jwtVerify(assertion, createLocalJWKSet({ keys: copyJson(registered.jwks ?? []) }), { algorithms: ASYMMETRIC_ALGS, currentDate: asOf });
    } else {
      await jwtVerify(assertion, new TextEncoder().encode(registered.secret ?? ''), { algorithms: HMAC_ALGS, currentDate: asOf });
    }
  } catch {
    throw refuse('assertion_signature');
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(options.audience)) throw refuse('assertion_audience', { audience: options.audience });
  if (typeof claims.jti === 'string') {
    const used = options.usedAssertions();
    const key = `${clientId}:${claims.jti}`;
    if (used[key] !== undefined) throw refuse('assertion_replayed');
    used[key] = claims.exp;
  }
  return { client: registered.client, clientId, method };
}

/**
 * Authenticates the client of a token, introspection or revocation request: client_secret_basic (Authorization
 * header), client_secret_post (body), client_secret_jwt or private_key_jwt (`client_assertion`), or a public
 * client's bare client_id. A secret is accepted in the header or the body whichever the client is registered
 * with; more than one kind of credential on one request is refused.
 *
 * @example
 * const { client } = await authenticateClient({ authorization: ctx.headers.authorization, form: ctx.body ?? {} }, {
 *   findClient: (id) => registered(ctx.state.apps[id]),
 *   audience: `${ctx.baseUrl}/oauth/token`,
 *   usedAssertions: () => (ctx.state.usedAssertions ??= createRecord()),
 *   refuse: (failure) => new ExampleError(401, 'invalid_client', failure.kind),
 * });
 */
export async function authenticateClient<C>(request: ClientAuthRequest, options: ClientAuthOptions<C>): Promise<AuthenticatedClient<C>> {
  const form = request.form;
  const basic = basicCredentials(request.authorization);
  const supplied = [basic !== undefined, form.client_secret !== undefined, form.client_assertion !== undefined].filter(Boolean).length;
  if (supplied > 1) throw options.refuse({ kind: 'multiple_credentials', presented: 'basic' });
  if (basic === null) throw options.refuse({ kind: 'malformed_basic', presented: 'basic' });
  if (basic) {
    const clientId = formDecode(basic.clientId);
    if (form.client_id !== undefined && form.client_id !== clientId) throw options.refuse({ kind: 'client_id_mismatch', presented: 'basic' });
    return { client: checkSecret(options.findClient(clientId), basic.secret, 'basic', options), clientId, method: 'client_secret_basic' };
  }
  if (form.client_secret !== undefined) {
    if (!form.client_id) throw options.refuse({ kind: 'no_credentials', presented: 'post' });
    return { client: checkSecret(options.findClient(form.client_id), form.client_secret, 'post', options), clientId: form.client_id, method: 'client_secret_post' };
  }
  if (form.client_assertion !== undefined || form.client_assertion_type !== undefined) {
    if (form.client_assertion_type !== JWT_BEARER_ASSERTION || !form.client_assertion) throw options.refuse({ kind: 'invalid_assertion_type', presented: 'assertion' });
    return checkAssertion(form.client_assertion, form.client_id, options);
  }
  const clientId = form.client_id ?? options.queryClientId;
  if (!clientId) throw options.refuse({ kind: 'no_credentials', presented: 'none' });
  const registered = options.findClient(clientId);
  if (!registered || !registered.active) throw options.refuse({ kind: 'unknown_client', presented: 'none' });
  if (registered.method !== 'none') throw options.refuse({ kind: 'wrong_method', presented: 'none' });
  return { client: registered.client, clientId, method: 'none' };
}
