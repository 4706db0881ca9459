import { copyJson } from '../../../src/index.js';
import { badRequest, fieldErrors, issueNotFound } from '../errors.js';
import type { JiraAuth, JiraIssue, JiraProject, RequestCtx } from '../types.js';
import { adfHtml } from './adf.js';
import { applyUpdate, editRecord, findIssue, setField, SETTABLE_SYSTEM_FIELDS, type EditRecord } from './fields.js';
import { api, now } from './format.js';
import { allFields, issueTypeJson, priorityJson, statusJson } from './meta.js';
import { findProject, projectRef } from './projects.js';
import { userRef } from './users.js';

/** What an issue's JSON carries, beyond id, key and self. */
export interface IssueView {
  /** Field ids to include (`undefined`: none, as /search/jql answers by default). */
  fields: Set<string> | undefined;
  expand: Set<string>;
  /** Agile API answers add the issue's sprint fields. */
  agile?: boolean;
}

const ISSUE_EXPAND = 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations';

/**
 * An issue by id or key, or Jira's 404.
 *
 * @example
 * const issue = requireIssue(ctx, ctx.params.issueIdOrKey);
 */
export function requireIssue(ctx: RequestCtx, idOrKey: string): JiraIssue {
  const issue = findIssue(ctx, idOrKey);
  if (!issue) throw issueNotFound();
  return issue;
}

/**
 * The field ids a `fields` parameter picks (`*all`, `*navigable`, ids, names of custom fields, `-id` to leave one
 * out), given the endpoint's default when the parameter is absent. `id` alone picks no field.
 *
 * @example
 * pickFields(ctx, ['summary', 'status'], ['*all']); // Set { 'summary', 'status' }
 */
export function pickFields(ctx: RequestCtx, requested: unknown, fallback: string[]): Set<string> | undefined {
  const list = (Array.isArray(requested) ? requested : typeof requested === 'string' ? requested.split(',') : fallback).map((f: string) => f.trim()).filter(Boolean);
  const fields = allFields(ctx).filter((f) => f.id !== 'issuekey' && f.id !== 'statusCategory');
  const picked = new Set<string>();
  for (const name of list) {
    if (name === '*all') fields.forEach((f) => picked.add(f.id));
    else if (name === '*navigable') fields.filter((f) => f.navigable).forEach((f) => picked.add(f.id));
    else if (!name.startsWith('-') && fields.some((f) => f.id === name)) picked.add(name);
  }
  for (const name of list) if (name.startsWith('-')) picked.delete(name.slice(1));
  return picked.size === 0 ? undefined : picked;
}

/** The short form of an issue that subtasks, parents and links nest. */
function issueRef(ctx: RequestCtx, issue: JiraIssue): Record<string, unknown> {
  return {
    id: issue.id,
    key: issue.key,
    self: `${api(ctx)}/issue/${issue.id}`,
    fields: {
      summary: issue.summary,
      status: statusJson(ctx, ctx.state.statuses[issue.statusId]),
      priority: priorityJson(ctx, issue.priorityId),
      issuetype: issueTypeJson(ctx, ctx.state.issueTypes[issue.issueTypeId]),
    },
  };
}

/**
 * A comment as Jira returns it; `rendered` swaps the ADF body for its HTML (`expand=renderedBody`).
 *
 * @example
 * commentJson(ctx, issue, comment).body; // the ADF document
 */
export function commentJson(ctx: RequestCtx, issue: JiraIssue, comment: JiraIssue['comments'][number], rendered = false): Record<string, unknown> {
  return {
    self: `${api(ctx)}/issue/${issue.id}/comment/${comment.id}`,
    id: comment.id,
    author: userRef(ctx, comment.authorId),
    body: copyJson(comment.body),
    ...(rendered ? { renderedBody: adfHtml(comment.body) } : {}),
    updateAuthor: userRef(ctx, comment.updateAuthorId),
    created: comment.created,
    updated: comment.updated,
    ...(comment.visibility ? { visibility: copyJson(comment.visibility) } : {}),
    jsdPublic: true,
  };
}

/**
 * A worklog as Jira returns it (time spent both as seconds and as Jira's duration text).
 *
 * @example
 * worklogJson(ctx, issue, worklog).timeSpent; // '3h 20m'
 */
