import { createRecord } from '../../../src/index.js';
import { ok } from '../model/http.js';
import { checkDefinitionBody, definitionJson, linkedUserIds, requireDefinition } from '../model/linked-objects.js';
import { findUser } from '../model/users.js';
import type { OktaHandlers } from '../types.js';

/**
 * Linked objects (tags LinkedObject and UserLinkedObject): relationship definitions between users (manager and
 * subordinate, ...) and their values, an associated user pointing at its one primary user per relationship.
 */
export const linkedObjectHandlers = {
  listLinkedObjectDefinitions: (ctx) => ok(Object.values(ctx.state.linkedObjects ?? {}).map((d) => definitionJson(ctx, d))),

  createLinkedObjectDefinition(ctx) {
    const definition = checkDefinitionBody(ctx.state, ctx.body ?? {});
    (ctx.state.linkedObjects ??= createRecord())[definition.primary.name] = definition;
    return { status: 201, body: definitionJson(ctx, definition) };
  },

  getLinkedObjectDefinition: (ctx) => ok(definitionJson(ctx, requireDefinition(ctx, ctx.params.linkedObjectName).definition)),

  deleteLinkedObjectDefinition(ctx) {
    const { definition } = requireDefinition(ctx, ctx.params.linkedObjectName);
    delete ctx.state.linkedObjects![definition.primary.name];
    if (ctx.state.linkedObjectValues) delete ctx.state.linkedObjectValues[definition.primary.name];
    return { status: 204 };
  },

  listLinkedObjectsForUser(ctx) {
    const user = findUser(ctx, ctx.params.userId);
    requireDefinition(ctx, ctx.params.relationshipName);
    const ids = linkedUserIds(ctx.state, ctx.params.relationshipName, user.id);
    return ok(ids.map((id) => ({ _links: { self: { href: `${ctx.baseUrl}/api/v1/users/${id}` } } })));
  },

  deleteLinkedObjectForUser(ctx) {
    const user = findUser(ctx, ctx.params.userId);
    const { definition } = requireDefinition(ctx, ctx.params.relationshipName);
    const values = ctx.state.linkedObjectValues?.[definition.primary.name];
    if (values && values[user.id] !== undefined) delete values[user.id];
    return { status: 204 };
  },

  setLinkedObjectForUser(ctx) {
    const associated = findUser(ctx, ctx.params.associatedUserId);
    const primary = findUser(ctx, ctx.params.primaryUserId);
    const found = requireDefinition(ctx, ctx.params.primaryRelationshipName);
    const name = found.definition.primary.name;
    ((ctx.state.linkedObjectValues ??= createRecord())[name] ??= createRecord())[associated.id] = primary.id;
    return { status: 204 };
  },
} satisfies OktaHandlers;
