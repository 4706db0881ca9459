/**
 * Second red-team round: OAuth 2.0 / OpenID Connect as an app does it, over plain HTTP and jose. Sources:
 *  - [oauth] okta/okta-management-openapi-spec dist/current/oauth-minimal.yaml (Okta's OAuth OpenAPI document and its examples
 *    OrgASOidcMetadata, CustomASOidcMetadata, CustomASOAuthMetadata, IntrospectionAccessToken, UserInfoExample)
 *  - [authcode] developer.okta.com/docs/guides/implement-grant-type/authcode/main/ ("This code remains valid for 300 seconds")
 *  - [pkce] developer.okta.com/docs/guides/implement-grant-type/authcodepkce/main/
 *  - [validate] developer.okta.com/docs/guides/validate-id-tokens/ and validate-access-tokens/
 *  - [oidc] OpenID Connect Core 1.0 §3.1.3.6 (at_hash), §5.3 (UserInfo)
 * The twin has no sign-in page: `login_hint` names the ACTIVE user whose browser session is assumed (twins/okta/oauth-authorize.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { expect, test } from 'vitest';
import { describeOkta, TEST_CLOCK, type OktaTarget } from './support/okta.js';
import { basic, postForm } from './support/okta-oauth.js';

const REDIRECT_URI = 'https://web.example.com/authorization-code/callback';
const PASSWORD = 'Correct-Horse-42';
const NOW = Date.parse(TEST_CLOCK) / 1000;

function pkcePair() {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}


function get(t: OktaTarget, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(t.baseUrl + path, { headers: { accept: 'application/json', ...headers }, redirect: 'manual' });
}

interface WebApp {
  appId: string;
  clientId: string;
  secret: string;
  auth: string;
}

/** A confidential web app (client_secret_basic) made through the SDK, as the "Create an OIDC web app" docs show. */
async function webApp(t: OktaTarget, settings: Record<string, unknown> = {}, grantTypes = ['authorization_code', 'refresh_token']): Promise<WebApp> {
  const app: any = await t.client.applicationApi.createApplication({
    application: {
      name: 'oidc_client',
      label: 'Expense Reports',
      signOnMode: 'OPENID_CONNECT',
      credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_basic' } },
      settings: { oauthClient: { application_type: 'web', grant_types: grantTypes, response_types: ['code'], redirect_uris: [REDIRECT_URI], ...settings } },
    } as any,
  });
  const clientId = app.credentials.oauthClient.client_id;
  const secret = app.credentials.oauthClient.client_secret;
  return { appId: app.id, clientId, secret, auth: basic(clientId, secret) };
}

async function employee(t: OktaTarget, app: WebApp, profile: Record<string, unknown> = {}) {
  const user: any = await t.client.userApi.createUser({
    body: {
      profile: { firstName: 'Katherine', lastName: 'Johnson', email: 'kj@example.com', login: 'kj@example.com', ...profile },
      credentials: { password: { value: PASSWORD } },
    },
  });
  await t.client.applicationApi.assignUserToApplication({ appId: app.appId, appUser: { id: user.id } });
  return user as { id: string; profile: Record<string, any> };
}

/** Sends the browser to /authorize and returns what comes back on the redirect URI (query or fragment). */
async function authorize(t: OktaTarget, params: Record<string, string>, server = '/oauth2/default'): Promise<URLSearchParams> {
  const res = await get(t, `${server}/v1/authorize?${new URLSearchParams(params)}`);
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
  return location.hash ? new URLSearchParams(location.hash.slice(1)) : location.searchParams;
}

/** The whole authorization code + PKCE dance for the user; returns the token response. */
async function signIn(t: OktaTarget, app: WebApp, scope: string, login = 'kj@example.com', server = '/oauth2/default') {
  const { verifier, challenge } = pkcePair();
  const back = await authorize(t, { client_id: app.clientId, response_type: 'code', scope, redirect_uri: REDIRECT_URI, state: 'st-1', nonce: 'n-1', code_challenge: challenge, code_challenge_method: 'S256', login_hint: login }, server);
  const code = back.get('code');
  expect(code, back.get('error_description') ?? '').toBeTruthy();
  const res = await postForm(t, `${server}/v1/token`, { grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT_URI, code_verifier: verifier }, { authorization: app.auth });
  expect(res.status).toBe(200);
  return res.json();
}

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

