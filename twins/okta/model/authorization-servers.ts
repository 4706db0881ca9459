import { copyJson, deriveSigningKey, opaqueToken, publicJwk } from '../../../src/index.js';
import { invalidFields, notFound, OAuthError, OktaError } from '../errors.js';
import type { AuthServerPolicy, AuthServerPolicyRule, CustomAuthorizationServer, OAuthClaim, OAuthScope, OktaSigningKey, OktaState, OktaUser, RequestCtx } from '../types.js';
import { evaluate, ExpressionError, parseExpression } from './expression-language.js';
import { nowIso } from './ids.js';
import { isMember } from './memberships.js';

type Json = Record<string, any>;

/** Token lifetimes in seconds, as the access rule that let a request through sets them. */
export interface TokenLifetimes {
  accessToken: number;
  /** How long a refresh token works unused. */
  refreshTokenWindow: number;
  /** How long a refresh token (and those rotated from it) works at most from its first issue; 0 for no limit. */
  refreshTokenLifetime: number;
  /** The access policy and rule that decided, and the token inline hook the rule names (none on the org server). */
  rule?: { policyId: string; ruleId: string; inlineHookId?: string };
}

/** The lifetimes of Okta's default access rule (and of the org server): 1 hour access tokens, refresh tokens idle for 7 days. */
export const DEFAULT_LIFETIMES: TokenLifetimes = { accessToken: 3600, refreshTokenWindow: 7 * 24 * 3600, refreshTokenLifetime: 0 };

/** Okta's words when no access policy rule lets a request through (support.okta.com, "Policy evaluation failed for this request"). */
export const NO_MATCHING_POLICY = 'Policy evaluation failed for this request, please check the policy configurations.';

/** The scopes Okta creates with every custom authorization server (`system: true`). */
const SYSTEM_SCOPES: [name: string, description: string][] = [
  ['openid', 'Signals that a request is an OpenID request.'],
  ['profile', "Allows access to the end user's default profile claims."],
  ['email', "Allows access to the end user's email address."],
  ['address', "Allows access to the end user's address."],
  ['phone', "Allows access to the end user's phone number."],
  ['offline_access', 'Allows access to request a refresh token.'],
  ['device_sso', 'Allows access to request a device secret.'],
];

/** The grant types an access rule may name (Okta's GrantTypePolicyRuleCondition). */
const RULE_GRANT_TYPES = [
  'authorization_code', 'implicit', 'password', 'client_credentials', 'interaction_code',
  'urn:ietf:params:oauth:grant-type:device_code', 'urn:ietf:params:oauth:grant-type:token-exchange',
  'urn:ietf:params:oauth:grant-type:saml2-bearer', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'urn:openid:params:grant-type:ciba',
];

/** Claim names Okta reserves for itself: a custom claim may not take them. */
export const RESERVED_CLAIMS = new Set([
  'acr', 'amr', 'aud', 'auth_time', 'at_hash', 'c_hash', 'cid', 'exp', 'iat', 'idp', 'iss', 'jti', 'nbf', 'nonce', 'scp', 'sub', 'uid', 'ver', 'cnf',
]);

/** How long Okta keeps a key ACTIVE before rotating it automatically (rotationMode AUTO): 90 days. */
const ROTATION_DAYS = 90;

// ---------- servers ----------

/** The custom authorization server with this id, or Okta's 404. */
export function requireServer(ctx: RequestCtx, id: string): CustomAuthorizationServer {
  const server = ctx.state.oauth.authorizationServers?.[id];
  if (!server) throw notFound(id, 'AuthorizationServer');
  return server;
}

/** The server's signing keys, in creation order. */
export function serverKeys(state: OktaState, serverId: string): OktaSigningKey[] {
  return state.oauth.signingKeys.filter((k) => (k.authorizationServer ?? 'org') === serverId);
}

/** The key a server signs with: its ACTIVE one (a key without a status is ACTIVE). */
export function activeKey(state: OktaState, serverId: string): OktaSigningKey | undefined {
  return serverKeys(state, serverId).find((k) => (k.status ?? 'ACTIVE') === 'ACTIVE');
}

