import { copyJson } from '../../../src/index.js';
import { warn } from '../auth.js';
import { SlackError } from '../errors.js';
import { args, list } from '../model/args.js';
import {
  addMember,
  checkChannelName,
  conversationView,
  findConversation,
  isMember,
  removeMember,
  requestedTypes,
  requireActiveMember,
  requireScope,
  typeOf,
} from '../model/conversations.js';
import { emitEvent } from '../model/events.js';
import { findMessage, lowerBound } from '../model/messages.js';
import { isTs, slackId, tsMicros } from '../model/ids.js';
import { ok, slackMethods } from '../model/methods.js';
import { cursorKey, cursorSlice, nextCursor, pageLimit } from '../model/paging.js';
import { findUser } from '../model/users.js';
import type { Ctx, SlackConversation, SlackHandlers, SlackMessage } from '../types.js';

/** conversations.history: at most 999 messages a page, 100 by default (docs.slack.dev/reference/methods/conversations.history). */
const HISTORY_LIMIT = { fallback: 100, max: 999 };
/** conversations.replies: at most 1000 messages a page, 1000 by default. */
const REPLIES_LIMIT = { fallback: 1000, max: 1000 };
/** The longest topic or purpose (docs.slack.dev/reference/methods/conversations.setTopic). */
const MAX_TOPIC = 250;
/** A group DM has at most 8 other people (docs.slack.dev/reference/methods/conversations.open). */
const MAX_MPIM_USERS = 8;

const limitOf = (value: unknown, bounds: { fallback: number; max: number }) => Math.min(Number(value) || bounds.fallback, bounds.max);
const nowSeconds = (ctx: Ctx) => Math.floor(ctx.clock.nowMs() / 1000);
const callerId = (ctx: Ctx) => ctx.auth.token!.user_id;
const emptyTopic = () => ({ value: '', creator: '', last_set: 0 });

/** Index of the first message after `micros`. */
const upperBound = (list: SlackMessage[], micros: number) => lowerBound(list, micros + 1);

/** The channels DMs and group DMs are not: join, leave, rename and the like refuse them. */
function requireChannel(conversation: SlackConversation): void {
  if (conversation.is_im || conversation.is_mpim) throw new SlackError('method_not_supported_for_channel_type');
}

/** Tells the apps in a channel that someone joined it (member_joined_channel). */
function announceJoin(ctx: Ctx, conversation: SlackConversation, userId: string, inviter?: string): void {
  const event: Record<string, unknown> = { type: 'member_joined_channel', user: userId, channel: conversation.id, channel_type: conversation.is_private ? 'G' : 'C', team: ctx.state.team.id, event_ts: `${nowSeconds(ctx)}.000000` };
  if (inviter) event.inviter = inviter;
  emitEvent(ctx, event, { subscription: 'member_joined_channel', channel: conversation.id });
}

/** The latest and oldest of a history call, checked: invalid_ts_latest and invalid_ts_oldest when they are no ts. */
function timeRange(a: Record<string, any>): { latest?: number; oldest?: number } {
  if (a.latest !== undefined && a.latest !== '' && !isTs(a.latest)) throw new SlackError('invalid_ts_latest');
  if (a.oldest !== undefined && a.oldest !== '' && !isTs(a.oldest)) throw new SlackError('invalid_ts_oldest');
  return { latest: a.latest ? tsMicros(a.latest) : undefined, oldest: a.oldest ? tsMicros(a.oldest) : undefined };
}

/** Reading messages: a bot reads only where it is a member; a person reads any public channel. */
function requireReader(ctx: Ctx, conversation: SlackConversation): void {
  requireScope(ctx, typeOf(conversation), 'history');
  if (ctx.auth.token!.type === 'bot' && !isMember(ctx.state, conversation.id, callerId(ctx))) throw new SlackError('not_in_channel');
}

