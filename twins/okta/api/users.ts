import { cursorPage, type CursorPage } from '../../../src/index.js';
import { notFound, OktaError, validationFailed } from '../errors.js';
import { compileFilter } from '../model/filter.js';
import { applyGroupRules } from '../model/group-rules.js';
import { EVERYONE_GROUP_ID, groupJson } from '../model/groups.js';
import { ok } from '../model/http.js';
import { nowIso, oktaId } from '../model/ids.js';
import { addMember, removeMember } from '../model/memberships.js';
import { withCustomDefaults } from '../model/schemas.js';
import { applyCredentials, type CredentialsInput } from '../model/user-credentials.js';
import { canSignInWithoutActivationToken, PASSWORDLESS_PROVIDERS, setStatus } from '../model/user-lifecycle.js';
import { checkProfile, saveUserEdit, withDefaultProperties } from '../model/user-profiles.js';
import { parseFields, project, sortUsers, USER_FILTER, USER_SEARCH } from '../model/user-search.js';
import { logUserEdit, logUserLifecycle } from '../model/system-log.js';
import { defaultUserType, requireUserType } from '../model/user-types.js';
import { dropUser, findUser, putUser, trimmedUserJson, userJson, userOrder } from '../model/users.js';
import type { Ctx, OktaHandlers, OktaUser } from '../types.js';

const MAX_PAGE_SIZE = 200;
const Q_DEFAULT_LIMIT = 10;
const MAX_GROUP_IDS = 20;
// `q` matches a prefix of these profile properties (Okta's listUsers `q`).
const Q_PROPERTIES = ['firstName', 'lastName', 'email'];
const EXPIRE_NEEDS_ACTIVATE = 'Could not create user. To create a user and expire their password immediately, `activate` must be true.';
const EXPIRE_NEEDS_PASSWORD = 'Could not create user. To create a user and expire their password immediately, a password must be specified.';

function editableUser(ctx: Ctx): OktaUser {
  const user = findUser(ctx, ctx.params.id);
  // A deactivated profile cannot change unless the org allows it (Okta support: "Edit Deactivated User Profile Updates").
  if (user.status === 'DEPROVISIONED') throw new OktaError('E0000038');
  return user;
}