/**
 * A new signing key for a server, derived from the twin's id source so that a reproducible run gets the same keys.
 * Okta's key ids are 43 base64url characters.
 */
function addKey(ctx: RequestCtx, serverId: string, status: 'ACTIVE' | 'NEXT'): OktaSigningKey {
  const kid = opaqueToken(ctx.ids);
  const key: OktaSigningKey = { ...deriveSigningKey(`${ctx.state.org.id}/${serverId}/${kid}`, kid), alg: 'RS256', use: 'sig', authorizationServer: serverId, status, created: nowIso(ctx) };
  ctx.state.oauth.signingKeys.push(key);
  return key;
}

/**
 * Gives a new server its ACTIVE and NEXT keys, as Okta does.
 *
 * @example
 * createServerKeys(ctx, server.id); // an ACTIVE key that signs, a NEXT one published ahead
 */
export function createServerKeys(ctx: RequestCtx, serverId: string): void {
  addKey(ctx, serverId, 'ACTIVE');
  addKey(ctx, serverId, 'NEXT');
}

/**
 * Rotates a server's keys (Okta's keyRotate): the ACTIVE key becomes EXPIRED, the NEXT one ACTIVE (a new one when the
 * server has none), and a new NEXT key is made. Tokens signed before stay verifiable: EXPIRED keys are still published.
 *
 * @example
 * rotateKeys(ctx, requireServer(ctx, ctx.params.authServerId));
 */
export function rotateKeys(ctx: RequestCtx, server: CustomAuthorizationServer): void {
  const keys = serverKeys(ctx.state, server.id);
  for (const key of keys) if ((key.status ?? 'ACTIVE') === 'ACTIVE') key.status = 'EXPIRED';
  const next = keys.find((k) => k.status === 'NEXT');
  if (next) next.status = 'ACTIVE';
  else addKey(ctx, server.id, 'ACTIVE');
  addKey(ctx, server.id, 'NEXT');
  server.lastRotated = nowIso(ctx);
  server.lastUpdated = server.lastRotated;
}

/** A server's key as the keys endpoints of the Management API return it: the public half, its status and a self link. */
export function serverKeyJson(ctx: RequestCtx, serverId: string, key: OktaSigningKey): Json {
  return {
    status: key.status ?? 'ACTIVE',
    ...publicJwk(key),
    _links: { self: { href: `${ctx.baseUrl}/api/v1/authorizationServers/${serverId}/credentials/keys/${key.kid}`, hints: { allow: ['GET'] } } },
  };
}

/**
 * A server as Okta returns it: its issuer (the org URL mode), its signing credentials and links to its parts.
 *
 * @example
 * return ok(serverJson(ctx, requireServer(ctx, ctx.params.authServerId)));
 */
export function serverJson(ctx: RequestCtx, server: CustomAuthorizationServer): Json {
  const base = ctx.baseUrl.replace(/\/+$/, '');
  const self = `${base}/api/v1/authorizationServers/${server.id}`;
  const lastRotated = server.lastRotated ?? server.created;
  const lifecycle = server.status === 'ACTIVE' ? 'deactivate' : 'activate';
  const { scopes, claims, policies, lastRotated: _rotated, ...record } = server;
  return {
    ...copyJson(record),
    issuer: `${base}/oauth2/${server.id}`,
    issuerMode: 'ORG_URL',
    credentials: {
      signing: {
        rotationMode: 'AUTO',
        lastRotated,
        nextRotation: new Date(Date.parse(lastRotated) + ROTATION_DAYS * 24 * 3600 * 1000).toISOString(),
        kid: activeKey(ctx.state, server.id)?.kid,
        use: 'sig',
      },
    },
    _links: {
      scopes: { href: `${self}/scopes`, hints: { allow: ['GET'] } },
      claims: { href: `${self}/claims`, hints: { allow: ['GET'] } },
      policies: { href: `${self}/policies`, hints: { allow: ['GET'] } },
      self: { href: self, hints: { allow: ['GET', 'DELETE', 'PUT'] } },
      metadata: ['oauth-authorization-server', 'openid-configuration'].map((name) => ({ name, href: `${base}/oauth2/${server.id}/.well-known/${name}`, hints: { allow: ['GET'] } })),
      rotateKey: { href: `${self}/credentials/lifecycle/keyRotate`, hints: { allow: ['POST'] } },
      [lifecycle]: { href: `${self}/lifecycle/${lifecycle}`, hints: { allow: ['POST'] } },
    },
  };
}

