import { createHash } from 'node:crypto';
import { copyJson, type Clock } from '../../../src/index.js';
import type { OktaState, RequestCtx } from '../types.js';
import { passesEventHookFilter, type EventHookFilter } from './event-hook-filter.js';
import { logEvent, type OktaLogEvent } from './system-log.js';

/**
 * An event hook as Okta returns it (without `_links`). `channel.config.authScheme.value` is the twin's copy of the
 * secret: Okta sends it to the hook and never back to an API caller.
 */
export interface OktaEventHook {
  id: string;
  status: 'ACTIVE' | 'INACTIVE';
  verificationStatus: 'UNVERIFIED' | 'VERIFIED';
  name: string;
  description: string | null;
  created: string;
  createdBy: string;
  lastUpdated: string;
  events: { type: 'EVENT_TYPE'; items: string[]; filter: EventHookFilter | null };
  channel: {
    type: 'HTTP';
    version: string;
    config: {
      uri: string;
      headers: { key: string; value: string }[];
      method: 'POST';
      authScheme: { type: 'HEADER'; key: string; value?: string } | null;
    };
  };
}

/** Okta waits 3 seconds for a hook to answer, then tries once more (EventHook API, "Verify an event hook"). */
const HOOK_TIMEOUT_MS = 3000;
/** Okta sends at most this many events in one delivery (Event hooks concept, "Requests sent by Okta"). */
const MAX_EVENTS_PER_DELIVERY = 50;

/** One event waiting to go out to one hook. */
interface Pending {
  hook: OktaEventHook;
  event: OktaLogEvent;
  source: string;
  state: OktaState;
  /** The state's generation when the event was logged: a reset or an import starts a new one. */
  generation: object;
}

/** Deliveries waiting for the end of the request that logged them; a reset or an import makes a new outbox. */
interface Outbox {
  queue: Pending[];
  scheduled: boolean;
}

const outboxOf = (ctx: RequestCtx): Outbox => ctx.memo('okta.eventHookOutbox', () => ({ queue: [], scheduled: false }));
/** A marker of the state a request served: the memo is emptied when a reset or an import replaces the state. */
const generationOf = (ctx: RequestCtx): object => ctx.memo('okta.stateGeneration', () => ({}));

/** The headers Okta sends a hook: JSON both ways, the hook's own headers, and its authorization header. */
function hookHeaders(hook: OktaEventHook): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' };
  for (const { key, value } of hook.channel.config.headers) headers[key.toLowerCase()] = value;
  const auth = hook.channel.config.authScheme;
  if (auth?.value !== undefined) headers[auth.key.toLowerCase()] = auth.value;
  return headers;
}

/**
 * One request to a hook, bounded: it fails after 3 seconds on the twin's clock (a test on a fixed clock passes
 * them with `advance`) or of real time, whichever comes first, so a receiver that never answers holds nothing.
 */
async function callHook(clock: Clock, url: string, init: RequestInit): Promise<{ ok: boolean; text: string; status: number | null }> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), HOOK_TIMEOUT_MS);
  timer.unref?.();
  // A refused connection, an abort, or a body cut short are all a failed call.
  const answered = fetch(url, { ...init, redirect: 'manual', signal: abort.signal })
    .then(async (res) => ({ ok: res.status >= 200 && res.status < 300, text: await res.text(), status: res.status as number | null }))
    .catch(() => ({ ok: false, text: '', status: null }));
  const late = clock.sleep(HOOK_TIMEOUT_MS).then(() => ({ ok: false, text: '', status: null }));
  const result = await Promise.race([answered, late]);
  clearTimeout(timer);
  if (!result.ok) abort.abort();
  return result;
}

/**
 * Okta's one-time verification: a GET to the hook's URL with `X-Okta-Verification-Challenge`, answered by
 * `{"verification": "<the same value>"}`; one retry after a timeout or an error (EventHook API, "Verify an event hook").
 *
 * @example
 * if (!(await verifyHookEndpoint(ctx, hook))) throw hookVerificationFailed();
 */
export async function verifyHookEndpoint(ctx: RequestCtx, hook: OktaEventHook): Promise<boolean> {
  const challenge = ctx.ids.token(40);
  const target = copyJson(hook);
  for (let attempt = 0; attempt < 2; attempt++) {
    const { ok, text } = await callHook(ctx.clock, target.channel.config.uri, { method: 'GET', headers: { ...hookHeaders(target), 'x-okta-verification-challenge': challenge } });
    if (ok && echoes(text, challenge)) return true;
  }
  return false;
}

function echoes(text: string, challenge: string): boolean {
  try {
    return (JSON.parse(text) as { verification?: unknown }).verification === challenge;
  } catch {
    return false;
  }
}

/**
 * Queues a logged event for every hook that would receive it: ACTIVE, VERIFIED, subscribed to its type and, when the
 * hook filters that type, meeting the filter's condition (Okta delivers only to those). Deliveries go out after the request's answer, never holding it up; the events of
 * one request to one hook go together, as Okta batches them.
 *
 * @example
 * queueEventHookDeliveries(ctx, event); // called by logEvent
 */
