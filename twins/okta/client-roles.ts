import type { Handler, OperationContext, OperationInfo, RequestContext } from '../../src/index.js';
import type { OktaAuth } from './auth.js';
import { notFound, nowIso } from './common.js';
import { OktaError } from './errors.js';
import { findClientApp } from './oauth-clients.js';
import type { ClientRoleAssignment, OktaState } from './state.js';
import { createRecord } from '../../src/index.js';

type Ctx = OperationContext<OktaState, OktaAuth>;
type Access = 'read' | 'manage';

/** What a standard role may do to the twin's resources, by Okta API scope resource (`okta.{resource}.{access}`). */
interface RolePermissions {
  label: string;
  /** Access to every resource, unless `resources` says otherwise for one. */
  all?: Access;
  resources?: Record<string, Access>;
  /** Operations a role may call whatever `all` and `resources` say (group membership, help desk actions). */
  operations?: string[];
}

const MEMBERSHIP = ['assignUserToGroup', 'unassignUserFromGroup'];
const HELP_DESK = ['resetPassword', 'unlockUser', 'expirePassword', 'expirePasswordWithTempPassword', 'resetFactors'];

/**
 * Okta's standard admin roles, reduced to the twin's resources (Okta's "Administrators" comparison table):
 * super admins do everything; org admins all but granting Okta API scopes and assigning admin roles, which only
 * super admins may do; the narrower roles what their names say. The IAM-based roles cover none of them.
 */
const ROLES: Record<string, RolePermissions> = {
  SUPER_ADMIN: { label: 'Super Administrator', all: 'manage' },
  ORG_ADMIN: { label: 'Organization Administrator', all: 'manage', resources: { appGrants: 'read', roles: 'read' } },
  APP_ADMIN: { label: 'Application Administrator', resources: { apps: 'manage', appGrants: 'read', users: 'read', groups: 'read' } },
  USER_ADMIN: { label: 'User Administrator', resources: { users: 'manage', groups: 'read' }, operations: [...MEMBERSHIP, ...HELP_DESK] },
  GROUP_MEMBERSHIP_ADMIN: { label: 'Group Membership Administrator', resources: { users: 'read', groups: 'read' }, operations: MEMBERSHIP },
  HELP_DESK_ADMIN: { label: 'Help Desk Administrator', resources: { users: 'read', groups: 'read' }, operations: HELP_DESK },
  READ_ONLY_ADMIN: { label: 'Read Only Administrator', all: 'read' },
  REPORT_ADMIN: { label: 'Report Administrator', resources: { logs: 'read' } },
  API_ACCESS_MANAGEMENT_ADMIN: { label: 'API Access Management Administrator', resources: { authorizationServers: 'manage', apps: 'manage', clients: 'manage' } },
  ACCESS_CERTIFICATIONS_ADMIN: { label: 'Access Certifications Administrator' },
  ACCESS_REQUESTS_ADMIN: { label: 'Access Requests Administrator' },
  WORKFLOWS_ADMIN: { label: 'Workflows Administrator' },
};

const ASSIGNMENT_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function covers(granted: Access | undefined, needed: Access): boolean {
  return granted === 'manage' || (granted === 'read' && needed === 'read');
}

function roleAllows(role: RolePermissions, resource: string | null, access: Access, operationId: string): boolean {
  if (role.operations?.includes(operationId)) return true;
  const specific = resource === null ? undefined : role.resources?.[resource];
  return covers(specific ?? role.all, access);
}

/**
 * Whether a service client's admin roles let it call this operation. Okta checks an access token's scopes and,
 * for a client acting on its own, the admin roles assigned to it ("OAuth for Okta with a service app": without a
 * role the client has no permission). `scopes` are the Okta API scopes the operation accepts.
 */
