import { copyJson, deriveSigningKey, type RecordedExchange, type SeedFromRecording } from '../../src/index.js';
import { BASE32 } from './model/totp.js';
import { EVERYONE_GROUP_ID } from './model/groups.js';
import type {
  AuthServerPolicy,
  AuthServerPolicyRule,
  CustomAuthorizationServer,
  FactorType,
  OAuthClaim,
  OAuthScope,
  OktaApp,
  OktaFactor,
  OktaGroup,
  OktaGroupRule,
  OktaState,
  OktaUser,
  UserStatus,
} from './types.js';

type Json = Record<string, any>;

/** The factor types the twin emulates (types.ts FactorType): a recorded factor of another type is left out. */
const EMULATED_FACTORS: FactorType[] = ['sms', 'call', 'email', 'question', 'token:software:totp', 'push'];
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const records = (value: unknown): Json[] => (Array.isArray(value) ? value.filter((v): v is Json => isObject(v) && typeof v.id === 'string') : []);

/**
 * A string made from `source` alone: secrets and ids the hook has to make up are the same for the same recording, and
 * come from a hash rather than the twin's id source, which the hook does not hold.
 */
function derived(source: string, length: number, alphabet: string): string {
  let hash = 2166136261;
  for (const char of source) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  let out = '';
  for (let i = 0; i < length; i++) {
    hash = (Math.imul(hash ^ (hash >>> 15), 2246822519) + i) >>> 0;
    out += alphabet[hash % alphabet.length];
  }
  return out;
}

/** A record as Okta sent it, without the links and embedded objects the twin builds per request. */
function bare(record: Json): Json {
  const { _links: _l, _embedded: _e, ...rest } = copyJson(record);
  return rest;
}

/** A user as the twin stores it: Okta's User object, with no password and no recovery answer (Okta never sends them). */
function storedUser(user: Json, defaultTypeId: string): OktaUser {
  const shown = bare(user);
  return {
    ...shown,
    id: user.id,
    status: (user.status ?? 'ACTIVE') as UserStatus,
    created: user.created,
    activated: user.activated ?? null,
    statusChanged: user.statusChanged ?? null,
    lastLogin: user.lastLogin ?? null,
    lastUpdated: user.lastUpdated ?? user.created,
    passwordChanged: user.passwordChanged ?? null,
    transitioningToStatus: user.transitioningToStatus ?? null,
    type: { id: typeof user.type?.id === 'string' ? user.type.id : defaultTypeId },
    profile: isObject(user.profile) ? shown.profile : {},
    credentials: isObject(user.credentials) ? shown.credentials : {},
    password: null,
    recoveryQuestion: null,
  };
}

/** A group as the twin stores it. */
function storedGroup(group: Json): OktaGroup {
  const shown = bare(group);
  return { ...shown, lastMembershipUpdated: group.lastMembershipUpdated ?? group.lastUpdated, objectClass: group.objectClass ?? ['okta:user_group'], type: group.type ?? 'OKTA_GROUP', profile: isObject(group.profile) ? shown.profile : { name: group.id } } as OktaGroup;
}

/** An app as the twin stores it; a client secret in a recording is redacted, so none is kept. */
function storedApp(app: Json, orgId: string): OktaApp {
  const stored = bare(app) as OktaApp;
  // Okta's newer apps carry an ORN; the twin always answers with one, made as Okta makes it when the recording has none.
  stored.orn ??= `orn:okta:idp:${orgId}:apps:${app.name}:${app.id}`;
  if (isObject(stored.credentials?.oauthClient)) delete stored.credentials.oauthClient.client_secret;
  return stored;
}

/** A factor as the twin stores it, with the secrets Okta never shows made by the twin (see the notes). */
function storedFactor(factor: Json, userId: string): OktaFactor {
  const stored = { ...bare(factor), userId } as OktaFactor;
  stored.profile = isObject(factor.profile) ? stored.profile : {};
  if (stored.factorType === 'token:software:totp') stored.sharedSecret = derived(`totp/${factor.id}`, 16, BASE32);
  if (stored.factorType === 'question') stored.answer = derived(`answer/${factor.id}`, 12, BASE62);
  return stored;
}

