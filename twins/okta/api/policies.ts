import { copyJson, createRecord, cursorPage } from '../../../src/index.js';
import { invalidFields, notFound, OktaError } from '../errors.js';
import { ok } from '../model/http.js';
import { nowIso, oktaId } from '../model/ids.js';
import { DEFAULT_PASSWORD_SETTINGS, placeByPriority, policiesOfType, RULE_TYPES, rulesOf } from '../model/policies.js';
import { logEvent, type LogEntity } from '../model/system-log.js';
import type { Ctx, OktaHandlers, OktaPolicy, OktaPolicyRule, OktaState, PolicyType, RequestCtx } from '../types.js';

type Json = Record<string, any>;

const policyStore = (state: OktaState) => (state.policies ??= createRecord());
const ruleStore = (state: OktaState) => (state.policyRules ??= createRecord());

function link(href: string, ...allow: string[]) {
  return { href, hints: { allow } };
}

function policyJson(ctx: RequestCtx, policy: OktaPolicy): Json {
  const self = `${ctx.baseUrl}/api/v1/policies/${policy.id}`;
  const links: Json = { self: link(self, 'GET', 'PUT', ...(policy.system ? [] : ['DELETE'])), rules: link(`${self}/rules`, 'GET', 'POST') };
  // The default policy is always on (Okta's Policies API, "Default policies").
  if (!policy.system) links[policy.status === 'ACTIVE' ? 'deactivate' : 'activate'] = link(`${self}/lifecycle/${policy.status === 'ACTIVE' ? 'deactivate' : 'activate'}`, 'POST');
  return { ...copyJson(policy), _links: links };
}

function ruleJson(ctx: RequestCtx, rule: OktaPolicyRule): Json {
  const self = `${ctx.baseUrl}/api/v1/policies/${rule.policyId}/rules/${rule.id}`;
  const { policyId: _policyId, ...rest } = copyJson(rule);
  const links: Json = { self: link(self, 'GET', 'PUT', ...(rule.system ? [] : ['DELETE'])) };
  if (!rule.system) links[rule.status === 'ACTIVE' ? 'deactivate' : 'activate'] = link(`${self}/lifecycle/${rule.status === 'ACTIVE' ? 'deactivate' : 'activate'}`, 'POST');
  return { ...rest, _links: links };
}

function policyEntity(policy: OktaPolicy): LogEntity {
  return { id: policy.id, type: 'PolicyEntity', alternateId: 'unknown', displayName: policy.name, detailEntry: { policyType: policy.type } };
}

function ruleEntity(rule: OktaPolicyRule): LogEntity {
  return { id: rule.id, type: 'PolicyRule', alternateId: 'unknown', displayName: rule.name, detailEntry: { policyRuleFactorMode: null } };
}

function requirePolicy(ctx: Ctx): OktaPolicy {
  const id: string = ctx.params.policyId;
  const policy = ctx.state.policies && Object.hasOwn(ctx.state.policies, id) ? ctx.state.policies[id] : undefined;
  if (!policy) throw notFound(id, 'Policy');
  return policy;
}

function requireRule(ctx: Ctx, policy: OktaPolicy): OktaPolicyRule {
  const id: string = ctx.params.ruleId;
  const rule = ctx.state.policyRules && Object.hasOwn(ctx.state.policyRules, id) ? ctx.state.policyRules[id] : undefined;
  if (!rule || rule.policyId !== policy.id) throw notFound(id, 'PolicyRule');
  return rule;
}

/** Groups and users a `people` condition names must exist. */
function checkPeople(ctx: Ctx, conditions: Json | null | undefined): void {
  const problems: [string, string][] = [];
  for (const side of ['include', 'exclude'] as const) {
    for (const id of conditions?.people?.groups?.[side] ?? []) {
      if (!Object.hasOwn(ctx.state.groups, id)) problems.push([`conditions.people.groups.${side}`, `Group not found: ${id}`]);
    }
    for (const id of conditions?.people?.users?.[side] ?? []) {
      if (!Object.hasOwn(ctx.state.users, id)) problems.push([`conditions.people.users.${side}`, `User not found: ${id}`]);
    }
  }
  if (problems.length > 0) throw invalidFields(problems);
}

