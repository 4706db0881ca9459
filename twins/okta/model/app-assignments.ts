import { notFound } from '../errors.js';
import type { OktaApp, OktaState, OktaUser, RequestCtx } from '../types.js';
import { groupJson } from './groups.js';
import { groupMembers } from './memberships.js';
import { userJson } from './users.js';

type Json = Record<string, any>;

/** An app user: the assignment record, and for a group-sourced one the group it comes through. */
export type AppUserRecord = Json & { id: string; groupId?: string };

/** Whether a user is assigned to an app directly or through one of their groups. */
export function isAssigned(state: OktaState, app: OktaApp, userId: string): boolean {
  if (state.appUsers[app.id]?.[userId]) return true;
  return Object.keys(state.appGroups[app.id] ?? {}).some((groupId) => state.groupMembers[groupId]?.includes(userId));
}

/**
 * Everyone assigned to an app: direct assignments (scope USER), then members of its assigned groups who have none
 * (scope GROUP, in the group's priority order). Users deleted since are left out.
 */
export function assignedUsers(state: OktaState, app: OktaApp): AppUserRecord[] {
  const direct = Object.values(state.appUsers[app.id] ?? {}).filter((r) => state.users[r.id]) as AppUserRecord[];
  const seen = new Set(direct.map((r) => r.id));
  const viaGroups: AppUserRecord[] = [];
  const assignments = Object.values(state.appGroups[app.id] ?? {}).sort((a, b) => a.priority - b.priority);
  for (const assignment of assignments) {
    for (const user of groupMembers(state, assignment.id)) {
      if (seen.has(user.id)) continue;
      seen.add(user.id);
      const record = appUserRecord(app, user, 'GROUP', assignment.lastUpdated);
      record.profile = { ...record.profile, ...assignment.profile };
      record.groupId = assignment.id;
      viaGroups.push(record);
    }
  }
  return [...direct, ...viaGroups];
}

/** A new assignment of a user to an app, directly (scope USER) or through a group (scope GROUP), as of `since`. */
export function appUserRecord(app: OktaApp, user: OktaUser, scope: 'USER' | 'GROUP', since: string): AppUserRecord {
  return {
    id: user.id,
    externalId: null,
    created: since,
    lastUpdated: since,
    scope,
    status: 'ACTIVE',
    statusChanged: since,
    passwordChanged: null,
    syncState: 'DISABLED',
    credentials: { userName: userName(app, user) },
    profile: defaultProfile(app, user),
  };
}

/** The app user, direct or group-sourced, or Okta's 404. */
export function requireAppUser(ctx: RequestCtx, app: OktaApp, userId: string): AppUserRecord {
  const appUser = assignedUsers(ctx.state, app).find((u) => u.id === userId);
  if (!appUser) throw notFound(userId, 'AppUser');
  return appUser;
}

/** An app user as Okta returns it; `expand=user` embeds the user. */
export function appUserJson(ctx: RequestCtx, app: OktaApp, record: AppUserRecord, embedUser: boolean): Json {
  const { groupId, ...shown } = record;
  const user = ctx.state.users[record.id];
  return {
    ...shown,
    ...(embedUser && user ? { _embedded: { user: userJson(ctx, user) } } : {}),
    _links: {
      app: { href: `${ctx.baseUrl}/api/v1/apps/${app.id}` },
      user: { href: `${ctx.baseUrl}/api/v1/users/${record.id}` },
      ...(groupId ? { group: { href: `${ctx.baseUrl}/api/v1/groups/${groupId}`, name: ctx.state.groups[groupId]?.profile.name } } : {}),
    },
  };
}

/** Credentials and profile sent on assign or update: the password value is never kept, only that one was set. */
export function applyAppUserChanges(record: Json, body: Json, now: string): void {
  if (body.credentials) {
    const { password, ...rest } = body.credentials;
    record.credentials = { ...record.credentials, ...rest, ...(password ? { password: {} } : {}) };
    if (password) record.passwordChanged = now;
  }
  if (body.profile) record.profile = { ...record.profile, ...body.profile };
  record.lastUpdated = now;
}

/** The app username from the app's userNameTemplate (`${source.login}` by default). */
function userName(app: OktaApp, user: OktaUser): string {
  const template: string = app.credentials?.userNameTemplate?.template ?? '${source.login}';
  const plain = /^\$\{source\.(\w+)\}$/.exec(template);
  if (plain) return String(user.profile[plain[1]] ?? user.profile.login);
  const before = /^\$\{fn:substringBefore\(source\.(\w+),\s*"(.*)"\)\}$/.exec(template);
  if (before) return String(user.profile[before[1]] ?? '').split(before[2])[0];
  return String(user.profile.login);
}

/** The app user profile Okta maps from the user: OIDC claims for an OIDC app, nothing for other custom apps. */
function defaultProfile(app: OktaApp, user: OktaUser): Json {
  if (app.signOnMode !== 'OPENID_CONNECT') return {};
  const p = user.profile;
  const name = [p.firstName, p.lastName].filter(Boolean).join(' ');
  return {
    name: p.displayName ?? (name || null),
    given_name: p.firstName ?? null,
    middle_name: p.middleName ?? null,
    family_name: p.lastName ?? null,
    nickname: p.nickName ?? null,
    email: p.email ?? null,
    phone_number: p.mobilePhone ?? p.primaryPhone ?? null,
    locale: p.locale ?? 'en_US',
    zoneinfo: p.timezone ?? 'America/Los_Angeles',
    street_address: p.streetAddress ?? null,
    locality: p.city ?? null,
    region: p.state ?? null,
    postal_code: p.zipCode ?? null,
    country: p.countryCode ?? null,
  };
}

/** The assignment of a group to an app, or Okta's 404. */
export function requireGroupAssignment(ctx: RequestCtx, app: OktaApp, groupId: string): Json {
  const assignment = ctx.state.appGroups[app.id]?.[groupId];
  if (!assignment || !ctx.state.groups[groupId]) throw notFound(groupId, 'ApplicationGroupAssignment');
  return assignment;
}

/** A group assignment as Okta returns it; `expand=group` embeds the group. */
export function groupAssignmentJson(ctx: RequestCtx, app: OktaApp, assignment: Json, embedGroup: boolean): Json {
  const base = ctx.baseUrl;
  const group = ctx.state.groups[assignment.id];
  return {
    ...assignment,
    ...(embedGroup && group ? { _embedded: { group: groupJson(ctx, group) } } : {}),
    _links: {
      app: { href: `${base}/api/v1/apps/${app.id}` },
      self: { href: `${base}/api/v1/apps/${app.id}/groups/${assignment.id}` },
      group: { href: `${base}/api/v1/groups/${assignment.id}` },
    },
  };
}
