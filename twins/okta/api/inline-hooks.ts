import { createRecord } from '../../../src/index.js';
import { invalidFields, OktaError } from '../errors.js';
import { ok } from '../model/http.js';
import { nowIso, oktaId } from '../model/ids.js';
import { callHook, checkHookBody, hookJson, mergeUpdate, requireHook } from '../model/inline-hooks.js';
import { logEvent } from '../model/system-log.js';
import type { Ctx, OktaHandlers } from '../types.js';

/** Okta's limit on inline hooks per org, of all types together. */
const MAX_HOOKS = 50;

/** Writes Okta's inline_hook.* event for a change to a hook. */
function log(ctx: Ctx, hook: { id: string; name: string }, action: 'created' | 'updated' | 'deleted' | 'activated' | 'deactivated', displayMessage: string): void {
  logEvent(ctx, { eventType: `inline_hook.${action}`, displayMessage, target: [{ id: hook.id, type: 'InlineHook', alternateId: hook.name, displayName: hook.name, detailEntry: null }] });
}

function setStatus(ctx: Ctx, status: 'ACTIVE' | 'INACTIVE') {
  const hook = requireHook(ctx, ctx.params.inlineHookId);
  if (hook.status !== status) {
    Object.assign(hook, { status, lastUpdated: nowIso(ctx) });
    log(ctx, hook, status === 'ACTIVE' ? 'activated' : 'deactivated', status === 'ACTIVE' ? 'Activate inline hook' : 'Deactivate inline hook');
  }
  return ok(hookJson(ctx, hook));
}

/**
 * Inline hooks (tag InlineHook): registered ACTIVE with no verification request (Okta verifies only event hooks), and
 * executed on demand with `execute`. Of Okta's own flows, the twin calls token hooks (a custom server's access rule
 * names one; see token-hooks.ts) at the token endpoint; the other types (import, SAML, registration, password import,
 * telephony) it keeps as configuration.
 */
export const inlineHookHandlers = {
  listInlineHooks(ctx) {
    const type = typeof ctx.query.type === 'string' ? ctx.query.type : undefined;
    return ok(Object.values(ctx.state.inlineHooks ?? {}).filter((h) => !type || h.type === type).map((h) => hookJson(ctx, h)));
  },

  createInlineHook(ctx) {
    const sent = checkHookBody(ctx.body ?? {});
    if (Object.keys(ctx.state.inlineHooks ?? {}).length >= MAX_HOOKS) throw invalidFields([['type', `An org can have at most ${MAX_HOOKS} inline hooks.`]]);
    const now = nowIso(ctx);
    const hook = { id: oktaId(ctx, 'cal'), status: 'ACTIVE' as const, ...sent, created: now, lastUpdated: now };
    (ctx.state.inlineHooks ??= createRecord())[hook.id] = hook;
    log(ctx, hook, 'created', 'Create inline hook');
    return ok(hookJson(ctx, hook));
  },

  getInlineHook: (ctx) => ok(hookJson(ctx, requireHook(ctx, ctx.params.inlineHookId))),

  updateInlineHook(ctx) {
    const hook = requireHook(ctx, ctx.params.inlineHookId);
    const sent = checkHookBody(mergeUpdate(hook, ctx.body ?? {}), hook);
    Object.assign(hook, sent, { lastUpdated: nowIso(ctx) });
    log(ctx, hook, 'updated', 'Update inline hook');
    return ok(hookJson(ctx, hook));
  },

  replaceInlineHook(ctx) {
    const hook = requireHook(ctx, ctx.params.inlineHookId);
    const sent = checkHookBody(ctx.body ?? {}, hook);
    Object.assign(hook, sent, { lastUpdated: nowIso(ctx) });
    log(ctx, hook, 'updated', 'Update inline hook');
    return ok(hookJson(ctx, hook));
  },

  deleteInlineHook(ctx) {
    const hook = requireHook(ctx, ctx.params.inlineHookId);
    // Okta: "As a safety precaution, only inline hooks with a status of INACTIVE are eligible for deletion."
    // Wording unconfirmed: Okta's references show no body for this refusal.
    if (hook.status === 'ACTIVE') throw new OktaError('E0000001', { detail: 'Cannot delete an ACTIVE inline hook; deactivate it first.', causes: ['Cannot delete an ACTIVE inline hook; deactivate it first.'] });
    delete ctx.state.inlineHooks![hook.id];
    log(ctx, hook, 'deleted', 'Delete inline hook');
    return { status: 204 };
  },

  async executeInlineHook(ctx) {
    const hook = requireHook(ctx, ctx.params.inlineHookId);
    const answer = await callHook(hook, ctx.body ?? {});
    if (!answer.ok) throw new OktaError('E0000001', { detail: answer.reason, causes: [answer.reason] });
    return ok(answer.body);
  },

  activateInlineHook: (ctx) => setStatus(ctx, 'ACTIVE'),

  deactivateInlineHook: (ctx) => setStatus(ctx, 'INACTIVE'),
} satisfies OktaHandlers;
