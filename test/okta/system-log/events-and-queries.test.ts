/**
 * The System Log: every change the twin makes writes the event Okta writes, in Okta's LogEvent shape, and
 * `GET /api/v1/logs` lists them with since, until, after, filter, q, limit and sortOrder, through the SDK's
 * systemLogApi and raw HTTP. Sources:
 *  - [log] Okta System Log API (listLogEvents: parameters, defaults, "Polling requests", "Bounded requests")
 *  - [types] Okta Event Types catalog (eventType names and display messages)
 *  - [shape] Okta's LogEvent schema and its ListLogs example (actor, client, outcome, target, transaction, debugContext)
 */
import { expect, test } from 'vitest';
import { authorize, employee, pkcePair, postForm, REDIRECT_URI, webApp } from '../../support/okta-oauth.js';
import { describeOkta, person, refused, sdkError, TEST_CLOCK, type OktaTarget } from '../../support/okta.js';

const ADMIN = { id: '00uadmintwin00000001', type: 'User', alternateId: 'admin@twin.test', displayName: 'Admin Twin', detailEntry: null };

async function logs(t: OktaTarget, query = ''): Promise<{ events: any[]; link: string | null; res: Response }> {
  const res = await t.fetch(`/api/v1/logs${query}`);
  expect(res.status).toBe(200);
  return { events: await res.json(), link: res.headers.get('link'), res };
}

const nextLink = (link: string | null) => /<([^>]+)>; rel="next"/.exec(link ?? '')?.[1];

async function newUser(t: OktaTarget, name: string, activate = true) {
  return t.client.userApi.createUser({ body: { profile: person(name), credentials: { password: { value: 'Abcd-1234-xyz' } } }, activate });
}

