import type { Handler, OperationContext, RequestContext } from '../../src/index.js';
import { appGrantHandlers } from './app-grants.js';
import type { OktaAuth } from './auth.js';
import { expansions, notFound, nowIso, oktaId, ok, paginate, requireUser } from './common.js';
import { OktaError } from './errors.js';
import { compileFilter, pathValue, type FilterRules } from './filter.js';
import { groupJson, groupMembers, requireGroup } from './groups.js';
import type { OktaApp, OktaState, OktaUser } from './state.js';
import { findUser, userJson } from './users.js';
import { createRecord } from '../../src/index.js';

type Ctx = OperationContext<OktaState, OktaAuth>;
type Json = Record<string, any>;

const OIDC = 'OPENID_CONNECT';
const SECRET_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt'];
const REDIRECT_GRANTS = ['authorization_code', 'implicit'];
const OIE_GRANTS = [
  'urn:okta:params:oauth:grant-type:otp',
  'urn:okta:params:oauth:grant-type:oob',
  'http://auth0.com/oauth/grant-type/mfa-otp',
  'http://auth0.com/oauth/grant-type/mfa-oob',
];
const SAML_BEARER = 'urn:ietf:params:oauth:grant-type:saml2-bearer';
/** Grant types each OIDC application_type may use (Okta's client registration table, plus grants Okta added since). */
const ALLOWED_GRANTS: Record<string, string[]> = {
  service: ['client_credentials', SAML_BEARER, 'urn:ietf:params:oauth:grant-type:token-exchange', 'urn:ietf:params:oauth:grant-type:jwt-bearer', ...OIE_GRANTS],
  browser: ['authorization_code', 'implicit', 'refresh_token', 'interaction_code', SAML_BEARER, 'urn:ietf:params:oauth:grant-type:token-exchange', ...OIE_GRANTS],
  native: [
    'authorization_code', 'implicit', 'password', 'refresh_token', 'interaction_code', SAML_BEARER,
    'urn:ietf:params:oauth:grant-type:device_code', 'urn:ietf:params:oauth:grant-type:token-exchange', 'urn:ietf:params:oauth:grant-type:jwt-bearer', ...OIE_GRANTS,
  ],
  web: [
    'authorization_code', 'implicit', 'password', 'refresh_token', 'client_credentials', 'interaction_code', SAML_BEARER,
    'urn:ietf:params:oauth:grant-type:device_code', 'urn:ietf:params:oauth:grant-type:token-exchange', 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    'urn:openid:params:grant-type:ciba', ...OIE_GRANTS,
  ],
};
const SECRET_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
/** What a create or a replace that sends `accessibility` leaves out reads back as these. */
const DEFAULT_ACCESSIBILITY = { selfService: false, errorRedirectUrl: null, loginRedirectUrl: null };

