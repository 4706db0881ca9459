import { JiraError } from '../errors.js';
import type { JiraProject, RequestCtx } from '../types.js';
import { api } from './format.js';
import { issueTypeJson } from './meta.js';
import { userRef } from './users.js';

const AVATAR_SIZES = { '48x48': 'large', '24x24': 'small', '16x16': 'xsmall', '32x32': 'medium' } as const;

/**
 * A project by id or key (keys match whatever their case, as Jira's do), or Jira's 404.
 *
 * @example
 * const project = requireProject(ctx, ctx.params.projectIdOrKey);
 */
export function requireProject(ctx: RequestCtx, idOrKey: string): JiraProject {
  const project = findProject(ctx, idOrKey);
  if (!project) {
    const by = /^\d+$/.test(idOrKey) ? 'id' : 'key';
    throw new JiraError(404, { messages: [`No project could be found with ${by} '${idOrKey}'.`] });
  }
  return project;
}

/**
 * A project by id or key, or undefined.
 *
 * @example
 * findProject(ctx, 'twin')?.id; // '10000'
 */
export function findProject(ctx: RequestCtx, idOrKey: string): JiraProject | undefined {
  if (ctx.state.projects[idOrKey]) return ctx.state.projects[idOrKey];
  const key = idOrKey.toUpperCase();
  return Object.values(ctx.state.projects).find((p) => p.key === key);
}

/**
 * A project as Jira nests it in issues and lists it: self, id, key, name, type and avatars.
 *
 * @example
 * projectRef(ctx, project).key; // 'TWIN'
 */
export function projectRef(ctx: RequestCtx, project: JiraProject): Record<string, unknown> {
  return {
    self: `${api(ctx)}/project/${project.id}`,
    id: project.id,
    key: project.key,
    name: project.name,
    projectTypeKey: project.projectTypeKey,
    simplified: project.simplified,
    avatarUrls: Object.fromEntries(Object.entries(AVATAR_SIZES).map(([size, name]) => [size, `${api(ctx)}/universal_avatar/view/type/project/avatar/10400?size=${name}`])),
  };
}

/**
 * A project as GET /project/{projectIdOrKey} returns it: the nested form plus description, lead, issue types and
 * the fields Jira always adds (style, isPrivate, properties).
 *
 * @example
 * projectJson(ctx, project).issueTypes.length; // 5
 */
export function projectJson(ctx: RequestCtx, project: JiraProject): Record<string, unknown> {
  return {
    expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
    ...projectRef(ctx, project),
    description: project.description,
    lead: userRef(ctx, project.leadAccountId),
    components: [],
    issueTypes: project.issueTypeIds.map((id) => issueTypeJson(ctx, ctx.state.issueTypes[id])),
    assigneeType: 'UNASSIGNED',
    versions: [],
    roles: {},
    style: project.simplified ? 'next-gen' : 'classic',
    isPrivate: false,
    properties: {},
  };
}
