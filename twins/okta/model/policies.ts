import { createRecord } from '../../../src/index.js';
import type { Ctx, OktaPolicy, OktaPolicyRule, OktaState, OktaUser, PolicyType, RequestCtx } from '../types.js';

/**
 * The policy types the twin emulates, and the type of their rules (Okta's Policies API).
 *
 * @example
 * RULE_TYPES.OKTA_SIGN_ON; // 'SIGN_ON'
 */
export const RULE_TYPES: Record<PolicyType, string> = {
  OKTA_SIGN_ON: 'SIGN_ON',
  PASSWORD: 'PASSWORD',
  MFA_ENROLL: 'MFA_ENROLL',
  ACCESS_POLICY: 'ACCESS_POLICY',
};

/**
 * The password settings of Okta's default password policy: what governs an org without a PASSWORD policy.
 *
 * @example
 * DEFAULT_PASSWORD_SETTINGS.lockout.maxAttempts; // 10
 */
export const DEFAULT_PASSWORD_SETTINGS = {
  complexity: { minLength: 8, minLowerCase: 1, minUpperCase: 1, minNumber: 1, minSymbol: 0, excludeUsername: true, excludeAttributes: [] as string[] },
  age: { maxAgeDays: 0, expireWarnDays: 0, minAgeMinutes: 0, historyCount: 4 },
  lockout: { maxAttempts: 10, autoUnlockMinutes: 0 },
};

/**
 * The password settings that govern a user, as Okta's PasswordPolicyPasswordSettings.
 *
 * @example
 * const settings: PasswordSettings = passwordSettings(ctx.state, user);
 */
export type PasswordSettings = typeof DEFAULT_PASSWORD_SETTINGS;


/**
 * The policies of a type, in priority order (1 first; the system default policy always last).
 *
 * @example
 * policiesOfType(ctx.state, 'PASSWORD').at(-1)?.system; // true: the default policy
 */
export function policiesOfType(state: OktaState, type: PolicyType): OktaPolicy[] {
  return Object.values(state.policies ?? {})
    .filter((policy) => policy.type === type)
    .sort((a, b) => Number(a.system) - Number(b.system) || a.priority - b.priority);
}

/**
 * A policy's rules, in priority order (the system default rule always last).
 *
 * @example
 * rulesOf(ctx.state, '00ptwinpassword00001')[0].name; // 'Default Rule'
 */
export function rulesOf(state: OktaState, policyId: string): OktaPolicyRule[] {
  return Object.values(state.policyRules ?? {})
    .filter((rule) => rule.policyId === policyId)
    .sort((a, b) => Number(a.system) - Number(b.system) || a.priority - b.priority);
}

/**
 * Renumbers priorities 1..n in list order, moving `item` to `priority` (clamped); the system item stays last.
 *
 * @example
 * placeByPriority([...rulesOf(ctx.state, policy.id), rule], rule, body.priority, nowIso(ctx));
 */
export function placeByPriority<T extends { priority: number; system: boolean; lastUpdated: string }>(list: T[], item: T, priority: number | undefined, now: string): void {
  const others = list.filter((entry) => entry !== item && !entry.system);
  const system = list.filter((entry) => entry !== item && entry.system);
  const at = item.system ? others.length : Math.min(Math.max((priority ?? others.length + 1) - 1, 0), others.length);
  const ordered = item.system ? [...others, item, ...system] : [...others.slice(0, at), item, ...others.slice(at), ...system];
  ordered.forEach((entry, index) => {
    if (entry.priority !== index + 1 && entry !== item) entry.lastUpdated = now;
    entry.priority = index + 1;
  });
}

/**
 * The ids of the groups a user belongs to; the built-in Everyone group counts even before the user is stored.
 *
 * @example
 * groupIdsOf(ctx.state, user.id).has('00geveryonetwin00001'); // true
 */