/** Checks a server body (create or replace) before anything is written: a name unique in the org and one audience. */
export function checkServerBody(ctx: RequestCtx, body: Json, except?: string): { name: string; description: string; audiences: string[] } {
  const problems: [string, string][] = [];
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  if (!name) problems.push(['name', 'The field cannot be left blank']);
  else if (Object.values(ctx.state.oauth.authorizationServers ?? {}).some((s) => s.id !== except && s.name.toLowerCase() === name.toLowerCase())) {
    problems.push(['name', 'An authorization server with this name already exists.']);
  }
  const audiences: unknown[] = Array.isArray(body.audiences) ? body.audiences : [];
  if (audiences.length === 0 || audiences.some((a) => typeof a !== 'string' || !a.trim())) problems.push(['audiences', 'The field cannot be left blank']);
  // Okta: "Okta currently supports only one audience."
  else if (audiences.length > 1) problems.push(['audiences', 'Only one audience is supported.']);
  if (problems.length) throw invalidFields(problems);
  return { name, description: typeof body.description === 'string' ? body.description : '', audiences: audiences as string[] };
}

/** The system scopes a new server starts with. */
export function systemScopes(ctx: RequestCtx): OAuthScope[] {
  return SYSTEM_SCOPES.map(([name, description]) => ({
    id: `scp${ctx.ids.token(17)}`,
    name,
    displayName: name,
    description,
    system: true,
    metadataPublish: 'ALL_CLIENTS',
    consent: 'IMPLICIT',
    default: false,
    optional: false,
  }));
}

// ---------- scopes ----------

function selfLink(href: string, allow: string[]): Json {
  return { self: { href, hints: { allow } } };
}

/** A scope as Okta returns it. */
export function scopeJson(ctx: RequestCtx, serverId: string, scope: OAuthScope): Json {
  return { optional: false, ...copyJson(scope), _links: selfLink(`${ctx.baseUrl}/api/v1/authorizationServers/${serverId}/scopes/${scope.id}`, ['GET', 'PUT', 'DELETE']) };
}

/** The server's scope with this id, or Okta's 404. */
export function requireScope(server: CustomAuthorizationServer, scopeId: string): OAuthScope {
  const scope = server.scopes.find((s) => s.id === scopeId);
  if (!scope) throw notFound(scopeId, 'OAuth2Scope');
  return scope;
}

const CONSENTS = ['IMPLICIT', 'REQUIRED', 'FLEXIBLE'];
const PUBLISH = ['ALL_CLIENTS', 'NO_CLIENTS'];

/**
 * A scope from a create or replace body, checked before anything is written: a name unique on the server, without
 * spaces, and never an Okta API scope (`okta.*` names belong to the org server).
 *
 * @example
 * const scope = { id: oktaId(ctx, 'scp'), ...scopeFromBody(server, ctx.body) };
 */
