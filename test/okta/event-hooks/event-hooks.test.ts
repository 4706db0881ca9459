/**
 * Event hooks, with the twin as the sender: CRUD and lifecycle through the SDK's eventHookApi, Okta's one-time
 * verification GET to a loopback receiver, and delivery of the System Log events a hook subscribes to as Okta
 * delivers them (body, authorization header, one retry). Run over node:http, express, and MSW (which lets the
 * outbound calls through). No sleeps: the test waits for the receiver, and passes timeouts on the twin's clock.
 * Sources:
 *  - [api] Okta Event Hooks API (createEventHook: ACTIVE and UNVERIFIED; verifyEventHook: "If a response is not
 *    received within 3 seconds, the outbound request times out. One retry is attempted"; deleteEventHook: INACTIVE only;
 *    replaceEventHook: "Updating the channel property requires you to verify the hook again")
 *  - [concept] Okta Event hooks concept ("One-time verification request": X-Okta-Verification-Challenge answered with
 *    {"verification": ...}; "Requests sent by Okta": eventType com.okta.event_hook, cloudEventsVersion, data.events;
 *    the authorization header; "Okta attempts at most one retry. Responses with a 4xx status code aren't retried";
 *    "Event hook delivery attempts that have timed-out, or been detected as having failed for any other reason, are
 *    recorded in the System Log in the form of event_hook.delivery events"; "Which events are eligible?")
 *  - [catalog] Okta Event Types catalog: the event-hook-eligible tag; event_hook.verified "is fired even when the
 *    verification is unsuccessful"; event_hook.delivery "is triggered only when the delivery is unsuccessful"
 *  - [el] "Okta Expression Language and event hooks" (help.okta.com): the supported filter fields, eq / ne / && / ||,
 *    and the group example event.target.?[type eq 'UserGroup' && displayName eq 'Sales'].size() > 0
 */
import okta from '@okta/okta-sdk-nodejs';
import { afterEach, expect, test } from 'vitest';
import { createOktaTwin, type OktaState } from '../../../twins/index.js';
import { describeTwin, type TwinTarget } from '../../support/describe-twin.js';
import { ADMIN_TOKEN, MSW_BASE_URL, person, TEST_CLOCK, stateOf } from '../../support/okta.js';
import { startReceiver, type Received, type Reply } from '../../support/receiver.js';

/** A loopback hook receiver (test/support/receiver.ts), with the POSTs it got parsed. */
async function receiver(answer: (req: Received, n: number) => Reply) {
  const r = await startReceiver('/okta/events', answer);
  return { ...r, posts: () => r.received.filter((x) => x.method === 'POST').map((x) => ({ headers: x.headers, body: JSON.parse(x.body) })) };
}

/** Answers Okta's verification GET by echoing the challenge, and every POST with `status(n)`. */
const hookService = (status: (n: number) => number | null = () => 200) => (req: Received, n: number) => {
  if (req.method === 'GET') return { status: 200, body: JSON.stringify({ verification: req.headers['x-okta-verification-challenge'] }) };
  const code = status(n);
  return code === null ? null : { status: code };
};

const SECRET = 'Basic YWRtaW46c3VwZXJzZWNyZXQ=';