describeOkta('System Log: the events changes write', (t) => {
  test('creating and activating a user writes user.lifecycle.create and user.lifecycle.activate in the LogEvent shape', async () => {
    const res = await t.fetch('/api/v1/users?activate=true', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ profile: person('Ada Lovelace'), credentials: { password: { value: 'Abcd-1234-xyz' } } }) });
    const user = await res.json();
    const { events } = await logs(t);
    expect(events.map((e) => e.eventType)).toEqual(['user.lifecycle.create', 'user.lifecycle.activate']);
    const [create] = events;
    expect(create).toMatchObject({
      eventType: 'user.lifecycle.create',
      displayMessage: 'Create Okta user',
      severity: 'INFO',
      version: '0',
      published: TEST_CLOCK,
      actor: ADMIN,
      outcome: { result: 'SUCCESS', reason: null },
      target: [{ id: user.id, type: 'User', alternateId: 'ada.lovelace@example.com', displayName: 'Ada Lovelace', detailEntry: null }],
      transaction: { type: 'WEB', id: res.headers.get('x-okta-request-id') },
      debugContext: { debugData: { requestId: res.headers.get('x-okta-request-id'), requestUri: '/api/v1/users' } },
      client: { zone: 'null', id: null },
      authenticationContext: { externalSessionId: 'unknown' },
    });
    expect(create.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(create.uuid).not.toBe(events[1].uuid);
    expect(typeof create.client.ipAddress).toBe('string');
    expect(create.request.ipChain[0].ip).toBe(create.client.ipAddress);
  });

  test('profile, password, lifecycle and membership changes through the SDK each write their event', async () => {
    const user = await newUser(t, 'Grace Hopper');
    const group = await t.client.groupApi.createGroup({ group: { profile: { name: 'Navy' } } });
    await t.client.userApi.updateUser({ userId: user.id!, user: { profile: { nickName: 'Amazing Grace' } } });
    await t.client.userApi.updateUser({ userId: user.id!, user: { credentials: { password: { value: 'Newer-Pass-987' } } } });
    await t.client.groupApi.assignUserToGroup({ groupId: group.id!, userId: user.id! });
    await t.client.groupApi.unassignUserFromGroup({ groupId: group.id!, userId: user.id! });
    await t.client.userApi.suspendUser({ userId: user.id! });
    await t.client.userApi.unsuspendUser({ userId: user.id! });
    await t.client.userApi.deactivateUser({ userId: user.id! });
    await t.client.userApi.deleteUser({ userId: user.id! });
    await t.client.groupApi.deleteGroup({ groupId: group.id! });
    const { events } = await logs(t);
    expect(events.map((e) => e.eventType)).toEqual([
      'user.lifecycle.create',
      'user.lifecycle.activate',
      'group.lifecycle.create',
      'user.account.update_profile',
      'user.account.update_password',
      'group.user_membership.add',
      'group.user_membership.remove',
      'user.lifecycle.suspend',
      'user.lifecycle.unsuspend',
      'user.lifecycle.deactivate',
      'user.lifecycle.delete.initiated',
      'user.lifecycle.delete.completed',
      'group.lifecycle.delete',
    ]);
    const add = events.find((e) => e.eventType === 'group.user_membership.add');
    expect(add).toMatchObject({ displayMessage: 'Add user to group membership', target: [{ id: user.id, type: 'User' }, { id: group.id, type: 'UserGroup', displayName: 'Navy' }] });
  });

  test('application lifecycle and assignments write application.* events', async () => {
    const user = await newUser(t, 'Alan Turing');
    const app: any = await t.client.applicationApi.createApplication({ application: { name: 'bookmark', label: 'Enigma', signOnMode: 'BOOKMARK', settings: { app: { requestIntegration: false, url: 'https://example.com/enigma' } } } as any });
    await t.client.applicationApi.assignUserToApplication({ appId: app.id, appUser: { id: user.id } as any });
    await t.client.applicationApi.unassignUserFromApplication({ appId: app.id, userId: user.id! });
    await t.client.applicationApi.deactivateApplication({ appId: app.id });
    await t.client.applicationApi.deleteApplication({ appId: app.id });
    const { events } = await logs(t, '?filter=' + encodeURIComponent('eventType sw "application."'));
    expect(events.map((e) => e.eventType)).toEqual([
      'application.lifecycle.create',
      'application.lifecycle.activate',
      'application.user_membership.add',
      'application.user_membership.remove',
      'application.lifecycle.deactivate',
      'application.lifecycle.delete',
    ]);
    expect(events[2].target).toMatchObject([{ id: user.id, type: 'AppUser' }, { id: app.id, type: 'AppInstance', displayName: 'Enigma' }, { id: user.id, type: 'User' }]);
  });

  test('a sign-in writes user.session.start and the token grant writes app.oauth2.as.token.grant.* events', async () => {
    const app = await webApp(t);
    const user = await employee(t, app);
    const { verifier, challenge } = pkcePair();
    const back = await authorize(t, { client_id: app.clientId, response_type: 'code', scope: 'openid offline_access', redirect_uri: REDIRECT_URI, state: 's', code_challenge: challenge, code_challenge_method: 'S256', login_hint: 'kj@example.com' });
    const res = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'authorization_code', code: back.get('code')!, redirect_uri: REDIRECT_URI, code_verifier: verifier }, { authorization: app.auth });
    expect(res.status).toBe(200);
    const { events } = await logs(t, '?filter=' + encodeURIComponent('eventType eq "user.session.start" or eventType sw "app.oauth2.as.token.grant"'));
    expect(events.map((e) => e.eventType)).toEqual(['user.session.start', 'app.oauth2.as.token.grant.access_token', 'app.oauth2.as.token.grant.id_token', 'app.oauth2.as.token.grant.refresh_token']);
    expect(events[0]).toMatchObject({ displayMessage: 'User login to Okta', legacyEventType: 'core.user_auth.login_success', actor: { id: user.id, type: 'User' }, client: { id: app.clientId } });
    const code = await logs(t, '?filter=' + encodeURIComponent('eventType eq "app.oauth2.as.authorize.code"'));
    expect(code.events).toMatchObject([{ actor: { id: user.id }, client: { id: app.clientId }, target: [{ type: 'code' }, { id: app.appId, type: 'AppInstance' }] }]);
    const access = events.find((e) => e.eventType === 'app.oauth2.as.token.grant.access_token');
    expect(access).toMatchObject({ actor: { id: user.id }, client: { id: app.clientId }, target: [{ type: 'access_token' }, { id: app.appId, type: 'AppInstance' }] });
    const tokens = await res.json();
    expect((await postForm(t, '/oauth2/default/v1/revoke', { token: tokens.access_token }, { authorization: app.auth })).status).toBe(200);
    const revoked = await logs(t, '?filter=' + encodeURIComponent('eventType eq "app.oauth2.as.token.revoke"'));
    expect(revoked.events).toHaveLength(1);
    expect(revoked.events[0]).toMatchObject({ actor: { id: app.clientId, type: 'PublicClientApp' }, target: [{ id: access.target[0].id, type: 'access_token' }, { id: app.appId }] });
  });

  test('factor enrollment, verification and reset, and event hook changes write their events', async () => {
    const user = await newUser(t, 'Mfa User');
    const factor: any = await t.client.userFactorApi.enrollFactor({ userId: user.id!, body: { factorType: 'question', provider: 'OKTA', profile: { question: 'favorite_toy', answer: 'teddy bear' } } as any });
    await t.client.userFactorApi.verifyFactor({ userId: user.id!, factorId: factor.id, body: { answer: 'teddy bear' } as any });
    await t.client.userFactorApi.unenrollFactor({ userId: user.id!, factorId: factor.id });
    const hook: any = await t.client.eventHookApi.createEventHook({ eventHook: { name: 'Audit', events: { type: 'EVENT_TYPE', items: ['user.lifecycle.create'] }, channel: { type: 'HTTP', version: '1.0.0', config: { uri: 'https://hooks.example.com/okta' } } } as any });
    await t.client.eventHookApi.deactivateEventHook({ eventHookId: hook.id });
    await t.client.eventHookApi.deleteEventHook({ eventHookId: hook.id });
    const { events } = await logs(t, '?filter=' + encodeURIComponent('eventType sw "user.mfa" or eventType sw "user.authentication" or eventType sw "event_hook"'));
    expect(events.map((e) => e.eventType)).toEqual(['user.mfa.factor.activate', 'user.authentication.auth_via_mfa', 'user.mfa.factor.deactivate', 'event_hook.created', 'event_hook.deactivated', 'event_hook.deleted']);
    expect(events[1]).toMatchObject({ actor: { id: user.id, type: 'User' }, target: [{ id: user.id }, { id: factor.id, type: 'Factor', alternateId: 'question' }] });
    expect(events[3].target).toEqual([{ id: hook.id, type: 'EventHook', alternateId: 'Audit', displayName: 'Audit', detailEntry: null }]);
  });

  test('Okta API scope grants and client admin roles write admin consent and client privilege events', async () => {
    const app = await webApp(t);
    const grant: any = await t.client.applicationApi.grantConsentToScope({ appId: app.appId, oAuth2ScopeConsentGrant: { issuer: t.baseUrl, scopeId: 'okta.users.read' } as any });
    await t.client.applicationApi.revokeScopeConsentGrant({ appId: app.appId, grantId: grant.id });
    const role: any = await t.client.roleAssignmentApi.assignRoleToClient({ clientId: app.clientId, assignRoleRequest: { type: 'READ_ONLY_ADMIN' } as any });
    await t.client.roleAssignmentApi.deleteRoleFromClient({ clientId: app.clientId, roleAssignmentId: role.id });
    const { events } = await logs(t, '?filter=' + encodeURIComponent('eventType sw "app.oauth2.admin" or eventType sw "app.oauth2.client"'));
    expect(events.map((e) => e.eventType)).toEqual(['app.oauth2.admin.consent.grant', 'app.oauth2.admin.consent.revoke', 'app.oauth2.client.privilege.grant', 'app.oauth2.client.privilege.revoke']);
    expect(events[0].target).toMatchObject([{ id: app.appId, type: 'AppInstance' }, { id: 'okta.users.read', type: 'Scope' }]);
    expect(events[2]).toMatchObject({ target: [{ id: app.clientId, type: 'PublicClientApp' }], debugContext: { debugData: { privilegeGranted: 'Read Only Administrator' } } });
  });

  test('a group rule adds a member (group.user_membership.add); removing the member by hand excludes them from the rule', async () => {
    const group = await t.client.groupApi.createGroup({ group: { profile: { name: 'Designers' } } });
    const rule = await t.client.groupApi.createGroupRule({
      groupRule: { type: 'group_rule', name: 'Design', conditions: { expression: { value: 'user.department=="Design"', type: 'urn:okta:expression:1.0' } }, actions: { assignUserToGroups: { groupIds: [group.id!] } } },
    });
    await t.client.groupApi.activateGroupRule({ ruleId: rule.id! });
    const dana = await t.client.userApi.createUser({ body: { profile: person('Dana Design', { department: 'Design' }) }, activate: false });
    await t.client.groupApi.unassignUserFromGroup({ groupId: group.id!, userId: dana.id! });
    const { events } = await logs(t, '?filter=' + encodeURIComponent('eventType sw "group.user_membership"'));
    expect(events.map((e) => e.eventType)).toEqual(['group.user_membership.add', 'group.user_membership.remove', 'group.user_membership.rule.add_exclusion']);
    expect(events[2].target).toMatchObject([{ id: rule.id, type: 'GroupRule', displayName: 'Design' }, { id: dana.id, type: 'User' }]);
    // Okta System writes the exclusion, in Okta's words.
    expect(events[2]).toMatchObject({ displayMessage: 'User added to exclusion list for group rule', actor: { type: 'SystemPrincipal', displayName: 'Okta System' } });
  });

  test('a refused change writes nothing', async () => {
    const failure = await sdkError(t.client.groupApi.createGroup({ group: { profile: { name: '' } } as any }));
    expect(failure.status).toBe(400);
    expect((await logs(t)).events).toEqual([]);
  });
});