/** The applications family of the Management API: apps, their lifecycle, and user and group assignments. */
export const appHandlers: Record<string, Handler<OktaState, OktaAuth>> = {
  listApplications(ctx) {
    let apps = Object.values(ctx.state.apps);
    if (ctx.query.q !== undefined) {
      const q = String(ctx.query.q).toLowerCase();
      apps = apps.filter((app) => String(app.name).toLowerCase().startsWith(q) || String(app.label).toLowerCase().startsWith(q));
    }
    if (ctx.query.filter !== undefined) apps = apps.filter(compileFilter(ctx.query.filter, appFilter(ctx.state)));
    // Okta: limit -1 (the default) means the server's page size; a page holds at most 200 apps.
    const limit = ctx.query.limit > 0 ? Math.min(ctx.query.limit, 200) : 20;
    const { page, headers } = paginate(ctx, apps, { limit, after: ctx.query.after });
    return ok(page.map((app) => appJson(ctx, app, { expand: ctx.query.expand })), headers);
  },

  createApplication(ctx) {
    const body: Json = ctx.body;
    const id = oktaId(ctx, '0oa');
    const now = nowIso(ctx);
    const name = appName(ctx, body);
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
      accessibility: { ...DEFAULT_ACCESSIBILITY, ...body.accessibility },
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
        ...withoutOAuth(body.settings),
      },
      ...(body.profile !== undefined ? { profile: body.profile } : {}),
    };
    if (oidc) {
      const client = oauthClient(ctx, id, body);
      app.credentials.signing = { kid: ctx.state.oauth.signingKeys[0]?.kid, ...body.credentials?.signing };
      app.credentials.oauthClient = client.credentials;
      app.settings.oauthClient = client.settings;
    }
    ctx.state.apps[id] = app;
    return ok(appJson(ctx, app, { secret: true }));
  },

  getApplication(ctx) {
    return ok(appJson(ctx, requireApp(ctx, ctx.params.appId), { expand: ctx.query.expand }));
  },

  replaceApplication(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    const body: Json = ctx.body;
    if (body.signOnMode !== app.signOnMode) throw invalid([['signOnMode', `The signOnMode of an app cannot change from ${app.signOnMode}`]]);
    if (body.settings) checkAppSettings(app.signOnMode, body.settings);
    const client = app.signOnMode === OIDC ? oauthClient(ctx, app.id, body, app) : undefined;
    app.label = body.label;
    if (body.accessibility) app.accessibility = { ...DEFAULT_ACCESSIBILITY, ...body.accessibility };
    if (body.visibility) app.visibility = { ...app.visibility, ...body.visibility };
    if (body.credentials) app.credentials = { ...app.credentials, ...vaulted(withoutOAuth(body.credentials)) };
    if (body.settings) app.settings = { ...app.settings, ...withoutOAuth(body.settings) };
    if (body.profile !== undefined) app.profile = body.profile;
    if (client) {
      app.credentials.oauthClient = client.credentials;
      app.settings.oauthClient = client.settings;
    }
    app.lastUpdated = nowIso(ctx);
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
    return { status: 204 };
  },

  activateApplication(ctx) {
    return setStatus(ctx, 'ACTIVE');
  },

  deactivateApplication(ctx) {
    return setStatus(ctx, 'INACTIVE');
  },

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
    const { page, headers } = paginate(ctx, appUsers, { limit: ctx.query.limit, after: ctx.query.after });
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
    return ok(appUserJson(ctx, app, record, false));
  },

  unassignUserFromApplication(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    const appUser = requireAppUser(ctx, app, ctx.params.userId);
    const assignments = ctx.state.appUsers[app.id];
    // A user assigned only through a group stays assigned until the group assignment goes.
    if (!assignments?.[appUser.id]) throw new OktaError('E0000006');
    delete assignments[appUser.id];
    return { status: 204 };
  },

  listApplicationGroupAssignments(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    let assignments = Object.values(ctx.state.appGroups[app.id] ?? {}).filter((a) => ctx.state.groups[a.id]);
    if (ctx.query.q !== undefined) {
      const q = String(ctx.query.q).toLowerCase();
      assignments = assignments.filter((a) => ctx.state.groups[a.id].profile.name.toLowerCase().startsWith(q));
    }
    const { page, headers } = paginate(ctx, assignments as (Json & { id: string })[], { limit: ctx.query.limit, after: ctx.query.after });
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
    return ok(groupAssignmentJson(ctx, app, assignment, false));
  },

  unassignApplicationFromGroup(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    requireGroup(ctx, ctx.params.groupId);
    requireGroupAssignment(ctx, app, ctx.params.groupId);
    delete ctx.state.appGroups[app.id][ctx.params.groupId];
    return { status: 204 };
  },

  listAssignedApplicationsForGroup(ctx) {
    const group = requireGroup(ctx, ctx.params.groupId);
    const apps = Object.values(ctx.state.apps).filter((app) => ctx.state.appGroups[app.id]?.[group.id]);
    const { page, headers } = paginate(ctx, apps, { limit: ctx.query.limit, after: ctx.query.after });
    return ok(page.map((app) => appJson(ctx, app)), headers);
  },

  listAppLinks(ctx) {
    const user = findUser(ctx, ctx.params.id);
    const links = Object.values(ctx.state.apps)
      .filter((app) => app.status === 'ACTIVE' && assignedUsers(ctx.state, app).some((appUser) => appUser.id === user.id))
      .flatMap((app) => appLinksFor(ctx, app, user));
    return ok(links.map((link, sortOrder) => ({ ...link, sortOrder })));
  },

  ...appGrantHandlers,
};

/**
 * The links an assigned user sees for an app: one per link switched on in `visibility.appLinks`. `id` is the user's
 * id, as in Okta's ListAppLinks example; the assignment id is derived from app and user so that it is stable.
 */
function appLinksFor(ctx: RequestContext<OktaState>, app: OktaApp, user: OktaUser): Json[] {
  return Object.entries(app.visibility?.appLinks ?? {})
    .filter(([, on]) => on === true)
    .map(() => ({
      id: user.id,
      label: app.label,
      linkUrl: appLinkUrl(ctx.baseUrl, app),
      logoUrl: appLogoUrl(ctx.baseUrl),
      appName: app.name,
      appInstanceId: app.id,
      appAssignmentId: assignmentId(app.id, user.id),
      credentialsSetup: false,
      hidden: app.visibility?.hide?.web === true,
    }));
}

