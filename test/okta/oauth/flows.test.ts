import { createHash } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import { expect, test } from 'vitest';
import { describeOkta, stateOf, type OktaTarget } from '../../support/okta.js';
import { basic, postForm, privateKeyServiceApp } from '../../support/okta-oauth.js';

const SERVICE_CLIENT_ID = '0oatwinservice000001';
const SERVICE_CLIENT_SECRET = 'twin-okta-client-secret';
const REDIRECT_URI = 'https://app.example.com/callback';
const LOGOUT_REDIRECT_URI = 'https://app.example.com/signed-out';
const USER_PASSWORD = 'Analytical-Engine-1843';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-twin-verifier';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');

function get(t: OktaTarget, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(t.baseUrl + path, { headers: { accept: 'application/json', ...headers }, redirect: 'manual' });
}

function serviceToken(t: OktaTarget, scope = 'api:read'): Promise<Response> {
  return postForm(t, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope }, { authorization: basic(SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET) });
}

/** A web app (client_secret_basic, authorization code and refresh token) created through the SDK, and an ACTIVE user assigned to it. */
async function webAppWithUser(t: OktaTarget, grantTypes: string[] = ['authorization_code', 'refresh_token', 'password']) {
  const app: any = await t.client.applicationApi.createApplication({
    application: {
      name: 'oidc_client',
      label: 'Twin web app',
      signOnMode: 'OPENID_CONNECT',
      credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_basic' } },
      settings: {
        oauthClient: {
          application_type: 'web',
          grant_types: grantTypes,
          response_types: ['code'],
          redirect_uris: [REDIRECT_URI],
          post_logout_redirect_uris: [LOGOUT_REDIRECT_URI],
        },
      },
    } as any,
  });
  const user = await t.client.userApi.createUser({
    body: {
      profile: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', login: 'ada@example.com' },
      credentials: { password: { value: USER_PASSWORD } },
    },
    activate: true,
  });
  await t.client.applicationApi.assignUserToApplication({ appId: app.id, appUser: { id: user.id! } });
  const clientId: string = app.credentials.oauthClient.client_id;
  const secret: string = app.credentials.oauthClient.client_secret;
  return { appId: app.id as string, clientId, secret, auth: basic(clientId, secret), userId: user.id! };
}

/** `org` names the org authorization server. */
function authorizeUrl(params: Record<string, string>, server = 'default'): string {
  return `/oauth2/${server === 'org' ? '' : `${server}/`}v1/authorize?${new URLSearchParams(params).toString()}`;
}

/** Runs /authorize for the user and returns the parameters the redirect carries. */
async function authorizeRedirect(t: OktaTarget, params: Record<string, string>, server = 'default'): Promise<URLSearchParams> {
  const res = await get(t, authorizeUrl(params, server));
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
  return location.hash ? new URLSearchParams(location.hash.slice(1)) : location.searchParams;
}

async function jwks(t: OktaTarget, server = 'default'): Promise<ReturnType<typeof createLocalJWKSet>> {
  const keys: JSONWebKeySet = await (await get(t, server === 'org' ? '/oauth2/v1/keys' : `/oauth2/${server}/v1/keys`)).json();
  return createLocalJWKSet(keys);
}

