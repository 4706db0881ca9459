/**
 * What every twin in the catalog must show, in its own vendor's envelope, over node:http, express and MSW: the
 * engine's refusals, no stack trace on the wire, the admin API, a fast reset, strict mode, and a rate-limit plugin
 * answering with the twin's 429. A new twin is covered by adding it to the catalog (twins/index.ts) with its probes.
 */
import { expect, test } from 'vitest';
import { createTwin, EngineError, rateLimit, twinCatalog, type EngineErrorKind, type RequestContext, type Twin, type TwinDefinition } from '../../twins/index.js';
import { describeTwin, TEST_CLOCK, type TwinTarget } from '../support/describe-twin.js';

/** What the twin's own renderError makes of an engine refusal: its status and the top-level fields of its body. */
function rendering(definition: TwinDefinition<any, any>, twin: Twin<any>, kind: EngineErrorKind, path: string): { status: number; fields: string[] } {
  const url = new URL(`https://twin.test${path}`);
  const ctx: RequestContext<any> = {
    request: { method: 'GET', url: url.href, headers: {} },
    url,
    baseUrl: url.origin,
    headers: {},
    state: twin.state,
    ids: { token: (n: number) => 'x'.repeat(n), sequence: () => 1, save: () => ({ rng: 0, seq: {} }), advanceTo: () => undefined },
    clock: twin.clock,
    memo: (_key, build) => build(),
    params: {},
    query: {},
    body: undefined,
  };
  const result = definition.renderError(new EngineError(kind, 'probe'), ctx);
  const body = result.body;
  return { status: result.status ?? 200, fields: body && typeof body === 'object' ? Object.keys(body).sort() : [] };
}

/** The status and top-level fields of a response, read once; its text is checked for stack traces. */
async function shapeOf(res: Response): Promise<{ status: number; fields: string[]; text: string }> {
  const text = await res.text();
  expect(text).not.toMatch(/\n\s+at\s|\bat [\w.<>]+ \(|node:internal|TypeError|ReferenceError/);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, fields: body && typeof body === 'object' ? Object.keys(body).sort() : [], text };
}

