import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect } from 'vitest';
import type { Twin, TwinEvent } from '../../twins/index.js';

export const TEST_CLOCK = '2026-01-01T00:00:00.000Z';

/** The transports a twin runs on: its own node:http server, its express app mounted in another app, and MSW handlers. */
export const TRANSPORTS = ['http', 'express', 'msw'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/**
 * The transports this run covers: all three, unless TWINVERSE_TRANSPORTS names some. The Node 22 run takes MSW (msw 3),
 * where msw 2 and 3 differ; node:http and express are the same code on either Node.
 */
const RUN: readonly Transport[] = (() => {
  const named = process.env.TWINVERSE_TRANSPORTS?.split(',').filter((t): t is Transport => (TRANSPORTS as readonly string[]).includes(t));
  return named?.length ? named : TRANSPORTS;
})();

/** What a test body sees of a twin, whichever transport serves it. */
export interface TwinTarget<S> {
  readonly transport: Transport;
  readonly twin: Twin<S>;
  /** Where a client reaches the twin: a loopback URL over HTTP, the MSW base URL in process. */
  readonly baseUrl: string;
  /** True for the 'defaults' setup: the twin as a user gets it (wall clock, no strict mode). */
  readonly defaults: boolean;
  /** The drift and failure events seen so far in this test, now taken: the test expects them (any left over fail it). */
  takeEvents(): TwinEvent[];
  /** A raw request to the twin with `defaultHeaders`, unless init.headers sets the same names. */
  fetch(path: string, init?: Omit<RequestInit, 'headers'> & { headers?: Record<string, string> }): Promise<Response>;
}

/** How to run one twin in the matrix. */
export interface TwinSetup<S> {
  /** A new instance; `defaults` asks for the twin as a user gets it rather than strict mode on a fixed clock. */
  create(defaults: boolean): Twin<S>;
  /** The base URL the twin's MSW handlers answer (the vendor's own host, as the SDK is configured). */
  mswBaseUrl: string;
  /** Headers of every raw request (credentials, accept). */
  defaultHeaders?: Record<string, string>;
  /** 'fixed' (default): strict mode on a fixed clock; 'defaults': the twin as a user gets it. */
  setup?: 'fixed' | 'defaults';
  /** What MSW does with a request no handler serves: 'error' (default), or 'bypass' for a twin that calls out (hooks, events). */
  onUnhandledRequest?: 'error' | 'bypass';
}

/**
 * Runs one test body over every transport. Each test starts from the twin's seed (reset, plugins added with use()
 * removed); a drift or an unexpected error in the twin fails the test.
 */
export function describeTwin<S>(title: string, setup: TwinSetup<S>, body: (t: TwinTarget<S>) => void): void {
  describe.each(RUN)(`${title} [%s]`, (transport) => {
    const defaults = setup.setup === 'defaults';
    const twin = setup.create(defaults);
    const problems: TwinEvent[] = [];
    twin.events.on('drift', (e: TwinEvent) => problems.push(e));
    twin.events.on('failure', (e: TwinEvent) => problems.push(e));
    let baseUrl = setup.mswBaseUrl;
    let close: (() => Promise<void>) | undefined;
    const server = setupServer(...twin.mswHandlers(setup.mswBaseUrl));

    beforeAll(async () => {
      if (transport === 'http') {
        const listening = await twin.listen(0);
        baseUrl = listening.url;
        close = listening.close;
      } else if (transport === 'express') {
        const app = express();
        app.use(twin.app);
        const started = await new Promise<Server>((resolve) => {
          const s = app.listen(0, '127.0.0.1', () => resolve(s));
        });
        baseUrl = `http://127.0.0.1:${(started.address() as AddressInfo).port}`;
        close = () =>
          new Promise<void>((done) => {
            started.close(() => done());
            started.closeAllConnections();
          });
      } else {
        server.listen({ onUnhandledRequest: setup.onUnhandledRequest ?? 'error' });
      }
    });
    afterAll(async () => {
      if (close) await close();
      else server.close();
    });
    beforeEach(() => {
      twin.reset({ plugins: true });
      problems.length = 0;
    });
    afterEach(() => {
      expect(problems.map((p) => p.message)).toEqual([]);
    });

    body({
      transport,
      twin,
      defaults,
      get baseUrl() {
        return baseUrl;
      },
      takeEvents: () => problems.splice(0),
      fetch(path, init = {}) {
        const headers: Record<string, string> = { ...(setup.defaultHeaders ?? {}) };
        for (const [name, value] of Object.entries(init.headers ?? {})) {
          for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
          headers[name] = value;
        }
        return fetch(baseUrl + path, { ...init, headers });
      },
    });
  });
}