// MSW lets the twin's own calls to the local hook receiver through.
describeTwin('Event hooks', { create: () => createOktaTwin({ strict: true, clock: TEST_CLOCK }), mswBaseUrl: MSW_BASE_URL, onUnhandledRequest: 'bypass' }, (t: TwinTarget<OktaState>) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => void (await Promise.all(cleanups.splice(0).map((c) => c()))));

  const client = () => new okta.Client({ orgUrl: t.baseUrl, token: ADMIN_TOKEN, cacheMiddleware: null });
  const api = (path: string, init: RequestInit = {}) =>
    fetch(t.baseUrl + path, { ...init, headers: { accept: 'application/json', 'content-type': 'application/json', authorization: `SSWS ${ADMIN_TOKEN}` } });

  async function service(status?: (n: number) => number | null) {
    const r = await receiver(hookService(status));
    cleanups.push(r.close);
    return r;
  }

  async function verifiedHook(url: string, items: string[]) {
    const sdk = client();
    const hook: any = await sdk.eventHookApi.createEventHook({
      eventHook: {
        name: 'Provisioning hook',
        events: { type: 'EVENT_TYPE', items },
        channel: { type: 'HTTP', version: '1.0.0', config: { uri: url, headers: [{ key: 'X-Other-Header', value: 'my-header-value' }], authScheme: { type: 'HEADER', key: 'Authorization', value: SECRET } } },
      } as any,
    });
    return sdk.eventHookApi.verifyEventHook({ eventHookId: hook.id });
  }

  const newUser = (name: string) => client().userApi.createUser({ body: { profile: person(name) }, activate: false });

  test('the SDK creates a hook ACTIVE and UNVERIFIED without echoing its secret; verify sends Okta\'s one-time GET', async () => {
    const r = await service();
    const sdk = client();
    const created: any = await sdk.eventHookApi.createEventHook({
      eventHook: {
        name: 'Event Hook Test',
        events: { type: 'EVENT_TYPE', items: ['group.user_membership.add'] },
        channel: { type: 'HTTP', version: '1.0.0', config: { uri: r.url, headers: [{ key: 'X-Other-Header', value: 'my-header-value' }], authScheme: { type: 'HEADER', key: 'Authorization', value: SECRET } } },
      } as any,
    });
    expect(created).toMatchObject({ status: 'ACTIVE', verificationStatus: 'UNVERIFIED', name: 'Event Hook Test', description: null, createdBy: '00uadmintwin00000001' });
    expect(created.id).toMatch(/^who[0-9A-Za-z]{17}$/);
    expect(created.channel.config).toEqual({ uri: r.url, headers: [{ key: 'X-Other-Header', value: 'my-header-value' }], method: 'POST', authScheme: { type: 'HEADER', key: 'Authorization' } });
    expect(r.received).toEqual([]);

    const verified: any = await sdk.eventHookApi.verifyEventHook({ eventHookId: created.id });
    expect(verified.verificationStatus).toBe('VERIFIED');
    expect(r.received).toHaveLength(1);
    const [check] = r.received;
    expect(check.method).toBe('GET');
    expect(check.headers['x-okta-verification-challenge']).toMatch(/^\w{40}$/);
    expect(check.headers).toMatchObject({ authorization: SECRET, 'x-other-header': 'my-header-value' });

    const listed: any[] = [];
    for await (const hook of await sdk.eventHookApi.listEventHooks()) listed.push(hook);
    expect(listed.map((h) => [h.id, h.verificationStatus])).toEqual([[created.id, 'VERIFIED']]);
    expect(((await sdk.eventHookApi.getEventHook({ eventHookId: created.id })) as any).name).toBe('Event Hook Test');
  });

  test('a verified hook receives the subscribed events in Okta\'s envelope, with its authorization header', async () => {
    const r = await service();
    const hook: any = await verifiedHook(r.url, ['group.lifecycle.create']);
    await newUser('Not Delivered');
    const group = await client().groupApi.createGroup({ group: { profile: { name: 'Delivered' } } });
    await r.count(2);
    const [delivery] = r.posts();
    expect(delivery.headers).toMatchObject({ authorization: SECRET, 'x-other-header': 'my-header-value', 'content-type': 'application/json', accept: 'application/json' });
    expect(delivery.body).toMatchObject({
      eventType: 'com.okta.event_hook',
      eventTypeVersion: '1.0',
      cloudEventsVersion: '0.1',
      source: `${t.baseUrl}/api/v1/eventHooks/${hook.id}`,
      contentType: 'application/json',
      eventTime: TEST_CLOCK,
    });
    expect(delivery.body.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const logged = await (await api('/api/v1/logs?filter=' + encodeURIComponent('eventType eq "group.lifecycle.create"'))).json();
    expect(delivery.body.data.events).toEqual(logged);
    expect(logged[0].target[0]).toMatchObject({ id: group.id, type: 'UserGroup' });
  });

  test('a failed delivery is retried once with the same eventId; then Okta gives up', async () => {
    const r = await service((n) => (n === 2 ? 500 : 200));
    await verifiedHook(r.url, ['user.lifecycle.create']);
    await newUser('Retried Once');
    await r.count(3);
    const [first, retry] = r.posts();
    expect(retry.body).toEqual(first.body);

    const down = await service(() => 500);
    await verifiedHook(down.url, ['group.lifecycle.create']);
    await client().groupApi.createGroup({ group: { profile: { name: 'Never Acknowledged' } } });
    await client().groupApi.createGroup({ group: { profile: { name: 'Next One' } } });
    // Events of requests close together may share a delivery (Okta batches up to 50); each delivery is tried twice.
    const names = () => down.posts().flatMap((p) => p.body.data.events.map((e: any) => e.target[0].displayName)).sort();
    while (names().length < 4) await down.count(down.received.length + 1);
    expect(names()).toEqual(['Never Acknowledged', 'Never Acknowledged', 'Next One', 'Next One']);
  });

  test('a hook that does not answer in 3 seconds (on the twin\'s clock) is retried once, then verification fails with 400', async () => {
    const r = await receiver(() => null);
    cleanups.push(r.close);
    const sdk = client();
    const hook: any = await sdk.eventHookApi.createEventHook({
      eventHook: { name: 'Silent', events: { type: 'EVENT_TYPE', items: ['user.lifecycle.create'] }, channel: { type: 'HTTP', version: '1.0.0', config: { uri: r.url } } } as any,
    });
    const verifying = api(`/api/v1/eventHooks/${hook.id}/lifecycle/verify`, { method: 'POST' });
    await r.count(1);
    await t.control.advanceClock(3000);
    await r.count(2);
    await t.control.advanceClock(3000);
    const res = await verifying;
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errorCode: 'E0000001', errorSummary: 'Api validation failed: Verification of the event hook failed' });
    expect(((await sdk.eventHookApi.getEventHook({ eventHookId: hook.id })) as any).verificationStatus).toBe('UNVERIFIED');
  });

  test('a wrong echo fails verification after one retry; an unverified or inactive hook receives nothing', async () => {
    const wrong = await receiver(() => ({ status: 200, body: JSON.stringify({ verification: 'not-it' }) }));
    cleanups.push(wrong.close);
    const sdk = client();
    const hook: any = await sdk.eventHookApi.createEventHook({
      eventHook: { name: 'Wrong echo', events: { type: 'EVENT_TYPE', items: ['group.lifecycle.create'] }, channel: { type: 'HTTP', version: '1.0.0', config: { uri: wrong.url } } } as any,
    });
    const failed = await api(`/api/v1/eventHooks/${hook.id}/lifecycle/verify`, { method: 'POST' });
    expect(failed.status).toBe(400);
    expect(wrong.received.map((x) => x.method)).toEqual(['GET', 'GET']);

    const r = await service();
    const active: any = await verifiedHook(r.url, ['group.lifecycle.create', 'group.lifecycle.delete']);
    await sdk.eventHookApi.deactivateEventHook({ eventHookId: active.id });
    await sdk.groupApi.createGroup({ group: { profile: { name: 'While Inactive' } } });
    await sdk.eventHookApi.activateEventHook({ eventHookId: active.id });
    const after = await sdk.groupApi.createGroup({ group: { profile: { name: 'After Activation' } } });
    await r.count(2);
    expect(r.posts().map((p) => p.body.data.events[0].target[0].id)).toEqual([after.id]);
    expect(wrong.received).toHaveLength(2);
  });

  test('replacing the channel makes the hook UNVERIFIED; only an INACTIVE hook can be deleted', async () => {
    const r = await service();
    const sdk = client();
    const hook: any = await verifiedHook(r.url, ['user.lifecycle.create']);
    const other = await service();
    const replaced: any = await sdk.eventHookApi.replaceEventHook({
      eventHookId: hook.id,
      eventHook: { name: 'Renamed', events: { type: 'EVENT_TYPE', items: ['user.lifecycle.create'] }, channel: { type: 'HTTP', version: '1.0.0', config: { uri: other.url, authScheme: { type: 'HEADER', key: 'Authorization' } } } } as any,
    });
    expect(replaced).toMatchObject({ name: 'Renamed', verificationStatus: 'UNVERIFIED', channel: { config: { uri: other.url } } });
    const active = await api(`/api/v1/eventHooks/${hook.id}`, { method: 'DELETE' });
    expect(active.status).toBe(400);
    expect((await active.json()).errorCauses).toEqual([{ errorSummary: 'status: Only an INACTIVE event hook can be deleted' }]);
    await sdk.eventHookApi.deactivateEventHook({ eventHookId: hook.id });
    await sdk.eventHookApi.deleteEventHook({ eventHookId: hook.id });
    expect((await api(`/api/v1/eventHooks/${hook.id}`)).status).toBe(404);
  });

  test('bad input gets Okta\'s envelope: missing fields, a plain-http remote URI, no event types, an unknown id', async () => {
    const post = (body: unknown) => api('/api/v1/eventHooks', { method: 'POST', body: JSON.stringify(body) });
    const channel = (uri: string) => ({ type: 'HTTP', version: '1.0.0', config: { uri } });
    const cases = [
      { events: { type: 'EVENT_TYPE', items: ['user.lifecycle.create'] }, channel: channel('https://hooks.example.com/okta') },
      { name: 'Plain', events: { type: 'EVENT_TYPE', items: ['user.lifecycle.create'] }, channel: channel('http://hooks.example.com/okta') },
      { name: 'Nothing', events: { type: 'EVENT_TYPE', items: [] }, channel: channel('https://hooks.example.com/okta') },
      { name: 'Odd', events: { type: 'EVENT_TYPE', items: ['not an event'] }, channel: channel('https://hooks.example.com/okta') },
      { name: 'No uri', events: { type: 'EVENT_TYPE', items: ['user.lifecycle.create'] }, channel: channel('::') },
    ];
    for (const body of cases) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect((await res.json()).errorCode).toBe('E0000001');
    }
    const missing = await api('/api/v1/eventHooks/who00000000000000000');
    expect(missing.status).toBe(404);
    expect((await missing.json()).errorSummary).toBe('Not found: Resource not found: who00000000000000000 (EventHook)');
    expect((await stateOf(t)).eventHooks ?? {}).toEqual({});
  });
  test('a hook subscribes only to event-hook-eligible types of Okta\'s catalog: others are refused on create and replace', async () => {
    const sdk = client();
    const channel = { type: 'HTTP', version: '1.0.0', config: { uri: 'https://hooks.example.com/okta' } };
    const refused = await sdk.eventHookApi
      .createEventHook({ eventHook: { name: 'Deletes', events: { type: 'EVENT_TYPE', items: ['user.lifecycle.delete.initiated', 'user.lifecycle.delete.completed'] }, channel } as any })
      .then(
        () => null,
        (error: any) => error,
      );
    expect(refused?.status).toBe(400);
    expect(refused?.errorCode).toBe('E0000001');
    expect(refused?.errorCauses).toEqual([{ errorSummary: 'events.items: user.lifecycle.delete.completed is not an event type eligible for event hooks' }]);

    // Catalog names keep their capitals (user.authentication.auth_via_IDP).
    const hook: any = await sdk.eventHookApi.createEventHook({ eventHook: { name: 'Sign-ins', events: { type: 'EVENT_TYPE', items: ['user.session.start', 'user.authentication.auth_via_IDP'] }, channel } as any });
    expect(hook.events.items).toEqual(['user.session.start', 'user.authentication.auth_via_IDP']);
    const replace = await api(`/api/v1/eventHooks/${hook.id}`, { method: 'PUT', body: JSON.stringify({ name: 'Sign-ins', events: { type: 'EVENT_TYPE', items: ['app.oauth2.as.token.grant.access_token'] }, channel }) });
    expect(replace.status).toBe(400);
    expect((await replace.json()).errorCauses).toEqual([{ errorSummary: 'events.items: app.oauth2.as.token.grant.access_token is not an event type eligible for event hooks' }]);
    expect(((await sdk.eventHookApi.getEventHook({ eventHookId: hook.id })) as any).events.items).toEqual(['user.session.start', 'user.authentication.auth_via_IDP']);
  });

  test('a filter delivers only the events its Okta Expression Language condition accepts (Okta\'s group example)', async () => {
    const r = await service();
    const sdk = client();
    const filter = {
      type: 'EXPRESSION_LANGUAGE',
      eventFilterMap: [{ event: 'group.user_membership.add', condition: { expression: "event.target.?[type eq 'UserGroup' && displayName eq 'Sales'].size() > 0", version: null } }],
    };
    const created: any = await sdk.eventHookApi.createEventHook({
      eventHook: { name: 'Sales only', events: { type: 'EVENT_TYPE', items: ['group.user_membership.add', 'group.lifecycle.create'], filter }, channel: { type: 'HTTP', version: '1.0.0', config: { uri: r.url } } } as any,
    });
    expect(created.events.filter).toEqual(filter);
    await sdk.eventHookApi.verifyEventHook({ eventHookId: created.id });

    const delivered = () => r.posts().flatMap((p) => p.body.data.events.map((e: any) => [e.eventType, e.target.find((x: any) => x.type === 'UserGroup').displayName]));
    // Events of requests close together may share one delivery: wait for events, not requests.
    const deliveredCount = async (n: number) => {
      while (delivered().length < n) await r.count(r.received.length + 1);
    };
    const sales = await sdk.groupApi.createGroup({ group: { profile: { name: 'Sales' } } });
    const other = await sdk.groupApi.createGroup({ group: { profile: { name: 'Engineering' } } });
    await deliveredCount(2);
    const user = await newUser('Filtered Member');
    await sdk.groupApi.assignUserToGroup({ groupId: other.id!, userId: user.id! });
    await sdk.groupApi.assignUserToGroup({ groupId: sales.id!, userId: user.id! });
    await deliveredCount(3);
    expect(delivered()).toEqual([
      ['group.lifecycle.create', 'Sales'],
      ['group.lifecycle.create', 'Engineering'],
      ['group.user_membership.add', 'Sales'],
    ]);
  });

  test('filters on the actor and the outcome with ne and ||; a condition the twin cannot evaluate is refused naming it', async () => {
    const r = await service();
    const sdk = client();
    const expression = "event.actor.alternateId ne 'admin@twin.test' || event.outcome.result eq 'FAILURE'";
    const hook: any = await sdk.eventHookApi.createEventHook({
      eventHook: {
        name: 'Not the admin',
        events: { type: 'EVENT_TYPE', items: ['user.lifecycle.create'], filter: { type: 'EXPRESSION_LANGUAGE', eventFilterMap: [{ event: 'user.lifecycle.create', condition: { expression } }] } },
        channel: { type: 'HTTP', version: '1.0.0', config: { uri: r.url } },
      } as any,
    });
    expect(hook.events.filter.eventFilterMap[0].condition).toEqual({ expression, version: null });
    await sdk.eventHookApi.verifyEventHook({ eventHookId: hook.id });
    await newUser('Made By Admin');
    await sdk.groupApi.createGroup({ group: { profile: { name: 'Unsubscribed' } } });
    // The admin's user.lifecycle.create is filtered out: nothing but the verification reached the hook.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(r.received.map((x) => x.method)).toEqual(['GET']);

    const post = (events: unknown) => api('/api/v1/eventHooks', { method: 'POST', body: JSON.stringify({ name: 'Bad filter', events, channel: { type: 'HTTP', version: '1.0.0', config: { uri: r.url } } }) });
    const map = (event: string, expression: string) => ({ type: 'EXPRESSION_LANGUAGE', eventFilterMap: [{ event, condition: { expression, version: null } }] });
    const cases: [unknown, string][] = [
      [{ type: 'EVENT_TYPE', items: ['user.lifecycle.create'], filter: map('user.lifecycle.create', "event.client.ipAddress eq '127.0.0.1'") }, "events.filter.eventFilterMap.condition.expression: The twin cannot evaluate the field 'event.client.ipAddress'"],
      [{ type: 'EVENT_TYPE', items: ['user.lifecycle.create'], filter: map('group.lifecycle.create', "event.actor.id eq 'x'") }, 'events.filter.eventFilterMap.event: The filtered event type "group.lifecycle.create" is not one of the event hook\'s event types'],
      [{ type: 'EVENT_TYPE', items: ['user.lifecycle.create'], filter: { type: 'SCIM', eventFilterMap: [] } }, 'events.filter.type: The filter type must be EXPRESSION_LANGUAGE'],
      [{ type: 'EVENT_TYPE', items: ['user.lifecycle.create'], filter: map('user.lifecycle.create', "event.target.?[login eq 'x'].size() > 0") }, "events.filter.eventFilterMap.condition.expression: The twin cannot evaluate the target field 'login'"],
      [{ type: 'EVENT_TYPE', items: ['user.lifecycle.create'], filter: map('user.lifecycle.create', "event.actor.id eq 'x") }, 'events.filter.eventFilterMap.condition.expression: The twin cannot evaluate an unterminated string'],
    ];
    for (const [events, cause] of cases) {
      const res = await post(events);
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.errorCode).toBe('E0000001');
      expect(body.errorCauses[0].errorSummary.startsWith(cause)).toBe(true);
    }
    expect(Object.keys((await stateOf(t)).eventHooks ?? {})).toEqual([hook.id]);
  });

  test('a 4xx answer is not retried, and a delivery that fails for good writes event_hook.delivery (FAILURE) as a JOB', async () => {
    const r = await service(() => 404);
    const hook: any = await verifiedHook(r.url, ['user.lifecycle.create']);
    const user = await newUser('Never Delivered');
    await r.count(2);
    const failures = async () => (await (await api('/api/v1/logs?filter=' + encodeURIComponent('eventType eq "event_hook.delivery"'))).json()) as any[];
    let logged = await failures();
    for (let i = 0; logged.length === 0 && i < 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      logged = await failures();
    }
    expect(r.received.map((x) => x.method)).toEqual(['GET', 'POST']);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      eventType: 'event_hook.delivery',
      severity: 'WARN',
      actor: { type: 'SystemPrincipal', displayName: 'Okta System' },
      outcome: { result: 'FAILURE', reason: 'Delivery failed with HTTP status 404' },
      target: [{ id: hook.id, type: 'EventHook', displayName: 'Provisioning hook' }],
      transaction: { type: 'JOB' },
      client: { ipAddress: null },
    });
    const created = await (await api('/api/v1/logs?filter=' + encodeURIComponent('eventType eq "user.lifecycle.create"'))).json();
    expect(logged[0].debugContext.debugData).toMatchObject({ eventHookId: hook.id, deliveredEventIds: created[0].uuid, responseStatus: 404 });
    expect(created[0].target[0].id).toBe(user.id);
  });

  test('a failed verification is logged too: event_hook.verified with outcome FAILURE', async () => {
    const wrong = await receiver(() => ({ status: 200, body: '{}' }));
    cleanups.push(wrong.close);
    const hook: any = await client().eventHookApi.createEventHook({
      eventHook: { name: 'No echo', events: { type: 'EVENT_TYPE', items: ['user.lifecycle.create'] }, channel: { type: 'HTTP', version: '1.0.0', config: { uri: wrong.url } } } as any,
    });
    expect((await api(`/api/v1/eventHooks/${hook.id}/lifecycle/verify`, { method: 'POST' })).status).toBe(400);
    const logged = await (await api('/api/v1/logs?filter=' + encodeURIComponent('eventType eq "event_hook.verified"'))).json();
    expect(logged.map((e: any) => [e.outcome.result, e.target[0].id])).toEqual([['FAILURE', hook.id]]);
  });
});