export function worklogJson(ctx: RequestCtx, issue: JiraIssue, worklog: JiraIssue['worklogs'][number]): Record<string, unknown> {
  return {
    self: `${api(ctx)}/issue/${issue.id}/worklog/${worklog.id}`,
    author: userRef(ctx, worklog.authorId),
    updateAuthor: userRef(ctx, worklog.updateAuthorId),
    ...(worklog.comment ? { comment: copyJson(worklog.comment) } : {}),
    created: worklog.created,
    updated: worklog.updated,
    started: worklog.started,
    timeSpent: durationText(worklog.timeSpentSeconds),
    timeSpentSeconds: worklog.timeSpentSeconds,
    id: worklog.id,
    issueId: issue.id,
  };
}

/**
 * Seconds as Jira writes a duration: weeks of 5 days and days of 8 hours (its default time tracking settings).
 *
 * @example
 * durationText(12000); // '3h 20m'
 */
export function durationText(seconds: number): string {
  const units: [string, number][] = [['w', 5 * 8 * 3600], ['d', 8 * 3600], ['h', 3600], ['m', 60]];
  const parts: string[] = [];
  let left = seconds;
  for (const [unit, size] of units) {
    const n = Math.floor(left / size);
    if (n > 0) parts.push(`${n}${unit}`);
    left -= n * size;
  }
  return parts.join(' ') || '0m';
}

/** An issue link as issues nest it: the other issue, on the side the link points. */
function issueLinksOf(ctx: RequestCtx, issue: JiraIssue): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const link of Object.values(ctx.state.links)) {
    if (link.inwardIssueId !== issue.id && link.outwardIssueId !== issue.id) continue;
    const type = ctx.state.linkTypes[link.typeId];
    const outward = link.inwardIssueId === issue.id;
    const other = ctx.state.issues[outward ? link.outwardIssueId : link.inwardIssueId];
    out.push({
      id: link.id,
      self: `${api(ctx)}/issueLink/${link.id}`,
      type: linkTypeJson(ctx, type),
      [outward ? 'outwardIssue' : 'inwardIssue']: issueRef(ctx, other),
    });
  }
  return out;
}

/**
 * An issue link type as Jira returns it.
 *
 * @example
 * linkTypeJson(ctx, ctx.state.linkTypes['10000']).outward; // 'blocks'
 */
export function linkTypeJson(ctx: RequestCtx, type: { id: string; name: string; inward: string; outward: string }): Record<string, unknown> {
  return { id: type.id, name: type.name, inward: type.inward, outward: type.outward, self: `${api(ctx)}/issueLinkType/${type.id}` };
}

/**
 * A sprint as the Agile API returns it (dates only once set).
 *
 * @example
 * sprintJson(ctx, sprint).state; // 'future'
 */
export function sprintJson(ctx: RequestCtx, sprint: RequestCtx['state']['sprints'][string]): Record<string, unknown> {
  return {
    id: sprint.id,
    self: `${ctx.baseUrl}/rest/agile/1.0/sprint/${sprint.id}`,
    state: sprint.state,
    name: sprint.name,
    ...(sprint.startDate ? { startDate: sprint.startDate } : {}),
    ...(sprint.endDate ? { endDate: sprint.endDate } : {}),
    ...(sprint.completeDate ? { completeDate: sprint.completeDate } : {}),
    createdDate: sprint.createdDate,
    originBoardId: sprint.originBoardId,
    goal: sprint.goal,
  };
}

