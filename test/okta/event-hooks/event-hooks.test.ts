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
 *    the authorization header; "Okta attempts at most one redelivery")
 */
import okta from '@okta/okta-sdk-nodejs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { createOktaTwin, type OktaState } from '../../../twins/index.js';
import { describeTwin, type TwinTarget } from '../../support/describe-twin.js';
import { ADMIN_TOKEN, MSW_BASE_URL, person, TEST_CLOCK } from '../../support/okta.js';

interface Received {
  method: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback receiver that records every request and answers with `answer` (or never, when it returns null). */
async function receiver(answer: (req: Received, n: number) => { status: number; body?: string } | null) {
  const received: Received[] = [];
  const waiters: (() => void)[] = [];
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const request = { method: req.method!, headers: req.headers, body };
      received.push(request);
      const reply = answer(request, received.length);
      if (reply) res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body ?? '');
      else hanging.push(res);
      waiters.splice(0).forEach((wake) => wake());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/okta/events`,
    received,
    /** Resolves once `n` requests have arrived. */
    async count(n: number) {
      while (received.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    posts: () => received.filter((r) => r.method === 'POST').map((r) => ({ headers: r.headers, body: JSON.parse(r.body) })),
    close: () =>
      new Promise<void>((resolve) => {
        hanging.forEach((res) => res.destroy());
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
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
    t.twin.clock.advance(3000);
    await r.count(2);
    t.twin.clock.advance(3000);
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
    expect(t.twin.state.eventHooks ?? {}).toEqual({});
  });
});
