import { appLinksFor } from '../model/apps.js';
import { assignedUsers } from '../model/app-assignments.js';
import { ok } from '../model/http.js';
import { findUser } from '../model/users.js';
import type { OktaHandlers } from '../types.js';

/** What a user has access to (tag UserResources): the app links of the dashboard. */
export const userResourceHandlers = {
  listAppLinks(ctx) {
    const user = findUser(ctx, ctx.params.id);
    const links = Object.values(ctx.state.apps)
      .filter((app) => app.status === 'ACTIVE' && assignedUsers(ctx.state, app).some((appUser) => appUser.id === user.id))
      .flatMap((app) => appLinksFor(ctx, app, user));
    return ok(links.map((link, sortOrder) => ({ ...link, sortOrder })));
  },
} satisfies OktaHandlers;