/** The value of one field of an issue, as Jira renders it. */
function fieldValue(ctx: RequestCtx, issue: JiraIssue, id: string, children: () => JiraIssue[]): unknown {
  const { state } = ctx;
  switch (id) {
    case 'summary':
      return issue.summary;
    case 'description':
      return copyJson(issue.description);
    case 'issuetype':
      return issueTypeJson(ctx, state.issueTypes[issue.issueTypeId]);
    case 'project':
      return projectRef(ctx, state.projects[issue.projectId]);
    case 'status':
      return statusJson(ctx, state.statuses[issue.statusId]);
    case 'priority':
      return priorityJson(ctx, issue.priorityId);
    case 'assignee':
      return userRef(ctx, issue.assigneeId);
    case 'reporter':
      return userRef(ctx, issue.reporterId);
    case 'creator':
      return userRef(ctx, issue.creatorId);
    case 'labels':
      return [...issue.labels];
    case 'created':
      return issue.created;
    case 'updated':
      return issue.updated;
    case 'resolution': {
      const resolution = issue.resolutionId ? state.resolutions[issue.resolutionId] : undefined;
      return resolution ? { self: `${api(ctx)}/resolution/${resolution.id}`, ...resolution } : null;
    }
    case 'resolutiondate':
      return issue.resolutionDate;
    case 'statuscategorychangedate':
      return issue.statusCategoryChanged;
    case 'duedate':
      return issue.duedate;
    case 'parent':
      return issue.parentId && state.issues[issue.parentId] ? issueRef(ctx, state.issues[issue.parentId]) : undefined;
    case 'subtasks':
      return children().map((child) => issueRef(ctx, child));
    case 'issuelinks':
      return issueLinksOf(ctx, issue);
    case 'comment':
      return { comments: issue.comments.map((c) => commentJson(ctx, issue, c)), self: `${api(ctx)}/issue/${issue.id}/comment`, maxResults: issue.comments.length, total: issue.comments.length, startAt: 0 };
    case 'watches':
      return { self: `${api(ctx)}/issue/${issue.key}/watchers`, watchCount: issue.watcherIds.length, isWatching: issue.watcherIds.includes((ctx.auth as JiraAuth | undefined)?.accountId ?? '') };
    case 'worklog':
      return { startAt: 0, maxResults: 20, total: issue.worklogs.length, worklogs: issue.worklogs.slice(0, 20).map((w) => worklogJson(ctx, issue, w)) };
    default:
      return copyJson(issue.custom[id] ?? null);
  }
}

/**
 * The transitions an issue can take now: one to each other status of its project's workflow, named after its
 * target (a workflow where any status is reachable from any other, as Jira's simplified workflow allows).
 * Transition ids are 11, 21, 31... by the target's place in the workflow.
 *
 * @example
 * availableTransitions(ctx, issue).map((t) => t.name); // ['In Progress', 'Done'] from To Do
 */
export function availableTransitions(ctx: RequestCtx, issue: JiraIssue): { id: string; statusId: string }[] {
  const project = ctx.state.projects[issue.projectId];
  return project.statusIds.map((statusId, i) => ({ id: String((i + 1) * 10 + 1), statusId })).filter((t) => t.statusId !== issue.statusId);
}

/**
 * A transition as GET .../transitions lists it.
 *
 * @example
 * transitionJson(ctx, { id: '21', statusId: '10001' }).to.name; // 'In Progress'
 */
export function transitionJson(ctx: RequestCtx, transition: { id: string; statusId: string }): Record<string, any> {
  const status = ctx.state.statuses[transition.statusId];
  return { id: transition.id, name: status.name, to: statusJson(ctx, status), hasScreen: false, isGlobal: true, isInitial: false, isAvailable: true, isConditional: false, isLooped: false };
}

/**
 * An issue as Jira returns it: id, key, self, the fields the view picks, and the expansions asked for
 * (renderedFields, names, changelog, transitions).
 *
 * @example
 * issueJson(ctx, issue, { fields: pickFields(ctx, undefined, ['*all']), expand: new Set(['changelog']) });
 */
export function issueJson(ctx: RequestCtx, issue: JiraIssue, view: IssueView): Record<string, unknown> {
  const out: Record<string, unknown> = { expand: ISSUE_EXPAND, id: issue.id, self: `${api(ctx)}/issue/${issue.id}`, key: issue.key };
  let kids: JiraIssue[] | undefined;
  // `subtasks` lists subtask-type children only: an epic's stories name it as parent but are not its subtasks.
  const children = () => (kids ??= Object.values(ctx.state.issues).filter((i) => i.parentId === issue.id && ctx.state.issueTypes[i.issueTypeId].subtask));
  if (view.expand.has('renderedFields')) {
    const rendered: Record<string, unknown> = {};
    for (const id of view.fields ?? []) {
      if (id === 'description') rendered.description = issue.description ? adfHtml(issue.description) : null;
      else if (id === 'comment') rendered.comment = { comments: issue.comments.map((c) => ({ ...commentJson(ctx, issue, c), body: adfHtml(c.body) })), maxResults: issue.comments.length, total: issue.comments.length, startAt: 0 };
      else if (ctx.state.customFields[id]?.type === 'doc') rendered[id] = issue.custom[id] ? adfHtml(issue.custom[id] as never) : null;
      else rendered[id] = null;
    }
    out.renderedFields = rendered;
  }
  if (view.expand.has('names')) out.names = Object.fromEntries(allFields(ctx).filter((f) => view.fields?.has(f.id)).map((f) => [f.id, f.name]));
  if (view.fields) {
    const fields: Record<string, unknown> = {};
    for (const id of view.fields) {
      const value = fieldValue(ctx, issue, id, children);
      if (value !== undefined) fields[id] = value;
    }
    if (view.agile) {
      const sprint = issue.sprintId === null ? undefined : ctx.state.sprints[issue.sprintId];
      fields.sprint = sprint ? sprintJson(ctx, sprint) : null;
      fields.closedSprints = issue.closedSprintIds.map((id) => ctx.state.sprints[id]).filter(Boolean).map((s) => sprintJson(ctx, s));
      fields.flagged = false;
    }
    out.fields = fields;
  }
  if (view.expand.has('changelog')) out.changelog = { startAt: 0, maxResults: issue.changelog.length, total: issue.changelog.length, histories: issue.changelog.map((h) => historyJson(ctx, h)) };
  if (view.expand.has('transitions')) out.transitions = availableTransitions(ctx, issue).map((t) => transitionJson(ctx, t));
  return out;
}

