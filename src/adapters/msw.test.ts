import { HttpHandler } from 'msw';
import mswPackage from 'msw/package.json' with { type: 'json' };
import { setupServer } from 'msw/node';
import https from 'node:https';
import { expect, test } from 'vitest';
import { createTwinRuntime } from '../engine/twin-runtime.js';
import { exampleTwin } from '../../test/support/example-twin.js';
import { createMswHandlers, mswProblem } from './msw.js';

const auth = { authorization: 'Bearer good' };

/** A GET through node:https, the module the official SDKs use (through node-fetch), unlike global fetch. */
function httpsStatus(url: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    // https.request looked up at call time: msw patches the module object, not a binding taken earlier.
    https.request(url, { headers: auth }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    })
      .on('error', reject)
      .end();
  });
}

test("the handlers are built with the suite's own msw, and server.close() after requests does not throw", async () => {
  // vitest.node22.config.ts sets this: there the suite must be running msw 3, not the project's msw 2.
  const expectedMajor = process.env.TWINVERSE_EXPECTED_MSW_MAJOR;
  console.log(`msw ${mswPackage.version} on Node ${process.versions.node}`);
  if (expectedMajor) expect(mswPackage.version.split('.')[0]).toBe(expectedMajor);
  const twin = createTwinRuntime(exampleTwin, { strict: true });
  const handlers = createMswHandlers(twin, 'https://example.test');
  // An instance of the suite's own class; handlers from another copy of msw break its server.close().
  expect(handlers.every((handler) => handler instanceof HttpHandler)).toBe(true);
  const server = setupServer(...handlers);
  server.listen({ onUnhandledRequest: 'error' });
  expect((await fetch('https://example.test/api/items/it00000001', { headers: auth })).status).toBe(200);
  expect(await httpsStatus('https://example.test/api/items/it00000001')).toBe(200);
  expect(() => server.close()).not.toThrow();
});

test('an answer carries its Content-Length, without which msw 3 keeps each node:http socket alive', async () => {
  const twin = createTwinRuntime(exampleTwin, { strict: true });
  const server = setupServer(...createMswHandlers(twin, 'https://example.test'));
  server.listen({ onUnhandledRequest: 'error' });
  try {
    const res = await fetch('https://example.test/api/items/it00000001', { headers: auth });
    const body = await res.arrayBuffer();
    expect(res.headers.get('content-length')).toBe(String(body.byteLength));
  } finally {
    server.close();
  }
});

test('without msw the error names the supported versions and the install command, on one line', () => {
  const notFound = Object.assign(new Error("Cannot find package 'msw' imported from /app/node_modules/twinverse/dist/src/adapters/msw.js"), { code: 'ERR_MODULE_NOT_FOUND' });
  const message = mswProblem({ error: notFound }, '22.12.0');
  expect(message).toBe('[twinverse] MSW handlers need msw 2 (Node 20+) or msw 3 (Node 22.12+) in your project, and msw is not installed; fix: npm i -D msw (on Node older than 22.12: npm i -D msw@2)');
});

test('an msw of another major, msw 3 on Node 20, or an msw that fails to load is refused by name', () => {
  const msw = {} as never;
  expect(mswProblem({ msw, version: '1.3.5' }, '20.20.2')).toMatch(/^\[twinverse\] MSW handlers need msw 2 \(Node 20\+\) or msw 3 \(Node 22\.12\+\).*msw 1\.3\.5 is installed; fix: npm i -D msw /);
  expect(mswProblem({ msw }, '22.12.0')).toMatch(/an msw of unknown version is installed; fix: npm i -D msw/);
  expect(mswProblem({ msw, version: '3.0.5' }, '22.11.0')).toMatch(/msw 3\.0\.5 is installed on Node 22\.11\.0; fix: npm i -D msw@2, or run Node 22\.12\+$/);
  expect(mswProblem({ error: new SyntaxError('Unexpected token') }, '20.20.2')).toMatch(/^\[twinverse\] .*importing msw failed on Node 20\.20\.2 \(Unexpected token\); fix: npm i -D msw/);
  expect(mswProblem({ msw, version: '2.15.0' }, '20.0.0')).toBeUndefined();
  expect(mswProblem({ msw, version: '3.0.5' }, '22.12.0')).toBeUndefined();
  expect(mswProblem({ msw, version: '3.0.5' }, '24.1.0')).toBeUndefined();
});
