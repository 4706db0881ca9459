import { copyJson, type RequestContext } from '../../../src/index.js';
import { SlackError } from '../errors.js';
import type { SlackConversation, SlackMessage, SlackState, SlackToken } from '../types.js';
import { jsonArray } from './args.js';
import { typeOf } from './conversations.js';
import { emitEvent } from './events.js';
import { isTs, nextTs, tsMicros, tsText } from './ids.js';

/** What the message model needs of a request (or of the clock, for a scheduled message): state, clock and ids. */
export type Env = RequestContext<SlackState>;

/** Slack's limits on a message (docs.slack.dev/reference/methods/chat.postMessage, "Truncating content"). */
const MAX_TEXT = 40_000;
const MAX_ATTACHMENTS = 100;
const MAX_BLOCKS = 50;
/** How many reply authors a parent lists in reply_users. */
const REPLY_USERS_SHOWN = 5;

const CHANNEL_TYPES = { public_channel: 'channel', private_channel: 'group', im: 'im', mpim: 'mpim' } as const;
const SUBSCRIPTIONS = { public_channel: 'message.channels', private_channel: 'message.groups', im: 'message.im', mpim: 'message.mpim' } as const;

/** What a message says: its text, blocks and attachments. */
export interface Content {
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

/**
 * Index of the first message whose ts is not before `micros` (binary search: messages are kept in ts order).
 *
 * @example
 * const at = lowerBound(state.messages[channel], tsMicros(ts));
 */
export function lowerBound(list: SlackMessage[], micros: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tsMicros(list[mid].ts) < micros) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function at(list: SlackMessage[] | undefined, ts: string): number {
  if (!list) return -1;
  const index = lowerBound(list, tsMicros(ts));
  return list[index]?.ts === ts ? index : -1;
}

/**
 * The thread_ts argument of a message to post: absent (or empty) for a top-level message, and invalid_thread_ts when
 * it is not a ts at all, before anything is written. A well-formed ts that names no message is thread_not_found.
 *
 * @example
 * const thread_ts = threadTsArg(a.thread_ts); // '1767225600.000100', or undefined
 */
export function threadTsArg(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!isTs(value)) throw new SlackError('invalid_thread_ts');
  return value;
}

/**
 * A stored message by conversation and ts: a top-level message, or a reply with its thread's parent. A thread
 * broadcast is found as the reply it is.
 *
 * @example
 * const found = findMessage(ctx.state, channel, ts);
 * if (!found) throw new SlackError('message_not_found');
 */
export function findMessage(state: SlackState, channel: string, ts: string): { message: SlackMessage; parent?: SlackMessage } | undefined {
  const parentTs = state.threadOf[channel]?.[ts];
  if (parentTs !== undefined) {
    const replies = state.replies[channel]?.[parentTs];
    const index = at(replies, ts);
    const top = state.messages[channel];
    const parentIndex = at(top, parentTs);
    if (index >= 0 && parentIndex >= 0) return { message: replies![index], parent: top[parentIndex] };
    return undefined;
  }
  const top = state.messages[channel];
  const index = at(top, ts);
  return index >= 0 ? { message: top[index] } : undefined;
}

/**
 * The text, blocks and attachments of a message call, checked as Slack checks them: something to show (no_text),
 * blocks and attachments that are JSON arrays of objects (invalid_blocks, invalid_attachments), and the limits.
 *
 * @example
 * const content = messageContent(args(ctx));
 */
export function messageContent(a: Record<string, any>): Content {
  const blocks = jsonArray(a.blocks);
  const attachments = jsonArray(a.attachments);
  if (blocks === 'invalid' || (blocks && blocks.some((b) => !b || typeof b !== 'object' || typeof (b as { type?: unknown }).type !== 'string'))) {
    throw new SlackError('invalid_blocks', { response_metadata: { messages: ['[ERROR] blocks must be a JSON array of objects with a type'] } });
  }
  if (attachments === 'invalid' || (attachments && attachments.some((x) => !x || typeof x !== 'object'))) throw new SlackError('invalid_attachments');
  const text = typeof a.text === 'string' ? a.text : '';
  if (!text && !blocks?.length && !attachments?.length) throw new SlackError('no_text');
  if (text.length > MAX_TEXT) throw new SlackError('msg_too_long');
  if (blocks && blocks.length > MAX_BLOCKS) throw new SlackError('invalid_blocks', { response_metadata: { messages: [`[ERROR] no more than ${MAX_BLOCKS} items allowed [json-pointer:/blocks]`] } });
  if (attachments && attachments.length > MAX_ATTACHMENTS) throw new SlackError('too_many_attachments');
  return { text, ...(blocks?.length ? { blocks } : {}), ...(attachments?.length ? { attachments } : {}) };
}

/**
 * Who a message is from, in Slack's fields: the user; for a bot token also the bot and its profile; and, with
 * chat:write.customize, the username and icon the call asked for (then the message is a bot_message).
 *
 * @example
 * const author = authorFields(ctx.state, ctx.auth.token!, args(ctx));
 */
export function authorFields(state: SlackState, token: SlackToken, a: Record<string, any> = {}): Record<string, unknown> {
  const fields: Record<string, unknown> = { user: token.user_id };
  if (token.type === 'bot' && token.bot_id) {
    const bot = state.bots[token.bot_id];
    Object.assign(fields, {
      bot_id: bot.id,
      app_id: bot.app_id,
      bot_profile: { id: bot.id, app_id: bot.app_id, name: bot.name, icons: copyJson(bot.icons), deleted: bot.deleted, updated: bot.updated, team_id: state.team.id },
    });
    if (token.scopes.includes('chat:write.customize') && (a.username || a.icon_emoji || a.icon_url)) {
      fields.subtype = 'bot_message';
      if (a.username) fields.username = a.username;
      if (a.icon_emoji || a.icon_url) fields.icons = a.icon_emoji ? { emoji: a.icon_emoji } : { image_48: a.icon_url };
    }
  }
  return fields;
}

