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

describe('request bodies over the limit', () => {
  /** Sends headers and the first bytes of a body, and resolves with the answer without ever sending the rest. */
  function partialUpload(url: string, headers: Record<string, string>, first: string): Promise<{ status: number; connection?: string; text: string }> {
    const { port } = new URL(url);
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/items', headers: { ...auth, 'content-type': 'application/json', ...headers } }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode!, connection: res.headers.connection, text });
          req.destroy();
        });
      });
      req.on('error', reject);
      req.write(first);
    });
  }

  test('a declared length over the limit is refused with 413 before the body is sent, and the connection closes', async () => {
    const twin = createTwin(exampleTwin, { strict: true, bodyLimit: 1024 });
    const server = await listen(twin, 0);
    try {
      const res = await partialUpload(server.url, { 'content-length': String(512 * 1024 * 1024) }, '{"name":"');
      expect([res.status, JSON.parse(res.text).problem, res.connection]).toEqual([413, 'payload_too_large', 'close']);
      expect(Object.keys(twin.state.items)).toEqual(['it00000001']);
      expect(twin.requests.map((r) => r.status)).toEqual([413]);
    } finally {
      await server.close();
    }
  });

  test('a streamed body is refused as soon as it passes the limit, without waiting for its end', async () => {
    const twin = createTwin(exampleTwin, { strict: true, bodyLimit: 1024 });
    const server = await listen(twin, 0);
    try {
      const res = await partialUpload(server.url, { 'transfer-encoding': 'chunked' }, '{"name":"' + 'x'.repeat(4096));
      expect([res.status, JSON.parse(res.text).problem]).toEqual([413, 'payload_too_large']);
      const ok = await fetch(`${server.url}/api/items`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(900) }) });
      expect(ok.status).toBe(201);
    } finally {
      await server.close();
    }
  });

  test('MSW reads no further than the limit either', async () => {
    const twin = createTwin(exampleTwin, { strict: true, bodyLimit: 1024 });
    const server = setupServer(...createMswHandlers(twin, 'https://example.test'));
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const res = await fetch('https://example.test/api/items', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(5000) }) });
      expect([res.status, ((await res.json()) as { problem: string }).problem]).toEqual([413, 'payload_too_large']);
    } finally {
      server.close();
    }
  });
});

describe('the admin API over HTTP, against pages in a browser', () => {
  function rawAdmin(url: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<number> {
    const { port } = new URL(url);
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  test('a Host that is not one of the twin\'s names (DNS rebinding) is refused; loopback names and the local address are served', async () => {
    const twin = createTwin(exampleTwin);
    const server = await listen(twin, 0);
    const { port } = new URL(server.url);
    try {
      expect(await rawAdmin(server.url, 'GET', '/__twin/state', { host: `attacker.example:${port}` })).toBe(403);
      expect(await rawAdmin(server.url, 'GET', '/__twin/state', { host: `localhost:${port}` })).toBe(200);
      expect(await rawAdmin(server.url, 'GET', '/__twin/state', { host: `127.0.0.1:${port}` })).toBe(200);
      expect(await rawAdmin(server.url, 'GET', '/api/items', { host: `attacker.example:${port}`, ...auth })).toBe(200);
    } finally {
      await server.close();
    }
  });

  test('a cross-site form cannot reset or replace the state: a foreign Origin and a non-JSON body are refused, and nothing changes', async () => {
    const twin = createTwin(exampleTwin);
    const server = await listen(twin, 0);
    const { host } = new URL(server.url);
    try {
      await fetch(`${server.url}/api/items`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'kept' }) });
      const exported = JSON.stringify(twin.exportState());
      expect(await rawAdmin(server.url, 'POST', '/__twin/reset', { host, origin: 'https://attacker.example' })).toBe(403);
      expect(await rawAdmin(server.url, 'POST', '/__twin/reset', { host, 'content-type': 'application/x-www-form-urlencoded' }, 'a=1')).toBe(415);
      expect(await rawAdmin(server.url, 'PUT', '/__twin/state', { host, 'content-type': 'text/plain' }, exported)).toBe(415);
      expect(JSON.stringify(twin.exportState())).toBe(exported);
      expect(await rawAdmin(server.url, 'POST', '/__twin/reset', { host, origin: `http://${host}` })).toBe(200);
    } finally {
      await server.close();
    }
  });

  test('with an admin token, nothing of the admin API is served without it', async () => {
    const twin = createTwin(exampleTwin, { adminToken: 'admin-secret-1' });
    const server = await listen(twin, 0);
    try {
      expect((await fetch(`${server.url}/__twin/health`)).status).toBe(401);
      expect((await fetch(`${server.url}/__twin/health`, { headers: { authorization: 'Bearer admin-secret-1' } })).status).toBe(200);
      expect((await twin.handle({ method: 'POST', url: 'https://example.test/__twin/reset', headers: {} })).status).toBe(401);
    } finally {
      await server.close();
    }
  });
});