describeOkta('System Log: queries', (t) => {
  async function fiveUsers() {
    const ids: string[] = [];
    for (const name of ['Ann One', 'Bob Two', 'Cy Three', 'Di Four', 'Ed Five']) {
      ids.push((await newUser(t, name, false)).id!);
      await t.control.advanceClock(60_000);
    }
    return ids;
  }

  test('filter, q, since/until, sortOrder and limit select and order events', async () => {
    const ids = await fiveUsers();
    const byTarget = await logs(t, '?filter=' + encodeURIComponent(`target.id eq "${ids[2]}"`));
    expect(byTarget.events.map((e) => e.target[0].displayName)).toEqual(['Cy Three']);
    expect((await logs(t, '?q=' + encodeURIComponent('di four'))).events.map((e) => e.target[0].id)).toEqual([ids[3]]);
    const start = Date.parse(TEST_CLOCK);
    const window = await logs(t, `?since=${new Date(start + 60_000).toISOString()}&until=${new Date(start + 180_000).toISOString()}`);
    expect(window.events.map((e) => e.target[0].id)).toEqual([ids[1], ids[2]]);
    const newest = await logs(t, '?sortOrder=DESCENDING&limit=2');
    expect(newest.events.map((e) => e.target[0].id)).toEqual([ids[4], ids[3]]);
    const rest = await logs(t, nextLink(newest.link)!.replace(t.baseUrl + '/api/v1/logs', ''));
    expect(rest.events.map((e) => e.target[0].id)).toEqual([ids[2], ids[1]]);
    const last = await logs(t, nextLink(rest.link)!.replace(t.baseUrl + '/api/v1/logs', ''));
    expect(last.events.map((e) => e.target[0].id)).toEqual([ids[0]]);
    // A bounded query (here: descending) has no next link once its results are all listed.
    expect(nextLink(last.link)).toBeUndefined();
  });

  test('since defaults to 7 days before until: older events are not listed unless asked for', async () => {
    await newUser(t, 'Old Timer', false);
    await t.control.advanceClock(8 * 24 * 3600 * 1000);
    await newUser(t, 'New Comer', false);
    expect((await logs(t)).events.map((e) => e.target[0].displayName)).toEqual(['New Comer']);
    expect((await logs(t, `?since=${TEST_CLOCK}`)).events).toHaveLength(2);
  });

  test('a polling query always has a next link: empty pages until new events, then the new events', async () => {
    await newUser(t, 'First Poll', false);
    const first = await logs(t, `?since=${TEST_CLOCK}`);
    expect(first.events).toHaveLength(1);
    let next = nextLink(first.link)!;
    expect(next).toContain('after=');
    for (let i = 0; i < 2; i++) {
      const empty = await t.fetch(next.replace(t.baseUrl, ''));
      expect(await empty.json()).toEqual([]);
      expect(nextLink(empty.headers.get('link'))).toBe(next);
    }
    await newUser(t, 'Second Poll', false);
    const more = await t.fetch(next.replace(t.baseUrl, ''));
    expect((await more.json()).map((e: any) => e.target[0].displayName)).toEqual(['Second Poll']);
    next = nextLink(more.headers.get('link'))!;
    expect(await (await t.fetch(next.replace(t.baseUrl, ''))).json()).toEqual([]);
  });

  test('bad input gets Okta\'s errors: E0000030 for a date, E0000031 for a filter, E0000001 for limit and after', async () => {
    expect((await refused(await t.fetch('/api/v1/logs?since=yesterday'), 400)).errorCode).toBe('E0000030');
    expect((await refused(await t.fetch('/api/v1/logs?until=2026-13-45T00:00:00Z'), 400)).errorCode).toBe('E0000030');
    expect((await refused(await t.fetch('/api/v1/logs?filter=' + encodeURIComponent('eventType eq')), 400)).errorCode).toBe('E0000031');
    expect((await refused(await t.fetch('/api/v1/logs?limit=5000'), 400)).errorCode).toBe('E0000001');
    expect((await refused(await t.fetch('/api/v1/logs?after=not-a-cursor'), 400)).errorCode).toBe('E0000001');
    expect((await refused(await t.fetch('/api/v1/logs?sortOrder=SIDEWAYS'), 400)).errorCode).toBe('E0000001');
    expect((await refused(await t.fetch(`/api/v1/logs?since=2026-02-01T00:00:00Z&until=${TEST_CLOCK}`), 400)).errorCode).toBe('E0000001');
  });
});