/**
 * A thread parent's summary, recomputed from its replies: reply_count, reply_users, latest_reply.
 *
 * @example
 * summarizeThread(parent, state.replies[channel][parent.ts]);
 */
export function summarizeThread(parent: SlackMessage, replies: SlackMessage[]): void {
  if (replies.length === 0) {
    for (const key of ['thread_ts', 'reply_count', 'reply_users', 'reply_users_count', 'latest_reply']) delete parent[key];
    return;
  }
  const users = [...new Set(replies.map((r) => r.user as string))];
  Object.assign(parent, { thread_ts: parent.ts, reply_count: replies.length, reply_users_count: users.length, reply_users: users.slice(0, REPLY_USERS_SHOWN), latest_reply: replies[replies.length - 1].ts });
}

/** The user ids a text mentions (`<@U…>`). */
function mentions(text: string): string[] {
  return [...text.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)].map((m) => m[1]);
}

/** Sends the events a new message causes: `message` to the apps in the conversation, `app_mention` to a mentioned app. */
function announce(env: Env, conversation: SlackConversation, message: SlackMessage): void {
  const type = typeOf(conversation);
  const channel = conversation.id;
  const event = { ...copyJson(message), channel, event_ts: message.ts, channel_type: CHANNEL_TYPES[type] };
  emitEvent(env, event, { subscription: SUBSCRIPTIONS[type], channel });
  const mentioned = mentions(message.text ?? '');
  if (mentioned.length === 0) return;
  const mention: Record<string, unknown> = { type: 'app_mention', user: message.user, text: message.text, ts: message.ts, channel, event_ts: message.ts, team: message.team };
  if (message.thread_ts) mention.thread_ts = message.thread_ts;
  if (message.blocks) mention.blocks = copyJson(message.blocks);
  emitEvent(env, mention, { subscription: 'app_mention', channel, only: (app) => mentioned.includes(app.bot_user_id) });
}

/**
 * Tells the apps in a conversation that a message changed or was deleted: a `message` event with the subtype
 * message_changed (the new message and the previous one) or message_deleted (docs.slack.dev/reference/events/message).
 *
 * @example
 * announceChange(ctx, conversation, 'message_changed', before, message);
 */
export function announceChange(env: Env, conversation: SlackConversation, subtype: 'message_changed' | 'message_deleted', previous: SlackMessage, current?: SlackMessage): void {
  const type = typeOf(conversation);
  const eventTs = tsText(env.clock.nowMs() * 1000);
  const event: Record<string, unknown> = { type: 'message', subtype, hidden: true, channel: conversation.id, ts: eventTs, event_ts: eventTs, channel_type: CHANNEL_TYPES[type], previous_message: copyJson(previous) };
  if (current) event.message = copyJson(current);
  else event.deleted_ts = previous.ts;
  emitEvent(env, event, { subscription: SUBSCRIPTIONS[type], channel: conversation.id });
}

/**
 * Posts a message into a conversation, with a ts that is unique and increasing there: top level, or as a reply to
 * the thread of `thread_ts` (a reply's ts names its parent's thread), also shown in the channel with
 * reply_broadcast. The apps in the conversation get their events.
 *
 * @example
 * const message = postMessage(ctx, conversation, authorFields(ctx.state, token), { text: 'hello' });
 */
export function postMessage(env: Env, conversation: SlackConversation, author: Record<string, unknown>, content: Content, options: { thread_ts?: string; reply_broadcast?: boolean; nowMs?: number } = {}): SlackMessage {
  const state = env.state;
  const channel = conversation.id;
  const parent = options.thread_ts ? findMessage(state, channel, options.thread_ts) : undefined;
  if (options.thread_ts && !parent) throw new SlackError('thread_not_found');
  const ts = nextTs(state, channel, options.nowMs ?? env.clock.nowMs());
  const message: SlackMessage = { type: 'message', ...copyJson(author), text: content.text, ts, team: state.team.id };
  if (content.blocks) message.blocks = copyJson(content.blocks);
  if (content.attachments) message.attachments = copyJson(content.attachments);
  if (parent) {
    const root = parent.parent ?? parent.message;
    message.thread_ts = root.ts;
    message.parent_user_id = root.user;
    const replies = ((state.replies[channel] ??= {})[root.ts] ??= []);
    replies.push(message);
    (state.threadOf[channel] ??= {})[ts] = root.ts;
    summarizeThread(root, replies);
    if (options.reply_broadcast) (state.messages[channel] ??= []).push({ ...copyJson(message), subtype: 'thread_broadcast' });
  } else {
    (state.messages[channel] ??= []).push(message);
  }
  announce(env, conversation, message);
  return message;
}

/**
 * A message's permalink, as chat.getPermalink gives it: the workspace URL, the conversation and the ts without its
 * dot; a reply's names its thread.
 *
 * @example
 * permalink(state, 'C0GENERAL1', '1767225600.000100'); // 'https://twin.slack.com/archives/C0GENERAL1/p1767225600000100'
 */
export function permalink(state: SlackState, channel: string, message: SlackMessage): string {
  const base = `https://${state.team.domain}.slack.com/archives/${channel}/p${message.ts.replace('.', '')}`;
  return message.thread_ts && message.thread_ts !== message.ts ? `${base}?thread_ts=${message.thread_ts}&cid=${channel}` : base;
}