/**
 * One changelog history as Jira returns it.
 *
 * @example
 * historyJson(ctx, issue.changelog[0]).items[0].field; // 'status'
 */
export function historyJson(ctx: RequestCtx, history: JiraIssue['changelog'][number]): Record<string, unknown> {
  return { id: history.id, author: userRef(ctx, history.authorId), created: history.created, items: copyJson(history.items) };
}

/**
 * Records one changelog history for the changes of an edit, and marks the issue updated; nothing when nothing changed.
 *
 * @example
 * recordChanges(ctx, issue, ctx.auth.accountId, record);
 */
export function recordChanges(ctx: RequestCtx, issue: JiraIssue, authorId: string, record: EditRecord): void {
  if (record.items.length === 0) return;
  const stamp = now(ctx);
  issue.updated = stamp;
  issue.changelog.push({ id: String(ctx.ids.sequence('changelog', 10000)), authorId, created: stamp, items: record.items });
}

/**
 * Moves an issue to another status by a transition id (what POST .../transitions and a create with `transition`
 * do): the status changes, the resolution is set when the issue enters a done status and cleared when it leaves
 * one, and the changes go into the changelog. An id not available from the current status is Jira's 400.
 *
 * @example
 * transitionIssue(ctx, issue, '31', ctx.auth.accountId, record);
 */
export function transitionIssue(ctx: RequestCtx, issue: JiraIssue, transitionId: string, record: EditRecord, resolution?: unknown): void {
  const transition = availableTransitions(ctx, issue).find((t) => t.id === transitionId);
  if (!transition) throw badRequest(`Transition id '${transitionId}' is not valid for this issue.`);
  const { state } = ctx;
  const from = state.statuses[issue.statusId];
  const to = state.statuses[transition.statusId];
  record.items.push({ field: 'status', fieldtype: 'jira', fieldId: 'status', from: from.id, fromString: from.name, to: to.id, toString: to.name });
  issue.statusId = to.id;
  const stamp = now(ctx);
  if (from.categoryKey !== to.categoryKey) issue.statusCategoryChanged = stamp;
  const resolutionId = to.categoryKey === 'done' ? resolutionOf(ctx, resolution) : null;
  if (resolutionId !== issue.resolutionId) {
    const name = (id: string | null) => (id ? state.resolutions[id].name : null);
    record.items.push({ field: 'resolution', fieldtype: 'jira', fieldId: 'resolution', from: issue.resolutionId, fromString: name(issue.resolutionId), to: resolutionId, toString: name(resolutionId) });
    issue.resolutionId = resolutionId;
    issue.resolutionDate = resolutionId ? stamp : null;
  }
}

/** The resolution a transition into done sets: the one its fields name, or the site's default. */
function resolutionOf(ctx: RequestCtx, value: unknown): string {
  if (value === undefined) return ctx.state.doneResolutionId;
  const ref = value as { id?: unknown; name?: unknown } | null;
  const found = Object.values(ctx.state.resolutions).find((r) => r.id === String(ref?.id) || (typeof ref?.name === 'string' && r.name.toLowerCase() === ref.name.toLowerCase()));
  if (!found) throw fieldErrors({ resolution: 'The resolution selected is invalid.' });
  return found.id;
}