for (const definition of Object.values(twinCatalog)) {
  const probes = definition.probes;
  test(`${definition.name} declares the probes the conformance suite sends`, () => {
    expect(probes, `declare probes in the ${definition.name} twin's defineTwin({...})`).toBeDefined();
  });
  if (!probes) continue;

  describeTwin(
    `conformance: ${definition.name}`,
    { create: () => createTwin(definition, { strict: true, clock: TEST_CLOCK, bodyLimit: 64 * 1024 }), mswBaseUrl: `https://${definition.name}.twin.test`, defaultHeaders: probes.headers },
    (t: TwinTarget<unknown>) => {
      const expectRefusal = async (res: Response, kind: EngineErrorKind, names: string[] = []) => {
        const got = await shapeOf(res);
        const want = rendering(definition, t.twin, kind, new URL(res.url || 'https://x/').pathname);
        expect({ status: got.status, fields: got.fields }).toEqual(want);
        for (const name of names) expect(got.text).toContain(name);
      };
      const write = (body: string, contentType = 'application/json') =>
        t.fetch(probes.write.path, { method: probes.write.method, headers: { 'content-type': contentType }, body });

      test('the probe read is served', async () => {
        expect((await shapeOf(await t.fetch(probes.read))).status).toBe(200);
      });

      test("an unknown path gets the vendor's not-found, naming the path", async () => {
        await expectRefusal(await t.fetch(`${probes.read}/no/such/thing`), 'route_not_found', ['/no/such/thing']);
      });

      test("a wrong method gets the vendor's refusal, naming the method; a 405 says which methods are allowed", async () => {
        const res = await t.fetch(probes.read, { method: 'PATCH' });
        if (res.status === 405) expect(res.headers.get('allow')).toMatch(/\bGET\b.*\bHEAD\b|\bHEAD\b.*\bGET\b/);
        await expectRefusal(res, 'method_not_allowed', ['PATCH']);
      });

      test('HEAD is answered wherever GET is, with the GET\'s status and length and no body', async () => {
        const get = await t.fetch(probes.read);
        const getLength = Buffer.byteLength(await get.text());
        const head = await t.fetch(probes.read, { method: 'HEAD' });
        expect(head.status).toBe(get.status);
        expect(head.headers.get('content-length')).toBe(String(getLength));
        expect(await head.text()).toBe('');
      });

      test("malformed JSON gets the vendor's 400", async () => {
        await expectRefusal(await write('{"broken":'), 'malformed_body');
      });

      test('a content type the operation does not take is refused in the vendor envelope', async () => {
        await expectRefusal(await write('<xml/>', 'application/xml'), 'unsupported_media_type');
      });

      test("a body over the twin's limit gets the vendor's 413, unread, and changes nothing", async () => {
        const before = JSON.stringify(t.twin.exportState().state);
        await expectRefusal(await write(JSON.stringify({ padding: 'x'.repeat(80 * 1024) })), 'payload_too_large');
        expect(JSON.stringify(t.twin.exportState().state)).toBe(before);
      });

      test("JSON nested too deep gets the vendor's malformed-body refusal and changes nothing", async () => {
        const before = JSON.stringify(t.twin.exportState().state);
        await expectRefusal(await write('['.repeat(500) + ']'.repeat(500)), 'malformed_body');
        expect(JSON.stringify(t.twin.exportState().state)).toBe(before);
      });

      test("a schema violation gets the vendor's 400, and the valid body is accepted", async () => {
        await expectRefusal(await write(JSON.stringify(probes.write.invalid)), 'invalid_request');
        expect((await shapeOf(await write(JSON.stringify(probes.write.body)))).status).toBeLessThan(300);
      });

      test('admin API: health, reset, journal', async () => {
        expect(await (await t.fetch('/__twin/health')).json()).toEqual({ status: 'ok', twin: definition.name });
        await write(JSON.stringify(probes.write.body));
        const journal = (await (await t.fetch('/__twin/requests')).json()) as { requests: { method: string; status: number }[] };
        expect(journal.requests.map((r) => r.method)).toEqual(['POST']);
        const before = JSON.stringify(t.twin.exportState().state);
        expect((await t.fetch('/__twin/reset', { method: 'POST' })).status).toBe(200);
        expect(JSON.stringify(t.twin.exportState().state)).not.toBe(before);
        expect(t.twin.requests).toEqual([]);
      });

      test('admin API: a state export imports back whole', async () => {
        await write(JSON.stringify(probes.write.body));
        const exported = await (await t.fetch('/__twin/state')).text();
        await t.fetch('/__twin/reset', { method: 'POST' });
        const put = await t.fetch('/__twin/state', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: exported });
        expect(put.status).toBe(200);
        expect(JSON.stringify(t.twin.exportState())).toBe(exported);
      });

      test('admin API: a state that does not have the twin\'s shape is refused whole', async () => {
        const before = JSON.stringify(t.twin.exportState());
        const put = await t.fetch('/__twin/state', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ twinverse: 1, twin: definition.name, state: {} }) });
        expect(put.status).toBe(400);
        expect(((await put.json()) as { error: string }).error).toMatch(/shape/);
        expect(JSON.stringify(t.twin.exportState())).toBe(before);
        expect((await t.fetch(probes.read)).status).toBe(200);
      });

      test('admin API: plugins are added, listed and removed', async () => {
        const added = await t.fetch('/__twin/plugins', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'fault', options: { fault: 503, nth: 1 } }) });
        expect(added.status).toBe(201);
        const [plugin] = ((await added.json()) as { plugins: { id: string; name: string }[] }).plugins;
        expect(plugin.name).toBe('fault');
        await expectRefusal(await t.fetch(probes.read), 'unavailable');
        expect(t.twin.requests.at(-1)?.plugins?.[0]).toMatchObject({ id: plugin.id, name: 'fault' });
        const listed = (await (await t.fetch('/__twin/plugins')).json()) as { plugins: { id: string }[] };
        expect(listed.plugins.map((p) => p.id)).toContain(plugin.id);
        expect((await t.fetch(`/__twin/plugins/${plugin.id}`, { method: 'DELETE' })).status).toBe(204);
        expect((await t.fetch(`/__twin/plugins/${plugin.id}`, { method: 'DELETE' })).status).toBe(404);
        const bad = await t.fetch('/__twin/plugins', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'no-such-plugin' }) });
        expect(bad.status).toBe(400);
        expect((await bad.json()).error).toContain('no-such-plugin');
      });

      test('POST /__twin/reset keeps plugins added at runtime (and forgets their counts); ?plugins=true removes them', async () => {
        const post = (path: string, body?: unknown) => t.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
        await post('/__twin/plugins', { name: 'fault', options: { fault: 503, nth: 2 } });
        expect((await shapeOf(await t.fetch(probes.read))).status).toBe(200);
        expect(await (await post('/__twin/reset')).json()).toEqual({ status: 'reset', twin: definition.name, plugins: 'kept' });
        expect((await shapeOf(await t.fetch(probes.read))).status).toBe(200);
        await expectRefusal(await t.fetch(probes.read), 'unavailable');
        expect(await (await post('/__twin/reset?plugins=true')).json()).toEqual({ status: 'reset', twin: definition.name, plugins: 'removed' });
        expect(t.twin.plugins.filter((p) => p.origin === 'runtime')).toEqual([]);
        expect((await shapeOf(await t.fetch(probes.read))).status).toBe(200);
        expect((await shapeOf(await t.fetch(probes.read))).status).toBe(200);
      });

      test('a reset takes well under a millisecond (median of 101)', () => {
        const times: number[] = [];
        for (let i = 0; i < 101; i++) {
          const start = process.hrtime.bigint();
          t.twin.reset();
          times.push(Number(process.hrtime.bigint() - start) / 1e6);
        }
        expect(times.sort((a, b) => a - b)[50]).toBeLessThan(1);
      });

      test('strict mode reports a drift: an answer that does not match the document is the vendor 500 and a drift event', async () => {
        const readPath = new URL(`https://x${probes.read}`).pathname;
        t.twin.use({ name: 'drifting', when: (ctx) => ctx.url.pathname === readPath, before: () => ({ status: 200, body: 12345 }) });
        await expectRefusal(await t.fetch(probes.read), 'response_drift');
        expect(t.takeEvents().map((e) => e.type)).toEqual(['drift']);
      });

      test("a rate-limit plugin answers with the twin's own 429", async () => {
        t.twin.use(rateLimit({ limit: 1 }));
        expect((await shapeOf(await t.fetch(probes.read))).status).toBe(200);
        await expectRefusal(await t.fetch(probes.read), 'rate_limited');
      });
    },
  );
}