describeOkta('System Log: the SDK poller', (t) => {
  test('systemLogApi.listLogEvents with each() lists the events and stops at the empty page of a polling query', async () => {
    await newUser(t, 'Sdk One', false);
    await newUser(t, 'Sdk Two', false);
    const seen: string[] = [];
    const collection = await t.client.systemLogApi.listLogEvents({ since: TEST_CLOCK });
    await collection.each((event: any) => void seen.push(event.target[0].displayName));
    expect(seen).toEqual(['Sdk One', 'Sdk Two']);
  });

  test('for-await over listLogEvents follows the next link forever: a null item marks an empty page, new events come through it', async () => {
    await newUser(t, 'Loop One', false);
    const collection: any = await t.client.systemLogApi.listLogEvents({ since: TEST_CLOCK, filter: 'eventType eq "user.lifecycle.create"' });
    const first = await collection.next();
    expect(first).toMatchObject({ done: false, value: { eventType: 'user.lifecycle.create' } });
    // The page ran out: the SDK fetches the next link and finds nothing new, without spinning on requests.
    const before = (await t.control.requests).length;
    expect(await collection.next()).toEqual({ done: false, value: null });
    expect((await t.control.requests).length - before).toBe(1);
    await newUser(t, 'Loop Two', false);
    expect((await collection.next()).value.target[0].displayName).toBe('Loop Two');
  });

  test('the SDK\'s own poller (collection.subscribe) receives the events, then new ones through the next link, without an error', async () => {
    await newUser(t, 'Polled One', false);
    const collection: any = await t.client.systemLogApi.listLogEvents({ since: TEST_CLOCK, filter: 'eventType eq "user.lifecycle.create"' });
    const seen: string[] = [];
    const errors: unknown[] = [];
    await new Promise<void>((resolve) => {
      const subscription = collection.subscribe({
        interval: 1,
        next(event: any) {
          seen.push(event.target[0].displayName);
          // The first event in, the poller goes on to an empty page; a new user is the next event it must find.
          if (seen.length === 1) return newUser(t, 'Polled Two', false).then(() => undefined);
          subscription.unsubscribe();
        },
        error: (e: unknown) => void errors.push(e),
        complete: resolve,
      });
    });
    expect(seen).toEqual(['Polled One', 'Polled Two']);
    expect(errors).toEqual([]);
  });

  test('a bounded query through the SDK ends: done once its window is listed', async () => {
    await newUser(t, 'Bounded One', false);
    const until = new Date(Date.parse(TEST_CLOCK) + 1000);
    const collection: any = await t.client.systemLogApi.listLogEvents({ since: TEST_CLOCK, until: until.toISOString() });
    const items = [];
    for await (const item of collection) items.push(item);
    expect(items.map((e: any) => e.eventType)).toEqual(['user.lifecycle.create']);
  });
});
