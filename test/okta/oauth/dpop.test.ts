/**
 * DPoP (RFC 9449) as Okta documents it, driven as a DPoP client does it: raw HTTP and jose. An app created with
 * `dpop_bound_access_tokens: true` must prove possession of a key at /v1/token: no proof is 400 invalid_dpop_proof,
 * a proof without the server's nonce is 400 use_dpop_nonce with a DPoP-Nonce header, a good proof gets
 * token_type DPoP and an access token bound to the key (cnf.jkt); /v1/userinfo then takes the token only as
 * `Authorization: DPoP` with a proof for the request carrying the token's hash (ath). Sources:
 *  - [rfc] RFC 9449 §4 (proof: typ dpop+jwt, jwk, htm, htu, iat, jti, ath, nonce), §5 (token_type DPoP), §6.1 (cnf.jkt),
 *    §7 (protected resource: DPoP scheme, ath), §8 (use_dpop_nonce, DPoP-Nonce)
 *  - [okta] Okta "Configure OAuth 2.0 Demonstrating Proof-of-Possession" guide (dpop_bound_access_tokens, the nonce
 *    round trip, "Authorization server requires nonce in DPoP proof.", dpop_signing_alg_values_supported; the nonce
 *    "renews ... every 24 hours. The old dpop-nonce value continues to work for three days after generation"; "track the
 *    incoming DPoP proof JWT's jti claim ... and not accept that claim more than once")
 *  - [rfc] RFC 9449 §11.1 (replay: a server remembers the jti of the proofs it accepted within its iat window)
 */
import { calculateJwkThumbprint, decodeJwt, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createHash, randomUUID } from 'node:crypto';
import { expect, test } from 'vitest';
import { authorize, employee, get, pkcePair, postForm, privateKeyServiceApp, REDIRECT_URI, webApp, type WebApp } from '../../support/okta-oauth.js';
import { describeOkta, TEST_CLOCK, stateOf, type OktaTarget } from '../../support/okta.js';

const NOW = Date.parse(TEST_CLOCK) / 1000;

interface DpopKey {
  privateKey: CryptoKey;
  jwk: JWK;
}

async function dpopKey(): Promise<DpopKey> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  return { privateKey, jwk: await exportJWK(publicKey) };
}

/** A DPoP proof for a request, as a client library makes one. */
function proof(key: DpopKey, method: string, url: string, extra: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ htm: method, htu: url, iat: NOW, jti: randomUUID(), ...extra }).setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: key.jwk }).sign(key.privateKey);
}

const ath = (token: string) => createHash('sha256').update(token).digest('base64url');

async function codeFor(t: OktaTarget, app: WebApp) {
  const { verifier, challenge } = pkcePair();
  const back = await authorize(t, { client_id: app.clientId, response_type: 'code', scope: 'openid profile', redirect_uri: REDIRECT_URI, state: 's', code_challenge: challenge, code_challenge_method: 'S256', login_hint: 'kj@example.com' });
  return { code: back.get('code')!, verifier };
}