/** Users (tag User): list, create, read, edit and delete. */
export const userHandlers = {
  listUsers: (ctx) => {
    const { search, filter, q, after, sortBy, sortOrder, fields } = ctx.query;
    const limit = Math.min(ctx.query.limit, MAX_PAGE_SIZE);
    const projection = fields !== undefined ? parseFields(fields) : null;
    const respond = ({ page, headers }: CursorPage<OktaUser>) => {
      const listed = page.map((user) => trimmedUserJson(ctx, user, 'self'));
      return ok(projection ? listed.map((user) => project(user, projection)) : listed, headers);
    };
    // In the default order a page is walked from its cursor and stops once full; only a sorted search reads every user.
    if (search !== undefined) {
      const matches = compileFilter(search, USER_SEARCH);
      if (sortBy) return respond(cursorPage(ctx, sortUsers(Object.values(ctx.state.users).filter(matches), sortBy, sortOrder === 'desc'), { limit, after }));
      return respond(cursorPage(ctx, userOrder(ctx), { limit, after, where: matches }));
    }
    if (filter !== undefined) return respond(cursorPage(ctx, userOrder(ctx), { limit, after, where: compileFilter(filter, USER_FILTER) }));
    const listed = (user: OktaUser) => user.status !== 'DEPROVISIONED';
    if (q !== undefined) {
      // `q` has no paging: one page of `limit` users (10 unless given), the first that match in the default order.
      const qLimit = ctx.url.searchParams.has('limit') ? limit : Q_DEFAULT_LIMIT;
      const prefix = q.toLowerCase();
      const found: OktaUser[] = [];
      for (const user of userOrder(ctx).after()!) {
        if (found.length === qLimit) break;
        if (listed(user) && Q_PROPERTIES.some((p) => String(user.profile[p] ?? '').toLowerCase().startsWith(prefix))) found.push(user);
      }
      return respond(cursorPage(ctx, found, { limit: qLimit }));
    }
    return respond(cursorPage(ctx, userOrder(ctx), { limit, after, where: listed }));
  },

  createUser: (ctx) => {
    const body = ctx.body ?? {};
    const credentials: CredentialsInput = body.credentials ?? {};
    const activate: boolean = ctx.query.activate;
    const providerType = ctx.query.provider ? credentials.provider?.type : undefined;
    const passwordless = providerType !== undefined && PASSWORDLESS_PROVIDERS.has(providerType);
    const password = credentials.password;
    const hasPassword = !passwordless && Boolean(password && (password.value !== undefined || password.hash || password.hook));
    if (ctx.query.nextLogin === 'changePassword') {
      if (!activate) throw new OktaError('E0000125', { summary: EXPIRE_NEEDS_ACTIVATE, causes: [EXPIRE_NEEDS_ACTIVATE] });
      if (!hasPassword) throw new OktaError('E0000124', { summary: EXPIRE_NEEDS_PASSWORD, causes: [EXPIRE_NEEDS_PASSWORD] });
    }
    const groupIds: string[] = body.groupIds ?? [];
    if (groupIds.length > MAX_GROUP_IDS) throw new OktaError('E0000093', { causes: ['The number of group targets is too large'] });
    const typeId = body.type?.id !== undefined ? requireUserType(ctx.state, body.type.id).id : defaultUserType(ctx.state).id;
    const profile = withCustomDefaults(ctx.state, typeId, withDefaultProperties(body.profile ?? {}));
    checkProfile(ctx, profile, typeId, null, 'newUser');
    const missingGroup = groupIds.find((groupId) => !ctx.state.groups[groupId]);
    if (missingGroup !== undefined) throw notFound(missingGroup, 'UserGroup');

    const now = nowIso(ctx);
    const user: OktaUser = {
      id: oktaId(ctx, '00u'),
      status: 'STAGED',
      created: now,
      activated: null,
      statusChanged: null,
      lastLogin: null,
      lastUpdated: now,
      passwordChanged: null,
      transitioningToStatus: null,
      type: { id: typeId },
      profile,
      credentials: { provider: providerType ? { type: providerType, name: credentials.provider?.name ?? providerType } : { type: 'OKTA', name: 'OKTA' } },
      password: null,
      recoveryQuestion: null,
    };
    if (!passwordless) applyCredentials(ctx, user, credentials);
    if (activate) {
      user.status = canSignInWithoutActivationToken(user) ? (ctx.query.nextLogin === 'changePassword' ? 'PASSWORD_EXPIRED' : 'ACTIVE') : 'PROVISIONED';
      // A PROVISIONED user has not become ACTIVE yet, so Okta shows no `activated` for it (User.activated).
      if (user.status !== 'PROVISIONED') user.activated = now;
      user.statusChanged = now;
    }
    putUser(ctx, user);
    logUserLifecycle(ctx, user, 'create');
    if (activate) logUserLifecycle(ctx, user, 'activate');
    for (const groupId of new Set([EVERYONE_GROUP_ID, ...groupIds])) addMember(ctx, groupId, user.id, true);
    applyGroupRules(ctx, user);
    return ok(userJson(ctx, user, 'full'));
  },

  getUser: (ctx) => ok(trimmedUserJson(ctx, findUser(ctx, ctx.params.id), 'full')),

  updateUser: (ctx) => {
    const user = editableUser(ctx);
    const body = ctx.body ?? {};
    // The user type changes only with a full replacement (Okta's updateUser).
    if (body.type?.id !== undefined && body.type.id !== user.type.id) {
      throw validationFailed(['type: The user type can only be changed with a full replacement (PUT)']);
    }
    const profile = body.profile ? { ...user.profile, ...body.profile } : user.profile;
    const saved = saveUserEdit(ctx, user, profile, body.credentials, user.type.id);
    logUserEdit(ctx, saved, body);
    return ok(userJson(ctx, saved, 'full'));
  },

  replaceUser: (ctx) => {
    const user = editableUser(ctx);
    const body = ctx.body ?? {};
    const typeId = body.type?.id !== undefined ? requireUserType(ctx.state, body.type.id).id : user.type.id;
    const profile = withCustomDefaults(ctx.state, typeId, withDefaultProperties(body.profile ?? {}));
    const saved = saveUserEdit(ctx, user, profile, body.credentials, typeId);
    logUserEdit(ctx, saved, body);
    return ok(userJson(ctx, saved, 'full'));
  },

  deleteUser: (ctx) => {
    const user = findUser(ctx, ctx.params.id);
    // The first delete only deactivates; deleting a DEPROVISIONED user removes it for good (Okta's deleteUser).
    if (user.status !== 'DEPROVISIONED') {
      setStatus(ctx, user, 'DEPROVISIONED');
      logUserLifecycle(ctx, user, 'deactivate');
      return { status: 204 };
    }
    dropUser(ctx, user);
    logUserLifecycle(ctx, user, 'delete');
    for (const groupId of Object.keys(ctx.state.groupMembers)) removeMember(ctx, groupId, user.id);
    for (const assignments of Object.values(ctx.state.appUsers)) delete assignments[user.id];
    return { status: 204 };
  },

  listUserGroups: (ctx) => {
    const user = findUser(ctx, ctx.params.id);
    const groups = Object.values(ctx.state.groups).filter((group) => ctx.state.groupMembers[group.id]?.includes(user.id));
    return ok(groups.map((group) => groupJson(ctx, group)));
  },
} satisfies OktaHandlers;
