import { createRecord } from '../../../src/index.js';
import { invalidFields, notFound } from '../errors.js';
import { grantsOf } from '../model/app-grants.js';
import { requireApp } from '../model/apps.js';
import { expansions } from '../model/http.js';
import { nowIso, oktaId } from '../model/ids.js';
import { OKTA_API_SCOPES } from '../model/oauth-scopes.js';
import { appTarget, logEvent } from '../model/system-log.js';
import type { Ctx, OktaApp, OktaAuth, OktaHandlers, RequestCtx, ScopeConsentGrant } from '../types.js';

/** The org authorization server's issuer: the org URL, as a grant's `issuer` must name it. */
function orgIssuer(ctx: RequestCtx): string {
  return ctx.baseUrl.replace(/\/+$/, '');
}

function requireGrant(ctx: Ctx, app: OktaApp): ScopeConsentGrant {
  const grant = grantsOf(ctx.state, app.id).find((g) => g.id === ctx.params.grantId);
  if (!grant) throw notFound(ctx.params.grantId, 'OAuth2ScopeConsentGrant');
  return grant;
}

/** A grant as Okta returns it: `_embedded.scope` on create and with `expand=scope`, and links to its app and client. */
function grantJson(ctx: RequestCtx, app: OktaApp, grant: ScopeConsentGrant, embedScope: boolean): Record<string, unknown> {
  const base = ctx.baseUrl;
  return {
    ...grant,
    ...(embedScope ? { _embedded: { scope: { id: grant.scopeId } } } : {}),
    _links: {
      app: { href: `${base}/api/v1/apps/${app.id}`, title: app.label },
      self: { href: `${base}/api/v1/apps/${app.id}/grants/${grant.id}`, hints: { allow: ['GET', 'DELETE'] } },
      client: { href: `${base}/oauth2/v1/clients/${grant.clientId}`, title: app.label },
    },
  };
}

/** Who made a change: the admin user behind an API token or a user's access token, or a service client on its own. */
function actor(auth: OktaAuth): { id: string; type: string } {
  if (auth.kind === 'accessToken' && auth.userId === null) return { id: auth.clientId, type: 'Client' };
  return { id: auth.kind === 'none' ? '' : auth.userId!, type: 'User' };
}

/** Okta logs an admin's grant or revocation of an Okta API scope as `app.oauth2.admin.consent.grant` / `.revoke`. */
function logConsent(ctx: Ctx, app: OktaApp, grant: ScopeConsentGrant, action: 'grant' | 'revoke'): void {
  const scope = { id: grant.scopeId, type: 'Scope', alternateId: grant.scopeId, displayName: grant.scopeId };
  logEvent(ctx, { eventType: `app.oauth2.admin.consent.${action}`, displayMessage: action === 'grant' ? 'Admin consent granted' : 'Admin consent revoked', target: [appTarget(app), scope] });
}

function embedsScope(ctx: Ctx): boolean {
  return expansions(ctx.query.expand).includes('scope');
}

/**
 * The app's grants collection (tag ApplicationGrants; Okta's "OAuth for Okta" guides): the org authorization server
 * issues an Okta API scope to a client only once an admin granted that scope to the client's app.
 */
export const appGrantHandlers = {
  listScopeConsentGrants(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    const embed = embedsScope(ctx);
    return { status: 200, body: grantsOf(ctx.state, app.id).map((grant) => grantJson(ctx, app, grant, embed)) };
  },

  grantConsentToScope(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    const { issuer, scopeId } = ctx.body as { issuer: string; scopeId: string };
    if (issuer.replace(/\/+$/, '') !== orgIssuer(ctx)) throw invalidFields([['issuer', `The issuer must be the org authorization server, ${orgIssuer(ctx)}`]]);
    if (!OKTA_API_SCOPES.has(scopeId)) throw invalidFields([['scopeId', `'${scopeId}' is not an Okta API scope`]]);
    const grants = (ctx.state.oauth.appGrants ??= createRecord())[app.id] ??= [];
    if (grants.some((g) => g.scopeId === scopeId)) throw invalidFields([['scopeId', `The scope '${scopeId}' is already granted to this app`]]);
    const now = nowIso(ctx);
    const grant: ScopeConsentGrant = {
      id: oktaId(ctx, 'oag'),
      status: 'ACTIVE',
      created: now,
      createdBy: actor(ctx.auth),
      lastUpdated: now,
      issuer: orgIssuer(ctx),
      clientId: app.credentials?.oauthClient?.client_id ?? app.id,
      scopeId,
      source: 'ADMIN',
    };
    grants.push(grant);
    logConsent(ctx, app, grant, 'grant');
    return { status: 201, body: grantJson(ctx, app, grant, true) };
  },

  getScopeConsentGrant(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    return { status: 200, body: grantJson(ctx, app, requireGrant(ctx, app), embedsScope(ctx)) };
  },

  revokeScopeConsentGrant(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    const grant = requireGrant(ctx, app);
    ctx.state.oauth.appGrants![app.id] = grantsOf(ctx.state, app.id).filter((g) => g !== grant);
    logConsent(ctx, app, grant, 'revoke');
    return { status: 204 };
  },
} satisfies OktaHandlers;