/**
 * Creates an issue from a create request's `fields` and `update`, validated as Jira's create screen validates them:
 * every problem is reported at once, under its field, in Jira's 400. The key is the project's next number.
 *
 * @example
 * const issue = createIssue(ctx, { fields: { project: { key: 'TWIN' }, issuetype: { name: 'Task' }, summary: 'Hi' } }, accountId);
 */
export function createIssue(ctx: RequestCtx, body: { fields?: Record<string, unknown>; update?: Record<string, unknown> }, callerId: string): JiraIssue {
  const fields = body.fields ?? {};
  const record = editRecord();
  const { errors } = record;
  const projectRefValue = fields.project as { id?: unknown; key?: unknown } | undefined;
  const project = projectRefValue && typeof projectRefValue === 'object' ? findProject(ctx, String(projectRefValue.id ?? projectRefValue.key ?? '')) : undefined;
  if (!project) errors.project = 'Specify a valid project ID or key';
  if (fields.issuetype === undefined) errors.issuetype = 'Specify an issue type';
  if (fields.summary === undefined && !(body.update && 'summary' in body.update)) errors.summary = 'You must specify a summary of the issue.';
  const stamp = now(ctx);
  const draft: JiraIssue = {
    id: '',
    key: '',
    projectId: project?.id ?? '',
    issueTypeId: '',
    statusId: project?.statusIds[0] ?? '',
    priorityId: ctx.state.defaultPriorityId,
    summary: '',
    description: null,
    assigneeId: null,
    reporterId: callerId,
    creatorId: callerId,
    labels: [],
    created: stamp,
    updated: stamp,
    statusCategoryChanged: stamp,
    resolutionId: null,
    resolutionDate: null,
    duedate: null,
    parentId: null,
    custom: {},
    watcherIds: [callerId],
    sprintId: null,
    closedSprintIds: [],
    comments: [],
    worklogs: [],
    changelog: [],
  };
  if (project) {
    // The issue type first: whether a parent fits depends on it.
    if (fields.issuetype !== undefined) setField(ctx, draft, project, 'issuetype', fields.issuetype, record);
    for (const [id, value] of Object.entries(fields)) {
      if (id === 'project' || id === 'issuetype') continue;
      if (!SETTABLE_SYSTEM_FIELDS.has(id) && !ctx.state.customFields[id]) errors[id] ??= `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
      else setField(ctx, draft, project, id, value, record);
    }
    if (body.update) applyUpdate(ctx, draft, project, body.update, record);
    if (draft.issueTypeId && ctx.state.issueTypes[draft.issueTypeId].subtask && !draft.parentId) errors.parent ??= 'Given parent work item does not belong to appropriate hierarchy.';
  }
  if (Object.keys(errors).length) throw fieldErrors(errors);
  const target = project as JiraProject;
  target.lastIssueNumber += 1;
  draft.id = String(ctx.ids.sequence('issue', 10000));
  draft.key = `${target.key}-${target.lastIssueNumber}`;
  ctx.state.issues[draft.id] = draft;
  ctx.state.issueKeys[draft.key] = draft.id;
  return draft;
}

/**
 * Deletes an issue, its subtasks too when `withSubtasks`; an issue with subtasks otherwise is Jira's 400. Its links
 * go with it, and it leaves any sprint.
 *
 * @example
 * deleteIssue(ctx, issue, ctx.query.deleteSubtasks === true);
 */
export function deleteIssue(ctx: RequestCtx, issue: JiraIssue, withSubtasks: boolean): void {
  const subtasks = Object.values(ctx.state.issues).filter((i) => i.parentId === issue.id);
  const subtaskType = (i: JiraIssue) => ctx.state.issueTypes[i.issueTypeId].subtask;
  if (subtasks.some(subtaskType) && !withSubtasks) throw badRequest('Cannot delete an issue with subtasks. Set deleteSubtasks to true to delete the issue and its subtasks.');
  for (const child of subtasks) {
    if (subtaskType(child)) deleteIssue(ctx, child, true);
    else child.parentId = null;
  }
  for (const [id, link] of Object.entries(ctx.state.links)) if (link.inwardIssueId === issue.id || link.outwardIssueId === issue.id) delete ctx.state.links[id];
  delete ctx.state.issues[issue.id];
  delete ctx.state.issueKeys[issue.key];
}
