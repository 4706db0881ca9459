import { cursorPage } from '../../../src/index.js';
import { OktaError } from '../errors.js';
import { appJson } from '../model/apps.js';
import { compileFilter } from '../model/filter.js';
import { excludeRemovedMember } from '../model/group-rules.js';
import { assertUniqueName, GROUP_FILTER, GROUP_SEARCH, groupJson, groupProfile, requireGroup, requireOktaGroup, sortByPath } from '../model/groups.js';
import { expansions, ok } from '../model/http.js';
import { nowIso, oktaId } from '../model/ids.js';
import { addMember, groupMembers, removeMember } from '../model/memberships.js';
import { groupTarget, logEvent } from '../model/system-log.js';
import { requireUser, userJson } from '../model/users.js';
import type { Ctx, OktaGroup, OktaHandlers, OktaUser } from '../types.js';

function membership(ctx: Ctx): { group: OktaGroup; user: OktaUser } {
  const group = requireGroup(ctx, ctx.params.groupId);
  const user = requireUser(ctx, ctx.params.userId);
  // Okta: memberships of BUILT_IN and APP_GROUP groups are managed by Okta or the importing app, not the API.
  requireOktaGroup(group);
  return { group, user };
}

/** The groups and group memberships family of the Management API (tag Group). */
export const groupHandlers = {
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
      return ok(page.map((g) => groupJson(ctx, g, expand)), cursorPage(ctx, page, { limit: Math.max(page.length, 1) }).headers);
    }
    if (filter !== undefined) groups = groups.filter(compileFilter(filter, GROUP_FILTER));
    if (search !== undefined) {
      groups = groups.filter(compileFilter(search, GROUP_SEARCH));
      if (sortBy) groups = sortByPath(groups, sortBy, sortOrder === 'desc');
    }
    const { page, headers } = cursorPage(ctx, groups, { limit: Math.min(ctx.query.limit ?? 10000, 10000), after });
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
    logEvent(ctx, { eventType: 'group.lifecycle.create', displayMessage: 'Create Okta group', target: [groupTarget(group)] });
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
    logEvent(ctx, { eventType: 'group.profile.update', displayMessage: 'Update group profile', target: [groupTarget(group)] });
    return ok(groupJson(ctx, group));
  },

  deleteGroup(ctx) {
    const group = requireGroup(ctx, ctx.params.groupId);
    if (group.type === 'BUILT_IN') throw new OktaError('E0000006');
    delete ctx.state.groups[group.id];
    delete ctx.state.groupMembers[group.id];
    for (const assignments of Object.values(ctx.state.appGroups)) delete assignments[group.id];
    logEvent(ctx, { eventType: 'group.lifecycle.delete', displayMessage: 'Delete Okta group', target: [groupTarget(group)] });
    return { status: 204 };
  },

  listGroupUsers(ctx) {
    const group = requireGroup(ctx, ctx.params.groupId);
    const { page, headers } = cursorPage(ctx, groupMembers(ctx.state, group.id), { limit: ctx.query.limit, after: ctx.query.after });
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

  listAssignedApplicationsForGroup(ctx) {
    const group = requireGroup(ctx, ctx.params.groupId);
    const apps = Object.values(ctx.state.apps).filter((app) => ctx.state.appGroups[app.id]?.[group.id]);
    const { page, headers } = cursorPage(ctx, apps, { limit: ctx.query.limit, after: ctx.query.after });
    return ok(page.map((app) => appJson(ctx, app)), headers);
  },
} satisfies OktaHandlers;
