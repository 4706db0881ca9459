/**
 * The language-neutral conformance suite: every case of test/conformance/cases/<service>/*.json runs against every
 * backend of that service: the TypeScript twin over node:http and through MSW, and the Go binary where the service has
 * one and it can run here (TWINVERSE_GO_BIN, or Go to build it). Each backend is in strict mode on the same fixed
 * clock; each case starts from the seed. A case that one backend fails is a bug in that backend. TWINVERSE_TRANSPORTS
 * (e.g. `http,msw`, or `go`) narrows the backends.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { goTwin, type GoTwin } from '../../src/driver/go-twin.js';
import { createTwin, twinCatalog, type Twin, type TwinEvent } from '../../twins/index.js';
import { loadService, runCase } from '../support/conformance-cases.js';
import { TEST_CLOCK } from '../support/describe-twin.js';
import { goTwinRunnable, namedTransports } from '../support/transports.js';

const BACKENDS = ['http', 'msw', 'go'] as const;
type Backend = (typeof BACKENDS)[number];

const casesDir = fileURLToPath(new URL('./cases/', import.meta.url));
const services = readdirSync(casesDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => loadService(`${casesDir}${e.name}`));

for (const service of services) {
  const definition = twinCatalog[service.service as keyof typeof twinCatalog];
  test(`${service.service}: the cases name a twin of the catalog`, () => {
    expect(definition, `test/conformance/cases/${service.service} is named after no twin in twins/index.ts`).toBeDefined();
  });
  if (!definition) continue;
  const hasGo = await goTwinRunnable(service.service);
  const backends = (namedTransports(BACKENDS) ?? BACKENDS).filter((b) => b !== 'go' || hasGo);

  describe.each(backends)(`conformance cases: ${service.service} [%s]`, (backend: Backend) => {
    let baseUrl = service.mswBaseUrl;
    let reset: () => Promise<void> | void = () => undefined;
    let stop: () => Promise<void> | void = () => undefined;
    const problems: TwinEvent[] = [];

    beforeAll(async () => {
      if (backend === 'go') {
        const go: GoTwin = await goTwin(service.service, { strict: true, clock: TEST_CLOCK });
        baseUrl = go.url;
        reset = () => go.reset({ plugins: true });
        stop = () => go.close();
        return;
      }
      const twin: Twin<unknown> = createTwin(definition, { strict: true, clock: TEST_CLOCK });
      twin.events.on('drift', (e: TwinEvent) => problems.push(e));
      twin.events.on('failure', (e: TwinEvent) => problems.push(e));
      reset = () => twin.reset({ plugins: true });
      if (backend === 'http') {
        const listening = await twin.listen(0);
        baseUrl = listening.url;
        stop = listening.close;
      } else {
        const server = setupServer(...twin.mswHandlers(service.mswBaseUrl));
        server.listen({ onUnhandledRequest: 'error' });
        stop = () => server.close();
      }
    }, 180_000);
    afterAll(() => stop());
    beforeEach(async () => {
      await reset();
      problems.length = 0;
    });
    afterEach(() => {
      expect(problems.map((p) => p.message), 'drift or failure events of the TypeScript twin').toEqual([]);
    });

    for (const { file, description, cases } of service.files) {
      describe(`${file}: ${description}`, () => {
        for (const c of cases) test(c.name, () => runCase(c, service, baseUrl));
      });
    }
  });
}