describeOkta('Story: a web app signs a user in with authorization code + PKCE and validates the tokens', (t) => {
  test('discovery → /authorize → /token → ID token validated (iss, aud, nonce, at_hash, iat/exp on the twin clock) and access token validated with jose', async () => {
    const web = await webApp(t);
    const user = await employee(t, web);
    const discovery = await (await get(t, '/oauth2/default/.well-known/openid-configuration')).json();
    const { verifier, challenge } = pkcePair();

    const authorizeUrl = new URL(discovery.authorization_endpoint);
    for (const [k, v] of Object.entries({ client_id: web.clientId, response_type: 'code', scope: 'openid profile email', redirect_uri: REDIRECT_URI, state: 'xyz-state', nonce: 'abc-nonce', code_challenge: challenge, code_challenge_method: 'S256', login_hint: 'kj@example.com' })) {
      authorizeUrl.searchParams.set(k, v);
    }
    const redirect = await fetch(authorizeUrl, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const callback = new URL(redirect.headers.get('location')!);
    expect(callback.searchParams.get('state')).toBe('xyz-state');
    const code = callback.searchParams.get('code')!;
    // [oauth authorize]: a code response in the query carries only code and state.
    expect([...callback.searchParams.keys()].sort()).toEqual(['code', 'state']);

    const res = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: web.auth },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const tokens = await res.json();
    // [oauth schemas.TokenResponse]: no refresh token without offline_access.
    expect(Object.keys(tokens).sort()).toEqual(['access_token', 'expires_in', 'id_token', 'scope', 'token_type']);
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'openid profile email' });

    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const id = await jwtVerify(tokens.id_token, jwks, { issuer: discovery.issuer, audience: web.clientId, algorithms: ['RS256'], currentDate: t.twin.clock.now() });
    expect(id.protectedHeader.alg).toBe('RS256');
    expect(id.payload).toMatchObject({ sub: user.id, nonce: 'abc-nonce', iat: NOW, exp: NOW + 3600, auth_time: NOW, ver: 1, amr: ['pwd'], email: 'kj@example.com', preferred_username: 'kj@example.com', name: 'Katherine Johnson' });
    // [oidc §3.1.3.6]: at_hash is the left half of SHA-256 of the access token, base64url.
    expect(id.payload.at_hash).toBe(createHash('sha256').update(tokens.access_token).digest().subarray(0, 16).toString('base64url'));

    const access = await jwtVerify(tokens.access_token, jwks, { issuer: discovery.issuer, audience: 'api://default', algorithms: ['RS256'], currentDate: t.twin.clock.now() });
    expect(access.payload).toMatchObject({ ver: 1, jti: expect.stringMatching(/^AT\./), iss: discovery.issuer, aud: 'api://default', iat: NOW, exp: NOW + 3600, cid: web.clientId, uid: user.id, scp: ['openid', 'profile', 'email'], sub: 'kj@example.com', auth_time: NOW });

    // An hour later both tokens are expired for a validating app.
    t.twin.clock.advance(3601_000);
    await expect(jwtVerify(tokens.id_token, jwks, { issuer: discovery.issuer, audience: web.clientId, currentDate: t.twin.clock.now() })).rejects.toThrow(/exp/);
    const userinfo = await get(t, '/oauth2/default/v1/userinfo', { authorization: `Bearer ${tokens.access_token}` });
    expect(userinfo.status).toBe(401);
  });

  test('signing in sets the user\'s lastLogin to the sign-in time', async () => {
    const web = await webApp(t);
    const user = await employee(t, web);
    expect((await t.client.userApi.getUser({ userId: user.id })).lastLogin).toBeNull();
    t.twin.clock.advance(90_000);
    await signIn(t, web, 'openid');
    expect((await t.client.userApi.getUser({ userId: user.id })).lastLogin?.toISOString()).toBe(new Date((NOW + 90) * 1000).toISOString());
  });

  test('a code is redeemed once, only within 300 seconds, only with its redirect_uri and verifier, and only by its client', async () => {
    const web = await webApp(t);
    const other = await webApp(t);
    await employee(t, web);
    const start = async () => {
      const { verifier, challenge } = pkcePair();
      const back = await authorize(t, { client_id: web.clientId, response_type: 'code', scope: 'openid', redirect_uri: REDIRECT_URI, state: 's', code_challenge: challenge, code_challenge_method: 'S256', login_hint: 'kj@example.com' });
      return { code: back.get('code')!, verifier };
    };
    const exchange = (fields: Record<string, string>, auth = web.auth) => postForm(t, '/oauth2/default/v1/token', { grant_type: 'authorization_code', redirect_uri: REDIRECT_URI, ...fields }, { authorization: auth });

    // [authcode]: "This code remains valid for 300 seconds".
    const a = await start();
    t.twin.clock.advance(299_000);
    expect((await exchange({ code: a.code, code_verifier: a.verifier })).status).toBe(200);

    const b = await start();
    t.twin.clock.advance(301_000);
    const late = await exchange({ code: b.code, code_verifier: b.verifier });
    expect(late.status).toBe(400);
    expect((await late.json()).error).toBe('invalid_grant');

    const c = await start();
    const wrongClient = await exchange({ code: c.code, code_verifier: c.verifier }, other.auth);
    expect(wrongClient.status).toBe(400);
    expect((await wrongClient.json()).error).toBe('invalid_grant');

    const d = await start();
    const noRedirect = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'authorization_code', code: d.code, code_verifier: d.verifier }, { authorization: web.auth });
    expect(noRedirect.status).toBe(400);
    expect((await noRedirect.json()).error).toBe('invalid_grant');

    const e = await start();
    const missingVerifier = await exchange({ code: e.code });
    expect(missingVerifier.status).toBe(400);
    expect((await missingVerifier.json()).error).toMatch(/^invalid_(grant|request)$/);
  });

  test('hybrid "code id_token" returns both in the fragment; the ID token carries c_hash and the nonce', async () => {
    const web = await webApp(t, { response_types: ['code', 'id_token'] }, ['authorization_code', 'implicit']);
    await employee(t, web);
    const back = await authorize(t, { client_id: web.clientId, response_type: 'code id_token', scope: 'openid', redirect_uri: REDIRECT_URI, state: 's', nonce: 'hy-nonce', login_hint: 'kj@example.com' });
    const code = back.get('code')!;
    const id = decodeJwt(back.get('id_token')!);
    expect(id.nonce).toBe('hy-nonce');
    expect(id.c_hash).toBe(createHash('sha256').update(code).digest().subarray(0, 16).toString('base64url'));
    expect(back.get('state')).toBe('s');
  });
});

