import { createRecord, type OperationInfo } from '../../../src/index.js';
import type { AdminRoleAssignment, OktaState, RequestCtx } from '../types.js';
import { roleTypesAllow } from './client-roles.js';
import { isMember } from './memberships.js';

/** The standard roles whose scope can be narrowed to groups (Okta's Role Targets API, "Group targets"). */
export const GROUP_TARGET_ROLES: ReadonlySet<string> = new Set(['USER_ADMIN', 'GROUP_MEMBERSHIP_ADMIN', 'HELP_DESK_ADMIN', 'GROUP_ADMIN']);
/** The standard roles whose scope can be narrowed to apps (Okta's Role Targets API, "App targets"). */
export const APP_TARGET_ROLES: ReadonlySet<string> = new Set(['APP_ADMIN']);

/** Where an assignment belongs: a user's or a group's roles. */
export type Principal = { kind: 'USER' | 'GROUP'; id: string };

function store(state: OktaState, kind: Principal['kind']): Record<string, AdminRoleAssignment[]> {
  return kind === 'USER' ? (state.userRoles ??= createRecord()) : (state.groupRoles ??= createRecord());
}

/**
 * The roles assigned to a user directly, or to a group.
 *
 * @example
 * assignmentsOf(ctx.state, { kind: 'USER', id: '00uadmintwin00000001' })[0].type; // 'SUPER_ADMIN'
 */
export function assignmentsOf(state: OktaState, principal: Principal): AdminRoleAssignment[] {
  return (principal.kind === 'USER' ? state.userRoles : state.groupRoles)?.[principal.id] ?? [];
}

/**
 * Adds an assignment to a user's or a group's roles.
 *
 * @example
 * addAssignment(ctx.state, { kind: 'GROUP', id: group.id }, assignment);
 */
export function addAssignment(state: OktaState, principal: Principal, assignment: AdminRoleAssignment): void {
  (store(state, principal.kind)[principal.id] ??= []).push(assignment);
}

/**
 * Removes an assignment from a user's or a group's roles.
 *
 * @example
 * removeAssignment(ctx.state, { kind: 'USER', id: user.id }, assignment.id);
 */
export function removeAssignment(state: OktaState, principal: Principal, assignmentId: string): void {
  const roles = store(state, principal.kind);
  roles[principal.id] = assignmentsOf(state, principal).filter((a) => a.id !== assignmentId);
}

/** Whether the resource an operation acts on lies within an assignment's targets (no targets: everything). */
function withinTargets(state: OktaState, assignment: AdminRoleAssignment, operation: OperationInfo, paramsOf: () => Record<string, string>): boolean {
  const groups = assignment.groupTargets ?? [];
  const apps = assignment.appTargets ?? [];
  if (groups.length === 0 && apps.length === 0) return true;
  const params = paramsOf();
  if (groups.length > 0 && operation.path.startsWith('/api/v1/users/')) {
    const userId = params.userId ?? params.id;
    return userId === undefined || groups.some((groupId) => isMember(state, groupId, userId));
  }
  if (groups.length > 0 && operation.path.startsWith('/api/v1/groups/{groupId}')) return groups.includes(params.groupId);
  if (apps.length > 0 && operation.path.startsWith('/api/v1/apps/{appId}')) {
    const app = state.apps[params.appId];
    return !app || apps.some((target) => (target.id ? target.id === app.id : target.name === app.name));
  }
  return true;
}

/**
 * Whether a user's admin roles (its own and its groups') let it call this operation on this resource: Okta checks an
 * API token's or a user's access token's admin permissions on every Management API call, and a role limited to
 * targets covers only the users of its groups, those groups, and its apps. `scopes` are the Okta API scopes the
 * operation accepts and `paramsOf` gives its path parameters, each asked for only when needed.
 *
 * @example
 * const params = () => pathParams(ctx.operation.path, ctx.url.pathname);
 * if (!userRolesAllow(ctx.state, userId, ctx.operation, params, () => ['okta.users.read'])) throw new OktaError('E0000006');
 */
export function userRolesAllow(state: OktaState, userId: string, operation: OperationInfo, paramsOf: () => Record<string, string>, scopes: () => string[]): boolean {
  const own = state.userRoles?.[userId] ?? [];
  // A super admin may do anything: the seeded admin's token is answered without reading the operation.
  if (own.some((assignment) => assignment.type === 'SUPER_ADMIN')) return true;
  const accepted = scopes();
  let params: Record<string, string> | undefined;
  const once = () => (params ??= paramsOf());
  const allows = (assignment: AdminRoleAssignment) => roleTypesAllow([assignment.type], operation, accepted) && withinTargets(state, assignment, operation, once);
  // The user's own roles before its groups': most callers are answered without looking at group memberships.
  if (own.some(allows)) return true;
  return Object.entries(state.groupRoles ?? {}).some(([groupId, roles]) => roles.some(allows) && isMember(state, groupId, userId));
}

/**
 * An assignment as Okta returns it: the stored record without its targets, with the link to its assignee.
 *
 * @example
 * return ok(assignmentJson(ctx, { kind: 'USER', id: user.id }, assignment));
 */
export function assignmentJson(ctx: RequestCtx, principal: Principal, assignment: AdminRoleAssignment): Record<string, unknown> {
  const { groupTargets: _groups, appTargets: _apps, ...rest } = assignment;
  const assignee = `${ctx.baseUrl}/api/v1/${principal.kind === 'USER' ? 'users' : 'groups'}/${principal.id}`;
  return { ...rest, _links: { assignee: { href: assignee } } };
}

// A malformed escape is left as sent: the engine's validation refuses it later, in Okta's envelope.
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The path parameters of a request, read from its operation's path template: authentication runs before the engine
 * validates (and fills in) the parameters.
 *
 * @example
 * pathParams('/api/v1/users/{userId}/roles', '/api/v1/users/00u1/roles'); // { userId: '00u1' }
 */
export function pathParams(template: string, pathname: string): Record<string, string> {
  const names = template.split('/');
  const values = pathname.split('/');
  const params: Record<string, string> = {};
  names.forEach((segment, i) => {
    const name = /^\{(.+)\}$/.exec(segment)?.[1];
    if (name !== undefined && values[i] !== undefined) params[name] = decoded(values[i]);
  });
  return params;
}