/** A `0ua…` id for the assignment of a user to an app: a hash of both ids, so every read shows the same one. */
function assignmentId(appId: string, userId: string): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let hash = 2166136261;
  for (const char of `${appId}/${userId}`) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  let id = '0ua';
  for (let i = 0; i < 17; i++) {
    hash = (Math.imul(hash ^ (hash >>> 15), 2246822519) + i) >>> 0;
    id += alphabet[hash % alphabet.length];
  }
  return id;
}

/** Where an app link opens the app from the Okta dashboard; the app's `_links.appLinks` carry the same URL. */
function appLinkUrl(base: string, app: OktaApp): string {
  return `${base}/home/${app.name}/${app.id}/aln${app.id.slice(3)}`;
}

function appLogoUrl(base: string): string {
  return `${base}/assets/img/logos/default.6770228fb0dab49a1695ef440a5279bb.png`;
}

/**
 * An app as Okta returns it: the stored record plus `_links`. The client secret shows only in the answers to
 * create and replace (Okta: "only shown when an OAuth 2.0 client app is created or updated"); `expand=user/{id}`
 * embeds that app user.
 */
function appJson(ctx: RequestContext<OktaState>, app: OktaApp, options: { secret?: boolean; expand?: string } = {}): Json {
  const base = ctx.baseUrl;
  const json: Json = structuredClone(app);
  if (!options.secret && json.credentials?.oauthClient) delete json.credentials.oauthClient.client_secret;
  const expandUser = /^user\/(.+)$/.exec(options.expand ?? '');
  const appUser = expandUser ? assignedUsers(ctx.state, app).find((u) => u.id === expandUser[1]) : undefined;
  if (appUser) json._embedded = { user: appUserJson(ctx, app, appUser, false) };
  const lifecycle = app.status === 'ACTIVE' ? 'deactivate' : 'activate';
  json._links = {
    uploadLogo: { href: `${base}/api/v1/apps/${app.id}/logo`, hints: { allow: ['POST'] } },
    appLinks: Object.keys(app.visibility?.appLinks ?? {}).map((link) => ({ name: link, href: appLinkUrl(base, app), type: 'text/html' })),
    groups: { href: `${base}/api/v1/apps/${app.id}/groups` },
    logo: [{ name: 'medium', href: appLogoUrl(base), type: 'image/png' }],
    users: { href: `${base}/api/v1/apps/${app.id}/users` },
    [lifecycle]: { href: `${base}/api/v1/apps/${app.id}/lifecycle/${lifecycle}` },
  };
  return json;
}

function requireApp(ctx: RequestContext<OktaState>, id: string): OktaApp {
  const app = ctx.state.apps[id];
  // Okta names a missing app "AppInstance" in its 404.
  if (!app) throw notFound(id, 'AppInstance');
  return app;
}

function setStatus(ctx: Ctx, status: 'ACTIVE' | 'INACTIVE') {
  const app = requireApp(ctx, ctx.params.appId);
  if (app.status !== status) {
    app.status = status;
    app.lastUpdated = nowIso(ctx);
  }
  return ok({});
}

/** The app's key name: `oidc_client` for OIDC apps, `bookmark` for bookmarks, else the one sent or one made from the label. */
function appName(ctx: Ctx, body: Json): string {
  if (body.signOnMode === OIDC) {
    if (body.name !== undefined && body.name !== 'oidc_client') throw invalid([['name', "The name of an OPENID_CONNECT app must be 'oidc_client'"]]);
    return 'oidc_client';
  }
  if (body.name !== undefined) return body.name;
  if (body.signOnMode === 'BOOKMARK') return 'bookmark';
  const slug = String(body.label).toLowerCase().replace(/[^a-z0-9]+/g, '').slice(0, 40) || 'app';
  const taken = new Set(Object.values(ctx.state.apps).map((app) => app.name));
  let n = 1;
  while (taken.has(`${ctx.state.org.subdomain}_${slug}_${n}`)) n++;
  return `${ctx.state.org.subdomain}_${slug}_${n}`;
}

/** Settings the apps of a sign-on mode cannot do without (Okta's BookmarkApplication and BasicAuthApplication schemas). */
const REQUIRED_APP_SETTINGS: Record<string, string[]> = { BOOKMARK: ['url'], BASIC_AUTH: ['url', 'authURL'] };

