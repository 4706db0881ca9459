/**
 * Third red-team round: OAuth 2.0 / OIDC against a DEFAULT twin (`createOktaTwin()`: the wall clock), so that jose's
 * `jwtVerify` with its default `currentDate` must accept fresh tokens. Over HTTP the JWKS is read with
 * `createRemoteJWKSet`; under MSW with `createLocalJWKSet` (and createRemoteJWKSet through MSW too). Sources:
 *  - [issue] the OAuth requirements: discovery, /oauth2/v1/keys (a real JWKS), client_credentials, authorization_code
 *    with PKCE, introspect, revoke, userinfo, RS256 JWTs jose verifies; the seeded client (README seed table)
 *  - [oauth] okta/okta-management-openapi-spec dist/current/oauth-minimal.yaml (userinfo 401 invalid_token / 403 insufficient_scope with
 *    WWW-Authenticate, revoke 200, IntrospectionInactiveToken {active:false}, TokenResponse)
 *  - [org-cc] support.okta.com "Client Credentials requests to the Org Authorization Server must use the private_key_jwt
 *    token_endpoint_auth_method"
 *  - [rl] developer.okta.com/docs/reference/rl-best-practices (X-Rate-Limit-Limit/Remaining/Reset on every response)
 */
import { createHash, randomBytes } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { expect, test } from 'vitest';
import okta from '@okta/okta-sdk-nodejs';
import { describeOkta, person, type OktaTarget } from './support/okta.js';
import { basic, postForm } from './support/okta-oauth.js';

const ADMIN_ID = '00uadmintwin00000001';
const SERVICE_ID = '0oatwinservice000001';
const SERVICE_SECRET = 'twin-okta-client-secret';
const REDIRECT = 'https://spa.example.com/callback';

const describeDefault = (title: string, body: (e: OktaTarget) => void) => describeOkta(title, body, 'defaults');

/** A GET as a browser or an app makes it: no credentials unless given, redirects not followed. */
function get(e: OktaTarget, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(e.baseUrl + path, { headers: { accept: 'application/json', ...headers }, redirect: 'manual' });
}

const nowSec = () => Math.floor(Date.now() / 1000);

function expectRateLimitHeaders(res: Response, label: string) {
  const limit = res.headers.get('x-rate-limit-limit');
  const remaining = res.headers.get('x-rate-limit-remaining');
  const reset = res.headers.get('x-rate-limit-reset');
  expect({ label, limit: /^\d+$/.test(limit ?? ''), remaining: /^\d+$/.test(remaining ?? ''), reset: /^\d+$/.test(reset ?? '') }).toEqual({ label, limit: true, remaining: true, reset: true });
  expect(Number(remaining)).toBeLessThanOrEqual(Number(limit));
  // epoch seconds, within the next minute of the wall clock
  expect(Number(reset)).toBeGreaterThanOrEqual(nowSec() - 1);
  expect(Number(reset)).toBeLessThanOrEqual(nowSec() + 61);
}

async function serviceToken(e: OktaTarget, scope = 'api:read') {
  const res = await postForm(e, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope }, { authorization: basic(SERVICE_ID, SERVICE_SECRET) });
  expect(res.status).toBe(200);
  return res.json();
}

async function jwksFor(e: OktaTarget, path: string) {
  if (e.transport !== 'msw') return createRemoteJWKSet(new URL(e.baseUrl + path));
  const doc = (await (await get(e, path)).json()) as JSONWebKeySet;
  return createLocalJWKSet(doc);
}

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

