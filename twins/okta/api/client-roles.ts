import { createRecord } from '../../../src/index.js';
import { invalidFields, notFound, OktaError } from '../errors.js';
import { ROLES, rolesOf } from '../model/client-roles.js';
import { nowIso } from '../model/ids.js';
import { findClientApp } from '../model/oauth-clients.js';
import { logEvent, type LogEntity } from '../model/system-log.js';
import type { ClientRoleAssignment, Ctx, OktaHandlers, RequestCtx } from '../types.js';

const ASSIGNMENT_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function requireClient(ctx: Ctx): string {
  const clientId: string = ctx.params.clientId;
  if (!findClientApp(ctx.state, clientId)) throw notFound(clientId, 'Client');
  return clientId;
}

function requireAssignment(ctx: Ctx, clientId: string): ClientRoleAssignment {
  const assignment = rolesOf(ctx.state, clientId).find((a) => a.id === ctx.params.roleAssignmentId);
  if (!assignment) throw notFound(ctx.params.roleAssignmentId, 'RoleAssignment');
  return assignment;
}

/** Okta logs an admin role given to or taken from an OAuth client as `app.oauth2.client.privilege.grant` / `.revoke`. */
function logPrivilege(ctx: Ctx, clientId: string, assignment: ClientRoleAssignment, action: 'grant' | 'revoke'): void {
  const label = String(findClientApp(ctx.state, clientId)?.label ?? clientId);
  const client: LogEntity = { id: clientId, type: 'PublicClientApp', alternateId: label, displayName: label };
  const debugData = action === 'grant' ? { privilegeGranted: assignment.label } : { privilegeRevoked: assignment.label };
  logEvent(ctx, { eventType: `app.oauth2.client.privilege.${action}`, displayMessage: action === 'grant' ? 'Grant client privilege' : 'Revoke client privilege', target: [client], debugData });
}

function assignmentJson(ctx: RequestCtx, clientId: string, assignment: ClientRoleAssignment): Record<string, unknown> {
  return { ...assignment, _links: { assignee: { href: `${ctx.baseUrl}/oauth2/v1/clients/${clientId}/roles` } } };
}

/**
 * Admin roles of OAuth clients (tag RoleAssignmentClient; Okta's Role Assignment API, client part). The body is
 * checked here rather than by the schema: these paths live under /oauth2, yet answer in the Management API's
 * error envelope.
 */
export const clientRoleHandlers = {
  listRolesForClient(ctx) {
    const clientId = requireClient(ctx);
    return { status: 200, body: rolesOf(ctx.state, clientId).map((a) => assignmentJson(ctx, clientId, a)) };
  },

  assignRoleToClient(ctx) {
    const clientId = requireClient(ctx);
    const body: Record<string, unknown> = typeof ctx.body === 'object' && ctx.body !== null ? ctx.body : {};
    const type = body.type;
    if (type === undefined || type === null || type === '') throw invalidFields([['type', 'The field cannot be left blank']]);
    // A custom role is named by its id and bound to a resource set; the twin has neither.
    if (type === 'CUSTOM') throw notFound(String(body.role ?? ''), 'CustomRole');
    if (typeof type !== 'string' || !Object.hasOwn(ROLES, type)) throw invalidFields([['type', `'${String(type)}' is not a valid role type`]]);
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
    logPrivilege(ctx, clientId, assignment, 'grant');
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
    logPrivilege(ctx, clientId, assignment, 'revoke');
    return { status: 204 };
  },
} satisfies OktaHandlers;
