import { describe, expect, test } from 'vitest';
import { exampleTwin } from '../../test/support/example-twin.js';
import { createTwin } from '../twin.js';
import type { TwinEvent } from './twin-runtime.js';
import type { TwinRequest } from './types.js';

const BASE = 'https://example.test/api';
const auth = { authorization: 'Bearer good' };

function make(strict = true) {
  const twin = createTwin(exampleTwin, { strict, clock: '2026-01-01T00:00:00.000Z' });
  const events: TwinEvent[] = [];
  twin.events.on('drift', (e: TwinEvent) => events.push(e));
  twin.events.on('failure', (e: TwinEvent) => events.push(e));
  const call = async (method: string, path: string, init: Partial<TwinRequest> = {}) => {
    const res = await twin.handle({ method, url: BASE + path, headers: { ...auth, ...init.headers }, body: init.body });
    return { ...res, json: res.body ? JSON.parse(res.body) : undefined };
  };
  return { twin, events, call };
}

describe('routing', () => {
  test('a path parameter is matched and handed to the handler', async () => {
    const { call } = make();
    const res = await call('GET', '/items/it00000001');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ id: 'it00000001', name: 'seeded', note: null });
  });

  test('a literal segment wins over a template parameter', async () => {
    const { call } = make();
    expect((await call('GET', '/items/special')).json.id).toBe('special');
  });

  test('an unknown path is answered in the twin envelope, naming the request', async () => {
    const { call } = make();
    const res = await call('GET', '/nothing/here');
    expect(res.status).toBe(404);
    expect(res.json.problem).toBe('route_not_found');
  });

  test('empty path segments are dropped before routing, as web servers do', async () => {
    const { twin } = make();
    const res = await twin.handle({ method: 'GET', url: 'https://example.test/api//items//it00000001', headers: auth });
    expect(res.status).toBe(200);
  });

  test('a path outside the server prefix is not routed', async () => {
    const { twin } = make();
    const res = await twin.handle({ method: 'GET', url: 'https://example.test/items/it00000001', headers: auth });
    expect(res.status).toBe(404);
  });

  test('a known path with an unknown method gets method_not_allowed', async () => {
    const { call } = make();
    expect((await call('PATCH', '/items/it00000001')).status).toBe(405);
  });

  test('an operation with no handler is refused as not emulated', async () => {
    const { call } = make();
    const res = await call('GET', '/described-only');
    expect(res.status).toBe(501);
    expect(res.json.problem).toBe('not_implemented');
  });
});

