import { invalidFields, notFound, OktaError } from '../errors.js';
import { ROLES } from '../model/client-roles.js';
import { groupJson, requireGroup } from '../model/groups.js';
import { ok } from '../model/http.js';
import { nowIso, oktaId } from '../model/ids.js';
import { addAssignment, APP_TARGET_ROLES, assignmentJson, assignmentsOf, GROUP_TARGET_ROLES, removeAssignment, type Principal } from '../model/roles.js';
import { groupTarget, logEvent, userTarget, type LogEntity } from '../model/system-log.js';
import { findUser } from '../model/users.js';
import type { AdminRoleAssignment, Ctx, OktaHandler, OktaHandlers } from '../types.js';

type Json = Record<string, any>;

function userPrincipal(ctx: Ctx): Principal {
  return { kind: 'USER', id: findUser(ctx, ctx.params.userId).id };
}

function groupPrincipal(ctx: Ctx): Principal {
  return { kind: 'GROUP', id: requireGroup(ctx, ctx.params.groupId).id };
}

function principalEntity(ctx: Ctx, principal: Principal): LogEntity {
  return principal.kind === 'USER' ? userTarget(ctx.state.users[principal.id]) : groupTarget(ctx.state.groups[principal.id]);
}

function requireAssignment(ctx: Ctx, principal: Principal): AdminRoleAssignment {
  const id: string = ctx.params.roleAssignmentId;
  const assignment = assignmentsOf(ctx.state, principal).find((a) => a.id === id);
  if (!assignment) throw notFound(id, 'RoleAssignment');
  return assignment;
}

function listRoles(principalOf: (ctx: Ctx) => Principal): OktaHandler {
  return (ctx) => {
    const principal = principalOf(ctx);
    return ok(assignmentsOf(ctx.state, principal).map((a) => assignmentJson(ctx, principal, a)));
  };
}

function assignRole(principalOf: (ctx: Ctx) => Principal): OktaHandler {
  return (ctx) => {
    const principal = principalOf(ctx);
    const body: Json = typeof ctx.body === 'object' && ctx.body !== null ? ctx.body : {};
    const type = body.type;
    if (type === undefined || type === null || type === '') throw invalidFields([['type', 'The field cannot be left blank']]);
    // A custom role is named by its id and bound to a resource set; the twin has neither.
    if (type === 'CUSTOM') throw notFound(String(body.role ?? ''), 'CustomRole');
    if (typeof type !== 'string' || !Object.hasOwn(ROLES, type)) throw invalidFields([['type', `'${String(type)}' is not a valid role type`]]);
    if (assignmentsOf(ctx.state, principal).some((a) => a.type === type)) {
      throw new OktaError('E0000090', { causes: [`The role specified is already assigned to the ${principal.kind === 'USER' ? 'user' : 'group'}.`] });
    }
    const now = nowIso(ctx);
    const assignment: AdminRoleAssignment = { id: oktaId(ctx, 'ra1'), label: ROLES[type].label, type, status: 'ACTIVE', created: now, lastUpdated: now, assignmentType: principal.kind };
    addAssignment(ctx.state, principal, assignment);
    logEvent(ctx, {
      eventType: principal.kind === 'USER' ? 'user.account.privilege.grant' : 'group.privilege.grant',
      displayMessage: principal.kind === 'USER' ? 'Grant user privilege' : 'Grant group privilege',
      target: [principalEntity(ctx, principal)],
      debugData: { privilegeGranted: ROLES[type].label },
    });
    // Okta answers a user's new role with 201 and a group's with 200 (the management spec).
    return { status: principal.kind === 'USER' ? 201 : 200, body: assignmentJson(ctx, principal, assignment) };
  };
}

function getRole(principalOf: (ctx: Ctx) => Principal): OktaHandler {
  return (ctx) => {
    const principal = principalOf(ctx);
    return ok(assignmentJson(ctx, principal, requireAssignment(ctx, principal)));
  };
}