function requireName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '') throw invalidFields([['name', 'The field cannot be left blank']]);
  return name;
}

/** A PASSWORD policy's settings, Okta's defaults filled in where the request leaves them out. */
function passwordSettings(sent: Json | undefined): Json {
  const password = sent?.password ?? {};
  const d = DEFAULT_PASSWORD_SETTINGS;
  const complexity = { ...d.complexity, dictionary: { common: { exclude: false } }, ...password.complexity };
  if (complexity.minLength < 4 || complexity.minLength > 30) {
    throw invalidFields([['settings.password.complexity.minLength', 'Minimum length must be between 4 and 30.']]);
  }
  return {
    ...sent,
    password: {
      complexity,
      age: { ...d.age, ...password.age },
      lockout: { ...d.lockout, userLockoutNotificationChannels: [], showLockoutFailures: false, ...password.lockout },
    },
    recovery: sent?.recovery ?? { factors: { recovery_question: { status: 'ACTIVE', properties: { complexity: { minLength: 4 } } }, okta_email: { status: 'ACTIVE', properties: { recoveryToken: { tokenLifetimeMinutes: 60 } } } } },
    delegation: sent?.delegation ?? { options: { skipUnlock: false } },
  };
}

function settingsFor(type: PolicyType, sent: Json | undefined): Json | undefined {
  if (type === 'PASSWORD') return passwordSettings(sent);
  if (type === 'MFA_ENROLL') return sent ?? { type: 'FACTORS', factors: {} };
  return sent;
}

/** A rule's actions, the type's defaults filled in (Okta's Policies API, rule "Actions" objects). */
function ruleActions(type: string, sent: Json | undefined): Json {
  const actions = sent ?? {};
  switch (type) {
    case 'SIGN_ON':
      return {
        ...actions,
        signon: {
          access: 'ALLOW',
          requireFactor: false,
          primaryFactor: 'PASSWORD_IDP',
          rememberDeviceByDefault: false,
          ...actions.signon,
          session: { usePersistentCookie: false, maxSessionIdleMinutes: 120, maxSessionLifetimeMinutes: 0, ...actions.signon?.session },
        },
      };
    case 'PASSWORD':
      return { passwordChange: { access: 'ALLOW' }, selfServicePasswordReset: { access: 'ALLOW' }, selfServiceUnlock: { access: 'DENY' }, ...actions };
    case 'MFA_ENROLL':
      return { enroll: { self: 'CHALLENGE' }, ...actions };
    default:
      return { appSignOn: { access: 'ALLOW', verificationMethod: { factorMode: '1FA', type: 'ASSURANCE', reauthenticateIn: 'PT12H', constraints: [] } }, ...actions };
  }
}

function lifecycle(ctx: Ctx, item: { status: string; lastUpdated: string }, status: 'ACTIVE' | 'INACTIVE'): boolean {
  if (item.status === status) return false;
  item.status = status;
  item.lastUpdated = nowIso(ctx);
  return true;
}

/**
 * Policies and their rules (tag Policy): the sign-on, password, MFA enrollment and app sign-on policies, with Okta's
 * default policies seeded. The twin's sign-in (Authentication API), password changes and factor enrollment read
 * them; see model/policies.ts for what each governs.
 */
