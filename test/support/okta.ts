import okta from '@okta/okta-sdk-nodejs';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect } from 'vitest';
import { createOktaTwin, type Twin, type OktaState, type TwinEvent } from '../../twins/index.js';

export const TEST_CLOCK = '2026-01-01T00:00:00.000Z';
export const MSW_BASE_URL = 'https://dev-123.okta.com';
export const ADMIN_TOKEN = 'twin-okta-token';

/** What a test body sees of the Okta twin, whichever transport serves it. */
export interface OktaTarget {
  readonly transport: 'http' | 'express' | 'msw';
  /** The official SDK, pointed at the twin; its response cache is off so that every read reaches the twin, unless the setup is 'defaults'. */
  readonly client: okta.Client;
  readonly twin: Twin<OktaState>;
  readonly baseUrl: string;
  /** A raw request to the twin; `Authorization: SSWS twin-okta-token` unless init.headers sets authorization. */
  fetch(path: string, init?: Omit<RequestInit, 'headers'> & { headers?: Record<string, string> }): Promise<Response>;
  /** An SDK client with other options (another token, the cache on). */
  makeClient(config?: Record<string, unknown>): okta.Client;
}

/**
 * Runs one test body over every transport: the twin's own HTTP server, its express app mounted in another app, and
 * MSW handlers. Each test starts from the default seed with a fixed clock, in strict mode; a drift or an unexpected
 * error fails the test. With setup 'defaults' the twin and the SDK are as a user gets them (wall clock, no strict
 * mode, a new SDK client per test with its response cache on).
 */
export function describeOkta(title: string, body: (t: OktaTarget) => void, setup: 'fixed' | 'defaults' = 'fixed'): void {
  describe.each(['http', 'express', 'msw'] as const)(`${title} [%s]`, (transport) => {
    // 'defaults' is the twin and the SDK as a user gets them: wall clock, no strict mode, the SDK's cache on.
    const defaults = setup === 'defaults';
    const twin = defaults ? createOktaTwin() : createOktaTwin({ strict: true, clock: TEST_CLOCK });
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
      } else if (transport === 'express') {
        const app = express();
        app.use(twin.app);
        const server = await new Promise<Server>((resolve) => {
          const started = app.listen(0, '127.0.0.1', () => resolve(started));
        });
        baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        close = () => new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        });
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
      if (defaults) client = undefined;
    });
    afterEach(() => {
      expect(problems.map((p) => p.message)).toEqual([]);
    });

    const makeClient = (config: Record<string, unknown> = {}) =>
      new okta.Client({ orgUrl: baseUrl, token: ADMIN_TOKEN, ...(defaults ? {} : { cacheMiddleware: null }), ...config });
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

/** Every item of an SDK collection, following its `next` links. */
export async function collect<T>(collection: AsyncIterable<T>): Promise<NonNullable<T>[]> {
  const items: NonNullable<T>[] = [];
  for await (const item of collection) items.push(item as NonNullable<T>);
  return items;
}

/** Okta's error envelope, plus `causes`: the summaries of its errorCauses. */
export interface OktaErrorBody {
  errorCode: string;
  errorSummary: string;
  errorLink: string;
  errorId: string;
  errorCauses: { errorSummary: string }[];
  causes: string[];
}

/** What the SDK's OktaApiError carries: the HTTP status, the error envelope (plus `causes`), its message and the response headers. */
export interface SdkError extends OktaErrorBody {
  status: number;
  message: string;
  headers?: { get(name: string): string | null };
}

/** The OktaApiError an SDK call must throw, as status, envelope, `causes`, message and headers; fails the test when the call succeeds. */
export async function sdkError(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (error: any) {
    const { status, errorCode, errorSummary, errorLink, errorId, errorCauses, message, headers } = error;
    return { status, errorCode, errorSummary, errorLink, errorId, errorCauses, causes: (errorCauses ?? []).map((cause: { errorSummary: string }) => cause.errorSummary), message, headers };
  }
  throw new Error('the call was expected to fail');
}

/** Asserts a raw response failed with `status` and returns its Okta error envelope, plus `causes` (the errorCauses' summaries). */
export async function refused(response: Response, status = 400): Promise<OktaErrorBody> {
  expect(response.status).toBe(status);
  const body = await response.json();
  return { ...body, causes: body.errorCauses.map((cause: { errorSummary: string }) => cause.errorSummary) };
}

/** A raw JSON request to the twin with the admin token, POST unless `method` says otherwise; no body when `body` is undefined. */
export function sendJson(t: OktaTarget, path: string, body?: unknown, method = 'POST'): Promise<Response> {
  return t.fetch(path, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

/** A user profile for "First Last": login and email `first.last@example.com` (lower case), then `extra` on top. */
export function person(name: string, extra: Record<string, unknown> = {}) {
  const [first, last] = name.split(' ');
  const login = `${first}.${last}@example.com`.toLowerCase();
  return { firstName: first, lastName: last, email: login, login, ...extra };
}
