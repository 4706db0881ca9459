import type { JiraCustomField, JiraIssueType, JiraStatus, RequestCtx } from '../types.js';
import { api } from './format.js';

/**
 * Jira's fixed status categories, by key.
 *
 * @example
 * STATUS_CATEGORIES.done.colorName; // 'green'
 */
export const STATUS_CATEGORIES = {
  undefined: { id: 1, key: 'undefined', colorName: 'medium-gray', name: 'No Category' },
  new: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
  indeterminate: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
} as const;

/**
 * A status category as Jira returns it.
 *
 * @example
 * statusCategoryJson(ctx, 'done'); // { self, id: 3, key: 'done', colorName: 'green', name: 'Done' }
 */
export function statusCategoryJson(ctx: RequestCtx, key: keyof typeof STATUS_CATEGORIES): Record<string, unknown> {
  const category = STATUS_CATEGORIES[key];
  return { self: `${api(ctx)}/statuscategory/${category.id}`, ...category };
}

/**
 * A status as Jira nests it in issues and transitions.
 *
 * @example
 * statusJson(ctx, ctx.state.statuses['10000']).name; // 'To Do'
 */
export function statusJson(ctx: RequestCtx, status: JiraStatus): Record<string, unknown> {
  return {
    self: `${api(ctx)}/status/${status.id}`,
    description: status.description,
    iconUrl: `${ctx.baseUrl}/images/icons/statuses/generic.png`,
    name: status.name,
    id: status.id,
    statusCategory: statusCategoryJson(ctx, status.categoryKey),
  };
}

/**
 * An issue type as Jira returns it.
 *
 * @example
 * issueTypeJson(ctx, type); // { self, id, description, iconUrl, name, subtask, avatarId, hierarchyLevel }
 */
export function issueTypeJson(ctx: RequestCtx, type: JiraIssueType): Record<string, unknown> {
  return {
    self: `${api(ctx)}/issuetype/${type.id}`,
    id: type.id,
    description: type.description,
    iconUrl: `${api(ctx)}/universal_avatar/view/type/issuetype/avatar/${type.id}?size=medium`,
    name: type.name,
    untranslatedName: type.name,
    subtask: type.subtask,
    avatarId: Number(type.id),
    hierarchyLevel: type.hierarchyLevel,
  };
}

/**
 * A priority as Jira nests it in issues.
 *
 * @example
 * priorityJson(ctx, '3'); // { self, iconUrl, name: 'Medium', id: '3' }
 */
export function priorityJson(ctx: RequestCtx, id: string): Record<string, unknown> {
  const priority = ctx.state.priorities[id];
  return { self: `${api(ctx)}/priority/${id}`, iconUrl: `${ctx.baseUrl}/images/icons/priorities/${priority.name.toLowerCase()}.svg`, name: priority.name, id };
}

/** The schema Jira gives each kind of custom field (its `custom` type key). */
const CUSTOM_SCHEMAS: Record<JiraCustomField['type'], { type: string; custom: string }> = {
  number: { type: 'number', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:float' },
  string: { type: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield' },
  doc: { type: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textarea' },
};

/** A field as GET /rest/api/3/field lists it and create metadata describes it. */
export interface FieldInfo {
  id: string;
  name: string;
  custom: boolean;
  orderable: boolean;
  navigable: boolean;
  searchable: boolean;
  clauseNames: string[];
  schema: Record<string, unknown>;
}

const system = (id: string, name: string, schema: Record<string, unknown>, flags: Partial<FieldInfo> = {}): FieldInfo => ({
  id,
  name,
  custom: false,
  orderable: true,
  navigable: true,
  searchable: true,
  clauseNames: [id],
  schema: { ...schema, system: id },
  ...flags,
});

/**
 * The system fields the twin keeps, in the order Jira's field list has them.
 *
 * @example
 * SYSTEM_FIELDS.find((f) => f.id === 'duedate')?.clauseNames; // ['due', 'duedate']
 */
export const SYSTEM_FIELDS: FieldInfo[] = [
  system('issuekey', 'Key', {}, { orderable: false, clauseNames: ['id', 'issue', 'issuekey', 'key'], schema: {} }),
  system('summary', 'Summary', { type: 'string' }),
  system('description', 'Description', { type: 'string' }),
  system('issuetype', 'Issue Type', { type: 'issuetype' }, { clauseNames: ['issuetype', 'type'] }),
  system('project', 'Project', { type: 'project' }, { orderable: false }),
  system('status', 'Status', { type: 'status' }, { orderable: false }),
  system('statusCategory', 'Status Category', {}, { orderable: false, navigable: false, schema: {} }),
  system('priority', 'Priority', { type: 'priority' }),
  system('assignee', 'Assignee', { type: 'user' }),
  system('reporter', 'Reporter', { type: 'user' }),
  system('creator', 'Creator', { type: 'user' }, { orderable: false }),
  system('labels', 'Labels', { type: 'array', items: 'string' }),
  system('created', 'Created', { type: 'datetime' }, { orderable: false, clauseNames: ['created', 'createdDate'] }),
  system('updated', 'Updated', { type: 'datetime' }, { orderable: false, clauseNames: ['updated', 'updatedDate'] }),
  system('resolution', 'Resolution', { type: 'resolution' }, { orderable: false }),
  system('resolutiondate', 'Resolved', { type: 'datetime' }, { orderable: false, clauseNames: ['resolutiondate', 'resolved'] }),
  system('statuscategorychangedate', 'Status Category Changed', { type: 'datetime' }, { orderable: false, searchable: false, clauseNames: [] }),
  system('duedate', 'Due date', { type: 'date' }, { clauseNames: ['due', 'duedate'] }),
  system('parent', 'Parent', {}, { clauseNames: ['parent'], schema: {} }),
  system('subtasks', 'Sub-tasks', { type: 'array', items: 'issuelinks' }, { orderable: false, clauseNames: ['subtasks'] }),
  system('issuelinks', 'Linked Issues', { type: 'array', items: 'issuelinks' }, { clauseNames: ['issueLink'] }),
  system('comment', 'Comment', { type: 'comments-page' }, { navigable: false }),
  system('watches', 'Watchers', { type: 'watches' }, { orderable: false, clauseNames: ['watchers'] }),
  system('worklog', 'Log Work', { type: 'array', items: 'worklog' }, { navigable: false, clauseNames: [] }),
];

/**
 * Every field of the site: the system fields, then the custom fields the state defines.
 *
 * @example
 * allFields(ctx).find((f) => f.name === 'Story point estimate')?.id; // 'customfield_10016'
 */
export function allFields(ctx: RequestCtx): FieldInfo[] {
  const custom = Object.values(ctx.state.customFields).map((field): FieldInfo => {
    const customId = Number(field.id.replace('customfield_', ''));
    return {
      id: field.id,
      name: field.name,
      custom: true,
      orderable: true,
      navigable: true,
      searchable: true,
      clauseNames: [`cf[${customId}]`, field.name],
      schema: { ...CUSTOM_SCHEMAS[field.type], customId },
    };
  });
  return [...SYSTEM_FIELDS, ...custom];
}
