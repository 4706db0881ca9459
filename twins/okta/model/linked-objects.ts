import { copyJson } from '../../../src/index.js';
import { invalidFields, notFound } from '../errors.js';
import type { LinkedObjectDetails, OktaState, RequestCtx } from '../types.js';

type Definition = { primary: LinkedObjectDetails; associated: LinkedObjectDetails };

/** Okta's limit on linked object definitions per org. */
const MAX_DEFINITIONS = 200;

/** The definition one of whose relationships has this name, and which side that is; undefined when none has. */
export function findDefinition(state: OktaState, name: string): { definition: Definition; side: 'primary' | 'associated' } | undefined {
  for (const definition of Object.values(state.linkedObjects ?? {})) {
    if (definition.primary.name === name) return { definition, side: 'primary' };
    if (definition.associated.name === name) return { definition, side: 'associated' };
  }
  return undefined;
}

/** The definition named by either of its relationships, or Okta's 404. */
export function requireDefinition(ctx: RequestCtx, name: string): { definition: Definition; side: 'primary' | 'associated' } {
  const found = findDefinition(ctx.state, name);
  if (!found) throw notFound(name, 'LinkedObject');
  return found;
}

/** A definition as Okta returns it: its self link names the primary relationship. */
export function definitionJson(ctx: RequestCtx, definition: Definition): Record<string, unknown> {
  return { ...copyJson(definition), _links: { self: { href: `${ctx.baseUrl}/api/v1/meta/schemas/user/linkedObjects/${definition.primary.name}` } } };
}

function side(problems: [string, string][], field: 'primary' | 'associated', value: any): LinkedObjectDetails {
  if (!value || typeof value !== 'object') {
    problems.push([field, 'The field cannot be left blank']);
    return { name: '', title: '', description: null, type: 'USER' };
  }
  if (typeof value.name !== 'string' || !value.name) problems.push([`${field}.name`, 'The field cannot be left blank']);
  else if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(value.name)) problems.push([`${field}.name`, 'The name must start with a letter and contain only letters, digits and underscores.']);
  if (typeof value.title !== 'string' || !value.title.trim()) problems.push([`${field}.title`, 'The field cannot be left blank']);
  if (value.type !== 'USER') problems.push([`${field}.type`, 'Must be USER.']);
  return { name: value.name, title: value.title, description: typeof value.description === 'string' ? value.description : null, type: 'USER' };
}

/**
 * A definition body checked before anything is written: both relationships named (letters, digits, underscores),
 * titled and of type USER, with names that no definition uses yet and that differ from each other.
 *
 * @example
 * const definition = checkDefinitionBody(ctx.state, ctx.body);
 */
export function checkDefinitionBody(state: OktaState, body: Record<string, any>): Definition {
  const problems: [string, string][] = [];
  const primary = side(problems, 'primary', body.primary);
  const associated = side(problems, 'associated', body.associated);
  if (problems.length === 0) {
    if (primary.name === associated.name) problems.push(['associated.name', 'The primary and associated names must differ.']);
    for (const [field, name] of [['primary.name', primary.name], ['associated.name', associated.name]] as const) {
      if (findDefinition(state, name)) problems.push([field, 'An object with this field already exists in the current organization']);
    }
    if (Object.keys(state.linkedObjects ?? {}).length >= MAX_DEFINITIONS) problems.push(['primary', `An org can have at most ${MAX_DEFINITIONS} linked object definitions.`]);
  }
  if (problems.length) throw invalidFields(problems);
  return { primary, associated };
}

/**
 * The users linked to a user through one relationship, as Okta reads it: by the primary name, the user's primary user
 * (a subordinate's manager); by the associated name, the users whose primary this user is (a manager's subordinates).
 * Users deleted since are left out.
 *
 * @example
 * linkedUserIds(ctx.state, 'manager', report.id); // [managerId]
 */
export function linkedUserIds(state: OktaState, relationshipName: string, userId: string): string[] {
  const found = findDefinition(state, relationshipName)!;
  const values = state.linkedObjectValues?.[found.definition.primary.name];
  if (!values) return [];
  const ids = found.side === 'associated' ? Object.keys(values).filter((associated) => values[associated] === userId) : values[userId] ? [values[userId]] : [];
  return ids.filter((id) => state.users[id]);
}