export function scopeFromBody(server: CustomAuthorizationServer, body: Json, previous?: OAuthScope): Omit<OAuthScope, 'id'> {
  const problems: [string, string][] = [];
  const name = typeof body.name === 'string' ? body.name : '';
  if (!name.trim()) problems.push(['name', 'The field cannot be left blank']);
  else if (/\s/.test(name)) problems.push(['name', 'The scope name cannot contain spaces.']);
  else if (name.startsWith('okta.')) problems.push(['name', "Scope names cannot start with 'okta.'."]);
  else if (server.scopes.some((s) => s !== previous && s.name === name)) problems.push(['name', 'A scope with this name already exists.']);
  if (body.consent !== undefined && !CONSENTS.includes(body.consent)) problems.push(['consent', `Must be one of ${CONSENTS.join(', ')}.`]);
  if (body.metadataPublish !== undefined && !PUBLISH.includes(body.metadataPublish)) problems.push(['metadataPublish', `Must be one of ${PUBLISH.join(', ')}.`]);
  if (previous?.system && name !== previous.name) problems.push(['name', 'The name of a system scope cannot be changed.']);
  if (problems.length) throw invalidFields(problems);
  return {
    name,
    displayName: body.displayName ?? previous?.displayName ?? name,
    description: body.description ?? previous?.description ?? '',
    system: previous?.system ?? false,
    metadataPublish: body.metadataPublish ?? previous?.metadataPublish ?? 'NO_CLIENTS',
    consent: body.consent ?? previous?.consent ?? 'IMPLICIT',
    default: body.default ?? previous?.default ?? false,
    optional: body.optional ?? previous?.optional ?? false,
  };
}

// ---------- claims ----------

/** A claim as Okta returns it. */
export function claimJson(ctx: RequestCtx, serverId: string, claim: OAuthClaim): Json {
  return { ...copyJson(claim), _links: selfLink(`${ctx.baseUrl}/api/v1/authorizationServers/${serverId}/claims/${claim.id}`, ['GET', 'PUT', 'DELETE']) };
}

/** The server's claim with this id, or Okta's 404. */
export function requireClaim(server: CustomAuthorizationServer, claimId: string): OAuthClaim {
  const claim = (server.claims ?? []).find((c) => c.id === claimId);
  if (!claim) throw notFound(claimId, 'OAuth2Claim');
  return claim;
}

const GROUP_FILTERS = ['STARTS_WITH', 'EQUALS', 'CONTAINS', 'REGEX'];

/**
 * A claim from a create or replace body, checked before anything is written: a name that is not reserved and unique
 * per token type, a known type, a value that parses as Okta Expression Language (EXPRESSION) or a group filter (GROUPS),
 * and condition scopes that the server has.
 *
 * @example
 * const claim = { id: oktaId(ctx, 'ocl'), ...claimFromBody(server, ctx.body) };
 */
export function claimFromBody(server: CustomAuthorizationServer, body: Json, previous?: OAuthClaim): Omit<OAuthClaim, 'id'> {
  const problems: [string, string][] = [];
  const name = typeof body.name === 'string' ? body.name : '';
  const claimType = body.claimType;
  const valueType = body.valueType ?? 'EXPRESSION';
  if (!name.trim()) problems.push(['name', 'The field cannot be left blank']);
  else if (RESERVED_CLAIMS.has(name)) problems.push(['name', `'${name}' is a reserved claim name.`]);
  if (claimType !== 'RESOURCE' && claimType !== 'IDENTITY') problems.push(['claimType', 'Must be one of RESOURCE, IDENTITY.']);
  else if ((server.claims ?? []).some((c) => c !== previous && c.name === name && c.claimType === claimType)) problems.push(['name', 'A claim with this name already exists.']);
  if (valueType !== 'EXPRESSION' && valueType !== 'GROUPS') problems.push(['valueType', 'Must be one of EXPRESSION, GROUPS.']);
  const value = typeof body.value === 'string' ? body.value : '';
  if (!value.trim()) problems.push(['value', 'The field cannot be left blank']);
  else if (valueType === 'EXPRESSION') {
    try {
      parseExpression(value);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      problems.push(['value', error.message]);
    }
  } else if (valueType === 'GROUPS') {
    if (!GROUP_FILTERS.includes(body.group_filter_type)) problems.push(['group_filter_type', `Must be one of ${GROUP_FILTERS.join(', ')}.`]);
    else if (body.group_filter_type === 'REGEX' && !isRegex(value)) problems.push(['value', 'The value is not a valid regular expression.']);
  }
  const scopes: unknown = body.conditions?.scopes ?? [];
  if (!Array.isArray(scopes) || scopes.some((s) => typeof s !== 'string' || !server.scopes.some((known) => known.name === s))) {
    problems.push(['conditions.scopes', 'One or more scopes are not configured for the authorization server resource.']);
  }
  if (body.status !== undefined && body.status !== 'ACTIVE' && body.status !== 'INACTIVE') problems.push(['status', 'Must be one of ACTIVE, INACTIVE.']);
  if (problems.length) throw invalidFields(problems);
  return {
    name,
    status: body.status ?? previous?.status ?? 'ACTIVE',
    claimType,
    valueType,
    value,
    // Okta: "The value is always TRUE for access token claims."
    alwaysIncludeInToken: claimType === 'RESOURCE' ? true : body.alwaysIncludeInToken ?? true,
    system: false,
    conditions: { scopes: scopes as string[] },
    ...(valueType === 'GROUPS' ? { group_filter_type: body.group_filter_type } : {}),
  };
}

function isRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

function userGroups(state: OktaState, user: OktaUser): { id: string; name: string }[] {
  return Object.keys(state.groupMembers)
    .filter((groupId) => state.groups[groupId] && isMember(state, groupId, user.id))
    .map((groupId) => ({ id: groupId, name: state.groups[groupId].profile.name }));
}

function claimValue(state: OktaState, claim: OAuthClaim, user: OktaUser | null): unknown {
  if (claim.valueType === 'GROUPS') {
    if (!user) return null;
    const names = userGroups(state, user).map((g) => g.name);
    const match: Record<string, (name: string) => boolean> = {
      STARTS_WITH: (n) => n.startsWith(claim.value),
      EQUALS: (n) => n === claim.value,
      CONTAINS: (n) => n.includes(claim.value),
      REGEX: (n) => new RegExp(`^(?:${claim.value})$`).test(n),
    };
    return names.filter(match[claim.group_filter_type ?? 'STARTS_WITH']);
  }
  // An expression about the user evaluates to nothing in a token without one (client credentials).
  return evaluate(parseExpression(claim.value), {
    attribute: (name) => (user && Object.hasOwn(user.profile, name) ? user.profile[name] : undefined),
    internal: (name) => (user && Object.hasOwn(user, name) ? (user as unknown as Json)[name] : undefined),
    groups: () => (user ? userGroups(state, user) : []),
  });
}

/**
 * The custom claims of a server for a token of this type: ACTIVE claims whose scope condition the grant meets, with
 * a value (a claim that evaluates to null is left out, as Okta leaves it out). ID tokens that come with an access
 * token or a code leave out the claims not marked `alwaysIncludeInToken` (the client reads them from /userinfo).
 *
 * @example
 * const extra = customClaims(ctx.state, grant.server.key, 'RESOURCE', grant.user, grant.scopes);
 */
export function customClaims(state: OktaState, serverId: string, claimType: 'RESOURCE' | 'IDENTITY', user: OktaUser | null, scopes: string[], withAccessToken = false): Json {
  const server = state.oauth.authorizationServers?.[serverId];
  const out: Json = {};
  for (const claim of server?.claims ?? []) {
    if (claim.status !== 'ACTIVE' || claim.claimType !== claimType) continue;
    if (claim.conditions.scopes.length && !claim.conditions.scopes.some((s) => scopes.includes(s))) continue;
    if (claimType === 'IDENTITY' && withAccessToken && !claim.alwaysIncludeInToken) continue;
    const value = claimValue(state, claim, user);
    if (value !== null && value !== undefined) out[claim.name] = value;
  }
  return out;
}

// ---------- access policies and rules ----------

/** The server's policy with this id, or Okta's 404. */
export function requirePolicy(server: CustomAuthorizationServer, policyId: string): AuthServerPolicy {
  const policy = (server.policies ?? []).find((p) => p.id === policyId);
  if (!policy) throw notFound(policyId, 'Policy');
  return policy;
}

/** The policy's rule with this id, or Okta's 404. */
export function requireRule(policy: AuthServerPolicy, ruleId: string): AuthServerPolicyRule {
  const rule = policy.rules.find((r) => r.id === ruleId);
  if (!rule) throw notFound(ruleId, 'PolicyRule');
  return rule;
}

