import { notFound } from '../errors.js';
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
