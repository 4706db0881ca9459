import { copyJson } from '../../../src/index.js';
import { SlackError } from '../errors.js';
import { args } from '../model/args.js';
import { findConversation, isMember } from '../model/conversations.js';
import { nextTs, tsMicros, tsText } from '../model/ids.js';
import { announceChange, authorFields, findMessage, lowerBound, messageContent, permalink, postMessage, summarizeThread, threadTsArg } from '../model/messages.js';
import { ok, slackMethods } from '../model/methods.js';
import { cursorSlice } from '../model/paging.js';
import { scheduleMessage } from '../model/scheduled.js';
import type { Ctx, SlackConversation, SlackHandlers, SlackMessage } from '../types.js';

/**
 * Where the caller may post: a conversation that is not archived and that they are in, unless a bot holds
 * chat:write.public, which posts to any public channel (docs.slack.dev/reference/methods/chat.postMessage).
 */
function postable(ctx: Ctx, id: unknown): SlackConversation {
  const conversation = findConversation(ctx, id);
  if (conversation.is_archived) throw new SlackError('is_archived');
  const token = ctx.auth.token!;
  const open = token.type === 'bot' && token.scopes.includes('chat:write.public') && !conversation.is_private && !conversation.is_im && !conversation.is_mpim;
  if (!open && !isMember(ctx.state, conversation.id, token.user_id)) throw new SlackError('not_in_channel');
  return conversation;
}

/** Whether a message is the caller's own: theirs, and for a bot token its bot's. */
function ownMessage(ctx: Ctx, message: SlackMessage): boolean {
  const token = ctx.auth.token!;
  return message.user === token.user_id && (token.type !== 'bot' || message.bot_id === token.bot_id);
}

/** The message a change addresses, in a conversation the caller may see; message_not_found otherwise. */
function addressed(ctx: Ctx, channel: unknown, ts: unknown): { conversation: SlackConversation; message: SlackMessage; parent?: SlackMessage } {
  const conversation = findConversation(ctx, channel);
  const found = findMessage(ctx.state, conversation.id, String(ts));
  if (!found) throw new SlackError('message_not_found');
  return { conversation, ...found };
}

/** The top-level copy of a thread broadcast, if this reply was broadcast. */
function broadcastCopy(ctx: Ctx, channel: string, message: SlackMessage): { list: SlackMessage[]; index: number } | undefined {
  const list = ctx.state.messages[channel] ?? [];
  const index = lowerBound(list, tsMicros(message.ts));
  return list[index]?.ts === message.ts ? { list, index } : undefined;
}

/** chat.postMessage: a message, or a reply with thread_ts; the answer carries the stored message. */
function chatPostMessage(ctx: Ctx) {
  const a = args(ctx);
  const conversation = postable(ctx, a.channel);
  const thread_ts = threadTsArg(a.thread_ts);
  const message = postMessage(ctx, conversation, authorFields(ctx.state, ctx.auth.token!, a), messageContent(a), { thread_ts, reply_broadcast: Boolean(a.reply_broadcast) });
  return ok({ channel: conversation.id, ts: message.ts, message: copyJson(message) });
}

/** chat.update: the caller's own message gets new text, blocks or attachments, and an `edited` mark. */
function chatUpdate(ctx: Ctx) {
  const a = args(ctx);
  const { conversation, message } = addressed(ctx, a.channel, a.ts);
  if (conversation.is_archived) throw new SlackError('is_archived');
  if (!ownMessage(ctx, message)) throw new SlackError('cant_update_message');
  const content = messageContent({ text: a.text ?? message.text, blocks: a.blocks ?? message.blocks, attachments: a.attachments ?? message.attachments });
  const previous = copyJson(message);
  const edited = { user: ctx.auth.token!.user_id, ts: tsText(ctx.clock.nowMs() * 1000) };
  const apply = (target: SlackMessage) => {
    target.text = content.text;
    if (content.blocks) target.blocks = copyJson(content.blocks);
    if (content.attachments) target.attachments = copyJson(content.attachments);
    target.edited = { ...edited };
  };
  apply(message);
  const copy = message.thread_ts && message.thread_ts !== message.ts ? broadcastCopy(ctx, conversation.id, message) : undefined;
  if (copy) apply(copy.list[copy.index]);
  announceChange(ctx, conversation, 'message_changed', previous, message);
  return ok({ channel: conversation.id, ts: message.ts, text: message.text, message: copyJson(message) });
}

/**
 * chat.delete: the caller's own message (any message for a workspace admin's user token). A thread parent with
 * replies leaves a tombstone, as in Slack's clients; a reply leaves its thread's summary recounted.
 */
