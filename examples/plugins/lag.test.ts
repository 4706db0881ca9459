import okta from '@okta/okta-sdk-nodejs';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOktaTwin, lag } from 'twinverse';

// Okta's user search is eventually consistent: a new user shows up in lists a little later.
const twin = createOktaTwin({ clock: '2026-01-01T00:00:00.000Z', plugins: [lag({ ms: 1500, operationId: 'listUsers' })] });
const server = setupServer(...twin.mswHandlers('https://dev-123.okta.com'));
const client = new okta.Client({ orgUrl: 'https://dev-123.okta.com', token: 'twin-okta-token' });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

test('a new user is listed once the lag has passed', async () => {
  const profile = { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', login: 'grace@example.com' };
  await client.userApi.createUser({ body: { profile }, activate: false });
  const logins = async () => {
    const found: (string | undefined)[] = [];
    for await (const user of await client.userApi.listUsers()) found.push(user?.profile?.login);
    return found;
  };
  expect(await logins()).not.toContain('grace@example.com');
  twin.clock.advance(1500);
  expect(await logins()).toContain('grace@example.com');
});