describeOkta('DPoP-bound access tokens', (t) => {
  const tokenUrl = () => `${t.baseUrl}/oauth2/default/v1/token`;
  const userinfoUrl = () => `${t.baseUrl}/oauth2/default/v1/userinfo`;

  async function dpopApp() {
    const app = await webApp(t, { dpop_bound_access_tokens: true });
    await employee(t, app);
    return app;
  }

  test('the token endpoint wants a proof, then its nonce, then binds the token to the key', async () => {
    const app = await dpopApp();
    const key = await dpopKey();
    const { code, verifier } = await codeFor(t, app);
    const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier };

    const bare = await postForm(t, '/oauth2/default/v1/token', form, { authorization: app.auth });
    expect(bare.status).toBe(400);
    expect(await bare.json()).toEqual({ error: 'invalid_dpop_proof', error_description: 'The DPoP proof JWT header is missing.' });

    const noNonce = await postForm(t, '/oauth2/default/v1/token', form, { authorization: app.auth, dpop: await proof(key, 'POST', tokenUrl()) });
    expect(noNonce.status).toBe(400);
    expect(await noNonce.json()).toEqual({ error: 'use_dpop_nonce', error_description: 'Authorization server requires nonce in DPoP proof.' });
    const nonce = noNonce.headers.get('dpop-nonce');
    expect(nonce).toMatch(/^\w{43}$/);

    // The refusals did not spend the code: the client retries it with the nonce.
    const res = await postForm(t, '/oauth2/default/v1/token', form, { authorization: app.auth, dpop: await proof(key, 'POST', tokenUrl(), { nonce }) });
    expect(res.status).toBe(200);
    const tokens = await res.json();
    expect(tokens.token_type).toBe('DPoP');
    const jkt = await calculateJwkThumbprint(key.jwk, 'sha256');
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt });
    const introspected = await (await postForm(t, '/oauth2/default/v1/introspect', { token: tokens.access_token, token_type_hint: 'access_token' }, { authorization: app.auth })).json();
    expect(introspected).toMatchObject({ active: true, token_type: 'DPoP', cnf: { jkt } });
  });

  test('a proof for another endpoint, method, or an old one is invalid_dpop_proof', async () => {
    const app = await dpopApp();
    const key = await dpopKey();
    const { code, verifier } = await codeFor(t, app);
    const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier };
    const send = async (dpop: string) => postForm(t, '/oauth2/default/v1/token', form, { authorization: app.auth, dpop });
    const cases = [
      await proof(key, 'GET', tokenUrl()),
      await proof(key, 'POST', `${t.baseUrl}/oauth2/v1/token`),
      await proof(key, 'POST', tokenUrl(), { iat: NOW - 3600 }),
      await new SignJWT({ htm: 'POST', htu: tokenUrl(), iat: NOW, jti: 'x' }).setProtectedHeader({ alg: 'ES256', typ: 'JWT', jwk: key.jwk }).sign(key.privateKey),
      'not.a.jwt',
    ];
    for (const dpop of cases) {
      const res = await send(dpop);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toBe('invalid_dpop_proof');
    }
  });

  test('userinfo takes the DPoP token only with the DPoP scheme and a proof of its key carrying ath', async () => {
    const app = await dpopApp();
    const key = await dpopKey();
    const { code, verifier } = await codeFor(t, app);
    const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier };
    const nonce = (await postForm(t, '/oauth2/default/v1/token', form, { authorization: app.auth, dpop: await proof(key, 'POST', tokenUrl()) })).headers.get('dpop-nonce');
    const { access_token: token } = await (await postForm(t, '/oauth2/default/v1/token', form, { authorization: app.auth, dpop: await proof(key, 'POST', tokenUrl(), { nonce }) })).json();

    const asBearer = await get(t, '/oauth2/default/v1/userinfo', { authorization: `Bearer ${token}` });
    expect(asBearer.status).toBe(401);
    expect(asBearer.headers.get('www-authenticate')).toMatch(/^DPoP algs="RS256 RS384 RS512 ES256 ES384 ES512", error="invalid_token"/);

    const noProof = await get(t, '/oauth2/default/v1/userinfo', { authorization: `DPoP ${token}` });
    expect(noProof.status).toBe(400);
    expect((await noProof.json()).error).toBe('invalid_dpop_proof');

    const noAth = await get(t, '/oauth2/default/v1/userinfo', { authorization: `DPoP ${token}`, dpop: await proof(key, 'GET', userinfoUrl()) });
    expect(noAth.status).toBe(400);

    const otherKey = await get(t, '/oauth2/default/v1/userinfo', { authorization: `DPoP ${token}`, dpop: await proof(await dpopKey(), 'GET', userinfoUrl(), { ath: ath(token) }) });
    expect(otherKey.status).toBe(400);
    expect(await otherKey.json()).toEqual({ error: 'invalid_dpop_proof', error_description: 'The DPoP proof key does not match the key the access token is bound to.' });

    const good = await get(t, '/oauth2/default/v1/userinfo', { authorization: `DPoP ${token}`, dpop: await proof(key, 'GET', userinfoUrl(), { ath: ath(token) }) });
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ preferred_username: 'kj@example.com' });
  });

  test('an app without dpop_bound_access_tokens keeps Bearer tokens, proof or not; discovery advertises the proof algorithms', async () => {
    const app = await webApp(t);
    await employee(t, app);
    const { code, verifier } = await codeFor(t, app);
    const res = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }, { authorization: app.auth, dpop: await proof(await dpopKey(), 'POST', tokenUrl()) });
    expect(res.status).toBe(200);
    const tokens = await res.json();
    expect(tokens.token_type).toBe('Bearer');
    expect(decodeJwt(tokens.access_token).cnf).toBeUndefined();
    const asDpop = await get(t, '/oauth2/default/v1/userinfo', { authorization: `DPoP ${tokens.access_token}` });
    expect(asDpop.status).toBe(401);
    for (const path of ['/oauth2/default/.well-known/openid-configuration', '/.well-known/openid-configuration']) {
      expect((await (await get(t, path)).json()).dpop_signing_alg_values_supported).toEqual(['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512']);
    }
  });

  test('a DPoP service app calls the Management API with Authorization: DPoP and a proof carrying ath; Bearer is refused', async () => {
    const service = await privateKeyServiceApp(t, 'DPoP sync');
    const app: any = service.app;
    await t.client.applicationApi.replaceApplication({ appId: app.id, application: { ...app, settings: { ...app.settings, oauthClient: { ...app.settings.oauthClient, dpop_bound_access_tokens: true } } } });
    await t.client.applicationApi.grantConsentToScope({ appId: app.id, oAuth2ScopeConsentGrant: { issuer: t.baseUrl, scopeId: 'okta.users.read' } as any });
    await t.client.roleAssignmentApi.assignRoleToClient({ clientId: service.clientId, assignRoleRequest: { type: 'READ_ONLY_ADMIN' } as any });
    const key = await dpopKey();
    const orgToken = `${t.baseUrl}/oauth2/v1/token`;
    const form = async () => ({ grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: await service.assertion() });
    const first = await postForm(t, '/oauth2/v1/token', await form(), { dpop: await proof(key, 'POST', orgToken) });
    expect(first.status).toBe(400);
    const nonce = first.headers.get('dpop-nonce');
    const res = await postForm(t, '/oauth2/v1/token', await form(), { dpop: await proof(key, 'POST', orgToken, { nonce }) });
    expect(res.status).toBe(200);
    const { access_token: token, token_type } = await res.json();
    expect(token_type).toBe('DPoP');

    const users = `${t.baseUrl}/api/v1/users`;
    const call = (headers: Record<string, string>) => fetch(users, { headers: { accept: 'application/json', ...headers } });
    const asBearer = await call({ authorization: `Bearer ${token}` });
    expect(asBearer.status).toBe(401);
    expect((await asBearer.json()).errorCauses).toEqual([{ errorSummary: 'The access token is DPoP-bound: send it with Authorization: DPoP and a DPoP proof.' }]);
    const noAth = await call({ authorization: `DPoP ${token}`, dpop: await proof(key, 'GET', users) });
    expect(noAth.status).toBe(401);
    const good = await call({ authorization: `DPoP ${token}`, dpop: await proof(key, 'GET', users, { ath: ath(token) }) });
    expect(good.status).toBe(200);
    expect((await good.json()).map((u: any) => u.id)).toContain('00uadmintwin00000001');
  });

  test('a public client\'s refresh token is bound to its DPoP key: refreshing needs a proof of the same key', async () => {
    const spa: any = await t.client.applicationApi.createApplication({
      application: {
        name: 'oidc_client',
        label: 'DPoP SPA',
        signOnMode: 'OPENID_CONNECT',
        credentials: { oauthClient: { token_endpoint_auth_method: 'none' } },
        settings: { oauthClient: { application_type: 'browser', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], redirect_uris: [REDIRECT_URI], dpop_bound_access_tokens: true } },
      } as any,
    });
    const clientId = spa.credentials.oauthClient.client_id;
    const app: WebApp = { appId: spa.id, clientId, secret: '', auth: '' };
    await employee(t, app);
    const { verifier, challenge } = pkcePair();
    const back = await authorize(t, { client_id: clientId, response_type: 'code', scope: 'openid offline_access', redirect_uri: REDIRECT_URI, state: 's', code_challenge: challenge, code_challenge_method: 'S256', login_hint: 'kj@example.com' });
    const form = { client_id: clientId, grant_type: 'authorization_code', code: back.get('code')!, redirect_uri: REDIRECT_URI, code_verifier: verifier };
    const key = await dpopKey();
    const nonce = (await postForm(t, '/oauth2/default/v1/token', form, { dpop: await proof(key, 'POST', tokenUrl()) })).headers.get('dpop-nonce');
    const tokens = await (await postForm(t, '/oauth2/default/v1/token', form, { dpop: await proof(key, 'POST', tokenUrl(), { nonce }) })).json();
    expect(tokens).toMatchObject({ token_type: 'DPoP', refresh_token: expect.any(String) });

    const refresh = { client_id: clientId, grant_type: 'refresh_token', refresh_token: tokens.refresh_token };
    const stolen = await postForm(t, '/oauth2/default/v1/token', refresh, { dpop: await proof(await dpopKey(), 'POST', tokenUrl(), { nonce }) });
    expect(stolen.status).toBe(400);
    expect(await stolen.json()).toEqual({ error: 'invalid_dpop_proof', error_description: 'The DPoP proof key does not match the key the refresh token is bound to.' });
    const renewed = await postForm(t, '/oauth2/default/v1/token', refresh, { dpop: await proof(key, 'POST', tokenUrl(), { nonce }) });
    expect(renewed.status).toBe(200);
    expect(decodeJwt((await renewed.json()).access_token).cnf).toEqual({ jkt: await calculateJwkThumbprint(key.jwk, 'sha256') });
  });
  test("a proof is accepted once at a resource: its jti again is invalid_dpop_proof at userinfo; the token endpoint takes a proof again, as the refresh example of Okta's guide does; remembered only for its iat window", async () => {
    const app = await dpopApp();
    const key = await dpopKey();
    const first = await codeFor(t, app);
    const form = (c: { code: string; verifier: string }) => ({ grant_type: 'authorization_code', code: c.code, redirect_uri: REDIRECT_URI, code_verifier: c.verifier });
    const nonce = (await postForm(t, '/oauth2/default/v1/token', form(first), { authorization: app.auth, dpop: await proof(key, 'POST', tokenUrl()) })).headers.get('dpop-nonce');
    const used = await proof(key, 'POST', tokenUrl(), { nonce });
    const ok = await postForm(t, '/oauth2/default/v1/token', form(first), { authorization: app.auth, dpop: used });
    expect(ok.status).toBe(200);
    const { access_token: token } = await ok.json();

    const second = await codeFor(t, app);
    expect((await postForm(t, '/oauth2/default/v1/token', form(second), { authorization: app.auth, dpop: used })).status).toBe(200);

    const lookup = await proof(key, 'GET', userinfoUrl(), { ath: ath(token) });
    expect((await get(t, '/oauth2/default/v1/userinfo', { authorization: `DPoP ${token}`, dpop: lookup })).status).toBe(200);
    const again = await get(t, '/oauth2/default/v1/userinfo', { authorization: `DPoP ${token}`, dpop: lookup });
    expect(again.status).toBe(400);
    expect((await again.json()).error).toBe('invalid_dpop_proof');
    expect(Object.keys((await stateOf(t)).oauth.dpopProofs ?? {})).toHaveLength(1); // the proof accepted at the resource

    // Past the window a proof with that iat is refused as not recent anyway: the twin forgets it.
    await t.control.advanceClock(301_000);
    const later = await proof(key, 'GET', userinfoUrl(), { ath: ath(token), iat: NOW + 301 });
    expect((await get(t, '/oauth2/default/v1/userinfo', { authorization: `DPoP ${token}`, dpop: later })).status).toBe(200);
    expect(Object.keys((await stateOf(t)).oauth.dpopProofs ?? {})).toHaveLength(1);
  });

  test('the nonce is renewed every 24 hours and an old one is still accepted until three days after it was made', async () => {
    const app = await dpopApp();
    const key = await dpopKey();
    const redeem = async (seconds: number, nonce: string | null) => {
      const { code, verifier } = await codeFor(t, app);
      const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier };
      return postForm(t, '/oauth2/default/v1/token', form, { authorization: app.auth, dpop: await proof(key, 'POST', tokenUrl(), { iat: NOW + seconds, ...(nonce ? { nonce } : {}) }) });
    };
    const n1 = (await redeem(0, null)).headers.get('dpop-nonce');
    expect((await redeem(0, n1)).status).toBe(200);

    await t.control.advanceClock(25 * 3600_000);
    const renewed = await redeem(25 * 3600, null);
    expect(renewed.status).toBe(400);
    const n2 = renewed.headers.get('dpop-nonce');
    expect(n2).not.toBe(n1);
    expect((await redeem(25 * 3600, n1)).status).toBe(200);
    expect((await redeem(25 * 3600, n2)).status).toBe(200);

    await t.control.advanceClock(48 * 3600_000); // 73 hours after n1 was made
    const expired = await redeem(73 * 3600, n1);
    expect(expired.status).toBe(400);
    expect(await expired.json()).toEqual({ error: 'use_dpop_nonce', error_description: 'Authorization server requires nonce in DPoP proof.' });
    expect((await redeem(73 * 3600, n2)).status).toBe(200);
  });
});
