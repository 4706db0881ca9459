import { copyJson } from '../../../src/index.js';
import { badRequest, fieldErrors, JiraError } from '../errors.js';
import { applyUpdate, editRecord, setField, SETTABLE_SYSTEM_FIELDS } from '../model/fields.js';
import { api, expansions, offsetPage } from '../model/format.js';
import { availableTransitions, createIssue, deleteIssue, historyJson, issueJson, pickFields, recordChanges, requireIssue, transitionIssue, transitionJson } from '../model/issues.js';
import type { Ctx, JiraHandlers, JiraIssue } from '../types.js';

const BULK_LIMIT = 50;

/** The short answer to a create: id, key and self. */
const created = (ctx: Ctx, issue: JiraIssue) => ({ id: issue.id, key: issue.key, self: `${api(ctx)}/issue/${issue.id}` });

/**
 * Applies `fields` and `update` (and, for a transition, its target) to a copy of the issue, so that a refused edit
 * changes nothing; the copy replaces the issue, and one changelog history records what changed.
 */
function edit(ctx: Ctx, issue: JiraIssue, body: Record<string, any>, transitionId?: string): JiraIssue {
  const draft = copyJson(issue);
  const project = ctx.state.projects[issue.projectId];
  const record = editRecord();
  const fields: Record<string, unknown> = { ...(body.fields ?? {}) };
  const update: Record<string, unknown> = body.update ?? {};
  const resolution = fields.resolution;
  delete fields.resolution;
  if (transitionId !== undefined) transitionIssue(ctx, draft, transitionId, record, resolution);
  else if (resolution !== undefined) record.errors.resolution = "Field 'resolution' cannot be set. It is not on the appropriate screen, or unknown.";
  for (const [id, value] of Object.entries(fields)) {
    if (Object.hasOwn(update, id)) record.errors[id] ??= `Field '${id}' cannot be set in both 'fields' and 'update'.`;
    else if (!SETTABLE_SYSTEM_FIELDS.has(id) && !ctx.state.customFields[id]) record.errors[id] ??= `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
    else setField(ctx, draft, project, id, value, record);
  }
  applyUpdate(ctx, draft, project, update, record);
  if (Object.keys(record.errors).length) throw fieldErrors(record.errors);
  recordChanges(ctx, draft, ctx.auth.accountId, record);
  ctx.state.issues[issue.id] = draft;
  return draft;
}

/** Issues: create (one or in bulk), get, edit, delete, assign, changelog and transitions. */
export const issueHandlers = {
  createIssue(ctx) {
    const body = ctx.body ?? {};
    const issue = createIssue(ctx, body, ctx.auth.accountId);
    if (!body.transition?.id) return { status: 201, body: created(ctx, issue) };
    // The issue exists whatever becomes of its transition: a refused one is reported beside it, as Jira does.
    try {
      edit(ctx, issue, {}, String(body.transition.id));
      return { status: 201, body: { ...created(ctx, issue), transition: { status: 200, errorCollection: { errorMessages: [], errors: {} } } } };
    } catch (error) {
      if (!(error instanceof JiraError)) throw error;
      return { status: 201, body: { ...created(ctx, issue), transition: { status: error.status, errorCollection: { errorMessages: error.messages, errors: error.errors } } } };
    }
  },

  createIssues(ctx) {
    const updates: Record<string, any>[] = ctx.body.issueUpdates;
    if (updates.length > BULK_LIMIT) throw badRequest(`The number of issues to create (${updates.length}) is more than the limit of ${BULK_LIMIT}.`);
    const issues: ReturnType<typeof created>[] = [];
    const errors: { status: number; elementErrors: { errorMessages: string[]; errors: Record<string, string> }; failedElementNumber: number }[] = [];
    updates.forEach((update, failedElementNumber) => {
      try {
        issues.push(created(ctx, createIssue(ctx, update, ctx.auth.accountId)));
      } catch (error) {
        if (!(error instanceof JiraError)) throw error;
        errors.push({ status: error.status, elementErrors: { errorMessages: error.messages, errors: error.errors }, failedElementNumber });
      }
    });
    return { status: issues.length === 0 && errors.length > 0 ? 400 : 201, body: { issues, errors } };
  },

  getIssue(ctx) {
    const issue = requireIssue(ctx, ctx.params.issueIdOrKey);
    return { body: issueJson(ctx, issue, { fields: pickFields(ctx, ctx.query.fields, ['*all']), expand: expansions(ctx.query.expand) }) };
  },

  editIssue(ctx) {
    const issue = edit(ctx, requireIssue(ctx, ctx.params.issueIdOrKey), ctx.body ?? {});
    if (!ctx.query.returnIssue) return { status: 204 };
    return { status: 200, body: issueJson(ctx, issue, { fields: pickFields(ctx, undefined, ['*all']), expand: expansions(ctx.query.expand) }) };
  },

  deleteIssue(ctx) {
    deleteIssue(ctx, requireIssue(ctx, ctx.params.issueIdOrKey), ctx.query.deleteSubtasks === true);
    return { status: 204 };
  },

  assignIssue(ctx) {
    const issue = requireIssue(ctx, ctx.params.issueIdOrKey);
    const accountId: string | null | undefined = ctx.body?.accountId;
    if (accountId === undefined) throw fieldErrors({ assignee: 'Specify an accountId, or null to unassign the issue.' });
    // "-1" asks for the project's default assignee: the twin's projects assign to nobody by default.
    edit(ctx, issue, { fields: { assignee: accountId === null || accountId === '-1' ? null : { accountId } } });
    return { status: 204 };
  },

  getChangeLogs(ctx) {
    const issue = requireIssue(ctx, ctx.params.issueIdOrKey);
    const { items, page } = offsetPage(issue.changelog, ctx.query.startAt, ctx.query.maxResults, 100);
    const self = new URL(ctx.baseUrl + ctx.url.pathname + ctx.url.search);
    const body: Record<string, unknown> = { self: self.toString(), maxResults: page.maxResults, startAt: page.startAt, total: page.total, isLast: page.isLast, values: items.map((h) => historyJson(ctx, h)) };
    if (!page.isLast) {
      self.searchParams.set('startAt', String(page.startAt + items.length));
      body.nextPage = self.toString();
    }
    return { body };
  },

  getTransitions(ctx) {
    const issue = requireIssue(ctx, ctx.params.issueIdOrKey);
    const only = ctx.query.transitionId;
    const transitions = availableTransitions(ctx, issue).filter((t) => only === undefined || t.id === only);
    return { body: { expand: 'transitions', transitions: transitions.map((t) => transitionJson(ctx, t)) } };
  },

  doTransition(ctx) {
    const issue = requireIssue(ctx, ctx.params.issueIdOrKey);
    const id = ctx.body?.transition?.id;
    if (id === undefined || id === null || id === '') throw badRequest("Missing 'transition' identifier");
    edit(ctx, issue, ctx.body, String(id));
    return { status: 204 };
  },
} satisfies JiraHandlers;