describeOkta('Story: a web app keeps a user signed in with refresh tokens (offline_access)', (t) => {
  test('ROTATE: each refresh answers a new refresh token; with leeway 0 the old one is refused at once', async () => {
    const web = await webApp(t, { refresh_token: { rotation_type: 'ROTATE', leeway: 0 } });
    await employee(t, web);
    const first = await signIn(t, web, 'openid offline_access');
    expect(first.refresh_token).toEqual(expect.any(String));
    expect(first.scope).toBe('openid offline_access');

    t.twin.clock.advance(60_000);
    const res = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token, scope: 'openid offline_access' }, { authorization: web.auth });
    expect(res.status).toBe(200);
    const second = await res.json();
    expect(second).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'openid offline_access', refresh_token: expect.any(String), id_token: expect.any(String) });
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(decodeJwt(second.access_token).iat).toBe(NOW + 60);
    // The refreshed ID token keeps the original authentication time.
    expect(decodeJwt(second.id_token)).toMatchObject({ iat: NOW + 60, auth_time: NOW });

    const stale = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token }, { authorization: web.auth });
    expect(stale.status).toBe(400);
    expect(await stale.json()).toEqual({ error: 'invalid_grant', error_description: 'The refresh token is invalid or expired.' });
    const next = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'refresh_token', refresh_token: second.refresh_token }, { authorization: web.auth });
    expect(next.status).toBe(200);
  });

  test('STATIC: the same refresh token comes back; a narrower scope is echoed; a wider one is invalid_scope', async () => {
    const web = await webApp(t, { refresh_token: { rotation_type: 'STATIC', leeway: 0 } });
    await employee(t, web);
    const first = await signIn(t, web, 'openid email offline_access');
    const narrower = await (await postForm(t, '/oauth2/default/v1/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token, scope: 'openid email' }, { authorization: web.auth })).json();
    expect(narrower.refresh_token).toBe(first.refresh_token);
    expect(narrower.scope).toBe('openid email');
    const wider = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token, scope: 'openid email profile' }, { authorization: web.auth });
    expect(wider.status).toBe(400);
    expect((await wider.json()).error).toBe('invalid_scope');
  });

  test('a refresh token introspects active for its client, and stops refreshing once its user is suspended', async () => {
    const web = await webApp(t);
    const user = await employee(t, web);
    const tokens = await signIn(t, web, 'openid offline_access');
    const introspect = () => postForm(t, '/oauth2/default/v1/introspect', { token: tokens.refresh_token, token_type_hint: 'refresh_token' }, { authorization: web.auth });
    expect(await (await introspect()).json()).toMatchObject({ active: true, token_type: 'Bearer', scope: 'openid offline_access', client_id: web.clientId, username: 'kj@example.com', sub: 'kj@example.com' });
    await t.client.userApi.suspendUser({ userId: user.id });
    const refused = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, { authorization: web.auth });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toBe('invalid_grant');
  });
});

