/**
 * Token introspection and revocation. Sources:
 *  - [oauth] okta/okta-management-openapi-spec dist/current/oauth-minimal.yaml (IntrospectionAccessToken, IntrospectionInactiveToken
 *    {active:false}, revoke 200)
 * Blocks declared with `describeDefault` run against a DEFAULT twin (`createOktaTwin()`: system clock, not strict) and
 * the official SDK with its DEFAULT options (response cache on), over both the HTTP server and MSW.
 */
import { decodeJwt } from 'jose';
import { expect, test } from 'vitest';
import { basic, employee, postForm, serviceToken, signIn, webApp } from '../../support/okta-oauth.js';
import { describeDefault, describeOkta, expectRateLimitHeaders, TEST_CLOCK } from '../../support/okta.js';

const NOW = Date.parse(TEST_CLOCK) / 1000;

const SERVICE_ID = '0oatwinservice000001';
const SERVICE_SECRET = 'twin-okta-client-secret';

const nowSec = () => Math.floor(Date.now() / 1000);

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
