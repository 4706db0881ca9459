/**
 * Policies and rules (SDK policyApi) and what they govern: the password policy's complexity and history in the Users
 * API, the MFA enrollment policy in the Factors API. Sources: the management spec (listPolicies, createPolicy,
 * getPolicy, replacePolicy, deletePolicy, activatePolicy, deactivatePolicy and the rule operations; the
 * list-*-policy-response and list-all-*-rule-response examples) and Okta's Policies API reference ("Default
 * policies", "Default rules": a default rule cannot be deleted).
 */
import { expect, test } from 'vitest';
import { collect, describeOkta, refused, sdkError, sendJson, stateOf, type OktaTarget } from '../../support/okta.js';

const EVERYONE = '00geveryonetwin00001';

function createGroup(t: OktaTarget, name: string) {
  return t.client.groupApi.createGroup({ group: { profile: { name } } }) as Promise<any>;
}

function newUser(t: OktaTarget, first: string, password: string, groupIds: string[] = []) {
  const login = `${first.toLowerCase()}.policy@example.com`;
  return t.client.userApi.createUser({ body: { profile: { firstName: first, lastName: 'Policy', email: login, login }, credentials: { password: { value: password } }, groupIds } });
}

describeOkta('Policies API: the seeded defaults and CRUD', (t) => {
  test("each type lists Okta's default policy; the default password policy's settings are Okta's defaults", async () => {
    for (const type of ['OKTA_SIGN_ON', 'PASSWORD', 'MFA_ENROLL', 'ACCESS_POLICY'] as const) {
      const policies: any[] = await collect(await t.client.policyApi.listPolicies({ type }));
      expect(policies.map((p) => [p.type, p.name, p.system, p.status, p.priority])).toEqual([[type, 'Default Policy', true, 'ACTIVE', 1]]);
    }
    const password: any = (await (await t.fetch('/api/v1/policies?type=PASSWORD')).json())[0];
    expect(password.settings.password).toMatchObject({
      complexity: { minLength: 8, minLowerCase: 1, minUpperCase: 1, minNumber: 1, minSymbol: 0, excludeUsername: true },
      age: { maxAgeDays: 0, historyCount: 4 },
      lockout: { maxAttempts: 10, autoUnlockMinutes: 0 },
    });
    expect(password.conditions).toEqual({ people: { groups: { include: [EVERYONE] } }, authProvider: { provider: 'OKTA' } });
    // The default policy is always on: it offers no deactivate link.
    expect(Object.keys(password._links).sort()).toEqual(['rules', 'self']);
    const rules: any[] = await collect(await t.client.policyApi.listPolicyRules({ policyId: password.id }));
    expect(rules.map((r) => [r.name, r.system, r.priority])).toEqual([['Default Rule', true, 1]]);
  });

  test('create, read, replace, deactivate, activate and delete a policy; a new policy sits above the default one', async () => {
    const created: any = await t.client.policyApi.createPolicy({ policy: { type: 'PASSWORD', name: 'Contractors', description: 'Stricter', settings: { password: { complexity: { minLength: 12 } } } } as any });
    expect(created).toMatchObject({ type: 'PASSWORD', name: 'Contractors', status: 'ACTIVE', priority: 1, system: false });
    expect(created.id).toMatch(/^00p[A-Za-z0-9]{17}$/);
    const raw = await (await t.fetch(`/api/v1/policies/${created.id}`)).json();
    expect(raw.settings.password.complexity).toMatchObject({ minLength: 12, minLowerCase: 1, minNumber: 1 });
    expect(raw._links.deactivate.href).toBe(`${t.baseUrl}/api/v1/policies/${created.id}/lifecycle/deactivate`);
    const listed: any[] = await collect(await t.client.policyApi.listPolicies({ type: 'PASSWORD' }));
    expect(listed.map((p) => [p.name, p.priority])).toEqual([['Contractors', 1], ['Default Policy', 2]]);

    await t.control.advanceClock(1000);
    const replaced: any = await t.client.policyApi.replacePolicy({ policyId: created.id, policy: { ...created, name: 'Vendors' } });
    expect(replaced.name).toBe('Vendors');
    expect(replaced.lastUpdated.toISOString()).toBe('2026-01-01T00:00:01.000Z');
    await t.client.policyApi.deactivatePolicy({ policyId: created.id });
    expect((await t.client.policyApi.getPolicy({ policyId: created.id })).status).toBe('INACTIVE');
    expect(await collect(await t.client.policyApi.listPolicies({ type: 'PASSWORD', status: 'INACTIVE' }))).toHaveLength(1);
    await t.client.policyApi.activatePolicy({ policyId: created.id });
    await t.client.policyApi.deletePolicy({ policyId: created.id });
    expect(await sdkError(t.client.policyApi.getPolicy({ policyId: created.id }))).toMatchObject({ status: 404, errorCode: 'E0000007' });
    const events = (await stateOf(t)).systemLog!.map((e) => e.eventType).filter((type) => type.startsWith('policy.'));
    expect(events).toEqual(['policy.lifecycle.create', 'policy.lifecycle.update', 'policy.lifecycle.deactivate', 'policy.lifecycle.activate', 'policy.lifecycle.delete']);
  });

  test('rules: create (inactive on request), order by priority, replace, activate and delete', async () => {
    const policy: any = await t.client.policyApi.createPolicy({ policy: { type: 'OKTA_SIGN_ON', name: 'Office' } as any });
    const first: any = await t.client.policyApi.createPolicyRule({ policyId: policy.id, policyRule: { type: 'SIGN_ON', name: 'First', actions: { signon: { access: 'ALLOW' } } } as any });
    const second: any = await t.client.policyApi.createPolicyRule({ policyId: policy.id, policyRule: { type: 'SIGN_ON', name: 'Second', priority: 1 } as any, activate: false });
    expect(second).toMatchObject({ status: 'INACTIVE', priority: 1, system: false });
    expect(first.id).toMatch(/^0pr/);
    const rules: any[] = await collect(await t.client.policyApi.listPolicyRules({ policyId: policy.id }));
    expect(rules.map((r) => [r.name, r.priority])).toEqual([['Second', 1], ['First', 2]]);
    const raw = await (await t.fetch(`/api/v1/policies/${policy.id}/rules/${first.id}`)).json();
    expect(raw.actions.signon).toMatchObject({ access: 'ALLOW', requireFactor: false, session: { maxSessionIdleMinutes: 120 } });
    expect(raw.policyId).toBeUndefined();
    const replaced: any = await t.client.policyApi.replacePolicyRule({ policyId: policy.id, ruleId: first.id, policyRule: { type: 'SIGN_ON', name: 'Renamed', priority: 1 } as any });
    expect(replaced).toMatchObject({ name: 'Renamed', priority: 1 });
    await t.client.policyApi.activatePolicyRule({ policyId: policy.id, ruleId: second.id });
    expect((await t.client.policyApi.getPolicyRule({ policyId: policy.id, ruleId: second.id })).status).toBe('ACTIVE');
    await t.client.policyApi.deactivatePolicyRule({ policyId: policy.id, ruleId: second.id });
    await t.client.policyApi.deletePolicyRule({ policyId: policy.id, ruleId: second.id });
    expect(await sdkError(t.client.policyApi.getPolicyRule({ policyId: policy.id, ruleId: second.id }))).toMatchObject({ status: 404, errorCode: 'E0000007' });
    // Deleting a policy deletes its rules.
    await t.client.policyApi.deletePolicy({ policyId: policy.id });
    expect(Object.values((await stateOf(t)).policyRules!).some((r) => r.policyId === policy.id)).toBe(false);
  });
});