describeOkta('Story: a resource server introspects and a client revokes tokens', (t) => {
  test('introspection of an access token answers Okta\'s IntrospectionAccessToken fields; an unknown token is {active:false}', async () => {
    const web = await webApp(t);
    const user = await employee(t, web);
    const tokens = await signIn(t, web, 'openid profile');
    const res = await postForm(t, '/oauth2/default/v1/introspect', { token: tokens.access_token, token_type_hint: 'access_token' }, { authorization: web.auth });
    expect(res.status).toBe(200);
    const body = await res.json();
    // [oauth examples.IntrospectionAccessToken]
    expect(body).toEqual({
      active: true,
      token_type: 'Bearer',
      scope: 'openid profile',
      client_id: web.clientId,
      username: 'kj@example.com',
      exp: NOW + 3600,
      iat: NOW,
      sub: 'kj@example.com',
      aud: 'api://default',
      iss: `${t.baseUrl}/oauth2/default`,
      jti: decodeJwt(tokens.access_token).jti,
      uid: user.id,
    });
    const unknown = await postForm(t, '/oauth2/default/v1/introspect', { token: 'not-a-token-at-all' }, { authorization: web.auth });
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual({ active: false });
    // Another server's introspection endpoint does not know the token.
    const elsewhere = await postForm(t, '/oauth2/v1/introspect', { token: tokens.access_token }, { authorization: web.auth });
    expect(await elsewhere.json()).toEqual({ active: false });
  });

  test('revoke: 200 with no body; a client may only revoke its own tokens; revoking the access token leaves the refresh token', async () => {
    const web = await webApp(t);
    const intruder = await webApp(t);
    await employee(t, web);
    const tokens = await signIn(t, web, 'openid offline_access');
    const introspect = (token: string) => postForm(t, '/oauth2/default/v1/introspect', { token }, { authorization: web.auth }).then((r) => r.json());

    // [oauth revoke]: "A client may only revoke its own tokens."
    const foreign = await postForm(t, '/oauth2/default/v1/revoke', { token: tokens.access_token, token_type_hint: 'access_token' }, { authorization: intruder.auth });
    expect(foreign.status).toBe(200);
    expect((await introspect(tokens.access_token)).active).toBe(true);

    const own = await postForm(t, '/oauth2/default/v1/revoke', { token: tokens.access_token, token_type_hint: 'access_token' }, { authorization: web.auth });
    expect(own.status).toBe(200);
    expect(await own.text()).toBe('');
    expect(await introspect(tokens.access_token)).toEqual({ active: false });
    expect((await introspect(tokens.refresh_token)).active).toBe(true);
    // Revoking again is still a success, so nothing leaks.
    expect((await postForm(t, '/oauth2/default/v1/revoke', { token: tokens.access_token }, { authorization: web.auth })).status).toBe(200);
    const refreshed = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, { authorization: web.auth });
    expect(refreshed.status).toBe(200);
  });

  test('introspect and revoke need client authentication: no credentials is 401 invalid_client', async () => {
    const web = await webApp(t);
    await employee(t, web);
    const tokens = await signIn(t, web, 'openid');
    for (const endpoint of ['introspect', 'revoke']) {
      const res = await postForm(t, `/oauth2/default/v1/${endpoint}`, { token: tokens.access_token });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'invalid_client', error_description: 'No client credentials found.' });
    }
  });
});