function lifecycleLinks(self: string, status: 'ACTIVE' | 'INACTIVE'): Json {
  const lifecycle = status === 'ACTIVE' ? 'deactivate' : 'activate';
  return { [lifecycle]: { href: `${self}/lifecycle/${lifecycle}`, hints: { allow: ['POST'] } } };
}

/** A policy as Okta returns it (its rules through their own endpoint). */
export function policyJson(ctx: RequestCtx, serverId: string, policy: AuthServerPolicy): Json {
  const self = `${ctx.baseUrl}/api/v1/authorizationServers/${serverId}/policies/${policy.id}`;
  const { rules, ...record } = policy;
  return {
    ...copyJson(record),
    _links: { ...selfLink(self, ['GET', 'PUT', 'DELETE']), ...lifecycleLinks(self, policy.status), rules: { href: `${self}/rules`, hints: { allow: ['GET'] } } },
  };
}

/** A rule as Okta returns it. */
export function ruleJson(ctx: RequestCtx, serverId: string, policyId: string, rule: AuthServerPolicyRule): Json {
  const self = `${ctx.baseUrl}/api/v1/authorizationServers/${serverId}/policies/${policyId}/rules/${rule.id}`;
  return { ...copyJson(rule), _links: { ...selfLink(self, ['GET', 'PUT', 'DELETE']), ...lifecycleLinks(self, rule.status) } };
}

function stringList(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : null;
}

/** A policy from a create or replace body, checked before anything is written. */
export function policyFromBody(body: Json): Pick<AuthServerPolicy, 'name' | 'description' | 'conditions'> & { status?: 'ACTIVE' | 'INACTIVE'; priority?: number } {
  const problems: [string, string][] = [];
  if (body.type !== undefined && body.type !== 'OAUTH_AUTHORIZATION_POLICY') problems.push(['type', 'Must be OAUTH_AUTHORIZATION_POLICY.']);
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  if (!name) problems.push(['name', 'The field cannot be left blank']);
  else if (name.length > 100) problems.push(['name', 'The field must be at most 100 characters long.']);
  const description = typeof body.description === 'string' ? body.description.trim() : '';
  if (!description) problems.push(['description', 'The field cannot be left blank']);
  const clients = stringList(body.conditions?.clients?.include);
  if (!clients || clients.length === 0) problems.push(['conditions.clients.include', 'The field cannot be left blank']);
  if (body.status !== undefined && body.status !== 'ACTIVE' && body.status !== 'INACTIVE') problems.push(['status', 'Must be one of ACTIVE, INACTIVE.']);
  if (body.priority !== undefined && (!Number.isInteger(body.priority) || body.priority < 1)) problems.push(['priority', 'Must be a positive integer.']);
  if (problems.length) throw invalidFields(problems);
  return { name, description, conditions: { clients: { include: clients! } }, status: body.status, priority: body.priority };
}

/**
 * A rule from a create or replace body, checked before anything is written. Okta's limits on the token lifetimes: an
 * access token lives 5 minutes to 1 day, a refresh token's window is 10 minutes to 5 years, and a refresh token's
 * lifetime (0: unlimited) is at least the access token's.
 *
 * @example
 * const { status, priority, ...sent } = ruleFromBody(ctx.state, server, ctx.body);
 */