describeDefault('client_credentials on /oauth2/default with the seeded client (wall clock)', (e) => {
  test('a token for a published custom scope verifies with jose (default currentDate) against the JWKS', async () => {
    const disc = await (await get(e, '/oauth2/default/.well-known/openid-configuration')).json();
    const custom = (disc.scopes_supported as string[]).filter((s) => !['openid', 'profile', 'email', 'address', 'phone', 'offline_access', 'device_sso', 'groups'].includes(s));
    expect(custom.length).toBeGreaterThan(0);
    const token = await serviceToken(e, custom[0]);
    expect(token).toEqual({ token_type: 'Bearer', expires_in: 3600, access_token: expect.any(String), scope: custom[0] });
    const header = decodeProtectedHeader(token.access_token);
    expect(header.alg).toBe('RS256');
    const { payload } = await jwtVerify(token.access_token, await jwksFor(e, '/oauth2/default/v1/keys'), { issuer: `${e.baseUrl}/oauth2/default`, audience: 'api://default' });
    expect(payload).toMatchObject({ cid: SERVICE_ID, sub: SERVICE_ID, scp: [custom[0]] });
    expect(Math.abs(payload.iat! - nowSec())).toBeLessThanOrEqual(5);
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  test('createRemoteJWKSet over the discovery jwks_uri works on both transports', async () => {
    const disc = await (await get(e, '/oauth2/default/.well-known/openid-configuration')).json();
    const token = await serviceToken(e, 'api:read');
    const { payload, protectedHeader } = await jwtVerify(token.access_token, createRemoteJWKSet(new URL(disc.jwks_uri)), { issuer: disc.issuer, audience: 'api://default', algorithms: ['RS256'] });
    expect(protectedHeader.kid).toEqual(expect.any(String));
    expect(payload.scp).toEqual(['api:read']);
  });

  test('client_secret_post works too; two scopes are echoed', async () => {
    const res = await postForm(e, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:read api:write', client_id: SERVICE_ID, client_secret: SERVICE_SECRET });
    expect(res.status).toBe(200);
    const token = await res.json();
    expect(token.scope.split(' ').sort()).toEqual(['api:read', 'api:write']);
    expect(res.headers.get('cache-control')).toMatch(/no-store/);
  });

  test('errors: wrong secret / unknown client 401 invalid_client; openid or unknown scope 400 invalid_scope; bad grant 400 unsupported_grant_type; a grant the app lacks 400 unauthorized_client', async () => {
    const wrong = await postForm(e, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:read' }, { authorization: basic(SERVICE_ID, 'nope') });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error).toBe('invalid_client');
    const unknown = await postForm(e, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:read' }, { authorization: basic('0oanosuchclient00000', 'x') });
    expect(unknown.status).toBe(401);
    expect((await unknown.json()).error).toBe('invalid_client');
    for (const scope of ['openid', 'no:such:scope']) {
      const res = await postForm(e, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope }, { authorization: basic(SERVICE_ID, SERVICE_SECRET) });
      expect({ scope, status: res.status, error: (await res.json()).error }).toEqual({ scope, status: 400, error: 'invalid_scope' });
    }
    const bad = await postForm(e, '/oauth2/default/v1/token', { grant_type: 'magic', scope: 'api:read' }, { authorization: basic(SERVICE_ID, SERVICE_SECRET) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toBe('unsupported_grant_type');
    const lacks = await postForm(e, '/oauth2/default/v1/token', { grant_type: 'password', username: 'admin@twin.test', password: 'x', scope: 'openid' }, { authorization: basic(SERVICE_ID, SERVICE_SECRET) });
    expect(lacks.status).toBe(400);
    expect((await lacks.json()).error).toBe('unauthorized_client');
    const none = await postForm(e, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:read' });
    expect(none.status).toBe(401);
    expect((await none.json()).error).toBe('invalid_client');
  });

  test('OAuth errors are RFC 6749 JSON ({error, error_description}) and carry X-Rate-Limit headers', async () => {
    const wrong = await postForm(e, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:read' }, { authorization: basic(SERVICE_ID, 'nope') });
    expect(wrong.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Object.keys(await wrong.json()).sort()).toEqual(['error', 'error_description']);
    expectRateLimitHeaders(wrong, 'token 401');
  });

  test('a deactivated seeded client gets 401 invalid_client; reactivated it gets tokens again', async () => {
    await e.client.applicationApi.deactivateApplication({ appId: SERVICE_ID });
    const off = await postForm(e, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:read' }, { authorization: basic(SERVICE_ID, SERVICE_SECRET) });
    expect(off.status).toBe(401);
    expect((await off.json()).error).toBe('invalid_client');
    await e.client.applicationApi.activateApplication({ appId: SERVICE_ID });
    await serviceToken(e);
  });
});

describeDefault('The ORG authorization server and client_credentials', (e) => {
  test('a client secret is refused: invalid_client "must use the private_key_jwt token_endpoint_auth_method" ([org-cc])', async () => {
    const res = await postForm(e, '/oauth2/v1/token', { grant_type: 'client_credentials', scope: 'okta.users.read' }, { authorization: basic(SERVICE_ID, SERVICE_SECRET) });
    expect([400, 401]).toContain(res.status);
    const body = await res.json();
    expect(body.error).toBe('invalid_client');
    expect(body.error_description).toMatch(/Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method/);
  });

  test('an SSWS API token is no Bearer token: a Management call with Bearer twin-okta-token is 401 E0000011', async () => {
    const res = await fetch(`${e.baseUrl}/api/v1/users/me`, { headers: { authorization: 'Bearer twin-okta-token', accept: 'application/json' } });
    expect(res.status).toBe(401);
    expect((await res.json()).errorCode).toBe('E0000011');
  });

  test('a default-server access token cannot call the Management API (401 E0000011)', async () => {
    const token = await serviceToken(e);
    const res = await fetch(`${e.baseUrl}/api/v1/users`, { headers: { authorization: `Bearer ${token.access_token}`, accept: 'application/json' } });
    expect(res.status).toBe(401);
    expect((await res.json()).errorCode).toBe('E0000011');
  });
});

describeDefault('Introspect and revoke with the seeded client', (e) => {
  test('introspect: active with Okta\'s fields; revoke: 200 empty; introspect again: {active:false}', async () => {
    const token = await serviceToken(e);
    const auth = { authorization: basic(SERVICE_ID, SERVICE_SECRET) };
    const intro = await postForm(e, '/oauth2/default/v1/introspect', { token: token.access_token, token_type_hint: 'access_token' }, auth);
    expect(intro.status).toBe(200);
    const body = await intro.json();
    expect(body).toMatchObject({ active: true, scope: 'api:read', client_id: SERVICE_ID, token_type: 'Bearer', iss: `${e.baseUrl}/oauth2/default`, aud: 'api://default', sub: SERVICE_ID });
    expect(body.exp - body.iat).toBe(3600);
    expect(Math.abs(body.iat - nowSec())).toBeLessThanOrEqual(5);
    expectRateLimitHeaders(intro, 'introspect');

    const rev = await postForm(e, '/oauth2/default/v1/revoke', { token: token.access_token, token_type_hint: 'access_token' }, auth);
    expect(rev.status).toBe(200);
    expect(await rev.text()).toBe('');
    expectRateLimitHeaders(rev, 'revoke');
    const after = await postForm(e, '/oauth2/default/v1/introspect', { token: token.access_token }, auth);
    expect(await after.json()).toEqual({ active: false });
    // revoking again, or revoking junk, is still 200
    expect((await postForm(e, '/oauth2/default/v1/revoke', { token: token.access_token }, auth)).status).toBe(200);
    expect((await postForm(e, '/oauth2/default/v1/revoke', { token: 'garbage' }, auth)).status).toBe(200);
  });

  test('an unknown token introspects {active:false}; a default token on the org server is {active:false}; no client auth is 401 invalid_client', async () => {
    const auth = { authorization: basic(SERVICE_ID, SERVICE_SECRET) };
    expect(await (await postForm(e, '/oauth2/default/v1/introspect', { token: 'not-a-token' }, auth)).json()).toEqual({ active: false });
    const token = await serviceToken(e);
    const none = await postForm(e, '/oauth2/default/v1/introspect', { token: token.access_token });
    expect(none.status).toBe(401);
    expect((await none.json()).error).toBe('invalid_client');
  });
});

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

describeDefault('X-Rate-Limit headers on every response', (e) => {
  test('Management successes and errors (401 E0000011, 404 E0000007, 400 E0000001, 403 E0000006) and OAuth endpoints', async () => {
    const mk = (path: string, init: RequestInit = {}, token = 'twin-okta-token') =>
      fetch(e.baseUrl + path, { ...init, headers: { authorization: `SSWS ${token}`, accept: 'application/json', 'content-type': 'application/json', ...(init.headers as any) } });
    const cases: [string, Promise<Response>, number][] = [
      ['users/me 200', mk('/api/v1/users/me'), 200],
      ['bad token 401', mk('/api/v1/users/me', {}, 'wrong'), 401],
      ['missing user 404', mk('/api/v1/users/00unosuchuser0000000'), 404],
      ['bad body 400', mk('/api/v1/users', { method: 'POST', body: JSON.stringify({ profile: { firstName: 'x' } }) }), 400],
      ['everyone delete 403', mk('/api/v1/groups/00geveryonetwin00001', { method: 'DELETE' }), 403],
      ['list groups 200', mk('/api/v1/groups'), 200],
    ];
    for (const [label, p, status] of cases) {
      const res = await p;
      expect({ label, status: res.status }).toEqual({ label, status });
      expectRateLimitHeaders(res, label);
    }
    for (const path of ['/.well-known/openid-configuration', '/oauth2/v1/keys', '/oauth2/default/.well-known/openid-configuration', '/oauth2/default/v1/keys']) {
      expectRateLimitHeaders(await get(e, path), path);
    }
    const tok = await postForm(e, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:read' }, { authorization: basic(SERVICE_ID, SERVICE_SECRET) });
    expectRateLimitHeaders(tok, 'token 200');
  });

  test('the SDK error carries the headers too (OktaApiError.headers)', async () => {
    const stranger = new okta.Client({ orgUrl: e.baseUrl, token: 'nope' });
    try {
      await stranger.userApi.getUser({ userId: 'me' });
      expect.unreachable();
    } catch (err: any) {
      expect(err.status).toBe(401);
      expect(err.headers.get('x-rate-limit-limit')).toMatch(/^\d+$/);
      expect(err.headers.get('x-rate-limit-remaining')).toMatch(/^\d+$/);
      expect(err.headers.get('x-rate-limit-reset')).toMatch(/^\d+$/);
    }
  });
});
