/**
 * The discovery documents and JWKS of the org and default authorization servers. Sources:
 *  - [oauth] okta/okta-management-openapi-spec dist/current/oauth-minimal.yaml (Okta's OAuth OpenAPI document and its examples
 *    OrgASOidcMetadata, CustomASOidcMetadata, CustomASOAuthMetadata)
 *  - [issue] the OAuth requirements: discovery, /oauth2/v1/keys (a real JWKS), RS256 JWTs jose verifies
 * Blocks declared with `describeDefault` run against a DEFAULT twin (`createOktaTwin()`: system clock, not strict) and
 * the official SDK with its DEFAULT options (response cache on), over both the HTTP server and MSW.
 */
import { decodeProtectedHeader } from 'jose';
import { expect, test } from 'vitest';
import { employee, get, signIn, webApp } from '../../support/okta-oauth.js';
import { describeDefault, describeOkta } from '../../support/okta.js';

describeOkta('OIDC discovery documents, field for field', (t) => {
  /** Okta's example with {yourOktaDomain} made the twin's base URL. */
  function example(doc: Record<string, any>, issuerPath: string): Record<string, any> {
    return JSON.parse(JSON.stringify(doc).replaceAll('https://{yourOktaDomain}', t.baseUrl).replaceAll('/oauth2/aus59pz16qgMvHvBS0g7', issuerPath));
  }

  test('the org server metadata is Okta\'s OrgASOidcMetadata example, field for field', async () => {
    const res = await get(t, '/.well-known/openid-configuration');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = await res.json();
    // [oauth components.examples.OrgASOidcMetadata]
    expect(doc).toEqual(example(ORG_AS_OIDC_METADATA, ''));
  });

  test('the default server\'s OpenID metadata has every field of Okta\'s CustomASOidcMetadata example (ID token encryption included)', async () => {
    const doc = await (await get(t, '/oauth2/default/.well-known/openid-configuration')).json();
    const expected = example(CUSTOM_AS_OIDC_METADATA, '/oauth2/default');
    // scopes_supported lists the server's own published scopes; everything else is fixed by Okta.
    const { scopes_supported: scopes, ...rest } = doc;
    const { scopes_supported: _s, ...expectedRest } = expected;
    expect(Object.keys(rest).sort()).toEqual(Object.keys(expectedRest).sort());
    expect(rest).toEqual(expectedRest);
    expect(scopes).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'address', 'phone', 'offline_access', 'device_sso']));
  });

  test('the default server\'s OAuth 2.0 metadata is Okta\'s CustomASOAuthMetadata example but for the scopes', async () => {
    const doc = await (await get(t, '/oauth2/default/.well-known/oauth-authorization-server')).json();
    const { scopes_supported: _a, ...rest } = doc;
    const { scopes_supported: _b, ...expected } = example(CUSTOM_AS_OAUTH_METADATA, '/oauth2/default');
    expect(rest).toEqual(expected);
  });

  test('jwks_uri of each discovery document serves RS256 signing keys whose kid signs that server\'s tokens', async () => {
    const web = await webApp(t);
    await employee(t, web);
    for (const [discoveryPath, server] of [['/.well-known/openid-configuration', '/oauth2'], ['/oauth2/default/.well-known/openid-configuration', '/oauth2/default']] as const) {
      const discovery = await (await get(t, discoveryPath)).json();
      const tokens = await signIn(t, web, 'openid', 'kj@example.com', server);
      const jwks = await (await fetch(discovery.jwks_uri)).json();
      for (const key of jwks.keys) expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String), e: 'AQAB', n: expect.any(String) });
      expect(jwks.keys.map((k: any) => k.kid)).toContain(decodeProtectedHeader(tokens.id_token).kid);
      expect(jwks.keys.map((k: any) => k.kid)).toContain(decodeProtectedHeader(tokens.access_token).kid);
      // No private parts ever leave Okta.
      for (const key of jwks.keys) for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key[secret]).toBeUndefined();
    }
  });
});

