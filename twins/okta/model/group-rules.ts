import { copyJson, createRecord } from '../../../src/index.js';
import { notFound, OktaError } from '../errors.js';
import type { Ctx, OktaGroupRule, OktaState, OktaUser, RequestCtx } from '../types.js';
import { evaluate, ExpressionError, parseCondition, type Expression } from './expression-language.js';
import { addMember, isMember, removeMember } from './memberships.js';
import { logEvent, userTarget, type LogEntity } from './system-log.js';

type Json = Record<string, any>;
type RuleStatus = 'ACTIVE' | 'INACTIVE' | 'INVALID';

const EXPRESSION_TYPE = 'urn:okta:expression:1.0';
/** Okta: a rule assigns to at most 100 groups and excludes at most 100 users. */
const MAX_TARGET_GROUPS = 100;
const MAX_EXCLUDED_USERS = 100;

/**
 * Runs every ACTIVE group rule for one user: called after the user is created or its profile changes. A matching
 * user joins the rule's groups; a user the rule manages who stops matching leaves them. Rules whose groups feed
 * other rules' conditions are followed until nothing changes. Deactivated users are left as they are.
 */
export function applyGroupRules(ctx: RequestCtx, user: OktaUser): void {
  const rules = Object.values(ctx.state.groupRules ?? {}).filter((rule) => ruleStatus(ctx.state, rule) === 'ACTIVE');
  if (rules.length === 0 || user.status === 'DEPROVISIONED') return;
  for (let pass = 0; pass <= rules.length; pass++) {
    let changed = false;
    for (const rule of rules) changed = applyRule(ctx, rule, user) || changed;
    if (!changed) return;
  }
}

/**
 * A member was removed from a group by hand: every rule that managed that membership now excludes the user, so it
 * does not add the user back (Okta: "If a rule-managed user is manually removed from a group, the user is
 * automatically added to the rule's Except The following users field").
 */
export function excludeRemovedMember(ctx: RequestCtx, groupId: string, userId: string): void {
  for (const rule of Object.values(ctx.state.groupRules ?? {})) {
    const managed = ctx.state.groupRuleMembers?.[rule.id];
    if (!managed?.includes(userId) || !rule.actions.assignUserToGroups.groupIds.includes(groupId)) continue;
    managed.splice(managed.indexOf(userId), 1);
    const people = (rule.conditions.people ??= {});
    const users = (people.users ??= {});
    const exclude = (users.exclude ??= []);
    if (exclude.includes(userId)) continue;
    exclude.push(userId);
    const user = ctx.state.users[userId];
    const target: LogEntity[] = [{ id: rule.id, type: 'GroupRule', alternateId: rule.name, displayName: rule.name }, ...(user ? [userTarget(user)] : [])];
    // Okta support ("User getting added in group exclusion list by Okta System (SystemPrincipal)"): Okta System adds
    // the user "with the message: User added to exclusion list for group rule", next to the admin's removal event.
    logEvent(ctx, {
      eventType: 'group.user_membership.rule.add_exclusion',
      displayMessage: 'User added to exclusion list for group rule',
      actor: { id: ctx.state.org.id, type: 'SystemPrincipal', alternateId: 'system@okta.com', displayName: 'Okta System', detailEntry: null },
      target,
    });
  }
}

/** Applies one rule to one user; true when a membership changed. */
function applyRule(ctx: RequestCtx, rule: OktaGroupRule, user: OktaUser): boolean {
  const managed = ((ctx.state.groupRuleMembers ??= createRecord())[rule.id] ??= []);
  const groupIds = rule.actions.assignUserToGroups.groupIds;
  const excluded = rule.conditions.people?.users?.exclude?.includes(user.id) ?? false;
  let changed = false;
  if (!excluded && matches(ctx, rule, user)) {
    for (const groupId of groupIds) {
      if (isMember(ctx.state, groupId, user.id)) continue;
      addMember(ctx, groupId, user.id);
      changed = true;
    }
    if (!managed.includes(user.id)) managed.push(user.id);
    return changed;
  }
  if (!managed.includes(user.id)) return false;
  return releaseMember(ctx, rule, user.id);
}

/** Takes a user the rule manages out of the rule's groups (unless another rule manages the same membership). */
export function releaseMember(ctx: RequestCtx, rule: OktaGroupRule, userId: string): boolean {
  const managed = ctx.state.groupRuleMembers?.[rule.id] ?? [];
  if (managed.includes(userId)) managed.splice(managed.indexOf(userId), 1);
  let changed = false;
  for (const groupId of rule.actions.assignUserToGroups.groupIds) {
    if (!isMember(ctx.state, groupId, userId) || managedByAnotherRule(ctx.state, rule.id, groupId, userId)) continue;
    removeMember(ctx, groupId, userId);
    changed = true;
  }
  return changed;
}

function managedByAnotherRule(state: OktaState, ruleId: string, groupId: string, userId: string): boolean {
  return Object.values(state.groupRules ?? {}).some(
    (other) => other.id !== ruleId && other.actions.assignUserToGroups.groupIds.includes(groupId) && (state.groupRuleMembers?.[other.id] ?? []).includes(userId),
  );
}

