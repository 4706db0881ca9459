import { cursorPage } from '../../../src/index.js';
import { invalidFields, OktaError } from '../errors.js';
import { oauthClientOf } from '../model/app-oauth-client.js';
import { appAccessibility, appFilter, appJson, appName, appSettings, checkAppSettings, newCredentials, OIDC, requireApp, vaulted, withoutOAuth } from '../model/apps.js';
import { compileFilter } from '../model/filter.js';
import { ok } from '../model/http.js';
import { nowIso, oktaId } from '../model/ids.js';
import { appTarget, logEvent } from '../model/system-log.js';
import type { Ctx, OktaApp, OktaHandlers } from '../types.js';

type Json = Record<string, any>;

function setStatus(ctx: Ctx, status: 'ACTIVE' | 'INACTIVE') {
  const app = requireApp(ctx, ctx.params.appId);
  if (app.status !== status) {
    app.status = status;
    app.lastUpdated = nowIso(ctx);
    const action = status === 'ACTIVE' ? 'activate' : 'deactivate';
    logEvent(ctx, { eventType: `application.lifecycle.${action}`, displayMessage: `${status === 'ACTIVE' ? 'Activate' : 'Deactivate'} application`, target: [appTarget(app)] });
  }
  return ok({});
}

/** The applications family of the Management API: apps and their lifecycle (tag Application). */
export const appHandlers = {
  listApplications(ctx) {
    let apps = Object.values(ctx.state.apps);
    if (ctx.query.q !== undefined) {
      const q = String(ctx.query.q).toLowerCase();
      apps = apps.filter((app) => String(app.name).toLowerCase().startsWith(q) || String(app.label).toLowerCase().startsWith(q));
    }
    if (ctx.query.filter !== undefined) apps = apps.filter(compileFilter(ctx.query.filter, appFilter(ctx.state)));
    // Okta: limit -1 (the default) means the server's page size; a page holds at most 200 apps.
    const limit = ctx.query.limit > 0 ? Math.min(ctx.query.limit, 200) : 20;
    const { page, headers } = cursorPage(ctx, apps, { limit, after: ctx.query.after });
    return ok(page.map((app) => appJson(ctx, app, { expand: ctx.query.expand })), headers);
  },

  createApplication(ctx) {
    const body: Json = ctx.body;
    const id = oktaId(ctx, '0oa');
    const now = nowIso(ctx);
    const name = appName(ctx.state, body);
    const oidc = body.signOnMode === OIDC;
    checkAppSettings(body.signOnMode, body.settings);
    const app: OktaApp = {
      id,
      orn: `orn:okta:idp:${ctx.state.org.id}:apps:${name}:${id}`,
      name,
      label: body.label,
      status: ctx.query.activate ? 'ACTIVE' : 'INACTIVE',
      lastUpdated: now,
      created: now,
      accessibility: appAccessibility(body.accessibility),
      visibility: {
        autoLaunch: false,
        autoSubmitToolbar: false,
        hide: { iOS: oidc, web: oidc },
        appLinks: { [oidc ? `${name}_link` : 'login']: true },
        ...body.visibility,
      },
      features: [],
      signOnMode: body.signOnMode,
      credentials: newCredentials(body),
      settings: {
        app: {},
        notifications: { vpn: { network: { connection: 'DISABLED' }, message: null, helpUrl: null } },
        manualProvisioning: false,
        implicitAssignment: false,
        notes: { admin: null, enduser: null },
        ...appSettings(body.settings),
      },
      ...(body.profile !== undefined ? { profile: body.profile } : {}),
    };
    if (oidc) {
      const client = oauthClientOf(ctx, id, body);
      app.credentials.signing = { kid: ctx.state.oauth.signingKeys[0]?.kid, ...body.credentials?.signing };
      app.credentials.oauthClient = client.credentials;
      app.settings.oauthClient = client.settings;
    }
    ctx.state.apps[id] = app;
    logEvent(ctx, { eventType: 'application.lifecycle.create', displayMessage: 'Add application', target: [appTarget(app)] });
    if (app.status === 'ACTIVE') logEvent(ctx, { eventType: 'application.lifecycle.activate', displayMessage: 'Activate application', target: [appTarget(app)] });
    return ok(appJson(ctx, app, { secret: true }));
  },

  getApplication(ctx) {
    return ok(appJson(ctx, requireApp(ctx, ctx.params.appId), { expand: ctx.query.expand }));
  },

  replaceApplication(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    const body: Json = ctx.body;
    if (body.signOnMode !== app.signOnMode) throw invalidFields([['signOnMode', `The signOnMode of an app cannot change from ${app.signOnMode}`]]);
    if (body.settings) checkAppSettings(app.signOnMode, body.settings);
    const client = app.signOnMode === OIDC ? oauthClientOf(ctx, app.id, body, app) : undefined;
    app.label = body.label;
    if (body.accessibility) app.accessibility = appAccessibility(body.accessibility);
    if (body.visibility) app.visibility = { ...app.visibility, ...body.visibility };
    if (body.credentials) app.credentials = { ...app.credentials, ...vaulted(withoutOAuth(body.credentials)) };
    if (body.settings) app.settings = { ...app.settings, ...appSettings(body.settings) };
    if (body.profile !== undefined) app.profile = body.profile;
    if (client) {
      app.credentials.oauthClient = client.credentials;
      app.settings.oauthClient = client.settings;
    }
    app.lastUpdated = nowIso(ctx);
    logEvent(ctx, { eventType: 'application.lifecycle.update', displayMessage: 'Update application', target: [appTarget(app)] });
    return ok(appJson(ctx, app, { secret: true }));
  },

  deleteApplication(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    if (app.status === 'ACTIVE') throw new OktaError('E0000056', { causes: ['The application must be deactivated before deletion.'] });
    delete ctx.state.apps[app.id];
    delete ctx.state.appUsers[app.id];
    delete ctx.state.appGroups[app.id];
    delete ctx.state.oauth.appGrants?.[app.id];
    const clientId: string | undefined = app.credentials?.oauthClient?.client_id;
    if (clientId) delete ctx.state.oauth.clientRoles?.[clientId];
    logEvent(ctx, { eventType: 'application.lifecycle.delete', displayMessage: 'Delete application', target: [appTarget(app)] });
    return { status: 204 };
  },

  activateApplication(ctx) {
    return setStatus(ctx, 'ACTIVE');
  },

  deactivateApplication(ctx) {
    return setStatus(ctx, 'INACTIVE');
  },
} satisfies OktaHandlers;
