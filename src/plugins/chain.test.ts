import { describe, expect, test } from 'vitest';
import { exampleTwin } from '../../test/support/example-twin.js';
import { EngineError } from '../engine/engine-error.js';
import { createTwin } from '../twin.js';
import { expireCredentials } from './expire-credentials.js';
import { fault } from './fault.js';
import { latency } from './latency.js';
import type { Plugin } from './plugin.js';

const auth = { authorization: 'Bearer good' };
const get = (twin: ReturnType<typeof createTwin>, path: string) => twin.handle({ method: 'GET', url: `https://example.test/api${path}`, headers: auth });

/** A plugin that writes its name into a header on the way out and into a log on the way in. */
const tagger = (name: string, log: string[], extra: Partial<Plugin> = {}): Plugin => ({
  name,
  before: () => void log.push(`before ${name}`),
  after: (_ctx, response) => {
    log.push(`after ${name}`);
    response.headers['x-order'] = [...[response.headers['x-order'] ?? []].flat(), name];
  },
  ...extra,
});

describe('the plugin chain', () => {
  test('runtime plugins run first, then those given at creation; after phases unwind in reverse', async () => {
    const log: string[] = [];
    const twin = createTwin(exampleTwin, { plugins: [tagger('given', log)] });
    twin.use(tagger('first', log), tagger('second', log));
    const res = await get(twin, '/items/it00000001');
    expect(log).toEqual(['before first', 'before second', 'before given', 'after given', 'after second', 'after first']);
    expect(res.headers['x-order']).toEqual(['given', 'second', 'first']);
    expect(twin.plugins.map((p) => [p.id, p.name, p.origin])).toEqual([
      ['p2', 'first', 'runtime'],
      ['p3', 'second', 'runtime'],
      ['p1', 'given', 'options'],
    ]);
  });

  test('a before phase may answer instead of the handler; the answer is checked in strict mode like a handler result', async () => {
    const twin = createTwin(exampleTwin, { strict: true });
    const drifts: unknown[] = [];
    twin.events.on('drift', (e) => drifts.push(e));
    twin.use({ name: 'canned', operationId: 'getItem', before: () => ({ body: { id: 'canned', name: 'from a plugin' } }) });
    expect(JSON.parse((await get(twin, '/items/it00000001')).body!)).toEqual({ id: 'canned', name: 'from a plugin' });
    twin.resetPlugins();
    twin.use({ name: 'bad-canned', operationId: 'getItem', before: () => ({ body: { id: 42 } }) });
    expect((await get(twin, '/items/it00000001')).status).toBe(500);
    expect(drifts).toHaveLength(1);
  });

  test('targets: operationId, method, path template (any parameter names) and a predicate must all match', async () => {
    const log: string[] = [];
    const twin = createTwin(exampleTwin);
    twin.use(
      tagger('by-op', log, { operationId: 'listItems' }),
      tagger('by-path', log, { path: '/items/{id}', method: 'GET' }),
      tagger('by-when', log, { when: (ctx) => ctx.url.searchParams.get('limit') === '1' }),
    );
    await get(twin, '/items?limit=1');
    await get(twin, '/items/it00000001');
    expect(log.filter((l) => l.startsWith('before'))).toEqual(['before by-op', 'before by-when', 'before by-path']);
  });

  test('use() overrides go away with resetPlugins(); those given at creation stay', async () => {
    const twin = createTwin(exampleTwin, { plugins: [fault({ fault: 503, operationId: 'listItems' })] });
    twin.use(fault({ fault: 500, operationId: 'getItem' }));
    expect((await get(twin, '/items/it00000001')).status).toBe(500);
    twin.resetPlugins();
    expect((await get(twin, '/items/it00000001')).status).toBe(200);
    expect((await get(twin, '/items')).status).toBe(503);
    expect(twin.plugins.map((p) => p.origin)).toEqual(['options']);
  });

  test('a reset keeps plugins added with use() but forgets what they counted; reset({ plugins: true }) removes them', async () => {
    const twin = createTwin(exampleTwin);
    twin.use(fault({ fault: 503, nth: 2 }));
    expect((await get(twin, '/items')).status).toBe(200);
    twin.reset();
    expect((await get(twin, '/items')).status).toBe(200);
    expect((await get(twin, '/items')).status).toBe(503);
    twin.reset({ plugins: true });
    expect(twin.plugins).toEqual([]);
    expect((await get(twin, '/items')).status).toBe(200);
    expect((await get(twin, '/items')).status).toBe(200);
  });

  test('plugins sharing a key replace each other: the one installed last is in force, until it is removed', async () => {
    const log: string[] = [];
    const twin = createTwin(exampleTwin, { plugins: [tagger('base', log, { key: 'k' })] });
    const [override] = twin.use(tagger('override', log, { key: 'k' }));
    await get(twin, '/items');
    expect(log).toEqual(['before override', 'after override']);
    expect(twin.plugins.map((p) => [p.name, p.inForce])).toEqual([
      ['override', true],
      ['base', false],
    ]);
    expect(twin.removePlugin(override.id)).toBe(true);
    log.length = 0;
    await get(twin, '/items');
    expect(log).toEqual(['before base', 'after base']);
  });

  test('an on-error phase may answer for a thrown error', async () => {
    const twin = createTwin(exampleTwin);
    twin.use({ name: 'soften', onError: (_ctx, error) => (error instanceof EngineError && error.kind === 'route_not_found' ? { status: 200, body: { softened: true } } : undefined) });
    expect(JSON.parse((await get(twin, '/nowhere')).body!)).toEqual({ softened: true });
    expect((await get(twin, '/items/itZZZZZZZZ')).status).toBe(404);
  });

  test('the journal records which plugin acted on a request and how', async () => {
    const twin = createTwin(exampleTwin);
    const [installed] = twin.use(fault({ fault: 503, nth: 2 }));
    await get(twin, '/items');
    await get(twin, '/items');
    expect(twin.requests.map((r) => r.plugins)).toEqual([undefined, [{ id: installed.id, name: 'fault', action: 'answered 503: call 2 (nth=2)' }]]);
  });

  test('the same random seed gives the same run; another seed another', async () => {
    const run = async (randomSeed: number) => {
      const twin = createTwin(exampleTwin, { randomSeed, plugins: [fault({ fault: 503, probability: 0.5 })] });
      const statuses: number[] = [];
      for (let i = 0; i < 32; i++) statuses.push((await get(twin, '/items')).status);
      return statuses.join(',');
    };
    expect(await run(7)).toBe(await run(7));
    expect(await run(7)).not.toBe(await run(8));
    expect((await run(7)).split(',').filter((s) => s === '503').length).toBeGreaterThan(4);
  });

  test('a plugin that is not an object with a name fails fast, naming the shape', () => {
    const twin = createTwin(exampleTwin);
    expect(() => twin.use({} as Plugin)).toThrow(/\[twinverse\] a plugin is an object with a name/);
  });
});

