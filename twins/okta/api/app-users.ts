import { cursorPage, createRecord } from '../../../src/index.js';
import { OktaError } from '../errors.js';
import { applyAppUserChanges, appUserJson, appUserRecord, assignedUsers, requireAppUser, type AppUserRecord } from '../model/app-assignments.js';
import { requireApp } from '../model/apps.js';
import { expansions, ok } from '../model/http.js';
import { nowIso } from '../model/ids.js';
import { appTarget, logEvent, userTarget, type LogEntity } from '../model/system-log.js';
import { requireUser } from '../model/users.js';
import type { OktaHandlers, OktaUser } from '../types.js';

type Json = Record<string, any>;

/** An app assignment as Okta's membership events name it: the `AppUser`, by the user's name in the app. */
function appUserTarget(record: AppUserRecord, user: OktaUser): LogEntity {
  const name = String(record.credentials?.userName ?? user.profile.login);
  return { id: record.id, type: 'AppUser', alternateId: name, displayName: name, detailEntry: null };
}

/** Users assigned to an app (tag ApplicationUsers). */
export const appUserHandlers = {
  listApplicationUsers(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    let appUsers = assignedUsers(ctx.state, app);
    if (ctx.query.q !== undefined) {
      const q = String(ctx.query.q).toLowerCase();
      appUsers = appUsers.filter((appUser) => {
        const user = ctx.state.users[appUser.id];
        const candidates = [appUser.credentials?.userName, user?.profile.firstName, user?.profile.lastName, user?.profile.email, appUser.profile?.email];
        return candidates.some((value) => typeof value === 'string' && value.toLowerCase().startsWith(q));
      });
    }
    const { page, headers } = cursorPage(ctx, appUsers, { limit: ctx.query.limit, after: ctx.query.after });
    const embedUser = expansions(ctx.query.expand).includes('user');
    return ok(page.map((appUser) => appUserJson(ctx, app, appUser, embedUser)), headers);
  },

  assignUserToApplication(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    const body: Json = ctx.body;
    const user = requireUser(ctx, body.id);
    const now = nowIso(ctx);
    const assignments = (ctx.state.appUsers[app.id] ??= createRecord());
    const previous = assignments[user.id] as AppUserRecord | undefined;
    const record = previous ?? appUserRecord(app, user, 'USER', now);
    applyAppUserChanges(record, body, now);
    assignments[user.id] = record;
    if (!previous) logEvent(ctx, { eventType: 'application.user_membership.add', displayMessage: 'Add user to application membership', target: [appUserTarget(record, user), appTarget(app), userTarget(user)] });
    return ok(appUserJson(ctx, app, record, false));
  },

  getApplicationUser(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    const appUser = requireAppUser(ctx, app, ctx.params.userId);
    return ok(appUserJson(ctx, app, appUser, expansions(ctx.query.expand).includes('user')));
  },

  updateApplicationUser(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    const appUser = requireAppUser(ctx, app, ctx.params.userId);
    const record = ctx.state.appUsers[app.id]?.[appUser.id] as AppUserRecord | undefined;
    // A group-sourced assignment has no record of its own to change.
    if (!record) throw new OktaError('E0000006');
    applyAppUserChanges(record, ctx.body ?? {}, nowIso(ctx));
    const user = ctx.state.users[appUser.id];
    // Okta's application.user_membership.update (Event Types catalog); the display message is the twin's.
    if (user) logEvent(ctx, { eventType: 'application.user_membership.update', displayMessage: 'Update user in application membership', target: [appUserTarget(record, user), appTarget(app), userTarget(user)] });
    return ok(appUserJson(ctx, app, record, false));
  },

  unassignUserFromApplication(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    const appUser = requireAppUser(ctx, app, ctx.params.userId);
    const assignments = ctx.state.appUsers[app.id];
    // A user assigned only through a group stays assigned until the group assignment goes.
    if (!assignments?.[appUser.id]) throw new OktaError('E0000006');
    delete assignments[appUser.id];
    const user = ctx.state.users[appUser.id];
    if (user) logEvent(ctx, { eventType: 'application.user_membership.remove', displayMessage: 'Remove user from application membership', target: [appUserTarget(appUser, user), appTarget(app), userTarget(user)] });
    return { status: 204 };
  },
} satisfies OktaHandlers;