export const policyHandlers = {
  listPolicies: (ctx) => {
    const q: string | undefined = ctx.query.q?.toLowerCase();
    const policies = policiesOfType(ctx.state, ctx.query.type)
      .filter((p) => ctx.query.status === undefined || p.status === ctx.query.status)
      .filter((p) => q === undefined || p.name.toLowerCase().startsWith(q));
    // Okta pages this list with `limit` and `after` (listPolicies) but documents no default page size: without a
    // limit every policy of the type is on the one page.
    const { page, headers } = cursorPage(ctx, policies, { limit: ctx.query.limit ?? policies.length, after: ctx.query.after });
    return ok(page.map((p) => policyJson(ctx, p)), headers);
  },

  createPolicy: (ctx) => {
    const body: Json = ctx.body;
    const type: PolicyType = body.type;
    const name = requireName(body.name);
    if (policiesOfType(ctx.state, type).some((p) => p.name === name)) throw invalidFields([['name', 'A policy with this name already exists.']]);
    checkPeople(ctx, body.conditions);
    const now = nowIso(ctx);
    const settings = settingsFor(type, body.settings);
    const policy: OktaPolicy = {
      id: oktaId(ctx, '00p'),
      type,
      name,
      description: body.description ?? null,
      status: ctx.query.activate === false || body.status === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE',
      priority: 0,
      system: false,
      created: now,
      lastUpdated: now,
      conditions: body.conditions ?? null,
      ...(settings ? { settings } : {}),
    };
    placeByPriority([...policiesOfType(ctx.state, type), policy], policy, body.priority, now);
    policyStore(ctx.state)[policy.id] = policy;
    logEvent(ctx, { eventType: 'policy.lifecycle.create', displayMessage: 'Create policy', target: [policyEntity(policy)] });
    return ok(policyJson(ctx, policy));
  },

  getPolicy: (ctx) => ok(policyJson(ctx, requirePolicy(ctx))),

  replacePolicy: (ctx) => {
    const policy = requirePolicy(ctx);
    const body: Json = ctx.body;
    if (body.type !== undefined && body.type !== policy.type) throw invalidFields([['type', 'The policy type cannot be changed.']]);
    const name = requireName(body.name);
    if (policiesOfType(ctx.state, policy.type).some((p) => p !== policy && p.name === name)) throw invalidFields([['name', 'A policy with this name already exists.']]);
    checkPeople(ctx, body.conditions);
    const settings = settingsFor(policy.type, body.settings ?? policy.settings);
    const now = nowIso(ctx);
    policy.name = name;
    policy.description = body.description ?? null;
    policy.conditions = body.conditions ?? null;
    if (settings) policy.settings = settings;
    policy.lastUpdated = now;
    placeByPriority(policiesOfType(ctx.state, policy.type), policy, body.priority ?? policy.priority, now);
    logEvent(ctx, { eventType: 'policy.lifecycle.update', displayMessage: 'Update policy', target: [policyEntity(policy)] });
    return ok(policyJson(ctx, policy));
  },

  deletePolicy: (ctx) => {
    const policy = requirePolicy(ctx);
    // Wording unconfirmed: Okta's references show no body for this refusal.
    if (policy.system) throw new OktaError('E0000001', { detail: 'policy', causes: ['The default policy cannot be deleted.'] });
    for (const rule of rulesOf(ctx.state, policy.id)) delete ruleStore(ctx.state)[rule.id];
    delete policyStore(ctx.state)[policy.id];
    const rest = policiesOfType(ctx.state, policy.type);
    if (rest.length > 0) placeByPriority(rest, rest[0], 1, nowIso(ctx));
    logEvent(ctx, { eventType: 'policy.lifecycle.delete', displayMessage: 'Delete policy', target: [policyEntity(policy)] });
    return { status: 204 };
  },

  activatePolicy: (ctx) => {
    const policy = requirePolicy(ctx);
    if (lifecycle(ctx, policy, 'ACTIVE')) logEvent(ctx, { eventType: 'policy.lifecycle.activate', displayMessage: 'Activate policy', target: [policyEntity(policy)] });
    return { status: 204 };
  },

  deactivatePolicy: (ctx) => {
    const policy = requirePolicy(ctx);
    // Wording unconfirmed: Okta's references show no body for this refusal.
    if (policy.system) throw new OktaError('E0000001', { detail: 'policy', causes: ['The default policy cannot be deactivated.'] });
    if (lifecycle(ctx, policy, 'INACTIVE')) logEvent(ctx, { eventType: 'policy.lifecycle.deactivate', displayMessage: 'Deactivate policy', target: [policyEntity(policy)] });
    return { status: 204 };
  },

  listPolicyRules: (ctx) => {
    const policy = requirePolicy(ctx);
    return ok(rulesOf(ctx.state, policy.id).map((rule) => ruleJson(ctx, rule)));
  },

  createPolicyRule: (ctx) => {
    const policy = requirePolicy(ctx);
    const body: Json = ctx.body;
    const type = RULE_TYPES[policy.type];
    if (body.type !== undefined && body.type !== type) throw invalidFields([['type', `A ${policy.type} policy takes ${type} rules.`]]);
    const name = requireName(body.name);
    if (rulesOf(ctx.state, policy.id).some((r) => r.name === name)) throw invalidFields([['name', 'A rule with this name already exists in the policy.']]);
    checkPeople(ctx, body.conditions);
    const now = nowIso(ctx);
    const rule: OktaPolicyRule = {
      id: oktaId(ctx, '0pr'),
      policyId: policy.id,
      type,
      name,
      status: ctx.query.activate === false || body.status === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE',
      priority: 0,
      system: false,
      created: now,
      lastUpdated: now,
      conditions: body.conditions ?? null,
      actions: ruleActions(type, body.actions),
    };
    placeByPriority([...rulesOf(ctx.state, policy.id), rule], rule, body.priority, now);
    ruleStore(ctx.state)[rule.id] = rule;
    logEvent(ctx, { eventType: 'policy.rule.add', displayMessage: 'Add policy rule', target: [ruleEntity(rule), policyEntity(policy)] });
    return ok(ruleJson(ctx, rule));
  },

  getPolicyRule: (ctx) => ok(ruleJson(ctx, requireRule(ctx, requirePolicy(ctx)))),

  replacePolicyRule: (ctx) => {
    const policy = requirePolicy(ctx);
    const rule = requireRule(ctx, policy);
    const body: Json = ctx.body;
    if (body.type !== undefined && body.type !== rule.type) throw invalidFields([['type', 'The rule type cannot be changed.']]);
    const name = requireName(body.name);
    if (rulesOf(ctx.state, policy.id).some((r) => r !== rule && r.name === name)) throw invalidFields([['name', 'A rule with this name already exists in the policy.']]);
    checkPeople(ctx, body.conditions);
    const now = nowIso(ctx);
    rule.name = name;
    // A default rule keeps its conditions: it is the catch-all of its policy (Okta's Policies API, "Default rules").
    if (!rule.system) rule.conditions = body.conditions ?? null;
    rule.actions = ruleActions(rule.type, body.actions ?? rule.actions);
    rule.lastUpdated = now;
    placeByPriority(rulesOf(ctx.state, policy.id), rule, body.priority ?? rule.priority, now);
    logEvent(ctx, { eventType: 'policy.rule.update', displayMessage: 'Update policy rule', target: [ruleEntity(rule), policyEntity(policy)] });
    return ok(ruleJson(ctx, rule));
  },

  deletePolicyRule: (ctx) => {
    const policy = requirePolicy(ctx);
    const rule = requireRule(ctx, policy);
    // Wording unconfirmed: Okta's references show no body for this refusal.
    if (rule.system) throw new OktaError('E0000001', { detail: 'rule', causes: ['The default rule cannot be deleted.'] });
    delete ruleStore(ctx.state)[rule.id];
    const rest = rulesOf(ctx.state, policy.id);
    if (rest.length > 0) placeByPriority(rest, rest[0], 1, nowIso(ctx));
    logEvent(ctx, { eventType: 'policy.rule.delete', displayMessage: 'Delete policy rule', target: [ruleEntity(rule), policyEntity(policy)] });
    return { status: 204 };
  },

  activatePolicyRule: (ctx) => {
    const policy = requirePolicy(ctx);
    const rule = requireRule(ctx, policy);
    if (lifecycle(ctx, rule, 'ACTIVE')) logEvent(ctx, { eventType: 'policy.rule.activate', displayMessage: 'Activate policy rule', target: [ruleEntity(rule), policyEntity(policy)] });
    return { status: 204 };
  },

  deactivatePolicyRule: (ctx) => {
    const policy = requirePolicy(ctx);
    const rule = requireRule(ctx, policy);
    // Wording unconfirmed: Okta's references show no body for this refusal.
    if (rule.system) throw new OktaError('E0000001', { detail: 'rule', causes: ['The default rule cannot be deactivated.'] });
    if (lifecycle(ctx, rule, 'INACTIVE')) logEvent(ctx, { eventType: 'policy.rule.deactivate', displayMessage: 'Deactivate policy rule', target: [ruleEntity(rule), policyEntity(policy)] });
    return { status: 204 };
  },
} satisfies OktaHandlers;
