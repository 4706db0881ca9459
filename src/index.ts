import type { Express } from 'express';
import type { HttpHandler } from 'msw';
import { createExpressApp } from './adapters/express.js';
import { createMswHandlers } from './adapters/msw.js';
import { listen, type Listening } from './adapters/node-http.js';
import { createTwinRuntime, type TwinOptions, type TwinRuntime } from './engine/twin-runtime.js';
import type { TwinDefinition } from './engine/types.js';
import { oktaTwin, type OktaState } from '../twins/okta/index.js';

/**
 * A twin instance with every way to serve it: in-process MSW handlers, an express app, or a port.
 *
 * @example
 * import { setupServer } from 'msw/node';
 * import { createOktaTwin } from 'twinverse';
 * const okta = createOktaTwin();
 * const server = setupServer(...okta.mswHandlers('https://dev-123.okta.com'));
 */
export interface Twin<S = unknown> extends TwinRuntime<S> {
  /** Serves the twin on 127.0.0.1 (port 0, the default, picks a free one). */
  listen(port?: number, host?: string): Promise<Listening>;
  /** The express app serving this twin, built on first use (mount it, or pass it to supertest). */
  readonly app: Express;
  /** MSW handlers answering requests to `baseUrl` from this twin. */
  mswHandlers(baseUrl: string): HttpHandler[];
}

/**
 * Creates an instance of a twin. Each instance owns its state, clock and journal; two share nothing.
 *
 * @example
 * const okta = createTwin(oktaTwin, { strict: true, clock: '2026-01-01T00:00:00.000Z' });
 * const { url, close } = await okta.listen();
 */
export function createTwin<S, A>(definition: TwinDefinition<S, A>, options: TwinOptions = {}): Twin<S> {
  const runtime = createTwinRuntime(definition, options);
  let app: Express | undefined;
  const twin = Object.assign(runtime, {
    listen: (port?: number, host?: string) => listen(runtime, port, host),
    mswHandlers: (baseUrl: string) => createMswHandlers(runtime, baseUrl),
  });
  // A getter defined in place: Object.assign would call it, and build express for every twin.
  return Object.defineProperty(twin, 'app', { get: () => (app ??= createExpressApp(runtime)), enumerable: true }) as Twin<S>;
}

/**
 * Creates an Okta twin: Management API and OAuth 2.0 / OIDC, seeded with admin@twin.test and the API
 * token `twin-okta-token`.
 *
 * @example
 * const okta = createOktaTwin();
 * const { url } = await okta.listen();
 */
export function createOktaTwin(options: TwinOptions = {}): Twin<OktaState> {
  return createTwin(oktaTwin, options);
}

export { oktaTwin };
export type { OktaState };
export { twinRegistry } from '../twins/registry.js';
export { defineTwin } from './engine/define-twin.js';
export { EngineError, type Diagnostic, type EngineErrorKind } from './engine/engine-error.js';
export { TwinError } from './engine/twin-error.js';
export { createTwinRuntime, type TwinOptions, type TwinRuntime, type JournalEntry, type TwinEvent } from './engine/twin-runtime.js';
export type { TwinRequest, TwinResponse, HandlerResult, Handler, OperationContext, RequestContext, TwinDefinition, TwinCredentials, OperationInfo } from './engine/types.js';
export type { Listening } from './adapters/node-http.js';
export { createExpressApp } from './adapters/express.js';
export { createMswHandlers } from './adapters/msw.js';
export { createClock, type Clock, type ClockOption } from './state/clock.js';
export type { TwinExport, Snapshot } from './state/store.js';
