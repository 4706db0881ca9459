import okta from '@okta/okta-sdk-nodejs';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createReplayHandlers, formatReport, oktaTwin, readHar, verifyRecording } from 'twinverse';

// A session recorded against a real org (here: written from Okta's documented examples), secrets redacted.
const har = await readHar('fixtures/okta-session.har');
const server = setupServer(...createReplayHandlers(har));

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

test('the recording answers the SDK offline, as the org did', async () => {
  const client = new okta.Client({ orgUrl: 'https://dev-123.okta.com', token: 'any-token', cacheMiddleware: null });
  const user = await client.userApi.getUser({ userId: '00ub0oNGTSWTBKOLGLNR' });
  expect(user.profile?.login).toBe('isaac.brock@example.com');
});

test('the twin answers that session as the org did, ids and times compared by form', async () => {
  const report = await verifyRecording(oktaTwin, har);
  console.log(formatReport(report));
  expect(report.score).toBeGreaterThan(95);
});