export function groupIdsOf(state: OktaState, userId: string): Set<string> {
  const ids = new Set(Object.entries(state.groupMembers).filter(([, members]) => members.includes(userId)).map(([groupId]) => groupId));
  for (const group of Object.values(state.groups)) if (group.type === 'BUILT_IN' && group.profile.name === 'Everyone') ids.add(group.id);
  return ids;
}

/**
 * Whether a policy's or rule's `people` condition takes in the user: groups and users to include (none named: everyone)
 * and to exclude (Okta's PolicyPeopleCondition).
 */
function peopleMatch(conditions: Record<string, any> | null, user: OktaUser, groups: Set<string>): boolean {
  const people = conditions?.people;
  const includeGroups: string[] = people?.groups?.include ?? [];
  const excludeGroups: string[] = people?.groups?.exclude ?? [];
  const includeUsers: string[] = people?.users?.include ?? [];
  const excludeUsers: string[] = people?.users?.exclude ?? [];
  if (excludeUsers.includes(user.id) || excludeGroups.some((id) => groups.has(id))) return false;
  if (includeGroups.length === 0 && includeUsers.length === 0) return true;
  return includeUsers.includes(user.id) || includeGroups.some((id) => groups.has(id));
}

/**
 * The ACTIVE policy of a type that governs the user (the first by priority whose people match), and its first matching ACTIVE rule.
 *
 * @example
 * const rule = governing(ctx.state, 'OKTA_SIGN_ON', user)?.rule;
 */
export function governing(state: OktaState, type: PolicyType, user: OktaUser): { policy: OktaPolicy; rule: OktaPolicyRule | undefined } | undefined {
  const groups = groupIdsOf(state, user.id);
  const policy = policiesOfType(state, type).find((p) => p.status === 'ACTIVE' && peopleMatch(p.conditions, user, groups));
  if (!policy) return undefined;
  const rule = rulesOf(state, policy.id).find((r) => r.status === 'ACTIVE' && peopleMatch(r.conditions, user, groups));
  return { policy, rule };
}

/**
 * The password settings that govern the user: the governing PASSWORD policy's, filled in from Okta's defaults.
 *
 * @example
 * passwordSettings(ctx.state, user).complexity.minLength; // 8 under the default policy
 */
export function passwordSettings(state: OktaState, user: OktaUser): PasswordSettings {
  const password = governing(state, 'PASSWORD', user)?.policy.settings?.password ?? {};
  const d = DEFAULT_PASSWORD_SETTINGS;
  return {
    complexity: { ...d.complexity, ...withoutNulls(password.complexity) },
    age: { ...d.age, ...withoutNulls(password.age) },
    lockout: { ...d.lockout, ...withoutNulls(password.lockout) },
  };
}

function withoutNulls(value: Record<string, any> | undefined): Record<string, any> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== null && v !== undefined));
}

function count(n: number, one: string, many: string): string {
  return n === 1 ? one : `at least ${n} ${many}`;
}

/**
 * Okta's sentence for what a password must be, built from the policy (with Okta's default policy it reads "at least
 * 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username. Your password cannot
 * be any of your last 4 passwords.").
 *
 * @example
 * passwordRequirements(DEFAULT_PASSWORD_SETTINGS); // 'Password requirements: at least 8 characters, ...'
 */
export function passwordRequirements(settings: PasswordSettings): string {
  const c = settings.complexity;
  const parts = [`at least ${c.minLength} characters`];
  if (c.minLowerCase > 0) parts.push(count(c.minLowerCase, 'a lowercase letter', 'lowercase letters'));
  if (c.minUpperCase > 0) parts.push(count(c.minUpperCase, 'an uppercase letter', 'uppercase letters'));
  if (c.minNumber > 0) parts.push(count(c.minNumber, 'a number', 'numbers'));
  if (c.minSymbol > 0) parts.push(count(c.minSymbol, 'a symbol', 'symbols'));
  if (c.excludeUsername) parts.push('no parts of your username');
  if (c.excludeAttributes.includes('firstName')) parts.push('does not include your first name');
  if (c.excludeAttributes.includes('lastName')) parts.push('does not include your last name');
  let text = `Password requirements: ${parts.join(', ')}.`;
  if (settings.age.historyCount > 0) text += ` Your password cannot be any of your last ${settings.age.historyCount} passwords.`;
  if (settings.age.minAgeMinutes > 0) text += ` At least ${settings.age.minAgeMinutes} minute(s) must have elapsed since you last changed your password.`;
  return text;
}

