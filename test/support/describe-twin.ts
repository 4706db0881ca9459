import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect } from 'vitest';
import { goSources } from '../../src/driver/go-build.js';
import { goTwin, type GoTwin, type GoTwinOptions } from '../../src/driver/go-twin.js';
import { pluginFromSpec, type Plugin, type PluginSpec, type Twin, type TwinEvent } from '../../twins/index.js';
import { namedTransports } from './transports.js';

export const TEST_CLOCK = '2026-01-01T00:00:00.000Z';

/**
 * The transports a twin runs on: its own node:http server, its express app mounted in another app, MSW handlers, and
 * the service's Go twin binary, started through the driver.
 */
export const TRANSPORTS = ['http', 'express', 'msw', 'go'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/**
 * The transports this run covers: the three in-process ones, unless TWINVERSE_TRANSPORTS names some. The Node 22 run
 * takes MSW (msw 3), where msw 2 and 3 differ; node:http and express are the same code on either Node. `go` runs only
 * when named (TWINVERSE_TRANSPORTS=go, or http,go ...), and only for a service whose Go twin is in the package.
 */
const RUN: readonly Transport[] = namedTransports(TRANSPORTS) ?? ['http', 'express', 'msw'];

/**
 * The control plane of a twin on every transport, each call a promise: the in-process twin's own methods, or the Go
 * binary's admin API. A test body written against it runs on the go transport too.
 */
export interface TwinControl<S> extends Pick<GoTwin<S>, 'reset' | 'exportState' | 'importState' | 'requests' | 'plugins' | 'use' | 'removePlugin' | 'resetPlugins'> {
  /** The twin's now (GET /__twin/clock). */
  now(): Promise<Date>;
  /** Moves the twin's fixed clock on by `ms` and resolves with its new now (POST /__twin/clock). */
  advanceClock(ms: number): Promise<Date>;
  /** How many delayed answers (sleeps) wait on the twin's clock (GET /__twin/clock): a test waits for one, then moves the clock. */
  pending(): Promise<number>;
}

/** A plugin as the in-process twin takes it: a plugin value as it is, a spec made into the built-in plugin it names. */
const asPlugin = (plugin: PluginSpec | Plugin): Plugin =>
  ['before', 'after', 'onError'].some((phase) => typeof (plugin as unknown as Record<string, unknown>)[phase] === 'function') ? (plugin as Plugin) : pluginFromSpec(plugin);

function inProcessControl<S>(twin: Twin<S>): TwinControl<S> {
  return {
    reset: async (options) => twin.reset(options),
    exportState: async () => twin.exportState(),
    importState: async (doc) => twin.importState(doc),
    get requests() {
      return Promise.resolve([...twin.requests]);
    },
    get plugins() {
      return Promise.resolve(twin.plugins);
    },
    use: async (...plugins) => twin.use(...plugins.map(asPlugin)),
    removePlugin: async (id) => twin.removePlugin(id),
    resetPlugins: async () => twin.resetPlugins(),
    now: async () => twin.clock.now(),
    advanceClock: async (ms) => {
      // What POST /__twin/clock refuses is refused here too, so that a story that passes in process passes on go.
      if (!twin.clock.fixed) throw new Error('[twinverse] POST /__twin/clock moves a fixed clock only, and this twin follows the system clock (start it with --clock <instant>)');
      if (!Number.isSafeInteger(ms) || ms < 0) throw new Error('[twinverse] POST /__twin/clock takes JSON: { "advanceMs": <non-negative integer> }');
      twin.clock.advance(ms);
      return twin.clock.now();
    },
    pending: async () => twin.clock.pending(),
  };
}

/** The Go twin's control plane: the driver's handle, and its clock through the admin API. */
function goControl<S>(go: GoTwin<S>): TwinControl<S> {
  const clock = async (init?: RequestInit): Promise<{ now: string; pending?: number }> => {
    const response = await fetch(`${go.url}/__twin/clock`, init);
    const body = await response.json();
    if (!response.ok) throw new Error(body.error ?? `[twinverse] /__twin/clock on the Go ${go.name} twin answered ${response.status}`);
    return body;
  };
  return {
    reset: (options) => go.reset(options),
    exportState: () => go.exportState(),
    importState: (doc) => go.importState(doc),
    // Read afresh on each access, as the driver's own getters are.
    get requests() {
      return go.requests;
    },
    get plugins() {
      return go.plugins;
    },
    use: (...plugins) => go.use(...plugins),
    removePlugin: (id) => go.removePlugin(id),
    resetPlugins: () => go.resetPlugins(),
    now: async () => new Date((await clock()).now),
    advanceClock: async (ms) => new Date((await clock({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: ms }) })).now),
    pending: async () => {
      const { pending } = await clock();
      if (typeof pending !== 'number') throw new Error(`[twinverse] GET /__twin/clock on the Go ${go.name} twin answered no pending count`);
      return pending;
    },
  };
}

