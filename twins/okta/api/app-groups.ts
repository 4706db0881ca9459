import { cursorPage, createRecord } from '../../../src/index.js';
import { groupAssignmentJson, requireGroupAssignment } from '../model/app-assignments.js';
import { requireApp } from '../model/apps.js';
import { requireGroup } from '../model/groups.js';
import { expansions, ok } from '../model/http.js';
import { nowIso } from '../model/ids.js';
import { appTarget, groupTarget, logEvent } from '../model/system-log.js';
import type { OktaHandlers } from '../types.js';

type Json = Record<string, any>;

/** Groups assigned to an app (tag ApplicationGroups). */
export const appGroupHandlers = {
  listApplicationGroupAssignments(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    let assignments = Object.values(ctx.state.appGroups[app.id] ?? {}).filter((a) => ctx.state.groups[a.id]);
    if (ctx.query.q !== undefined) {
      const q = String(ctx.query.q).toLowerCase();
      assignments = assignments.filter((a) => ctx.state.groups[a.id].profile.name.toLowerCase().startsWith(q));
    }
    const { page, headers } = cursorPage(ctx, assignments as (Json & { id: string })[], { limit: ctx.query.limit, after: ctx.query.after });
    const embedGroup = expansions(ctx.query.expand).includes('group');
    return ok(page.map((a) => groupAssignmentJson(ctx, app, a, embedGroup)), headers);
  },

  getApplicationGroupAssignment(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    const assignment = requireGroupAssignment(ctx, app, ctx.params.groupId);
    return ok(groupAssignmentJson(ctx, app, assignment, expansions(ctx.query.expand).includes('group')));
  },

  assignGroupToApplication(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    const group = requireGroup(ctx, ctx.params.groupId);
    const body: Json = ctx.body ?? {};
    const assignments = (ctx.state.appGroups[app.id] ??= createRecord());
    const previous = assignments[group.id];
    // Okta: without a priority, a new assignment takes the next one.
    const nextPriority = Object.values(assignments).reduce((max, a) => Math.max(max, Number(a.priority) + 1), 0);
    const assignment = {
      id: group.id,
      lastUpdated: nowIso(ctx),
      priority: body.priority ?? previous?.priority ?? nextPriority,
      profile: body.profile ?? previous?.profile ?? {},
    };
    assignments[group.id] = assignment;
    if (!previous) logEvent(ctx, { eventType: 'group.application_assignment.add', displayMessage: 'Add assigned application to group', target: [appTarget(app), groupTarget(group)] });
    return ok(groupAssignmentJson(ctx, app, assignment, false));
  },

  unassignApplicationFromGroup(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    const group = requireGroup(ctx, ctx.params.groupId);
    requireGroupAssignment(ctx, app, ctx.params.groupId);
    delete ctx.state.appGroups[app.id][ctx.params.groupId];
    logEvent(ctx, { eventType: 'group.application_assignment.remove', displayMessage: 'Remove assigned application from group', target: [appTarget(app), groupTarget(group)] });
    return { status: 204 };
  },
} satisfies OktaHandlers;