/** conversations.list: the conversations of the given types the caller may see (public_channel by default), cursor-paged. */
function conversationsList(ctx: Ctx) {
  const a = args(ctx);
  const types = requestedTypes(ctx, a.types);
  const visible = Object.values(ctx.state.conversations).filter(
    (c) => types.includes(typeOf(c)) && !(a.exclude_archived && c.is_archived) && (typeOf(c) === 'public_channel' || isMember(ctx.state, c.id, callerId(ctx))),
  );
  const { page, next_cursor } = cursorSlice(visible, (c) => c.id, 'channel', a.cursor, pageLimit(a.limit, 100));
  return ok({ channels: page.map((c) => conversationView(ctx, c)), response_metadata: { next_cursor } });
}

/** conversations.info: one conversation the caller may see. */
function conversationsInfo(ctx: Ctx) {
  const a = args(ctx);
  const conversation = findConversation(ctx, a.channel);
  requireScope(ctx, typeOf(conversation), 'read');
  return ok({ channel: conversationView(ctx, conversation, Boolean(a.include_num_members)) });
}

/** conversations.create: a new public (C…) or private channel with the caller as its only member; channel_created to the apps. */
function conversationsCreate(ctx: Ctx) {
  const a = args(ctx);
  const isPrivate = Boolean(a.is_private);
  requireScope(ctx, isPrivate ? 'private_channel' : 'public_channel', 'write');
  const name = checkChannelName(ctx, String(a.name));
  const created = nowSeconds(ctx);
  const conversation: SlackConversation = {
    id: slackId(ctx.ids, 'C'),
    name,
    name_normalized: name,
    is_channel: true,
    is_group: false,
    is_im: false,
    is_mpim: false,
    is_private: isPrivate,
    is_archived: false,
    is_general: false,
    is_shared: false,
    is_org_shared: false,
    is_ext_shared: false,
    created,
    creator: callerId(ctx),
    updated: ctx.clock.nowMs(),
    unlinked: 0,
    context_team_id: ctx.state.team.id,
    topic: emptyTopic(),
    purpose: emptyTopic(),
    previous_names: [],
  };
  ctx.state.conversations[conversation.id] = conversation;
  ctx.state.members[conversation.id] = [callerId(ctx)];
  ctx.state.messages[conversation.id] = [];
  if (!isPrivate) emitEvent(ctx, { type: 'channel_created', channel: { id: conversation.id, name, created, creator: conversation.creator, is_channel: true }, event_ts: `${created}.000000` }, { subscription: 'channel_created' });
  // The new channel as its creator sees it: nothing read or unread yet (conversations.create's example).
  return ok({ channel: { ...conversationView(ctx, conversation), latest: null, unread_count: 0, unread_count_display: 0, priority: 0 } });
}

/** conversations.join: joins a public channel; already a member, it answers ok with the already_in_channel warning. */
function conversationsJoin(ctx: Ctx) {
  const conversation = findConversation(ctx, args(ctx).channel);
  requireChannel(conversation);
  if (conversation.is_private) throw new SlackError('method_not_supported_for_channel_type');
  if (conversation.is_archived) throw new SlackError('is_archived');
  const joined = addMember(ctx.state, conversation.id, callerId(ctx));
  if (joined) announceJoin(ctx, conversation, callerId(ctx));
  const answer = ok({ channel: conversationView(ctx, conversation) });
  if (!joined) warn(answer.body, 'already_in_channel');
  return answer;
}

/** conversations.leave: leaves a channel; nobody leaves #general; not a member, it answers ok with not_in_channel: true. */
function conversationsLeave(ctx: Ctx) {
  const conversation = findConversation(ctx, args(ctx).channel);
  requireScope(ctx, typeOf(conversation), 'write');
  if (conversation.is_im) throw new SlackError('method_not_supported_for_channel_type');
  if (conversation.is_general) throw new SlackError('cant_leave_general');
  if (conversation.is_archived) throw new SlackError('is_archived');
  if (!removeMember(ctx.state, conversation.id, callerId(ctx))) return ok({ not_in_channel: true });
  return ok();
}

