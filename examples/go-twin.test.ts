import okta from '@okta/okta-sdk-nodejs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { goTwin, type GoTwin } from 'twinverse';

let twin: GoTwin;

// The first run builds the binary from the package's Go sources (cached by their hash); later runs start it in ms.
beforeAll(async () => {
  twin = await goTwin('okta', { clock: '2026-01-01T00:00:00.000Z' });
}, 180_000);
afterAll(() => twin.close());

test('the official SDK against the Go twin: same answers as the TypeScript twin, over a real socket', async () => {
  const client = new okta.Client({ orgUrl: twin.url, token: 'twin-okta-token', cacheMiddleware: null });
  const user = await client.userApi.createUser({
    body: { profile: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', login: 'ada@example.com' } },
    activate: false,
  });
  expect(user.status).toBe('STAGED');
  expect((await client.userApi.getUser({ userId: 'ada@example.com' })).id).toBe(user.id);

  const journal = await twin.requests; // the control plane: each call is a request to the binary's admin API
  expect(journal.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 200', 'GET 200']);
  await twin.reset();
  await expect(client.userApi.getUser({ userId: 'ada@example.com' })).rejects.toMatchObject({ status: 404 });
});
