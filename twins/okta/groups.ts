import type { Handler, OperationContext, RequestContext } from '../../src/index.js';
import type { OktaAuth } from './auth.js';
import { expansions, notFound, nowIso, oktaId, ok, paginate, requireUser } from './common.js';
import { OktaError } from './errors.js';
import { compileFilter, pathValue, type FilterRules } from './filter.js';
import { excludeRemovedMember } from './group-rules.js';
import type { OktaGroup, OktaState, OktaUser } from './state.js';
import { userJson } from './users.js';

type Ctx = OperationContext<OktaState, OktaAuth>;

/** The groups and group memberships family of the Management API (tag Group). */
export const groupHandlers: Record<string, Handler<OktaState, OktaAuth>> = {
  listGroups(ctx) {
    const { q, filter, search, after, sortBy, sortOrder } = ctx.query;
    const expand = expansions(ctx.query.expand);
    let groups = Object.values(ctx.state.groups);
    if (q !== undefined) {
      // Okta: a query is an auto-complete lookup, exact names first, default limit 300, and it does not page.
      const needle = String(q).toLowerCase();
      const matches = groups.filter((g) => g.profile.name.toLowerCase().startsWith(needle));
      matches.sort((a, b) => Number(b.profile.name.toLowerCase() === needle) - Number(a.profile.name.toLowerCase() === needle));
      const page = matches.slice(0, ctx.query.limit ?? 300);
      return ok(page.map((g) => groupJson(ctx, g, expand)), paginate(ctx, page, { limit: Math.max(page.length, 1) }).headers);
    }
    if (filter !== undefined) groups = groups.filter(compileFilter(filter, GROUP_FILTER));
    if (search !== undefined) {
      groups = groups.filter(compileFilter(search, GROUP_SEARCH));
      if (sortBy) groups = sortByPath(groups, sortBy, sortOrder === 'desc');
    }
    const { page, headers } = paginate(ctx, groups, { limit: Math.min(ctx.query.limit ?? 10000, 10000), after });
    return ok(page.map((g) => groupJson(ctx, g, expand)), headers);
  },

  addGroup(ctx) {
    const profile = groupProfile(ctx.body.profile);
    assertUniqueName(ctx, profile.name);
    const now = nowIso(ctx);
    const group: OktaGroup = {
      id: oktaId(ctx, '00g'),
      created: now,
      lastUpdated: now,
      lastMembershipUpdated: now,
      objectClass: ['okta:user_group'],
      type: 'OKTA_GROUP',
      profile,
    };
    ctx.state.groups[group.id] = group;
    ctx.state.groupMembers[group.id] = [];
    return ok(groupJson(ctx, group));
  },

  getGroup(ctx) {
    return ok(groupJson(ctx, requireGroup(ctx, ctx.params.groupId), expansions(ctx.query.expand)));
  },

  replaceGroup(ctx) {
    const group = requireGroup(ctx, ctx.params.groupId);
    // Okta: only OKTA_GROUP profiles can be modified; app imports own APP_GROUP profiles.
    requireOktaGroup(group);
    const profile = groupProfile(ctx.body.profile);
    assertUniqueName(ctx, profile.name, group.id);
    group.profile = profile;
    group.lastUpdated = nowIso(ctx);
    return ok(groupJson(ctx, group));
  },

  deleteGroup(ctx) {
    const group = requireGroup(ctx, ctx.params.groupId);
    if (group.type === 'BUILT_IN') throw new OktaError('E0000006');
    delete ctx.state.groups[group.id];
    delete ctx.state.groupMembers[group.id];
    for (const assignments of Object.values(ctx.state.appGroups)) delete assignments[group.id];
    return { status: 204 };
  },

  listGroupUsers(ctx) {
    const group = requireGroup(ctx, ctx.params.groupId);
    const { page, headers } = paginate(ctx, groupMembers(ctx.state, group.id), { limit: ctx.query.limit, after: ctx.query.after });
    return ok(page.map((user) => userJson(ctx, user)), headers);
  },

  assignUserToGroup(ctx) {
    const { group, user } = membership(ctx);
    addMember(ctx, group.id, user.id);
    return { status: 204 };
  },

  unassignUserFromGroup(ctx) {
    const { group, user } = membership(ctx);
    removeMember(ctx, group.id, user.id);
    excludeRemovedMember(ctx, group.id, user.id);
    return { status: 204 };
  },
};