describeOkta('Story: an app reads /userinfo and gets the claims of the granted scopes only', (t) => {
  const PROFILE = {
    firstName: 'Katherine',
    lastName: 'Johnson',
    middleName: 'Coleman',
    nickName: 'Kat',
    email: 'kj@example.com',
    login: 'kj@example.com',
    mobilePhone: '+1 555 010 1918',
    streetAddress: '1 NASA Drive',
    city: 'Hampton',
    state: 'VA',
    zipCode: '23666',
    countryCode: 'US',
  };

  async function userinfo(t: OktaTarget, web: WebApp, scope: string) {
    const tokens = await signIn(t, web, scope);
    const res = await get(t, '/oauth2/default/v1/userinfo', { authorization: `Bearer ${tokens.access_token}` });
    expect(res.status).toBe(200);
    return res.json();
  }

  test('openid alone gives only sub; email adds email and email_verified; phone adds phone_number; address adds the address object', async () => {
    const web = await webApp(t);
    const user = await employee(t, web, PROFILE);
    expect(await userinfo(t, web, 'openid')).toEqual({ sub: user.id });
    expect(await userinfo(t, web, 'openid email')).toEqual({ sub: user.id, email: 'kj@example.com', email_verified: true });
    expect(await userinfo(t, web, 'openid phone')).toEqual({ sub: user.id, phone_number: '+1 555 010 1918' });
    // [oauth examples.UserInfoExample]: address is an object of street_address, locality, region, postal_code, country.
    expect(await userinfo(t, web, 'openid address')).toEqual({
      sub: user.id,
      address: { street_address: '1 NASA Drive', locality: 'Hampton', region: 'VA', postal_code: '23666', country: 'US' },
    });
  });

  test('profile gives the name claims, preferred_username and updated_at in epoch seconds', async () => {
    const web = await webApp(t);
    const user = await employee(t, web, PROFILE);
    const info = await userinfo(t, web, 'openid profile');
    expect(info).toMatchObject({
      sub: user.id,
      name: 'Katherine Johnson',
      given_name: 'Katherine',
      middle_name: 'Coleman',
      family_name: 'Johnson',
      nickname: 'Kat',
      preferred_username: 'kj@example.com',
      zoneinfo: 'America/Los_Angeles',
      updated_at: NOW,
    });
    expect(info.email).toBeUndefined();
    expect(info.address).toBeUndefined();
  });

  test('a profile change shows in the next /userinfo call (userinfo always reads the current user)', async () => {
    const web = await webApp(t);
    const user = await employee(t, web, PROFILE);
    const tokens = await signIn(t, web, 'openid profile email');
    await t.client.userApi.updateUser({ userId: user.id, user: { profile: { nickName: 'KJ', email: 'katherine@example.com' } } });
    const info = await (await get(t, '/oauth2/default/v1/userinfo', { authorization: `Bearer ${tokens.access_token}` })).json();
    expect(info).toMatchObject({ nickname: 'KJ', email: 'katherine@example.com' });
  });
});

