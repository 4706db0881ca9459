import { createRecord, cursorPage } from '../../../src/index.js';
import { ok } from '../model/http.js';
import { nowIso, oktaId } from '../model/ids.js';
import { checkIdpBody, idpJson, requireIdp } from '../model/identity-providers.js';
import { logEvent } from '../model/system-log.js';
import type { Ctx, OktaHandlers } from '../types.js';

/** Writes Okta's system.idp.lifecycle.* event for a change to an IdP. */
function log(ctx: Ctx, idp: { id: string; name: string }, action: 'create' | 'update' | 'delete' | 'activate' | 'deactivate'): void {
  logEvent(ctx, {
    eventType: `system.idp.lifecycle.${action}`,
    displayMessage: `${action[0].toUpperCase()}${action.slice(1)} IdP`,
    target: [{ id: idp.id, type: 'IdentityProvider', alternateId: idp.name, displayName: idp.name, detailEntry: null }],
  });
}

function setStatus(ctx: Ctx, status: 'ACTIVE' | 'INACTIVE') {
  const idp = requireIdp(ctx, ctx.params.idpId);
  if (idp.status !== status) {
    Object.assign(idp, { status, lastUpdated: nowIso(ctx) });
    log(ctx, idp, status === 'ACTIVE' ? 'activate' : 'deactivate');
  }
  return ok(idpJson(ctx, idp));
}

/**
 * Identity providers (tag IdentityProvider): the IdP records, their protocol and policy settings and their lifecycle.
 * The twin keeps them as configuration: it does not send users to them (no /sso/idps or IdP-initiated sign-in).
 */
export const identityProviderHandlers = {
  listIdentityProviders(ctx) {
    const q = typeof ctx.query.q === 'string' ? ctx.query.q.toLowerCase() : '';
    const type = typeof ctx.query.type === 'string' ? ctx.query.type : undefined;
    const idps = Object.values(ctx.state.identityProviders ?? {}).filter((i) => (!q || i.name.toLowerCase().startsWith(q)) && (!type || i.type === type));
    // Okta: a page holds 20 IdPs by default (the document's default) and at most 200.
    const { page, headers } = cursorPage(ctx, idps, { limit: Math.min(ctx.query.limit, 200), after: ctx.query.after });
    return ok(page.map((i) => idpJson(ctx, i)), headers);
  },

  createIdentityProvider(ctx) {
    const body = ctx.body ?? {};
    const sent = checkIdpBody(body);
    const now = nowIso(ctx);
    const idp = { id: oktaId(ctx, '0oa'), type: sent.type, issuerMode: body.issuerMode ?? 'ORG_URL', name: sent.name, status: body.status === 'INACTIVE' ? 'INACTIVE' as const : 'ACTIVE' as const, created: now, lastUpdated: now, protocol: sent.protocol, policy: sent.policy, properties: body.properties ?? null };
    (ctx.state.identityProviders ??= createRecord())[idp.id] = idp;
    log(ctx, idp, 'create');
    return ok(idpJson(ctx, idp));
  },

  getIdentityProvider: (ctx) => ok(idpJson(ctx, requireIdp(ctx, ctx.params.idpId))),

  replaceIdentityProvider(ctx) {
    const idp = requireIdp(ctx, ctx.params.idpId);
    const body = ctx.body ?? {};
    const sent = checkIdpBody(body, idp.type);
    Object.assign(idp, { name: sent.name, protocol: sent.protocol, policy: sent.policy, properties: body.properties ?? idp.properties ?? null, lastUpdated: nowIso(ctx) });
    log(ctx, idp, 'update');
    return ok(idpJson(ctx, idp));
  },

  deleteIdentityProvider(ctx) {
    const idp = requireIdp(ctx, ctx.params.idpId);
    delete ctx.state.identityProviders![idp.id];
    log(ctx, idp, 'delete');
    return { status: 204 };
  },

  activateIdentityProvider: (ctx) => setStatus(ctx, 'ACTIVE'),

  deactivateIdentityProvider: (ctx) => setStatus(ctx, 'INACTIVE'),
} satisfies OktaHandlers;
