import { notFound, OktaError } from '../errors.js';
import type { Ctx, OktaGroup, RequestCtx } from '../types.js';
import { pathValue, type FilterRules } from './filter.js';
import { groupMembers } from './memberships.js';

/** The built-in group every user is a member of. */
export const EVERYONE_GROUP_ID = '00geveryonetwin00001';

/** A group as Okta returns it: the stored record plus `_links` (logo, users, apps) and the `_embedded` expansions asked for. */
export function groupJson(ctx: RequestCtx, group: OktaGroup, expand: string[] = []): Record<string, unknown> {
  const base = ctx.baseUrl;
  const source = (group as OktaGroup & { source?: { id: string } }).source;
  const logo = group.type === 'APP_GROUP' ? 'active_directory' : 'okta';
  const embedded: Record<string, unknown> = {};
  if (expand.includes('stats')) {
    embedded.stats = {
      usersCount: groupMembers(ctx.state, group.id).length,
      appsCount: Object.values(ctx.state.appGroups).filter((assignments) => assignments[group.id]).length,
      groupPushMappingsCount: 0,
      hasAdminPrivilege: false,
    };
  }
  const app = source && ctx.state.apps[source.id];
  if (expand.includes('app') && app) embedded.app = { id: app.id, name: app.name, label: app.label, signOnMode: app.signOnMode };
  return {
    ...group,
    ...(Object.keys(embedded).length ? { _embedded: embedded } : {}),
    _links: {
      logo: ['medium', 'large'].map((size) => ({ name: size, href: `${base}/assets/img/logos/groups/odyssey/${logo}-${size}.png`, type: 'image/png' })),
      ...(source ? { source: { href: `${base}/api/v1/apps/${source.id}` } } : {}),
      users: { href: `${base}/api/v1/groups/${group.id}/users` },
      apps: { href: `${base}/api/v1/groups/${group.id}/apps` },
    },
  };
}

/** Okta names a missing group "UserGroup" in its 404. */
export function requireGroup(ctx: RequestCtx, id: string): OktaGroup {
  const group = ctx.state.groups[id];
  if (!group) throw notFound(id, 'UserGroup');
  return group;
}

/** Only OKTA_GROUP groups are the API's to change: BUILT_IN ones are Okta's, APP_GROUP ones the importing app's. */
export function requireOktaGroup(group: OktaGroup): void {
  if (group.type !== 'OKTA_GROUP') throw new OktaError('E0000006');
}

/** The profile a PUT or POST sends, whole: Okta replaces the profile, so a missing description reads back as null. */
export function groupProfile(sent: Record<string, any>): OktaGroup['profile'] {
  return { ...sent, name: sent.name, description: sent.description ?? null };
}

/** Names are unique among the groups Okta manages; imported APP_GROUPs may share a name. */
export function assertUniqueName(ctx: Ctx, name: string, except?: string): void {
  const taken = Object.values(ctx.state.groups).some(
    (g) => g.id !== except && g.type !== 'APP_GROUP' && g.profile.name.toLowerCase() === name.toLowerCase(),
  );
  if (taken) {
    const cause = 'name: An object with this field already exists in the current organization';
    throw new OktaError('E0000001', { detail: 'name', causes: [cause] });
  }
}

const GROUP_DATES = new Set(['created', 'lastUpdated', 'lastMembershipUpdated']);

/** listGroups `filter`: a few properties, `eq` and the inequalities. */
export const GROUP_FILTER: FilterRules<OktaGroup> = {
  supports: (property, operator) => ['id', 'type', 'lastUpdated', 'lastMembershipUpdated'].includes(property) && ['eq', 'gt', 'ge', 'lt', 'le'].includes(operator),
  read: pathValue,
  dates: GROUP_DATES,
};

/** listGroups `search`: any group property but _links, _embedded and objectClass; `co` only on the name and description. */
export const GROUP_SEARCH: FilterRules<OktaGroup> = {
  supports: (property, operator) =>
    ['eq', 'ne', 'sw', 'co', 'gt', 'ge', 'lt', 'le', 'pr'].includes(operator) &&
    (operator === 'co'
      ? property === 'profile.name' || property === 'profile.description'
      : ['id', 'created', 'lastUpdated', 'lastMembershipUpdated', 'type', 'source.id'].includes(property) || /^profile\.\w+$/.test(property)),
  read: pathValue,
  dates: GROUP_DATES,
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function compareValues(x: unknown, y: unknown): number {
  if (typeof x === 'string' && typeof y === 'string' && ISO_DATE.test(x) && ISO_DATE.test(y)) return Math.sign(Date.parse(x) - Date.parse(y));
  if (typeof x === 'number' && typeof y === 'number') return Math.sign(x - y);
  if (typeof x === 'boolean' || typeof y === 'boolean') return x === y ? 0 : 1;
  return String(x).localeCompare(String(y));
}

/** Search results in `sortBy` order: timestamps as instants, numbers as numbers, the rest as text; ties by id. */
export function sortByPath<T>(items: T[], path: string, descending: boolean): T[] {
  const sign = descending ? -1 : 1;
  return [...items].sort((a, b) => {
    const x = pathValue(a, path);
    const y = pathValue(b, path);
    const order = x === y ? 0 : x === undefined || x === null ? 1 : y === undefined || y === null ? -1 : compareValues(x, y);
    return order !== 0 ? sign * order : String(pathValue(a, 'id')).localeCompare(String(pathValue(b, 'id')));
  });
}