describe('latency draws', () => {
  test('a uniform delay stays within its bounds, on the twin clock', async () => {
    const twin = createTwin(exampleTwin, { clock: '2026-01-01T00:00:00.000Z', plugins: [latency({ min: 100, max: 200 })] });
    for (let i = 0; i < 10; i++) {
      const answer = get(twin, '/items');
      while (twin.clock.pending() === 0) await new Promise((resolve) => setImmediate(resolve));
      twin.clock.advance(200);
      expect((await answer).status).toBe(200);
    }
    const delays = twin.requests.map((r) => Number(/delayed (\d+) ms/.exec(r.plugins![0].action)![1]));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...delays)).toBeLessThanOrEqual(200);
    expect(new Set(delays).size).toBeGreaterThan(1);
  });

  test('options that give no distribution fail fast, naming the three forms', async () => {
    expect(() => latency({ min: 5 })).toThrow(/\[twinverse\] latency: give \{ ms \}/);
  });
});

test("expire-credentials reads `at` as the Go twin does: an ISO-8601 instant with its zone", () => {
  // Date.parse would read a date-time without its zone in the host's time zone.
  expect(() => expireCredentials({ at: '2026-01-01T00:10:00' })).toThrow('[twinverse] expire-credentials: at "2026-01-01T00:10:00" is not an ISO-8601 instant');
  expect(() => expireCredentials({ at: '2026-02-30T00:00:00Z' })).toThrow(/is not an ISO-8601 instant/);
  expect(expireCredentials({ at: '2026-01-01T00:10:00+01:00' }).name).toBe('expire-credentials');
});