describeDefault('Discovery and JWKS on a default twin', (e) => {
  test('org and default discovery documents name their issuer and endpoints on the twin\'s base URL', async () => {
    const org = await get(e, '/.well-known/openid-configuration');
    expect(org.status).toBe(200);
    const od = await org.json();
    expect(od).toMatchObject({
      issuer: e.baseUrl,
      authorization_endpoint: `${e.baseUrl}/oauth2/v1/authorize`,
      token_endpoint: `${e.baseUrl}/oauth2/v1/token`,
      userinfo_endpoint: `${e.baseUrl}/oauth2/v1/userinfo`,
      jwks_uri: `${e.baseUrl}/oauth2/v1/keys`,
      introspection_endpoint: `${e.baseUrl}/oauth2/v1/introspect`,
      revocation_endpoint: `${e.baseUrl}/oauth2/v1/revoke`,
    });
    expect(od.id_token_signing_alg_values_supported).toContain('RS256');
    expect(od.code_challenge_methods_supported).toContain('S256');
    const def = await (await get(e, '/oauth2/default/.well-known/openid-configuration')).json();
    expect(def).toMatchObject({
      issuer: `${e.baseUrl}/oauth2/default`,
      token_endpoint: `${e.baseUrl}/oauth2/default/v1/token`,
      jwks_uri: `${e.baseUrl}/oauth2/default/v1/keys`,
      userinfo_endpoint: `${e.baseUrl}/oauth2/default/v1/userinfo`,
    });
    // Okta's CustomASOidcMetadata example lists no client_credentials; its OAuth 2.0 metadata (CustomASOAuthMetadata) does.
    expect(def.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token']));
    const oauthMeta = await (await get(e, '/oauth2/default/.well-known/oauth-authorization-server')).json();
    expect(oauthMeta.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'client_credentials', 'refresh_token']));
  });

  test('/oauth2/v1/keys and /oauth2/default/v1/keys are real public RSA JWKS (RS256, use sig, kid; no private members)', async () => {
    for (const path of ['/oauth2/v1/keys', '/oauth2/default/v1/keys']) {
      const res = await get(e, path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const { keys } = await res.json();
      expect(keys.length).toBeGreaterThan(0);
      for (const k of keys) {
        expect(k).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String), e: 'AQAB', n: expect.stringMatching(/^[A-Za-z0-9_-]{300,}$/) });
        for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(k).not.toHaveProperty(secret);
      }
    }
  });

  // Each authorization server has its own signing keys: the Management API manages a custom server's keys per
  // authServerId (AuthorizationServerKeys: "Lists all of the current, future, and expired Keys used by the Custom
  // Authorization Server"; POST /api/v1/authorizationServers/{authServerId}/credentials/lifecycle/keyRotate), and an
  // org-server token checked against /oauth2/default/v1/keys fails with "The signature key was not found"
  // (devforum.okta.com/t/access-token-validation/406).
  test('the org server and the default server publish different signing keys (kids)', async () => {
    const org = (await (await get(e, '/oauth2/v1/keys')).json()).keys.map((k: any) => k.kid);
    const def = (await (await get(e, '/oauth2/default/v1/keys')).json()).keys.map((k: any) => k.kid);
    expect(org.filter((kid: string) => def.includes(kid))).toEqual([]);
  });

  test('an unknown custom authorization server is 404', async () => {
    const res = await get(e, '/oauth2/nosuchserver/.well-known/openid-configuration');
    expect(res.status).toBe(404);
  });
});

// ---------- Okta's examples, as in okta/okta-management-openapi-spec dist/current/oauth-minimal.yaml ----------

const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'];
const REQUEST_ALGS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];
const ID_CLAIMS = [
  'iss', 'ver', 'sub', 'aud', 'iat', 'exp', 'jti', 'auth_time', 'amr', 'idp', 'nonce', 'name', 'nickname', 'preferred_username',
  'given_name', 'middle_name', 'family_name', 'email', 'email_verified', 'profile', 'zoneinfo', 'locale', 'address', 'phone_number',
  'picture', 'website', 'gender', 'birthdate', 'updated_at', 'at_hash', 'c_hash',
];
/**
 * Okta's examples also list dynamic client registration, device authorization (and the device_code grant) and
 * pushed authorization requests; the twin does not serve them, so its documents leave them out. Its examples
 * predate DPoP, which Okta's documents now advertise with dpop_signing_alg_values_supported.
 */
const DPOP_ALGS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];
const D = 'https://{yourOktaDomain}';
const A = `${D}/oauth2/aus59pz16qgMvHvBS0g7`;