function chatDelete(ctx: Ctx) {
  const a = args(ctx);
  const { conversation, message, parent } = addressed(ctx, a.channel, a.ts);
  const token = ctx.auth.token!;
  const admin = token.type === 'user' && ctx.state.users[token.user_id]?.is_admin;
  if (!ownMessage(ctx, message) && !admin) throw new SlackError('cant_delete_message');
  const channel = conversation.id;
  const previous = copyJson(message);
  const remove = (list: SlackMessage[]) => list.splice(lowerBound(list, tsMicros(message.ts)), 1);
  if (parent) {
    const replies = ctx.state.replies[channel][parent.ts];
    remove(replies);
    delete ctx.state.threadOf[channel][message.ts];
    if (broadcastCopy(ctx, channel, message)) remove(ctx.state.messages[channel]);
    summarizeThread(parent, replies);
  } else if (message.reply_count) {
    const { thread_ts, reply_count, reply_users, reply_users_count, latest_reply, ts } = message;
    for (const key of Object.keys(message)) delete message[key];
    Object.assign(message, { type: 'message', subtype: 'tombstone', text: 'This message was deleted.', user: 'USLACKBOT', hidden: true, ts, thread_ts, reply_count, reply_users, reply_users_count, latest_reply });
  } else {
    remove(ctx.state.messages[channel]);
  }
  ctx.state.pins[channel] = (ctx.state.pins[channel] ?? []).filter((pin) => pin.ts !== previous.ts);
  announceChange(ctx, conversation, 'message_deleted', previous);
  return ok({ channel, ts: previous.ts });
}

/** chat.postEphemeral: shown to one member only and never stored; its ts is taken like any message's. */
function chatPostEphemeral(ctx: Ctx) {
  const a = args(ctx);
  const conversation = postable(ctx, a.channel);
  messageContent(a);
  threadTsArg(a.thread_ts);
  if (!Object.hasOwn(ctx.state.users, a.user)) throw new SlackError('user_not_found');
  if (!isMember(ctx.state, conversation.id, a.user)) throw new SlackError('user_not_in_channel');
  return ok({ message_ts: nextTs(ctx.state, conversation.id, ctx.clock.nowMs()) });
}

/** chat.getPermalink: the URL of a message the caller can see. */
function chatGetPermalink(ctx: Ctx) {
  const a = args(ctx);
  const { conversation, message } = addressed(ctx, a.channel, a.message_ts);
  return ok({ channel: conversation.id, permalink: permalink(ctx.state, conversation.id, message) });
}

/** chat.scheduleMessage: a message the twin posts when its clock reaches post_at. */
function chatScheduleMessage(ctx: Ctx) {
  const a = args(ctx);
  const conversation = postable(ctx, a.channel);
  const content = messageContent(a);
  const thread_ts = threadTsArg(a.thread_ts);
  if (thread_ts && !findMessage(ctx.state, conversation.id, thread_ts)) throw new SlackError('thread_not_found');
  const token = ctx.auth.token!;
  const customization = Object.fromEntries(['username', 'icon_emoji', 'icon_url'].filter((key) => a[key] !== undefined).map((key) => [key, a[key]]));
  const message = { ...content, ...(thread_ts ? { thread_ts, reply_broadcast: Boolean(a.reply_broadcast) } : {}), ...customization };
  const scheduled = scheduleMessage(ctx, conversation.id, a.post_at, token.token, message);
  const author = authorFields(ctx.state, token, a);
  return ok({
    channel: conversation.id,
    scheduled_message_id: scheduled.id,
    post_at: scheduled.post_at,
    message: { type: 'delayed_message', text: content.text, user: token.user_id, ...(author.bot_id ? { bot_id: author.bot_id } : {}), team: ctx.state.team.id, ...(content.blocks ? { blocks: content.blocks } : {}) },
  });
}

/** chat.scheduledMessages.list: the caller's app's messages still to be posted, soonest first, cursor-paged. */
function chatScheduledMessagesList(ctx: Ctx) {
  const a = args(ctx);
  const app = ctx.auth.token!.app_id;
  if (a.channel !== undefined) findConversation(ctx, a.channel);
  const latest = a.latest === undefined ? Infinity : Number(a.latest);
  const oldest = a.oldest === undefined ? -Infinity : Number(a.oldest);
  const pending = Object.values(ctx.state.scheduled)
    .filter((s) => ctx.state.tokens[s.token]?.app_id === app && (a.channel === undefined || s.channel_id === a.channel) && s.post_at <= latest && s.post_at >= oldest)
    .sort((x, y) => x.post_at - y.post_at || x.date_created - y.date_created);
  const { page, next_cursor } = cursorSlice(pending, (s) => s.id, 'scheduled', a.cursor, Math.min(Number(a.limit) || 100, 100));
  return ok({ scheduled_messages: page.map(({ id, channel_id, post_at, date_created, text }) => ({ id, channel_id, post_at, date_created, text })), response_metadata: { next_cursor } });
}

/** chat.deleteScheduledMessage: removes a message before it is posted; invalid_scheduled_message_id when there is none. */
function chatDeleteScheduledMessage(ctx: Ctx) {
  const a = args(ctx);
  const conversation = findConversation(ctx, a.channel);
  const id = String(a.scheduled_message_id);
  const scheduled = Object.hasOwn(ctx.state.scheduled, id) ? ctx.state.scheduled[id] : undefined;
  if (!scheduled || scheduled.channel_id !== conversation.id || ctx.state.tokens[scheduled.token]?.app_id !== ctx.auth.token!.app_id) throw new SlackError('invalid_scheduled_message_id');
  delete ctx.state.scheduled[id];
  return ok();
}

/** chat.* methods. */
export const chatHandlers = slackMethods({
  chatPostMessage,
  chatUpdate,
  chatDelete,
  chatPostEphemeral,
  chatGetPermalink,
  chatScheduleMessage,
  chatScheduledMessagesList,
  chatDeleteScheduledMessage,
}) satisfies SlackHandlers;
