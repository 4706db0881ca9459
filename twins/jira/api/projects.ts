import { fieldErrors } from '../errors.js';
import { api } from '../model/format.js';
import { deleteIssue } from '../model/issues.js';
import { projectJson, requireProject } from '../model/projects.js';
import type { JiraHandlers, JiraProject } from '../types.js';

const TYPE_OF_TEMPLATE: [RegExp, JiraProject['projectTypeKey']][] = [
  [/greenhopper|software/i, 'software'],
  [/servicedesk|service-desk/i, 'service_desk'],
  [/business|core/i, 'business'],
];

/** Projects: list, search (paged), get, create and delete. */
export const projectHandlers = {
  getAllProjects: (ctx) => ({ body: Object.values(ctx.state.projects).map((p) => projectJson(ctx, p)) }),

  searchProjects(ctx) {
    const { query, keys, id, typeKey } = ctx.query;
    const needle = typeof query === 'string' ? query.toLowerCase() : undefined;
    let projects = Object.values(ctx.state.projects).filter(
      (p) =>
        (!needle || p.key.toLowerCase().includes(needle) || p.name.toLowerCase().includes(needle)) &&
        (!keys || (keys as string[]).map((k) => k.toUpperCase()).includes(p.key)) &&
        (!id || (id as number[]).map(String).includes(p.id)) &&
        (!typeKey || String(typeKey).split(',').includes(p.projectTypeKey)),
    );
    const order = String(ctx.query.orderBy ?? 'key');
    const by = order.replace(/^[-+]/, '') as 'key' | 'name' | 'id';
    const sign = order.startsWith('-') ? -1 : 1;
    projects = projects.sort((a, b) => (by === 'id' ? Number(a.id) - Number(b.id) : a[by].localeCompare(b[by])) * sign);
    const startAt = ctx.query.startAt ?? 0;
    const maxResults = Math.min(ctx.query.maxResults ?? 50, 100);
    const values = projects.slice(startAt, startAt + maxResults);
    const self = new URL(ctx.baseUrl + ctx.url.pathname + ctx.url.search);
    const isLast = startAt + values.length >= projects.length;
    const body: Record<string, unknown> = { self: self.toString(), maxResults, startAt, total: projects.length, isLast, values: values.map((p) => projectJson(ctx, p)) };
    if (!isLast) {
      self.searchParams.set('startAt', String(startAt + values.length));
      body.nextPage = self.toString();
    }
    return { body };
  },

  getProject: (ctx) => ({ body: projectJson(ctx, requireProject(ctx, ctx.params.projectIdOrKey)) }),

  createProject(ctx) {
    const body = ctx.body as Record<string, any>;
    const errors: Record<string, string> = {};
    const key = String(body.key);
    const projects = Object.values(ctx.state.projects);
    // The key rules of CreateProjectDetails.key: an uppercase letter, then uppercase letters or digits, at most 10.
    if (!/^[A-Z][A-Z0-9]+$/.test(key)) errors.projectKey = 'Project keys must start with an uppercase letter, followed by one or more uppercase alphanumeric characters.';
    else if (key.length > 10) errors.projectKey = 'The project key must not exceed 10 characters in length.';
    else {
      const taken = projects.find((p) => p.key === key);
      if (taken) errors.projectKey = `Project '${taken.name}' uses this project key.`;
    }
    const name = String(body.name).trim();
    if (!name) errors.projectName = 'You must specify a valid project name.';
    else if (name.length > 80) errors.projectName = 'The project name must not exceed 80 characters in length.';
    else if (projects.some((p) => p.name.toLowerCase() === name.toLowerCase())) errors.projectName = 'A project with that name already exists.';
    if (!body.leadAccountId || !ctx.state.users[body.leadAccountId]) errors.projectLead = 'You must specify a valid project lead.';
    const template = typeof body.projectTemplateKey === 'string' ? body.projectTemplateKey : '';
    const typeKey: JiraProject['projectTypeKey'] | undefined = body.projectTypeKey ?? TYPE_OF_TEMPLATE.find(([pattern]) => pattern.test(template))?.[1];
    if (!typeKey) errors.projectTypeKey = 'A project type must be specified.';
    if (Object.keys(errors).length) throw fieldErrors(errors);
    // A new project gets the site's issue type scheme and workflow: those of the oldest project.
    const seedProject = Object.values(ctx.state.projects)[0];
    const project: JiraProject = {
      id: String(ctx.ids.sequence('project', 10001)),
      key,
      name,
      description: typeof body.description === 'string' ? body.description : '',
      leadAccountId: body.leadAccountId,
      projectTypeKey: typeKey as JiraProject['projectTypeKey'],
      simplified: false,
      issueTypeIds: seedProject ? [...seedProject.issueTypeIds] : Object.keys(ctx.state.issueTypes),
      statusIds: seedProject ? [...seedProject.statusIds] : Object.keys(ctx.state.statuses),
      lastIssueNumber: 0,
    };
    ctx.state.projects[project.id] = project;
    const boardType = /scrum/i.test(template) ? 'scrum' : /kanban/i.test(template) ? 'kanban' : undefined;
    if (project.projectTypeKey === 'software' && boardType) {
      const id = ctx.ids.sequence('board', 2);
      ctx.state.boards[String(id)] = { id, name: `${key} board`, type: boardType, projectId: project.id };
    }
    return { status: 201, body: { self: `${api(ctx)}/project/${project.id}`, id: Number(project.id), key } };
  },

  deleteProject(ctx) {
    const project = requireProject(ctx, ctx.params.projectIdOrKey);
    for (const issue of Object.values(ctx.state.issues)) if (issue.projectId === project.id && ctx.state.issues[issue.id]) deleteIssue(ctx, issue, true);
    for (const board of Object.values(ctx.state.boards)) {
      if (board.projectId !== project.id) continue;
      for (const sprint of Object.values(ctx.state.sprints)) if (sprint.originBoardId === board.id) delete ctx.state.sprints[String(sprint.id)];
      delete ctx.state.boards[String(board.id)];
    }
    delete ctx.state.projects[project.id];
    return { status: 204 };
  },
} satisfies JiraHandlers;
