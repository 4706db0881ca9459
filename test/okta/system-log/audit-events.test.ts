/**
 * The System Log events of the write operations audited in round two, each driven through the SDK: every change for
 * which Okta's Event Types catalog has a type writes it; changes for which the catalog has none (a group rule's or a
 * user schema's own edits, a recovery question) write nothing rather than an invented type. Sources:
 *  - [types] Okta Event Types catalog (developer.okta.com/docs/reference/api/event-types): security.trusted_origin.*,
 *    directory.linked_object.create/delete, user.session.clear, user.account.unlock_by_admin,
 *    application.user_membership.update, app.keys.generate, app.oauth2.as.key.rollover; the group.* namespace has
 *    no type for creating, changing or deleting a group rule, and no namespace covers user-schema edits
 *  - [support] Okta support, "User getting added in group exclusion list by Okta System (SystemPrincipal)": the
 *    exclusion is Okta System's "User added to exclusion list for group rule"
 */
import { expect, test } from 'vitest';
import { webApp } from '../../support/okta-oauth.js';
import { describeOkta, person, type OktaTarget } from '../../support/okta.js';

async function events(t: OktaTarget, filter?: string): Promise<any[]> {
  const res = await t.fetch('/api/v1/logs' + (filter ? '?filter=' + encodeURIComponent(filter) : ''));
  expect(res.status).toBe(200);
  return res.json();
}

