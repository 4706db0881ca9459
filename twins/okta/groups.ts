import type { Handler, OperationContext, RequestContext } from '../../src/engine/types.js';
import type { OktaAuth } from './auth.js';
import { notFound, nowIso, oktaId, ok, paginate } from './common.js';
import { OktaError } from './errors.js';
import type { OktaGroup, OktaState, OktaUser } from './state.js';

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
    const { page, headers } = paginate(ctx, groupMembers(ctx.state, group.id), { limit: ctx.query.limit ?? 1000, after: ctx.query.after });
    return ok(page.map((user) => userJson(ctx, user)), headers);
  },

  assignUserToGroup(ctx) {
    const { group, user } = membership(ctx);
    const members = (ctx.state.groupMembers[group.id] ??= []);
    if (!members.includes(user.id)) {
      members.push(user.id);
      group.lastMembershipUpdated = nowIso(ctx);
    }
    return { status: 204 };
  },

  unassignUserFromGroup(ctx) {
    const { group, user } = membership(ctx);
    const members = ctx.state.groupMembers[group.id] ?? [];
    const index = members.indexOf(user.id);
    if (index >= 0) {
      members.splice(index, 1);
      group.lastMembershipUpdated = nowIso(ctx);
    }
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

/**
 * A user as Okta lists it, with `_links.self` only: the same shape as the users family's collections (which keeps
 * its serializer private), without the twin-only password and recovery answer.
 */
export function userJson(ctx: RequestContext<OktaState>, user: OktaUser): Record<string, unknown> {
  return {
    id: user.id,
    status: user.status,
    created: user.created,
    activated: user.activated,
    statusChanged: user.statusChanged,
    lastLogin: user.lastLogin,
    lastUpdated: user.lastUpdated,
    passwordChanged: user.passwordChanged,
    ...(user.transitioningToStatus ? { transitioningToStatus: user.transitioningToStatus } : {}),
    type: { id: user.type.id },
    profile: { ...user.profile },
    credentials: structuredClone(user.credentials),
    _links: { self: { href: `${ctx.baseUrl}/api/v1/users/${user.id}` } },
  };
}

/** A user by id, or by login (case-insensitive) as Okta also accepts in user paths. */
function findUser(state: OktaState, idOrLogin: string): OktaUser | undefined {
  const login = idOrLogin.toLowerCase();
  return state.users[idOrLogin] ?? Object.values(state.users).find((u) => String(u.profile.login ?? '').toLowerCase() === login);
}

export function requireUser(ctx: RequestContext<OktaState>, idOrLogin: string): OktaUser {
  const user = findUser(ctx.state, idOrLogin);
  if (!user) throw notFound(idOrLogin, 'User');
  return user;
}

/** Okta names a missing group "UserGroup" in its 404. */
export function requireGroup(ctx: RequestContext<OktaState>, id: string): OktaGroup {
  const group = ctx.state.groups[id];
  if (!group) throw notFound(id, 'UserGroup');
  return group;
}

/** The comma-separated values of an `expand` parameter. */
export function expansions(expand: unknown): string[] {
  return typeof expand === 'string' ? expand.split(',').map((e) => e.trim()).filter(Boolean) : [];
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

const GROUP_FILTER: FilterRules = {
  attributes: (attr) => ['id', 'type', 'lastUpdated', 'lastMembershipUpdated'].includes(attr),
  operators: ['eq', 'gt', 'ge', 'lt', 'le'],
};

// Okta: `search` takes any group property but _links, _embedded and objectClass; `co` only on the name and description.
const GROUP_SEARCH: FilterRules = {
  attributes: (attr, op) =>
    op === 'co'
      ? attr === 'profile.name' || attr === 'profile.description'
      : ['id', 'created', 'lastUpdated', 'lastMembershipUpdated', 'type', 'source.id'].includes(attr) || /^profile\.\w+$/.test(attr),
  operators: ['eq', 'ne', 'sw', 'co', 'gt', 'ge', 'lt', 'le', 'pr'],
};

function sortByPath<T>(items: T[], path: string, descending: boolean): T[] {
  const sign = descending ? -1 : 1;
  return [...items].sort((a, b) => {
    const x = pathValue(a, path);
    const y = pathValue(b, path);
    const order = x === y ? 0 : x === undefined || x === null ? 1 : y === undefined || y === null ? -1 : compareValues(x, y);
    return order !== 0 ? sign * order : String(pathValue(a, 'id')).localeCompare(String(pathValue(b, 'id')));
  });
}

// ---- Okta filter and search expressions: attr op "value", `pr`, and/or, parentheses ----

/** Which attributes and operators an endpoint's `filter` or `search` accepts. */
export interface FilterRules {
  attributes: (attr: string, op: string) => boolean;
  operators: string[];
}

const OPERATORS = ['eq', 'ne', 'sw', 'co', 'ew', 'gt', 'ge', 'lt', 'le', 'pr'];

type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'test'; attr: string; op: string; value?: unknown };

/** Reads an attribute of an item; an array value matches `eq` when any element does. */
export type AttributeReader = (item: unknown, attr: string) => unknown;

/**
 * Compiles an Okta filter expression (`type eq "OKTA_GROUP" and lastUpdated gt "2026-01-01T00:00:00.000Z"`) to a
 * predicate. A malformed expression, or an attribute or operator the endpoint does not support, is a 400.
 */
export function compileFilter(text: string, rules: FilterRules, read: AttributeReader = pathValue): (item: unknown) => boolean {
  const tokens = tokenize(String(text));
  let pos = 0;
  const peek = () => tokens[pos];
  const word = (t: Token | undefined, w: string) => t?.type === 'word' && t.text.toLowerCase() === w;
  const fail = (): never => {
    throw syntaxError();
  };
  const parseOr = (): FilterNode => {
    let left = parseAnd();
    while (word(peek(), 'or')) {
      pos++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): FilterNode => {
    let left = parsePrimary();
    while (word(peek(), 'and')) {
      pos++;
      left = { kind: 'and', left, right: parsePrimary() };
    }
    return left;
  };
  const parsePrimary = (): FilterNode => {
    const t = tokens[pos++];
    if (t?.type === 'open') {
      const inner = parseOr();
      if (tokens[pos++]?.type !== 'close') fail();
      return inner;
    }
    if (t?.type !== 'word') return fail();
    const opToken = tokens[pos++];
    if (opToken?.type !== 'word') return fail();
    const op = opToken.text.toLowerCase();
    if (!OPERATORS.includes(op)) fail();
    if (!rules.operators.includes(op) || !rules.attributes(t.text, op)) throw new OktaError('E0000031');
    if (op === 'pr') return { kind: 'test', attr: t.text, op };
    const v = tokens[pos++];
    if (v?.type === 'string') return { kind: 'test', attr: t.text, op, value: v.text };
    if (v?.type === 'word' && /^(true|false|null|-?\d+(\.\d+)?)$/i.test(v.text)) return { kind: 'test', attr: t.text, op, value: JSON.parse(v.text.toLowerCase()) };
    return fail();
  };
  const tree = tokens.length ? parseOr() : fail();
  if (pos !== tokens.length) fail();
  return (item) => evaluate(tree, read, item);
}

type Token = { type: 'open' | 'close' } | { type: 'word' | 'string'; text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')') {
      tokens.push({ type: c === '(' ? 'open' : 'close' });
      i++;
    } else if (c === '"') {
      let value = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i++];
      }
      if (text[i] !== '"') throw syntaxError();
      i++;
      tokens.push({ type: 'string', text: value });
    } else {
      const match = /^[^\s()"]+/.exec(text.slice(i))!;
      tokens.push({ type: 'word', text: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

function evaluate(node: FilterNode, read: AttributeReader, item: unknown): boolean {
  if (node.kind !== 'test') {
    return node.kind === 'and' ? evaluate(node.left, read, item) && evaluate(node.right, read, item) : evaluate(node.left, read, item) || evaluate(node.right, read, item);
  }
  const actual = read(item, node.attr);
  if (node.op === 'pr') return actual !== undefined && actual !== null && actual !== '';
  const values = Array.isArray(actual) ? actual : [actual];
  const test = (v: unknown) => matches(v, node.op, node.value);
  return node.op === 'ne' ? values.every(test) : values.some(test);
}

function matches(actual: unknown, op: string, expected: unknown): boolean {
  if (expected === null) return op === 'eq' ? actual === null || actual === undefined : op === 'ne' ? actual !== null && actual !== undefined : false;
  if (actual === undefined || actual === null) return op === 'ne';
  const a = typeof actual === 'string' ? actual.toLowerCase() : actual;
  const e = typeof expected === 'string' ? expected.toLowerCase() : expected;
  switch (op) {
    case 'eq':
      return compareValues(actual, expected) === 0 || a === e;
    case 'ne':
      return !(compareValues(actual, expected) === 0 || a === e);
    case 'sw':
      return String(a).startsWith(String(e));
    case 'co':
      return String(a).includes(String(e));
    case 'gt':
      return compareValues(actual, expected) > 0;
    case 'ge':
      return compareValues(actual, expected) >= 0;
    case 'lt':
      return compareValues(actual, expected) < 0;
    case 'le':
      return compareValues(actual, expected) <= 0;
    default:
      return false;
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Timestamps compare as instants (Okta accepts them with or without milliseconds), numbers as numbers, the rest as text. */
function compareValues(x: unknown, y: unknown): number {
  if (typeof x === 'string' && typeof y === 'string' && ISO_DATE.test(x) && ISO_DATE.test(y)) return Math.sign(Date.parse(x) - Date.parse(y));
  if (typeof x === 'number' && typeof y === 'number') return Math.sign(x - y);
  if (typeof x === 'boolean' || typeof y === 'boolean') return x === y ? 0 : 1;
  return String(x).localeCompare(String(y));
}

/** The value at a dotted path (`profile.name`, `source.id`). */
export function pathValue(item: unknown, path: string): unknown {
  let node: any = item;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = node[key];
  }
  return node;
}

/**
 * Okta answers an expression it cannot parse with E0000031 and the cause "Invalid search syntax."; a well-formed
 * one on a property or operator the parameter does not support gets E0000031 without causes.
 */
function syntaxError(): OktaError {
  return new OktaError('E0000031', { causes: ['Invalid search syntax.'] });
}