/** conversations.invite: adds users to a channel the caller is in; with force, valid users join even when others fail. */
function conversationsInvite(ctx: Ctx) {
  const a = args(ctx);
  const conversation = findConversation(ctx, a.channel);
  requireScope(ctx, typeOf(conversation), 'write');
  requireChannel(conversation);
  requireActiveMember(ctx, conversation);
  const ids = list(a.users);
  if (ids.length === 0) throw new SlackError('no_user');
  const problems: { user: string; ok: false; error: string }[] = [];
  const joining: string[] = [];
  for (const id of ids) {
    const user = Object.hasOwn(ctx.state.users, id) ? ctx.state.users[id] : undefined;
    const error = !user || user.deleted ? 'user_not_found' : id === callerId(ctx) ? 'cant_invite_self' : isMember(ctx.state, conversation.id, id) ? 'already_in_channel' : undefined;
    if (error) problems.push({ user: id, ok: false, error });
    else joining.push(id);
  }
  if (problems.length && !a.force) throw new SlackError(problems[0].error, { errors: problems });
  for (const id of joining) if (addMember(ctx.state, conversation.id, id)) announceJoin(ctx, conversation, id, callerId(ctx));
  return ok({ channel: conversationView(ctx, conversation), ...(problems.length ? { errors: problems } : {}) });
}

/** conversations.kick: removes a member; not from #general, not yourself. */
function conversationsKick(ctx: Ctx) {
  const a = args(ctx);
  const conversation = findConversation(ctx, a.channel);
  requireScope(ctx, typeOf(conversation), 'write');
  requireChannel(conversation);
  requireActiveMember(ctx, conversation);
  const user = findUser(ctx, a.user);
  if (user.id === callerId(ctx)) throw new SlackError('cant_kick_self');
  if (conversation.is_general) throw new SlackError('cant_kick_from_general');
  if (!removeMember(ctx.state, conversation.id, user.id)) throw new SlackError('not_in_channel');
  return ok();
}

/** conversations.archive: archives a channel the caller is in; never #general. */
function conversationsArchive(ctx: Ctx) {
  const conversation = findConversation(ctx, args(ctx).channel);
  requireScope(ctx, typeOf(conversation), 'write');
  requireChannel(conversation);
  if (conversation.is_archived) throw new SlackError('already_archived');
  if (conversation.is_general) throw new SlackError('cant_archive_general');
  if (!isMember(ctx.state, conversation.id, callerId(ctx))) throw new SlackError('not_in_channel');
  conversation.is_archived = true;
  conversation.updated = ctx.clock.nowMs();
  return ok();
}

/** conversations.unarchive: brings an archived channel back. */
function conversationsUnarchive(ctx: Ctx) {
  const conversation = findConversation(ctx, args(ctx).channel);
  requireScope(ctx, typeOf(conversation), 'write');
  requireChannel(conversation);
  if (!conversation.is_archived) throw new SlackError('not_archived');
  conversation.is_archived = false;
  conversation.updated = ctx.clock.nowMs();
  return ok();
}

/** conversations.rename: a new name, checked like a new channel's; the old one goes to previous_names. */
function conversationsRename(ctx: Ctx) {
  const a = args(ctx);
  const conversation = findConversation(ctx, a.channel);
  requireScope(ctx, typeOf(conversation), 'write');
  requireChannel(conversation);
  requireActiveMember(ctx, conversation);
  const name = checkChannelName(ctx, String(a.name), conversation.id);
  if (name !== conversation.name) conversation.previous_names = [conversation.name, ...(conversation.previous_names ?? [])];
  Object.assign(conversation, { name, name_normalized: name, updated: ctx.clock.nowMs() });
  return ok({ channel: conversationView(ctx, conversation) });
}