describeOkta('System Log: events of the audited write operations', (t) => {
  test('trusted origins write security.trusted_origin.create, update, deactivate, activate and delete', async () => {
    const api = t.client.trustedOriginApi;
    const origin: any = await api.createTrustedOrigin({ trustedOrigin: { name: 'Docs', origin: 'https://docs.example.com', scopes: [{ type: 'CORS' }] } as any });
    await api.replaceTrustedOrigin({ trustedOriginId: origin.id, trustedOrigin: { name: 'Docs site', origin: 'https://docs.example.com', scopes: [{ type: 'REDIRECT' }] } as any });
    await api.deactivateTrustedOrigin({ trustedOriginId: origin.id });
    await api.activateTrustedOrigin({ trustedOriginId: origin.id });
    await api.deleteTrustedOrigin({ trustedOriginId: origin.id });
    const logged = await events(t, 'eventType sw "security.trusted_origin"');
    expect(logged.map((e) => e.eventType)).toEqual(['create', 'update', 'deactivate', 'activate', 'delete'].map((a) => `security.trusted_origin.${a}`));
    expect(logged[1].target).toEqual([{ id: origin.id, type: 'TrustedOrigin', alternateId: 'https://docs.example.com', displayName: 'Docs site', detailEntry: null }]);
  });

  test('linked object definitions write directory.linked_object.create and delete; a user\'s value writes nothing', async () => {
    const api = t.client.linkedObjectApi;
    await api.createLinkedObjectDefinition({
      linkedObject: { primary: { name: 'manager', title: 'Manager', type: 'USER' }, associated: { name: 'subordinate', title: 'Subordinate', type: 'USER' } } as any,
    });
    const boss = await t.client.userApi.createUser({ body: { profile: person('Boss Person') }, activate: false });
    const report = await t.client.userApi.createUser({ body: { profile: person('Report Person') }, activate: false });
    await t.client.userApi.setLinkedObjectForUser({ associatedUserId: report.id!, primaryRelationshipName: 'manager', primaryUserId: boss.id! });
    const before = (await events(t)).length;
    await t.client.userApi.setLinkedObjectForUser({ associatedUserId: report.id!, primaryRelationshipName: 'manager', primaryUserId: boss.id! });
    expect((await events(t)).length).toBe(before);
    await api.deleteLinkedObjectDefinition({ linkedObjectName: 'manager' });
    const logged = await events(t, 'eventType sw "directory.linked_object"');
    expect(logged.map((e) => e.eventType)).toEqual(['directory.linked_object.create', 'directory.linked_object.delete']);
    expect(logged[0].target).toEqual([{ id: 'manager', type: 'LinkedObject', alternateId: 'manager/subordinate', displayName: 'Manager', detailEntry: null }]);
  });

  test('clearing a user\'s sessions writes user.session.clear; an admin\'s unlock writes user.account.unlock_by_admin', async () => {
    const user = await t.client.userApi.createUser({ body: { profile: person('Session Holder'), credentials: { password: { value: 'Abcd-1234-xyz' } } }, activate: true });
    await t.client.userApi.revokeUserSessions({ userId: user.id!, oauthTokens: true });
    await t.client.userApi.unlockUser({ userId: user.id! });
    const logged = await events(t, 'eventType eq "user.session.clear" or eventType sw "user.account.unlock"');
    expect(logged.map((e) => [e.eventType, e.target[0].id])).toEqual([
      ['user.session.clear', user.id],
      ['user.account.unlock_by_admin', user.id],
    ]);
    expect(logged[0].debugContext.debugData.revokeOauthTokens).toBe(true);
  });

  test('an app user\'s update, an app key and a key rotation write application.user_membership.update, app.keys.generate, app.oauth2.as.key.rollover', async () => {
    const app = await webApp(t);
    const user = await t.client.userApi.createUser({ body: { profile: person('App Member') }, activate: true });
    await t.client.applicationApi.assignUserToApplication({ appId: app.appId, appUser: { id: user.id, scope: 'USER' } as any });
    await t.client.applicationApi.updateApplicationUser({ appId: app.appId, userId: user.id!, appUser: { profile: { nickname: 'Member' } } as any });
    const key: any = await t.client.applicationApi.generateApplicationKey({ appId: app.appId, validityYears: 2 });
    // The SDK sends the rotation when its collection is read.
    for await (const rotated of await t.client.authorizationServerApi.rotateAuthorizationServerKeys({ authServerId: 'default', use: { use: 'sig' } as any })) expect(rotated).toBeTruthy();
    const logged = await events(t, 'eventType eq "application.user_membership.update" or eventType eq "app.keys.generate" or eventType eq "app.oauth2.as.key.rollover"');
    expect(logged.map((e) => e.eventType)).toEqual(['application.user_membership.update', 'app.keys.generate', 'app.oauth2.as.key.rollover']);
    expect(logged[0].target.map((x: any) => x.type)).toEqual(['AppUser', 'AppInstance', 'User']);
    expect(logged[1].target[1]).toMatchObject({ id: key.kid, type: 'AppKeyCredential' });
    expect(logged[2].target[0]).toMatchObject({ id: 'default' });
  });

  test('what Okta\'s catalog has no type for writes nothing: group rule and user schema edits, a new recovery question', async () => {
    const group = await t.client.groupApi.createGroup({ group: { profile: { name: 'Rule Target' } } });
    const before = (await events(t)).length;
    const rule = await t.client.groupApi.createGroupRule({
      groupRule: { type: 'group_rule', name: 'Nobody', conditions: { expression: { value: 'user.department=="Nowhere"', type: 'urn:okta:expression:1.0' } }, actions: { assignUserToGroups: { groupIds: [group.id!] } } },
    });
    await t.client.groupApi.activateGroupRule({ ruleId: rule.id! });
    await t.client.groupApi.deactivateGroupRule({ ruleId: rule.id! });
    await t.client.groupApi.replaceGroupRule({
      ruleId: rule.id!,
      groupRule: { type: 'group_rule', name: 'Nobody either', conditions: { expression: { value: 'user.department=="Elsewhere"', type: 'urn:okta:expression:1.0' } }, actions: { assignUserToGroups: { groupIds: [group.id!] } } },
    });
    await t.client.groupApi.deleteGroupRule({ ruleId: rule.id! });
    await t.client.schemaApi.updateUserProfile({
      schemaId: 'default',
      userSchema: { definitions: { custom: { id: '#custom', type: 'object', properties: { twitterUserName: { title: 'Twitter username', type: 'string' } }, required: [] } } } as any,
    });
    expect((await events(t)).length).toBe(before);

    const user = await t.client.userApi.createUser({ body: { profile: person('Question Asker'), credentials: { password: { value: 'Abcd-1234-xyz' } } }, activate: true });
    const count = (await events(t)).length;
    await t.client.userApi.changeRecoveryQuestion({ userId: user.id!, userCredentials: { password: { value: 'Abcd-1234-xyz' }, recovery_question: { question: 'Favorite color?', answer: 'Blue and green' } } as any });
    expect((await events(t)).length).toBe(count);
  });
});
