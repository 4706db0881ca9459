import { fieldErrors } from '../errors.js';
import { isAdfDocument } from '../model/adf.js';
import { jiraTime, now, offsetPage, timeMs } from '../model/format.js';
import { requireIssue, worklogJson } from '../model/issues.js';
import type { JiraHandlers } from '../types.js';

// Jira's default time tracking: a day is 8 hours and a week 5 days.
const UNIT_SECONDS: Record<string, number> = { w: 5 * 8 * 3600, d: 8 * 3600, h: 3600, m: 60 };

/** Seconds of a duration written as Jira takes it ("3h 20m", "1d", "2w 1d"), or undefined when it is not one. */
function durationSeconds(text: string): number | undefined {
  if (!/^\s*(\d+(\.\d+)?\s*[wdhm]\s*)+$/.test(text)) return undefined;
  let seconds = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)\s*([wdhm])/g)) seconds += Number(n) * UNIT_SECONDS[unit];
  return Math.round(seconds);
}

/** Issue worklogs: list (paged) and add. */
export const worklogHandlers = {
  getIssueWorklog(ctx) {
    const issue = requireIssue(ctx, ctx.params.issueIdOrKey);
    const { items, page } = offsetPage(issue.worklogs, ctx.query.startAt, ctx.query.maxResults, 5000);
    return { body: { startAt: page.startAt, maxResults: page.maxResults, total: page.total, worklogs: items.map((w) => worklogJson(ctx, issue, w)) } };
  },

  addWorklog(ctx) {
    const issue = requireIssue(ctx, ctx.params.issueIdOrKey);
    const body = ctx.body as Record<string, any>;
    const seconds = typeof body.timeSpentSeconds === 'number' ? body.timeSpentSeconds : typeof body.timeSpent === 'string' ? durationSeconds(body.timeSpent) : undefined;
    if (body.timeSpent === undefined && body.timeSpentSeconds === undefined) throw fieldErrors({ timeLogged: 'You must indicate the time spent working.' });
    if (seconds === undefined || seconds <= 0) throw fieldErrors({ timeLogged: 'Invalid time duration entered.' });
    if (body.comment !== undefined && !isAdfDocument(body.comment)) throw fieldErrors({ comment: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' });
    const started = body.started === undefined ? now(ctx) : Number.isNaN(timeMs(String(body.started))) ? undefined : jiraTime(timeMs(String(body.started)));
    if (!started) throw fieldErrors({ started: 'Invalid date format. Please enter the date in the format "yyyy-MM-dd\'T\'HH:mm:ss.SSSZ".' });
    const stamp = now(ctx);
    const worklog = { id: String(ctx.ids.sequence('worklog', 10000)), authorId: ctx.auth.accountId, updateAuthorId: ctx.auth.accountId, comment: body.comment ?? null, started, timeSpentSeconds: seconds, created: stamp, updated: stamp };
    issue.worklogs.push(worklog);
    issue.updated = stamp;
    return { status: 201, body: worklogJson(ctx, issue, worklog) };
  },
} satisfies JiraHandlers;