describeOkta('Policies govern: password complexity and history, factor enrollment', (t) => {
  test("a stricter password policy for a group: its members' passwords must meet it, with Okta's sentence for the rules", async () => {
    const group = await createGroup(t, 'Contractors');
    await t.client.policyApi.createPolicy({
      policy: { type: 'PASSWORD', name: 'Contractors', conditions: { people: { groups: { include: [group.id] } } }, settings: { password: { complexity: { minLength: 12, minSymbol: 1 }, age: { historyCount: 2 } } } } as any,
    });
    const member = await newUser(t, 'Mia', 'Short-Pass1');
    await t.client.groupApi.assignUserToGroup({ groupId: group.id, userId: member.id! });
    const change = (oldPassword: string, newPassword: string) =>
      sendJson(t, `/api/v1/users/${member.id}/credentials/change_password`, { oldPassword: { value: oldPassword }, newPassword: { value: newPassword } });
    const weak = await refused(await change('Short-Pass1', 'Longerpass123'), 403);
    expect(weak).toMatchObject({
      errorCode: 'E0000014',
      causes: ['password: Password requirements were not met. Password requirements: at least 12 characters, a lowercase letter, an uppercase letter, a number, a symbol, no parts of your username. Your password cannot be any of your last 2 passwords.'],
    });
    expect((await change('Short-Pass1', 'Much-Longer-Pass12')).status).toBe(200);
    // Everyone else keeps the default policy.
    expect((await newUser(t, 'Ned', 'Short-Pass1')).status).toBe('ACTIVE');
  });

  test('history: the default policy refuses any of the last 4 passwords, not the fifth one back', async () => {
    const user = await newUser(t, 'Hal', 'Passw0rd-One');
    const passwords = ['Passw0rd-One', 'Passw0rd-Two', 'Passw0rd-Three', 'Passw0rd-Four', 'Passw0rd-Five'];
    for (let i = 1; i < passwords.length; i++) {
      await t.client.userApi.changePassword({ userId: user.id!, changePasswordRequest: { oldPassword: { value: passwords[i - 1] }, newPassword: { value: passwords[i] } } });
    }
    const again = (value: string) => sdkError(t.client.userApi.changePassword({ userId: user.id!, changePasswordRequest: { oldPassword: { value: 'Passw0rd-Five' }, newPassword: { value } } }));
    expect((await again('Passw0rd-Two')).causes).toEqual(['password: Password has been used too recently']);
    await t.client.userApi.changePassword({ userId: user.id!, changePasswordRequest: { oldPassword: { value: 'Passw0rd-Five' }, newPassword: { value: 'Passw0rd-One' } } });
  });

  test('an MFA enrollment policy that does not allow sms refuses it, and allows it again once changed', async () => {
    const user = await newUser(t, 'Eve', 'Passw0rd-One');
    const policy: any = await t.client.policyApi.getPolicy({ policyId: '00ptwinmfaenroll0001' });
    const raw = await (await t.fetch(`/api/v1/policies/${policy.id}`)).json();
    raw.settings.factors.okta_sms.enroll.self = 'NOT_ALLOWED';
    expect((await sendJson(t, `/api/v1/policies/${policy.id}`, raw, 'PUT')).status).toBe(200);
    const enroll = () => t.client.userFactorApi.enrollFactor({ userId: user.id!, body: { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: '+1-555-415-1337' } } as any });
    expect(await sdkError(enroll())).toMatchObject({ status: 400, errorCode: 'E0000001', causes: ['Factor not allowed for the user based on the Multifactor policy.'] });
    raw.settings.factors.okta_sms.enroll.self = 'OPTIONAL';
    await sendJson(t, `/api/v1/policies/${policy.id}`, raw, 'PUT');
    expect((await enroll()).status).toBe('PENDING_ACTIVATION');
  });

  test('an Identity Engine style MFA enrollment policy (authenticators) governs by authenticator key', async () => {
    const user = await newUser(t, 'Ivy', 'Passw0rd-One');
    await t.client.policyApi.createPolicy({
      policy: { type: 'MFA_ENROLL', name: 'Authenticators', settings: { type: 'AUTHENTICATORS', authenticators: [{ key: 'security_question', enroll: { self: 'OPTIONAL' } }, { key: 'okta_email', enroll: { self: 'NOT_ALLOWED' } }] } } as any,
    });
    const email = await sdkError(t.client.userFactorApi.enrollFactor({ userId: user.id!, body: { factorType: 'email', provider: 'OKTA', profile: { email: 'ivy.policy@example.com' } } as any }));
    expect(email.causes).toEqual(['Factor not allowed for the user based on the Multifactor policy.']);
    const question: any = await t.client.userFactorApi.enrollFactor({ userId: user.id!, body: { factorType: 'question', provider: 'OKTA', profile: { question: 'disliked_food', answer: 'mayonnaise' } } as any });
    expect(question.status).toBe('ACTIVE');
  });
});