export function clientRolesAllow(state: OktaState, clientId: string, operation: OperationInfo, scopes: string[]): boolean {
  const match = scopes.map((s) => /^okta\.(.+)\.(read|manage)$/.exec(s)).find(Boolean);
  const resource = match ? match[1] : null;
  const access: Access = match ? (match[2] as Access) : ['GET', 'HEAD'].includes(operation.method.toUpperCase()) ? 'read' : 'manage';
  return (state.oauth.clientRoles?.[clientId] ?? []).some((assignment) => {
    const role = ROLES[assignment.type];
    return role !== undefined && roleAllows(role, resource, access, operation.operationId);
  });
}

function requireClient(ctx: Ctx): string {
  const clientId: string = ctx.params.clientId;
  if (!findClientApp(ctx.state, clientId)) throw notFound(clientId, 'Client');
  return clientId;
}

function rolesOf(state: OktaState, clientId: string): ClientRoleAssignment[] {
  return state.oauth.clientRoles?.[clientId] ?? [];
}

function requireAssignment(ctx: Ctx, clientId: string): ClientRoleAssignment {
  const assignment = rolesOf(ctx.state, clientId).find((a) => a.id === ctx.params.roleAssignmentId);
  if (!assignment) throw notFound(ctx.params.roleAssignmentId, 'RoleAssignment');
  return assignment;
}

function assignmentJson(ctx: RequestContext<OktaState>, clientId: string, assignment: ClientRoleAssignment): Record<string, unknown> {
  return { ...assignment, _links: { assignee: { href: `${ctx.baseUrl}/oauth2/v1/clients/${clientId}/roles` } } };
}

function invalid(field: string, message: string): OktaError {
  return new OktaError('E0000001', { detail: field, causes: [`${field}: ${message}`] });
}

/**
 * Admin roles of OAuth clients (Okta's Role Assignment API, client part). The body is checked here rather than
 * by the schema: these paths live under /oauth2, yet answer in the Management API's error envelope.
 */
export const clientRoleHandlers: Record<string, Handler<OktaState, OktaAuth>> = {
  listRolesForClient(ctx) {
    const clientId = requireClient(ctx);
    return { status: 200, body: rolesOf(ctx.state, clientId).map((a) => assignmentJson(ctx, clientId, a)) };
  },

  assignRoleToClient(ctx) {
    const clientId = requireClient(ctx);
    const body: Record<string, unknown> = typeof ctx.body === 'object' && ctx.body !== null ? ctx.body : {};
    const type = body.type;
    if (type === undefined || type === null || type === '') throw invalid('type', 'The field cannot be left blank');
    // A custom role is named by its id and bound to a resource set; the twin has neither.
    if (type === 'CUSTOM') throw notFound(String(body.role ?? ''), 'CustomRole');
    if (typeof type !== 'string' || !ROLES[type]) throw invalid('type', `'${String(type)}' is not a valid role type`);
    const roles = (ctx.state.oauth.clientRoles ??= createRecord())[clientId] ??= [];
    if (roles.some((a) => a.type === type)) throw new OktaError('E0000090', { causes: ['The role specified is already assigned to the client.'] });
    const now = nowIso(ctx);
    const assignment: ClientRoleAssignment = {
      id: ctx.ids.token(24, ASSIGNMENT_ID_ALPHABET),
      label: ROLES[type].label,
      type,
      status: 'ACTIVE',
      created: now,
      lastUpdated: now,
      assignmentType: 'CLIENT',
    };
    roles.push(assignment);
    return { status: 200, body: assignmentJson(ctx, clientId, assignment) };
  },

  retrieveClientRole(ctx) {
    const clientId = requireClient(ctx);
    return { status: 200, body: assignmentJson(ctx, clientId, requireAssignment(ctx, clientId)) };
  },

  deleteRoleFromClient(ctx) {
    const clientId = requireClient(ctx);
    const assignment = requireAssignment(ctx, clientId);
    ctx.state.oauth.clientRoles![clientId] = rolesOf(ctx.state, clientId).filter((a) => a !== assignment);
    return { status: 204 };
  },
};
