import { copyJson } from '../../../src/index.js';
import { SlackError } from '../errors.js';
import type { Ctx, SlackUser } from '../types.js';

/**
 * A user as users.info returns it; with include_locale, their locale too.
 *
 * @example
 * return ok({ user: userView(user, true) });
 */
export function userView(user: SlackUser, includeLocale = false): Record<string, unknown> {
  const view: Record<string, unknown> = copyJson(user);
  if (includeLocale) view.locale = 'en-US';
  return view;
}

/**
 * A user of the workspace by id; user_not_found otherwise.
 *
 * @example
 * const user = findUser(ctx, args(ctx).user);
 */
export function findUser(ctx: Ctx, id: unknown): SlackUser {
  const user = typeof id === 'string' && Object.hasOwn(ctx.state.users, id) ? ctx.state.users[id] : undefined;
  if (!user) throw new SlackError('user_not_found');
  return user;
}
