import { SlackError } from '../errors.js';
import type { SlackScheduledMessage } from '../types.js';
import { authorFields, postMessage, type Content, type Env } from './messages.js';
import { slackId } from './ids.js';

/** How far ahead a message may be scheduled (docs.slack.dev/reference/methods/chat.scheduleMessage: 120 days). */
const MAX_AHEAD_SECONDS = 120 * 24 * 3600;

/** A marker of the state a request served: a reset or an import replaces it, and wake-ups for the old state stop. */
const generationOf = (env: Env): object => env.memo('slack.generation', () => ({}));

/**
 * Posts every scheduled message whose post_at the twin's clock has reached, oldest first, as the token that
 * scheduled it, at its post_at (or just after the conversation's last message). A message whose conversation is
 * gone or archived, or whose token no longer works, is dropped, as Slack drops it.
 *
 * @example
 * postDueScheduledMessages(ctx); // authenticate calls it before every request
 */
export function postDueScheduledMessages(env: Env): void {
  const state = env.state;
  let due: SlackScheduledMessage[] | undefined;
  const nowSeconds = env.clock.nowMs() / 1000;
  for (const id in state.scheduled) if (state.scheduled[id].post_at <= nowSeconds) (due ??= []).push(state.scheduled[id]);
  if (!due) return;
  due.sort((a, b) => a.post_at - b.post_at || a.date_created - b.date_created);
  for (const scheduled of due) {
    delete state.scheduled[scheduled.id];
    const conversation = state.conversations[scheduled.channel_id];
    const token = state.tokens[scheduled.token];
    if (!conversation || conversation.is_archived || !token || token.revoked) continue;
    const { thread_ts, reply_broadcast, ...content } = scheduled.message;
    try {
      postMessage(env, conversation, authorFields(state, token, scheduled.message), content as Content, { thread_ts, reply_broadcast, nowMs: scheduled.post_at * 1000 });
    } catch (error) {
      // The thread it replied to was deleted meanwhile: Slack drops the message.
      if (!(error instanceof SlackError)) throw error;
    }
  }
}

/**
 * Schedules a message for post_at (epoch seconds): in the future (time_in_past) and at most 120 days ahead
 * (time_too_far). The twin posts it when its clock gets there: at once on the wall clock, when a test advances a
 * fixed clock past it, and in any case before the next request is served.
 *
 * @example
 * const scheduled = scheduleMessage(ctx, 'C0GENERAL1', 1767229200, 'xoxb-twin-bot-token', { text: 'later' });
 */
export function scheduleMessage(env: Env, channel: string, postAt: number, token: string, message: Record<string, unknown>): SlackScheduledMessage {
  const nowSeconds = Math.floor(env.clock.nowMs() / 1000);
  if (postAt <= nowSeconds) throw new SlackError('time_in_past');
  if (postAt > nowSeconds + MAX_AHEAD_SECONDS) throw new SlackError('time_too_far');
  const scheduled: SlackScheduledMessage = {
    id: slackId(env.ids, 'Q'),
    channel_id: channel,
    post_at: postAt,
    date_created: nowSeconds,
    text: typeof message.text === 'string' ? message.text : '',
    token,
    message,
  };
  env.state.scheduled[scheduled.id] = scheduled;
  const generation = generationOf(env);
  void env.clock.sleep(postAt * 1000 - env.clock.nowMs()).then(() => {
    if (generationOf(env) === generation) postDueScheduledMessages(env);
  });
  return scheduled;
}