/** conversations.setTopic and setPurpose: at most 250 characters, set by the caller now. */
function setAbout(field: 'topic' | 'purpose') {
  return (ctx: Ctx) => {
    const a = args(ctx);
    const conversation = findConversation(ctx, a.channel);
    requireScope(ctx, typeOf(conversation), 'write');
    requireActiveMember(ctx, conversation);
    const value = String(a[field]);
    if (value.length > MAX_TOPIC) throw new SlackError('too_long');
    conversation[field] = { value, creator: callerId(ctx), last_set: nowSeconds(ctx) };
    return ok({ channel: conversationView(ctx, conversation) });
  };
}

/** The DM or group DM whose members are exactly these users, if there is one. */
function existingDirect(ctx: Ctx, users: string[], mpim: boolean): SlackConversation | undefined {
  const wanted = [...users].sort().join(',');
  return Object.values(ctx.state.conversations).find((c) => (mpim ? c.is_mpim : c.is_im) && [...(ctx.state.members[c.id] ?? [])].sort().join(',') === wanted);
}

/** conversations.open: the DM with one user or the group DM with 2 to 8, made on first use; or an existing one by id. */
function conversationsOpen(ctx: Ctx) {
  const a = args(ctx);
  const caller = callerId(ctx);
  if (a.channel !== undefined) {
    const conversation = findConversation(ctx, a.channel);
    if (!conversation.is_im && !conversation.is_mpim) throw new SlackError('method_not_supported_for_channel_type');
    return ok({ no_op: true, already_open: true, channel: a.return_im ? conversationView(ctx, conversation) : { id: conversation.id } });
  }
  const ids = [...new Set(list(a.users))];
  if (ids.length === 0) throw new SlackError('users_list_not_supplied');
  if (ids.length > MAX_MPIM_USERS) throw new SlackError('too_many_users');
  const users = ids.map((id) => findUser(ctx, id));
  const mpim = users.length > 1;
  requireScope(ctx, mpim ? 'mpim' : 'im', 'write');
  const members = [...new Set([caller, ...ids])];
  const existing = existingDirect(ctx, members, mpim);
  if (existing) return ok({ no_op: true, already_open: true, channel: a.return_im ? conversationView(ctx, existing) : { id: existing.id } });
  const created = nowSeconds(ctx);
  const conversation: SlackConversation = mpim
    ? {
        id: slackId(ctx.ids, 'G'),
        name: `mpdm-${members.map((id) => ctx.state.users[id].name).join('--')}-1`,
        is_channel: false,
        is_group: false,
        is_im: false,
        is_mpim: true,
        is_private: true,
        is_archived: false,
        created,
        creator: caller,
        topic: emptyTopic(),
        purpose: emptyTopic(),
      }
    : { id: slackId(ctx.ids, 'D'), created, is_im: true, is_mpim: false, is_archived: false, is_org_shared: false, user: ids[0], is_user_deleted: false, priority: 0 };
  ctx.state.conversations[conversation.id] = conversation;
  ctx.state.members[conversation.id] = members;
  ctx.state.messages[conversation.id] = [];
  return ok({ channel: a.return_im ? conversationView(ctx, conversation) : { id: conversation.id } });
}

/**
 * conversations.history: top-level messages (thread broadcasts included), newest first, within latest and oldest
 * (exclusive unless inclusive), `limit` a page. The cursor names the last message sent, and the next page starts just
 * before it: a binary search on the ts-ordered list, so a page costs the same in a channel of any size.
 */
function conversationsHistory(ctx: Ctx) {
  const a = args(ctx);
  const conversation = findConversation(ctx, a.channel);
  requireReader(ctx, conversation);
  const messages = ctx.state.messages[conversation.id] ?? [];
  const limit = limitOf(a.limit, HISTORY_LIMIT);
  const inclusive = Boolean(a.inclusive);
  const { latest, oldest } = timeRange(a);
  let hi = messages.length;
  if (latest !== undefined) hi = inclusive ? upperBound(messages, latest) : lowerBound(messages, latest);
  const after = cursorKey('next_ts', a.cursor);
  if (after) hi = Math.min(hi, lowerBound(messages, tsMicros(after)));
  const lo = oldest === undefined ? 0 : inclusive ? lowerBound(messages, oldest) : upperBound(messages, oldest);
  const start = Math.max(lo, hi - limit);
  const page: SlackMessage[] = [];
  for (let i = hi - 1; i >= start; i--) page.push(copyJson(messages[i]));
  const hasMore = start > lo;
  return ok({
    messages: page,
    has_more: hasMore,
    pin_count: ctx.state.pins[conversation.id]?.length ?? 0,
    ...(hasMore ? { response_metadata: { next_cursor: nextCursor('next_ts', page[page.length - 1].ts) } } : {}),
  });
}

