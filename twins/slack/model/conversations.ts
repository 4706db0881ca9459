import { copyJson } from '../../../src/index.js';
import { SlackError } from '../errors.js';
import type { Ctx, SlackConversation, SlackState } from '../types.js';
import { list } from './args.js';

/** What a scope check is for: reading a conversation's info, its messages, or changing it. */
export type Access = 'read' | 'history' | 'write';

/** The four kinds of conversation, as Slack's `types` argument names them. */
export type ConversationType = 'public_channel' | 'private_channel' | 'mpim' | 'im';

// The scopes that grant each access per kind of conversation (docs.slack.dev/reference/scopes): channels:* for public
// channels, groups:* for private ones, im:* and mpim:* for direct messages; user tokens write with channels:write.
const SCOPES: Record<Access, Record<ConversationType, string[]>> = {
  read: { public_channel: ['channels:read'], private_channel: ['groups:read'], im: ['im:read'], mpim: ['mpim:read'] },
  history: { public_channel: ['channels:history'], private_channel: ['groups:history'], im: ['im:history'], mpim: ['mpim:history'] },
  write: { public_channel: ['channels:manage', 'channels:write'], private_channel: ['groups:write'], im: ['im:write'], mpim: ['mpim:write'] },
};

/**
 * The kind of a conversation.
 *
 * @example
 * typeOf(state.conversations.C0GENERAL1); // 'public_channel'
 */
export function typeOf(conversation: SlackConversation): ConversationType {
  if (conversation.is_im) return 'im';
  if (conversation.is_mpim) return 'mpim';
  return conversation.is_private ? 'private_channel' : 'public_channel';
}

/**
 * Refuses with missing_scope unless the caller's token has a scope for this access to this kind of conversation.
 *
 * @example
 * requireScope(ctx, typeOf(conversation), 'history');
 */
export function requireScope(ctx: Ctx, type: ConversationType, access: Access): void {
  const needed = SCOPES[access][type];
  const granted = ctx.auth.token!.scopes;
  if (!needed.some((scope) => granted.includes(scope))) throw new SlackError('missing_scope', { needed: needed.join(','), provided: granted.join(',') });
}

/**
 * Whether a user is a member of a conversation.
 *
 * @example
 * if (!isMember(ctx.state, channel, userId)) throw new SlackError('not_in_channel');
 */
export function isMember(state: SlackState, channel: string, userId: string): boolean {
  return state.members[channel]?.includes(userId) ?? false;
}

/**
 * A conversation the caller can see: any public channel, and the private ones, DMs and group DMs they are in.
 * Anything else is channel_not_found, as Slack hides what the caller may not know exists.
 *
 * @example
 * const conversation = findConversation(ctx, args(ctx).channel);
 */
export function findConversation(ctx: Ctx, id: unknown): SlackConversation {
  const conversation = typeof id === 'string' && Object.hasOwn(ctx.state.conversations, id) ? ctx.state.conversations[id] : undefined;
  if (!conversation) throw new SlackError('channel_not_found');
  const hidden = conversation.is_private || conversation.is_im || conversation.is_mpim;
  if (hidden && !isMember(ctx.state, conversation.id, ctx.auth.token!.user_id)) throw new SlackError('channel_not_found');
  return conversation;
}

/**
 * A conversation as Slack returns it to this caller: is_member, and for channels num_members; for the caller's own
 * conversations the ts they marked read.
 *
 * @example
 * return { body: { ok: true, channel: conversationView(ctx, conversation) } };
 */
export function conversationView(ctx: Ctx, conversation: SlackConversation, withMembers = true): Record<string, unknown> {
  const view: Record<string, unknown> = copyJson(conversation);
  const userId = ctx.auth.token!.user_id;
  if (conversation.is_im) return view;
  // No channel of the twin is shared with another workspace, or waiting to be (the conversation object's fields).
  view.is_pending_ext_shared = false;
  view.pending_shared = [];
  view.is_member = isMember(ctx.state, conversation.id, userId);
  if (withMembers) view.num_members = ctx.state.members[conversation.id]?.length ?? 0;
  const lastRead = ctx.state.lastRead[conversation.id]?.[userId];
  if (view.is_member) view.last_read = lastRead ?? '0000000000.000000';
  return view;
}

/**
 * Adds a member; false when they already were one.
 *
 * @example
 * if (addMember(ctx.state, channel, userId)) emitMemberJoined(ctx, ...);
 */
export function addMember(state: SlackState, channel: string, userId: string): boolean {
  const members = (state.members[channel] ??= []);
  if (members.includes(userId)) return false;
  members.push(userId);
  return true;
}

/**
 * Removes a member; false when they were not one.
 *
 * @example
 * removeMember(ctx.state, channel, userId);
 */
export function removeMember(state: SlackState, channel: string, userId: string): boolean {
  const members = state.members[channel] ?? [];
  const at = members.indexOf(userId);
  if (at < 0) return false;
  members.splice(at, 1);
  return true;
}

/**
 * Refuses a change to an archived conversation (is_archived) or, for a channel the caller is not in, not_in_channel.
 *
 * @example
 * requireActiveMember(ctx, conversation);
 */
export function requireActiveMember(ctx: Ctx, conversation: SlackConversation): void {
  if (conversation.is_archived) throw new SlackError('is_archived');
  if (!isMember(ctx.state, conversation.id, ctx.auth.token!.user_id)) throw new SlackError('not_in_channel');
}

/**
 * Checks a channel name the way conversations.create and rename do: lower-case letters, digits, hyphens and
 * underscores, at most 80 characters, not taken by another channel.
 *
 * @example
 * const name = checkChannelName(ctx, args(ctx).name);
 */
export function checkChannelName(ctx: Ctx, raw: string, except?: string): string {
  const name = raw.trim();
  if (name === '') throw new SlackError('invalid_name_required');
  if (name.length > 80) throw new SlackError('invalid_name_maxlength');
  if (/[^a-z0-9_-]/.test(name)) throw new SlackError('invalid_name_specials');
  if (!/[a-z0-9]/.test(name)) throw new SlackError('invalid_name_punctuation');
  if (Object.values(ctx.state.conversations).some((c) => c.name === name && c.id !== except && !c.is_im && !c.is_mpim)) throw new SlackError('name_taken');
  return name;
}

const TYPES: ConversationType[] = ['public_channel', 'private_channel', 'mpim', 'im'];

/**
 * The conversation types a `types` argument asks for (public_channel by default), each checked against the token's
 * scopes; an unknown type is invalid_types.
 *
 * @example
 * const types = requestedTypes(ctx, a.types);
 */
export function requestedTypes(ctx: Ctx, value: unknown): ConversationType[] {
  const asked = list(value);
  if (asked.some((t) => !TYPES.includes(t as ConversationType))) throw new SlackError('invalid_types');
  const types = (asked.length ? asked : ['public_channel']) as ConversationType[];
  for (const type of types) requireScope(ctx, type, 'read');
  return types;
}
