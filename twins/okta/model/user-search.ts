import { validationFailed } from '../errors.js';
import type { OktaUser } from '../types.js';
import type { FilterRules } from './filter.js';

const TOP_LEVEL_PROPERTIES = new Set(['id', 'status', 'created', 'activated', 'statusChanged', 'lastUpdated', 'lastLogin', 'passwordChanged', 'type.id']);
const DATE_PROPERTIES = new Set(['created', 'activated', 'statusChanged', 'lastUpdated', 'lastLogin', 'passwordChanged']);
const CONTAINS_PROPERTIES = new Set(['profile.firstName', 'profile.lastName', 'profile.email', 'profile.login']);
const FILTER_PROPERTIES = new Set(['status', 'lastUpdated', 'id', 'profile.login', 'profile.email', 'profile.firstName', 'profile.lastName']);
// Okta has no `ne`: `lt ... or ... gt` stands in for it (Okta's listUsers `search`).
const SEARCH_OPERATORS = new Set(['eq', 'sw', 'co', 'gt', 'ge', 'lt', 'le', 'pr']);
const INEQUALITIES = new Set(['gt', 'ge', 'lt', 'le']);

function attributeValue(user: OktaUser, attribute: string): unknown {
  if (attribute.startsWith('profile.')) return user.profile[attribute.slice('profile.'.length)];
  if (attribute === 'type.id') return user.type.id;
  return (user as unknown as Record<string, unknown>)[attribute];
}

/** listUsers `search`: any profile property and the top-level ones; `co` only on the four name and address properties. */
export const USER_SEARCH: FilterRules<OktaUser> = {
  supports: (property, operator) =>
    (property.startsWith('profile.') || TOP_LEVEL_PROPERTIES.has(property)) &&
    SEARCH_OPERATORS.has(operator) &&
    (operator !== 'co' || CONTAINS_PROPERTIES.has(property)),
  read: attributeValue,
  dates: DATE_PROPERTIES,
};

/**
 * listUsers `filter`: seven properties, `eq` only, plus the inequalities on lastUpdated (Okta's listUsers `filter`).
 * Filter values are compared case-sensitively, search values are not (Okta support: filter vs search).
 */
export const USER_FILTER: FilterRules<OktaUser> = {
  supports: (property, operator) => FILTER_PROPERTIES.has(property) && (operator === 'eq' || (property === 'lastUpdated' && INEQUALITIES.has(operator))),
  read: attributeValue,
  dates: DATE_PROPERTIES,
  caseSensitive: true,
};

/** Okta sorts search results case-insensitively by one property, ties by id. */
export function sortUsers(users: OktaUser[], sortBy: string, descending: boolean): OktaUser[] {
  const key = (user: OktaUser) => {
    const value = attributeValue(user, sortBy);
    return value === null || value === undefined ? null : String(value).toLowerCase();
  };
  return [...users].sort((x, y) => {
    const a = key(x);
    const b = key(y);
    let difference = a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;
    if (descending && a !== null && b !== null) difference = -difference;
    return difference || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
  });
}

/** A parsed `fields` value: top-level names, and the profile properties asked for (all of them for a bare `profile`). */
export interface Projection {
  top: Set<string>;
  profile: string[] | 'all' | null;
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function fieldsRefused(): Error {
  return validationFailed(['fields: The fields parameter must be a comma-separated list of properties, with profile properties inside profile:(...)']);
}

/** Parses `fields` such as `status,profile:(firstName, city)` (Okta's listUsers `fields`). */
export function parseFields(fields: string): Projection {
  const projection: Projection = { top: new Set(), profile: null };
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of fields) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (depth < 0 || depth > 1) throw fieldsRefused();
    if (char === ',' && depth === 0) {
      items.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (depth !== 0) throw fieldsRefused();
  items.push(current);
  for (const raw of items.map((item) => item.trim())) {
    const nested = /^profile\s*:\s*\((.*)\)$/.exec(raw);
    if (nested) {
      const names = nested[1].split(',').map((name) => name.trim());
      if (names.some((name) => !FIELD_NAME.test(name))) throw fieldsRefused();
      projection.profile = projection.profile === 'all' ? 'all' : [...(projection.profile ?? []), ...names];
    } else if (raw === 'profile') {
      projection.profile = 'all';
    } else if (FIELD_NAME.test(raw)) {
      projection.top.add(raw);
    } else {
      throw fieldsRefused();
    }
  }
  return projection;
}

/**
 * The id, always, and only the fields asked for: "The id field is always included" (Okta's listUsers `fields`). Only
 * the user's own properties count: `fields=constructor` names nothing a user has.
 */
export function project(user: Record<string, any>, projection: Projection): Record<string, unknown> {
  const out: Record<string, unknown> = { id: user.id };
  for (const name of projection.top) if (Object.hasOwn(user, name)) out[name] = user[name];
  if (projection.profile === 'all') out.profile = user.profile;
  else if (projection.profile) out.profile = Object.fromEntries(projection.profile.filter((name) => Object.hasOwn(user.profile, name)).map((name) => [name, user.profile[name]]));
  return out;
}