/** What of the in-process twin a test may still read over the go transport: its declaration, and where events would go. */
const SHARED_WITH_GO = new Set<PropertyKey>(['name', 'definition', 'events', 'bodyLimit']);

/**
 * The in-process twin as a go-transport test sees it: its declaration answers, and everything that would read or change
 * the in-process instance (which serves nothing there) fails with the way to reach the Go twin instead.
 */
function guardedForGo<S>(twin: Twin<S>): Twin<S> {
  return new Proxy(twin, {
    get(target, key, receiver) {
      if (typeof key === 'string' && !SHARED_WITH_GO.has(key)) {
        throw new Error(`[twinverse] t.twin.${key} is the in-process twin's, and on the go transport the twin runs in another process: reach it through t.control (reset, exportState, importState, requests, plugins, use, now, advanceClock, pending), or keep this test to the in-process transports`);
      }
      return Reflect.get(target, key, receiver);
    },
  });
}

/** What a test body sees of a twin, whichever transport serves it. */
export interface TwinTarget<S> {
  readonly transport: Transport;
  /** The in-process twin; on the go transport only its declaration (name, definition) answers: use `control`. */
  readonly twin: Twin<S>;
  /** The twin's control plane on every transport, each call a promise. */
  readonly control: TwinControl<S>;
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
  /** Where the go transport's binary comes from, when not from this package's Go sources (TWINVERSE_GO_BIN, or a build). */
  go?: Pick<GoTwinOptions, 'binary' | 'sourceRoot' | 'cacheDir'>;
}

/**
 * Runs one test body over every transport. Each test starts from the twin's seed (reset, plugins added with use()
 * removed); a drift or an unexpected error in the twin fails the test.
 */
export function describeTwin<S>(title: string, setup: TwinSetup<S>, body: (t: TwinTarget<S>) => void): void {
  const defaults = setup.setup === 'defaults';
  // The go transport is for services whose Go twin is in the package; the others have no binary to run.
  const transports = RUN.includes('go') && goSources(setup.create(defaults).name, setup.go?.sourceRoot) === undefined ? RUN.filter((t) => t !== 'go') : RUN;
  describe.each(transports)(`${title} [%s]`, (transport) => {
    const twin = setup.create(defaults);
    const problems: TwinEvent[] = [];
    twin.events.on('drift', (e: TwinEvent) => problems.push(e));
    twin.events.on('failure', (e: TwinEvent) => problems.push(e));
    let baseUrl = setup.mswBaseUrl;
    let close: (() => Promise<void>) | undefined;
    let go: TwinControl<S> | undefined;
    const server = setupServer(...twin.mswHandlers(setup.mswBaseUrl));

    beforeAll(async () => {
      if (transport === 'go') {
        // Set up as the in-process twin is (strict on the fixed clock, or as a user gets it); a first start may build the binary.
        const started = await goTwin<S>(twin.name, { ...setup.go, bodyLimit: twin.bodyLimit, ...(defaults ? {} : { strict: true, clock: TEST_CLOCK }) });
        go = goControl(started);
        baseUrl = started.url;
        close = started.close;
      } else if (transport === 'http') {
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
    }, 180_000);
    afterAll(async () => {
      if (close) await close();
      else server.close();
    });
    beforeEach(async () => {
      if (go) await go.reset({ plugins: true });
      else twin.reset({ plugins: true });
      problems.length = 0;
    });
    afterEach(() => {
      expect(problems.map((p) => p.message)).toEqual([]);
    });

    const control = inProcessControl(twin);
    body({
      transport,
      twin: transport === 'go' ? guardedForGo(twin) : twin,
      get control() {
        return go ?? control;
      },
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
