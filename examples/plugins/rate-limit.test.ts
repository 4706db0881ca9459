import okta from '@okta/okta-sdk-nodejs';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOktaTwin, rateLimit } from 'twinverse';

// Two calls a minute per endpoint; the SDK's own retry is off, so the 429 reaches the test.
const twin = createOktaTwin({ plugins: [rateLimit({ limit: 2 })] });
const server = setupServer(...twin.mswHandlers('https://dev-123.okta.com'));
const client = new okta.Client({ orgUrl: 'https://dev-123.okta.com', token: 'twin-okta-token', requestExecutor: new okta.DefaultRequestExecutor({ maxRetries: 0, requestTimeout: 0 }) });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

test('the third call within the minute is refused with E0000047', async () => {
  await client.userApi.getUser({ userId: 'me' });
  await client.userApi.getUser({ userId: 'me' });
  await expect(client.userApi.getUser({ userId: 'me' })).rejects.toMatchObject({ status: 429, errorCode: 'E0000047' });
});
