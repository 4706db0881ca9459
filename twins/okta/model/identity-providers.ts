import { copyJson } from '../../../src/index.js';
import { invalidFields, notFound } from '../errors.js';
import type { OktaState, RequestCtx } from '../types.js';

type Idp = NonNullable<OktaState['identityProviders']>[string];
type Json = Record<string, any>;

/** The protocol each IdP type speaks (Okta's IdentityProviderType table). */
const PROTOCOL_OF: Record<string, string> = {
  AMAZON: 'OIDC', APPLE: 'OIDC', GITLAB: 'OIDC', GOOGLE: 'OIDC', LINKEDIN: 'OIDC', LOGINGOV: 'OIDC', LOGINGOV_SANDBOX: 'OIDC',
  MICROSOFT: 'OIDC', OIDC: 'OIDC', OKTA_INTEGRATION: 'OIDC', PAYPAL: 'OIDC', PAYPAL_SANDBOX: 'OIDC', SALESFORCE: 'OIDC',
  XERO: 'OIDC', YAHOO: 'OIDC', YAHOOJP: 'OIDC',
  DISCORD: 'OAUTH2', FACEBOOK: 'OAUTH2', GITHUB: 'OAUTH2', SPOTIFY: 'OAUTH2',
  SAML2: 'SAML2',
  X509: 'MTLS',
  IDV_CLEAR: 'ID_PROOFING', IDV_INCODE: 'ID_PROOFING', IDV_PERSONA: 'ID_PROOFING', IDV_STANDARD: 'ID_PROOFING',
};

/** The policy Okta gives an IdP created without one: provision and link automatically, match on the username. */
function defaultPolicy(type: string): Json {
  return {
    provisioning: { action: 'AUTO', profileMaster: false, groups: { action: 'NONE' }, conditions: { deprovisioned: { action: 'NONE' }, suspended: { action: 'NONE' } } },
    accountLink: { filter: null, action: 'AUTO' },
    subject: { userNameTemplate: { template: type === 'SAML2' ? 'idpuser.subjectNameId' : 'idpuser.email' }, filter: null, matchType: 'USERNAME' },
    maxClockSkew: 0,
  };
}

/** The IdP with this id, or Okta's 404. */
export function requireIdp(ctx: RequestCtx, id: string): Idp {
  const idp = ctx.state.identityProviders?.[id];
  if (!idp) throw notFound(id, 'IdentityProvider');
  return idp;
}

/**
 * An IdP as Okta returns it. Social and OpenID Connect IdPs link to the org's /authorize with `idp` (how an app sends
 * its users to the IdP) and to the callback the IdP returns them to.
 */
export function idpJson(ctx: RequestCtx, idp: Idp): Json {
  const base = ctx.baseUrl.replace(/\/+$/, '');
  const protocol = PROTOCOL_OF[idp.type];
  const links: Json =
    protocol === 'OIDC' || protocol === 'OAUTH2'
      ? {
        authorize: {
          href: `${base}/oauth2/v1/authorize?idp=${idp.id}&client_id={clientId}&response_type={responseType}&response_mode={responseMode}&scope={scopes}&redirect_uri={redirectUri}&state={state}&nonce={nonce}`,
          templated: true,
          hints: { allow: ['GET'] },
        },
        clientRedirectUri: { href: `${base}/oauth2/v1/authorize/callback`, hints: { allow: ['POST'] } },
      }
      : protocol === 'SAML2'
        ? {
          metadata: { href: `${base}/api/v1/idps/${idp.id}/metadata.xml`, type: 'application/xml', hints: { allow: ['GET'] } },
          acs: { href: `${base}/sso/saml2/${idp.id}`, type: 'application/xml', hints: { allow: ['POST'] } },
        }
        : {};
  return { ...copyJson(idp), _links: links };
}

function text(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * An IdP body checked before anything is written: a name, a known type, and a protocol that the type speaks with what
 * it needs (a client id for OAuth-based IdPs, the endpoints of a generic OpenID Connect IdP, the SSO URL of a SAML one).
 *
 * @example
 * const sent = checkIdpBody(ctx.body);
 */
export function checkIdpBody(body: Json, existingType?: string): { name: string; type: string; protocol: Json; policy: Json } {
  const problems: [string, string][] = [];
  if (!text(body.name)) problems.push(['name', 'The field cannot be left blank']);
  const type = body.type ?? existingType;
  const expected = PROTOCOL_OF[type];
  if (!expected) problems.push(['type', `Must be one of ${Object.keys(PROTOCOL_OF).join(', ')}.`]);
  else if (existingType && type !== existingType) problems.push(['type', 'The type of an identity provider cannot be changed.']);
  const protocol = body.protocol;
  if (!protocol || typeof protocol !== 'object' || Array.isArray(protocol)) problems.push(['protocol', 'The field cannot be left blank']);
  else if (expected) {
    if (protocol.type !== expected) problems.push(['protocol.type', `An identity provider of type ${type} uses the ${expected} protocol.`]);
    if ((expected === 'OIDC' || expected === 'OAUTH2') && !text(protocol.credentials?.client?.client_id)) problems.push(['protocol.credentials.client.client_id', 'The field cannot be left blank']);
    if (type === 'OIDC') {
      for (const endpoint of ['authorization', 'token']) {
        if (!text(protocol.endpoints?.[endpoint]?.url)) problems.push([`protocol.endpoints.${endpoint}.url`, 'The field cannot be left blank']);
      }
      if (!text(protocol.issuer?.url)) problems.push(['protocol.issuer.url', 'The field cannot be left blank']);
    }
    if (expected === 'SAML2' && !text(protocol.endpoints?.sso?.url)) problems.push(['protocol.endpoints.sso.url', 'The field cannot be left blank']);
  }
  if (body.policy !== undefined && (body.policy === null || typeof body.policy !== 'object' || Array.isArray(body.policy))) problems.push(['policy', 'Must be an object.']);
  if (problems.length) throw invalidFields(problems);
  return { name: body.name.trim(), type, protocol: copyJson(protocol), policy: body.policy ? { ...defaultPolicy(type), ...copyJson(body.policy) } : defaultPolicy(type) };
}
