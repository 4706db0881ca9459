import { JiraError } from '../errors.js';
import type { JiraUser, RequestCtx } from '../types.js';
import { api } from './format.js';

const AVATAR_SIZES = ['16x16', '24x24', '32x32', '48x48'] as const;

/** Avatar URLs as Jira Cloud gives them for a user without a picture: initials on Atlassian's avatar service. */
function avatarUrls(user: JiraUser): Record<string, string> {
  const initials = user.displayName.split(/\s+/).map((w) => w[0] ?? '').join('').slice(0, 2).toUpperCase() || 'U';
  return Object.fromEntries(AVATAR_SIZES.map((size) => {
    const px = size.split('x')[0];
    return [size, `https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/initials/${initials}-5.png?size=${px}&s=${px}`];
  }));
}

/**
 * A user as Jira returns it: the short form nested in issues and comments, or the full one of /myself and /user
 * (with locale, groups and application roles). `self` encodes the accountId's colon, as Jira's links do.
 *
 * @example
 * userJson(ctx, user); // { self, accountId, emailAddress, avatarUrls, displayName, active, timeZone, accountType }
 */
export function userJson(ctx: RequestCtx, user: JiraUser, full = false): Record<string, unknown> {
  const short = {
    self: `${api(ctx)}/user?accountId=${encodeURIComponent(user.accountId)}`,
    accountId: user.accountId,
    emailAddress: user.emailAddress,
    avatarUrls: avatarUrls(user),
    displayName: user.displayName,
    active: user.active,
    timeZone: user.timeZone,
    accountType: user.accountType,
  };
  if (!full) return short;
  return { ...short, locale: user.locale, groups: { size: 1, items: [] }, applicationRoles: { size: 1, items: [] }, expand: 'groups,applicationRoles' };
}

/**
 * The short user JSON of an accountId, or null for none (an unassigned issue).
 *
 * @example
 * fields.assignee = userRef(ctx, issue.assigneeId);
 */
export function userRef(ctx: RequestCtx, accountId: string | null): Record<string, unknown> | null {
  const user = accountId ? ctx.state.users[accountId] : undefined;
  return user ? userJson(ctx, user) : null;
}

/**
 * A user by accountId, or Jira's 404.
 *
 * @example
 * const user = requireUser(ctx, ctx.query.accountId);
 */
export function requireUser(ctx: RequestCtx, accountId: string): JiraUser {
  const user = ctx.state.users[accountId];
  if (!user) throw new JiraError(404, { messages: [`Specified user does not exist or you do not have required permissions`] });
  return user;
}
