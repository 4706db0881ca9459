import okta from '@okta/okta-sdk-nodejs';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { createOktaTwin } from 'twinverse';

const twin = createOktaTwin();
const server = setupServer(...twin.mswHandlers('https://dev-123.okta.com'));
const client = new okta.Client({ orgUrl: 'https://dev-123.okta.com', token: 'twin-okta-token' });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => twin.reset());
afterAll(() => server.close());

test('a user created through the SDK is listed next', async () => {
  const user = await client.userApi.createUser({
    body: { profile: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', login: 'ada@example.com' } },
    activate: false,
  });
  expect(user.status).toBe('STAGED');

  const logins: (string | undefined)[] = [];
  for await (const u of await client.userApi.listUsers()) logins.push(u?.profile?.login);
  expect(logins).toEqual(['admin@twin.test', 'ada@example.com']);
});
