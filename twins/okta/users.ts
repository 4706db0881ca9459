import type { Handler, HandlerResult, OperationContext, RequestContext } from '../../src/index.js';
import type { OktaAuth } from './auth.js';
import { dropUser, notFound, nowIso, ok, oktaId, paginate, putUser, userByIdOrLogin, userByLogin } from './common.js';
import { OktaError } from './errors.js';
import { compileFilter, type FilterRules } from './filter.js';
import { applyGroupRules } from './group-rules.js';
import { addMember, groupJson, removeMember } from './groups.js';
import { profileCauses, schemaForType, withCustomDefaults, type ProfileCause } from './schemas.js';
import type { OktaState, OktaUser, UserStatus } from './state.js';
import { defaultUserType, requireUserType } from './user-types.js';

type Ctx = OperationContext<OktaState, OktaAuth>;

const EVERYONE_GROUP_ID = '00geveryonetwin00001';
const MAX_PAGE_SIZE = 200;
const Q_DEFAULT_LIMIT = 10;
const MAX_GROUP_IDS = 20;
const PASSWORD_POLICY_CAUSE =
  'password: Password requirements were not met. Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username. Your password cannot be any of your last 4 passwords.';
const EXPIRE_NEEDS_ACTIVATE = 'Could not create user. To create a user and expire their password immediately, `activate` must be true.';
const EXPIRE_NEEDS_PASSWORD = 'Could not create user. To create a user and expire their password immediately, a password must be specified.';
const PASSWORDLESS_PROVIDERS = new Set(['FEDERATION', 'SOCIAL']);

interface PasswordInput {
  value?: string;
  hash?: Record<string, unknown>;
  hook?: Record<string, unknown>;
}

