import { ok } from '../model/http.js';
import { requireSchema, schemaJson, updateSchema } from '../model/schemas.js';
import type { OktaHandlers } from '../types.js';

/** The user profile schemas (tag Schema). */
export const schemaHandlers = {
  getUserSchema: (ctx) => ok(schemaJson(ctx, requireSchema(ctx.state, ctx.params.schemaId), ctx.params.schemaId)),

  updateUserProfile: (ctx) => {
    const schema = requireSchema(ctx.state, ctx.params.schemaId);
    return ok(schemaJson(ctx, updateSchema(ctx, schema, ctx.body ?? {}), ctx.params.schemaId));
  },
} satisfies OktaHandlers;
