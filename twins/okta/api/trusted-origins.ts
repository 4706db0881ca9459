import { createRecord, cursorPage } from '../../../src/index.js';
import { OktaError } from '../errors.js';
import { actorId } from '../model/actor.js';
import { ok } from '../model/http.js';
import { nowIso, oktaId } from '../model/ids.js';
import { logEvent } from '../model/system-log.js';
import { checkTrustedOriginBody, requireTrustedOrigin, trustedOriginJson } from '../model/trusted-origins.js';
import type { Ctx, OktaHandlers, OktaTrustedOrigin } from '../types.js';

/** The filters Okta's list takes: `name`, `origin` or `status` compared with `eq`. */
function filterTest(filter: string): (origin: OktaTrustedOrigin) => boolean {
  const match = /^\s*(name|origin|status)\s+eq\s+"([^"]*)"\s*$/.exec(filter);
  if (!match) throw new OktaError('E0000031', { causes: [`Invalid filter: ${filter}`] });
  const [, field, value] = match;
  return (origin) => origin[field as 'name' | 'origin' | 'status'] === value;
}

/**
 * Writes Okta's security.trusted_origin.* event for a change to a trusted origin (Event Types catalog). The display
 * messages are the twin's: the catalog names the types but shows no displayMessage.
 */
function log(ctx: Ctx, origin: OktaTrustedOrigin, action: 'create' | 'update' | 'delete' | 'activate' | 'deactivate'): void {
  logEvent(ctx, {
    eventType: `security.trusted_origin.${action}`,
    displayMessage: `${action[0].toUpperCase()}${action.slice(1)} trusted origin`,
    target: [{ id: origin.id, type: 'TrustedOrigin', alternateId: origin.origin, displayName: origin.name, detailEntry: null }],
  });
}

function setStatus(ctx: Ctx, status: 'ACTIVE' | 'INACTIVE') {
  const origin = requireTrustedOrigin(ctx, ctx.params.trustedOriginId);
  if (origin.status !== status) {
    Object.assign(origin, { status, lastUpdated: nowIso(ctx), lastUpdatedBy: actorId(ctx.auth) });
    log(ctx, origin, status === 'ACTIVE' ? 'activate' : 'deactivate');
  }
  return ok(trustedOriginJson(ctx, origin));
}

/**
 * Trusted origins (tag TrustedOrigin): the origins that may call Okta from a browser (CORS), send users back after
 * sign-in or sign-out (REDIRECT), or embed Okta pages (IFRAME_EMBED).
 */
export const trustedOriginHandlers = {
  listTrustedOrigins(ctx) {
    const q = typeof ctx.query.q === 'string' ? ctx.query.q.toLowerCase() : '';
    const test = typeof ctx.query.filter === 'string' ? filterTest(ctx.query.filter) : () => true;
    const origins = Object.values(ctx.state.trustedOrigins ?? {})
      .filter((o) => !q || o.name.toLowerCase().startsWith(q) || o.origin.toLowerCase().startsWith(q))
      .filter(test);
    // Okta: a page holds 20 origins by default (the document's default) and at most 200.
    const { page, headers } = cursorPage(ctx, origins, { limit: Math.min(ctx.query.limit, 200), after: ctx.query.after });
    return ok(page.map((o) => trustedOriginJson(ctx, o)), headers);
  },

  createTrustedOrigin(ctx) {
    const sent = checkTrustedOriginBody(ctx.state, ctx.body ?? {});
    const now = nowIso(ctx);
    const actor = actorId(ctx.auth);
    const origin: OktaTrustedOrigin = { id: oktaId(ctx, 'tos'), ...sent, status: 'ACTIVE', created: now, createdBy: actor, lastUpdated: now, lastUpdatedBy: actor };
    (ctx.state.trustedOrigins ??= createRecord())[origin.id] = origin;
    log(ctx, origin, 'create');
    return ok(trustedOriginJson(ctx, origin));
  },

  getTrustedOrigin: (ctx) => ok(trustedOriginJson(ctx, requireTrustedOrigin(ctx, ctx.params.trustedOriginId))),

  replaceTrustedOrigin(ctx) {
    const origin = requireTrustedOrigin(ctx, ctx.params.trustedOriginId);
    const sent = checkTrustedOriginBody(ctx.state, ctx.body ?? {}, origin.id);
    Object.assign(origin, sent, { lastUpdated: nowIso(ctx), lastUpdatedBy: actorId(ctx.auth) });
    log(ctx, origin, 'update');
    return ok(trustedOriginJson(ctx, origin));
  },

  deleteTrustedOrigin(ctx) {
    const origin = requireTrustedOrigin(ctx, ctx.params.trustedOriginId);
    delete ctx.state.trustedOrigins![origin.id];
    log(ctx, origin, 'delete');
    return { status: 204 };
  },

  activateTrustedOrigin: (ctx) => setStatus(ctx, 'ACTIVE'),

  deactivateTrustedOrigin: (ctx) => setStatus(ctx, 'INACTIVE'),
} satisfies OktaHandlers;
