import type { Handler, OperationContext, RequestContext } from '../../src/index.js';
import type { JiraOperationId } from './operation-ids.js';

export type { JiraOperationId } from './operation-ids.js';

/** An Atlassian Document Format node (the v3 API's rich text: descriptions, comment bodies, worklog comments). */
export interface AdfNode {
  type: string;
  version?: number;
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: unknown[];
  content?: AdfNode[];
}

/**
 * The Jira twin's state: plain JSON, so it snapshots, exports and persists as is. Records hold what Jira keeps;
 * `self` links and nested objects are built per request from the base URL the client used.
 *
 * @example
 * const jira = createJiraTwin();
 * jira.state.projects['10000'].key; // 'TWIN'
 */
export interface JiraState {
  /** Twin settings a test may change: `legacySearch` brings back the removed /rest/api/3/search (startAt, total). */
  settings: { legacySearch: boolean };
  /** API tokens: Basic auth is the account's email and one of its tokens. */
  apiTokens: { email: string; token: string; accountId: string }[];
  /** Users by accountId. */
  users: Record<string, JiraUser>;
  /** Workflow statuses by id. */
  statuses: Record<string, JiraStatus>;
  /** Issue types by id. */
  issueTypes: Record<string, JiraIssueType>;
  /** Priorities by id; `defaultPriorityId` is the one a new issue gets. */
  priorities: Record<string, { id: string; name: string; description: string; statusColor: string }>;
  defaultPriorityId: string;
  /** Resolutions by id; moving an issue to a done status sets `doneResolutionId`. */
  resolutions: Record<string, { id: string; name: string; description: string }>;
  doneResolutionId: string;
  /** Custom fields by id (`customfield_10016`). */
  customFields: Record<string, JiraCustomField>;
  /** Projects by id. */
  projects: Record<string, JiraProject>;
  /** Issues by id, in creation order. */
  issues: Record<string, JiraIssue>;
  /** Issue key to id, for every key an issue has held. */
  issueKeys: Record<string, string>;
  /** Issue link types by id. */
  linkTypes: Record<string, { id: string; name: string; inward: string; outward: string }>;
  /** Issue links by id. */
  links: Record<string, { id: string; typeId: string; inwardIssueId: string; outwardIssueId: string }>;
  /** Agile boards by id. */
  boards: Record<string, JiraBoard>;
  /** Sprints by id. */
  sprints: Record<string, JiraSprint>;
}

/** A Jira Cloud user: identified by accountId only (usernames and user keys are gone, for GDPR). */
export interface JiraUser {
  accountId: string;
  accountType: 'atlassian' | 'app' | 'customer' | 'unknown';
  emailAddress: string;
  displayName: string;
  active: boolean;
  timeZone: string;
  locale: string;
}

/** A workflow status; its category is one of the three fixed status categories. */
export interface JiraStatus {
  id: string;
  name: string;
  description: string;
  categoryKey: 'new' | 'indeterminate' | 'done';
}

/** An issue type; a subtask type needs a parent, an epic sits one level above standard types. */
export interface JiraIssueType {
  id: string;
  name: string;
  description: string;
  subtask: boolean;
  hierarchyLevel: number;
}

/** A custom field: `number` (a float field), `string` (a single-line text field) or `doc` (a multi-line field, ADF in v3). */
export interface JiraCustomField {
  id: string;
  name: string;
  type: 'number' | 'string' | 'doc';
}

/** A project: its issue types, its workflow (statuses, the first the initial one) and its issue-number counter. */
export interface JiraProject {
  id: string;
  key: string;
  name: string;
  description: string;
  leadAccountId: string;
  projectTypeKey: 'software' | 'business' | 'service_desk';
  simplified: boolean;
  issueTypeIds: string[];
  statusIds: string[];
  /** The number of the last issue created in the project: keys are never reused. */
  lastIssueNumber: number;
}

/** One change of one field, as a changelog history lists it. */
export interface JiraChangeItem {
  field: string;
  fieldId: string;
  fieldtype: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

/** An issue as the twin keeps it: references by id, rendered into Jira's nested objects per request. */
export interface JiraIssue {
  id: string;
  key: string;
  projectId: string;
  issueTypeId: string;
  statusId: string;
  priorityId: string;
  summary: string;
  description: AdfNode | null;
  assigneeId: string | null;
  reporterId: string;
  creatorId: string;
  labels: string[];
  created: string;
  updated: string;
  statusCategoryChanged: string;
  resolutionId: string | null;
  resolutionDate: string | null;
  duedate: string | null;
  parentId: string | null;
  /** Custom field values by field id. */
  custom: Record<string, unknown>;
  watcherIds: string[];
  /** The open (future or active) sprint the issue is in. */
  sprintId: number | null;
  /** Sprints the issue was in when they closed. */
  closedSprintIds: number[];
  comments: JiraComment[];
  worklogs: JiraWorklog[];
  changelog: { id: string; authorId: string; created: string; items: JiraChangeItem[] }[];
}

export interface JiraComment {
  id: string;
  authorId: string;
  updateAuthorId: string;
  body: AdfNode;
  created: string;
  updated: string;
  /** The group or role the comment is restricted to, as the request gave it. */
  visibility?: JiraVisibility;
}

/** A comment's restriction to a group or a project role (Jira's Visibility object). */
export interface JiraVisibility {
  type: 'group' | 'role';
  value?: string;
  identifier?: string | null;
}

export interface JiraWorklog {
  id: string;
  authorId: string;
  updateAuthorId: string;
  comment: AdfNode | null;
  started: string;
  timeSpentSeconds: number;
  created: string;
  updated: string;
}

/** An agile board on one project. */
export interface JiraBoard {
  id: number;
  name: string;
  type: 'scrum' | 'kanban' | 'simple';
  projectId: string;
}

/** A sprint: future, then active (with dates), then closed (with its completion date). */
export interface JiraSprint {
  id: number;
  name: string;
  state: 'future' | 'active' | 'closed';
  originBoardId: number;
  goal: string;
  createdDate: string;
  startDate: string | null;
  endDate: string | null;
  completeDate: string | null;
}

/**
 * Who is calling: the account an API token belongs to.
 *
 * @example
 * const caller: JiraAuth = { accountId: '712020:2f6ae5d1-8b9c-4c1e-9e7a-0a1b2c3d4e5f' };
 */
export interface JiraAuth {
  accountId: string;
}

/**
 * What every Jira handler sees of its request: the routed, authenticated context.
 *
 * @example
 * const getCurrentUser = (ctx: Ctx) => ({ body: userJson(ctx, ctx.state.users[ctx.auth.accountId]) });
 */
export type Ctx = OperationContext<JiraState, JiraAuth>;

/**
 * A request context before authentication (renderError, onResponse and authenticate see this).
 *
 * @example
 * const base = (ctx: RequestCtx) => ctx.baseUrl + '/rest/api/3';
 */
export type RequestCtx = RequestContext<JiraState>;

/**
 * One Jira operation's handler.
 *
 * @example
 * const getStatuses: JiraHandler = (ctx) => ({ body: Object.values(ctx.state.statuses).map((s) => statusJson(ctx, s)) });
 */
export type JiraHandler = Handler<JiraState, JiraAuth>;

/**
 * A part of the Jira handler map, as each file under api/ exports it: `satisfies JiraHandlers` makes a key that is
 * not an operationId of openapi/jira.yaml a compile error.
 *
 * @example
 * export const statusHandlers = { getStatuses: (ctx) => ({ body: [] }) } satisfies JiraHandlers;
 */
export type JiraHandlers = Partial<Record<JiraOperationId, JiraHandler>>;
