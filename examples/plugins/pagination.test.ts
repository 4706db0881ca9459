import okta from '@okta/okta-sdk-nodejs';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOktaTwin, paginationQuirks } from 'twinverse';

// Pages of one user that still link to the next: a client that follows links gets everyone once.
const twin = createOktaTwin({ plugins: [paginationQuirks({ shortPage: 1, operationId: 'listUsers' })] });
const server = setupServer(...twin.mswHandlers('https://dev-123.okta.com'));
const client = new okta.Client({ orgUrl: 'https://dev-123.okta.com', token: 'twin-okta-token' });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

test('every user arrives once, one page at a time', async () => {
  for (const name of ['ada', 'grace']) {
    await client.userApi.createUser({ body: { profile: { firstName: name, lastName: 'Test', email: `${name}@example.com`, login: `${name}@example.com` } }, activate: false });
  }
  const logins: (string | undefined)[] = [];
  for await (const user of await client.userApi.listUsers({ limit: 10 })) logins.push(user?.profile?.login);
  expect(logins).toEqual(['admin@twin.test', 'ada@example.com', 'grace@example.com']);
  expect(twin.requests.filter((r) => r.operationId === 'listUsers')).toHaveLength(3);
});
