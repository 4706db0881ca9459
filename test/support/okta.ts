import okta from '@okta/okta-sdk-nodejs';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect } from 'vitest';
import { createOktaTwin, type Twin, type OktaState, type TwinEvent } from '../../src/index.js';

export const TEST_CLOCK = '2026-01-01T00:00:00.000Z';
export const MSW_BASE_URL = 'https://dev-123.okta.com';
export const ADMIN_TOKEN = 'twin-okta-token';

/** What a test body sees of the Okta twin, whichever transport serves it. */
export interface OktaTarget {
  readonly transport: 'http' | 'msw';
  /** The official SDK, pointed at the twin, with its response cache off so every read reaches the twin. */
  readonly client: okta.Client;
  readonly twin: Twin<OktaState>;
  readonly baseUrl: string;
  /** A raw request to the twin; `Authorization: SSWS twin-okta-token` unless init.headers sets authorization. */
  fetch(path: string, init?: Omit<RequestInit, 'headers'> & { headers?: Record<string, string> }): Promise<Response>;
  /** An SDK client with other options (another token, the cache on). */
  makeClient(config?: Record<string, unknown>): okta.Client;
}

/**
 * Runs one test body over every transport: the twin's HTTP server and MSW handlers. Each test starts
 * from the default seed with a fixed clock, in strict mode; a drift or an unexpected error fails the test.
 */
export function describeOkta(title: string, body: (t: OktaTarget) => void): void {
  describe.each(['http', 'msw'] as const)(`${title} [%s]`, (transport) => {
    const twin = createOktaTwin({ strict: true, clock: TEST_CLOCK });
    const problems: TwinEvent[] = [];
    twin.events.on('drift', (e: TwinEvent) => problems.push(e));
    twin.events.on('failure', (e: TwinEvent) => problems.push(e));
    let baseUrl = MSW_BASE_URL;
    let close: (() => Promise<void>) | undefined;
    const server = setupServer(...twin.mswHandlers(MSW_BASE_URL));

    beforeAll(async () => {
      if (transport === 'http') {
        const listening = await twin.listen(0);
        baseUrl = listening.url;
        close = listening.close;
      } else {
        server.listen({ onUnhandledRequest: 'error' });
      }
    });
    afterAll(async () => {
      if (close) await close();
      else server.close();
    });
    beforeEach(() => {
      twin.reset();
      problems.length = 0;
    });
    afterEach(() => {
      expect(problems.map((p) => p.message)).toEqual([]);
    });

    const makeClient = (config: Record<string, unknown> = {}) =>
      new okta.Client({ orgUrl: baseUrl, token: ADMIN_TOKEN, cacheMiddleware: null, ...config });
    let client: okta.Client | undefined;
    let clientFor = '';

    body({
      transport,
      twin,
      get baseUrl() {
        return baseUrl;
      },
      get client() {
        if (!client || clientFor !== baseUrl) {
          client = makeClient();
          clientFor = baseUrl;
        }
        return client;
      },
      makeClient,
      fetch(path, init = {}) {
        const headers: Record<string, string> = { accept: 'application/json', ...(init.headers ?? {}) };
        if (!Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) headers.authorization = `SSWS ${ADMIN_TOKEN}`;
        return fetch(baseUrl + path, { ...init, headers });
      },
    });
  });
}
