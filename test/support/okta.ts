import okta from '@okta/okta-sdk-nodejs';
import { beforeEach, expect } from 'vitest';
import { createOktaTwin, type OktaState } from '../../twins/index.js';
import { describeTwin, TEST_CLOCK, type TwinTarget } from './describe-twin.js';

export { TEST_CLOCK };
export const MSW_BASE_URL = 'https://dev-123.okta.com';
export const ADMIN_TOKEN = 'twin-okta-token';

/** What a test body sees of the Okta twin, whichever transport serves it. */
export interface OktaTarget extends TwinTarget<OktaState> {
  /** The official SDK, pointed at the twin; its response cache is off so that every read reaches the twin, unless the setup is 'defaults'. */
  readonly client: okta.Client;
  /** A raw request to the twin; `Authorization: SSWS twin-okta-token` unless init.headers sets authorization. */
  fetch(path: string, init?: Omit<RequestInit, 'headers'> & { headers?: Record<string, string> }): Promise<Response>;
  /** An SDK client with other options (another token, the cache on). */
  makeClient(config?: Record<string, unknown>): okta.Client;
}

/**
 * Runs one test body over every transport (describeTwin) with the official SDK at hand. Each test starts from the
 * default seed with a fixed clock, in strict mode. With setup 'defaults' the twin and the SDK are as a user gets them
 * (wall clock, no strict mode, a new SDK client per test with its response cache on).
 */
export function describeOkta(title: string, body: (t: OktaTarget) => void, setup: 'fixed' | 'defaults' = 'fixed'): void {
  describeTwin(
    title,
    {
      create: (defaults) => (defaults ? createOktaTwin() : createOktaTwin({ strict: true, clock: TEST_CLOCK })),
      mswBaseUrl: MSW_BASE_URL,
      defaultHeaders: { accept: 'application/json', authorization: `SSWS ${ADMIN_TOKEN}` },
      setup,
    },
    (target) => {
      const makeClient = (config: Record<string, unknown> = {}) =>
        new okta.Client({ orgUrl: target.baseUrl, token: ADMIN_TOKEN, ...(target.defaults ? {} : { cacheMiddleware: null }), ...config });
      let client: okta.Client | undefined;
      let clientFor = '';
      // In the 'defaults' setup each test gets a new client, its cache empty, as a new test process would.
      if (setup === 'defaults') beforeEach(() => void (client = undefined));
      // The target's own getters (baseUrl) stay live through the prototype.
      const oktaTarget = Object.setPrototypeOf(
        {
          makeClient,
          get client() {
            if (!client || clientFor !== target.baseUrl) {
              client = makeClient();
              clientFor = target.baseUrl;
            }
            return client;
          },
        },
        target,
      ) as OktaTarget;
      body(oktaTarget);
    },
  );
}

/** The twin's state as its control plane exports it, on every transport. */
export async function stateOf(t: TwinTarget<OktaState>): Promise<OktaState> {
  return (await t.control.exportState()).state;
}

/** Changes the twin's state through its control plane, on every transport: export, `change` the copy, import it. */
export async function changeState(t: TwinTarget<OktaState>, change: (state: OktaState) => void): Promise<void> {
  const doc = await t.control.exportState();
  change(doc.state);
  await t.control.importState(doc);
}

/** describeOkta with the 'defaults' setup: the twin and the SDK as a user gets them. */
export const describeDefault = (title: string, body: (t: OktaTarget) => void) => describeOkta(title, body, 'defaults');

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

const nowSec = () => Math.floor(Date.now() / 1000);

/**
 * Asserts a response's X-Rate-Limit-Limit, -Remaining and -Reset: integers, remaining at most the limit, and the reset in
 * epoch seconds within the next minute of the wall clock. `label` names the response in a failure.
 */
export function expectRateLimitHeaders(res: Response, label: string) {
  const limit = res.headers.get('x-rate-limit-limit');
  const remaining = res.headers.get('x-rate-limit-remaining');
  const reset = res.headers.get('x-rate-limit-reset');
  expect({ label, limit: /^\d+$/.test(limit ?? ''), remaining: /^\d+$/.test(remaining ?? ''), reset: /^\d+$/.test(reset ?? '') }).toEqual({ label, limit: true, remaining: true, reset: true });
  expect(Number(remaining)).toBeLessThanOrEqual(Number(limit));
  // epoch seconds, within the next minute of the wall clock
  expect(Number(reset)).toBeGreaterThanOrEqual(nowSec() - 1);
  expect(Number(reset)).toBeLessThanOrEqual(nowSec() + 61);
}

/** `n` STAGED users made through the SDK, in order: `${prefix}0 Person` (login `${prefix}0@example.com`), `${prefix}1 Person`, ... */
export async function people(t: OktaTarget, n: number, prefix = 'p') {
  const out: any[] = [];
  for (let i = 0; i < n; i++) {
    out.push(await t.client.userApi.createUser({ body: { profile: { firstName: `${prefix}${i}`, lastName: 'Person', email: `${prefix}${i}@example.com`, login: `${prefix}${i}@example.com` } }, activate: false }));
  }
  return out;
}

/** A BOOKMARK app labelled `label`, made through the SDK. */
export function bookmark(t: OktaTarget, label: string) {
  return t.client.applicationApi.createApplication({
    application: { name: 'bookmark', label, signOnMode: 'BOOKMARK', settings: { app: { requestIntegration: false, url: `https://example.com/${encodeURIComponent(label)}` } } } as any,
  }) as Promise<any>;
}
