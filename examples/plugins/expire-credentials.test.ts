import okta from '@okta/okta-sdk-nodejs';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOktaTwin, expireCredentials } from 'twinverse';

const twin = createOktaTwin({ plugins: [expireCredentials({ credential: 'twin-okta-token', afterCalls: 1 })] });
const server = setupServer(...twin.mswHandlers('https://dev-123.okta.com'));
const client = new okta.Client({ orgUrl: 'https://dev-123.okta.com', token: 'twin-okta-token' });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

test('the token works once, then gets 401 E0000011', async () => {
  await client.userApi.getUser({ userId: 'me' });
  await expect(client.userApi.getUser({ userId: 'me' })).rejects.toMatchObject({ status: 401, errorCode: 'E0000011' });
});