/** The path of an Okta request as segments after /api/v1 (none for a path outside the Management API). */
function apiSegments(url: URL): string[] | undefined {
  const match = /^\/api\/v1\/(.*)$/.exec(url.pathname.replace(/\/+$/, ''));
  return match ? match[1].split('/').map(decodeURIComponent) : undefined;
}

/** The kind of a Management API path: its segments with every id as `:id` (`users/:id/factors`; group rules apart). */
function routeOf(segments: string[]): string {
  if (segments[0] === 'groups' && segments[1] === 'rules') return segments.length > 2 ? 'groups/rules/:id' : 'groups/rules';
  return segments.map((segment, i) => (i % 2 === 1 ? ':id' : segment)).join('/');
}

/** A path with its ids replaced by {id}, to name what was left out once per kind of request. */
function template(url: URL): string {
  return url.pathname.replace(/\/(?=[^/]*\d)[A-Za-z0-9_.@%-]{6,}(?=\/|$)/g, '/{id}');
}

/**
 * Builds the Okta twin's starting state from a recording of the Management API: users, groups and their members,
 * applications with their user and group assignments, group rules, custom authorization servers (their scopes,
 * claims, access policies and rules) and users' factors, added to the seed under their recorded ids; a later answer
 * about the same id replaces an earlier one. What the twin cannot keep is named in `notes`. The seed's admin, API
 * token, service app and policies stay, so the seed's credentials still sign in.
 *
 * Recorded users have no password (Okta never sends one): their sign-in fails as a wrong password does (/api/v1/authn
 * E0000004, the password grant invalid_grant) until an admin sets one (updateUser with credentials.password, or a
 * reset or expire_password with a temporary password).
 *
 * @example
 * const { state, notes } = seedFromRecording(exchanges, structuredClone(oktaTwin.seed));
 * okta.importState({ twinverse: 1, twin: 'okta', state, ids: okta.exportState().ids });
 */