/**
 * The error cause Okta gives for a password the policy refuses.
 *
 * @example
 * throw validationFailed([passwordPolicyCause(passwordSettings(ctx.state, user))]);
 */
export function passwordPolicyCause(settings: PasswordSettings): string {
  return `password: Password requirements were not met. ${passwordRequirements(settings)}`;
}

function usernameParts(login: string): string[] {
  const [local, domain = ''] = login.toLowerCase().split('@');
  // The parent domain (the last label, such as "com") is not a part of the username for this rule.
  return [...local.split(/[,._#@-]/), ...domain.split(/[,._#-]/).slice(0, -1)].filter((part) => part.length >= 4);
}

/**
 * Whether a password meets the complexity the settings ask for, for this user (login and, if asked, names).
 *
 * @example
 * meetsComplexity(DEFAULT_PASSWORD_SETTINGS, user, 'Tr0ub4dor-Horse9'); // true
 */
export function meetsComplexity(settings: PasswordSettings, user: OktaUser, password: string): boolean {
  const c = settings.complexity;
  const countOf = (re: RegExp) => (password.match(re) ?? []).length;
  if (password.length < c.minLength) return false;
  if (countOf(/[a-z]/g) < c.minLowerCase || countOf(/[A-Z]/g) < c.minUpperCase || countOf(/\d/g) < c.minNumber) return false;
  if (countOf(/[^A-Za-z0-9]/g) < c.minSymbol) return false;
  const lowered = password.toLowerCase();
  if (c.excludeUsername && usernameParts(String(user.profile.login ?? '')).some((part) => lowered.includes(part))) return false;
  return !c.excludeAttributes.some((attribute) => {
    const value = user.profile[attribute];
    return typeof value === 'string' && value.length >= 3 && lowered.includes(value.toLowerCase());
  });
}

/**
 * Why the policy refuses a new password for the user, or null: complexity, then history (the last `historyCount`
 * passwords, the current one included), then minimum age.
 *
 * @example
 * const problem = passwordChangeProblem(ctx, user, 'Tr0ub4dor-Horse9');
 * if (problem) throw new OktaError('E0000014', { causes: [problem] });
 */
export function passwordChangeProblem(ctx: RequestCtx, user: OktaUser, password: string): string | null {
  const settings = passwordSettings(ctx.state, user);
  if (!meetsComplexity(settings, user, password)) return passwordPolicyCause(settings);
  const recent = [user.password, ...(ctx.state.passwordHistory?.[user.id] ?? [])].slice(0, settings.age.historyCount);
  if (settings.age.historyCount > 0 && recent.includes(password)) return 'password: Password has been used too recently';
  const minAgeMs = settings.age.minAgeMinutes * 60_000;
  if (minAgeMs > 0 && user.password !== null && user.passwordChanged && ctx.clock.now().getTime() - Date.parse(user.passwordChanged) < minAgeMs) {
    return passwordPolicyCause(settings);
  }
  return null;
}

/**
 * Keeps the password being replaced in the user's history, as far back as any history rule looks.
 *
 * @example
 * rememberPassword(ctx, user);
 * user.password = newPassword;
 */
export function rememberPassword(ctx: Ctx, user: OktaUser): void {
  if (user.password === null) return;
  const history = (ctx.state.passwordHistory ??= createRecord());
  history[user.id] = [user.password, ...(history[user.id] ?? [])].slice(0, 24);
}

/**
 * Whether the user's password is older than the policy's maximum age (Okta detects expiry at sign-in).
 *
 * @example
 * if (passwordAgedOut(ctx, user)) setStatus(ctx, user, 'PASSWORD_EXPIRED');
 */
export function passwordAgedOut(ctx: RequestCtx, user: OktaUser): boolean {
  const maxAgeDays = passwordSettings(ctx.state, user).age.maxAgeDays;
  if (maxAgeDays <= 0 || !user.passwordChanged) return false;
  return ctx.clock.now().getTime() - Date.parse(user.passwordChanged) >= maxAgeDays * 86_400_000;
}

/**
 * The sign-on rule's `actions.signon` for the user: Okta's default (allow, no factor, 2-hour idle session) without one.
 *
 * @example
 * signOnActions(ctx.state, user).access; // 'ALLOW'
 */
export function signOnActions(state: OktaState, user: OktaUser): Record<string, any> {
  const rule = governing(state, 'OKTA_SIGN_ON', user)?.rule;
  return rule?.actions?.signon ?? { access: 'ALLOW', requireFactor: false, session: { maxSessionIdleMinutes: 120, maxSessionLifetimeMinutes: 0, usePersistentCookie: false } };
}

/**
 * The password rule's actions for the user (self-service unlock and reset), Okta's defaults without one.
 *
 * @example
 * passwordRuleActions(ctx.state, user).selfServiceUnlock.access; // 'DENY' by default
 */
export function passwordRuleActions(state: OktaState, user: OktaUser): Record<string, any> {
  const rule = governing(state, 'PASSWORD', user)?.rule;
  return rule?.actions ?? { passwordChange: { access: 'ALLOW' }, selfServicePasswordReset: { access: 'ALLOW' }, selfServiceUnlock: { access: 'DENY' } };
}

/**
 * The Classic Engine factor keys of an MFA_ENROLL policy's `settings.factors`, by factor type and provider.
 *
 * @example
 * classicFactorKey('token:software:totp', 'GOOGLE'); // 'google_otp'
 */
export function classicFactorKey(factorType: string, provider: string): string {
  if (factorType === 'token:software:totp') return provider === 'GOOGLE' ? 'google_otp' : 'okta_otp';
  return { sms: 'okta_sms', call: 'okta_call', email: 'okta_email', question: 'okta_question', push: 'okta_push' }[factorType] ?? factorType;
}

/**
 * The Identity Engine authenticator key a factor type belongs to.
 *
 * @example
 * authenticatorKey('sms', 'OKTA'); // 'phone_number'
 */
export function authenticatorKey(factorType: string, provider: string): string {
  if (factorType === 'token:software:totp') return provider === 'GOOGLE' ? 'google_otp' : 'okta_verify';
  return { sms: 'phone_number', call: 'phone_number', email: 'okta_email', question: 'security_question', push: 'okta_verify' }[factorType] ?? factorType;
}

/**
 * What the governing MFA enrollment policy says of a factor: REQUIRED, OPTIONAL or NOT_ALLOWED. Both of Okta's shapes
 * count: `settings.factors` by Classic factor key, and `settings.authenticators` by authenticator key. A factor the
 * policy does not name may not be enrolled; no policy at all leaves every factor OPTIONAL.
 *
 * @example
 * factorEnrollment(ctx.state, user, 'sms', 'OKTA'); // 'OPTIONAL' under the default policy
 */
export function factorEnrollment(state: OktaState, user: OktaUser, factorType: string, provider: string): 'REQUIRED' | 'OPTIONAL' | 'NOT_ALLOWED' {
  const settings = governing(state, 'MFA_ENROLL', user)?.policy.settings;
  if (!settings) return 'OPTIONAL';
  if (settings.type === 'AUTHENTICATORS') {
    const entry = (settings.authenticators ?? []).find((a: { key?: string }) => a.key === authenticatorKey(factorType, provider));
    return entry?.enroll?.self ?? 'NOT_ALLOWED';
  }
  const status = settings.factors?.[classicFactorKey(factorType, provider)]?.enroll?.self;
  return status === 'REQUIRED' || status === 'OPTIONAL' ? status : 'NOT_ALLOWED';
}