function matches(ctx: RequestCtx, rule: OktaGroupRule, user: OktaUser): boolean {
  const expression = compiled(ctx, rule.conditions.expression.value);
  if (!expression) return false;
  const state = ctx.state;
  return (
    evaluate(expression, {
      // Only the user's own properties: `user.constructor` names no attribute, not Object's constructor.
      attribute: (name) => (Object.hasOwn(user.profile, name) ? user.profile[name] : undefined),
      internal: (name) => (Object.hasOwn(user, name) ? (user as unknown as Json)[name] : undefined),
      groups: () =>
        Object.keys(state.groupMembers)
          .filter((groupId) => state.groups[groupId] && isMember(state, groupId, user.id))
          .map((groupId) => ({ id: groupId, name: state.groups[groupId].profile.name })),
    }) === true
  );
}

/** A stored condition, parsed once per state; one that no longer parses (an imported state) matches nobody. */
function compiled(ctx: RequestCtx, source: string): Expression | null {
  return ctx.memo(`groupRuleCondition:${source}`, () => {
    try {
      return parseCondition(source);
    } catch {
      return null;
    }
  });
}

/** The state's group rules, by id (absent from older exports until the first rule). */
export function rulesOf(state: OktaState): Record<string, OktaGroupRule> {
  return (state.groupRules ??= createRecord());
}

/** A rule whose target group was deleted reads INVALID (Okta invalidates rules that reference missing groups). */
export function ruleStatus(state: OktaState, rule: OktaGroupRule): RuleStatus {
  return rule.actions.assignUserToGroups.groupIds.every((id) => state.groups[id]) ? rule.status : 'INVALID';
}

/** The rule with this id, or Okta's 404. */
export function requireRule(ctx: RequestCtx, id: string): OktaGroupRule {
  const rule = rulesOf(ctx.state)[id];
  if (!rule) throw notFound(id, 'GroupRule');
  return rule;
}

/** Okta's E0000001 for an operation the rule's status does not allow. */
export function statusRefused(message: string): OktaError {
  return new OktaError('E0000001', { detail: message, causes: [message] });
}

/** A rule's name: anything but blank. */
export function ruleName(name: string): string {
  if (name.trim() === '') throw new OktaError('E0000001', { detail: 'name', causes: ['name: The field cannot be left blank'] });
  return name;
}

/** The conditions as they will be stored: the expression checked, the exclusions within Okta's limit. */
export function ruleConditions(sent: Json): OktaGroupRule['conditions'] {
  const value: string = sent.expression.value;
  if (value.trim() === '') {
    throw new OktaError('E0000001', { detail: 'conditions.expression.value', causes: ['conditions.expression.value: The field cannot be left blank'] });
  }
  try {
    parseCondition(value);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    // Okta names the failed check "validateRule" in the summary of an expression it refuses.
    throw new OktaError('E0000001', { detail: 'validateRule', causes: [error.message] });
  }
  const exclude: unknown[] = sent.people?.users?.exclude ?? [];
  if (exclude.length > MAX_EXCLUDED_USERS) {
    throw new OktaError('E0000001', {
      detail: 'conditions.people.users.exclude',
      causes: [`conditions.people.users.exclude: A group rule can exclude at most ${MAX_EXCLUDED_USERS} users`],
    });
  }
  return {
    ...(sent.people !== undefined ? { people: copyJson(sent.people) } : {}),
    expression: { value, type: sent.expression.type ?? EXPRESSION_TYPE },
  };
}

/** The groups a new rule assigns to: they must exist and be Okta groups (imported and built-in memberships are not Okta's to assign). */
export function targetGroups(ctx: Ctx, sent: string[]): string[] {
  const field = 'actions.assignUserToGroups.groupIds';
  if (sent.length === 0) throw new OktaError('E0000001', { detail: field, causes: [`${field}: The field cannot be left blank`] });
  if (sent.length > MAX_TARGET_GROUPS) {
    throw new OktaError('E0000001', { detail: field, causes: [`${field}: A group rule can assign users to at most ${MAX_TARGET_GROUPS} groups`] });
  }
  for (const id of sent) {
    const group = ctx.state.groups[id];
    if (!group) throw notFound(id, 'UserGroup');
    if (group.type !== 'OKTA_GROUP') {
      throw new OktaError('E0000001', { detail: field, causes: [`${field}: Group rules can only assign users to groups of type OKTA_GROUP; ${id} is ${group.type}`] });
    }
  }
  return [...new Set(sent)];
}

/** A rule as Okta returns it; `expand=groupIdToGroupNameMap` embeds the names of its groups. */
export function ruleJson(ctx: RequestCtx, rule: OktaGroupRule, expand?: string): Json {
  const json: Json = {
    type: rule.type,
    id: rule.id,
    status: ruleStatus(ctx.state, rule),
    name: rule.name,
    created: rule.created,
    lastUpdated: rule.lastUpdated,
    conditions: copyJson(rule.conditions),
    actions: copyJson(rule.actions),
  };
  if (expand === 'groupIdToGroupNameMap') {
    const names = rule.actions.assignUserToGroups.groupIds.filter((id) => ctx.state.groups[id]).map((id) => [id, ctx.state.groups[id].profile.name]);
    json._embedded = { groupIdToGroupNameMap: Object.fromEntries(names) };
  }
  return json;
}