const ORG_AS_OIDC_METADATA = {
  issuer: D,
  authorization_endpoint: `${D}/oauth2/v1/authorize`,
  token_endpoint: `${D}/oauth2/v1/token`,
  userinfo_endpoint: `${D}/oauth2/v1/userinfo`,
  jwks_uri: `${D}/oauth2/v1/keys`,
  response_types_supported: ['code', 'id_token', 'code id_token', 'code token', 'id_token token', 'code id_token token'],
  response_modes_supported: ['query', 'fragment', 'form_post', 'okta_post_message'],
  grant_types_supported: ['authorization_code', 'implicit', 'refresh_token', 'password'],
  subject_types_supported: ['public'],
  id_token_signing_alg_values_supported: ['RS256'],
  scopes_supported: ['openid', 'email', 'profile', 'address', 'phone', 'offline_access', 'groups'],
  token_endpoint_auth_methods_supported: AUTH_METHODS,
  claims_supported: ID_CLAIMS,
  code_challenge_methods_supported: ['S256'],
  introspection_endpoint: `${D}/oauth2/v1/introspect`,
  introspection_endpoint_auth_methods_supported: AUTH_METHODS,
  revocation_endpoint: `${D}/oauth2/v1/revoke`,
  revocation_endpoint_auth_methods_supported: AUTH_METHODS,
  end_session_endpoint: `${D}/oauth2/v1/logout`,
  request_parameter_supported: true,
  request_object_signing_alg_values_supported: REQUEST_ALGS,
  dpop_signing_alg_values_supported: DPOP_ALGS,
};

const CUSTOM_AS_OIDC_METADATA = {
  issuer: A,
  authorization_endpoint: `${A}/v1/authorize`,
  token_endpoint: `${A}/v1/token`,
  userinfo_endpoint: `${A}/v1/userinfo`,
  jwks_uri: `${A}/v1/keys`,
  response_types_supported: ['code', 'id_token', 'code id_token', 'code token', 'id_token token', 'code id_token token'],
  response_modes_supported: ['query', 'fragment', 'form_post', 'okta_post_message'],
  grant_types_supported: ['authorization_code', 'implicit', 'refresh_token', 'password'],
  subject_types_supported: ['public'],
  id_token_signing_alg_values_supported: ['RS256'],
  id_token_encryption_alg_values_supported: ['RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512'],
  id_token_encryption_enc_values_supported: ['A256GCM'],
  scopes_supported: [],
  token_endpoint_auth_methods_supported: AUTH_METHODS,
  claims_supported: ID_CLAIMS,
  code_challenge_methods_supported: ['S256'],
  introspection_endpoint: `${A}/v1/introspect`,
  introspection_endpoint_auth_methods_supported: AUTH_METHODS,
  revocation_endpoint: `${A}/v1/revoke`,
  revocation_endpoint_auth_methods_supported: AUTH_METHODS,
  end_session_endpoint: `${A}/v1/logout`,
  request_parameter_supported: true,
  request_object_signing_alg_values_supported: REQUEST_ALGS,
  dpop_signing_alg_values_supported: DPOP_ALGS,
};

const CUSTOM_AS_OAUTH_METADATA = {
  issuer: A,
  authorization_endpoint: `${A}/v1/authorize`,
  token_endpoint: `${A}/v1/token`,
  jwks_uri: `${A}/v1/keys`,
  response_types_supported: ['code', 'token', 'id_token', 'code id_token', 'code token', 'id_token token', 'code id_token token'],
  response_modes_supported: ['query', 'fragment', 'form_post', 'okta_post_message'],
  grant_types_supported: ['authorization_code', 'implicit', 'refresh_token', 'password', 'client_credentials'],
  subject_types_supported: ['public'],
  scopes_supported: [],
  token_endpoint_auth_methods_supported: AUTH_METHODS,
  claims_supported: ['ver', 'jti', 'iss', 'aud', 'iat', 'exp', 'cid', 'uid', 'scp', 'sub'],
  code_challenge_methods_supported: ['S256'],
  introspection_endpoint: `${A}/v1/introspect`,
  introspection_endpoint_auth_methods_supported: AUTH_METHODS,
  revocation_endpoint: `${A}/v1/revoke`,
  revocation_endpoint_auth_methods_supported: AUTH_METHODS,
  end_session_endpoint: `${A}/v1/logout`,
  request_parameter_supported: true,
  request_object_signing_alg_values_supported: REQUEST_ALGS,
  dpop_signing_alg_values_supported: DPOP_ALGS,
};
