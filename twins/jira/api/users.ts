import { badRequest } from '../errors.js';
import { offsetPage } from '../model/format.js';
import { requireUser, userJson } from '../model/users.js';
import { requireIssue } from '../model/issues.js';
import { requireProject } from '../model/projects.js';
import type { Ctx, JiraHandlers, JiraUser } from '../types.js';

/** The users a `query` (the start of any word of the display name, or of the email address) or an `accountId` names; all without either. */
function matchingUsers(ctx: Ctx): JiraUser[] {
  const { query, accountId } = ctx.query;
  const needle = String(query ?? '').toLowerCase();
  return Object.values(ctx.state.users).filter((u) =>
    accountId !== undefined ? u.accountId === accountId : u.displayName.toLowerCase().split(/\s+/).some((w) => w.startsWith(needle)) || u.emailAddress.toLowerCase().startsWith(needle),
  );
}

/** Myself, Users and User search: the caller, one user, finding users. */
export const userHandlers = {
  getCurrentUser: (ctx) => ({ body: userJson(ctx, ctx.state.users[ctx.auth.accountId], true) }),

  getUser(ctx) {
    // Jira Cloud names users by accountId only; username and key were removed for privacy.
    if (!ctx.query.accountId) throw badRequest('The accountId query parameter needs to be provided');
    return { body: userJson(ctx, requireUser(ctx, ctx.query.accountId), true) };
  },

  findUsers(ctx) {
    if (ctx.query.query === undefined && ctx.query.accountId === undefined) throw badRequest("One of 'query' or 'accountId' parameters must be provided");
    return { body: offsetPage(matchingUsers(ctx), ctx.query.startAt, ctx.query.maxResults, 1000).items.map((u) => userJson(ctx, u)) };
  },

  findAssignableUsers(ctx) {
    const { project, issueKey } = ctx.query;
    if (project === undefined && issueKey === undefined) throw badRequest('The project key or an issue key must be provided.');
    if (issueKey !== undefined) requireIssue(ctx, issueKey);
    else requireProject(ctx, project);
    const users = matchingUsers(ctx).filter((u) => u.active);
    return { body: offsetPage(users, ctx.query.startAt, ctx.query.maxResults, 1000).items.map((u) => userJson(ctx, u)) };
  },

  getAllUsers: (ctx) => ({ body: offsetPage(Object.values(ctx.state.users), ctx.query.startAt, ctx.query.maxResults, 1000).items.map((u) => userJson(ctx, u)) }),
} satisfies JiraHandlers;
