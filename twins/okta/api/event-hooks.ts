import { copyJson, createRecord } from '../../../src/index.js';
import { OktaError, invalidFields, notFound } from '../errors.js';
import { checkEventHookFilter, FilterProblem } from '../model/event-hook-filter.js';
import { verifyHookEndpoint, type OktaEventHook } from '../model/event-hooks.js';
import { isEventHookEligible } from '../model/event-types.js';
import { ok } from '../model/http.js';
import { nowIso, oktaId } from '../model/ids.js';
import { logEvent, type LogEntity } from '../model/system-log.js';
import type { Ctx, OktaHandlers, RequestCtx } from '../types.js';

type Json = Record<string, any>;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function hooksOf(ctx: Ctx): Record<string, OktaEventHook> {
  return (ctx.state.eventHooks ??= createRecord());
}

function requireHook(ctx: Ctx): OktaEventHook {
  const hook = ctx.state.eventHooks?.[ctx.params.eventHookId];
  if (!hook) throw notFound(ctx.params.eventHookId, 'EventHook');
  return hook;
}

/** An event hook as Okta returns it: the secret never, and links to what its status allows next. */
function hookJson(ctx: RequestCtx, hook: OktaEventHook): Json {
  const self = `${ctx.baseUrl}/api/v1/eventHooks/${hook.id}`;
  const post = (href: string) => ({ href, hints: { allow: ['POST'] } });
  const auth = hook.channel.config.authScheme;
  return {
    ...copyJson(hook),
    channel: { ...copyJson(hook.channel), config: { ...copyJson(hook.channel.config), authScheme: auth ? { type: auth.type, key: auth.key } : null } },
    _links: {
      self: { href: self },
      verify: post(`${self}/lifecycle/verify`),
      ...(hook.status === 'ACTIVE' ? { deactivate: post(`${self}/lifecycle/deactivate`) } : { activate: post(`${self}/lifecycle/activate`) }),
    },
  };
}

function hookTarget(hook: OktaEventHook): LogEntity {
  return { id: hook.id, type: 'EventHook', alternateId: hook.name, displayName: hook.name, detailEntry: null };
}

/**
 * The hook's URI: Okta calls only HTTPS endpoints ("Your external service must use a valid HTTPS endpoint"). The
 * twin also takes plain HTTP on the loopback interface, where a test's own receiver listens.
 */
function hookUri(value: unknown): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw invalidFields([['channel.config.uri', 'The URI is not a valid URL']]);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    throw invalidFields([['channel.config.uri', 'The event hook URI must use HTTPS']]);
  }
  return url.toString();
}

/** The subscribable parts of a request body, checked before anything is written. */
function hookFields(body: Json, previous?: OktaEventHook): Pick<OktaEventHook, 'name' | 'description' | 'events' | 'channel'> {
  const problems: [string, string][] = [];
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  if (!name) problems.push(['name', 'The field cannot be left blank']);
  const items: unknown[] = Array.isArray(body.events?.items) ? body.events.items : [];
  if (items.length === 0) problems.push(['events.items', 'At least one event type is required']);
  // Okta lets a hook subscribe only to the catalog's event-hook-eligible types (twins/okta/model/event-types.ts).
  // The wording is the twin's: Okta's text for this refusal is not published.
  if (items.some((item) => typeof item !== 'string' || !/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)+$/.test(item))) problems.push(['events.items', 'An event type is not valid']);
  else for (const item of items as string[]) if (!isEventHookEligible(item)) problems.push(['events.items', `${item} is not an event type eligible for event hooks`]);
  const config: Json = body.channel?.config ?? {};
  const auth: Json | null | undefined = config.authScheme;
  if (auth && auth.type !== undefined && auth.type !== 'HEADER') problems.push(['channel.config.authScheme.type', 'Only HEADER is supported']);
  if (auth && (typeof auth.key !== 'string' || auth.key === '')) problems.push(['channel.config.authScheme.key', 'The field cannot be left blank']);
  let filter: OktaEventHook['events']['filter'] = null;
  try {
    filter = problems.length ? null : checkEventHookFilter(body.events?.filter, items as string[]);
  } catch (error) {
    if (!(error instanceof FilterProblem)) throw error;
    // The wording is the twin's: Okta does not publish its refusals of a filter.
    problems.push([error.field, error.message]);
  }
  if (problems.length) throw invalidFields(problems);
  const uri = hookUri(config.uri);
  const headers: { key: string; value: string }[] = (Array.isArray(config.headers) ? config.headers : [])
    .filter((h: Json | null) => h && typeof h.key === 'string' && h.key !== '')
    .map((h: Json) => ({ key: h.key, value: String(h.value ?? '') }));
  const oldAuth = previous?.channel.config.authScheme;
  // The secret is write-only: a replace that names the same header without a value keeps the one Okta holds.
  const value = typeof auth?.value === 'string' ? auth.value : oldAuth && auth && oldAuth.key.toLowerCase() === String(auth.key).toLowerCase() ? oldAuth.value : undefined;
  return {
    name,
    description: typeof body.description === 'string' ? body.description : null,
    events: { type: 'EVENT_TYPE', items: [...new Set(items as string[])], filter },
    channel: {
      type: 'HTTP',
      version: typeof body.channel?.version === 'string' ? body.channel.version : '1.0.0',
      config: { uri, headers, method: 'POST', authScheme: auth ? { type: 'HEADER', key: auth.key, ...(value === undefined ? {} : { value }) } : null },
    },
  };
}