function checkAppSettings(signOnMode: string, settings: Json | undefined): void {
  const missing = (REQUIRED_APP_SETTINGS[signOnMode] ?? []).filter((field) => !settings?.app?.[field]);
  if (missing.length) throw invalid(missing.map((field) => [`settings.app.${field}`, 'The field cannot be left blank']));
}

/** Sign-on modes whose credentials Okta vaults: they carry a `scheme` and `revealPassword` (Okta's SchemeApplicationCredentials). */
const VAULTED_MODES = ['AUTO_LOGIN', 'BASIC_AUTH', 'BROWSER_PLUGIN', 'SECURE_PASSWORD_STORE'];

/** A shared password sent for an app is kept only as the fact that one is set (`password: {}`), as Okta shows it. */
function vaulted(credentials: Json): Json {
  const { password, ...rest } = credentials;
  return password === undefined ? rest : { ...rest, password: {} };
}

function newCredentials(body: Json): Json {
  const sent = vaulted(withoutOAuth(body.credentials));
  const userNameTemplate = { template: '${source.login}', type: 'BUILT_IN' };
  if (!VAULTED_MODES.includes(body.signOnMode)) return { userNameTemplate, signing: {}, ...sent };
  return { scheme: 'EDIT_USERNAME_AND_PASSWORD', userNameTemplate, revealPassword: false, signing: {}, ...sent };
}

/** A section of the request without its oauthClient, which is normalized on its own. */
function withoutOAuth(section: Json | undefined): Json {
  const { oauthClient: _oauthClient, ...rest } = section ?? {};
  return rest;
}

/**
 * The OAuth client of an OIDC app (credentials.oauthClient and settings.oauthClient), with Okta's defaults and the
 * checks Okta makes on grant types, redirect URIs and client authentication. On replace, what the body leaves out
 * keeps its current value; `client_id` never changes.
 */
function oauthClient(ctx: Ctx, appId: string, body: Json, previous?: OktaApp): { credentials: Json; settings: Json } {
  const sentSettings: Json | undefined = body.settings?.oauthClient;
  const sentCredentials: Json = body.credentials?.oauthClient ?? {};
  const before: Json = previous?.credentials?.oauthClient ?? {};
  if (!sentSettings && !previous) throw invalid([['settings.oauthClient', 'The field cannot be left blank']]);
  const settings: Json = { ...(sentSettings ?? previous!.settings.oauthClient) };
  const type: string = settings.application_type ?? 'web';
  const grants: string[] = settings.grant_types ?? [type === 'service' ? 'client_credentials' : 'authorization_code'];
  const method: string =
    sentCredentials.token_endpoint_auth_method ?? before.token_endpoint_auth_method ?? (type === 'browser' ? 'none' : 'client_secret_basic');
  const pkce: boolean = sentCredentials.pkce_required ?? before.pkce_required ?? (type === 'browser' || type === 'native');
  const redirects: string[] = settings.redirect_uris ?? [];

  const problems: [string, string][] = [];
  if (grants.length === 0) problems.push(['settings.oauthClient.grant_types', 'The field cannot be left blank']);
  for (const grant of grants) {
    if (!ALLOWED_GRANTS[type].includes(grant)) problems.push(['settings.oauthClient.grant_types', `'${grant}' is not a valid grant type for the '${type}' application type`]);
  }
  if (grants.some((g) => REDIRECT_GRANTS.includes(g)) && redirects.length === 0) {
    problems.push(['settings.oauthClient.redirect_uris', 'At least one redirect URI is required for the authorization_code and implicit grant types']);
  }
  for (const uri of redirects) {
    if (!isRedirectUri(uri, settings.wildcard_redirect)) problems.push(['settings.oauthClient.redirect_uris', `'${uri}' is not an absolute URI without a fragment`]);
  }
  if (method === 'none' && grants.includes('client_credentials')) {
    problems.push(['credentials.oauthClient.token_endpoint_auth_method', "The client_credentials grant type requires client authentication; 'none' is not allowed"]);
  }
  // Okta: with authorization_code, only browser and native clients may be public (token_endpoint_auth_method none).
  if (method === 'none' && type === 'web' && grants.includes('authorization_code')) {
    problems.push(['credentials.oauthClient.token_endpoint_auth_method', "A web app using the authorization_code grant cannot use 'none'"]);
  }
  if (method === 'none' && pkce === false) problems.push(['credentials.oauthClient.pkce_required', "PKCE is required when token_endpoint_auth_method is 'none'"]);
  const clientId: string = before.client_id ?? sentCredentials.client_id ?? appId;
  if (!previous && Object.values(ctx.state.apps).some((app) => app.credentials?.oauthClient?.client_id === clientId)) {
    problems.push(['credentials.oauthClient.client_id', 'An object with this field already exists in the current organization']);
  }
  if (problems.length) throw invalid(problems);

  const secret = SECRET_METHODS.includes(method) ? (sentCredentials.client_secret ?? before.client_secret ?? ctx.ids.token(64, SECRET_ALPHABET)) : undefined;
  const credentials: Json = {
    autoKeyRotation: sentCredentials.autoKeyRotation ?? before.autoKeyRotation ?? true,
    client_id: clientId,
    ...(secret !== undefined ? { client_secret: secret } : {}),
    token_endpoint_auth_method: method,
    pkce_required: pkce,
  };
  const responseTypes = settings.response_types ?? defaultResponseTypes(grants);
  return {
    credentials,
    settings: {
      consent_method: 'TRUSTED',
      issuer_mode: 'ORG_URL',
      idp_initiated_login: { mode: 'DISABLED', default_scope: [] },
      wildcard_redirect: 'DISABLED',
      dpop_bound_access_tokens: false,
      ...settings,
      redirect_uris: redirects,
      response_types: responseTypes,
      grant_types: grants,
      application_type: type,
      ...(grants.includes('refresh_token') && !settings.refresh_token ? { refresh_token: { rotation_type: type === 'browser' ? 'ROTATE' : 'STATIC', leeway: 30 } } : {}),
    },
  };
}

