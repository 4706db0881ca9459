import { createRecord, cursorPage, revokeTokensWhere } from '../../../src/index.js';
import { OktaError } from '../errors.js';
import {
  checkServerBody,
  claimFromBody,
  claimJson,
  createServerKeys,
  invalidRotateUse,
  placeByPriority,
  policyFromBody,
  policyJson,
  requireClaim,
  requirePolicy,
  requireRule,
  requireScope,
  requireServer,
  rotateKeys,
  ruleFromBody,
  ruleJson,
  scopeFromBody,
  scopeJson,
  serverJson,
  serverKeyJson,
  serverKeys,
  systemScopes,
} from '../model/authorization-servers.js';
import { ok } from '../model/http.js';
import { nowIso, oktaId } from '../model/ids.js';
import { logEvent, type LogEntity } from '../model/system-log.js';
import type { AuthServerPolicy, AuthServerPolicyRule, Ctx, CustomAuthorizationServer, OktaHandlers } from '../types.js';

const NO_CONTENT = { status: 204 };

function server(ctx: Ctx): CustomAuthorizationServer {
  return requireServer(ctx, ctx.params.authServerId);
}

function policyOf(ctx: Ctx): { server: CustomAuthorizationServer; policy: AuthServerPolicy } {
  const found = server(ctx);
  return { server: found, policy: requirePolicy(found, ctx.params.policyId) };
}

function ruleOf(ctx: Ctx): { server: CustomAuthorizationServer; policy: AuthServerPolicy; rule: AuthServerPolicyRule } {
  const { server: found, policy } = policyOf(ctx);
  return { server: found, policy, rule: requireRule(policy, ctx.params.ruleId) };
}

function serverEntity(server: CustomAuthorizationServer): LogEntity {
  return { id: server.id, type: 'AuthorizationServer', alternateId: server.name, displayName: server.name, detailEntry: null };
}

function entity(id: string, type: string, name: string): LogEntity {
  return { id, type, alternateId: name, displayName: name, detailEntry: null };
}

/** Writes the System Log event Okta writes for a change to a server or one of its parts (oauth2.as.*, oauth2.scope.*, oauth2.claim.*, policy.*). */
function log(ctx: Ctx, eventType: string, displayMessage: string, target: LogEntity[]): void {
  logEvent(ctx, { eventType, displayMessage, target });
}

function touch(ctx: Ctx, record: { lastUpdated: string }): void {
  record.lastUpdated = nowIso(ctx);
}

function setStatus(ctx: Ctx, record: { status: 'ACTIVE' | 'INACTIVE'; lastUpdated: string }, status: 'ACTIVE' | 'INACTIVE', logged: () => void) {
  if (record.status !== status) {
    record.status = status;
    touch(ctx, record);
    logged();
  }
  return NO_CONTENT;
}

/** The tokens a server issued stop working when it goes (Okta: "configuration in the authorization server is changed or deleted"). */
function revokeServerTokens(ctx: Ctx, serverId: string): void {
  revokeTokensWhere(ctx.state.oauth.tokens, (record) => record.server === serverId);
}

/**
 * Custom authorization servers (tags AuthorizationServer, AuthorizationServerScopes, AuthorizationServerClaims,
 * AuthorizationServerPolicies, AuthorizationServerRules, AuthorizationServerKeys). Every server, the seeded `default`
 * one and those created here, serves the same /oauth2/{id}/v1 endpoints with its own issuer, keys, scopes, claims and
 * access policies.
 */