export function queueEventHookDeliveries(ctx: RequestCtx, event: OktaLogEvent): void {
  const hooks = ctx.state.eventHooks;
  if (!hooks) return;
  const outbox = outboxOf(ctx);
  for (const hook of Object.values(hooks)) {
    if (hook.status !== 'ACTIVE' || hook.verificationStatus !== 'VERIFIED' || !hook.events.items.includes(event.eventType)) continue;
    if (!passesEventHookFilter(hook.events.filter, event)) continue;
    outbox.queue.push({ hook: copyJson(hook), event: copyJson(event), source: `${ctx.baseUrl}/api/v1/eventHooks/${hook.id}`, state: ctx.state, generation: generationOf(ctx) });
  }
  if (outbox.queue.length === 0 || outbox.scheduled) return;
  outbox.scheduled = true;
  // A macrotask: the request that logged the events has answered (and a rolled-back one has taken them back).
  setTimeout(() => flush(ctx, outbox), 0);
}

function flush(ctx: RequestCtx, outbox: Outbox): void {
  outbox.scheduled = false;
  const pending = outbox.queue.splice(0);
  const byHook = new Map<string, Pending[]>();
  for (const item of pending) {
    // An event whose request failed was taken back with the rest of its changes: Okta never delivers it.
    const logged = item.state.systemLog?.some((e) => e.uuid === item.event.uuid);
    if (!logged) continue;
    const list = byHook.get(item.hook.id) ?? [];
    list.push(item);
    byHook.set(item.hook.id, list);
  }
  for (const items of byHook.values()) {
    for (let i = 0; i < items.length; i += MAX_EVENTS_PER_DELIVERY) void deliver(ctx, items.slice(i, i + MAX_EVENTS_PER_DELIVERY));
  }
}

/**
 * A delivery's `eventId`: a UUID of the hook and the batch's first event, so a retry carries the same id (the
 * receiver can drop a duplicate) and no draw of the twin's ids depends on when a delivery goes out.
 */
function deliveryId(hookId: string, firstEvent: string): string {
  const hex = createHash('sha1').update(`${hookId}:${firstEvent}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${'89ab'[parseInt(hex[16], 16) & 3]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * One POST of a batch of events in Okta's envelope. A 5xx, a timeout or a failed connection is retried once; a 4xx
 * is not ("Responses with a 4xx status code aren't retried. Response with a 5xx status code are retried", Event
 * hooks concept, "Timeout and retry"). A delivery that fails for good is logged as Okta logs it: an
 * `event_hook.delivery` event with outcome FAILURE ("Event hook delivery attempts that have timed-out, or been
 * detected as having failed for any other reason, are recorded in the System Log in the form of
 * `event_hook.delivery` events").
 */
async function deliver(ctx: RequestCtx, items: Pending[]): Promise<void> {
  const { hook, source } = items[0];
  const body = JSON.stringify({
    eventType: 'com.okta.event_hook',
    eventTypeVersion: '1.0',
    cloudEventsVersion: '0.1',
    source,
    eventId: deliveryId(hook.id, items[0].event.uuid),
    data: { events: items.map((item) => item.event) },
    eventTime: ctx.clock.now().toISOString(),
    contentType: 'application/json',
  });
  let status: number | null = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    const result = await callHook(ctx.clock, hook.channel.config.uri, { method: 'POST', headers: hookHeaders(hook), body });
    if (result.ok) return;
    status = result.status;
    if (status !== null && status >= 400 && status < 500) break;
  }
  logDeliveryFailure(ctx, items, status);
}

/**
 * Writes the `event_hook.delivery` FAILURE event for a delivery that failed for good, into the state that logged the
 * events (unless a reset or an import replaced it meanwhile). It happens after the request that logged the events
 * has answered, as Okta's delivery job does: Okta itself is the actor and the transaction is a JOB.
 */
function logDeliveryFailure(ctx: RequestCtx, items: Pending[], status: number | null): void {
  const { hook, state, generation } = items[0];
  if (generationOf(ctx) !== generation || !state.eventHooks?.[hook.id]) return;
  const reason = status === null ? 'Delivery timed out or the connection failed' : `Delivery failed with HTTP status ${status}`;
  logEvent(ctx, {
    eventType: 'event_hook.delivery',
    // The twin's wording: the catalog describes the type ("Triggered when an event hook delivery fails") but shows no displayMessage.
    displayMessage: 'Event hook delivery failed',
    actor: { id: state.org.id, type: 'SystemPrincipal', alternateId: 'system@okta.com', displayName: 'Okta System', detailEntry: null },
    target: [{ id: hook.id, type: 'EventHook', alternateId: hook.name, displayName: hook.name, detailEntry: null }],
    outcome: { result: 'FAILURE', reason },
    severity: 'WARN',
    transactionType: 'JOB',
    debugData: { eventHookId: hook.id, deliveredEventIds: items.map((item) => item.event.uuid).join(','), responseStatus: status },
  });
}