/** A group as Okta returns it: the stored record plus `_links` (logo, users, apps) and the `_embedded` expansions asked for. */
export function groupJson(ctx: RequestContext<OktaState>, group: OktaGroup, expand: string[] = []): Record<string, unknown> {
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

/** The members of a group that still exist, in the order they were added. */
export function groupMembers(state: OktaState, groupId: string): OktaUser[] {
  return (state.groupMembers[groupId] ?? []).map((id) => state.users[id]).filter((user): user is OktaUser => user !== undefined);
}

/** Adds a user to a group (once); lastMembershipUpdated moves only when the members change. */
export function addMember(ctx: RequestContext<OktaState>, groupId: string, userId: string, newUser = false): void {
  const group = ctx.state.groups[groupId];
  if (!group) return;
  const members = (ctx.state.groupMembers[groupId] ??= []);
  // A user created a moment ago is in no group yet: no need to scan large groups such as Everyone.
  if (!newUser && members.includes(userId)) return;
  members.push(userId);
  group.lastMembershipUpdated = nowIso(ctx);
}

/** Removes a user from a group's members; lastMembershipUpdated moves only when the members change. */
export function removeMember(ctx: RequestContext<OktaState>, groupId: string, userId: string): void {
  const members = ctx.state.groupMembers[groupId] ?? [];
  const index = members.indexOf(userId);
  if (index < 0) return;
  members.splice(index, 1);
  const group = ctx.state.groups[groupId];
  if (group) group.lastMembershipUpdated = nowIso(ctx);
}

/** Okta names a missing group "UserGroup" in its 404. */
export function requireGroup(ctx: RequestContext<OktaState>, id: string): OktaGroup {
  const group = ctx.state.groups[id];
  if (!group) throw notFound(id, 'UserGroup');
  return group;
}

function membership(ctx: Ctx): { group: OktaGroup; user: OktaUser } {
  const group = requireGroup(ctx, ctx.params.groupId);
  const user = requireUser(ctx, ctx.params.userId);
  // Okta: memberships of BUILT_IN and APP_GROUP groups are managed by Okta or the importing app, not the API.
  requireOktaGroup(group);
  return { group, user };
}

function requireOktaGroup(group: OktaGroup): void {
  if (group.type !== 'OKTA_GROUP') throw new OktaError('E0000006');
}

/** The profile a PUT or POST sends, whole: Okta replaces the profile, so a missing description reads back as null. */
function groupProfile(sent: Record<string, any>): OktaGroup['profile'] {
  return { ...sent, name: sent.name, description: sent.description ?? null };
}

/** Names are unique among the groups Okta manages; imported APP_GROUPs may share a name. */
function assertUniqueName(ctx: Ctx, name: string, except?: string): void {
  const taken = Object.values(ctx.state.groups).some(
    (g) => g.id !== except && g.type !== 'APP_GROUP' && g.profile.name.toLowerCase() === name.toLowerCase(),
  );
  if (taken) {
    const cause = 'name: An object with this field already exists in the current organization';
    throw new OktaError('E0000001', { detail: 'name', causes: [cause] });
  }
}

const GROUP_DATES = new Set(['created', 'lastUpdated', 'lastMembershipUpdated']);

const GROUP_FILTER: FilterRules<OktaGroup> = {
  supports: (property, operator) => ['id', 'type', 'lastUpdated', 'lastMembershipUpdated'].includes(property) && ['eq', 'gt', 'ge', 'lt', 'le'].includes(operator),
  read: pathValue,
  dates: GROUP_DATES,
};

// Okta: `search` takes any group property but _links, _embedded and objectClass; `co` only on the name and description.
const GROUP_SEARCH: FilterRules<OktaGroup> = {
  supports: (property, operator) =>
    ['eq', 'ne', 'sw', 'co', 'gt', 'ge', 'lt', 'le', 'pr'].includes(operator) &&
    (operator === 'co'
      ? property === 'profile.name' || property === 'profile.description'
      : ['id', 'created', 'lastUpdated', 'lastMembershipUpdated', 'type', 'source.id'].includes(property) || /^profile\.\w+$/.test(property)),
  read: pathValue,
  dates: GROUP_DATES,
};

/** Search results in `sortBy` order: timestamps as instants, numbers as numbers, the rest as text; ties by id. */
function sortByPath<T>(items: T[], path: string, descending: boolean): T[] {
  const sign = descending ? -1 : 1;
  return [...items].sort((a, b) => {
    const x = pathValue(a, path);
    const y = pathValue(b, path);
    const order = x === y ? 0 : x === undefined || x === null ? 1 : y === undefined || y === null ? -1 : compareValues(x, y);
    return order !== 0 ? sign * order : String(pathValue(a, 'id')).localeCompare(String(pathValue(b, 'id')));
  });
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function compareValues(x: unknown, y: unknown): number {
  if (typeof x === 'string' && typeof y === 'string' && ISO_DATE.test(x) && ISO_DATE.test(y)) return Math.sign(Date.parse(x) - Date.parse(y));
  if (typeof x === 'number' && typeof y === 'number') return Math.sign(x - y);
  if (typeof x === 'boolean' || typeof y === 'boolean') return x === y ? 0 : 1;
  return String(x).localeCompare(String(y));
}
