import { SlackError } from '../errors.js';
import { args } from '../model/args.js';
import { conversationView, isMember, requestedTypes, typeOf } from '../model/conversations.js';
import { ok, slackMethods } from '../model/methods.js';
import { cursorSlice, pageLimit } from '../model/paging.js';
import { findUser, userView } from '../model/users.js';
import type { Ctx, SlackHandlers } from '../types.js';

/** users.list: every user, bots and deactivated ones included, in cursor pages (no limit: all at once). */
function usersList(ctx: Ctx) {
  const a = args(ctx);
  const { page, next_cursor } = cursorSlice(Object.values(ctx.state.users), (u) => u.id, 'user', a.cursor, a.limit ? pageLimit(a.limit, 0) : 0);
  return ok({ members: page.map((u) => userView(u, a.include_locale)), cache_ts: Math.floor(ctx.clock.nowMs() / 1000), response_metadata: { next_cursor } });
}

/** users.info: one user; user_not_found otherwise. */
function usersInfo(ctx: Ctx) {
  const a = args(ctx);
  return ok({ user: userView(findUser(ctx, a.user), a.include_locale) });
}

/** users.lookupByEmail: the user with that email; Slack answers users_not_found (plural) when none has it. */
function usersLookupByEmail(ctx: Ctx) {
  const email = String(args(ctx).email).toLowerCase();
  const user = Object.values(ctx.state.users).find((u) => !u.deleted && String(u.profile.email ?? '').toLowerCase() === email);
  if (!user) throw new SlackError('users_not_found');
  return ok({ user: userView(user) });
}

/** users.conversations: the conversations of the given types a user (the caller by default) is in, cursor-paged. */
function usersConversations(ctx: Ctx) {
  const a = args(ctx);
  const types = requestedTypes(ctx, a.types);
  const userId = a.user === undefined ? ctx.auth.token!.user_id : findUser(ctx, a.user).id;
  const caller = ctx.auth.token!.user_id;
  const matching = Object.values(ctx.state.conversations).filter(
    (c) => types.includes(typeOf(c)) && isMember(ctx.state, c.id, userId) && !(a.exclude_archived && c.is_archived) && (typeOf(c) === 'public_channel' || isMember(ctx.state, c.id, caller)),
  );
  const { page, next_cursor } = cursorSlice(matching, (c) => c.id, 'channel', a.cursor, pageLimit(a.limit, 100));
  return ok({ channels: page.map((c) => conversationView(ctx, c, false)), response_metadata: { next_cursor } });
}

/** users.* methods. */
export const userHandlers = slackMethods({ usersList, usersInfo, usersLookupByEmail, usersConversations }) satisfies SlackHandlers;
