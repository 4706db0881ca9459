import { describe, expect, test } from 'vitest';
import { exampleTwin } from '../../test/support/example-twin.js';
import { defineTwin } from '../define-twin.js';
import type { Plugin } from '../plugins/plugin.js';
import { createTwin } from '../twin.js';
import type { TwinEvent } from './pipeline.js';
import type { RequestContext, ResponseDraft } from './types.js';

const auth = { authorization: 'Bearer good' };

/** The example twin, counting how often its onResponse and renderError run and how often a plugin's after phase does. */
function counted() {
  const counts = { onResponse: 0, renderError: 0, after: 0 };
  const twin = createTwin(
    defineTwin({
      ...exampleTwin,
      onResponse: (response: ResponseDraft) => {
        counts.onResponse++;
        response.headers['x-seen'] = String(counts.onResponse);
      },
      renderError: (error: unknown, ctx: RequestContext<any>) => {
        counts.renderError++;
        return exampleTwin.renderError(error, ctx);
      },
    }),
    { strict: true },
  );
  const watcher: Plugin = { name: 'watcher', after: () => void counts.after++ };
  twin.use(watcher);
  const events: TwinEvent[] = [];
  twin.events.on('drift', (e: TwinEvent) => events.push(e));
  twin.events.on('failure', (e: TwinEvent) => events.push(e));
  const call = (method: string, path: string) => twin.handle({ method, url: `https://example.test/api${path}`, headers: auth });
  return { twin, counts, events, call };
}

describe('every response passes onResponse and the plugin chain exactly once', () => {
  test('a response that drifts from the document: rendered as a drift, then finished once', async () => {
    const { counts, events, call, twin } = counted();
    const res = await call('GET', '/drifting');
    expect(res.status).toBe(500);
    expect(res.headers['x-seen']).toBe('1');
    expect(counts).toEqual({ onResponse: 1, renderError: 1, after: 1 });
    expect(events.map((e) => e.type)).toEqual(['drift']);
    expect(twin.requests).toHaveLength(1);
  });

  test('an engine refusal (no route)', async () => {
    const { counts, call } = counted();
    expect((await call('GET', '/nothing')).status).toBe(404);
    expect(counts).toEqual({ onResponse: 1, renderError: 1, after: 1 });
  });

  test("a thrown TwinError (the twin's own 404)", async () => {
    const { counts, call } = counted();
    expect((await call('GET', '/items/itZZZZZZZZ')).status).toBe(404);
    expect(counts).toEqual({ onResponse: 1, renderError: 1, after: 1 });
  });

  test('an unexpected throw in a handler', async () => {
    const { counts, events, call } = counted();
    expect((await call('GET', '/boom')).status).toBe(500);
    expect(counts).toEqual({ onResponse: 1, renderError: 1, after: 1 });
    expect(events.map((e) => e.type)).toEqual(['failure']);
  });

  test('a success', async () => {
    const { counts, call } = counted();
    expect((await call('GET', '/items/it00000001')).status).toBe(200);
    expect(counts).toEqual({ onResponse: 1, renderError: 0, after: 1 });
  });
});

describe('the stages run in order', () => {
  test('authenticate runs before the plugins, and the plugins before validation', async () => {
    const seen: string[] = [];
    const twin = createTwin(exampleTwin, { strict: true });
    twin.use({ name: 'spy', before: (ctx) => void seen.push(`before ${String((ctx.auth as { caller: string }).caller)} query=${JSON.stringify(ctx.query)}`) });
    // limit=0 breaks the schema: the plugin still saw the request first, with its caller known and nothing validated yet.
    const res = await twin.handle({ method: 'GET', url: 'https://example.test/api/items?limit=0', headers: auth });
    expect(res.status).toBe(400);
    expect(seen).toEqual(['before tester query={}']);
  });

  test('bad credentials are refused before any plugin acts', async () => {
    const seen: string[] = [];
    const twin = createTwin(exampleTwin);
    twin.use({ name: 'spy', before: () => void seen.push('before') });
    const res = await twin.handle({ method: 'GET', url: 'https://example.test/api/items', headers: { authorization: 'Bearer bad' } });
    expect(res.status).toBe(401);
    expect(seen).toEqual([]);
  });
});
