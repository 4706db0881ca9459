import { afterAll, beforeAll, expect, test } from 'vitest';
import { setupServer } from 'msw/node';
import { createOktaTwin, latency } from 'twinverse';

// On a fixed clock, a slow answer arrives when the test moves the twin's clock: no real waiting.
const twin = createOktaTwin({ clock: '2026-01-01T00:00:00.000Z', plugins: [latency({ ms: 300 })] });
const server = setupServer(...twin.mswHandlers('https://dev-123.okta.com'));

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

test('the answer waits for 300 ms of the twin clock', async () => {
  const answer = fetch('https://dev-123.okta.com/api/v1/users/me', { headers: { authorization: 'SSWS twin-okta-token' } });
  while (twin.clock.pending() === 0) await new Promise((resolve) => setImmediate(resolve));
  twin.clock.advance(300);
  expect((await answer).status).toBe(200);
});
