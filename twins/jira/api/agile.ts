import { fieldErrors, JiraError } from '../errors.js';
import { boardJson, issuesToMove, requireBoard, requireSprint, updateSprint } from '../model/agile.js';
import { expansions, offsetPage } from '../model/format.js';
import { issueJson, pickFields, sprintJson } from '../model/issues.js';
import { findProject } from '../model/projects.js';
import { searchIssues } from '../model/search.js';
import type { Ctx, JiraHandlers, JiraIssue, JiraSprint } from '../types.js';

const AGILE_PAGE_LIMIT = 100;

/** A page of issues as the Agile API returns them: offset-paged, with a total, every field unless `fields` says otherwise. */
function issuePage(ctx: Ctx, within: (issue: JiraIssue) => boolean) {
  const found = searchIssues(ctx, ctx.query.jql, ctx.auth.accountId, { within, allowUnbounded: true });
  const { items, page } = offsetPage(found, ctx.query.startAt, ctx.query.maxResults, AGILE_PAGE_LIMIT);
  const view = { fields: pickFields(ctx, ctx.query.fields, ['*navigable']), expand: expansions(ctx.query.expand), agile: true };
  return { body: { expand: 'schema,names', startAt: page.startAt, maxResults: page.maxResults, total: page.total, issues: items.map((issue) => issueJson(ctx, issue, view)) } };
}

const inOpenSprint = (ctx: Ctx, issue: JiraIssue) => issue.sprintId !== null && ctx.state.sprints[String(issue.sprintId)]?.state !== 'closed';

/** Agile boards and their issues, backlog and sprints; sprints and moving issues between them and the backlog. */
export const agileHandlers = {
  getAllBoards(ctx) {
    const { type, name, projectKeyOrId } = ctx.query;
    const project = projectKeyOrId === undefined ? undefined : findProject(ctx, String(projectKeyOrId));
    if (projectKeyOrId !== undefined && !project) throw new JiraError(400, { messages: [`No project could be found with key or id '${projectKeyOrId}'.`] });
    const boards = Object.values(ctx.state.boards).filter(
      (b) => (!type || (type as string[]).includes(b.type)) && (!name || b.name.toLowerCase().includes(String(name).toLowerCase())) && (!project || b.projectId === project.id),
    );
    const { items, page } = offsetPage(boards, ctx.query.startAt, ctx.query.maxResults, 50);
    return { body: { maxResults: page.maxResults, startAt: page.startAt, total: page.total, isLast: page.isLast, values: items.map((b) => boardJson(ctx, b)) } };
  },

  getBoard: (ctx) => ({ body: boardJson(ctx, requireBoard(ctx, ctx.params.boardId)) }),

  getIssuesForBoard(ctx) {
    const board = requireBoard(ctx, ctx.params.boardId);
    return issuePage(ctx, (issue) => issue.projectId === board.projectId);
  },

  getIssuesForBacklog(ctx) {
    const board = requireBoard(ctx, ctx.params.boardId);
    return issuePage(ctx, (issue) => issue.projectId === board.projectId && !inOpenSprint(ctx, issue));
  },

  getAllSprints(ctx) {
    const board = requireBoard(ctx, ctx.params.boardId);
    if (board.type !== 'scrum') throw new JiraError(400, { messages: ['The board does not support sprints'] });
    const states = ctx.query.state as string[] | undefined;
    const sprints = Object.values(ctx.state.sprints).filter((s) => s.originBoardId === board.id && (!states || states.includes(s.state)));
    const { items, page } = offsetPage(sprints, ctx.query.startAt, ctx.query.maxResults, 50);
    return { body: { maxResults: page.maxResults, startAt: page.startAt, isLast: page.isLast, values: items.map((s) => sprintJson(ctx, s)) } };
  },

  createSprint(ctx) {
    const body = ctx.body as Record<string, any>;
    const board = requireBoard(ctx, body.originBoardId);
    if (board.type !== 'scrum') throw new JiraError(400, { messages: ['The board does not support sprints'] });
    const sprint: JiraSprint = {
      id: ctx.ids.sequence('sprint', 1),
      name: '',
      state: 'future',
      originBoardId: board.id,
      goal: '',
      createdDate: ctx.clock.now().toISOString(),
      startDate: null,
      endDate: null,
      completeDate: null,
    };
    updateSprint(ctx, sprint, { name: body.name, startDate: body.startDate, endDate: body.endDate, goal: body.goal }, true);
    ctx.state.sprints[String(sprint.id)] = sprint;
    return { status: 201, body: sprintJson(ctx, sprint) };
  },

  getSprint: (ctx) => ({ body: sprintJson(ctx, requireSprint(ctx, ctx.params.sprintId)) }),

  updateSprint(ctx) {
    const sprint = requireSprint(ctx, ctx.params.sprintId);
    updateSprint(ctx, sprint, ctx.body, false);
    return { body: sprintJson(ctx, sprint) };
  },

  partiallyUpdateSprint(ctx) {
    const sprint = requireSprint(ctx, ctx.params.sprintId);
    updateSprint(ctx, sprint, ctx.body, true);
    return { body: sprintJson(ctx, sprint) };
  },

  deleteSprint(ctx) {
    const sprint = requireSprint(ctx, ctx.params.sprintId);
    for (const issue of Object.values(ctx.state.issues)) {
      if (issue.sprintId === sprint.id) issue.sprintId = null;
      issue.closedSprintIds = issue.closedSprintIds.filter((id) => id !== sprint.id);
    }
    delete ctx.state.sprints[String(sprint.id)];
    return { status: 204 };
  },

  getIssuesForSprint(ctx) {
    const sprint = requireSprint(ctx, ctx.params.sprintId);
    return issuePage(ctx, (issue) => issue.sprintId === sprint.id || issue.closedSprintIds.includes(sprint.id));
  },

  moveIssuesToSprintAndRank(ctx) {
    const sprint = requireSprint(ctx, ctx.params.sprintId);
    if (sprint.state === 'closed') throw fieldErrors({ sprint: 'Issues can only be moved to an open or active sprint.' });
    for (const issue of issuesToMove(ctx, ctx.body?.issues)) issue.sprintId = sprint.id;
    return { status: 204 };
  },

  moveIssuesToBacklog(ctx) {
    for (const issue of issuesToMove(ctx, ctx.body?.issues)) issue.sprintId = null;
    return { status: 204 };
  },
} satisfies JiraHandlers;
