import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
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
