import { createLocalJWKSet, createRemoteJWKSet, exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import type { OktaTarget } from './okta.js';

/** The HTTP Basic `authorization` value for an OAuth client id and secret. */
export const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** A raw form POST to the twin, with no Management API credentials attached (only what `headers` adds). */
export function postForm(t: OktaTarget, path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(t.baseUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/**
 * A private_key_jwt service app (API Services app, client_credentials) named `label`, created through the SDK with the
 * public half of an RS256 key pair the test holds. `assertion` signs a client assertion for the org token endpoint (a new
 * jti each call unless given one), `token` asks the org server for a client_credentials token with a fresh assertion, and
 * `sdk` is an SDK client in PrivateKey mode for the app.
 */
export async function privateKeyServiceApp(t: OktaTarget, label = 'Service app') {
  const kid = 'service-key';
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: 'RS256' };
  const app: any = await t.client.applicationApi.createApplication({
    application: {
      name: 'oidc_client',
      label,
      signOnMode: 'OPENID_CONNECT',
      credentials: { oauthClient: { token_endpoint_auth_method: 'private_key_jwt' } },
      settings: { oauthClient: { application_type: 'service', grant_types: ['client_credentials'], response_types: ['token'], jwks: { keys: [publicJwk] } } },
    } as any,
  });
  const clientId: string = app.credentials.oauthClient.client_id;
  let assertions = 0;
  const assertion = (jti = `assertion-${++assertions}`) =>
    new SignJWT({ aud: `${t.baseUrl}/oauth2/v1/token`, jti })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  const token = async (scope: string) =>
    postForm(t, '/oauth2/v1/token', {
      grant_type: 'client_credentials',
      scope,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await assertion(),
    });
  const sdk = (scopes: string[]) => t.makeClient({ authorizationMode: 'PrivateKey', clientId, scopes, privateKey: JSON.stringify(privateJwk), keyId: kid, token: undefined });
  return { app, clientId, assertion, token, sdk };
}

// The helpers below serve the OAuth feature tests (test/okta/oauth/) and the rate-limit headers test; their imports
// stay here so that the lines above are untouched.
import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';

/** A GET as a browser or an app makes it: no credentials unless given, redirects not followed. */
export function get(t: OktaTarget, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(t.baseUrl + path, { headers: { accept: 'application/json', ...headers }, redirect: 'manual' });
}

/** A PKCE code verifier and its S256 code challenge. */
export function pkcePair() {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The redirect URI `webApp` registers and `authorize` expects. */
export const REDIRECT_URI = 'https://web.example.com/authorization-code/callback';
const EMPLOYEE_PASSWORD = 'Correct-Horse-42';

/** A web app `webApp` made: its id, its OAuth client id and secret, and their Basic `authorization` value. */
export interface WebApp {
  appId: string;
  clientId: string;
  secret: string;
  auth: string;
}

/** A confidential web app (client_secret_basic) made through the SDK, as the "Create an OIDC web app" docs show. */
export async function webApp(t: OktaTarget, settings: Record<string, unknown> = {}, grantTypes = ['authorization_code', 'refresh_token']): Promise<WebApp> {
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

/** An ACTIVE user with a password, Katherine Johnson (kj@example.com) unless `profile` says otherwise, assigned to `app`. */
export async function employee(t: OktaTarget, app: WebApp, profile: Record<string, unknown> = {}) {
  const user: any = await t.client.userApi.createUser({
    body: {
      profile: { firstName: 'Katherine', lastName: 'Johnson', email: 'kj@example.com', login: 'kj@example.com', ...profile },
      credentials: { password: { value: EMPLOYEE_PASSWORD } },
    },
  });
  await t.client.applicationApi.assignUserToApplication({ appId: app.appId, appUser: { id: user.id } });
  return user as { id: string; profile: Record<string, any> };
}

/** Sends the browser to /authorize and returns what comes back on the redirect URI (query or fragment). */
export async function authorize(t: OktaTarget, params: Record<string, string>, server = '/oauth2/default'): Promise<URLSearchParams> {
  const res = await get(t, `${server}/v1/authorize?${new URLSearchParams(params)}`);
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
  return location.hash ? new URLSearchParams(location.hash.slice(1)) : location.searchParams;
}

/** The whole authorization code + PKCE dance for the user; returns the token response. */
export async function signIn(t: OktaTarget, app: WebApp, scope: string, login = 'kj@example.com', server = '/oauth2/default') {
  const { verifier, challenge } = pkcePair();
  const back = await authorize(t, { client_id: app.clientId, response_type: 'code', scope, redirect_uri: REDIRECT_URI, state: 'st-1', nonce: 'n-1', code_challenge: challenge, code_challenge_method: 'S256', login_hint: login }, server);
  const code = back.get('code');
  expect(code, back.get('error_description') ?? '').toBeTruthy();
  const res = await postForm(t, `${server}/v1/token`, { grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT_URI, code_verifier: verifier }, { authorization: app.auth });
  expect(res.status).toBe(200);
  return res.json();
}

const SERVICE_ID = '0oatwinservice000001';
const SERVICE_SECRET = 'twin-okta-client-secret';

/** A client_credentials token response (JSON) of the seeded service app from the default server; the request must succeed. */
export async function serviceToken(e: OktaTarget, scope = 'api:read') {
  const res = await postForm(e, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope }, { authorization: basic(SERVICE_ID, SERVICE_SECRET) });
  expect(res.status).toBe(200);
  return res.json();
}

/** A key set to verify the twin's tokens: jose's remote set over HTTP; under MSW, the twin's JWKS document read once. */
export async function jwksFor(t: OktaTarget, path: string) {
  if (t.transport !== 'msw') return createRemoteJWKSet(new URL(t.baseUrl + path));
  const doc = (await (await get(t, path)).json()) as JSONWebKeySet;
  return createLocalJWKSet(doc);
}
