import { ok } from '../model/http.js';
import { requireUserType, userTypeJson } from '../model/user-types.js';
import type { OktaHandlers } from '../types.js';

/** User types (tag UserType). */
export const userTypeHandlers = {
  listUserTypes: (ctx) => ok(Object.values(ctx.state.userTypes).map((type) => userTypeJson(ctx, type))),

  getUserType: (ctx) => ok(userTypeJson(ctx, requireUserType(ctx.state, ctx.params.typeId))),
} satisfies OktaHandlers;