export const authorizationServerHandlers = {
  listAuthorizationServers(ctx) {
    const q = typeof ctx.query.q === 'string' ? ctx.query.q.toLowerCase() : '';
    const servers = Object.values(ctx.state.oauth.authorizationServers ?? {}).filter(
      (s) => !q || s.name.toLowerCase().includes(q) || s.audiences.some((a) => a.toLowerCase().includes(q)),
    );
    // Okta: a page holds 200 servers by default (the document's default), and at most 200.
    const { page, headers } = cursorPage(ctx, servers, { limit: Math.min(ctx.query.limit, 200), after: ctx.query.after });
    return ok(page.map((s) => serverJson(ctx, s)), headers);
  },

  createAuthorizationServer(ctx) {
    const body = ctx.body ?? {};
    const { name, description, audiences } = checkServerBody(ctx, body);
    const now = nowIso(ctx);
    const id = oktaId(ctx, 'aus');
    const created: CustomAuthorizationServer = {
      id,
      name,
      description,
      audiences,
      status: body.status === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE',
      created: now,
      lastUpdated: now,
      scopes: systemScopes(ctx),
      claims: [],
      // Okta creates a server without access policies: it issues no tokens until one is added.
      policies: [],
    };
    (ctx.state.oauth.authorizationServers ??= createRecord())[id] = created;
    createServerKeys(ctx, id);
    log(ctx, 'oauth2.as.created', 'Create authorization server', [serverEntity(created)]);
    return { status: 201, body: serverJson(ctx, created) };
  },

  getAuthorizationServer: (ctx) => ok(serverJson(ctx, server(ctx))),

  replaceAuthorizationServer(ctx) {
    const found = server(ctx);
    const { name, description, audiences } = checkServerBody(ctx, ctx.body ?? {}, found.id);
    Object.assign(found, { name, description, audiences });
    touch(ctx, found);
    log(ctx, 'oauth2.as.updated', 'Update authorization server', [serverEntity(found)]);
    return ok(serverJson(ctx, found));
  },

  deleteAuthorizationServer(ctx) {
    const found = server(ctx);
    delete ctx.state.oauth.authorizationServers![found.id];
    ctx.state.oauth.signingKeys = ctx.state.oauth.signingKeys.filter((k) => k.authorizationServer !== found.id);
    revokeServerTokens(ctx, found.id);
    log(ctx, 'oauth2.as.deleted', 'Delete authorization server', [serverEntity(found)]);
    return NO_CONTENT;
  },

  activateAuthorizationServer(ctx) {
    const found = server(ctx);
    return setStatus(ctx, found, 'ACTIVE', () => log(ctx, 'oauth2.as.activated', 'Activate authorization server', [serverEntity(found)]));
  },

  deactivateAuthorizationServer(ctx) {
    const found = server(ctx);
    return setStatus(ctx, found, 'INACTIVE', () => log(ctx, 'oauth2.as.deactivated', 'Deactivate authorization server', [serverEntity(found)]));
  },

  // ---------- scopes ----------

  listOAuth2Scopes(ctx) {
    const found = server(ctx);
    const q = typeof ctx.query.q === 'string' ? ctx.query.q : '';
    return ok(found.scopes.filter((s) => !q || s.name.startsWith(q)).map((s) => scopeJson(ctx, found.id, s)));
  },

  createOAuth2Scope(ctx) {
    const found = server(ctx);
    const scope = { id: oktaId(ctx, 'scp'), ...scopeFromBody(found, ctx.body ?? {}) };
    found.scopes.push(scope);
    touch(ctx, found);
    log(ctx, 'oauth2.scope.created', 'Create scope', [entity(scope.id, 'OAuth2Scope', scope.name), serverEntity(found)]);
    return { status: 201, body: scopeJson(ctx, found.id, scope) };
  },

  getOAuth2Scope(ctx) {
    const found = server(ctx);
    return ok(scopeJson(ctx, found.id, requireScope(found, ctx.params.scopeId)));
  },

  replaceOAuth2Scope(ctx) {
    const found = server(ctx);
    const scope = requireScope(found, ctx.params.scopeId);
    Object.assign(scope, scopeFromBody(found, ctx.body ?? {}, scope));
    touch(ctx, found);
    log(ctx, 'oauth2.scope.updated', 'Update scope', [entity(scope.id, 'OAuth2Scope', scope.name), serverEntity(found)]);
    return ok(scopeJson(ctx, found.id, scope));
  },

  deleteOAuth2Scope(ctx) {
    const found = server(ctx);
    const scope = requireScope(found, ctx.params.scopeId);
    // Wording unconfirmed: Okta's references show no body for this refusal.
    if (scope.system) throw new OktaError('E0000006', { causes: ['System scopes cannot be deleted.'] });
    found.scopes = found.scopes.filter((s) => s !== scope);
    touch(ctx, found);
    log(ctx, 'oauth2.scope.deleted', 'Delete scope', [entity(scope.id, 'OAuth2Scope', scope.name), serverEntity(found)]);
    return NO_CONTENT;
  },

  // ---------- claims ----------

  listOAuth2Claims(ctx) {
    const found = server(ctx);
    return ok((found.claims ?? []).map((c) => claimJson(ctx, found.id, c)));
  },

  createOAuth2Claim(ctx) {
    const found = server(ctx);
    const claim = { id: oktaId(ctx, 'ocl'), ...claimFromBody(found, ctx.body ?? {}) };
    (found.claims ??= []).push(claim);
    touch(ctx, found);
    log(ctx, 'oauth2.claim.created', 'Create claim', [entity(claim.id, 'OAuth2Claim', claim.name), serverEntity(found)]);
    return { status: 201, body: claimJson(ctx, found.id, claim) };
  },

  getOAuth2Claim(ctx) {
    const found = server(ctx);
    return ok(claimJson(ctx, found.id, requireClaim(found, ctx.params.claimId)));
  },

  replaceOAuth2Claim(ctx) {
    const found = server(ctx);
    const claim = requireClaim(found, ctx.params.claimId);
    Object.assign(claim, claimFromBody(found, ctx.body ?? {}, claim));
    if (claim.valueType !== 'GROUPS') delete claim.group_filter_type;
    touch(ctx, found);
    log(ctx, 'oauth2.claim.updated', 'Update claim', [entity(claim.id, 'OAuth2Claim', claim.name), serverEntity(found)]);
    return ok(claimJson(ctx, found.id, claim));
  },

  deleteOAuth2Claim(ctx) {
    const found = server(ctx);
    const claim = requireClaim(found, ctx.params.claimId);
    found.claims = (found.claims ?? []).filter((c) => c !== claim);
    touch(ctx, found);
    log(ctx, 'oauth2.claim.deleted', 'Delete claim', [entity(claim.id, 'OAuth2Claim', claim.name), serverEntity(found)]);
    return NO_CONTENT;
  },

  // ---------- access policies ----------

  listAuthorizationServerPolicies(ctx) {
    const found = server(ctx);
    return ok([...(found.policies ?? [])].sort((a, b) => a.priority - b.priority).map((p) => policyJson(ctx, found.id, p)));
  },

  createAuthorizationServerPolicy(ctx) {
    const found = server(ctx);
    const { status, priority, ...sent } = policyFromBody(ctx.body ?? {});
    const now = nowIso(ctx);
    const policy: AuthServerPolicy = {
      id: oktaId(ctx, '00p'),
      type: 'OAUTH_AUTHORIZATION_POLICY',
      ...sent,
      status: status ?? 'ACTIVE',
      priority: 0,
      system: false,
      created: now,
      lastUpdated: now,
      rules: [],
    };
    placeByPriority((found.policies ??= []), policy, priority);
    log(ctx, 'policy.lifecycle.create', 'Create policy', [entity(policy.id, 'Policy', policy.name), serverEntity(found)]);
    return { status: 201, body: policyJson(ctx, found.id, policy) };
  },

  getAuthorizationServerPolicy(ctx) {
    const { server: found, policy } = policyOf(ctx);
    return ok(policyJson(ctx, found.id, policy));
  },

  replaceAuthorizationServerPolicy(ctx) {
    const { server: found, policy } = policyOf(ctx);
    const { status, priority, ...sent } = policyFromBody(ctx.body ?? {});
    Object.assign(policy, sent, status ? { status } : {});
    placeByPriority(found.policies!, policy, priority ?? policy.priority);
    touch(ctx, policy);
    log(ctx, 'policy.lifecycle.update', 'Update policy', [entity(policy.id, 'Policy', policy.name), serverEntity(found)]);
    return ok(policyJson(ctx, found.id, policy));
  },

  deleteAuthorizationServerPolicy(ctx) {
    const { server: found, policy } = policyOf(ctx);
    found.policies = found.policies!.filter((p) => p !== policy);
    found.policies.forEach((p, index) => (p.priority = index + 1));
    log(ctx, 'policy.lifecycle.delete', 'Delete policy', [entity(policy.id, 'Policy', policy.name), serverEntity(found)]);
    return NO_CONTENT;
  },

  activateAuthorizationServerPolicy(ctx) {
    const { server: found, policy } = policyOf(ctx);
    return setStatus(ctx, policy, 'ACTIVE', () => log(ctx, 'policy.lifecycle.activate', 'Activate policy', [entity(policy.id, 'Policy', policy.name), serverEntity(found)]));
  },

  deactivateAuthorizationServerPolicy(ctx) {
    const { server: found, policy } = policyOf(ctx);
    return setStatus(ctx, policy, 'INACTIVE', () => log(ctx, 'policy.lifecycle.deactivate', 'Deactivate policy', [entity(policy.id, 'Policy', policy.name), serverEntity(found)]));
  },

  // ---------- access policy rules ----------

  listAuthorizationServerPolicyRules(ctx) {
    const { server: found, policy } = policyOf(ctx);
    return ok([...policy.rules].sort((a, b) => a.priority - b.priority).map((r) => ruleJson(ctx, found.id, policy.id, r)));
  },

  createAuthorizationServerPolicyRule(ctx) {
    const { server: found, policy } = policyOf(ctx);
    const { status, priority, ...sent } = ruleFromBody(ctx.state, found, ctx.body ?? {});
    const now = nowIso(ctx);
    const rule: AuthServerPolicyRule = { id: oktaId(ctx, '0pr'), type: 'RESOURCE_ACCESS', ...sent, status: status ?? 'ACTIVE', priority: 0, system: false, created: now, lastUpdated: now };
    placeByPriority(policy.rules, rule, priority);
    log(ctx, 'policy.rule.add', 'Add policy rule', [entity(rule.id, 'PolicyRule', rule.name), entity(policy.id, 'Policy', policy.name)]);
    return { status: 201, body: ruleJson(ctx, found.id, policy.id, rule) };
  },

  getAuthorizationServerPolicyRule(ctx) {
    const { server: found, policy, rule } = ruleOf(ctx);
    return ok(ruleJson(ctx, found.id, policy.id, rule));
  },

  replaceAuthorizationServerPolicyRule(ctx) {
    const { server: found, policy, rule } = ruleOf(ctx);
    const { status, priority, ...sent } = ruleFromBody(ctx.state, found, ctx.body ?? {});
    Object.assign(rule, sent, status ? { status } : {});
    placeByPriority(policy.rules, rule, priority ?? rule.priority);
    touch(ctx, rule);
    log(ctx, 'policy.rule.update', 'Update policy rule', [entity(rule.id, 'PolicyRule', rule.name), entity(policy.id, 'Policy', policy.name)]);
    return ok(ruleJson(ctx, found.id, policy.id, rule));
  },

  deleteAuthorizationServerPolicyRule(ctx) {
    const { policy, rule } = ruleOf(ctx);
    policy.rules = policy.rules.filter((r) => r !== rule);
    policy.rules.forEach((r, index) => (r.priority = index + 1));
    log(ctx, 'policy.rule.delete', 'Delete policy rule', [entity(rule.id, 'PolicyRule', rule.name), entity(policy.id, 'Policy', policy.name)]);
    return NO_CONTENT;
  },

  activateAuthorizationServerPolicyRule(ctx) {
    const { policy, rule } = ruleOf(ctx);
    return setStatus(ctx, rule, 'ACTIVE', () => log(ctx, 'policy.rule.activate', 'Activate policy rule', [entity(rule.id, 'PolicyRule', rule.name), entity(policy.id, 'Policy', policy.name)]));
  },

  deactivateAuthorizationServerPolicyRule(ctx) {
    const { policy, rule } = ruleOf(ctx);
    return setStatus(ctx, rule, 'INACTIVE', () => log(ctx, 'policy.rule.deactivate', 'Deactivate policy rule', [entity(rule.id, 'PolicyRule', rule.name), entity(policy.id, 'Policy', policy.name)]));
  },

  // ---------- keys ----------

  listAuthorizationServerKeys(ctx) {
    const found = server(ctx);
    return ok(serverKeys(ctx.state, found.id).map((k) => serverKeyJson(ctx, found.id, k)));
  },

  getAuthorizationServerKey(ctx) {
    const found = server(ctx);
    const key = serverKeys(ctx.state, found.id).find((k) => k.kid === ctx.params.keyId);
    if (!key) throw new OktaError('E0000007', { detail: `Resource not found: ${ctx.params.keyId} (JsonWebKey)` });
    return ok(serverKeyJson(ctx, found.id, key));
  },

  rotateAuthorizationServerKeys(ctx) {
    const found = server(ctx);
    if (ctx.body?.use !== 'sig') throw invalidRotateUse();
    rotateKeys(ctx, found);
    // Okta's app.oauth2.as.key.rollover (Event Types catalog, oauth2-custom-as); the display message is the twin's.
    log(ctx, 'app.oauth2.as.key.rollover', 'Rotate authorization server signing keys', [serverEntity(found)]);
    return ok(serverKeys(ctx.state, found.id).map((k) => serverKeyJson(ctx, found.id, k)));
  },
} satisfies OktaHandlers;