describeOkta('Story: a backend job uses client_credentials on the default server with custom scopes', (t) => {
  test('the token answers token_type, expires_in and the scope echoed in request order; its claims carry scp and cid', async () => {
    const svc: any = await t.client.applicationApi.createApplication({
      application: {
        name: 'oidc_client',
        label: 'Nightly job',
        signOnMode: 'OPENID_CONNECT',
        credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_post' } },
        settings: { oauthClient: { application_type: 'service', grant_types: ['client_credentials'], response_types: ['token'] } },
      } as any,
    });
    const clientId = svc.credentials.oauthClient.client_id;
    const secret = svc.credentials.oauthClient.client_secret;
    const res = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:write api:read', client_id: clientId, client_secret: secret });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({ token_type: 'Bearer', expires_in: 3600, access_token: expect.any(String), scope: 'api:write api:read' });
    const discovery = await (await get(t, '/oauth2/default/.well-known/oauth-authorization-server')).json();
    const { payload } = await jwtVerify(body.access_token, createRemoteJWKSet(new URL(discovery.jwks_uri)), { issuer: discovery.issuer, audience: 'api://default', currentDate: t.twin.clock.now() });
    expect(payload).toMatchObject({ cid: clientId, sub: clientId, scp: ['api:write', 'api:read'] });
    expect(payload.uid).toBeUndefined();
    // A user scope makes no sense without a user.
    const withOpenid = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'openid api:read', client_id: clientId, client_secret: secret });
    expect(withOpenid.status).toBe(400);
    expect((await withOpenid.json()).error).toBe('invalid_scope');
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
const D = 'https://{yourOktaDomain}';
const A = `${D}/oauth2/aus59pz16qgMvHvBS0g7`;

const ORG_AS_OIDC_METADATA = {
  issuer: D,
  authorization_endpoint: `${D}/oauth2/v1/authorize`,
  token_endpoint: `${D}/oauth2/v1/token`,
  userinfo_endpoint: `${D}/oauth2/v1/userinfo`,
  registration_endpoint: `${D}/oauth2/v1/clients`,
  jwks_uri: `${D}/oauth2/v1/keys`,
  response_types_supported: ['code', 'id_token', 'code id_token', 'code token', 'id_token token', 'code id_token token'],
  response_modes_supported: ['query', 'fragment', 'form_post', 'okta_post_message'],
  grant_types_supported: ['authorization_code', 'implicit', 'refresh_token', 'password', 'urn:ietf:params:oauth:grant-type:device_code'],
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
  device_authorization_endpoint: `${D}/oauth2/v1/device/authorize`,
  pushed_authorization_request_endpoint: `${D}/oauth2/v1/par`,
};

const CUSTOM_AS_OIDC_METADATA = {
  issuer: A,
  authorization_endpoint: `${A}/v1/authorize`,
  token_endpoint: `${A}/v1/token`,
  userinfo_endpoint: `${A}/v1/userinfo`,
  registration_endpoint: `${D}/oauth2/v1/clients`,
  jwks_uri: `${A}/v1/keys`,
  response_types_supported: ['code', 'id_token', 'code id_token', 'code token', 'id_token token', 'code id_token token'],
  response_modes_supported: ['query', 'fragment', 'form_post', 'okta_post_message'],
  grant_types_supported: ['authorization_code', 'implicit', 'refresh_token', 'password', 'urn:ietf:params:oauth:grant-type:device_code'],
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
  device_authorization_endpoint: `${A}/v1/device/authorize`,
  pushed_authorization_request_endpoint: `${A}/v1/par`,
};

const CUSTOM_AS_OAUTH_METADATA = {
  issuer: A,
  authorization_endpoint: `${A}/v1/authorize`,
  token_endpoint: `${A}/v1/token`,
  registration_endpoint: `${D}/oauth2/v1/clients`,
  jwks_uri: `${A}/v1/keys`,
  response_types_supported: ['code', 'token', 'id_token', 'code id_token', 'code token', 'id_token token', 'code id_token token'],
  response_modes_supported: ['query', 'fragment', 'form_post', 'okta_post_message'],
  grant_types_supported: ['authorization_code', 'implicit', 'refresh_token', 'password', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code'],
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
  device_authorization_endpoint: `${A}/v1/device/authorize`,
  pushed_authorization_request_endpoint: `${A}/v1/par`,
};
