import { copyJson } from '../../../src/index.js';
import { SlackError } from '../errors.js';
import { args } from '../model/args.js';
import { findConversation } from '../model/conversations.js';
import { emitEvent } from '../model/events.js';
import { isTs, tsText } from '../model/ids.js';
import { findMessage } from '../model/messages.js';
import { ok, slackMethods } from '../model/methods.js';
import { cursorSlice, legacyPage } from '../model/paging.js';
import type { Ctx, SlackHandlers, SlackMessage } from '../types.js';

/** A message has at most 23 different reactions from one user (docs.slack.dev/reference/methods/reactions.add, too_many_reactions). */
const MAX_REACTIONS_PER_USER = 23;

/** An emoji name as reactions take it: colons around it are dropped; letters, digits and - _ + ' are allowed. */
function emojiName(raw: unknown): string {
  const name = String(raw ?? '').replace(/^:|:$/g, '');
  if (!/^[a-z0-9_+'-]+(::skin-tone-[2-6])?$/.test(name)) throw new SlackError('invalid_name');
  return name;
}

/** The message a reaction call addresses: channel and timestamp (a file's reactions are not emulated). */
function target(ctx: Ctx, a: Record<string, any>): { channel: string; message: SlackMessage } {
  if (a.channel === undefined || a.timestamp === undefined) {
    if (a.file !== undefined || a.file_comment !== undefined) throw new SlackError('file_not_found');
    throw new SlackError('no_item_specified');
  }
  const conversation = findConversation(ctx, a.channel);
  if (!isTs(a.timestamp)) throw new SlackError('bad_timestamp');
  const found = findMessage(ctx.state, conversation.id, a.timestamp);
  if (!found) throw new SlackError('message_not_found');
  if (conversation.is_archived) throw new SlackError('is_archived');
  return { channel: conversation.id, message: found.message };
}

function reactionEvent(ctx: Ctx, type: 'reaction_added' | 'reaction_removed', channel: string, message: SlackMessage, name: string): void {
  const user = ctx.auth.token!.user_id;
  emitEvent(ctx, { type, user, reaction: name, item_user: message.user, item: { type: 'message', channel, ts: message.ts }, event_ts: tsText(ctx.clock.nowMs() * 1000) }, { subscription: type, channel });
}

/** reactions.add: the caller's reaction; twice is already_reacted. reaction_added goes to the apps in the channel. */
function reactionsAdd(ctx: Ctx) {
  const a = args(ctx);
  const { channel, message } = target(ctx, a);
  const name = emojiName(a.name);
  const user = ctx.auth.token!.user_id;
  const reactions = (message.reactions ??= []) as { name: string; users: string[]; count: number }[];
  const existing = reactions.find((r) => r.name === name);
  if (existing?.users.includes(user)) throw new SlackError('already_reacted');
  if (reactions.filter((r) => r.users.includes(user)).length >= MAX_REACTIONS_PER_USER) throw new SlackError('too_many_reactions');
  if (existing) {
    existing.users.push(user);
    existing.count += 1;
  } else reactions.push({ name, users: [user], count: 1 });
  reactionEvent(ctx, 'reaction_added', channel, message, name);
  return ok();
}

/** reactions.remove: the caller's reaction; one they did not add is no_reaction. */
function reactionsRemove(ctx: Ctx) {
  const a = args(ctx);
  const { channel, message } = target(ctx, a);
  const name = emojiName(a.name);
  const user = ctx.auth.token!.user_id;
  const reactions = (message.reactions ?? []) as { name: string; users: string[]; count: number }[];
  const existing = reactions.find((r) => r.name === name);
  if (!existing?.users.includes(user)) throw new SlackError('no_reaction');
  existing.users = existing.users.filter((u) => u !== user);
  existing.count -= 1;
  message.reactions = reactions.filter((r) => r.count > 0);
  if (message.reactions.length === 0) delete message.reactions;
  reactionEvent(ctx, 'reaction_removed', channel, message, name);
  return ok();
}

/** reactions.get: the message with its reactions. */
function reactionsGet(ctx: Ctx) {
  const { channel, message } = target(ctx, args(ctx));
  return ok({ type: 'message', channel, message: copyJson(message) });
}

/** reactions.list: the messages a user (the caller by default) reacted to, newest first; cursor or count/page paging. */
function reactionsList(ctx: Ctx) {
  const a = args(ctx);
  if (a.user !== undefined && !Object.hasOwn(ctx.state.users, a.user)) throw new SlackError('user_not_found');
  const user = a.user ?? ctx.auth.token!.user_id;
  const items: { type: 'message'; channel: string; message: SlackMessage }[] = [];
  for (const [channel, messages] of Object.entries(ctx.state.messages)) {
    const conversation = ctx.state.conversations[channel];
    if (!conversation) continue;
    const all = [...messages, ...Object.values(ctx.state.replies[channel] ?? {}).flat()];
    for (const message of all) {
      if (message.subtype === 'thread_broadcast') continue;
      if ((message.reactions ?? []).some((r: { users: string[] }) => r.users.includes(user))) items.push({ type: 'message', channel, message });
    }
  }
  items.sort((x, y) => (x.message.ts < y.message.ts ? 1 : x.message.ts > y.message.ts ? -1 : 0));
  const view = (item: (typeof items)[number]) => ({ type: item.type, channel: item.channel, message: copyJson(item.message) });
  if (a.cursor !== undefined || a.limit !== undefined) {
    const { page, next_cursor } = cursorSlice(items, (item) => `${item.channel}:${item.message.ts}`, 'item', a.cursor, Number(a.limit) || 100);
    return ok({ items: page.map(view), response_metadata: { next_cursor } });
  }
  const { page, paging } = legacyPage(items, Number(a.count) || 100, Number(a.page) || 1);
  return ok({ items: page.map(view), paging });
}

/** reactions.* methods. */
export const reactionHandlers = slackMethods({ reactionsAdd, reactionsRemove, reactionsGet, reactionsList }) satisfies SlackHandlers;
