import { invalidFields } from '../errors.js';
import type { OktaApp, RequestCtx } from '../types.js';

type Json = Record<string, any>;

const SECRET_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt'];
const REDIRECT_GRANTS = ['authorization_code', 'implicit'];
const OIE_GRANTS = [
  'urn:okta:params:oauth:grant-type:otp',
  'urn:okta:params:oauth:grant-type:oob',
  'http://auth0.com/oauth/grant-type/mfa-otp',
  'http://auth0.com/oauth/grant-type/mfa-oob',
];
const SAML_BEARER = 'urn:ietf:params:oauth:grant-type:saml2-bearer';
/** Grant types each OIDC application_type may use (Okta's client registration table, plus grants Okta added since). */
const ALLOWED_GRANTS: Record<string, string[]> = {
  service: ['client_credentials', SAML_BEARER, 'urn:ietf:params:oauth:grant-type:token-exchange', 'urn:ietf:params:oauth:grant-type:jwt-bearer', ...OIE_GRANTS],
  browser: ['authorization_code', 'implicit', 'refresh_token', 'interaction_code', SAML_BEARER, 'urn:ietf:params:oauth:grant-type:token-exchange', ...OIE_GRANTS],
  native: [
    'authorization_code', 'implicit', 'password', 'refresh_token', 'interaction_code', SAML_BEARER,
    'urn:ietf:params:oauth:grant-type:device_code', 'urn:ietf:params:oauth:grant-type:token-exchange', 'urn:ietf:params:oauth:grant-type:jwt-bearer', ...OIE_GRANTS,
  ],
  web: [
    'authorization_code', 'implicit', 'password', 'refresh_token', 'client_credentials', 'interaction_code', SAML_BEARER,
    'urn:ietf:params:oauth:grant-type:device_code', 'urn:ietf:params:oauth:grant-type:token-exchange', 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    'urn:openid:params:grant-type:ciba', ...OIE_GRANTS,
  ],
};
const SECRET_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';

/**
 * The OAuth client of an OIDC app (credentials.oauthClient and settings.oauthClient), with Okta's defaults and the
 * checks Okta makes on grant types, redirect URIs and client authentication. On replace, what the body leaves out
 * keeps its current value; `client_id` never changes.
 */
export function oauthClientOf(ctx: RequestCtx, appId: string, body: Json, previous?: OktaApp): { credentials: Json; settings: Json } {
  const sentSettings: Json | undefined = body.settings?.oauthClient;
  const sentCredentials: Json = body.credentials?.oauthClient ?? {};
  const before: Json = previous?.credentials?.oauthClient ?? {};
  if (!sentSettings && !previous) throw invalidFields([['settings.oauthClient', 'The field cannot be left blank']]);
  const settings: Json = { ...(sentSettings ?? previous!.settings.oauthClient) };
  const type: string = settings.application_type ?? 'web';
  const grants: string[] = settings.grant_types ?? [type === 'service' ? 'client_credentials' : 'authorization_code'];
  const method: string =
    sentCredentials.token_endpoint_auth_method ?? before.token_endpoint_auth_method ?? (type === 'browser' ? 'none' : 'client_secret_basic');
  const pkce: boolean = sentCredentials.pkce_required ?? before.pkce_required ?? (type === 'browser' || type === 'native');
  const redirects: string[] = settings.redirect_uris ?? [];

  const problems: [string, string][] = [];
  if (grants.length === 0) problems.push(['settings.oauthClient.grant_types', 'The field cannot be left blank']);
  for (const grant of grants) {
    if (!ALLOWED_GRANTS[type].includes(grant)) problems.push(['settings.oauthClient.grant_types', `'${grant}' is not a valid grant type for the '${type}' application type`]);
  }
  if (grants.some((g) => REDIRECT_GRANTS.includes(g)) && redirects.length === 0) {
    problems.push(['settings.oauthClient.redirect_uris', 'At least one redirect URI is required for the authorization_code and implicit grant types']);
  }
  for (const uri of redirects) {
    if (!isRedirectUri(uri, settings.wildcard_redirect)) problems.push(['settings.oauthClient.redirect_uris', `'${uri}' is not an absolute URI without a fragment`]);
  }
  if (method === 'none' && grants.includes('client_credentials')) {
    problems.push(['credentials.oauthClient.token_endpoint_auth_method', "The client_credentials grant type requires client authentication; 'none' is not allowed"]);
  }
  // Okta: with authorization_code, only browser and native clients may be public (token_endpoint_auth_method none).
  if (method === 'none' && type === 'web' && grants.includes('authorization_code')) {
    problems.push(['credentials.oauthClient.token_endpoint_auth_method', "A web app using the authorization_code grant cannot use 'none'"]);
  }
  if (method === 'none' && pkce === false) problems.push(['credentials.oauthClient.pkce_required', "PKCE is required when token_endpoint_auth_method is 'none'"]);
  const clientId: string = before.client_id ?? sentCredentials.client_id ?? appId;
  if (!previous && Object.values(ctx.state.apps).some((app) => app.credentials?.oauthClient?.client_id === clientId)) {
    problems.push(['credentials.oauthClient.client_id', 'An object with this field already exists in the current organization']);
  }
  if (problems.length) throw invalidFields(problems);

  const secret = SECRET_METHODS.includes(method) ? (sentCredentials.client_secret ?? before.client_secret ?? ctx.ids.token(64, SECRET_ALPHABET)) : undefined;
  const credentials: Json = {
    autoKeyRotation: sentCredentials.autoKeyRotation ?? before.autoKeyRotation ?? true,
    client_id: clientId,
    ...(secret !== undefined ? { client_secret: secret } : {}),
    token_endpoint_auth_method: method,
    pkce_required: pkce,
  };
  const responseTypes = settings.response_types ?? defaultResponseTypes(grants);
  return {
    credentials,
    settings: {
      consent_method: 'TRUSTED',
      issuer_mode: 'ORG_URL',
      idp_initiated_login: { mode: 'DISABLED', default_scope: [] },
      wildcard_redirect: 'DISABLED',
      dpop_bound_access_tokens: false,
      ...settings,
      redirect_uris: redirects,
      response_types: responseTypes,
      grant_types: grants,
      application_type: type,
      ...(grants.includes('refresh_token') && !settings.refresh_token ? { refresh_token: { rotation_type: type === 'browser' ? 'ROTATE' : 'STATIC', leeway: 30 } } : {}),
    },
  };
}

function defaultResponseTypes(grants: string[]): string[] {
  const types: string[] = [];
  if (grants.includes('authorization_code')) types.push('code');
  if (grants.includes('implicit')) types.push('token', 'id_token');
  return types.length ? types : ['token'];
}

function isRedirectUri(uri: string, wildcard: unknown): boolean {
  try {
    const url = new URL(wildcard === 'SUBDOMAIN' ? uri.replace('*', 'wildcard') : uri);
    return url.hash === '' && !uri.includes('#');
  } catch {
    return false;
  }
}