function unassignRole(principalOf: (ctx: Ctx) => Principal): OktaHandler {
  return (ctx) => {
    const principal = principalOf(ctx);
    const assignment = requireAssignment(ctx, principal);
    removeAssignment(ctx.state, principal, assignment.id);
    logEvent(ctx, {
      eventType: principal.kind === 'USER' ? 'user.account.privilege.revoke' : 'group.privilege.revoke',
      displayMessage: principal.kind === 'USER' ? 'Revoke user privilege' : 'Revoke group privilege',
      target: [principalEntity(ctx, principal)],
      debugData: { privilegeRevoked: assignment.label },
    });
    return { status: 204 };
  };
}

function targetable(assignment: AdminRoleAssignment, roles: ReadonlySet<string>, what: string): void {
  if (!roles.has(assignment.type)) throw invalidFields([['type', `The role ${assignment.type} does not take ${what} targets.`]]);
}

function touch(ctx: Ctx, assignment: AdminRoleAssignment): void {
  assignment.lastUpdated = nowIso(ctx);
}

function listGroupTargets(principalOf: (ctx: Ctx) => Principal): OktaHandler {
  return (ctx) => {
    const assignment = requireAssignment(ctx, principalOf(ctx));
    return ok((assignment.groupTargets ?? []).filter((id) => Object.hasOwn(ctx.state.groups, id)).map((id) => groupJson(ctx, ctx.state.groups[id])));
  };
}

function addGroupTarget(principalOf: (ctx: Ctx) => Principal, param: string): OktaHandler {
  return (ctx) => {
    const assignment = requireAssignment(ctx, principalOf(ctx));
    const group = requireGroup(ctx, ctx.params[param]);
    targetable(assignment, GROUP_TARGET_ROLES, 'group');
    const targets = (assignment.groupTargets ??= []);
    if (!targets.includes(group.id)) targets.push(group.id);
    touch(ctx, assignment);
    return { status: 204 };
  };
}

function removeGroupTarget(principalOf: (ctx: Ctx) => Principal, param: string): OktaHandler {
  return (ctx) => {
    const assignment = requireAssignment(ctx, principalOf(ctx));
    const groupId: string = ctx.params[param];
    const targets = assignment.groupTargets ?? [];
    if (!targets.includes(groupId)) throw notFound(groupId, 'Target');
    // Removing the last target would widen the role to every group (Okta's Role Targets API).
    if (targets.length === 1) throw invalidFields([['target', 'The last target of a role assignment cannot be removed; unassign the role instead.']]);
    assignment.groupTargets = targets.filter((id) => id !== groupId);
    touch(ctx, assignment);
    return { status: 204 };
  };
}

function catalogAppJson(ctx: Ctx, target: { name: string; id?: string }): Json {
  const app = target.id ? ctx.state.apps[target.id] : Object.values(ctx.state.apps).find((a) => a.name === target.name);
  const label = String(app?.label ?? target.name);
  return {
    name: target.name,
    displayName: label,
    ...(target.id ? { id: target.id } : {}),
    status: 'ACTIVE',
    signOnModes: app ? [app.signOnMode] : [],
    _links: target.id ? { self: { href: `${ctx.baseUrl}/api/v1/apps/${target.id}` } } : {},
  };
}

function listAppTargets(principalOf: (ctx: Ctx) => Principal): OktaHandler {
  return (ctx) => {
    const assignment = requireAssignment(ctx, principalOf(ctx));
    return ok((assignment.appTargets ?? []).map((target) => catalogAppJson(ctx, target)));
  };
}

/** The app target a path names: a catalog app (by name) the org has, or one instance of it (by id). */
function pathAppTarget(ctx: Ctx): { name: string; id?: string } {
  const name: string = ctx.params.appName;
  const id: string | undefined = ctx.params.appId;
  if (id !== undefined) {
    const app = Object.hasOwn(ctx.state.apps, id) ? ctx.state.apps[id] : undefined;
    if (!app || app.name !== name) throw notFound(id, 'App');
    return { name, id };
  }
  if (!Object.values(ctx.state.apps).some((app) => app.name === name)) throw notFound(name, 'CatalogApp');
  return { name };
}

