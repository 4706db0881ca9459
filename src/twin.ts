import type { Express } from 'express';
import type { HttpHandler } from 'msw';
import { createExpressApp } from './adapters/express.js';
import { createMswHandlers } from './adapters/msw.js';
import { listen, type Listening } from './adapters/node-http.js';
import { handleAdmin } from './admin/admin-api.js';
import type { TwinDefinition } from './define-twin.js';
import { createTwinRuntime, type TwinOptions, type TwinRuntime } from './engine/twin-runtime.js';
import { createPluginChain } from './plugins/chain.js';
import type { InstalledPlugin, Plugin } from './plugins/plugin.js';

/**
 * Options of a twin instance: the engine's (strict, clock, idSeed, journalLimit, persist), its plugins, and the
 * seed of the plugins' randomness.
 *
 * @example
 * const options: CreateTwinOptions = { strict: true, plugins: [latency({ ms: 20 })], randomSeed: 7 };
 */
export interface CreateTwinOptions extends TwinOptions {
  /** Plugins for the whole life of the instance, in the order they run (a reset keeps them). */
  plugins?: Plugin[];
  /** Seed of the plugins' random draws (faults with a probability, latency): the same seed gives the same run. Default 1. */
  randomSeed?: number;
  /** A secret the admin API (/__twin/*) then requires as `Authorization: Bearer <adminToken>`. */
  adminToken?: string;
  /** Host names, besides loopback ones and the address a connection arrives on, that admin requests over HTTP may name in Host. */
  adminHosts?: string[];
}

/**
 * A twin instance with every way to serve it: in-process MSW handlers, an express app, or a port; and its
 * plugins, which per-test overrides join and leave.
 *
 * @example
 * import { setupServer } from 'msw/node';
 * import { createOktaTwin } from 'twinverse';
 * const okta = createOktaTwin();
 * const server = setupServer(...okta.mswHandlers('https://dev-123.okta.com'));
 */
export interface Twin<S = unknown> extends TwinRuntime<S> {
  readonly definition: TwinDefinition<any, any>;
  /** Serves the twin on 127.0.0.1 (port 0, the default, picks a free one). */
  listen(port?: number, host?: string): Promise<Listening>;
  /** The express app serving this twin, built on first use (mount it, or pass it to supertest). */
  readonly app: Express;
  /** MSW handlers answering requests to `baseUrl` from this twin. */
  mswHandlers(baseUrl: string): HttpHandler[];
  /** Adds plugins for this test (as MSW's server.use()): they run before those given at creation, until resetPlugins(). */
  use(...plugins: Plugin[]): InstalledPlugin[];
  /** Removes every plugin added with use() or the admin API (as MSW's server.resetHandlers()). */
  resetPlugins(): void;
  /** Removes one added plugin by its id; false when there is none. */
  removePlugin(id: string): boolean;
  /** The installed plugins, in the order they run. */
  readonly plugins: InstalledPlugin[];
  /**
   * Back to the seed: state, clock, journal and what the plugins counted. Plugins added with use() stay (as MSW's
   * handlers stay across tests) unless `{ plugins: true }` removes them too.
   */
  reset(options?: { plugins?: boolean }): void;
}

/**
 * Creates an instance of a twin. Each instance owns its state, clock, journal and plugins; two share nothing.
 *
 * @example
 * const okta = createTwin(oktaTwin, { strict: true, clock: '2026-01-01T00:00:00.000Z' });
 * const { url, close } = await okta.listen();
 */
export function createTwin<S, A>(definition: TwinDefinition<S, A, any>, options: CreateTwinOptions = {}): Twin<S> {
  const chain = createPluginChain(definition, options.plugins ?? [], options.randomSeed ?? 1);
  let twin: Twin<S> | undefined;
  const runtime = createTwinRuntime(definition, options, { plugins: chain, admin: (request, url) => handleAdmin(twin!, request, url, { token: options.adminToken, hosts: options.adminHosts }) });
  const resetRuntime = runtime.reset;
  let app: Express | undefined;
  twin = Object.assign(runtime, {
    definition,
    listen: (port?: number, host?: string) => listen(runtime, port, host),
    mswHandlers: (baseUrl: string) => createMswHandlers(runtime, baseUrl),
    use: (...plugins: Plugin[]) => chain.use(...plugins),
    resetPlugins: () => chain.resetPlugins(),
    removePlugin: (id: string) => chain.remove(id),
    reset(resetOptions: { plugins?: boolean } = {}) {
      if (resetOptions.plugins) chain.resetPlugins();
      resetRuntime();
    },
  }) as unknown as Twin<S>;
  // Getters defined in place: Object.assign would call them (and build express for every twin).
  Object.defineProperty(twin, 'app', { get: () => (app ??= createExpressApp(runtime)), enumerable: true });
  Object.defineProperty(twin, 'plugins', { get: () => chain.list(), enumerable: true });
  return twin;
}
