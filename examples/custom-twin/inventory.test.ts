import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { createTwin } from 'twinverse';
import { inventoryTwin } from './inventory-twin.js';

const twin = createTwin(inventoryTwin, { strict: true });
// The handlers answer the service's host; the document's server URL (…/v1) is the path prefix of every operation.
const server = setupServer(...twin.mswHandlers('https://inventory.internal'));
const headers = { authorization: 'Bearer inventory-token', 'content-type': 'application/json' };

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => twin.reset());
afterAll(() => server.close());

test('an item created is read back; a bad body gets the service’s own 400', async () => {
  const created = await fetch('https://inventory.internal/v1/items', { method: 'POST', headers, body: JSON.stringify({ sku: 'SKU-2', quantity: 5 }) });
  expect(created.status).toBe(201);
  expect(await (await fetch('https://inventory.internal/v1/items/SKU-2', { headers })).json()).toEqual({ sku: 'SKU-2', quantity: 5 });

  const bad = await fetch('https://inventory.internal/v1/items', { method: 'POST', headers, body: JSON.stringify({ quantity: -1 }) });
  expect(bad.status).toBe(400);
  expect((await bad.json()).error.code).toBe('invalid');
});