describeOkta('Policies API: bad input', (t) => {
  test('a list needs a known type; a create needs a type and a name; unknown groups are refused (400 E0000001)', async () => {
    expect((await refused(await t.fetch('/api/v1/policies'))).errorCode).toBe('E0000001');
    expect((await refused(await t.fetch('/api/v1/policies?type=IDP_DISCOVERY'))).errorCode).toBe('E0000001');
    expect((await refused(await sendJson(t, '/api/v1/policies', { name: 'No type' }))).errorCode).toBe('E0000001');
    expect((await refused(await sendJson(t, '/api/v1/policies', { type: 'PASSWORD', name: ' ' }))).causes).toEqual(['name: The field cannot be left blank']);
    const ghost = await refused(await sendJson(t, '/api/v1/policies', { type: 'OKTA_SIGN_ON', name: 'Ghosts', conditions: { people: { groups: { include: ['00gnosuchgroup000001'] } } } }));
    expect(ghost.causes).toEqual(['conditions.people.groups.include: Group not found: 00gnosuchgroup000001']);
    expect((await refused(await sendJson(t, '/api/v1/policies', { type: 'PASSWORD', name: 'Tiny', settings: { password: { complexity: { minLength: 2 } } } }))).causes).toEqual([
      'settings.password.complexity.minLength: Minimum length must be between 4 and 30.',
    ]);
    expect((await refused(await sendJson(t, '/api/v1/policies', { type: 'PASSWORD', name: 'Default Policy' }))).causes).toEqual(['name: A policy with this name already exists.']);
    // A refused replace changes nothing.
    const tiny = { type: 'PASSWORD', name: 'Renamed', settings: { password: { complexity: { minLength: 3 } } } };
    expect((await refused(await sendJson(t, '/api/v1/policies/00ptwinpassword00001', tiny, 'PUT'))).errorCode).toBe('E0000001');
    expect((await stateOf(t)).policies!['00ptwinpassword00001'].name).toBe('Default Policy');
    expect((await refused(await sendJson(t, '/api/v1/policies', '{"type":', 'POST'))).errorCode).toBe('E0000001');
  });

  test('the default policy and rule cannot be deleted or deactivated; unknown ids are 404; a rule of another type is 400', async () => {
    expect((await refused(await t.fetch('/api/v1/policies/00ptwinpassword00001', { method: 'DELETE' }))).causes).toEqual(['The default policy cannot be deleted.']);
    expect((await refused(await sendJson(t, '/api/v1/policies/00ptwinpassword00001/lifecycle/deactivate'))).causes).toEqual(['The default policy cannot be deactivated.']);
    expect((await refused(await t.fetch('/api/v1/policies/00ptwinpassword00001/rules/0prtwinpassword00001', { method: 'DELETE' }))).causes).toEqual(['The default rule cannot be deleted.']);
    expect((await refused(await t.fetch('/api/v1/policies/00pnosuchpolicy00001'), 404)).errorSummary).toBe('Not found: Resource not found: 00pnosuchpolicy00001 (Policy)');
    expect((await refused(await t.fetch('/api/v1/policies/00ptwinpassword00001/rules/0prtwinsignon0000001'), 404)).errorCode).toBe('E0000007');
    expect((await refused(await sendJson(t, '/api/v1/policies/00ptwinpassword00001/rules', { type: 'SIGN_ON', name: 'Wrong' }))).causes).toEqual(['type: A PASSWORD policy takes PASSWORD rules.']);
    expect((await refused(await sendJson(t, '/api/v1/policies/00ptwinpassword00001', { type: 'OKTA_SIGN_ON', name: 'Default Policy' }, 'PUT'))).causes).toEqual(['type: The policy type cannot be changed.']);
  });
});
