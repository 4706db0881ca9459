import { cursorPage } from '../../../src/index.js';
import { OktaError } from '../errors.js';
import {
  applyGroupRules,
  releaseMember,
  requireRule,
  ruleConditions,
  ruleJson,
  ruleName,
  rulesOf,
  ruleStatus,
  statusRefused,
  targetGroups,
} from '../model/group-rules.js';
import { ok } from '../model/http.js';
import { nowIso, oktaId } from '../model/ids.js';
import type { Ctx, OktaGroupRule, OktaHandlers } from '../types.js';

type Json = Record<string, any>;

const MAX_PAGE_SIZE = 200;

function lifecycleRule(ctx: Ctx): OktaGroupRule {
  const rule = requireRule(ctx, ctx.params.groupRuleId);
  if (ruleStatus(ctx.state, rule) === 'INVALID') throw statusRefused('Cannot activate or deactivate a Group Rule with the status INVALID');
  return rule;
}

/** The group rules family of the Management API (tag GroupRule). */
export const groupRuleHandlers = {
  listGroupRules(ctx) {
    let rules = Object.values(rulesOf(ctx.state));
    if (ctx.query.search !== undefined) {
      const keyword = String(ctx.query.search).toLowerCase();
      rules = rules.filter((rule) => rule.name.toLowerCase().includes(keyword));
    }
    const { page, headers } = cursorPage(ctx, rules, { limit: Math.min(ctx.query.limit, MAX_PAGE_SIZE), after: ctx.query.after });
    return ok(page.map((rule) => ruleJson(ctx, rule, ctx.query.expand)), headers);
  },

  createGroupRule(ctx) {
    const body: Json = ctx.body;
    const groupIds = targetGroups(ctx, body.actions.assignUserToGroups.groupIds);
    const name = ruleName(body.name);
    const conditions = ruleConditions(body.conditions);
    const now = nowIso(ctx);
    const rule: OktaGroupRule = {
      type: 'group_rule',
      id: oktaId(ctx, '0pr'),
      // Okta: group rules are created INACTIVE, whatever status the request sends.
      status: 'INACTIVE',
      name,
      created: now,
      lastUpdated: now,
      conditions,
      actions: { assignUserToGroups: { groupIds } },
    };
    rulesOf(ctx.state)[rule.id] = rule;
    return ok(ruleJson(ctx, rule));
  },

  getGroupRule(ctx) {
    return ok(ruleJson(ctx, requireRule(ctx, ctx.params.groupRuleId), ctx.query.expand));
  },

  replaceGroupRule(ctx) {
    const rule = requireRule(ctx, ctx.params.groupRuleId);
    const status = ruleStatus(ctx.state, rule);
    // Okta: only an INACTIVE rule can be updated, and never its actions.
    if (status === 'ACTIVE') throw statusRefused('Cannot update a group rule while it is ACTIVE; deactivate it first');
    if (status === 'INVALID') throw statusRefused('Cannot update a group rule with the status INVALID');
    const body: Json = ctx.body;
    const sent: unknown[] | undefined = body.actions?.assignUserToGroups?.groupIds;
    const current = rule.actions.assignUserToGroups.groupIds;
    if (sent !== undefined && (sent.length !== current.length || sent.some((id) => !current.includes(String(id))))) {
      throw new OktaError('E0000001', { detail: 'actions', causes: ['actions: The actions of a group rule cannot be changed'] });
    }
    const name = ruleName(body.name);
    rule.conditions = ruleConditions(body.conditions);
    rule.name = name;
    rule.lastUpdated = nowIso(ctx);
    return ok(ruleJson(ctx, rule));
  },

  deleteGroupRule(ctx) {
    const rule = requireRule(ctx, ctx.params.groupRuleId);
    if (ruleStatus(ctx.state, rule) === 'ACTIVE') throw statusRefused('Cannot delete a group rule while it is ACTIVE; deactivate it first');
    // Okta: without removeUsers, the members the rule added stay, no longer managed by any rule.
    if (ctx.query.removeUsers) {
      for (const userId of [...(ctx.state.groupRuleMembers?.[rule.id] ?? [])]) releaseMember(ctx, rule, userId);
    }
    delete rulesOf(ctx.state)[rule.id];
    delete ctx.state.groupRuleMembers?.[rule.id];
    return { status: 202 };
  },

  activateGroupRule(ctx) {
    const rule = lifecycleRule(ctx);
    if (rule.status !== 'ACTIVE') {
      rule.status = 'ACTIVE';
      rule.lastUpdated = nowIso(ctx);
    }
    // Okta: once activated, a rule runs across the whole user population.
    for (const user of Object.values(ctx.state.users)) applyGroupRules(ctx, user);
    return { status: 204 };
  },

  deactivateGroupRule(ctx) {
    const rule = lifecycleRule(ctx);
    // Okta: deactivating keeps the memberships the rule made; only new evaluations stop.
    if (rule.status !== 'INACTIVE') {
      rule.status = 'INACTIVE';
      rule.lastUpdated = nowIso(ctx);
    }
    return { status: 204 };
  },
} satisfies OktaHandlers;
