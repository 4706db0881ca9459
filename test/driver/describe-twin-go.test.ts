/**
 * describeTwin's go transport, on the stand-in binary (fixtures/twins/okta/go): named in TWINVERSE_TRANSPORTS, it
 * starts the binary through the driver, resets it before each test, reaches it through t.control and t.fetch, and
 * refuses what would read the in-process twin instead.
 */
import { expect, test } from 'vitest';
import { createOktaTwin } from '../../twins/index.js';
import { STAND_IN_ROOT, standInBinary } from './support.js';

// The transports are read when describe-twin.ts is first imported, in this file's own module graph; the run's own
// choice is put back for the files after this one.
const runTransports = process.env.TWINVERSE_TRANSPORTS;
process.env.TWINVERSE_TRANSPORTS = 'go';
const { describeTwin, TEST_CLOCK } = await import('../support/describe-twin.js');
if (runTransports === undefined) delete process.env.TWINVERSE_TRANSPORTS;
else process.env.TWINVERSE_TRANSPORTS = runTransports;

const binary = await standInBinary();

describeTwin(
  'the go transport',
  { create: () => createOktaTwin({ strict: true, clock: TEST_CLOCK }), mswBaseUrl: 'https://dev-123.okta.com', go: { sourceRoot: STAND_IN_ROOT, binary } },
  (t) => {
    test('serves the binary started with the fixed setup, and t.control reaches its admin API', async () => {
      expect(t.transport).toBe('go');
      expect(t.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const state = (await t.control.exportState()).state as unknown as { strict: boolean; clock: string };
      expect(state).toMatchObject({ strict: true, clock: TEST_CLOCK });
      await t.fetch('/api/v1/users');
      expect((await t.control.requests).map((r) => r.path)).toEqual(['/api/v1/users']);
      await t.control.use({ name: 'latency', options: { ms: 1 } });
    });

    test('each test starts from a reset: no requests, no plugins left from the last test', async () => {
      expect(await t.control.requests).toEqual([]);
      expect(await t.control.plugins).toEqual([]);
    });

    test("the in-process twin's state is refused with the way to the Go twin; its declaration answers", () => {
      expect(t.twin.name).toBe('okta');
      expect(() => t.twin.state).toThrow(/t\.twin\.state is the in-process twin's.*t\.control/);
    });
  },
);
