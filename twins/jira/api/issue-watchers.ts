import { JiraError, badRequest } from '../errors.js';
import { api } from '../model/format.js';
import { requireIssue } from '../model/issues.js';
import { userJson } from '../model/users.js';
import type { JiraHandlers } from '../types.js';

/** Issue watchers: list, add (the body is an accountId as a JSON string; the caller without one), remove. */
export const watcherHandlers = {
  getIssueWatchers(ctx) {
    const issue = requireIssue(ctx, ctx.params.issueIdOrKey);
    return {
      body: {
        self: `${api(ctx)}/issue/${issue.key}/watchers`,
        isWatching: issue.watcherIds.includes(ctx.auth.accountId),
        watchCount: issue.watcherIds.length,
        watchers: issue.watcherIds.map((id) => userJson(ctx, ctx.state.users[id])),
      },
    };
  },

  addWatcher(ctx) {
    const issue = requireIssue(ctx, ctx.params.issueIdOrKey);
    const accountId = typeof ctx.body === 'string' ? ctx.body : ctx.auth.accountId;
    if (!ctx.state.users[accountId]) throw badRequest(`The user "${accountId}" does not have permission to view this issue. This user will not be added to the watch list.`);
    if (!issue.watcherIds.includes(accountId)) issue.watcherIds.push(accountId);
    return { status: 204 };
  },

  removeWatcher(ctx) {
    const issue = requireIssue(ctx, ctx.params.issueIdOrKey);
    const accountId = ctx.query.accountId;
    if (!accountId) throw badRequest('accountId must be provided.');
    if (!ctx.state.users[accountId]) throw new JiraError(404, { messages: ['Specified user does not exist or you do not have required permissions'] });
    issue.watcherIds = issue.watcherIds.filter((id) => id !== accountId);
    return { status: 204 };
  },
} satisfies JiraHandlers;
