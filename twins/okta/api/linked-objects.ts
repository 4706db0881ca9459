import { createRecord } from '../../../src/index.js';
import { ok } from '../model/http.js';
import { checkDefinitionBody, definitionJson, linkedUserIds, requireDefinition } from '../model/linked-objects.js';
import { logEvent } from '../model/system-log.js';
import { findUser } from '../model/users.js';
import type { Ctx, OktaHandlers } from '../types.js';

/**
 * Writes Okta's directory.linked_object.create / .delete for a definition (Event Types catalog: "An admin can create a
 * linked object that is related to user profiles"). Setting or removing one user's value writes no event: the
 * catalog has no type for it. The display messages are the twin's (the catalog shows none).
 */
function logDefinition(ctx: Ctx, definition: { primary: { name: string; title?: string }; associated: { name: string } }, action: 'create' | 'delete'): void {
  const name = definition.primary.name;
  logEvent(ctx, {
    eventType: `directory.linked_object.${action}`,
    displayMessage: action === 'create' ? 'Create linked object definition' : 'Delete linked object definition',
    target: [{ id: name, type: 'LinkedObject', alternateId: `${name}/${definition.associated.name}`, displayName: String(definition.primary.title ?? name), detailEntry: null }],
  });
}

/**
 * Linked objects (tags LinkedObject and UserLinkedObject): relationship definitions between users (manager and
 * subordinate, ...) and their values, an associated user pointing at its one primary user per relationship.
 */
export const linkedObjectHandlers = {
  listLinkedObjectDefinitions: (ctx) => ok(Object.values(ctx.state.linkedObjects ?? {}).map((d) => definitionJson(ctx, d))),

  createLinkedObjectDefinition(ctx) {
    const definition = checkDefinitionBody(ctx.state, ctx.body ?? {});
    (ctx.state.linkedObjects ??= createRecord())[definition.primary.name] = definition;
    logDefinition(ctx, definition, 'create');
    return { status: 201, body: definitionJson(ctx, definition) };
  },

  getLinkedObjectDefinition: (ctx) => ok(definitionJson(ctx, requireDefinition(ctx, ctx.params.linkedObjectName).definition)),

  deleteLinkedObjectDefinition(ctx) {
    const { definition } = requireDefinition(ctx, ctx.params.linkedObjectName);
    delete ctx.state.linkedObjects![definition.primary.name];
    if (ctx.state.linkedObjectValues) delete ctx.state.linkedObjectValues[definition.primary.name];
    logDefinition(ctx, definition, 'delete');
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
