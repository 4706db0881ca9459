import { JiraError, badRequest, fieldErrors } from '../errors.js';
import type { JiraBoard, JiraIssue, JiraSprint, RequestCtx } from '../types.js';
import { agileApi, api } from './format.js';
import { findIssue } from './fields.js';

/**
 * A board by id, or the Agile API's 404.
 *
 * @example
 * const board = requireBoard(ctx, ctx.params.boardId);
 */
export function requireBoard(ctx: RequestCtx, id: number | string): JiraBoard {
  const board = ctx.state.boards[String(id)];
  if (!board) throw new JiraError(404, { messages: ['Board does not exist or you do not have permission to see it.'] });
  return board;
}

/**
 * A sprint by id, or the Agile API's 404.
 *
 * @example
 * const sprint = requireSprint(ctx, ctx.params.sprintId);
 */
export function requireSprint(ctx: RequestCtx, id: number | string): JiraSprint {
  const sprint = ctx.state.sprints[String(id)];
  if (!sprint) throw new JiraError(404, { messages: [`Sprint with id ${id} does not exist or you do not have permission to see it.`] });
  return sprint;
}

/**
 * A board as the Agile API returns it, with its location (the project it shows).
 *
 * @example
 * boardJson(ctx, board).location.projectKey; // 'TWIN'
 */
export function boardJson(ctx: RequestCtx, board: JiraBoard): Record<string, unknown> {
  const project = ctx.state.projects[board.projectId];
  return {
    id: board.id,
    self: `${agileApi(ctx)}/board/${board.id}`,
    name: board.name,
    type: board.type,
    location: project
      ? {
          projectId: Number(project.id),
          displayName: `${project.name} (${project.key})`,
          projectName: project.name,
          projectKey: project.key,
          projectTypeKey: project.projectTypeKey,
          avatarURI: `${api(ctx)}/universal_avatar/view/type/project/avatar/10400?size=small`,
          name: `${project.name} (${project.key})`,
        }
      : {},
    isPrivate: false,
  };
}

/** An instant of a sprint's dates as the Agile API writes them (ISO-8601 in UTC); a value that is no instant is a 400. */
function sprintDate(field: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw fieldErrors({ [field]: `Invalid date format. Please enter the date in the format "yyyy-MM-dd'T'HH:mm:ss.SSSZ".` });
  return new Date(ms).toISOString();
}

/**
 * Applies a sprint update: a full one (PUT, fields left out become empty) or a partial one (POST). The state moves
 * only forward, future → active → closed; starting needs a start and end date; closing sets the completion date and
 * sends the sprint's unfinished issues back to the backlog; a closed sprint takes no change.
 *
 * @example
 * updateSprint(ctx, sprint, { state: 'active', startDate: '2026-01-01T00:00:00Z', endDate: '2026-01-15T00:00:00Z' }, true);
 */
export function updateSprint(ctx: RequestCtx, sprint: JiraSprint, body: Record<string, unknown>, partial: boolean): void {
  if (sprint.state === 'closed') throw badRequest('Cannot update a closed sprint.');
  const has = (key: string) => Object.hasOwn(body, key);
  if ('completeDate' in body && body.completeDate !== undefined && body.completeDate !== null && body.completeDate !== sprint.completeDate) {
    throw fieldErrors({ completeDate: 'The complete date of a sprint cannot be set: it is set when the sprint is completed.' });
  }
  const name = has('name') ? String(body.name ?? '').trim() : partial ? sprint.name : '';
  if (!name) throw fieldErrors({ name: 'The sprint name cannot be empty.' });
  if (name.length > 30) throw fieldErrors({ name: 'The sprint name must not exceed 30 characters.' });
  const startDate = has('startDate') ? sprintDate('startDate', body.startDate) : partial ? sprint.startDate : null;
  const endDate = has('endDate') ? sprintDate('endDate', body.endDate) : partial ? sprint.endDate : null;
  const target = (has('state') ? body.state : sprint.state) as JiraSprint['state'];
  if (!['future', 'active', 'closed'].includes(target)) throw fieldErrors({ state: `The sprint state '${String(target)}' is not valid.` });
  const order = { future: 0, active: 1, closed: 2 };
  if (order[target] < order[sprint.state] || order[target] - order[sprint.state] > 1) {
    throw badRequest(`A sprint cannot move from state '${sprint.state}' to '${target}'.`);
  }
  if (target === 'active' && (!startDate || !endDate)) throw badRequest('A sprint must have a start date and an end date to start.');
  if (startDate && endDate && Date.parse(endDate) < Date.parse(startDate)) throw fieldErrors({ endDate: 'The end date must be after the start date.' });
  sprint.name = name;
  sprint.startDate = startDate;
  sprint.endDate = endDate;
  if (has('goal') || !partial) sprint.goal = String(body.goal ?? '');
  if (target === 'closed' && sprint.state === 'active') {
    sprint.completeDate = ctx.clock.now().toISOString();
    for (const issue of Object.values(ctx.state.issues)) {
      if (issue.sprintId !== sprint.id) continue;
      issue.sprintId = null;
      if (ctx.state.statuses[issue.statusId].categoryKey === 'done') issue.closedSprintIds.push(sprint.id);
    }
  }
  sprint.state = target;
}

/**
 * The issues named in a move request (`{"issues": ["TWIN-1", "10001"]}`), at most 50, each known; otherwise the 400
 * the Agile API answers.
 *
 * @example
 * for (const issue of issuesToMove(ctx, ctx.body.issues)) issue.sprintId = sprint.id;
 */
export function issuesToMove(ctx: RequestCtx, keys: unknown): JiraIssue[] {
  if (!Array.isArray(keys) || keys.length === 0) throw fieldErrors({ issues: 'At least one issue must be given.' });
  if (keys.length > 50) throw badRequest('No more than 50 issues can be moved in one call.');
  return keys.map((key) => {
    const issue = findIssue(ctx, String(key));
    if (!issue) throw badRequest(`Issue '${String(key)}' does not exist or you do not have permission to see it.`);
    return issue;
  });
}
