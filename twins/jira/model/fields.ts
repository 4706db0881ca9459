import type { AdfNode, JiraChangeItem, JiraIssue, JiraProject, RequestCtx } from '../types.js';
import { adfText, isAdfDocument } from './adf.js';

/** What an edit collects: field problems (Jira's `errors`), and the changelog items of what changed. */
export interface EditRecord {
  errors: Record<string, string>;
  items: JiraChangeItem[];
}

/**
 * A new, empty edit record. Its `errors` is keyed by field names a request chose, so it has no prototype: a field
 * named `constructor` or `__proto__` is then an error like any other, not a property every object already has.
 *
 * @example
 * const record = editRecord();
 * setField(ctx, issue, project, 'summary', 'New title', record);
 */
export function editRecord(): EditRecord {
  return { errors: Object.create(null) as Record<string, string>, items: [] };
}

const NOT_SETTABLE = (id: string) => `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
const NOT_ADF = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
const SUMMARY_MISSING = 'You must specify a summary of the issue.';

/** An id or name reference, as Jira takes them for issue types, priorities and resolutions: {id} or {name}. */
function byIdOrName<T extends { id: string; name: string }>(all: Record<string, T>, value: unknown, allowed?: string[]): T | undefined {
  const ref = value as { id?: unknown; name?: unknown } | null;
  if (!ref || typeof ref !== 'object') return undefined;
  const candidates = allowed ? allowed.map((id) => all[id]) : Object.values(all);
  if (ref.id !== undefined) return candidates.find((c) => c.id === String(ref.id));
  if (typeof ref.name === 'string') return candidates.find((c) => c.name.toLowerCase() === (ref.name as string).toLowerCase());
  return undefined;
}

/** The accountId a user reference names ({accountId} or {id}); null for an explicit null; undefined when it names none. */
function accountOf(value: unknown): string | null | undefined {
  if (value === null) return null;
  const ref = value as { accountId?: unknown; id?: unknown };
  if (!ref || typeof ref !== 'object') return undefined;
  const id = ref.accountId ?? ref.id;
  return typeof id === 'string' ? id : undefined;
}

const item = (field: string, fieldId: string, from: string | null, fromString: string | null, to: string | null, toString: string | null, fieldtype = 'jira'): JiraChangeItem => ({
  field,
  fieldtype,
  fieldId,
  from,
  fromString,
  to,
  toString,
});

/**
 * Finds an issue by id or key, or undefined.
 *
 * @example
 * findIssue(ctx, 'TWIN-1')?.id;
 */
export function findIssue(ctx: RequestCtx, idOrKey: string): JiraIssue | undefined {
  const id = /^\d+$/.test(idOrKey) ? idOrKey : ctx.state.issueKeys[idOrKey.toUpperCase()];
  return id === undefined ? undefined : ctx.state.issues[id];
}

/**
 * Sets one field of an issue from a request's value (`fields` of a create or edit, or a `set` operation), checking
 * it as Jira's create and edit screens do; a problem goes to `record.errors` under the field's id, a change to the
 * changelog items (a create ignores them: Jira's changelog starts after the create).
 *
 * @example
 * setField(ctx, issue, project, 'summary', 'New title', record);
 */
export function setField(ctx: RequestCtx, issue: JiraIssue, project: JiraProject, id: string, value: unknown, record: EditRecord): void {
  const { state } = ctx;
  const fail = (message: string) => void (record.errors[id] ??= message);
  switch (id) {
    case 'summary': {
      if (typeof value !== 'string' || value.trim() === '') return fail(SUMMARY_MISSING);
      if (value.length > 255) return fail('Summary must be less than 255 characters.');
      if (value !== issue.summary) record.items.push(item('summary', 'summary', null, issue.summary || null, null, value));
      issue.summary = value;
      return;
    }
    case 'description': {
      if (value !== null && !isAdfDocument(value)) return fail(NOT_ADF);
      const text = (doc: AdfNode | null) => (doc ? adfText(doc) : null);
      if (JSON.stringify(value) !== JSON.stringify(issue.description)) record.items.push(item('description', 'description', null, text(issue.description), null, text(value as AdfNode | null)));
      issue.description = value as AdfNode | null;
      return;
    }
    case 'issuetype': {
      const type = byIdOrName(state.issueTypes, value, project.issueTypeIds);
      if (!type) return fail(value && typeof value === 'object' ? 'The issue type selected is invalid.' : 'Specify an issue type');
      if (issue.issueTypeId && state.issueTypes[issue.issueTypeId].subtask !== type.subtask) return fail('The issue type selected is invalid.');
      if (issue.issueTypeId && issue.issueTypeId !== type.id) record.items.push(item('issuetype', 'issuetype', issue.issueTypeId, state.issueTypes[issue.issueTypeId].name, type.id, type.name));
      issue.issueTypeId = type.id;
      return;
    }
    case 'priority': {
      const priority = byIdOrName(state.priorities, value);
      if (!priority) return fail('The priority selected is invalid.');
      if (issue.priorityId && priority.id !== issue.priorityId) record.items.push(item('priority', 'priority', issue.priorityId, state.priorities[issue.priorityId].name, priority.id, priority.name));
      issue.priorityId = priority.id;
      return;
    }
    case 'assignee':
    case 'reporter': {
      const accountId = accountOf(value);
      if (accountId === undefined || (accountId !== null && !state.users[accountId])) return fail(`User '${(value as { accountId?: string })?.accountId ?? String(value)}' does not exist.`);
      if (id === 'reporter' && accountId === null) return fail('Reporter is required.');
      const current = id === 'assignee' ? issue.assigneeId : issue.reporterId;
      const name = (a: string | null) => (a ? state.users[a].displayName : null);
      if (current !== accountId) record.items.push(item(id, id, current, name(current), accountId, name(accountId)));
      if (id === 'assignee') issue.assigneeId = accountId;
      else issue.reporterId = accountId as string;
      return;
    }
    case 'labels': {
      if (!Array.isArray(value) || value.some((l) => typeof l !== 'string')) return fail('The labels field must be a list of strings.');
      const bad = (value as string[]).find((l) => /\s/.test(l) || l === '');
      if (bad !== undefined) return fail(`The label '${bad}' contains spaces which is invalid.`);
      setLabels(issue, [...new Set(value as string[])], record);
      return;
    }
    case 'duedate': {
      if (value !== null && (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))) return fail(`Error parsing date string: ${String(value)}`);
      if (value !== issue.duedate) record.items.push(item('duedate', 'duedate', issue.duedate, issue.duedate, value as string | null, value as string | null));
      issue.duedate = value as string | null;
      return;
    }
    case 'parent': {
      const ref = value as { key?: unknown; id?: unknown } | null;
      const parent = ref && typeof ref === 'object' ? findIssue(ctx, String(ref.key ?? ref.id ?? '')) : undefined;
      if (!parent) return fail('Could not find issue by id or key.');
      const childLevel = state.issueTypes[issue.issueTypeId]?.hierarchyLevel ?? 0;
      if (parent.projectId !== project.id || state.issueTypes[parent.issueTypeId].hierarchyLevel !== childLevel + 1 || parent.id === issue.id) {
        return fail('Given parent work item does not belong to appropriate hierarchy.');
      }
      if (issue.parentId !== parent.id) record.items.push(item('IssueParentAssociation', 'parent', issue.parentId, issue.parentId && state.issues[issue.parentId]?.key, parent.id, parent.key));
      issue.parentId = parent.id;
      return;
    }
    default: {
      const custom = state.customFields[id];
      if (!custom) return fail(NOT_SETTABLE(id));
      if (value !== null) {
        if (custom.type === 'number' && typeof value !== 'number') return fail('Operation value must be a number');
        if (custom.type === 'string' && (typeof value !== 'string' || value.length > 255)) return fail('Operation value must be a string');
        if (custom.type === 'doc' && !isAdfDocument(value)) return fail(NOT_ADF);
      }
      const old = issue.custom[id] ?? null;
      const show = (v: unknown) => (v === null ? null : custom.type === 'doc' ? adfText(v as AdfNode) : String(v));
      if (JSON.stringify(old) !== JSON.stringify(value)) record.items.push(item(custom.name, id, null, show(old), null, show(value), 'custom'));
      if (value === null) delete issue.custom[id];
      else issue.custom[id] = value;
    }
  }
}

/**
 * Replaces an issue's labels, recording the change as Jira does (space-separated lists).
 *
 * @example
 * setLabels(issue, [...issue.labels, 'triaged'], record);
 */
export function setLabels(issue: JiraIssue, labels: string[], record: EditRecord): void {
  if (labels.join(' ') !== issue.labels.join(' ')) record.items.push(item('labels', 'labels', null, issue.labels.join(' ') || null, null, labels.join(' ') || null));
  issue.labels = labels;
}

/**
 * The system fields a create or edit may set (custom fields are settable too; the rest are Jira's to set).
 *
 * @example
 * if (!SETTABLE_SYSTEM_FIELDS.has(id) && !ctx.state.customFields[id]) errors[id] = `Field '${id}' cannot be set. ...`;
 */
export const SETTABLE_SYSTEM_FIELDS = new Set(['summary', 'description', 'issuetype', 'priority', 'assignee', 'reporter', 'labels', 'duedate', 'parent']);

/**
 * Applies an `update` object's operations (`{"labels": [{"add": "x"}, {"remove": "y"}], "summary": [{"set": "z"}]}`):
 * `set` on any settable field, `add` and `remove` on labels.
 *
 * @example
 * applyUpdate(ctx, issue, project, { labels: [{ add: 'triaged' }] }, record);
 */
export function applyUpdate(ctx: RequestCtx, issue: JiraIssue, project: JiraProject, update: Record<string, unknown>, record: EditRecord): void {
  for (const [id, operations] of Object.entries(update)) {
    if (!Array.isArray(operations)) {
      record.errors[id] ??= `Field '${id}' update must be a list of operations.`;
      continue;
    }
    for (const operation of operations as Record<string, unknown>[]) {
      const [verb] = Object.keys(operation ?? {});
      const value = operation?.[verb];
      if (verb === 'set') setField(ctx, issue, project, id, value, record);
      else if (id === 'labels' && (verb === 'add' || verb === 'remove') && typeof value === 'string') {
        if (verb === 'add' && /\s/.test(value)) record.errors.labels ??= `The label '${value}' contains spaces which is invalid.`;
        else setLabels(issue, verb === 'add' ? [...new Set([...issue.labels, value])] : issue.labels.filter((l) => l !== value), record);
      } else record.errors[id] ??= SETTABLE_SYSTEM_FIELDS.has(id) || ctx.state.customFields[id] ? `Field '${id}' does not support the '${verb}' operation.` : NOT_SETTABLE(id);
    }
  }
}
