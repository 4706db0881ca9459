import { allFields, issueTypeJson, priorityJson, STATUS_CATEGORIES, statusCategoryJson, statusJson } from '../model/meta.js';
import { offsetPage } from '../model/format.js';
import { requireProject } from '../model/projects.js';
import { JiraError } from '../errors.js';
import type { JiraHandlers } from '../types.js';

/** The operations every field of a create screen offers, by kind. */
const OPERATIONS: Record<string, string[]> = { labels: ['add', 'set', 'remove'], default: ['set'] };

/** Issue types, fields, statuses, status categories, priorities and create metadata. */
export const metadataHandlers = {
  getIssueAllTypes: (ctx) => ({ body: Object.values(ctx.state.issueTypes).map((t) => issueTypeJson(ctx, t)) }),

  getFields: (ctx) => ({ body: allFields(ctx).map((f) => ({ ...f, key: f.id })) }),

  getStatuses: (ctx) => ({ body: Object.values(ctx.state.statuses).map((s) => statusJson(ctx, s)) }),

  getStatusCategories: (ctx) => ({ body: (Object.keys(STATUS_CATEGORIES) as (keyof typeof STATUS_CATEGORIES)[]).map((key) => statusCategoryJson(ctx, key)) }),

  getPriorities: (ctx) => ({
    body: Object.values(ctx.state.priorities).map((p) => ({ ...priorityJson(ctx, p.id), statusColor: p.statusColor, description: p.description })),
  }),

  getCreateIssueMetaIssueTypes(ctx) {
    const project = requireProject(ctx, ctx.params.projectIdOrKey);
    const types = project.issueTypeIds.map((id) => issueTypeJson(ctx, ctx.state.issueTypes[id]));
    const { items, page } = offsetPage(types, ctx.query.startAt, ctx.query.maxResults, 200);
    return { body: { issueTypes: items, startAt: page.startAt, maxResults: page.maxResults, total: page.total } };
  },

  getCreateIssueMetaIssueTypeId(ctx) {
    const project = requireProject(ctx, ctx.params.projectIdOrKey);
    const type = project.issueTypeIds.includes(ctx.params.issueTypeId) ? ctx.state.issueTypes[ctx.params.issueTypeId] : undefined;
    if (!type) throw new JiraError(400, { messages: [`The issue type with id '${ctx.params.issueTypeId}' does not exist or is not valid for the project.`] });
    const screen = ['summary', 'issuetype', 'project', 'description', 'reporter', 'assignee', 'priority', 'labels', 'duedate', ...(type.hierarchyLevel < 1 ? ['parent'] : []), ...Object.keys(ctx.state.customFields)];
    const required = new Set(['summary', 'issuetype', 'project', 'reporter', ...(type.subtask ? ['parent'] : [])]);
    const byId = new Map(allFields(ctx).map((f) => [f.id, f]));
    const fields = screen.map((id) => {
      const field = byId.get(id)!;
      const meta: Record<string, unknown> = { required: required.has(id), schema: field.schema, name: field.name, key: id, hasDefaultValue: id === 'priority' || id === 'reporter', operations: OPERATIONS[id] ?? OPERATIONS.default, fieldId: id };
      if (id === 'issuetype') meta.allowedValues = [issueTypeJson(ctx, type)];
      if (id === 'priority') meta.allowedValues = Object.keys(ctx.state.priorities).map((p) => priorityJson(ctx, p));
      return meta;
    });
    const { items, page } = offsetPage(fields, ctx.query.startAt, ctx.query.maxResults, 200);
    return { body: { fields: items, startAt: page.startAt, maxResults: page.maxResults, total: page.total } };
  },
} satisfies JiraHandlers;
