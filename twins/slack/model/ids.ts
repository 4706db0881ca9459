import type { RequestContext } from '../../../src/index.js';
import type { SlackState } from '../types.js';

const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const MICROS = 1_000_000;

/**
 * A new id in Slack's format: a type letter and ten upper-case letters or digits (C… public or private channel,
 * G… group DM, D… DM, U… user, B… bot, F… file, Q… scheduled message).
 *
 * @example
 * const id = slackId(ctx.ids, 'C'); // 'C4Q0ZK1M8RT'
 */
export function slackId(ids: RequestContext['ids'], letter: string): string {
  return letter + ids.token(10, ID_ALPHABET);
}

/**
 * A message ts as microseconds since the epoch, for comparing and searching ("1767225600.000001" → 1767225600000001).
 * Fewer than six decimals count as given ("1767225600.5" is half a second in); a number without decimals is whole seconds.
 *
 * @example
 * tsMicros('1767225600.000042'); // 1767225600000042
 */
export function tsMicros(ts: string): number {
  const [seconds, fraction = ''] = ts.split('.');
  return Number(seconds) * MICROS + Number(fraction.padEnd(6, '0').slice(0, 6));
}

/**
 * Microseconds since the epoch as a message ts: ten digits, a dot, six digits.
 *
 * @example
 * tsText(1767225600000042); // '1767225600.000042'
 */
export function tsText(micros: number): string {
  return `${Math.floor(micros / MICROS)}.${String(micros % MICROS).padStart(6, '0')}`;
}

/**
 * The ts of a new message in a conversation: the clock's now in microseconds, or one microsecond after the last ts
 * given out there when the clock has not moved past it. Unique and increasing per conversation, as Slack's ts is
 * (docs.slack.dev/messaging/retrieving-messages: "ts values are unique per channel").
 *
 * @example
 * const ts = nextTs(ctx.state, 'C0GENERAL1', ctx.clock.nowMs()); // '1767225600.000000', then '1767225600.000001'
 */
export function nextTs(state: SlackState, channel: string, nowMs: number): string {
  const last = state.lastTs[channel];
  const micros = Math.max(Math.floor(nowMs) * 1000, last === undefined ? 0 : tsMicros(last) + 1);
  const ts = tsText(micros);
  state.lastTs[channel] = ts;
  return ts;
}

/**
 * Whether a value is a message ts as Slack takes one: epoch seconds with up to six decimals.
 *
 * @example
 * if (!isTs(a.latest)) throw new SlackError('invalid_ts_latest');
 */
export function isTs(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,10}(\.\d{1,6})?$/.test(value);
}