/**
 * Event hooks (tag EventHook): CRUD, lifecycle and Okta's one-time verification. An ACTIVE and VERIFIED hook
 * receives the System Log events it subscribes to (twins/okta/model/event-hooks.ts).
 */
export const eventHookHandlers = {
  listEventHooks: (ctx) => ok(Object.values(ctx.state.eventHooks ?? {}).map((hook) => hookJson(ctx, hook))),

  createEventHook(ctx) {
    const fields = hookFields(ctx.body);
    const now = nowIso(ctx);
    const createdBy = ctx.auth.kind === 'accessToken' ? (ctx.auth.userId ?? ctx.auth.clientId) : ctx.auth.kind === 'apiToken' ? ctx.auth.userId : '';
    // Okta: a new hook is ACTIVE but UNVERIFIED, and receives nothing until it is verified.
    const hook: OktaEventHook = { id: oktaId(ctx, 'who'), status: 'ACTIVE', verificationStatus: 'UNVERIFIED', ...fields, created: now, createdBy, lastUpdated: now };
    hooksOf(ctx)[hook.id] = hook;
    logEvent(ctx, { eventType: 'event_hook.created', displayMessage: 'Event hook created', target: [hookTarget(hook)] });
    return ok(hookJson(ctx, hook));
  },

  getEventHook: (ctx) => ok(hookJson(ctx, requireHook(ctx))),

  replaceEventHook(ctx) {
    const hook = requireHook(ctx);
    const fields = hookFields(ctx.body, hook);
    const channelChanged = JSON.stringify(fields.channel) !== JSON.stringify(hook.channel);
    Object.assign(hook, fields, { lastUpdated: nowIso(ctx) });
    // Okta: "Updating the channel property requires you to verify the hook again."
    if (channelChanged) hook.verificationStatus = 'UNVERIFIED';
    logEvent(ctx, { eventType: 'event_hook.updated', displayMessage: 'Event hook updated', target: [hookTarget(hook)] });
    return ok(hookJson(ctx, hook));
  },

  deleteEventHook(ctx) {
    const hook = requireHook(ctx);
    // Okta: "As a safety precaution, you can only delete event hooks with a status of INACTIVE."
    if (hook.status !== 'INACTIVE') throw new OktaError('E0000001', { detail: 'status', causes: ['status: Only an INACTIVE event hook can be deleted'] });
    delete hooksOf(ctx)[hook.id];
    logEvent(ctx, { eventType: 'event_hook.deleted', displayMessage: 'Event hook deleted', target: [hookTarget(hook)] });
    return { status: 204 };
  },

  activateEventHook(ctx) {
    const hook = requireHook(ctx);
    if (hook.status !== 'ACTIVE') {
      Object.assign(hook, { status: 'ACTIVE', lastUpdated: nowIso(ctx) });
      logEvent(ctx, { eventType: 'event_hook.activated', displayMessage: 'Event hook activated', target: [hookTarget(hook)] });
    }
    return ok(hookJson(ctx, hook));
  },

  deactivateEventHook(ctx) {
    const hook = requireHook(ctx);
    if (hook.status !== 'INACTIVE') {
      Object.assign(hook, { status: 'INACTIVE', lastUpdated: nowIso(ctx) });
      logEvent(ctx, { eventType: 'event_hook.deactivated', displayMessage: 'Event hook deactivated', target: [hookTarget(hook)] });
    }
    return ok(hookJson(ctx, hook));
  },

  async verifyEventHook(ctx) {
    const hook = requireHook(ctx);
    const verified = await verifyHookEndpoint(ctx, hook);
    // Okta logs every verification attempt: "Note that the event is fired even when the verification is unsuccessful"
    // (Event Types catalog, event_hook.verified). A failed one keeps its event: the refusal keeps what was written.
    if (!verified) {
      logEvent(ctx, { eventType: 'event_hook.verified', displayMessage: 'Event hook verified', target: [hookTarget(hook)], outcome: { result: 'FAILURE', reason: 'Verification failed' } });
      // Okta: after one retry without the challenge echoed back, "this operation returns a 400 error".
      throw new OktaError('E0000001', {
        detail: 'Verification of the event hook failed',
        causes: [`Could not verify the event hook: ${hook.channel.config.uri} did not answer the verification request with {"verification": "<X-Okta-Verification-Challenge>"}`],
      });
    }
    Object.assign(hook, { verificationStatus: 'VERIFIED', lastUpdated: nowIso(ctx) });
    logEvent(ctx, { eventType: 'event_hook.verified', displayMessage: 'Event hook verified', target: [hookTarget(hook)] });
    return ok(hookJson(ctx, hook));
  },
} satisfies OktaHandlers;
