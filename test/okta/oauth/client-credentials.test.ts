/**
 * The client_credentials grant on the default and the org authorization servers, tokens verified with jose. Sources:
 *  - [oauth] okta/okta-management-openapi-spec dist/current/oauth-minimal.yaml (TokenResponse)
 *  - [org-cc] support.okta.com "Client Credentials requests to the Org Authorization Server must use the private_key_jwt
 *    token_endpoint_auth_method"
 *  - [issue] the seeded client (README seed table)
 * Blocks declared with `describeDefault` run against a DEFAULT twin (`createOktaTwin()`: system clock, not strict) and
 * the official SDK with its DEFAULT options (response cache on), over both the HTTP server and MSW.
 */
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { expect, test } from 'vitest';
import { basic, get, jwksFor, postForm, serviceToken } from '../../support/okta-oauth.js';
import { describeDefault, describeOkta, expectRateLimitHeaders } from '../../support/okta.js';

const SERVICE_ID = '0oatwinservice000001';
const SERVICE_SECRET = 'twin-okta-client-secret';

const nowSec = () => Math.floor(Date.now() / 1000);

describeOkta('Story: a backend service gets tokens from the default authorization server', (t) => {
  test('an OIDC service app created through the SDK gets a client_credentials token that jose verifies against the remote JWKS', async () => {
    const app: any = await t.client.applicationApi.createApplication({
      application: {
        name: 'oidc_client',
        label: 'Nightly sync',
        signOnMode: 'OPENID_CONNECT',
        credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_basic' } },
        settings: { oauthClient: { application_type: 'service', grant_types: ['client_credentials'], response_types: ['token'], redirect_uris: [] } },
      } as any,
    });
    expect(app.id).toMatch(/^0oa[0-9A-Za-z]{17}$/);
    expect(app).toMatchObject({ name: 'oidc_client', signOnMode: 'OPENID_CONNECT', status: 'ACTIVE' });
    // For OIDC apps the app id is the OAuth client_id; the secret comes back on create.
    const clientId: string = app.credentials.oauthClient.client_id;
    const secret: string = app.credentials.oauthClient.client_secret;
    expect(clientId).toBe(app.id);
    expect(secret).toEqual(expect.any(String));
    expect(app.credentials.oauthClient.token_endpoint_auth_method).toBe('client_secret_basic');
    expect(app.settings.oauthClient).toMatchObject({ application_type: 'service', grant_types: ['client_credentials'], response_types: ['token'] });

    const discovery = await (await fetch(`${t.baseUrl}/oauth2/default/.well-known/oauth-authorization-server`)).json();
    expect(discovery.issuer).toBe(`${t.baseUrl}/oauth2/default`);
    expect(discovery.token_endpoint).toBe(`${t.baseUrl}/oauth2/default/v1/token`);
    expect(discovery.grant_types_supported).toContain('client_credentials');

    const res = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:read' }, { authorization: basic(clientId, secret) });
    expect(res.status).toBe(200);
    const token = await res.json();
    // [oauth spec schemas.TokenResponse]: no refresh token and no ID token for client credentials.
    expect(token).toEqual({ token_type: 'Bearer', expires_in: 3600, access_token: expect.any(String), scope: 'api:read' });

    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const { payload, protectedHeader } = await jwtVerify(token.access_token, jwks, { issuer: discovery.issuer, audience: 'api://default', currentDate: await t.control.now() });
    expect(protectedHeader.alg).toBe('RS256');
    expect(protectedHeader.kid).toEqual(expect.any(String));
    expect(payload).toMatchObject({ ver: 1, cid: clientId, sub: clientId, scp: ['api:read'], iss: discovery.issuer, aud: 'api://default' });
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(payload.jti).toMatch(/^AT\./);

    // A deactivated client gets no more tokens.
    await t.client.applicationApi.deactivateApplication({ appId: app.id });
    const refused = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:read' }, { authorization: basic(clientId, secret) });
    expect(refused.status).toBe(401);
    expect((await refused.json()).error).toBe('invalid_client');
  });

  test('a wrong secret is 401 invalid_client; an unknown scope is 400 invalid_scope; a missing grant_type is 400 invalid_request', async () => {
    const app: any = await t.client.applicationApi.createApplication({
      application: {
        name: 'oidc_client',
        label: 'Errors',
        signOnMode: 'OPENID_CONNECT',
        credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_basic' } },
        settings: { oauthClient: { application_type: 'service', grant_types: ['client_credentials'], response_types: ['token'] } },
      } as any,
    });
    const { client_id, client_secret } = app.credentials.oauthClient;
    const wrong = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:read' }, { authorization: basic(client_id, 'nope') });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client', error_description: expect.any(String) });
    const scope = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'no:such:scope' }, { authorization: basic(client_id, client_secret) });
    expect(scope.status).toBe(400);
    expect((await scope.json()).error).toBe('invalid_scope');
    const missing = await postForm(t, '/oauth2/default/v1/token', { scope: 'api:read' }, { authorization: basic(client_id, client_secret) });
    expect(missing.status).toBe(400);
    expect((await missing.json()).error).toBe('invalid_request');
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
    const { payload } = await jwtVerify(body.access_token, createRemoteJWKSet(new URL(discovery.jwks_uri)), { issuer: discovery.issuer, audience: 'api://default', currentDate: await t.control.now() });
    expect(payload).toMatchObject({ cid: clientId, sub: clientId, scp: ['api:write', 'api:read'] });
    expect(payload.uid).toBeUndefined();
    // A user scope makes no sense without a user.
    const withOpenid = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'openid api:read', client_id: clientId, client_secret: secret });
    expect(withOpenid.status).toBe(400);
    expect((await withOpenid.json()).error).toBe('invalid_scope');
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
