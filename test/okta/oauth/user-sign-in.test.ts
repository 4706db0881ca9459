/**
 * A user signs in to an app: authorization code + PKCE, ID and access tokens validated with jose, refresh tokens and
 * /userinfo, over plain HTTP. Sources:
 *  - [oauth] okta/okta-management-openapi-spec dist/current/oauth-minimal.yaml (UserInfoExample; userinfo 401 invalid_token /
 *    403 insufficient_scope with WWW-Authenticate, TokenResponse)
 *  - [authcode] developer.okta.com/docs/guides/implement-grant-type/authcode/main/ ("This code remains valid for 300 seconds")
 *  - [pkce] developer.okta.com/docs/guides/implement-grant-type/authcodepkce/main/
 *  - [validate] developer.okta.com/docs/guides/validate-id-tokens/ and validate-access-tokens/
 *  - [oidc] OpenID Connect Core 1.0 §3.1.3.6 (at_hash), §5.3 (UserInfo)
 * The twin has no sign-in page: `login_hint` names the ACTIVE user whose browser session is assumed (twins/okta/model/oauth-authorize.ts).
 * The public SPA runs against a DEFAULT twin (`createOktaTwin()`: the wall clock), so that jose's `jwtVerify` with its
 * default `currentDate` must accept fresh tokens.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { expect, test } from 'vitest';
import { authorize, employee, get, jwksFor, pkcePair, postForm, REDIRECT_URI, serviceToken, signIn, type WebApp, webApp } from '../../support/okta-oauth.js';
import { describeDefault, describeOkta, expectRateLimitHeaders, person, TEST_CLOCK, type OktaTarget } from '../../support/okta.js';

const NOW = Date.parse(TEST_CLOCK) / 1000;

const ADMIN_ID = '00uadmintwin00000001';

const REDIRECT = 'https://spa.example.com/callback';

const nowSec = () => Math.floor(Date.now() / 1000);

function pkce() {
  const verifier = randomBytes(40).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function spaApp(e: OktaTarget) {
  const app: any = await e.client.applicationApi.createApplication({
    application: {
      name: 'oidc_client',
      label: 'My SPA',
      signOnMode: 'OPENID_CONNECT',
      credentials: { oauthClient: { token_endpoint_auth_method: 'none' } },
      settings: { oauthClient: { application_type: 'browser', grant_types: ['authorization_code'], response_types: ['code'], redirect_uris: [REDIRECT] } },
    } as any,
  });
  return app.credentials.oauthClient.client_id as string;
}

async function codeFlow(e: OktaTarget, clientId: string, server: '' | '/default', scope = 'openid profile email', login = 'admin@twin.test') {
  const { verifier, challenge } = pkce();
  const params = new URLSearchParams({ client_id: clientId, response_type: 'code', scope, redirect_uri: REDIRECT, state: 'state-xyz', nonce: 'nonce-abc', code_challenge: challenge, code_challenge_method: 'S256', login_hint: login });
  const res = await get(e, `/oauth2${server}/v1/authorize?${params}`);
  expect(res.status).toBe(302);
  const loc = new URL(res.headers.get('location')!);
  expect(`${loc.origin}${loc.pathname}`).toBe(REDIRECT);
  expect(loc.searchParams.get('state')).toBe('state-xyz');
  const code = loc.searchParams.get('code');
  expect(code, loc.searchParams.get('error_description') ?? '').toBeTruthy();
  const tok = await postForm(e, `/oauth2${server}/v1/token`, { grant_type: 'authorization_code', client_id: clientId, code: code!, redirect_uri: REDIRECT, code_verifier: verifier });
  expect(tok.status).toBe(200);
  return { token: await tok.json(), code: code!, verifier };
}

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
    const id = await jwtVerify(tokens.id_token, jwks, { issuer: discovery.issuer, audience: web.clientId, algorithms: ['RS256'], currentDate: await t.control.now() });
    expect(id.protectedHeader.alg).toBe('RS256');
    expect(id.payload).toMatchObject({ sub: user.id, nonce: 'abc-nonce', iat: NOW, exp: NOW + 3600, auth_time: NOW, ver: 1, amr: ['pwd'], email: 'kj@example.com', preferred_username: 'kj@example.com', name: 'Katherine Johnson' });
    // [oidc §3.1.3.6]: at_hash is the left half of SHA-256 of the access token, base64url.
    expect(id.payload.at_hash).toBe(createHash('sha256').update(tokens.access_token).digest().subarray(0, 16).toString('base64url'));

    const access = await jwtVerify(tokens.access_token, jwks, { issuer: discovery.issuer, audience: 'api://default', algorithms: ['RS256'], currentDate: await t.control.now() });
    expect(access.payload).toMatchObject({ ver: 1, jti: expect.stringMatching(/^AT\./), iss: discovery.issuer, aud: 'api://default', iat: NOW, exp: NOW + 3600, cid: web.clientId, uid: user.id, scp: ['openid', 'profile', 'email'], sub: 'kj@example.com', auth_time: NOW });

    // An hour later both tokens are expired for a validating app.
    await t.control.advanceClock(3601_000);
    await expect(jwtVerify(tokens.id_token, jwks, { issuer: discovery.issuer, audience: web.clientId, currentDate: await t.control.now() })).rejects.toThrow(/exp/);
    const userinfo = await get(t, '/oauth2/default/v1/userinfo', { authorization: `Bearer ${tokens.access_token}` });
    expect(userinfo.status).toBe(401);
  });

  test('signing in sets the user\'s lastLogin to the sign-in time', async () => {
    const web = await webApp(t);
    const user = await employee(t, web);
    expect((await t.client.userApi.getUser({ userId: user.id })).lastLogin).toBeNull();
    await t.control.advanceClock(90_000);
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
    await t.control.advanceClock(299_000);
    expect((await exchange({ code: a.code, code_verifier: a.verifier })).status).toBe(200);

    const b = await start();
    await t.control.advanceClock(301_000);
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

    await t.control.advanceClock(60_000);
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

describeDefault('Authorization code + PKCE (public SPA) and userinfo, on the wall clock', (e) => {
  test('org server: /authorize → /token → ID token verified by jose (default currentDate, nonce); userinfo returns Admin Twin', async () => {
    const clientId = await spaApp(e);
    await e.client.applicationApi.assignUserToApplication({ appId: clientId, appUser: { id: ADMIN_ID } as any });
    const { token } = await codeFlow(e, clientId, '');
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'openid profile email', access_token: expect.any(String), id_token: expect.any(String) });
    const jwks = await jwksFor(e, '/oauth2/v1/keys');
    const { payload: id } = await jwtVerify(token.id_token, jwks, { issuer: e.baseUrl, audience: clientId });
    expect(id).toMatchObject({ sub: ADMIN_ID, nonce: 'nonce-abc', email: 'admin@twin.test', preferred_username: 'admin@twin.test', name: 'Admin Twin' });
    expect(Math.abs(id.iat! - nowSec())).toBeLessThanOrEqual(5);
    const { payload: at } = await jwtVerify(token.access_token, jwks, { issuer: e.baseUrl, audience: e.baseUrl });
    expect(at).toMatchObject({ sub: 'admin@twin.test', uid: ADMIN_ID, cid: clientId });

    const info = await get(e, '/oauth2/v1/userinfo', { authorization: `Bearer ${token.access_token}` });
    expect(info.status).toBe(200);
    expectRateLimitHeaders(info, 'userinfo');
    expect(await info.json()).toMatchObject({ sub: ADMIN_ID, name: 'Admin Twin', given_name: 'Admin', family_name: 'Twin', email: 'admin@twin.test', preferred_username: 'admin@twin.test' });
  });

  test('default server: same flow; the access token (aud api://default, scp) verifies with jose; userinfo on /oauth2/default', async () => {
    const clientId = await spaApp(e);
    const u = await e.client.userApi.createUser({ body: { profile: person('Sam Spa'), credentials: { password: { value: 'Str0ng-Passw0rd!x' } } } });
    await e.client.applicationApi.assignUserToApplication({ appId: clientId, appUser: { id: u.id } as any });
    const { token } = await codeFlow(e, clientId, '/default', 'openid email', 'sam.spa@example.com');
    const jwks = await jwksFor(e, '/oauth2/default/v1/keys');
    const { payload: at } = await jwtVerify(token.access_token, jwks, { issuer: `${e.baseUrl}/oauth2/default`, audience: 'api://default' });
    expect(at).toMatchObject({ uid: u.id, sub: 'sam.spa@example.com', cid: clientId });
    expect((at.scp as string[]).sort()).toEqual(['email', 'openid']);
    const { payload: id } = await jwtVerify(token.id_token, jwks, { issuer: `${e.baseUrl}/oauth2/default`, audience: clientId });
    expect(id.sub).toBe(u.id);
    const info = await get(e, '/oauth2/default/v1/userinfo', { authorization: `Bearer ${token.access_token}` });
    expect(info.status).toBe(200);
    expect(await info.json()).toEqual({ sub: u.id, email: 'sam.spa@example.com', email_verified: expect.any(Boolean) });
  });

  test('a code is single-use, needs the right verifier, and an unassigned user gets no code', async () => {
    const clientId = await spaApp(e);
    await e.client.applicationApi.assignUserToApplication({ appId: clientId, appUser: { id: ADMIN_ID } as any });
    const { code, verifier } = await codeFlow(e, clientId, '');
    const again = await postForm(e, '/oauth2/v1/token', { grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(again.status).toBe(400);
    expect((await again.json()).error).toBe('invalid_grant');

    const { challenge } = pkce();
    const p = new URLSearchParams({ client_id: clientId, response_type: 'code', scope: 'openid', redirect_uri: REDIRECT, state: 's', code_challenge: challenge, code_challenge_method: 'S256', login_hint: 'admin@twin.test' });
    const loc = new URL((await get(e, `/oauth2/v1/authorize?${p}`)).headers.get('location')!);
    const wrongVerifier = await postForm(e, '/oauth2/v1/token', { grant_type: 'authorization_code', client_id: clientId, code: loc.searchParams.get('code')!, redirect_uri: REDIRECT, code_verifier: pkce().verifier });
    expect(wrongVerifier.status).toBe(400);
    expect((await wrongVerifier.json()).error).toBe('invalid_grant');

    const stranger = await e.client.userApi.createUser({ body: { profile: person('Not Assigned'), credentials: { password: { value: 'Str0ng-Passw0rd!x' } } } });
    const q = new URLSearchParams({ client_id: clientId, response_type: 'code', scope: 'openid', redirect_uri: REDIRECT, state: 's2', code_challenge: challenge, code_challenge_method: 'S256', login_hint: stranger.profile!.login! });
    const denied = new URL((await get(e, `/oauth2/v1/authorize?${q}`)).headers.get('location')!);
    expect(denied.searchParams.get('code')).toBeNull();
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('state')).toBe('s2');
  });

  test('userinfo: no token → 401 with a Bearer challenge; a client_credentials token (no openid) → 403 insufficient_scope; a revoked token → 401 invalid_token', async () => {
    const none = await get(e, '/oauth2/default/v1/userinfo');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const cc = await serviceToken(e);
    const noOpenid = await get(e, '/oauth2/default/v1/userinfo', { authorization: `Bearer ${cc.access_token}` });
    expect(noOpenid.status).toBe(403);
    expect(noOpenid.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);

    const clientId = await spaApp(e);
    await e.client.applicationApi.assignUserToApplication({ appId: clientId, appUser: { id: ADMIN_ID } as any });
    const { token } = await codeFlow(e, clientId, '/default');
    const rev = await postForm(e, '/oauth2/default/v1/revoke', { token: token.access_token, client_id: clientId });
    expect(rev.status).toBe(200);
    const revoked = await get(e, '/oauth2/default/v1/userinfo', { authorization: `Bearer ${token.access_token}` });
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });
});