export function ruleFromBody(state: OktaState, server: CustomAuthorizationServer, body: Json): Pick<AuthServerPolicyRule, 'name' | 'conditions' | 'actions'> & { status?: 'ACTIVE' | 'INACTIVE'; priority?: number } {
  const problems: [string, string][] = [];
  if (body.type !== undefined && body.type !== 'RESOURCE_ACCESS') problems.push(['type', 'Must be RESOURCE_ACCESS.']);
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  if (!name) problems.push(['name', 'The field cannot be left blank']);
  const grantTypes = stringList(body.conditions?.grantTypes?.include);
  if (!grantTypes || grantTypes.length === 0) problems.push(['conditions.grantTypes.include', 'The field cannot be left blank']);
  else {
    const unknown = grantTypes.filter((g) => !RULE_GRANT_TYPES.includes(g));
    if (unknown.length) problems.push(['conditions.grantTypes.include', `Invalid grant types: ${unknown.join(', ')}.`]);
  }
  const scopes = stringList(body.conditions?.scopes?.include);
  if (!scopes || scopes.length === 0) problems.push(['conditions.scopes.include', 'The field cannot be left blank']);
  else if (scopes.some((s) => s !== '*' && !server.scopes.some((known) => known.name === s))) {
    problems.push(['conditions.scopes.include', 'One or more scopes are not configured for the authorization server resource.']);
  }
  const people = body.conditions?.people ?? {};
  const users = { include: stringList(people.users?.include ?? []), exclude: stringList(people.users?.exclude ?? []) };
  const groups = { include: stringList(people.groups?.include ?? []), exclude: stringList(people.groups?.exclude ?? []) };
  if (!users.include || !users.exclude || !groups.include || !groups.exclude) problems.push(['conditions.people', 'Users and groups must be lists of ids.']);
  else if (users.include.length === 0 && groups.include.length === 0) problems.push(['conditions.people', 'The rule must include users or groups (EVERYONE for all).']);
  const token = body.actions?.token ?? {};
  const access = token.accessTokenLifetimeMinutes ?? 60;
  const lifetime = token.refreshTokenLifetimeMinutes ?? 0;
  const windowMinutes = token.refreshTokenWindowMinutes ?? 10080;
  if (!Number.isInteger(access) || access < 5 || access > 1440) problems.push(['actions.token.accessTokenLifetimeMinutes', 'The access token lifetime must be between 5 minutes and 1 day.']);
  if (!Number.isInteger(windowMinutes) || windowMinutes < 10 || windowMinutes > 2628000) problems.push(['actions.token.refreshTokenWindowMinutes', 'The refresh token window must be between 10 minutes and 5 years.']);
  if (!Number.isInteger(lifetime) || (lifetime !== 0 && lifetime < access)) problems.push(['actions.token.refreshTokenLifetimeMinutes', 'The refresh token lifetime must be unlimited (0) or at least the access token lifetime.']);
  const hookId: unknown = token.inlineHook?.id;
  if (hookId !== undefined && (typeof hookId !== 'string' || state.inlineHooks?.[hookId]?.type !== 'com.okta.oauth2.tokens.transform')) {
    problems.push(['actions.token.inlineHook.id', 'The inline hook must be a token inline hook (com.okta.oauth2.tokens.transform).']);
  }
  if (body.status !== undefined && body.status !== 'ACTIVE' && body.status !== 'INACTIVE') problems.push(['status', 'Must be one of ACTIVE, INACTIVE.']);
  if (body.priority !== undefined && (!Number.isInteger(body.priority) || body.priority < 1)) problems.push(['priority', 'Must be a positive integer.']);
  if (problems.length) throw invalidFields(problems);
  return {
    name,
    conditions: {
      people: { users: { include: users.include!, exclude: users.exclude! }, groups: { include: groups.include!, exclude: groups.exclude! } },
      grantTypes: { include: grantTypes! },
      scopes: { include: scopes! },
    },
    actions: { token: { accessTokenLifetimeMinutes: access, refreshTokenLifetimeMinutes: lifetime, refreshTokenWindowMinutes: windowMinutes, ...(typeof hookId === 'string' ? { inlineHook: { id: hookId } } : {}) } },
    status: body.status,
    priority: body.priority,
  };
}

/**
 * Puts an item at a priority (1 first; the end when absent or past it) and renumbers the list, as Okta keeps policy and
 * rule priorities a dense 1..n order.
 *
 * @example
 * placeByPriority(server.policies, policy, 1); // first, the others move down
 */
export function placeByPriority<T extends { priority: number }>(items: T[], item: T, priority: number | undefined): void {
  const without = items.filter((i) => i !== item).sort((a, b) => a.priority - b.priority);
  const at = priority === undefined ? without.length : Math.min(Math.max(priority - 1, 0), without.length);
  without.splice(at, 0, item);
  items.length = 0;
  items.push(...without);
  items.forEach((i, index) => (i.priority = index + 1));
}

