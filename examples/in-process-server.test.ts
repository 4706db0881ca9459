import okta from '@okta/okta-sdk-nodejs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOktaTwin } from 'twinverse';

const twin = createOktaTwin();
let server: { url: string; close(): Promise<void> };
let client: okta.Client;

beforeAll(async () => {
  server = await twin.listen(0); // port 0: a free port on 127.0.0.1
  client = new okta.Client({ orgUrl: server.url, token: 'twin-okta-token' });
});
afterAll(() => server.close());

test('the API token belongs to the seeded admin', async () => {
  const me = await client.userApi.getUser({ userId: 'me' });
  expect(me.profile?.login).toBe('admin@twin.test');

  const journal = await (await fetch(`${server.url}/__twin/requests`)).json();
  expect(journal.requests.at(-1)).toMatchObject({ method: 'GET', path: '/api/v1/users/me', status: 200 });
});