/** conversations.replies: a thread (found by its parent's ts or any reply's), the parent first, then replies oldest first. */
function conversationsReplies(ctx: Ctx) {
  const a = args(ctx);
  const conversation = findConversation(ctx, a.channel);
  requireReader(ctx, conversation);
  // "Value for thread_ts was missing or invalid" covers a ts that is not one too (api.slack.com/methods/channels.replies).
  const found = isTs(a.ts) ? findMessage(ctx.state, conversation.id, a.ts) : undefined;
  if (!found) throw new SlackError('thread_not_found');
  const root = found.parent ?? found.message;
  const replies = ctx.state.replies[conversation.id]?.[root.ts] ?? [];
  const limit = limitOf(a.limit, REPLIES_LIMIT);
  const inclusive = Boolean(a.inclusive);
  const { latest, oldest } = timeRange(a);
  const after = cursorKey('next_ts', a.cursor);
  let start = oldest === undefined ? 0 : inclusive ? lowerBound(replies, oldest) : upperBound(replies, oldest);
  if (after) start = Math.max(start, upperBound(replies, tsMicros(after)));
  const end = latest === undefined ? replies.length : inclusive ? upperBound(replies, latest) : lowerBound(replies, latest);
  const page: SlackMessage[] = after ? [] : [copyJson(root)];
  const stop = Math.min(end, start + limit - page.length);
  for (let i = start; i < stop; i++) page.push(copyJson(replies[i]));
  const hasMore = stop < end;
  return ok({ messages: page, has_more: hasMore, ...(hasMore ? { response_metadata: { next_cursor: nextCursor('next_ts', page[page.length - 1].ts) } } : { response_metadata: { next_cursor: '' } }) });
}

/** conversations.members: member user ids, cursor-paged (100 by default). */
function conversationsMembers(ctx: Ctx) {
  const a = args(ctx);
  const conversation = findConversation(ctx, a.channel);
  requireScope(ctx, typeOf(conversation), 'read');
  const { page, next_cursor } = cursorSlice(ctx.state.members[conversation.id] ?? [], (id) => id, 'user', a.cursor, pageLimit(a.limit, 100));
  return ok({ members: page, response_metadata: { next_cursor } });
}

/** conversations.mark: moves the caller's read cursor to a ts. */
function conversationsMark(ctx: Ctx) {
  const a = args(ctx);
  const conversation = findConversation(ctx, a.channel);
  requireScope(ctx, typeOf(conversation), 'write');
  if (!isMember(ctx.state, conversation.id, callerId(ctx))) throw new SlackError('not_in_channel');
  (ctx.state.lastRead[conversation.id] ??= {})[callerId(ctx)] = String(a.ts);
  return ok();
}

/** conversations.* methods. */
export const conversationHandlers = slackMethods({
  conversationsList,
  conversationsInfo,
  conversationsCreate,
  conversationsJoin,
  conversationsLeave,
  conversationsInvite,
  conversationsKick,
  conversationsArchive,
  conversationsUnarchive,
  conversationsRename,
  conversationsSetTopic: setAbout('topic'),
  conversationsSetPurpose: setAbout('purpose'),
  conversationsOpen,
  conversationsHistory,
  conversationsReplies,
  conversationsMembers,
  conversationsMark,
}) satisfies SlackHandlers;