describeOkta('Okta OAuth 2.0 and OpenID Connect', (t) => {
  test('a service app gets a client_credentials token that jose verifies, introspects active, and is inactive once revoked', async () => {
    const discovery = await (await get(t, '/oauth2/default/.well-known/openid-configuration')).json();
    expect(discovery).toMatchObject({
      issuer: `${t.baseUrl}/oauth2/default`,
      token_endpoint: `${t.baseUrl}/oauth2/default/v1/token`,
      jwks_uri: `${t.baseUrl}/oauth2/default/v1/keys`,
      introspection_endpoint: `${t.baseUrl}/oauth2/default/v1/introspect`,
      revocation_endpoint: `${t.baseUrl}/oauth2/default/v1/revoke`,
      userinfo_endpoint: `${t.baseUrl}/oauth2/default/v1/userinfo`,
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    expect(discovery.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'offline_access', 'api:read']));

    const keys = await (await get(t, '/oauth2/default/v1/keys')).json();
    expect(keys.keys).toHaveLength(1);
    expect(keys.keys[0]).toEqual({ kty: 'RSA', alg: 'RS256', kid: 'twin-okta-default-as-key-1', use: 'sig', e: 'AQAB', n: expect.any(String) });

    const res = await serviceToken(t, 'api:read api:write');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('pragma')).toBe('no-cache');
    const token = await res.json();
    expect(token).toEqual({ token_type: 'Bearer', expires_in: 3600, access_token: expect.any(String), scope: 'api:read api:write' });

    const { payload, protectedHeader } = await jwtVerify(token.access_token, createLocalJWKSet(keys), {
      issuer: discovery.issuer,
      audience: 'api://default',
      currentDate: await t.control.now(),
    });
    expect(protectedHeader).toEqual({ kid: 'twin-okta-default-as-key-1', alg: 'RS256' });
    const iat = Date.parse('2026-01-01T00:00:00.000Z') / 1000;
    expect(payload).toEqual({ ver: 1, jti: expect.stringMatching(/^AT\./), iss: discovery.issuer, aud: 'api://default', iat, exp: iat + 3600, cid: SERVICE_CLIENT_ID, scp: ['api:read', 'api:write'], sub: SERVICE_CLIENT_ID });

    const introspect = () => postForm(t, '/oauth2/default/v1/introspect', { token: token.access_token, token_type_hint: 'access_token' }, { authorization: basic(SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET) });
    expect(await (await introspect()).json()).toEqual({
      active: true,
      scope: 'api:read api:write',
      exp: iat + 3600,
      iat,
      sub: SERVICE_CLIENT_ID,
      aud: 'api://default',
      iss: discovery.issuer,
      jti: payload.jti,
      token_type: 'Bearer',
      client_id: SERVICE_CLIENT_ID,
    });

    const revoked = await postForm(t, '/oauth2/default/v1/revoke', { token: token.access_token, client_id: SERVICE_CLIENT_ID, client_secret: SERVICE_CLIENT_SECRET });
    expect(revoked.status).toBe(200);
    expect(await revoked.text()).toBe('');
    expect(await (await introspect()).json()).toEqual({ active: false });
  });

  test('client_secret_post works like client_secret_basic, and a token expires with the twin clock', async () => {
    const res = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:read', client_id: SERVICE_CLIENT_ID, client_secret: SERVICE_CLIENT_SECRET });
    expect(res.status).toBe(200);
    const { access_token } = await res.json();
    await t.control.advanceClock(3601_000);
    const introspected = await postForm(t, '/oauth2/default/v1/introspect', { token: access_token }, { authorization: basic(SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET) });
    expect(await introspected.json()).toEqual({ active: false });
  });

  test('authorization code with PKCE ends in tokens whose ID token carries the nonce, then userinfo, refresh and logout', async () => {
    const app = await webAppWithUser(t);
    const redirect = await authorizeRedirect(t, {
      client_id: app.clientId,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid profile email offline_access',
      state: 'state-123',
      nonce: 'nonce-456',
      code_challenge: CHALLENGE,
      code_challenge_method: 'S256',
      login_hint: 'ada@example.com',
    });
    expect(redirect.get('state')).toBe('state-123');
    const code = redirect.get('code')!;
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const res = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: VERIFIER }, { authorization: app.auth });
    expect(res.status).toBe(200);
    const tokens = await res.json();
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'openid profile email offline_access', refresh_token: expect.any(String), id_token: expect.any(String) });

    const keySet = await jwks(t);
    const issuer = `${t.baseUrl}/oauth2/default`;
    const { payload: id } = await jwtVerify(tokens.id_token, keySet, { issuer, audience: app.clientId, currentDate: await t.control.now() });
    expect(id).toMatchObject({ sub: app.userId, name: 'Ada Lovelace', email: 'ada@example.com', preferred_username: 'ada@example.com', ver: 1, nonce: 'nonce-456', amr: ['pwd'], idp: (await stateOf(t)).org.id, jti: expect.stringMatching(/^ID\./) });
    expect(id.at_hash).toBe(createHash('sha256').update(tokens.access_token).digest().subarray(0, 16).toString('base64url'));
    const { payload: access } = await jwtVerify(tokens.access_token, keySet, { issuer, audience: 'api://default', currentDate: await t.control.now() });
    expect(access).toMatchObject({ uid: app.userId, sub: 'ada@example.com', cid: app.clientId, scp: ['openid', 'profile', 'email', 'offline_access'] });

    const info = await get(t, '/oauth2/default/v1/userinfo', { authorization: `Bearer ${tokens.access_token}` });
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ sub: app.userId, name: 'Ada Lovelace', given_name: 'Ada', family_name: 'Lovelace', preferred_username: 'ada@example.com', email: 'ada@example.com', email_verified: true });

    const refreshed = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, scope: 'openid email' }, { authorization: app.auth });
    expect(refreshed.status).toBe(200);
    const second = await refreshed.json();
    expect(second).toMatchObject({ scope: 'openid email', refresh_token: tokens.refresh_token, id_token: expect.any(String) });

    // Revoking the refresh token takes the access tokens issued with it along.
    expect((await postForm(t, '/oauth2/default/v1/revoke', { token: tokens.refresh_token, token_type_hint: 'refresh_token' }, { authorization: app.auth })).status).toBe(200);
    for (const token of [tokens.refresh_token, tokens.access_token, second.access_token]) {
      const introspected = await postForm(t, '/oauth2/default/v1/introspect', { token }, { authorization: app.auth });
      expect(await introspected.json()).toEqual({ active: false });
    }

    const logout = await get(t, `/oauth2/default/v1/logout?${new URLSearchParams({ id_token_hint: tokens.id_token, post_logout_redirect_uri: LOGOUT_REDIRECT_URI, state: 'bye' })}`);
    expect(logout.status).toBe(302);
    expect(logout.headers.get('location')).toBe(`${LOGOUT_REDIRECT_URI}?state=bye`);
  });

  test('an authorization code is good once, and a wrong PKCE verifier fails with invalid_grant', async () => {
    const app = await webAppWithUser(t);
    const params = { client_id: app.clientId, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid', state: 's', code_challenge: CHALLENGE, code_challenge_method: 'S256', login_hint: 'ada@example.com' };
    const code = (await authorizeRedirect(t, params)).get('code')!;
    const bad = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: `${VERIFIER}-wrong` }, { authorization: app.auth });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'invalid_grant', error_description: 'PKCE verification failed.' });
    const reused = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: VERIFIER }, { authorization: app.auth });
    expect(await reused.json()).toEqual({ error: 'invalid_grant', error_description: 'The authorization code is invalid or has expired.' });

    const code2 = (await authorizeRedirect(t, params)).get('code')!;
    await t.control.advanceClock(301_000);
    const late = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'authorization_code', code: code2, redirect_uri: REDIRECT_URI, code_verifier: VERIFIER }, { authorization: app.auth });
    expect((await late.json()).error).toBe('invalid_grant');
  });

  test('the org authorization server signs in users through /oauth2/v1 with the org URL as issuer and audience', async () => {
    const app = await webAppWithUser(t);
    const discovery = await (await get(t, '/.well-known/openid-configuration')).json();
    expect(discovery).toMatchObject({ issuer: t.baseUrl, authorization_endpoint: `${t.baseUrl}/oauth2/v1/authorize`, jwks_uri: `${t.baseUrl}/oauth2/v1/keys` });
    expect(discovery.scopes_supported).toEqual(['openid', 'email', 'profile', 'address', 'phone', 'offline_access', 'groups']);
    const orgCode = (await authorizeRedirect(t, { client_id: app.clientId, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid groups', state: 's', login_hint: app.userId }, 'org')).get('code')!;
    const tokens = await (await postForm(t, '/oauth2/v1/token', { grant_type: 'authorization_code', code: orgCode, redirect_uri: REDIRECT_URI }, { authorization: app.auth })).json();
    await jwtVerify(tokens.access_token, await jwks(t, 'org'), { issuer: t.baseUrl, audience: t.baseUrl, currentDate: await t.control.now() });
    const info = await (await get(t, '/oauth2/v1/userinfo', { authorization: `Bearer ${tokens.access_token}` })).json();
    expect(info).toEqual({ sub: app.userId, groups: ['Everyone'] });
    // A token of the org server means nothing to a custom server.
    expect((await get(t, '/oauth2/default/v1/userinfo', { authorization: `Bearer ${tokens.access_token}` })).status).toBe(401);
  });

  test('the resource owner password grant checks the password and the app assignment', async () => {
    const app = await webAppWithUser(t);
    const ok = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'password', username: 'ada@example.com', password: USER_PASSWORD, scope: 'openid profile' }, { authorization: app.auth });
    expect(ok.status).toBe(200);
    expect(decodeJwt((await ok.json()).id_token)).toMatchObject({ sub: app.userId, name: 'Ada Lovelace' });
    const wrong = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'password', username: 'ada@example.com', password: 'nope', scope: 'openid' }, { authorization: app.auth });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ error: 'invalid_grant', error_description: 'The credentials provided were invalid.' });
    const admin = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'password', username: 'admin@twin.test', password: 'Twin-Passw0rd!', scope: 'openid' }, { authorization: app.auth });
    expect(admin.status).toBe(403);
    expect(await admin.json()).toEqual({ error: 'access_denied', error_description: 'User is not assigned to the client application.' });
  });

  test('a single-page app (public client) needs PKCE, and its rotating refresh token lapses after the leeway', async () => {
    const spa: any = await t.client.applicationApi.createApplication({
      application: {
        name: 'oidc_client',
        label: 'Twin SPA',
        signOnMode: 'OPENID_CONNECT',
        credentials: { oauthClient: { token_endpoint_auth_method: 'none' } },
        settings: { oauthClient: { application_type: 'browser', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], redirect_uris: [REDIRECT_URI] } },
      } as any,
    });
    const clientId: string = spa.credentials.oauthClient.client_id;
    await t.client.applicationApi.assignUserToApplication({ appId: spa.id, appUser: { id: '00uadmintwin00000001' } });
    const params = { client_id: clientId, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid offline_access', state: 's', login_hint: 'admin@twin.test' };
    expect((await authorizeRedirect(t, params)).get('error_description')).toBe("PKCE code challenge is required when the token endpoint authentication method is 'NONE'.");

    const code = (await authorizeRedirect(t, { ...params, code_challenge: CHALLENGE, code_challenge_method: 'S256' })).get('code')!;
    const tokens = await (await postForm(t, '/oauth2/default/v1/token', { grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: REDIRECT_URI, code_verifier: VERIFIER })).json();
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const rotated = await (await postForm(t, '/oauth2/default/v1/token', { grant_type: 'refresh_token', client_id: clientId, refresh_token: tokens.refresh_token })).json();
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
    await t.control.advanceClock(31_000);
    const stale = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'refresh_token', client_id: clientId, refresh_token: tokens.refresh_token });
    expect(await stale.json()).toEqual({ error: 'invalid_grant', error_description: 'The refresh token is invalid or expired.' });
    const fresh = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'refresh_token', client_id: clientId, refresh_token: rotated.refresh_token });
    expect(fresh.status).toBe(200);
  });

  test('authorize by POST with response_mode form_post answers with a form that posts the code back', async () => {
    const app = await webAppWithUser(t);
    const res = await postForm(t, '/oauth2/default/v1/authorize', { client_id: app.clientId, redirect_uri: REDIRECT_URI, response_type: 'code', response_mode: 'form_post', scope: 'openid', state: 'p&q', login_hint: 'ada@example.com' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain(`action="${REDIRECT_URI}"`);
    expect(html).toMatch(/name="code" value="[A-Za-z0-9_-]{43}"/);
    expect(html).toContain('name="state" value="p&#38;q"');
  });

  test('an implicit request returns tokens in the fragment, with a minimal ID token', async () => {
    const app = await webAppWithUser(t, ['authorization_code', 'implicit']);
    const fragment = await authorizeRedirect(t, { client_id: app.clientId, redirect_uri: REDIRECT_URI, response_type: 'id_token token', scope: 'openid profile', state: 'st', nonce: 'n-1', login_hint: 'ada@example.com' });
    expect(fragment.get('token_type')).toBe('Bearer');
    expect(fragment.get('expires_in')).toBe('3600');
    expect(fragment.get('state')).toBe('st');
    const id = decodeJwt(fragment.get('id_token')!);
    expect(id).toMatchObject({ sub: app.userId, nonce: 'n-1', at_hash: expect.any(String) });
    expect(id.name).toBeUndefined();
  });

  test('a private_key_jwt service app drives the Management API through the SDK with org server access tokens', async () => {
    const { app, clientId, assertion: clientAssertion, sdk } = await privateKeyServiceApp(t, 'Twin automation');
    // OAuth for Okta: the org server issues only granted Okta API scopes, and the client acts with its admin roles.
    for (const scopeId of ['okta.users.read', 'okta.groups.read']) {
      await t.client.applicationApi.grantConsentToScope({ appId: app.id, oAuth2ScopeConsentGrant: { issuer: t.baseUrl, scopeId } as any });
    }
    await t.client.roleAssignmentApi.assignRoleToClient({ clientId, assignRoleRequest: { type: 'READ_ONLY_ADMIN' } as any });
    const service = sdk(['okta.users.read']);

    const me = await service.userApi.getUser({ userId: '00uadmintwin00000001' });
    expect(me.profile?.login).toBe('admin@twin.test');
    const denied = await service.groupApi.getGroup({ groupId: '00geveryonetwin00001' }).catch((e: unknown) => e);
    expect(denied).toMatchObject({ status: 403, errorCode: 'E0000006' });

    // The SDK's client assertion is single use and addressed to the org token endpoint.
    const assertion = await clientAssertion('assertion-1');
    const fields = { grant_type: 'client_credentials', scope: 'okta.users.read okta.groups.read', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion };
    const first = await postForm(t, '/oauth2/v1/token', fields);
    expect(first.status).toBe(200);
    const { access_token } = await first.json();
    expect(decodeJwt(access_token)).toMatchObject({ iss: t.baseUrl, aud: t.baseUrl, sub: clientId, scp: ['okta.users.read', 'okta.groups.read'] });
    const group = await t.fetch('/api/v1/groups/00geveryonetwin00001', { headers: { authorization: `Bearer ${access_token}` } });
    expect(group.status).toBe(200);
    const replay = await postForm(t, '/oauth2/v1/token', fields);
    expect(replay.status).toBe(401);
    expect((await replay.json()).error).toBe('invalid_client');
  });

  test('Management API calls refuse custom server tokens, revoked tokens and expired tokens with E0000011', async () => {
    const { access_token } = await (await serviceToken(t)).json();
    const res = await t.fetch('/api/v1/users/me', { headers: { authorization: `Bearer ${access_token}` } });
    expect(res.status).toBe(401);
    expect((await res.json()).errorCode).toBe('E0000011');
    const garbage = await t.fetch('/api/v1/users/me', { headers: { authorization: 'Bearer not.a.jwt' } });
    expect(garbage.status).toBe(401);
  });

  test('client authentication failures answer 401 invalid_client', async () => {
    const wrong = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:read' }, { authorization: basic(SERVICE_CLIENT_ID, 'wrong-secret') });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'invalid_client', error_description: 'The client secret supplied for a confidential client is invalid.' });
    const none = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:read' });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ error: 'invalid_client', error_description: 'No client credentials found.' });
    const unknown = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:read', client_id: '0oanobody00000000000', client_secret: 'x' });
    expect((await unknown.json()).error).toBe('invalid_client');
    const both = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:read', client_id: SERVICE_CLIENT_ID, client_secret: SERVICE_CLIENT_SECRET }, { authorization: basic(SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET) });
    expect(both.status).toBe(400);
    expect((await both.json()).error).toBe('invalid_request');
    const introspect = await postForm(t, '/oauth2/default/v1/introspect', { token: 'x' });
    expect(introspect.status).toBe(401);
    const revoke = await postForm(t, '/oauth2/default/v1/revoke', { token: 'x' }, { authorization: basic(SERVICE_CLIENT_ID, 'nope') });
    expect(revoke.status).toBe(401);
  });

  test('client_credentials without a scope gets the server default scopes (the seed marks api:read default)', async () => {
    const res = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'client_credentials' }, { authorization: basic(SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET) });
    expect(res.status).toBe(200);
    expect((await res.json()).scope).toBe('api:read');
  });

  test('token requests with a bad grant, body or scope get the matching OAuth error', async () => {
    const auth = { authorization: basic(SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET) };
    const cases: [Record<string, string>, number, string][] = [
      [{ grant_type: 'urn:example:unknown' }, 400, 'unsupported_grant_type'],
      [{ scope: 'api:read' }, 400, 'invalid_request'],
      [{ grant_type: 'client_credentials', scope: 'api:delete' }, 400, 'invalid_scope'],
      [{ grant_type: 'client_credentials', scope: 'openid' }, 400, 'invalid_scope'],
      [{ grant_type: 'password', username: 'admin@twin.test', password: 'Twin-Passw0rd!', scope: 'openid' }, 400, 'unauthorized_client'],
      [{ grant_type: 'refresh_token', refresh_token: 'nope' }, 400, 'unauthorized_client'],
    ];
    for (const [fields, status, error] of cases) {
      const res = await postForm(t, '/oauth2/default/v1/token', fields, auth);
      expect({ fields, status: res.status, error: (await res.json()).error }).toEqual({ fields, status, error });
    }
    const json = await fetch(`${t.baseUrl}/oauth2/default/v1/token`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ grant_type: 'client_credentials', scope: 'api:read' }) });
    expect(json.status).toBe(400);
    expect((await json.json()).error).toBe('invalid_request');
    const missingToken = await postForm(t, '/oauth2/default/v1/introspect', {}, auth);
    expect(missingToken.status).toBe(400);
    expect(await missingToken.json()).toEqual({ error: 'invalid_request', error_description: 'The `token` parameter is required.' });
    const badHint = await postForm(t, '/oauth2/default/v1/revoke', { token: 'x', token_type_hint: 'cookie' }, auth);
    expect(badHint.status).toBe(400);
    expect((await badHint.json()).error).toBe('invalid_request');
  });

  test('the org server takes client_credentials only with private_key_jwt', async () => {
    const res = await postForm(t, '/oauth2/v1/token', { grant_type: 'client_credentials', scope: 'okta.users.read' }, { authorization: basic(SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET) });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_client', error_description: 'Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.' });
  });

  test('userinfo without a valid token answers 401 with a Bearer challenge and no body', async () => {
    const missing = await get(t, '/oauth2/default/v1/userinfo');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toContain('error="invalid_request"');
    expect(await missing.text()).toBe('');
    const invalid = await get(t, '/oauth2/default/v1/userinfo', { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' });
    expect(invalid.status).toBe(401);
    expect(invalid.headers.get('www-authenticate')).toContain('error="invalid_token", error_description="The access token is invalid."');
    const { access_token } = await (await serviceToken(t)).json();
    const noOpenid = await get(t, '/oauth2/default/v1/userinfo', { authorization: `Bearer ${access_token}` });
    expect(noOpenid.status).toBe(403);
    expect(noOpenid.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  test('authorize errors go back to the redirect URI when it is registered, and are answered directly when not', async () => {
    const app = await webAppWithUser(t);
    const base = { client_id: app.clientId, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid', state: 's1', login_hint: 'ada@example.com' };
    const expectError = async (params: Record<string, string>, error: string) => {
      const redirect = await authorizeRedirect(t, params);
      expect({ error: redirect.get('error'), state: redirect.get('state') }).toEqual({ error, state: params.state ?? null });
      expect(redirect.get('error_description')).toBeTruthy();
    };
    await expectError({ ...base, scope: 'openid api:nothing' }, 'invalid_scope');
    await expectError({ ...base, response_type: 'device' }, 'unsupported_response_type');
    await expectError({ ...base, code_challenge: CHALLENGE, code_challenge_method: 'plain' }, 'invalid_request');
    await expectError({ ...base, login_hint: 'nobody@example.com' }, 'login_required');
    await expectError({ ...base, login_hint: 'admin@twin.test' }, 'access_denied');
    await expectError({ ...base, response_type: 'token' }, 'unauthorized_client');
    const { state: _state, ...noState } = base;
    await expectError(noState, 'invalid_request');

    const unregistered = await get(t, authorizeUrl({ ...base, redirect_uri: 'https://evil.example.com/cb' }));
    expect(unregistered.status).toBe(400);
    expect((await unregistered.json()).error).toBe('invalid_request');
    const unknownClient = await get(t, authorizeUrl({ ...base, client_id: '0oanobody00000000000' }));
    expect(unknownClient.status).toBe(400);
    expect((await unknownClient.json()).error).toBe('invalid_client');
  });

  test('an unknown authorization server is a 404 E0000007, an unknown discovery client_id a 400', async () => {
    const res = await get(t, '/oauth2/nope/v1/keys');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: nope (AuthorizationServer)' });
    const token = await postForm(t, '/oauth2/nope/v1/token', { grant_type: 'client_credentials' });
    expect(token.status).toBe(404);
    const discovery = await get(t, '/oauth2/default/.well-known/oauth-authorization-server?client_id=0oanobody00000000000');
    expect(discovery.status).toBe(400);
    expect(await discovery.json()).toMatchObject({ errorCode: 'invalid_client', errorSummary: "Invalid value for 'client_id' parameter." });
    const metadata = await (await get(t, '/oauth2/default/.well-known/oauth-authorization-server')).json();
    expect(metadata.grant_types_supported).toContain('client_credentials');
    expect(metadata.userinfo_endpoint).toBeUndefined();
  });
});
