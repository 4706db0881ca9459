import { invalidFields, notFound } from '../errors.js';
import type { OktaState, OktaUserType, RequestCtx } from '../types.js';

/** The type Okta creates with the org; `default` names it wherever a type id is taken. */
export function defaultUserType(state: OktaState): OktaUserType {
  const type = Object.values(state.userTypes).find((candidate) => candidate.default);
  if (!type) throw new Error('[twinverse] the Okta state has no default user type');
  return type;
}

/** The user type with this id (or `default`), or Okta's 404. */
export function requireUserType(state: OktaState, typeId: string): OktaUserType {
  const type = typeId === 'default' ? defaultUserType(state) : state.userTypes[typeId];
  if (!type) throw notFound(typeId, 'UserType');
  return type;
}

/** A user type as Okta sends it: its links carry `rel` and `method` (Okta's User Types API, "User Type object"). */
export function userTypeJson(ctx: RequestCtx, type: OktaUserType): Record<string, unknown> {
  const { schemaId, ...record } = type;
  return {
    ...record,
    _links: {
      schema: { rel: 'schema', href: `${ctx.baseUrl}/api/v1/meta/schemas/user/${schemaId}`, method: 'GET' },
      self: { rel: 'self', href: `${ctx.baseUrl}/api/v1/meta/types/user/${type.id}`, method: 'GET' },
    },
  };
}

/**
 * Checks a user type body before anything is written (Okta's User Types API): a name that starts with a letter and has
 * only letters, digits and underscores, unique in the org and never changed after creation, and a displayName.
 *
 * @example
 * const { name, displayName, description } = checkUserTypeBody(ctx.state, ctx.body, { creating: true });
 */
export function checkUserTypeBody(
  state: OktaState,
  body: Record<string, any>,
  options: { creating?: boolean; type?: OktaUserType },
): { name?: string; displayName: string; description: string } {
  const problems: [string, string][] = [];
  const name = body.name;
  if (typeof name !== 'string' || !name.trim()) problems.push(['name', 'The field cannot be left blank']);
  else if (options.type && name !== options.type.name) problems.push(['name', 'The name of a user type cannot be changed.']);
  else if (options.creating && !/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) problems.push(['name', 'The name must start with a letter and contain only letters, digits and underscores.']);
  else if (options.creating && Object.values(state.userTypes).some((t) => t.name.toLowerCase() === name.toLowerCase())) {
    problems.push(['name', 'An object with this field already exists in the current organization']);
  }
  if (typeof body.displayName !== 'string' || !body.displayName.trim()) problems.push(['displayName', 'The field cannot be left blank']);
  if (body.description !== undefined && body.description !== null && typeof body.description !== 'string') problems.push(['description', 'Must be a string.']);
  if (problems.length) throw invalidFields(problems);
  return { name, displayName: body.displayName, description: body.description ?? '' };
}
