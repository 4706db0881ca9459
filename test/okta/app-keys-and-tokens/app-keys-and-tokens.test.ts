/**
 * An app's key credentials and OAuth tokens through applicationApi and userApi, and a private_key_jwt client (its
 * `settings.oauthClient.jwks`) at a custom authorization server. Sources:
 *  - [keys] Okta Management API, ApplicationSSOCredentialKey tag (listApplicationKeys, generateApplicationKey with
 *    validityYears, getApplicationKey: JSON Web Keys with an X.509 certificate in x5c and its x5t#S256)
 *  - [tokens] ApplicationTokens, UserOAuth and UserGrant tags (refresh tokens by `oar` id, expand=scope, revoke)
 *  - [pkjwt] Okta "Implement OAuth for Okta with a service app": the client's public keys in settings.oauthClient.jwks,
 *    assertions with iss and sub the client id and aud the token endpoint
 */
import { createHash, X509Certificate } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { expect, test } from 'vitest';
import { employee, postForm, signIn, webApp } from '../../support/okta-oauth.js';
import { collect, describeOkta, refused, sdkError, sendJson } from '../../support/okta.js';

describeOkta('Story: an app rolls its signing key over and an admin reviews the tokens its users hold', (t) => {
  test('an app lists its current key with a certificate, generates a new one for 3 years, and reads it back', async () => {
    const app = await webApp(t);
    const keys = await collect(await t.client.applicationApi.listApplicationKeys({ appId: app.appId }));
    expect(keys.map((k: any) => k.kid)).toEqual(['twin-okta-signing-key-1']);
    const current: any = keys[0];
    expect(current).toMatchObject({ kty: 'RSA', use: 'sig', e: 'AQAB' });
    expect(current).not.toHaveProperty('d');
    const der = Buffer.from(current.x5c[0], 'base64');
    const certificate = new X509Certificate(der);
    expect(certificate.publicKey.export({ format: 'jwk' }).n).toBe(current.n);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    // The SDK's JsonWebKey model spells x5t#S256 as x5tS256.
    expect(current.x5tS256).toBe(createHash('sha256').update(der).digest('base64url'));

    const generated: any = await t.client.applicationApi.generateApplicationKey({ appId: app.appId, validityYears: 3 });
    // The SDK reads the dates as Date objects.
    expect(generated).toMatchObject({ kty: 'RSA', use: 'sig', created: await t.control.now(), expiresAt: new Date('2029-01-01T00:00:00.000Z') });
    expect(new X509Certificate(Buffer.from(generated.x5c[0], 'base64')).validTo).toBe('Jan  1 00:00:00 2029 GMT');
    expect(await t.client.applicationApi.getApplicationKey({ appId: app.appId, keyId: generated.kid })).toMatchObject({ kid: generated.kid, n: generated.n });
    expect((await collect(await t.client.applicationApi.listApplicationKeys({ appId: app.appId }))).map((k: any) => k.kid)).toEqual(['twin-okta-signing-key-1', generated.kid]);

    expect((await refused(await t.fetch(`/api/v1/apps/${app.appId}/credentials/keys/generate?validityYears=1`, { method: 'POST' }))).causes).toEqual(['validityYears: Must be between 2 and 10.']);
    expect((await refused(await t.fetch(`/api/v1/apps/${app.appId}/credentials/keys/generate?validityYears=two`, { method: 'POST' }))).errorCode).toBe('E0000001');
    expect(await sdkError(t.client.applicationApi.getApplicationKey({ appId: app.appId, keyId: 'nope' }))).toMatchObject({ status: 404, errorCode: 'E0000007' });
    expect((await sdkError(collect(await t.client.applicationApi.listApplicationKeys({ appId: '0oanope' })))).status).toBe(404);
  });

  test("a user's refresh token shows under the app and under the user's clients; revoking it there ends the refresh and its access tokens", async () => {
    const app = await webApp(t);
    const user = await employee(t, app);
    const tokens = await signIn(t, app, 'openid offline_access');
    expect(tokens.refresh_token).toEqual(expect.any(String));

    const listed = await collect(await t.client.applicationApi.listOAuth2TokensForApplication({ appId: app.appId, expand: 'scope' }));
    expect(listed).toHaveLength(1);
    const token: any = listed[0];
    expect(token.id).toMatch(/^oar[0-9A-Za-z]{17}$/);
    expect(JSON.stringify(token)).not.toContain(tokens.refresh_token);
    expect(token).toMatchObject({ status: 'ACTIVE', clientId: app.clientId, userId: user.id, issuer: `${t.baseUrl}/oauth2/default`, scopes: ['openid', 'offline_access'] });
    expect(token._embedded.scopes.map((s: any) => s.name)).toEqual(['openid', 'offline_access']);
    expect(await t.client.applicationApi.getOAuth2TokenForApplication({ appId: app.appId, tokenId: token.id })).toMatchObject({ id: token.id });

    const clients = await collect(await t.client.userApi.listUserClients({ userId: user.id }));
    expect(clients.map((c: any) => [c.client_id, c.client_name])).toEqual([[app.clientId, 'Expense Reports']]);
    const mine = await collect(await t.client.userApi.listRefreshTokensForUserAndClient({ userId: user.id, clientId: app.clientId }));
    expect(mine.map((m: any) => m.id)).toEqual([token.id]);
    expect(await t.client.userApi.getRefreshTokenForUserAndClient({ userId: user.id, clientId: app.clientId, tokenId: token.id })).toMatchObject({ userId: user.id });
    const serverClients = await collect(await t.client.authorizationServerApi.listOAuth2ClientsForAuthorizationServer({ authServerId: 'default' }));
    expect(serverClients.map((c: any) => c.client_id)).toEqual([app.clientId]);
    const serverTokens = await collect(await t.client.authorizationServerApi.listRefreshTokensForAuthorizationServerAndClient({ authServerId: 'default', clientId: app.clientId }));
    expect(serverTokens.map((m: any) => m.id)).toEqual([token.id]);
    expect(await t.client.authorizationServerApi.getRefreshTokenForAuthorizationServerAndClient({ authServerId: 'default', clientId: app.clientId, tokenId: token.id })).toMatchObject({ clientId: app.clientId });
    // Every scope's consent is IMPLICIT: the user granted nothing to list.
    expect(await collect(await t.client.userApi.listUserGrants({ userId: user.id }))).toEqual([]);
    expect(await collect(await t.client.userApi.listGrantsForUserAndClient({ userId: user.id, clientId: app.clientId }))).toEqual([]);

    await t.client.applicationApi.revokeOAuth2TokenForApplication({ appId: app.appId, tokenId: token.id });
    const refresh = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, { authorization: app.auth });
    expect(refresh.status).toBe(400);
    expect((await refresh.json()).error).toBe('invalid_grant');
    const introspect = await postForm(t, '/oauth2/default/v1/introspect', { token: tokens.access_token }, { authorization: app.auth });
    expect(await introspect.json()).toEqual({ active: false });
    expect(await collect(await t.client.applicationApi.listOAuth2TokensForApplication({ appId: app.appId }))).toEqual([]);
    expect((await sdkError(t.client.applicationApi.getOAuth2TokenForApplication({ appId: app.appId, tokenId: token.id }))).status).toBe(404);

    // Revoking all of a user's tokens for a client, and all of a server's tokens for a client.
    const again = await signIn(t, app, 'openid offline_access');
    await t.client.userApi.revokeTokensForUserAndClient({ userId: user.id, clientId: app.clientId });
    expect((await postForm(t, '/oauth2/default/v1/token', { grant_type: 'refresh_token', refresh_token: again.refresh_token }, { authorization: app.auth })).status).toBe(400);
    const third = await signIn(t, app, 'openid offline_access');
    await t.client.authorizationServerApi.revokeRefreshTokensForAuthorizationServerAndClient({ authServerId: 'default', clientId: app.clientId });
    expect((await postForm(t, '/oauth2/default/v1/token', { grant_type: 'refresh_token', refresh_token: third.refresh_token }, { authorization: app.auth })).status).toBe(400);
    expect((await sdkError(t.client.authorizationServerApi.getRefreshTokenForAuthorizationServerAndClient({ authServerId: 'nosuch', clientId: app.clientId, tokenId: token.id }))).status).toBe(404);
    expect((await sdkError(t.client.userApi.getUserGrant({ userId: user.id, grantId: 'oag123' }))).status).toBe(404);
    expect((await sdkError(collect(await t.client.userApi.listUserClients({ userId: '00unope' })))).status).toBe(404);
  });

  test('a private_key_jwt client authenticates to a new authorization server with a key from its settings.oauthClient.jwks', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const app: any = await t.client.applicationApi.createApplication({
      application: {
        name: 'oidc_client',
        label: 'Key client',
        signOnMode: 'OPENID_CONNECT',
        credentials: { oauthClient: { token_endpoint_auth_method: 'private_key_jwt' } },
        settings: { oauthClient: { application_type: 'service', grant_types: ['client_credentials'], response_types: ['token'], jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] } } },
      } as any,
    });
    const clientId: string = app.credentials.oauthClient.client_id;
    const server: any = await t.client.authorizationServerApi.createAuthorizationServer({ authorizationServer: { name: 'Keys', description: 'd', audiences: ['api://keys'] } });
    await t.client.authorizationServerApi.createOAuth2Scope({ authServerId: server.id, oAuth2Scope: { name: 'keys:read' } as any });
    const policy: any = await t.client.authorizationServerApi.createAuthorizationServerPolicy({ authServerId: server.id, policy: { name: 'All', description: 'all', conditions: { clients: { include: ['ALL_CLIENTS'] } } } as any });
    await t.client.authorizationServerApi.createAuthorizationServerPolicyRule({ authServerId: server.id, policyId: policy.id, policyRule: { name: 'cc', conditions: { people: { groups: { include: ['EVERYONE'] } }, grantTypes: { include: ['client_credentials'] }, scopes: { include: ['*'] } } } as any });
    const assertion = async (aud: string) => {
      const now = Math.floor((await t.control.now()).getTime() / 1000);
      return new SignJWT({ aud, jti: `a-${aud.length}` }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(clientId).setSubject(clientId).setIssuedAt(now).setExpirationTime(now + 300).sign(privateKey);
    };
    const form = async (aud: string) => ({ grant_type: 'client_credentials', scope: 'keys:read', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: await assertion(aud) });
    const wrongAudience = await postForm(t, `/oauth2/${server.id}/v1/token`, await form(`${t.baseUrl}/oauth2/default/v1/token`));
    expect(wrongAudience.status).toBe(401);
    const ok = await postForm(t, `/oauth2/${server.id}/v1/token`, await form(`${t.baseUrl}/oauth2/${server.id}/v1/token`));
    expect(ok.status).toBe(200);
    expect((await ok.json()).scope).toBe('keys:read');

    // The client's keys through the JWKS API: add a second key, retire the first.
    // Okta's schema answers listJwk with an array of keys (its example wraps them in `jwks.keys`, SDK 8's model expects
    // `keys`): the twin follows the schema, so the list is read raw here.
    const listKeys = async () => (await t.fetch(`/api/v1/apps/${app.id}/credentials/jwks`)).json();
    const [first] = await listKeys();
    expect(first).toMatchObject({ kid: 'k1', status: 'ACTIVE', id: expect.stringMatching(/^pks/) });
    const next = await generateKeyPair('RS256', { extractable: true });
    const added: any = await t.client.applicationSSOPublicKeysApi.addJwk({ appId: app.id, addJwkRequest: { ...(await exportJWK(next.publicKey)), kid: 'k2', alg: 'RS256', use: 'sig' } as any });
    expect(added).toMatchObject({ kid: 'k2', status: 'ACTIVE', id: expect.stringMatching(/^pks/) });
    const signed = async (key: typeof privateKey, kid: string, jti: string) => {
      const now = Math.floor((await t.control.now()).getTime() / 1000);
      return new SignJWT({ aud: `${t.baseUrl}/oauth2/${server.id}/v1/token`, jti }).setProtectedHeader({ alg: 'RS256', kid }).setIssuer(clientId).setSubject(clientId).setIssuedAt(now).setExpirationTime(now + 300).sign(key);
    };
    const withKey = async (key: typeof privateKey, kid: string, jti: string) =>
      postForm(t, `/oauth2/${server.id}/v1/token`, { grant_type: 'client_credentials', scope: 'keys:read', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: await signed(key, kid, jti) });
    expect((await withKey(next.privateKey, 'k2', 'second-key')).status).toBe(200);
    expect(await sdkError(t.client.applicationSSOPublicKeysApi.deletejwk({ appId: app.id, keyId: (first as any).id }))).toMatchObject({ status: 400, causes: ['status: You can only delete an inactive key.'] });
    expect(await t.client.applicationSSOPublicKeysApi.deactivateOAuth2ClientJsonWebKey({ appId: app.id, keyId: (first as any).id })).toMatchObject({ status: 'INACTIVE' });
    expect((await withKey(privateKey, 'k1', 'retired-key')).status).toBe(401);
    await t.client.applicationSSOPublicKeysApi.deletejwk({ appId: app.id, keyId: (first as any).id });
    expect((await listKeys()).map((k: any) => k.kid)).toEqual(['k2']);

    const tooShort = await refused(await sendJson(t, `/api/v1/apps/${app.id}/credentials/jwks`, { kty: 'RSA', kid: 'k3', e: 'AQAB', n: Buffer.alloc(128, 1).toString('base64url') }));
    expect(tooShort).toMatchObject({ errorSummary: 'Api validation failed: JsonWebKey', causes: ["RSA key length in the 'jwks' is less than '2,048' bits for the given key."] });
    const duplicate = await refused(await sendJson(t, `/api/v1/apps/${app.id}/credentials/jwks`, { ...(await exportJWK(next.publicKey)), kid: 'k2' }));
    expect(duplicate.causes).toEqual(["All keys in the 'jwks' must have a unique `kid`."]);
  });
});