const sameTarget = (a: { name: string; id?: string }, b: { name: string; id?: string }) => a.name === b.name && a.id === b.id;

function addAppTarget(principalOf: (ctx: Ctx) => Principal): OktaHandler {
  return (ctx) => {
    const assignment = requireAssignment(ctx, principalOf(ctx));
    const target = pathAppTarget(ctx);
    targetable(assignment, APP_TARGET_ROLES, 'app');
    const targets = (assignment.appTargets ??= []);
    // A whole catalog app replaces the instances of it that were targets (Okta's Role Targets API).
    if (!target.id) assignment.appTargets = targets.filter((t) => t.name !== target.name);
    if (!assignment.appTargets.some((t) => sameTarget(t, target) || (t.name === target.name && !t.id))) assignment.appTargets.push(target);
    touch(ctx, assignment);
    return { status: 204 };
  };
}

function removeAppTarget(principalOf: (ctx: Ctx) => Principal): OktaHandler {
  return (ctx) => {
    const assignment = requireAssignment(ctx, principalOf(ctx));
    const target: { name: string; id?: string } = { name: ctx.params.appName, ...(ctx.params.appId ? { id: ctx.params.appId } : {}) };
    const targets = assignment.appTargets ?? [];
    if (!targets.some((t) => sameTarget(t, target))) throw notFound(target.id ?? target.name, 'Target');
    if (targets.length === 1) throw invalidFields([['target', 'The last target of a role assignment cannot be removed; unassign the role instead.']]);
    assignment.appTargets = targets.filter((t) => !sameTarget(t, target));
    touch(ctx, assignment);
    return { status: 204 };
  };
}

/**
 * Admin roles of users and groups and their targets (tags RoleAssignment and RoleTarget). What a role lets its holder
 * do is enforced on every Management API call (auth.ts, model/roles.ts).
 */
export const roleHandlers = {
  listAssignedRolesForUser: listRoles(userPrincipal),
  assignRoleToUser: assignRole(userPrincipal),
  getUserAssignedRole: getRole(userPrincipal),
  unassignRoleFromUser: unassignRole(userPrincipal),
  listGroupAssignedRoles: listRoles(groupPrincipal),
  assignRoleToGroup: assignRole(groupPrincipal),
  getGroupAssignedRole: getRole(groupPrincipal),
  unassignRoleFromGroup: unassignRole(groupPrincipal),

  listGroupTargetsForRole: listGroupTargets(userPrincipal),
  assignGroupTargetToUserRole: addGroupTarget(userPrincipal, 'groupId'),
  unassignGroupTargetFromUserAdminRole: removeGroupTarget(userPrincipal, 'groupId'),
  listApplicationTargetsForApplicationAdministratorRoleForUser: listAppTargets(userPrincipal),
  assignAppTargetToAdminRoleForUser: addAppTarget(userPrincipal),
  unassignAppTargetFromAppAdminRoleForUser: removeAppTarget(userPrincipal),
  assignAppInstanceTargetToAppAdminRoleForUser: addAppTarget(userPrincipal),
  unassignAppInstanceTargetFromAdminRoleForUser: removeAppTarget(userPrincipal),

  listGroupTargetsForGroupRole: listGroupTargets(groupPrincipal),
  assignGroupTargetToGroupAdminRole: addGroupTarget(groupPrincipal, 'targetGroupId'),
  unassignGroupTargetFromGroupAdminRole: removeGroupTarget(groupPrincipal, 'targetGroupId'),
  listApplicationTargetsForApplicationAdministratorRoleForGroup: listAppTargets(groupPrincipal),
  assignAppTargetToAdminRoleForGroup: addAppTarget(groupPrincipal),
  unassignAppTargetToAdminRoleForGroup: removeAppTarget(groupPrincipal),
  assignAppInstanceTargetToAppAdminRoleForGroup: addAppTarget(groupPrincipal),
  unassignAppInstanceTargetToAppAdminRoleForGroup: removeAppTarget(groupPrincipal),
} satisfies OktaHandlers;
