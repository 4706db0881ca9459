import type { OperationInfo } from '../../../src/index.js';
import type { ClientRoleAssignment, OktaState } from '../types.js';

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
export const ROLES: Record<string, RolePermissions> = {
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
  return roleTypesAllow(rolesOf(state, clientId).map((assignment) => assignment.type), operation, scopes);
}

/**
 * Whether any of these standard role types lets its holder call this operation. `scopes` are the Okta API scopes the
 * operation accepts: the first names the resource and the access it needs; without one the method decides the access.
 *
 * @example
 * roleTypesAllow(['READ_ONLY_ADMIN'], { operationId: 'listUsers', method: 'GET', ... }, ['okta.users.read']); // true
 */
export function roleTypesAllow(types: string[], operation: OperationInfo, scopes: string[]): boolean {
  const match = scopes.map((s) => /^okta\.(.+)\.(read|manage)$/.exec(s)).find(Boolean);
  const resource = match ? match[1] : null;
  const access: Access = match ? (match[2] as Access) : ['GET', 'HEAD'].includes(operation.method.toUpperCase()) ? 'read' : 'manage';
  return types.some((type) => {
    const role = ROLES[type];
    return role !== undefined && roleAllows(role, resource, access, operation.operationId);
  });
}

/** The admin roles assigned to an OAuth client. */
export function rolesOf(state: OktaState, clientId: string): ClientRoleAssignment[] {
  return state.oauth.clientRoles?.[clientId] ?? [];
}
