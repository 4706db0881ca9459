import { createHmac } from 'node:crypto';
import type { Clock, RequestContext } from '../../../src/index.js';
import type { SlackApp, SlackState } from '../types.js';
import { isMember } from './conversations.js';

/** How long Slack waits for an app to acknowledge an event (docs.slack.dev/apis/events-api, "Responding to events"). */
const ACK_TIMEOUT_MS = 3000;
/** Waits before each retry: at once, after about a minute, after about five (docs.slack.dev/apis/events-api, "Retries"). */
const RETRY_DELAYS_MS = [0, 60_000, 300_000];

/** Deliveries in flight for one state of the twin; a reset or an import makes a new one and the old ones stop. */
interface Outbox {
  verified: Map<string, Promise<boolean>>;
}

type Ctx = RequestContext<SlackState>;
type Outcome = 'ok' | 'http_timeout' | 'http_error' | 'connection_failed';

const outboxOf = (ctx: Ctx): Outbox => ctx.memo('slack.outbox', () => ({ verified: new Map() }));

/**
 * Slack's request signature: `v0=` and the hex HMAC-SHA256 of `v0:{timestamp}:{body}` keyed with the app's signing
 * secret (docs.slack.dev/authentication/verifying-requests-from-slack).
 *
 * @example
 * signature('8f742231b10e8888abcd99yyyzzz85a5', '1531420618', '{"type":"event_callback"}'); // 'v0=…'
 */
export function signature(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** One signed POST to the app; the outcome Slack would record, with the reason words of X-Slack-Retry-Reason. */
async function post(clock: Clock, app: SlackApp, url: string, body: string, retry?: { num: number; reason: string }): Promise<{ outcome: Outcome; text: string }> {
  const timestamp = String(Math.floor(clock.nowMs() / 1000));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': signature(app.signing_secret, timestamp, body),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
  if (retry) Object.assign(headers, { 'x-slack-retry-num': String(retry.num), 'x-slack-retry-reason': retry.reason });
  const abort = new AbortController();
  const answered = fetch(url, { method: 'POST', headers, body, signal: abort.signal }).then(
    async (res) => ({ outcome: (res.status >= 200 && res.status < 300 ? 'ok' : 'http_error') as Outcome, text: await res.text() }),
    () => ({ outcome: 'connection_failed' as Outcome, text: '' }),
  );
  // The acknowledgement deadline runs on the twin's clock: on a fixed clock a test decides when it passes.
  const late = clock.sleep(ACK_TIMEOUT_MS).then(() => ({ outcome: 'http_timeout' as Outcome, text: '' }));
  const result = await Promise.race([answered, late]);
  if (result.outcome === 'http_timeout') abort.abort();
  return result;
}

/**
 * Sends url_verification to a request URL, signed like any delivery, and tells whether the URL answered 2xx in time
 * echoing the challenge, as JSON `{"challenge": …}` or as plain text (docs.slack.dev/reference/events/url_verification).
 *
 * @example
 * if (!(await verifyRequestUrl(ctx, app, url))) throw new SlackError('invalid_manifest', { errors: [...] });
 */
export async function verifyRequestUrl(ctx: Ctx, app: SlackApp, url: string): Promise<boolean> {
  const challenge = ctx.ids.token(48);
  const body = JSON.stringify({ token: app.verification_token, challenge, type: 'url_verification' });
  const { outcome, text } = await post(ctx.clock, app, url, body);
  if (outcome !== 'ok') return false;
  if (text.trim() === challenge) return true;
  try {
    return (JSON.parse(text) as { challenge?: unknown }).challenge === challenge;
  } catch {
    return false;
  }
}

/**
 * Whether a request URL set where the twin could not see it (the seed, a state import, a test editing the state)
 * answered url_verification; asked once per URL before its first delivery.
 */
function verified(ctx: Ctx, outbox: Outbox, app: SlackApp, url: string): Promise<boolean> {
  if (app.verified_url === url) return Promise.resolve(true);
  const key = `${app.id} ${url}`;
  let check = outbox.verified.get(key);
  if (!check) {
    check = verifyRequestUrl(ctx, app, url).then((ok) => {
      if (ok && outboxOf(ctx) === outbox) app.verified_url = url;
      return ok;
    });
    outbox.verified.set(key, check);
  }
  return check;
}

/** Delivers one event_callback, retrying up to three times with X-Slack-Retry-Num while the app does not acknowledge it. */
async function deliver(ctx: Ctx, outbox: Outbox, app: SlackApp, url: string, body: string): Promise<void> {
  if (!(await verified(ctx, outbox, app, url))) return;
  let last = await post(ctx.clock, app, url, body);
  for (let retry = 0; last.outcome !== 'ok' && retry < RETRY_DELAYS_MS.length; retry++) {
    await ctx.clock.sleep(RETRY_DELAYS_MS[retry]);
    if (outboxOf(ctx) !== outbox) return;
    last = await post(ctx.clock, app, url, body, { num: retry + 1, reason: last.outcome });
  }
}

/**
 * Which apps an event goes to: those subscribed to `subscription` (e.g. message.channels, app_mention), whose bot is
 * a member of `channel` when the event happened in one, and that `only` picks (the mentioned app, for app_mention).
 *
 * @example
 * const audience: Audience = { subscription: 'reaction_added', channel: 'C0GENERAL1' };
 */
export interface Audience {
  subscription: string;
  channel?: string;
  only?: (app: SlackApp) => boolean;
}

/**
 * Sends an event to every app of its audience as a signed event_callback to the app's request URL. Deliveries start
 * after the request that caused them and never hold up its answer; a request URL not yet verified gets
 * url_verification first.
 *
 * @example
 * emitEvent(ctx, { type: 'reaction_added', user, reaction: 'tada', item: { type: 'message', channel, ts } }, { subscription: 'reaction_added', channel });
 */
export function emitEvent(ctx: Ctx, event: Record<string, unknown>, audience: Audience): void {
  const { subscription, channel, only } = audience;
  const state = ctx.state;
  const outbox = outboxOf(ctx);
  const eventTime = Math.floor(ctx.clock.nowMs() / 1000);
  for (const app of Object.values(state.apps)) {
    const url = app.event_request_url;
    if (!url || !app.bot_events.includes(subscription)) continue;
    if (channel !== undefined && !isMember(state, channel, app.bot_user_id)) continue;
    if (only && !only(app)) continue;
    const body = JSON.stringify({
      token: app.verification_token,
      team_id: state.team.id,
      context_team_id: state.team.id,
      api_app_id: app.id,
      event,
      type: 'event_callback',
      event_id: `Ev${ctx.ids.token(10, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ')}`,
      event_time: eventTime,
      authorizations: [{ enterprise_id: null, team_id: state.team.id, user_id: app.bot_user_id, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    });
    void Promise.resolve().then(() => deliver(ctx, outbox, app, url, body));
  }
}