function defaultResponseTypes(grants: string[]): string[] {
  const types: string[] = [];
  if (grants.includes('authorization_code')) types.push('code');
  if (grants.includes('implicit')) types.push('token', 'id_token');
  return types.length ? types : ['token'];
}

function isRedirectUri(uri: string, wildcard: unknown): boolean {
  try {
    const url = new URL(wildcard === 'SUBDOMAIN' ? uri.replace('*', 'wildcard') : uri);
    return url.hash === '' && !uri.includes('#');
  } catch {
    return false;
  }
}

/** Okta's 400 E0000001: the summary names the fields, each cause says what is wrong with one. */
function invalid(problems: [string, string][]): OktaError {
  const fields = [...new Set(problems.map(([field]) => field))];
  return new OktaError('E0000001', { detail: fields.join(', '), causes: problems.map(([field, message]) => `${field}: ${message}`) });
}

const APP_FILTER_PROPERTIES = ['id', 'name', 'status', 'user.id', 'group.id', 'credentials.signing.kid', 'settings.slo.enabled'];

/** `filter` takes `eq` on a few properties; `user.id` and `group.id` read the app's assignments, the rest is a path into the app. */
function appFilter(state: OktaState): FilterRules<OktaApp> {
  return {
    supports: (property, operator) => operator === 'eq' && APP_FILTER_PROPERTIES.includes(property),
    read: (app, property) => {
      if (property === 'user.id') return assignedUsers(state, app).map((u) => u.id);
      if (property === 'group.id') return Object.keys(state.appGroups[app.id] ?? {});
      return pathValue(app, property);
    },
  };
}

type AppUserRecord = Json & { id: string; groupId?: string };

/**
 * Everyone assigned to an app: direct assignments (scope USER), then members of its assigned groups who have none
 * (scope GROUP, in the group's priority order). Users deleted since are left out.
 */
function assignedUsers(state: OktaState, app: OktaApp): AppUserRecord[] {
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
function appUserRecord(app: OktaApp, user: OktaUser, scope: 'USER' | 'GROUP', since: string): AppUserRecord {
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

function requireAppUser(ctx: Ctx, app: OktaApp, userId: string): AppUserRecord {
  const appUser = assignedUsers(ctx.state, app).find((u) => u.id === userId);
  if (!appUser) throw notFound(userId, 'AppUser');
  return appUser;
}

function appUserJson(ctx: RequestContext<OktaState>, app: OktaApp, record: AppUserRecord, embedUser: boolean): Json {
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
function applyAppUserChanges(record: Json, body: Json, now: string): void {
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
  if (app.signOnMode !== OIDC) return {};
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

function requireGroupAssignment(ctx: Ctx, app: OktaApp, groupId: string): Json {
  const assignment = ctx.state.appGroups[app.id]?.[groupId];
  if (!assignment || !ctx.state.groups[groupId]) throw notFound(groupId, 'ApplicationGroupAssignment');
  return assignment;
}

function groupAssignmentJson(ctx: RequestContext<OktaState>, app: OktaApp, assignment: Json, embedGroup: boolean): Json {
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
