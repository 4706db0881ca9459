import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { setupServer } from 'msw/node';
import { createOktaTwin, fault } from 'twinverse';

const twin = createOktaTwin();
const server = setupServer(...twin.mswHandlers('https://dev-123.okta.com'));
const listUsers = () => fetch('https://dev-123.okta.com/api/v1/users', { headers: { authorization: 'SSWS twin-okta-token' } });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => twin.resetPlugins());
afterAll(() => server.close());

test('the second listUsers answers 503; the journal says which plugin did it', async () => {
  twin.use(fault({ fault: 503, nth: 2, operationId: 'listUsers' }));
  expect((await listUsers()).status).toBe(200);
  expect((await listUsers()).status).toBe(503);
  expect(twin.requests.at(-1)?.plugins?.[0]).toMatchObject({ name: 'fault', action: 'answered 503: call 2 (nth=2)' });
});

test('a dropped connection is a network error', async () => {
  twin.use(fault({ fault: 'drop', nth: 1 }));
  await expect(listUsers()).rejects.toThrow();
});