function peopleMatch(state: OktaState, rule: AuthServerPolicyRule, user: OktaUser | null): boolean {
  // Client credentials tokens have no user: the people condition does not apply to them.
  if (!user) return true;
  const { users, groups } = rule.conditions.people;
  // EVERYONE (and the org's built-in Everyone group) stands for every user.
  const inGroup = (groupId: string) => groupId === 'EVERYONE' || state.groups[groupId]?.type === 'BUILT_IN' || isMember(state, groupId, user.id);
  if (users.exclude.includes(user.id) || groups.exclude.some(inGroup)) return false;
  return users.include.includes(user.id) || groups.include.some(inGroup);
}

/**
 * The token lifetimes the server's access policies give this request, or null when none lets it through. Policies are
 * tried in priority order, the first ACTIVE one naming the client (or ALL_CLIENTS) decides, and in it the first ACTIVE
 * rule that allows the grant type, the user and every requested scope (support.okta.com: a rule that does not cover
 * all the scopes requested is skipped). The refresh_token grant is evaluated without a grant type: a rule names the
 * grant that first issued the tokens. The org server has no policies; a custom server from an export older than
 * policies (no `policies` field) issues under Okta's default rule.
 *
 * @example
 * const lifetimes = matchAccessRule(ctx.state, 'default', clientId, user, 'authorization_code', ['openid']);
 */
export function matchAccessRule(state: OktaState, serverKey: string, clientId: string, user: OktaUser | null, grantType: string, scopes: string[]): TokenLifetimes | null {
  const server = state.oauth.authorizationServers?.[serverKey];
  if (!server || server.policies === undefined) return DEFAULT_LIFETIMES;
  const policies = server.policies
    .filter((p) => p.status === 'ACTIVE' && (p.conditions.clients.include.includes('ALL_CLIENTS') || p.conditions.clients.include.includes(clientId)))
    .sort((a, b) => a.priority - b.priority);
  for (const policy of policies) {
    const rule = [...policy.rules]
      .sort((a, b) => a.priority - b.priority)
      .find((r) =>
        r.status === 'ACTIVE' &&
        (grantType === 'refresh_token' || r.conditions.grantTypes.include.includes(grantType)) &&
        peopleMatch(state, r, user) &&
        (r.conditions.scopes.include.includes('*') || scopes.every((s) => r.conditions.scopes.include.includes(s))),
      );
    if (rule) {
      const { accessTokenLifetimeMinutes, refreshTokenWindowMinutes, refreshTokenLifetimeMinutes } = rule.actions.token;
      return {
        accessToken: accessTokenLifetimeMinutes * 60,
        refreshTokenWindow: refreshTokenWindowMinutes * 60,
        refreshTokenLifetime: refreshTokenLifetimeMinutes * 60,
        rule: { policyId: policy.id, ruleId: rule.id, ...(rule.actions.token.inlineHook ? { inlineHookId: rule.actions.token.inlineHook.id } : {}) },
      };
    }
  }
  return null;
}

/**
 * matchAccessRule for the token endpoint: no matching rule is Okta's 400 access_denied "Policy evaluation failed".
 *
 * @example
 * const lifetimes = accessRuleLifetimes(ctx.state, server.key, clientId, null, 'client_credentials', scopes);
 */
export function accessRuleLifetimes(state: OktaState, serverKey: string, clientId: string, user: OktaUser | null, grantType: string, scopes: string[]): TokenLifetimes {
  const lifetimes = matchAccessRule(state, serverKey, clientId, user, grantType, scopes);
  if (!lifetimes) throw new OAuthError(400, 'access_denied', NO_MATCHING_POLICY);
  return lifetimes;
}

/** Okta's 400 for a key rotation whose body does not say `"use": "sig"` (its InvalidRotateUse example). */
export function invalidRotateUse(): OktaError {
  return new OktaError('E0000001', { detail: 'rotateKeys', causes: ["Invalid value specified for key 'use' parameter"] });
}