describe('validation', () => {
  test('query parameters are coerced to their types and defaults applied', async () => {
    const { call, twin } = make();
    for (let i = 0; i < 20; i++) await call('POST', '/items', { body: JSON.stringify({ name: `n${i}` }), headers: { 'content-type': 'application/json' } });
    expect(Object.keys(twin.state.items)).toHaveLength(21);
    expect((await call('GET', '/items?limit=2')).json).toHaveLength(2);
    expect((await call('GET', '/items')).json).toHaveLength(20);
  });

  test('an invalid query parameter is refused with a diagnostic naming it', async () => {
    const { call } = make();
    const res = await call('GET', '/items?limit=abc');
    expect(res.status).toBe(400);
    expect(res.json.details.join()).toContain('query limit');
    expect((await call('GET', '/items?limit=500')).status).toBe(400);
  });

  test('a path parameter that breaks its pattern is refused', async () => {
    const { call } = make();
    const res = await call('GET', '/items/nope');
    expect(res.status).toBe(400);
    expect(res.json.details.join()).toContain('path itemId');
  });

  test('a body missing a required field is refused before the handler', async () => {
    const { call, twin } = make();
    const before = Object.keys(twin.state.items).length;
    const res = await call('POST', '/items', { body: JSON.stringify({ note: 'x' }), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.json.details).toContain('body name is required');
    expect(Object.keys(twin.state.items)).toHaveLength(before);
  });

  test('malformed JSON is refused as malformed_body', async () => {
    const { call } = make();
    const res = await call('POST', '/items', { body: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.json.problem).toBe('malformed_body');
  });

  test('a required body that is missing is refused', async () => {
    const { call } = make();
    const res = await call('POST', '/items');
    expect(res.status).toBe(400);
    expect(res.json.details).toContain('body body is required');
  });

  test('a form-encoded body is parsed and its fields coerced', async () => {
    const { call } = make();
    const res = await call('POST', '/token', { body: 'grant_type=client_credentials&ttl=30', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ token: 'tok-anonymous', ttl: 30 });
  });

  test('a body in a media type the operation does not take is refused', async () => {
    const { call } = make();
    const res = await call('POST', '/token', { body: '{"grant_type":"client_credentials"}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(415);
    expect(res.json.problem).toBe('unsupported_media_type');
  });

  test('recursive schemas compile and validate', async () => {
    const { call } = make();
    expect((await call('GET', '/tree')).status).toBe(200);
  });
});

describe('authentication and errors', () => {
  test("the twin's authenticate refuses bad credentials in the twin's envelope", async () => {
    const { call } = make();
    const res = await call('GET', '/items', { headers: { authorization: 'Bearer bad' } });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ problem: 'bad credentials' });
  });

  test('an unexpected throw becomes the vendor 500 and a failure event, with no stack trace on the wire', async () => {
    const { call, events } = make();
    const res = await call('GET', '/boom');
    expect(res.status).toBe(500);
    expect(res.body).not.toContain('TypeError');
    expect(res.body).not.toContain('at ');
    expect(events.map((e) => e.type)).toEqual(['failure']);
    expect(events[0].message).toContain('a bug in a handler');
  });

  test('a write whose handler throws midway leaves the state exactly as it was', async () => {
    const { call, twin } = make();
    await call('POST', '/items', { body: '{"name":"second"}', headers: { 'content-type': 'application/json' } });
    const before = JSON.stringify(twin.exportState());
    expect((await call('POST', '/boom')).status).toBe(500);
    expect(JSON.stringify(twin.exportState())).toBe(before);
  });

  test('JSON nested deeper than the engine reads is refused as malformed before any handler runs', async () => {
    const { call, twin } = make();
    const before = JSON.stringify(twin.exportState());
    const deep = '{"name":"x","note":' + '['.repeat(2000) + ']'.repeat(2000) + '}';
    const res = await call('POST', '/items', { body: deep, headers: { 'content-type': 'application/json' } });
    expect([res.status, res.json]).toEqual([400, { problem: 'malformed_body', details: [] }]);
    expect(JSON.stringify(twin.exportState())).toBe(before);
    const shallow = '{"name":"x","note":"' + '['.repeat(2000) + '"}';
    expect((await call('POST', '/items', { body: shallow, headers: { 'content-type': 'application/json' } })).status).toBe(201);
  });
});

describe('strict mode', () => {
  test('a response that drifts from the document answers 500 and emits a drift event', async () => {
    const { call, events } = make(true);
    const res = await call('GET', '/drifting');
    expect(res.status).toBe(500);
    expect(events).toHaveLength(1);
    expect(events[0].type).toBe('drift');
    expect(events[0].message).toContain('drifting');
    expect(events[0].diagnostics.map((d) => d.name)).toContain('body.id');
  });

  test('without strict mode the same response passes through', async () => {
    const { call, events } = make(false);
    const res = await call('GET', '/drifting');
    expect(res.status).toBe(200);
    expect(events).toEqual([]);
  });

  test('an undocumented status is a drift', async () => {
    const { call, events } = make(true);
    await call('DELETE', '/items/it00000001');
    expect(events).toEqual([]);
    const res = await call('GET', '/items/it00000001');
    expect(res.status).toBe(404);
    expect(events).toEqual([]);
  });
});

describe('state', () => {
  test('reset returns to the seed, and never hands out an id twice', async () => {
    const { call, twin } = make();
    const first = (await call('POST', '/items', { body: '{"name":"a"}', headers: { 'content-type': 'application/json' } })).json.id;
    twin.reset();
    expect(Object.keys(twin.state.items)).toEqual(['it00000001']);
    const again = (await call('POST', '/items', { body: '{"name":"a"}', headers: { 'content-type': 'application/json' } })).json.id;
    expect(again).not.toBe(first);
    expect(first).toMatch(/^it[0-9A-Za-z]{8}$/);
  });

  test('two fresh instances give the same ids for the same requests', async () => {
    const a = make();
    const b = make();
    const post = (m: ReturnType<typeof make>) => m.call('POST', '/items', { body: '{"name":"a"}', headers: { 'content-type': 'application/json' } });
    expect([(await post(a)).json.id, (await post(a)).json.id]).toEqual([(await post(b)).json.id, (await post(b)).json.id]);
  });

  test('restore brings back the state; ids created after the snapshot are not reused', async () => {
    const { call, twin } = make();
    const snap = twin.snapshot();
    const a = (await call('POST', '/items', { body: '{"name":"a"}', headers: { 'content-type': 'application/json' } })).json.id;
    twin.restore(snap);
    expect(twin.state.items[a]).toBeUndefined();
    expect((await call('POST', '/items', { body: '{"name":"a"}', headers: { 'content-type': 'application/json' } })).json.id).not.toBe(a);
  });

  test('a state imported into a fresh instance goes on with new ids', async () => {
    const first = make();
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await first.call('POST', '/items', { body: '{"name":"a"}', headers: { 'content-type': 'application/json' } })).json.id);
    const second = make();
    second.twin.importState(first.twin.exportState());
    const next = (await second.call('POST', '/items', { body: '{"name":"a"}', headers: { 'content-type': 'application/json' } })).json.id;
    expect(made).not.toContain(next);
  });

  test('export and import round-trip; an export of another twin is refused', async () => {
    const { call, twin } = make();
    await call('POST', '/items', { body: '{"name":"kept"}', headers: { 'content-type': 'application/json' } });
    const doc = twin.exportState();
    const other = make().twin;
    other.importState(doc);
    expect(Object.values(other.state.items).map((i) => i.name)).toContain('kept');
    expect(() => other.importState({ ...doc, twin: 'okta' })).toThrow(/for the okta twin/);
    expect(() => other.importState({ hello: 1 })).toThrow(/not a twinverse state export/);
  });

  test('two instances share nothing', async () => {
    const a = make();
    const b = make();
    await a.call('POST', '/items', { body: '{"name":"only-in-a"}', headers: { 'content-type': 'application/json' } });
    expect(Object.values(b.twin.state.items).map((i) => i.name)).not.toContain('only-in-a');
  });

  test('the journal records each request with its operation and status', async () => {
    const { call, twin } = make();
    await call('GET', '/items?limit=1');
    await call('GET', '/nope');
    expect(twin.requests.map((r) => [r.method, r.path, r.query, r.operationId, r.status])).toEqual([
      ['GET', '/api/items', '?limit=1', 'listItems', 200],
      ['GET', '/api/nope', '', null, 404],
    ]);
  });
});