export function seedFromRecording(exchanges: RecordedExchange[], seed: OktaState): SeedFromRecording<OktaState> {
  const state = copyJson(seed);
  const notes: string[] = [];
  const notKept = new Map<string, string>();
  const defaultTypeId = Object.values(state.userTypes).find((t) => t.default)?.id ?? Object.keys(state.userTypes)[0];
  // Answers about a user the recording shows only later wait here.
  const deferred: (() => void)[] = [];
  const factors = (state.factors ??= {});
  const leftOutFactors = new Set<string>();
  // The recording's API token owner, as GET /api/v1/users/me showed them: paths may name them `me`.
  let meId: string | undefined;
  const groupRules = (state.groupRules ??= {});
  const servers = (state.oauth.authorizationServers ??= {});
  const touchedServers = new Set<string>();
  let invalidRules = 0;

  const putUser = (user: Json) => void (state.users[user.id] = storedUser(user, defaultTypeId));
  const putGroup = (group: Json) => void (state.groups[group.id] = storedGroup(group));
  const server = (id: string, record?: Json): CustomAuthorizationServer => {
    touchedServers.add(id);
    const known = servers[id];
    if (!record) return (servers[id] ??= { id, name: id, description: '', audiences: [], status: 'ACTIVE', created: '', lastUpdated: '', scopes: [] });
    // The issuer and signing credentials are derived from the twin's URL and its own keys.
    const { issuer: _issuer, credentials, ...shown } = bare(record);
    const stored = { ...known, ...shown, id, scopes: known?.scopes ?? [] } as CustomAuthorizationServer;
    if (typeof credentials?.signing?.lastRotated === 'string') stored.lastRotated = credentials.signing.lastRotated;
    return (servers[id] = stored);
  };
  const policy = (serverId: string, record: Json): AuthServerPolicy => {
    const policies = (server(serverId).policies ??= []);
    const at = policies.findIndex((p) => p.id === record.id);
    const stored: AuthServerPolicy = { ...(bare(record) as AuthServerPolicy), rules: at >= 0 ? policies[at].rules : [] };
    if (at >= 0) policies[at] = stored;
    else policies.push(stored);
    return stored;
  };
  // A recording names users by id, by login or as `me` in a path.
  const userOf = (ref: string) => state.users[ref === 'me' && meId ? meId : ref] ?? Object.values(state.users).find((u) => String(u.profile.login ?? '').toLowerCase() === ref.toLowerCase());
  /** Applies an answer about a user's groups or factors now, or once the user is known; someone the recording never shows stays out. */
  const aboutUser = (ref: string, apply: (user: OktaUser) => void, missing: () => void) => {
    const user = userOf(ref);
    if (user) apply(user);
    else deferred.push(() => {
      const later = userOf(ref);
      if (later) apply(later);
      else missing();
    });
  };
  const putUserGroups = (ref: string, groupIds: string[], complete: boolean) =>
    aboutUser(
      ref,
      (user) => {
        if (complete) {
          for (const [groupId, members] of Object.entries(state.groupMembers)) {
            if (groupId !== EVERYONE_GROUP_ID && !groupIds.includes(groupId) && members.includes(user.id)) members.splice(members.indexOf(user.id), 1);
          }
        }
        for (const groupId of groupIds) {
          const members = (state.groupMembers[groupId] ??= []);
          if (!members.includes(user.id)) members.push(user.id);
        }
      },
      () => notes.push(`GET /api/v1/users/${ref}/groups: the user is not in the recording, so their memberships were not kept`),
    );
  const putFactors = (ref: string, list: Json[], complete: boolean) =>
    aboutUser(
      ref,
      (user) => {
        // A user's factor list is never paged: the newest one is the whole list.
        if (complete) for (const factor of Object.values(factors)) if (factor.userId === user.id && !list.some((f) => f.id === factor.id)) delete factors[factor.id];
        for (const factor of list) {
          if (EMULATED_FACTORS.includes(factor.factorType)) factors[factor.id] = storedFactor(factor, user.id);
          else leftOutFactors.add(`factor ${factor.id}: type ${factor.factorType}/${factor.provider} is not emulated: not kept`);
        }
      },
      () => list.forEach((factor) => leftOutFactors.add(`factor ${factor.id}: its user ${ref} is not in the recording: not kept`)),
    );
  const upsert = <T extends { id: string }>(list: T[], record: T) => {
    const at = list.findIndex((item) => item.id === record.id);
    if (at >= 0) list[at] = record;
    else list.push(record);
  };

  for (const exchange of exchanges) {
    // Only reads seed the twin: a write's answer shows what the recorded session changed, not the org it started from.
    if (exchange.method !== 'GET') continue;
    const segments = apiSegments(exchange.url);
    const body = exchange.responseBody;
    const [, id, , subId] = segments ?? [];
    // A listing's first page, unfiltered, starts its list again (the newest listing wins); a later page adds to it.
    const fresh = [...exchange.url.searchParams.keys()].every((key) => key === 'limit' || key === 'expand');
    switch (segments ? routeOf(segments) : '') {
      case 'users':
        records(body).forEach(putUser);
        break;
      case 'users/:id':
        if (isObject(body) && typeof body.id === 'string') {
          putUser(body);
          if (id === 'me') meId = body.id;
        }
        break;
      case 'users/:id/groups':
        records(body).forEach(putGroup);
        putUserGroups(id, records(body).map((g) => g.id), fresh);
        break;
      case 'users/:id/factors':
        putFactors(id, records(body), true);
        break;
      case 'users/:id/factors/:id':
        if (isObject(body) && typeof body.id === 'string') putFactors(id, [body], false);
        break;
      case 'groups':
        records(body).forEach(putGroup);
        break;
      case 'groups/:id':
        if (isObject(body) && typeof body.id === 'string') putGroup(body);
        break;
      case 'groups/:id/users': {
        const users = records(body);
        users.forEach(putUser);
        const members = fresh ? [] : (state.groupMembers[id] ?? []);
        for (const user of users) if (!members.includes(user.id)) members.push(user.id);
        state.groupMembers[id] = members;
        break;
      }
      case 'groups/rules':
      case 'groups/rules/:id':
        for (const rule of Array.isArray(body) ? records(body) : records([body])) {
          const stored = bare(rule) as OktaGroupRule;
          // INVALID is not stored: the twin derives it from a missing target group.
          if ((stored.status as string) === 'INVALID') {
            stored.status = 'INACTIVE';
            invalidRules++;
          }
          groupRules[rule.id] = stored;
        }
        break;
      case 'apps':
        records(body).forEach((app) => void (state.apps[app.id] = storedApp(app, state.org.id)));
        break;
      case 'apps/:id':
        if (isObject(body) && typeof body.id === 'string') state.apps[body.id] = storedApp(body, state.org.id);
        break;
      case 'apps/:id/users':
      case 'apps/:id/users/:id':
        if (subId === undefined && fresh) state.appUsers[id] = {};
        for (const appUser of Array.isArray(body) ? records(body) : records([body])) {
          if (isObject(appUser._embedded?.user) && typeof appUser._embedded.user.id === 'string') putUser(appUser._embedded.user);
          // Group-sourced app users follow from the app's group assignments and the groups' members.
          if (appUser.scope === 'GROUP') continue;
          (state.appUsers[id] ??= {})[appUser.id] = bare(appUser);
        }
        break;
      case 'apps/:id/groups':
      case 'apps/:id/groups/:id':
        if (subId === undefined && fresh) state.appGroups[id] = {};
        for (const assignment of Array.isArray(body) ? records(body) : records([body])) {
          if (isObject(assignment._embedded?.group) && typeof assignment._embedded.group.id === 'string') putGroup(assignment._embedded.group);
          (state.appGroups[id] ??= {})[assignment.id] = { priority: 0, ...bare(assignment) };
        }
        break;
      case 'authorizationServers':
        records(body).forEach((record) => server(record.id, record));
        break;
      case 'authorizationServers/:id':
        if (isObject(body) && typeof body.id === 'string') server(body.id, body);
        break;
      case 'authorizationServers/:id/scopes':
      case 'authorizationServers/:id/scopes/:id': {
        const target = server(id);
        for (const scope of Array.isArray(body) ? records(body) : records([body])) upsert(target.scopes, bare(scope) as OAuthScope);
        break;
      }
      case 'authorizationServers/:id/claims':
      case 'authorizationServers/:id/claims/:id': {
        const target = server(id);
        for (const claim of Array.isArray(body) ? records(body) : records([body])) upsert((target.claims ??= []), bare(claim) as OAuthClaim);
        break;
      }
      case 'authorizationServers/:id/policies':
      case 'authorizationServers/:id/policies/:id':
        for (const record of Array.isArray(body) ? records(body) : records([body])) policy(id, record);
        break;
      case 'authorizationServers/:id/policies/:id/rules':
      case 'authorizationServers/:id/policies/:id/rules/:id': {
        const owner = (server(id).policies ?? []).find((p) => p.id === subId) ?? policy(id, { id: subId, type: 'OAUTH_AUTHORIZATION_POLICY', name: subId, description: '', status: 'ACTIVE', priority: 1, system: false, created: '', lastUpdated: '', conditions: { clients: { include: ['ALL_CLIENTS'] } } });
        for (const rule of Array.isArray(body) ? records(body) : records([body])) upsert(owner.rules, bare(rule) as AuthServerPolicyRule);
        break;
      }
      case 'org':
        if (isObject(body) && typeof body.id === 'string') state.org = { id: body.id, subdomain: String(body.subdomain ?? state.org.subdomain), name: String(body.companyName ?? state.org.name) };
        break;
      default: {
        const kind = segments ? 'not kept: the twin builds no state from it' : 'not kept: outside the Management API (/api/v1), the twin answers it from its own state';
        if (!notKept.has(template(exchange.url))) notKept.set(template(exchange.url), kind);
      }
    }
  }

  // Answers about a user named in the path wait for the user only when the recording shows them later.
  for (const entry of deferred) entry();
  notes.push(...leftOutFactors);

  // Every user is a member of the twin's Everyone group, which new users join too.
  const everyone = (state.groupMembers[EVERYONE_GROUP_ID] ??= []);
  for (const userId of Object.keys(state.users)) if (!everyone.includes(userId)) everyone.push(userId);
  const recordedEveryone = Object.values(state.groups).filter((g) => g.id !== EVERYONE_GROUP_ID && g.type === 'BUILT_IN' && g.profile.name === 'Everyone');
  for (const group of recordedEveryone) notes.push(`group ${group.id}: the org's Everyone group is kept as recorded, beside the twin's own (${EVERYONE_GROUP_ID}), which every user is in and new users join`);

  for (const [appId, assignments] of [...Object.entries(state.appUsers), ...Object.entries(state.appGroups)]) {
    if (!state.apps[appId]) {
      notes.push(`GET /api/v1/apps/${appId}/users or /groups: the app is not in the recording, so its assignments were not kept`);
      delete state.appUsers[appId];
      delete state.appGroups[appId];
    } else {
      for (const memberId of Object.keys(assignments)) {
        if (state.users[memberId] || state.groups[memberId]) continue;
        notes.push(`app ${appId}: the assignment of ${memberId}, who is not in the recording, was not kept`);
        delete assignments[memberId];
      }
    }
  }
  for (const groupId of Object.keys(state.groupMembers)) {
    if (!state.groups[groupId]) {
      notes.push(`GET /api/v1/groups/${groupId}/users: the group is not in the recording, so its members were not kept`);
      delete state.groupMembers[groupId];
    }
  }

  const seedDefault = seed.oauth.authorizationServers?.default;
  for (const serverId of touchedServers) {
    const target = servers[serverId];
    if (!target.created) {
      notes.push(`authorization server ${serverId}: its scopes, claims or policies were recorded but the server itself was not: not kept`);
      delete servers[serverId];
      continue;
    }
    // Okta gives every server the system scopes (openid, profile, ...): a server recorded without its scope list gets them.
    if (target.scopes.length === 0 && seedDefault) target.scopes = seedDefault.scopes.filter((s) => s.system).map((s) => ({ ...s, id: `scp${derived(`${serverId}/${s.name}`, 17, BASE62)}` }));
    // Okta never shows a private key: a server the twin did not have gets an ACTIVE key of the twin's own.
    if (!state.oauth.signingKeys.some((k) => k.authorizationServer === serverId)) {
      const kid = derived(`kid/${state.org.id}/${serverId}`, 43, BASE64URL);
      state.oauth.signingKeys.push({ ...deriveSigningKey(`${state.org.id}/${serverId}/${kid}`, kid), alg: 'RS256', use: 'sig', authorizationServer: serverId, status: 'ACTIVE', created: target.created });
    }
  }
  if (touchedServers.size) notes.push('authorization servers: signing keys are the twin\'s own (Okta never shows private keys), so tokens verify against the twin\'s /v1/keys, not the org\'s');

  for (const rule of Object.values(groupRules)) {
    const missing = rule.actions?.assignUserToGroups?.groupIds?.filter((groupId) => !state.groups[groupId]) ?? [];
    if (missing.length && !seed.groupRules?.[rule.id]) notes.push(`group rule ${rule.id}: its target groups ${missing.join(', ')} are not in the recording, so the twin shows it INVALID`);
  }
  if (invalidRules) notes.push(`group rules: ${invalidRules} recorded as INVALID are kept INACTIVE; the twin shows INVALID while a target group is missing`);
  const recordedUsers = Object.keys(state.users).filter((userId) => !seed.users[userId]);
  if (recordedUsers.length) notes.push(`users: ${recordedUsers.length} recorded users have no password (Okta never sends one): sign-in fails as a wrong password does until an admin sets one; recovery question answers are not known either`);
  if (Object.values(state.users).some((u) => !state.userTypes[u.type.id])) notes.push('user types: not recorded; users of a type the twin does not have are served with the default type\'s schema');
  const secretApps = Object.values(state.apps).filter((app) => !seed.apps[app.id] && isObject(app.credentials?.oauthClient) && app.credentials.oauthClient.token_endpoint_auth_method !== 'none');
  if (secretApps.length) notes.push(`apps: client secrets are redacted in recordings, so these OAuth clients have none (${secretApps.map((a) => a.id).join(', ')}): client authentication with a secret fails until the app is given a new one (a PUT of the app makes the twin generate one)`);
  const secretFactors = Object.values(factors).filter((f) => f.sharedSecret !== undefined || f.answer !== undefined);
  if (secretFactors.length) notes.push(`factors: Okta never shows a TOTP secret or a security answer, so these factors have the twin's own, in state.factors[id].sharedSecret or .answer (${secretFactors.map((f) => f.id).join(', ')})`);
  for (const [path, why] of notKept) notes.push(`GET ${path}: ${why}`);
  return { state, notes };
}
