import { copyJson, recordOrder, type RecordOrder } from '../../../src/index.js';
import { notFound } from '../errors.js';
import type { Ctx, OktaUser, RequestCtx } from '../types.js';
import { schemaForType } from './schemas.js';

// Logins that differ only in case or diacritical marks are one login (the spec's UserProfile.login).
const loginKey = (login: unknown) => String(login ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * Users by login, built once per state and kept current by
 * putUser and dropUser, so a create does not scan every user: creating stays flat as an org grows.
 */
function loginIndex(ctx: RequestCtx): Map<string, string> {
  return ctx.memo('usersByLogin', () => new Map(Object.values(ctx.state.users).map((user) => [loginKey(user.profile.login), user.id])));
}

/** The user with this login, whatever its case. */
export function userByLogin(ctx: RequestCtx, login: string): OktaUser | undefined {
  const id = loginIndex(ctx).get(loginKey(login));
  const user = id === undefined ? undefined : ctx.state.users[id];
  return user && loginKey(user.profile.login) === loginKey(login) ? user : undefined;
}

/** The user named by id or, failing that, by login. */
export function userByIdOrLogin(ctx: RequestCtx, ref: string): OktaUser | undefined {
  return ctx.state.users[ref] ?? userByLogin(ctx, ref);
}

/**
 * Users in the order they were created (the order Okta lists them in), kept by putUser and dropUser, so a page of
 * users starts at its cursor instead of walking the whole org.
 *
 * @example
 * const { page, headers } = cursorPage(ctx, userOrder(ctx), { limit: 200, after: ctx.query.after });
 */
export function userOrder(ctx: RequestCtx): RecordOrder<OktaUser> {
  return recordOrder(ctx, 'users', ctx.state.users);
}

/** Stores a new or edited user; every write of a user goes through here to keep the login index and the order true. */
export function putUser(ctx: RequestCtx, user: OktaUser): void {
  const index = loginIndex(ctx);
  const previous = ctx.state.users[user.id];
  if (previous && index.get(loginKey(previous.profile.login)) === user.id) index.delete(loginKey(previous.profile.login));
  ctx.state.users[user.id] = user;
  index.set(loginKey(user.profile.login), user.id);
  userOrder(ctx).add(user.id);
}

/** Deletes a user; like putUser, every delete goes through here to keep the login index and the order true. */
export function dropUser(ctx: RequestCtx, user: OktaUser): void {
  const index = loginIndex(ctx);
  if (index.get(loginKey(user.profile.login)) === user.id) index.delete(loginKey(user.profile.login));
  delete ctx.state.users[user.id];
  userOrder(ctx).remove(user.id);
}

/** The user a path or a request names by id or by login, or Okta's 404 for a missing User. */
export function requireUser(ctx: RequestCtx, ref: string): OktaUser {
  const user = userByIdOrLogin(ctx, ref);
  if (!user) throw notFound(ref, 'User');
  return user;
}

function shortname(user: OktaUser): string {
  const login = String(user.profile.login ?? '').toLowerCase();
  return login.includes('@') ? login.slice(0, login.indexOf('@')) : login;
}

/** Resolves `{id}` the way Okta does: `me`, an id, a login (case-insensitive) or an unambiguous login shortname. */
export function findUser(ctx: Ctx, ref: string): OktaUser {
  const users = ctx.state.users;
  if (ref === 'me') {
    const self = ctx.auth.kind !== 'none' && ctx.auth.userId ? users[ctx.auth.userId] : undefined;
    if (self) return self;
    throw notFound(ref, 'User');
  }
  const byIdOrLogin = userByIdOrLogin(ctx, ref);
  if (byIdOrLogin) return byIdOrLogin;
  const wanted = ref.toLowerCase();
  const byShortname = Object.values(users).filter((user) => shortname(user) === wanted);
  if (byShortname.length === 1) return byShortname[0];
  throw notFound(ref, 'User');
}

/** The link relations of a single user, by status (Okta's users API, "Links object"). */
function userLinks(ctx: RequestCtx, user: OktaUser): Record<string, unknown> {
  const self = `${ctx.baseUrl}/api/v1/users/${user.id}`;
  const action = (path: string) => ({ href: `${self}${path}`, method: 'POST' });
  const hasPassword = user.credentials.password !== undefined;
  const links: Record<string, unknown> = {
    self: { href: self },
    schema: { href: `${ctx.baseUrl}/api/v1/meta/schemas/user/${schemaForType(ctx.state, user.type.id).id}` },
    type: { href: `${ctx.baseUrl}/api/v1/meta/types/user/${user.type.id}` },
  };
  const add = (name: string, path: string, when = true) => {
    if (when) links[name] = action(path);
  };
  switch (user.status) {
    case 'STAGED':
      add('activate', '/lifecycle/activate');
      add('deactivate', '/lifecycle/deactivate');
      break;
    case 'PROVISIONED':
      add('reactivate', '/lifecycle/reactivate');
      add('resetPassword', '/lifecycle/reset_password');
      add('deactivate', '/lifecycle/deactivate');
      break;
    case 'ACTIVE':
    case 'PASSWORD_EXPIRED':
      add('suspend', '/lifecycle/suspend', user.status === 'ACTIVE');
      add('resetPassword', '/lifecycle/reset_password');
      add('expirePassword', '/lifecycle/expire_password', hasPassword);
      add('forgotPassword', '/credentials/forgot_password', hasPassword);
      add('changePassword', '/credentials/change_password', hasPassword);
      add('changeRecoveryQuestion', '/credentials/change_recovery_question', hasPassword && user.status === 'ACTIVE');
      // Present only while the user has factors enrolled (Okta's resetFactors).
      add('resetFactors', '/lifecycle/reset_factors', Object.values(ctx.state.factors ?? {}).some((factor) => factor.userId === user.id));
      add('deactivate', '/lifecycle/deactivate');
      break;
    case 'RECOVERY':
      add('reactivate', '/lifecycle/reactivate');
      add('resetPassword', '/lifecycle/reset_password');
      add('changePassword', '/credentials/change_password', hasPassword);
      add('deactivate', '/lifecycle/deactivate');
      break;
    case 'LOCKED_OUT':
      add('unlock', '/lifecycle/unlock');
      add('resetPassword', '/lifecycle/reset_password');
      add('expirePassword', '/lifecycle/expire_password', hasPassword);
      add('deactivate', '/lifecycle/deactivate');
      break;
    case 'SUSPENDED':
      add('unsuspend', '/lifecycle/unsuspend');
      add('deactivate', '/lifecycle/deactivate');
      break;
    case 'DEPROVISIONED':
      add('activate', '/lifecycle/activate');
      break;
  }
  return links;
}

/**
 * A user as Okta sends it, without the twin-only secrets. In a collection the links shrink to `self`
 * (Okta's users API, "Links object"); a single user carries the operations its status allows.
 */
export function userJson(ctx: RequestCtx, user: OktaUser, links: 'self' | 'full' = 'self'): Record<string, unknown> {
  return {
    id: user.id,
    status: user.status,
    created: user.created,
    activated: user.activated,
    statusChanged: user.statusChanged,
    lastLogin: user.lastLogin,
    lastUpdated: user.lastUpdated,
    passwordChanged: user.passwordChanged,
    ...(user.transitioningToStatus ? { transitioningToStatus: user.transitioningToStatus } : {}),
    type: { id: user.type.id },
    profile: { ...user.profile },
    credentials: copyJson(user.credentials),
    _links: links === 'full' ? userLinks(ctx, user) : { self: { href: `${ctx.baseUrl}/api/v1/users/${user.id}` } },
  };
}

const CREDENTIAL_LINKS = ['changePassword', 'changeRecoveryQuestion', 'forgotPassword', 'resetPassword', 'resetFactors', 'unlock'];

/**
 * What a `Content-Type: application/json; okta-response=...` request header asks to leave out of a user: Okta's
 * getUser and listUsers take omitCredentials, omitCredentialsLinks and omitTransitioningToStatus there.
 */
export function trimmedUserJson(ctx: RequestCtx, user: OktaUser, links: 'self' | 'full'): Record<string, unknown> {
  const json = userJson(ctx, user, links);
  const asked = /okta-response=([^;]*)/.exec(ctx.headers['content-type'] ?? '')?.[1].replace(/"/g, '').split(',').map((v) => v.trim()) ?? [];
  if (asked.includes('omitCredentials')) delete json.credentials;
  if (asked.includes('omitTransitioningToStatus')) delete json.transitioningToStatus;
  if (asked.includes('omitCredentialsLinks')) for (const name of CREDENTIAL_LINKS) delete (json._links as Record<string, unknown>)[name];
  return json;
}
