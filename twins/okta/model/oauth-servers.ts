import { notFound } from '../errors.js';
import type { CustomAuthorizationServer, RequestCtx } from '../types.js';
import { DPOP_ALGS } from './dpop.js';
import { OKTA_API_SCOPES, ORG_OIDC_SCOPES } from './oauth-scopes.js';

/** The authorization server a request addresses: the org one (`/oauth2/v1`) or a custom one (`/oauth2/{id}/v1`). */
export interface AuthorizationServer {
  /** `org`, or the custom server's id; tokens and codes remember it so no server accepts another's. */
  key: string;
  custom: boolean;
  issuer: string;
  /** The `aud` of the access tokens it mints. */
  audience: string;
  /** Absolute URL its endpoint names are appended to, e.g. `https://x/oauth2/default/v1`. */
  endpoints: string;
  /** Scope names it accepts from clients. */
  knows(scope: string): boolean;
  /** Scopes granted to a client_credentials request without a `scope` parameter. */
  defaultScopes: string[];
  /** Scopes its discovery documents publish. */
  publishedScopes: string[];
}

const ORG_SERVER_KEY = 'org';

/** The org authorization server: its issuer is the org URL, and its access tokens are for Okta's own APIs. */
export function orgServer(ctx: RequestCtx): AuthorizationServer {
  const base = ctx.baseUrl.replace(/\/+$/, '');
  return {
    key: ORG_SERVER_KEY,
    custom: false,
    issuer: base,
    audience: base,
    endpoints: `${base}/oauth2/v1`,
    knows: (scope) => ORG_OIDC_SCOPES.includes(scope) || OKTA_API_SCOPES.has(scope),
    defaultScopes: [],
    publishedScopes: ORG_OIDC_SCOPES,
  };
}

/**
 * The server named by the request path. An unknown or inactive custom server is Okta's 404 E0000007
 * `Not found: Resource not found: {id} (AuthorizationServer)`, even on the OAuth endpoints.
 */
export function resolveServer(ctx: RequestCtx): AuthorizationServer {
  const id: string | undefined = ctx.params.authorizationServerId;
  if (id === undefined) return orgServer(ctx);
  const record: CustomAuthorizationServer | undefined = ctx.state.oauth.authorizationServers?.[id];
  if (!record || record.status !== 'ACTIVE') throw notFound(id, 'AuthorizationServer');
  const base = ctx.baseUrl.replace(/\/+$/, '');
  return {
    key: record.id,
    custom: true,
    issuer: `${base}/oauth2/${record.id}`,
    audience: record.audiences[0],
    endpoints: `${base}/oauth2/${record.id}/v1`,
    knows: (scope) => record.scopes.some((s) => s.name === scope),
    defaultScopes: record.scopes.filter((s) => s.default).map((s) => s.name),
    publishedScopes: record.scopes.filter((s) => s.metadataPublish === 'ALL_CLIENTS').map((s) => s.name),
  };
}

const ENDPOINT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'];

const REQUEST_OBJECT_ALGS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];

const ID_TOKEN_CLAIMS = [
  'iss', 'ver', 'sub', 'aud', 'iat', 'exp', 'jti', 'auth_time', 'amr', 'idp', 'nonce', 'name', 'nickname',
  'preferred_username', 'given_name', 'middle_name', 'family_name', 'email', 'email_verified', 'profile',
  'zoneinfo', 'locale', 'address', 'phone_number', 'picture', 'website', 'gender', 'birthdate', 'updated_at',
  'at_hash', 'c_hash',
];

const ACCESS_TOKEN_CLAIMS = ['ver', 'jti', 'iss', 'aud', 'iat', 'exp', 'cid', 'uid', 'scp', 'sub'];

/**
 * A discovery document. The OpenID Connect one leaves out client_credentials and the bare `token` response type,
 * which only the OAuth 2.0 metadata of a custom server lists (as Okta's own documents do). It advertises only what
 * the twin serves: Okta's documents also list dynamic client registration, device authorization (and its grant)
 * and pushed authorization requests, which the twin does not emulate, so a client never discovers a dead endpoint.
 */
export function discoveryDocument(ctx: RequestCtx, server: AuthorizationServer, kind: 'openid' | 'oauth'): Record<string, unknown> {
  const e = server.endpoints;
  const oidc = kind === 'openid';
  return {
    issuer: server.issuer,
    authorization_endpoint: `${e}/authorize`,
    token_endpoint: `${e}/token`,
    ...(oidc ? { userinfo_endpoint: `${e}/userinfo` } : {}),
    jwks_uri: `${e}/keys`,
    response_types_supported: ['code', ...(oidc ? [] : ['token']), 'id_token', 'code id_token', 'code token', 'id_token token', 'code id_token token'],
    response_modes_supported: ['query', 'fragment', 'form_post', 'okta_post_message'],
    grant_types_supported: ['authorization_code', 'implicit', 'refresh_token', 'password', ...(oidc ? [] : ['client_credentials'])],
    subject_types_supported: ['public'],
    ...(oidc ? { id_token_signing_alg_values_supported: ['RS256'] } : {}),
    // Custom servers announce ID token encryption (CustomASOidcMetadata in Okta's OAuth spec); the org server does not.
    ...(oidc && server.custom ? { id_token_encryption_alg_values_supported: ['RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512'], id_token_encryption_enc_values_supported: ['A256GCM'] } : {}),
    scopes_supported: server.publishedScopes,
    token_endpoint_auth_methods_supported: ENDPOINT_AUTH_METHODS,
    claims_supported: oidc ? ID_TOKEN_CLAIMS : ACCESS_TOKEN_CLAIMS,
    code_challenge_methods_supported: ['S256'],
    introspection_endpoint: `${e}/introspect`,
    introspection_endpoint_auth_methods_supported: ENDPOINT_AUTH_METHODS,
    revocation_endpoint: `${e}/revoke`,
    revocation_endpoint_auth_methods_supported: ENDPOINT_AUTH_METHODS,
    end_session_endpoint: `${e}/logout`,
    request_parameter_supported: true,
    request_object_signing_alg_values_supported: REQUEST_OBJECT_ALGS,
    dpop_signing_alg_values_supported: DPOP_ALGS,
  };
}
