import express from 'express';
import { request as httpRequest } from 'node:http';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTwin } from '../twin.js';
import { exampleTwin } from '../../test/support/example-twin.js';
import { createExpressApp } from './express.js';
import { createMswHandlers } from './msw.js';
import { listen } from './node-http.js';

const auth = { authorization: 'Bearer good' };

describe('node:http adapter', () => {
  test('listen(0) picks a free port on 127.0.0.1 and close() frees it', async () => {
    const twin = createTwin(exampleTwin, { strict: true });
    const server = await listen(twin, 0);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/api/items/it00000001`, { headers: auth });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: 'it00000001' });
    await server.close();
    await expect(fetch(`${server.url}/api/items`, { headers: auth })).rejects.toThrow();
  });

  test('a POST body arrives whole and the created item is listed next', async () => {
    const twin = createTwin(exampleTwin, { strict: true });
    const server = await listen(twin, 0);
    const created = await fetch(`${server.url}/api/items`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(100_000) }) });
    expect(created.status).toBe(201);
    const list = (await (await fetch(`${server.url}/api/items`, { headers: auth })).json()) as { name: string }[];
    expect(list.map((i) => i.name.length)).toContain(100_000);
    await server.close();
  });
});

describe('express adapter', () => {
  test('the app serves the twin to supertest', async () => {
    const twin = createTwin(exampleTwin, { strict: true });
    const res = await request(createExpressApp(twin)).get('/api/items/it00000001').set(auth);
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('seeded');
  });

  test('mounted under a path, the twin sees its own paths and links carry the mount path', async () => {
    const twin = createTwin(exampleTwin, { strict: true });
    const outer = express();
    outer.use('/example', createExpressApp(twin));
    const res = await request(outer).post('/example/api/items').set(auth).send({ name: 'mounted' });
    expect(res.status).toBe(201);
    expect(twin.requests.at(-1)?.path).toBe('/api/items');
  });
});

describe('express adapter behind a body parser', () => {
  test('a twin mounted after express.json() still gets the body (encoded back) instead of hanging', async () => {
    const twin = createTwin(exampleTwin, { strict: true });
    const outer = express();
    outer.use(express.json());
    outer.use('/example', createExpressApp(twin));
    const res = await request(outer).post('/example/api/items').set(auth).send({ name: 'parsed first' });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('parsed first');
  });
});

describe('MSW adapter with a base path', () => {
  const twin = createTwin(exampleTwin, { strict: true });
  const server = setupServer(...createMswHandlers(twin, 'https://gateway.example.test/tenant-1'));
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  test('the twin sees its own paths under the mount, admin API included', async () => {
    expect((await fetch('https://gateway.example.test/tenant-1/api/items/it00000001', { headers: auth })).status).toBe(200);
    expect(await (await fetch('https://gateway.example.test/tenant-1/__twin/health')).json()).toEqual({ status: 'ok', twin: 'example' });
  });
});

describe('MSW adapter', () => {
  const twin = createTwin(exampleTwin, { strict: true });
  const server = setupServer(...createMswHandlers(twin, 'https://example.test'));
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  test('fetch to the base URL is answered in-process by the twin', async () => {
    const res = await fetch('https://example.test/api/items?limit=1', { headers: auth });
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveLength(1);
  });

  test('a client whose base URL ends in a slash (it asks for //api/...) is served too', async () => {
    const res = await fetch('https://example.test//api/items/it00000001', { headers: auth });
    expect(res.status).toBe(200);
  });

  test('a host that only starts like the base URL is not intercepted', async () => {
    await expect(fetch('https://example.test.other/api/items', { headers: auth })).rejects.toThrow();
  });

  test('errors keep their status and headers through MSW', async () => {
    const res = await fetch('https://example.test/api/items/itZZZZZZZZ', { headers: auth });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ problem: 'no item itZZZZZZZZ' });
  });

  test('a base URL that is not absolute fails fast, naming the fix', () => {
    expect(() => createMswHandlers(twin, 'dev-123.okta.com')).toThrow(/\[twinverse\].*absolute URL/);
  });
});

describe('node:http adapter: the Host header', () => {
  /** A raw request with a Host header of our choosing (fetch will not send a forged one). */
  function rawRequest(url: string, method: string, path: string, host: string, body?: string): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
    const { port } = new URL(url);
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { host, ...auth, ...(body ? { 'content-type': 'application/json' } : {}) } }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  test('a forged Host cannot route a request to the admin API; the request is served by its own path', async () => {
    const twin = createTwin(exampleTwin, { strict: true });
    const server = await listen(twin, 0);
    try {
      await fetch(`${server.url}/api/items`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'kept' }) });
      const res = await rawRequest(server.url, 'POST', '/api/items', 'x/__twin/reset?', JSON.stringify({ name: 'second' }));
      expect(res.status).toBe(201);
      expect(Object.values(twin.state.items).map((i) => i.name)).toEqual(['seeded', 'kept', 'second']);
      expect(twin.requests.map((r) => r.path)).toEqual(['/api/items', '/api/items']);
    } finally {
      await server.close();
    }
  });

  test('links use a valid Host; an invalid one gives way to the address the twin serves on', async () => {
    const twin = createTwin(exampleTwin);
    const server = await listen(twin, 0);
    const baseUrls: string[] = [];
    twin.use({ name: 'spy', after: (ctx) => void baseUrls.push(ctx.baseUrl) });
    try {
      await rawRequest(server.url, 'GET', '/api/items', 'twin.example:8443');
      await rawRequest(server.url, 'GET', '/api/items', 'evil"<script>');
      expect(baseUrls).toEqual(['http://twin.example:8443', server.url]);
    } finally {
      await server.close();
    }
  });
});

describe('HEAD and 405', () => {
  test('HEAD is answered wherever GET is: the same status and headers, no body', async () => {
    const twin = createTwin(exampleTwin, { strict: true });
    const server = await listen(twin, 0);
    try {
      const get = await fetch(`${server.url}/api/items/it00000001`, { headers: auth });
      const head = await fetch(`${server.url}/api/items/it00000001`, { method: 'HEAD', headers: auth });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe(String((await get.text()).length));
      expect(await head.text()).toBe('');
      expect(twin.requests.at(-1)).toMatchObject({ method: 'HEAD', operationId: 'getItem', status: 200 });
    } finally {
      await server.close();
    }
  });

  test('a 405 names the methods the path serves in Allow', async () => {
    const twin = createTwin(exampleTwin);
    const res = await twin.handle({ method: 'PATCH', url: 'https://example.test/api/items/it00000001', headers: auth });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, DELETE, HEAD');
  });
});