describe('persistence', () => {
  test('a write hands its changes (only them) to persist; an admin reset hands the whole state', async () => {
    const appended: { twin: string; paths: string[][] }[] = [];
    const replaced: string[] = [];
    const twin = createTwin(exampleTwin, {
      persist: {
        append: async (name, changes) => void appended.push({ twin: name, paths: changes.map((c) => c.path) }),
        replace: async (doc) => void replaced.push(Object.keys((doc.state as { items: object }).items).join()),
      },
    });
    const call = (method: string, path: string, body?: string) => twin.handle({ method, url: BASE + path, headers: { ...auth, 'content-type': 'application/json' }, body });
    await call('GET', '/items');
    expect(appended).toEqual([]);
    const created = JSON.parse((await call('POST', '/items', '{"name":"kept"}')).body!);
    expect(appended).toEqual([{ twin: 'example', paths: [['items', created.id]] }]);
    await twin.handle({ method: 'POST', url: 'https://example.test/__twin/reset', headers: {} });
    expect(replaced).toEqual(['it00000001']);
  });

  test('a write that cannot be saved is taken back and answered with the vendor\'s 503', async () => {
    const twin = createTwin(exampleTwin, { persist: { append: () => Promise.reject(new Error('disk full')), replace: async () => undefined } });
    const res = await twin.handle({ method: 'POST', url: BASE + '/items', headers: { ...auth, 'content-type': 'application/json' }, body: '{"name":"lost"}' });
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body!).problem).toBe('unavailable');
    expect(Object.keys(twin.state.items)).toEqual(['it00000001']);
  });
});

describe('admin API', () => {
  test('health, reset, state export/import and the journal are served under /__twin', async () => {
    const { call, twin } = make();
    const admin = (method: string, path: string, body?: string) => twin.handle({ method, url: `https://example.test${path}`, headers: {}, body });
    expect(JSON.parse((await admin('GET', '/__twin/health')).body!)).toEqual({ status: 'ok', twin: 'example' });
    await call('POST', '/items', { body: '{"name":"x"}', headers: { 'content-type': 'application/json' } });
    const exported = (await admin('GET', '/__twin/state')).body!;
    expect((await admin('POST', '/__twin/reset')).status).toBe(200);
    expect(Object.keys(twin.state.items)).toHaveLength(1);
    expect((await admin('PUT', '/__twin/state', exported)).status).toBe(200);
    expect(Object.keys(twin.state.items)).toHaveLength(2);
    expect((await admin('PUT', '/__twin/state', 'not json')).status).toBe(400);
    await call('GET', '/items');
    expect(JSON.parse((await admin('GET', '/__twin/requests')).body!).requests.length).toBeGreaterThan(0);
    expect((await admin('GET', '/__twin/other')).status).toBe(404);
  });
});

describe('where a twin finds its document', () => {
  test('a path relative to the working directory is refused at creation, naming the fix', () => {
    expect(() => createTwin({ ...exampleTwin, openapi: 'fixtures/engine/example.yaml' })).toThrow(
      "[twinverse] example twin: openapi \"fixtures/engine/example.yaml\" is a relative path; give new URL('./fixtures/engine/example.yaml', import.meta.url) or an absolute path",
    );
  });
});
