import { copyJson } from '../../../src/index.js';
import { invalidFields, notFound } from '../errors.js';
import type { OktaApp, OktaState, OktaUser, RequestCtx } from '../types.js';
import { appUserJson, assignedUsers } from './app-assignments.js';
import { pathValue, type FilterRules } from './filter.js';

type Json = Record<string, any>;

/** The sign-on mode of apps that are also OAuth clients. */
export const OIDC = 'OPENID_CONNECT';

/** What a create or a replace that sends `accessibility` leaves out reads back as these. */
export const DEFAULT_ACCESSIBILITY = { selfService: false, errorRedirectUrl: null, loginRedirectUrl: null };

/** The app with this id, or Okta's 404 (which names a missing app "AppInstance"). */
export function requireApp(ctx: RequestCtx, id: string): OktaApp {
  const app = ctx.state.apps[id];
  if (!app) throw notFound(id, 'AppInstance');
  return app;
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
export function appJson(ctx: RequestCtx, app: OktaApp, options: { secret?: boolean; expand?: string } = {}): Json {
  const base = ctx.baseUrl;
  const json: Json = copyJson(app);
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

/**
 * The links an assigned user sees for an app: one per link switched on in `visibility.appLinks`. `id` is the user's
 * id, as in Okta's ListAppLinks example; the assignment id is derived from app and user so that it is stable.
 */
export function appLinksFor(ctx: RequestCtx, app: OktaApp, user: OktaUser): Json[] {
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

/** The app's key name: `oidc_client` for OIDC apps, `bookmark` for bookmarks, else the one sent or one made from the label. */
export function appName(state: OktaState, body: Json): string {
  if (body.signOnMode === OIDC) {
    if (body.name !== undefined && body.name !== 'oidc_client') throw invalidFields([['name', "The name of an OPENID_CONNECT app must be 'oidc_client'"]]);
    return 'oidc_client';
  }
  if (body.name !== undefined) return body.name;
  if (body.signOnMode === 'BOOKMARK') return 'bookmark';
  const slug = String(body.label).toLowerCase().replace(/[^a-z0-9]+/g, '').slice(0, 40) || 'app';
  const taken = new Set(Object.values(state.apps).map((app) => app.name));
  let n = 1;
  while (taken.has(`${state.org.subdomain}_${slug}_${n}`)) n++;
  return `${state.org.subdomain}_${slug}_${n}`;
}

/** Settings the apps of a sign-on mode cannot do without (Okta's BookmarkApplication and BasicAuthApplication schemas). */
const REQUIRED_APP_SETTINGS: Record<string, string[]> = { BOOKMARK: ['url'], BASIC_AUTH: ['url', 'authURL'] };

/** Refuses settings that leave out what the sign-on mode needs. */
export function checkAppSettings(signOnMode: string, settings: Json | undefined): void {
  const missing = (REQUIRED_APP_SETTINGS[signOnMode] ?? []).filter((field) => !settings?.app?.[field]);
  if (missing.length) throw invalidFields(missing.map((field) => [`settings.app.${field}`, 'The field cannot be left blank']));
}

/** Sign-on modes whose credentials Okta vaults: they carry a `scheme` and `revealPassword` (Okta's SchemeApplicationCredentials). */
const VAULTED_MODES = ['AUTO_LOGIN', 'BASIC_AUTH', 'BROWSER_PLUGIN', 'SECURE_PASSWORD_STORE'];

/** A shared password sent for an app is kept only as the fact that one is set (`password: {}`), as Okta shows it. */
export function vaulted(credentials: Json): Json {
  const { password, ...rest } = credentials;
  return password === undefined ? rest : { ...rest, password: {} };
}

/** The credentials of a new app: Okta's defaults for its sign-on mode under what the request sends. */
export function newCredentials(body: Json): Json {
  const sent = vaulted(withoutOAuth(body.credentials));
  const userNameTemplate = { template: '${source.login}', type: 'BUILT_IN' };
  if (!VAULTED_MODES.includes(body.signOnMode)) return { userNameTemplate, signing: {}, ...sent };
  return { scheme: 'EDIT_USERNAME_AND_PASSWORD', userNameTemplate, revealPassword: false, signing: {}, ...sent };
}

/** SAML sign-on overrides Okta keeps as null when they are left empty (its app examples show `defaultRelayState: null`). */
const SIGN_ON_NULL_WHEN_EMPTY = ['defaultRelayState', 'ssoAcsUrlOverride', 'audienceOverride', 'recipientOverride', 'destinationOverride'];

/** A copy of an object of the request with the empty strings of `keys` made null, as Okta's examples show them. */
function nullWhenEmpty(section: unknown, keys: readonly string[]): unknown {
  if (section === null || typeof section !== 'object' || Array.isArray(section)) return section;
  const copy: Json = { ...section };
  for (const key of keys) if (copy[key] === '') copy[key] = null;
  return copy;
}

/**
 * An app's `settings` as sent, without its oauthClient (normalized on its own) and with the empty strings Okta
 * answers as null: `signOn.defaultRelayState: ""` and the other SAML overrides, `notes.admin` and `notes.enduser`.
 *
 * @example
 * appSettings({ signOn: { defaultRelayState: '' } }); // { signOn: { defaultRelayState: null } }
 */
export function appSettings(section: Json | undefined): Json {
  const settings = withoutOAuth(section);
  if (settings.signOn !== undefined) settings.signOn = nullWhenEmpty(settings.signOn, SIGN_ON_NULL_WHEN_EMPTY);
  if (settings.notes !== undefined) settings.notes = nullWhenEmpty(settings.notes, ['admin', 'enduser']);
  return settings;
}

/**
 * An app's `accessibility` over Okta's defaults, its empty redirect URLs null (Okta's examples show
 * `errorRedirectUrl: null` and `loginRedirectUrl: null`).
 *
 * @example
 * appAccessibility({ errorRedirectUrl: '' }); // { selfService: false, errorRedirectUrl: null, loginRedirectUrl: null }
 */
export function appAccessibility(sent: Json | undefined): Json {
  return { ...DEFAULT_ACCESSIBILITY, ...(nullWhenEmpty(sent ?? {}, ['errorRedirectUrl', 'loginRedirectUrl']) as Json) };
}

/** A section of the request without its oauthClient, which is normalized on its own. */
export function withoutOAuth(section: Json | undefined): Json {
  const { oauthClient: _oauthClient, ...rest } = section ?? {};
  return rest;
}

const APP_FILTER_PROPERTIES = ['id', 'name', 'status', 'user.id', 'group.id', 'credentials.signing.kid', 'settings.slo.enabled'];

/** listApplications `filter` takes `eq` on a few properties; `user.id` and `group.id` read the app's assignments, the rest is a path into the app. */
export function appFilter(state: OktaState): FilterRules<OktaApp> {
  return {
    supports: (property, operator) => operator === 'eq' && APP_FILTER_PROPERTIES.includes(property),
    read: (app, property) => {
      if (property === 'user.id') return assignedUsers(state, app).map((u) => u.id);
      if (property === 'group.id') return Object.keys(state.appGroups[app.id] ?? {});
      return pathValue(app, property);
    },
  };
}
