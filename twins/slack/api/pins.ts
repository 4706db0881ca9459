import { copyJson } from '../../../src/index.js';
import { SlackError } from '../errors.js';
import { args } from '../model/args.js';
import { findConversation, isMember } from '../model/conversations.js';
import { isTs } from '../model/ids.js';
import { findMessage } from '../model/messages.js';
import { ok, slackMethods } from '../model/methods.js';
import type { Ctx, SlackHandlers, SlackMessage } from '../types.js';

/** The message a pin call addresses, in a conversation the caller is in. */
function pinned(ctx: Ctx, a: Record<string, any>): { channel: string; message: SlackMessage } {
  const conversation = findConversation(ctx, a.channel);
  if (!isMember(ctx.state, conversation.id, ctx.auth.token!.user_id)) throw new SlackError('not_in_channel');
  if (a.timestamp === undefined) throw new SlackError(a.file !== undefined ? 'file_not_found' : 'no_item_specified');
  if (!isTs(a.timestamp)) throw new SlackError('bad_timestamp');
  const found = findMessage(ctx.state, conversation.id, a.timestamp);
  if (!found) throw new SlackError('message_not_found');
  return { channel: conversation.id, message: found.message };
}

/** pins.add: pins a message; a pinned one is already_pinned. */
function pinsAdd(ctx: Ctx) {
  const a = args(ctx);
  const { channel, message } = pinned(ctx, a);
  if (ctx.state.conversations[channel].is_archived) throw new SlackError('is_archived');
  const pins = (ctx.state.pins[channel] ??= []);
  if (pins.some((pin) => pin.ts === message.ts)) throw new SlackError('already_pinned');
  pins.push({ ts: message.ts, created: Math.floor(ctx.clock.nowMs() / 1000), created_by: ctx.auth.token!.user_id });
  message.pinned_to = [...(message.pinned_to ?? []), channel];
  return ok();
}

/** pins.remove: unpins a message; one that is not pinned is not_pinned. */
function pinsRemove(ctx: Ctx) {
  const a = args(ctx);
  const { channel, message } = pinned(ctx, a);
  const pins = ctx.state.pins[channel] ?? [];
  if (!pins.some((pin) => pin.ts === message.ts)) throw new SlackError('not_pinned');
  ctx.state.pins[channel] = pins.filter((pin) => pin.ts !== message.ts);
  message.pinned_to = (message.pinned_to ?? []).filter((c: string) => c !== channel);
  if (message.pinned_to.length === 0) delete message.pinned_to;
  return ok();
}

/** pins.list: what is pinned in a conversation, most recently pinned first. */
function pinsList(ctx: Ctx) {
  const conversation = findConversation(ctx, args(ctx).channel);
  const items = [...(ctx.state.pins[conversation.id] ?? [])].reverse().flatMap((pin) => {
    const found = findMessage(ctx.state, conversation.id, pin.ts);
    return found ? [{ type: 'message', created: pin.created, created_by: pin.created_by, channel: conversation.id, message: copyJson(found.message) }] : [];
  });
  return ok({ items });
}

/** pins.* methods. */
export const pinHandlers = slackMethods({ pinsAdd, pinsRemove, pinsList }) satisfies SlackHandlers;
