import { invalidFields, OktaError } from '../errors.js';
import { actorId } from '../model/actor.js';
import { ok } from '../model/http.js';
import { nowIso, oktaId } from '../model/ids.js';
import { checkUserTypeBody, requireUserType, userTypeJson } from '../model/user-types.js';
import type { OktaHandlers, OktaUserType } from '../types.js';

/** Okta's limit on user types per org, the default one included (User Types API). */
const MAX_USER_TYPES = 10;

/** User types (tag UserType): each type has a profile schema of its own, which starts with the base properties. */
export const userTypeHandlers = {
  listUserTypes: (ctx) => ok(Object.values(ctx.state.userTypes).map((type) => userTypeJson(ctx, type))),

  getUserType: (ctx) => ok(userTypeJson(ctx, requireUserType(ctx.state, ctx.params.typeId))),

  createUserType(ctx) {
    const body = ctx.body ?? {};
    const { name, displayName, description } = checkUserTypeBody(ctx.state, body, { creating: true });
    if (Object.keys(ctx.state.userTypes).length >= MAX_USER_TYPES) throw invalidFields([['name', `An org can have at most ${MAX_USER_TYPES} user types.`]]);
    const now = nowIso(ctx);
    const actor = actorId(ctx.auth);
    const schemaId = oktaId(ctx, 'osc');
    ctx.state.userSchemas[schemaId] = { id: schemaId, title: displayName, created: now, lastUpdated: now, base: {}, custom: {} };
    const type: OktaUserType = { id: oktaId(ctx, 'oty'), name: name!, displayName, description, createdBy: actor, lastUpdatedBy: actor, created: now, lastUpdated: now, default: false, schemaId };
    ctx.state.userTypes[type.id] = type;
    return ok(userTypeJson(ctx, type));
  },

  updateUserType(ctx) {
    const type = requireUserType(ctx.state, ctx.params.typeId);
    const body = ctx.body ?? {};
    const { displayName, description } = checkUserTypeBody(ctx.state, { name: type.name, displayName: type.displayName, description: type.description, ...body }, { type });
    return ok(userTypeJson(ctx, saveType(type, displayName, description, nowIso(ctx), actorId(ctx.auth))));
  },

  replaceUserType(ctx) {
    const type = requireUserType(ctx.state, ctx.params.typeId);
    const { displayName, description } = checkUserTypeBody(ctx.state, ctx.body ?? {}, { type });
    return ok(userTypeJson(ctx, saveType(type, displayName, description, nowIso(ctx), actorId(ctx.auth))));
  },

  deleteUserType(ctx) {
    const type = requireUserType(ctx.state, ctx.params.typeId);
    if (type.default) throw new OktaError('E0000001', { detail: 'The default user type cannot be deleted.', causes: ['The default user type cannot be deleted.'] });
    if (Object.values(ctx.state.users).some((user) => user.type.id === type.id)) {
      throw new OktaError('E0000001', { detail: 'A user type that users have cannot be deleted.', causes: ['A user type that users have cannot be deleted.'] });
    }
    delete ctx.state.userSchemas[type.schemaId];
    delete ctx.state.userTypes[type.id];
    return { status: 204 };
  },
} satisfies OktaHandlers;

function saveType(type: OktaUserType, displayName: string, description: string, now: string, by: string): OktaUserType {
  Object.assign(type, { displayName, description, lastUpdated: now, lastUpdatedBy: by });
  return type;
}