interface CredentialsInput {
  password?: PasswordInput;
  recovery_question?: { question?: string; answer?: string };
  provider?: { type?: string; name?: string };
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

function canSignInWithoutActivationToken(user: OktaUser): boolean {
  return user.credentials.password !== undefined || PASSWORDLESS_PROVIDERS.has(user.credentials.provider?.type);
}

/** The link relations of a single user, by status (Okta's users API, "Links object"). */
function userLinks(ctx: RequestContext<OktaState>, user: OktaUser): Record<string, unknown> {
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
export function userJson(ctx: RequestContext<OktaState>, user: OktaUser, links: 'self' | 'full' = 'self'): Record<string, unknown> {
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
    credentials: structuredClone(user.credentials),
    _links: links === 'full' ? userLinks(ctx, user) : { self: { href: `${ctx.baseUrl}/api/v1/users/${user.id}` } },
  };
}

const CREDENTIAL_LINKS = ['changePassword', 'changeRecoveryQuestion', 'forgotPassword', 'resetPassword', 'resetFactors', 'unlock'];

/**
 * What a `Content-Type: application/json; okta-response=...` request header asks to leave out of a user: Okta's
 * getUser and listUsers take omitCredentials, omitCredentialsLinks and omitTransitioningToStatus there.
 */
function trimmedUserJson(ctx: RequestContext<OktaState>, user: OktaUser, links: 'self' | 'full'): Record<string, unknown> {
  const json = userJson(ctx, user, links);
  const asked = /okta-response=([^;]*)/.exec(ctx.headers['content-type'] ?? '')?.[1].replace(/"/g, '').split(',').map((v) => v.trim()) ?? [];
  if (asked.includes('omitCredentials')) delete json.credentials;
  if (asked.includes('omitTransitioningToStatus')) delete json.transitioningToStatus;
  if (asked.includes('omitCredentialsLinks')) for (const name of CREDENTIAL_LINKS) delete (json._links as Record<string, unknown>)[name];
  return json;
}

/** Okta's E0000001 names the first offending property in the summary and lists every problem as a cause. */
function validationFailed(causes: string[]): OktaError {
  return new OktaError('E0000001', { detail: causes[0].slice(0, causes[0].indexOf(':')), causes });
}

function isBlank(value: unknown): boolean {
  return typeof value !== 'string' || value.trim() === '';
}

function loginTaken(ctx: Ctx, login: string, exceptId: string | null): boolean {
  const owner = userByLogin(ctx, login);
  return owner !== undefined && owner.id !== exceptId;
}

/**
 * Checks a profile against its user type's schema. A problem that concerns no single property (an undefined
 * property) is summarized with the request object's name: `newUser` on create (terraform-provider-okta's
 * acceptance test expects "Api validation failed: newUser"), `userProfile` on update (okta-sdk-dotnet#152).
 */
function checkProfile(ctx: Ctx, profile: Record<string, any>, typeId: string, exceptId: string | null, objectName: 'newUser' | 'userProfile'): void {
  const causes: ProfileCause[] = profileCauses(ctx.state, typeId, profile);
  if (causes.length === 0 && loginTaken(ctx, profile.login, exceptId)) {
    causes.push({ property: 'login', summary: 'login: An object with this field already exists in the current organization' });
  }
  if (causes.length > 0) throw new OktaError('E0000001', { detail: causes[0].property ?? objectName, causes: causes.map((cause) => cause.summary) });
}

/** Okta's default password policy: 8+ characters, lower, upper, digit, and no part of the login of 4+ characters. */
function meetsPasswordPolicy(login: string, password: string): boolean {
  const [local, domain = ''] = login.toLowerCase().split('@');
  // The parent domain (the last label, such as "com") is not a part of the username for this rule.
  const parts = [...local.split(/[,._#@-]/), ...domain.split(/[,._#-]/).slice(0, -1)].filter((part) => part.length >= 4);
  const lowered = password.toLowerCase();
  return password.length >= 8 && /[a-z]/.test(password) && /[A-Z]/.test(password) && /\d/.test(password) && !parts.some((part) => lowered.includes(part));
}

function checkPassword(login: string, password: string): void {
  if (!meetsPasswordPolicy(login, password)) throw validationFailed([PASSWORD_POLICY_CAUSE]);
}

/** The default profile always shows mobilePhone and secondEmail, null when unset. */
function withDefaultProperties(profile: Record<string, any>): Record<string, any> {
  const out = { ...profile };
  out.mobilePhone ??= null;
  out.secondEmail ??= null;
  return out;
}

function applyPassword(ctx: Ctx, user: OktaUser, password: PasswordInput): void {
  if (password.value !== undefined) {
    checkPassword(String(user.profile.login), password.value);
    user.password = password.value;
  } else if (password.hash || password.hook) {
    // An imported hash or a password hook is checked at first sign-in; Okta shows such users with the IMPORT provider.
    user.password = null;
    user.credentials.provider = { type: 'IMPORT', name: 'IMPORT' };
  } else {
    return;
  }
  user.credentials.password = {};
  user.passwordChanged = nowIso(ctx);
}

function applyRecoveryQuestion(user: OktaUser, recovery: { question?: string; answer?: string }): void {
  const causes: string[] = [];
  if (isBlank(recovery.question)) causes.push('recovery_question.question: The field cannot be left blank');
  if (isBlank(recovery.answer)) causes.push('recovery_question.answer: The field cannot be left blank');
  if (causes.length > 0) throw validationFailed(causes);
  user.recoveryQuestion = { question: recovery.question!, answer: recovery.answer! };
  user.credentials.recovery_question = { question: recovery.question };
}

function applyCredentials(ctx: Ctx, user: OktaUser, credentials: CredentialsInput | undefined): void {
  if (credentials?.password) applyPassword(ctx, user, credentials.password);
  const recovery = credentials?.recovery_question;
  // A user read back and sent whole (the SDK's update pattern) carries its question without the write-only answer.
  const unchanged = recovery !== undefined && recovery.answer === undefined && recovery.question === user.recoveryQuestion?.question;
  if (recovery && !unchanged) applyRecoveryQuestion(user, recovery);
}

function setStatus(ctx: Ctx, user: OktaUser, status: UserStatus): void {
  const now = nowIso(ctx);
  if (user.status !== status) user.statusChanged = now;
  user.status = status;
  user.transitioningToStatus = null;
  user.lastUpdated = now;
}

function editableUser(ctx: Ctx): OktaUser {
  const user = findUser(ctx, ctx.params.id);
  // A deactivated profile cannot change unless the org allows it (Okta support: "Edit Deactivated User Profile Updates").
  if (user.status === 'DEPROVISIONED') throw new OktaError('E0000038');
  return user;
}

/** Validates the whole edit on a copy first, so a refused edit changes nothing. */
function saveEdit(ctx: Ctx, user: OktaUser, profile: Record<string, any>, credentials: CredentialsInput | undefined, typeId: string): HandlerResult {
  checkProfile(ctx, profile, typeId, user.id, 'userProfile');
  const draft = structuredClone(user);
  draft.profile = profile;
  draft.type = { id: typeId };
  applyCredentials(ctx, draft, credentials);
  draft.lastUpdated = nowIso(ctx);
  putUser(ctx, draft);
  applyGroupRules(ctx, draft);
  return ok(userJson(ctx, draft, 'full'));
}

function oneTimeToken(ctx: Ctx): string {
  return ctx.ids.token(20);
}

function activationToken(ctx: Ctx): { activationUrl: string; activationToken: string } {
  const token = oneTimeToken(ctx);
  return { activationUrl: `${ctx.baseUrl}/tokens/${token}/verify`, activationToken: token };
}

function temporaryPassword(ctx: Ctx): string {
  return ctx.ids.token(2, 'ABCDEFGHJKLMNPQRSTUVWXYZ') + ctx.ids.token(3, '23456789') + ctx.ids.token(3, 'abcdefghijkmnpqrstuvwxyz');
}

const EXPIRABLE: ReadonlySet<UserStatus> = new Set(['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY']);

function expirableUser(ctx: Ctx): OktaUser {
  const user = findUser(ctx, ctx.params.id);
  if (!EXPIRABLE.has(user.status) || user.credentials.password === undefined) throw new OktaError('E0000038');
  return user;
}

const TOP_LEVEL_PROPERTIES = new Set(['id', 'status', 'created', 'activated', 'statusChanged', 'lastUpdated', 'lastLogin', 'passwordChanged', 'type.id']);
const DATE_PROPERTIES = new Set(['created', 'activated', 'statusChanged', 'lastUpdated', 'lastLogin', 'passwordChanged']);
const CONTAINS_PROPERTIES = new Set(['profile.firstName', 'profile.lastName', 'profile.email', 'profile.login']);
const FILTER_PROPERTIES = new Set(['status', 'lastUpdated', 'id', 'profile.login', 'profile.email', 'profile.firstName', 'profile.lastName']);
// Okta has no `ne`: `lt ... or ... gt` stands in for it (Okta's listUsers `search`).
const SEARCH_OPERATORS = new Set(['eq', 'sw', 'co', 'gt', 'ge', 'lt', 'le', 'pr']);
const INEQUALITIES = new Set(['gt', 'ge', 'lt', 'le']);

function attributeValue(user: OktaUser, attribute: string): unknown {
  if (attribute.startsWith('profile.')) return user.profile[attribute.slice('profile.'.length)];
  if (attribute === 'type.id') return user.type.id;
  return (user as unknown as Record<string, unknown>)[attribute];
}

/** `search`: any profile property and the top-level ones; `co` only on the four name and address properties. */
const SEARCH: FilterRules<OktaUser> = {
  supports: (property, operator) =>
    (property.startsWith('profile.') || TOP_LEVEL_PROPERTIES.has(property)) &&
    SEARCH_OPERATORS.has(operator) &&
    (operator !== 'co' || CONTAINS_PROPERTIES.has(property)),
  read: attributeValue,
  dates: DATE_PROPERTIES,
};

/**
 * `filter`: seven properties, `eq` only, plus the inequalities on lastUpdated (Okta's listUsers `filter`).
 * Filter values are compared case-sensitively, search values are not (Okta support: filter vs search).
 */
const FILTER: FilterRules<OktaUser> = {
  supports: (property, operator) => FILTER_PROPERTIES.has(property) && (operator === 'eq' || (property === 'lastUpdated' && INEQUALITIES.has(operator))),
  read: attributeValue,
  dates: DATE_PROPERTIES,
  caseSensitive: true,
};

/** Okta sorts search results case-insensitively by one property, ties by id. */
function sortUsers(users: OktaUser[], sortBy: string, descending: boolean): OktaUser[] {
  const key = (user: OktaUser) => {
    const value = attributeValue(user, sortBy);
    return value === null || value === undefined ? null : String(value).toLowerCase();
  };
  return [...users].sort((x, y) => {
    const a = key(x);
    const b = key(y);
    let difference = a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;
    if (descending && a !== null && b !== null) difference = -difference;
    return difference || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
  });
}

/** A parsed `fields` value: top-level names, and the profile properties asked for (all of them for a bare `profile`). */
interface Projection {
  top: Set<string>;
  profile: string[] | 'all' | null;
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function fieldsRefused(): OktaError {
  return validationFailed(['fields: The fields parameter must be a comma-separated list of properties, with profile properties inside profile:(...)']);
}

/** Parses `fields` such as `status,profile:(firstName, city)` (Okta's listUsers `fields`). */
function parseFields(fields: string): Projection {
  const projection: Projection = { top: new Set(), profile: null };
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of fields) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (depth < 0 || depth > 1) throw fieldsRefused();
    if (char === ',' && depth === 0) {
      items.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (depth !== 0) throw fieldsRefused();
  items.push(current);
  for (const raw of items.map((item) => item.trim())) {
    const nested = /^profile\s*:\s*\((.*)\)$/.exec(raw);
    if (nested) {
      const names = nested[1].split(',').map((name) => name.trim());
      if (names.some((name) => !FIELD_NAME.test(name))) throw fieldsRefused();
      projection.profile = projection.profile === 'all' ? 'all' : [...(projection.profile ?? []), ...names];
    } else if (raw === 'profile') {
      projection.profile = 'all';
    } else if (FIELD_NAME.test(raw)) {
      projection.top.add(raw);
    } else {
      throw fieldsRefused();
    }
  }
  return projection;
}

/** The id, always, and only the fields asked for: "The id field is always included" (Okta's listUsers `fields`). */
function project(user: Record<string, any>, projection: Projection): Record<string, unknown> {
  const out: Record<string, unknown> = { id: user.id };
  for (const name of projection.top) if (name in user) out[name] = user[name];
  if (projection.profile === 'all') out.profile = user.profile;
  else if (projection.profile) out.profile = Object.fromEntries(projection.profile.filter((name) => name in user.profile).map((name) => [name, user.profile[name]]));
  return out;
}

const PASSWORD_CHANGEABLE: ReadonlySet<UserStatus> = new Set(['STAGED', 'ACTIVE', 'PASSWORD_EXPIRED', 'RECOVERY']);
const RECOVERY_QUESTION_CHANGEABLE: ReadonlySet<UserStatus> = new Set(['STAGED', 'ACTIVE', 'RECOVERY']);

/** Okta's answer to a wrong current password (Okta's Authentication API, "Change password"; the Users API answers alike). */
function credentialsIncorrect(property: 'oldPassword' | 'password'): OktaError {
  return new OktaError('E0000014', { causes: [`${property}: The credentials provided were incorrect.`] });
}

/** A user whose password the twin can check: a password set through the API (not an imported hash or a hook). */
function credentialUser(ctx: Ctx, allowed: ReadonlySet<UserStatus>): OktaUser {
  const user = findUser(ctx, ctx.params.userId);
  if (!allowed.has(user.status) || user.credentials.password === undefined) throw new OktaError('E0000038');
  return user;
}

export const userHandlers: Record<string, Handler<OktaState, OktaAuth>> = {
  listUsers: (ctx) => {
    const { search, filter, q, after, sortBy, sortOrder, fields } = ctx.query;
    const limit = Math.min(ctx.query.limit, MAX_PAGE_SIZE);
    const projection = fields !== undefined ? parseFields(fields) : null;
    const all = Object.values(ctx.state.users);
    const respond = (users: OktaUser[], pageLimit: number, cursor?: string) => {
      const { page, headers } = paginate(ctx, users, { limit: pageLimit, after: cursor });
      const listed = page.map((user) => trimmedUserJson(ctx, user, 'self'));
      return ok(projection ? listed.map((user) => project(user, projection)) : listed, headers);
    };
    if (search !== undefined) {
      const found = all.filter(compileFilter(search, SEARCH));
      return respond(sortBy ? sortUsers(found, sortBy, sortOrder === 'desc') : found, limit, after);
    }
    if (filter !== undefined) return respond(all.filter(compileFilter(filter, FILTER)), limit, after);
    const listed = all.filter((user) => user.status !== 'DEPROVISIONED');
    if (q !== undefined) {
      // `q` has no paging: one page of `limit` users (10 unless given).
      const qLimit = ctx.url.searchParams.has('limit') ? limit : Q_DEFAULT_LIMIT;
      const prefix = q.toLowerCase();
      const found = listed.filter((user) => ['firstName', 'lastName', 'email'].some((p) => String(user.profile[p] ?? '').toLowerCase().startsWith(prefix)));
      return respond(found.slice(0, qLimit), qLimit);
    }
    return respond(listed, limit, after);
  },

  createUser: (ctx) => {
    const body = ctx.body ?? {};
    const credentials: CredentialsInput = body.credentials ?? {};
    const activate: boolean = ctx.query.activate;
    const providerType = ctx.query.provider ? credentials.provider?.type : undefined;
    const passwordless = providerType !== undefined && PASSWORDLESS_PROVIDERS.has(providerType);
    const password = credentials.password;
    const hasPassword = !passwordless && Boolean(password && (password.value !== undefined || password.hash || password.hook));
    if (ctx.query.nextLogin === 'changePassword') {
      if (!activate) throw new OktaError('E0000125', { summary: EXPIRE_NEEDS_ACTIVATE, causes: [EXPIRE_NEEDS_ACTIVATE] });
      if (!hasPassword) throw new OktaError('E0000124', { summary: EXPIRE_NEEDS_PASSWORD, causes: [EXPIRE_NEEDS_PASSWORD] });
    }
    const groupIds: string[] = body.groupIds ?? [];
    if (groupIds.length > MAX_GROUP_IDS) throw new OktaError('E0000093', { causes: ['The number of group targets is too large'] });
    const typeId = body.type?.id !== undefined ? requireUserType(ctx.state, body.type.id).id : defaultUserType(ctx.state).id;
    const profile = withCustomDefaults(ctx.state, typeId, withDefaultProperties(body.profile ?? {}));
    checkProfile(ctx, profile, typeId, null, 'newUser');
    const missingGroup = groupIds.find((groupId) => !ctx.state.groups[groupId]);
    if (missingGroup !== undefined) throw notFound(missingGroup, 'UserGroup');

    const now = nowIso(ctx);
    const user: OktaUser = {
      id: oktaId(ctx, '00u'),
      status: 'STAGED',
      created: now,
      activated: null,
      statusChanged: null,
      lastLogin: null,
      lastUpdated: now,
      passwordChanged: null,
      transitioningToStatus: null,
      type: { id: typeId },
      profile,
      credentials: { provider: providerType ? { type: providerType, name: credentials.provider?.name ?? providerType } : { type: 'OKTA', name: 'OKTA' } },
      password: null,
      recoveryQuestion: null,
    };
    if (!passwordless) applyCredentials(ctx, user, credentials);
    if (activate) {
      user.status = canSignInWithoutActivationToken(user) ? (ctx.query.nextLogin === 'changePassword' ? 'PASSWORD_EXPIRED' : 'ACTIVE') : 'PROVISIONED';
      user.activated = now;
      user.statusChanged = now;
    }
    putUser(ctx, user);
    for (const groupId of new Set([EVERYONE_GROUP_ID, ...groupIds])) addMember(ctx, groupId, user.id, true);
    applyGroupRules(ctx, user);
    return ok(userJson(ctx, user, 'full'));
  },

  getUser: (ctx) => ok(trimmedUserJson(ctx, findUser(ctx, ctx.params.id), 'full')),

  updateUser: (ctx) => {
    const user = editableUser(ctx);
    const body = ctx.body ?? {};
    // The user type changes only with a full replacement (Okta's updateUser).
    if (body.type?.id !== undefined && body.type.id !== user.type.id) {
      throw validationFailed(['type: The user type can only be changed with a full replacement (PUT)']);
    }
    const profile = body.profile ? { ...user.profile, ...body.profile } : user.profile;
    return saveEdit(ctx, user, profile, body.credentials, user.type.id);
  },

  replaceUser: (ctx) => {
    const user = editableUser(ctx);
    const body = ctx.body ?? {};
    const typeId = body.type?.id !== undefined ? requireUserType(ctx.state, body.type.id).id : user.type.id;
    return saveEdit(ctx, user, withCustomDefaults(ctx.state, typeId, withDefaultProperties(body.profile ?? {})), body.credentials, typeId);
  },

  deleteUser: (ctx) => {
    const user = findUser(ctx, ctx.params.id);
    // The first delete only deactivates; deleting a DEPROVISIONED user removes it for good (Okta's deleteUser).
    if (user.status !== 'DEPROVISIONED') {
      setStatus(ctx, user, 'DEPROVISIONED');
      return { status: 204 };
    }
    dropUser(ctx, user);
    for (const groupId of Object.keys(ctx.state.groupMembers)) removeMember(ctx, groupId, user.id);
    for (const assignments of Object.values(ctx.state.appUsers)) delete assignments[user.id];
    return { status: 204 };
  },

  listUserGroups: (ctx) => {
    const user = findUser(ctx, ctx.params.id);
    const groups = Object.values(ctx.state.groups).filter((group) => ctx.state.groupMembers[group.id]?.includes(user.id));
    return ok(groups.map((group) => groupJson(ctx, group)));
  },

  activateUser: (ctx) => {
    const user = findUser(ctx, ctx.params.id);
    if (user.status !== 'STAGED' && user.status !== 'DEPROVISIONED') throw new OktaError('E0000016');
    setStatus(ctx, user, canSignInWithoutActivationToken(user) ? 'ACTIVE' : 'PROVISIONED');
    user.activated = nowIso(ctx);
    return ok(ctx.query.sendEmail ? {} : activationToken(ctx));
  },

  reactivateUser: (ctx) => {
    const user = findUser(ctx, ctx.params.id);
    if (user.status !== 'PROVISIONED' && user.status !== 'RECOVERY') throw new OktaError('E0000038');
    setStatus(ctx, user, 'PROVISIONED');
    return ok(ctx.query.sendEmail ? {} : activationToken(ctx));
  },

  deactivateUser: (ctx) => {
    const user = findUser(ctx, ctx.params.id);
    // Okta answers a second deactivation as if the user were gone.
    if (user.status === 'DEPROVISIONED') throw notFound(ctx.params.id, 'User');
    setStatus(ctx, user, 'DEPROVISIONED');
    return ok({});
  },

  suspendUser: (ctx) => {
    const user = findUser(ctx, ctx.params.id);
    if (user.status !== 'ACTIVE') throw new OktaError('E0000001', { detail: 'suspendUser', causes: ['Cannot suspend a user that is not active'] });
    setStatus(ctx, user, 'SUSPENDED');
    return ok({});
  },

  unsuspendUser: (ctx) => {
    const user = findUser(ctx, ctx.params.id);
    if (user.status !== 'SUSPENDED') throw new OktaError('E0000001', { detail: 'unsuspendUser', causes: ['Cannot unsuspend a user that is not suspended'] });
    setStatus(ctx, user, 'ACTIVE');
    return ok({});
  },

  unlockUser: (ctx) => {
    const user = findUser(ctx, ctx.params.id);
    // An ACTIVE user may be blocked from unknown devices; unlocking it clears that and keeps it ACTIVE.
    if (user.status !== 'LOCKED_OUT' && user.status !== 'ACTIVE') throw new OktaError('E0000032', { causes: ['The user is not locked out.'] });
    setStatus(ctx, user, 'ACTIVE');
    return ok({});
  },

  resetPassword: (ctx) => {
    const user = findUser(ctx, ctx.params.id);
    if (user.status === 'STAGED' || user.status === 'DEPROVISIONED' || user.status === 'SUSPENDED') throw new OktaError('E0000038');
    setStatus(ctx, user, 'RECOVERY');
    return ok(ctx.query.sendEmail ? {} : { resetPasswordUrl: `${ctx.baseUrl}/signin/reset-password/${oneTimeToken(ctx)}` });
  },

  expirePassword: (ctx) => {
    const user = expirableUser(ctx);
    setStatus(ctx, user, 'PASSWORD_EXPIRED');
    return ok(userJson(ctx, user, 'full'));
  },

  changePassword: (ctx) => {
    const user = credentialUser(ctx, PASSWORD_CHANGEABLE);
    const { oldPassword, newPassword } = ctx.body;
    if (user.password === null || oldPassword.value !== user.password) throw credentialsIncorrect('oldPassword');
    if (typeof newPassword.value !== 'string' || newPassword.value === '') throw validationFailed(['newPassword: The field cannot be left blank']);
    if (!meetsPasswordPolicy(String(user.profile.login), newPassword.value)) throw new OktaError('E0000014', { causes: [PASSWORD_POLICY_CAUSE] });
    // The default policy remembers the last passwords; the twin knows only the current one.
    if (newPassword.value === user.password) throw new OktaError('E0000014', { causes: ['password: Password has been used too recently'] });
    user.password = newPassword.value;
    user.passwordChanged = nowIso(ctx);
    user.lastUpdated = user.passwordChanged;
    // A successful change ends RECOVERY (Okta's changePassword) and, by setting a fresh password, an expired one.
    if (user.status === 'RECOVERY' || user.status === 'PASSWORD_EXPIRED') setStatus(ctx, user, 'ACTIVE');
    return ok(structuredClone(user.credentials));
  },

  changeRecoveryQuestion: (ctx) => {
    const user = credentialUser(ctx, RECOVERY_QUESTION_CHANGEABLE);
    const body = ctx.body;
    if (user.password === null || body.password?.value !== user.password) throw credentialsIncorrect('password');
    applyRecoveryQuestion(user, body.recovery_question ?? {});
    user.lastUpdated = nowIso(ctx);
    return ok(structuredClone(user.credentials));
  },

  forgotPassword: (ctx) => {
    const user = findUser(ctx, ctx.params.userId);
    // Only ACTIVE users with a password; the status does not change (Okta's forgotPassword).
    if (user.status !== 'ACTIVE' || user.credentials.password === undefined) throw new OktaError('E0000038');
    return ok(ctx.query.sendEmail ? {} : { resetPasswordUrl: `${ctx.baseUrl}/signin/reset-password/${oneTimeToken(ctx)}` });
  },

  forgotPasswordSetNewPassword: (ctx) => {
    const user = findUser(ctx, ctx.params.userId);
    if (user.status !== 'ACTIVE' || user.recoveryQuestion === null) throw new OktaError('E0000038');
    const { password, recovery_question: recovery } = ctx.body;
    if (recovery.answer !== user.recoveryQuestion.answer) {
      throw new OktaError('E0000087');
    }
    if (typeof password.value !== 'string' || password.value === '') throw validationFailed(['password: The field cannot be left blank']);
    if (!meetsPasswordPolicy(String(user.profile.login), password.value)) throw new OktaError('E0000014', { causes: [PASSWORD_POLICY_CAUSE] });
    user.password = password.value;
    user.credentials.password = {};
    user.passwordChanged = nowIso(ctx);
    user.lastUpdated = user.passwordChanged;
    return ok(structuredClone(user.credentials));
  },

  expirePasswordWithTempPassword: (ctx) => {
    const user = expirableUser(ctx);
    const tempPassword = temporaryPassword(ctx);
    user.password = tempPassword;
    user.passwordChanged = nowIso(ctx);
    setStatus(ctx, user, 'PASSWORD_EXPIRED');
    return ok({ tempPassword });
  },
};
