import type { Clock } from '../state/clock.js';
import type { IdSource } from '../state/ids.js';

/**
 * One HTTP request as every adapter hands it to the engine: the only request model the engine knows.
 *
 * @example
 * const req: TwinRequest = { method: 'GET', url: 'https://api.example.test/items/1', headers: { authorization: 'Bearer example-token' } };
 */
export interface TwinRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** Absolute URL as the client sent it, query string included. */
  url: string;
  /** Header names in lower case; a repeated header is joined with ", ". */
  headers: Record<string, string>;
  /** The raw body text; undefined when the request has none. */
  body?: string;
  /** Where the twin is mounted (origin plus any mount path), for absolute links; defaults to the URL's origin. */
  baseUrl?: string;
}

/**
 * The engine's answer, ready for any transport: the body is already serialized.
 *
 * @example
 * const res: TwinResponse = { status: 204, headers: {} };
 */
export interface TwinResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body?: string;
}

/**
 * What a handler returns. A body that is not a string is sent as JSON; a string body is sent as is
 * with the content-type the handler gives (text/plain when it gives none).
 *
 * @example
 * return { status: 200, body: user };
 */
export interface HandlerResult {
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: unknown;
}

/**
 * One operation of the OpenAPI document as the engine compiled it.
 *
 * @example
 * const info: OperationInfo = { operationId: 'getItem', method: 'GET', path: '/items/{id}', security: [{ bearerAuth: [] }], tags: ['Item'] };
 */
export interface OperationInfo {
  operationId: string;
  method: string;
  /** The path template from the document, e.g. /api/v1/users/{id}. */
  path: string;
  /** The operation's security requirements ([] means the operation takes no credentials). */
  security: Record<string, string[]>[];
  tags: string[];
}

/**
 * Everything a twin sees of one request: validated and coerced inputs, its own state, ids and clock.
 * It never sees a socket or a transport's request object.
 *
 * @example
 * const renderError = (error: unknown, ctx: RequestContext<ExampleState>) => ({ status: 500, body: { error: 'internal', path: ctx.url.pathname } });
 */
export interface RequestContext<S = unknown> {
  request: TwinRequest;
  url: URL;
  /** Origin the client used (scheme, host and port), for absolute links such as paging links. */
  baseUrl: string;
  /** The matched operation, or undefined when no route matched. */
  operation?: OperationInfo;
  /** Path parameters, decoded and coerced to their schema types. */
  params: Record<string, any>;
  /** Query parameters declared by the operation, coerced to their schema types, defaults applied. */
  query: Record<string, any>;
  headers: Record<string, string>;
  /** The parsed body: a JSON value, or an object of strings for a form-encoded body. */
  body: any;
  /** The twin's state: plain, serializable data that handlers read and change in place. */
  state: S;
  ids: IdSource;
  clock: Clock;
  /** Per-instance memo for values derived from state that are costly to build (imported keys, indexes); emptied whenever the state is replaced. */
  memo<T>(key: string, build: () => T): T;
}

/**
 * A request context after the twin's authenticate hook ran.
 *
 * @example
 * const getMe = (ctx: OperationContext<ExampleState, { userId: string }>) => ({ body: ctx.state.users[ctx.auth.userId] });
 */
export interface OperationContext<S = unknown, A = unknown> extends RequestContext<S> {
  operation: OperationInfo;
  /** Whatever the twin's authenticate hook returned. */
  auth: A;
}

/**
 * One handler per operationId: takes the validated request, returns a value or throws the twin's error.
 *
 * @example
 * const getItem: Handler<ExampleState> = (ctx) => ({ body: ctx.state.items[ctx.params.id] });
 */
export type Handler<S = unknown, A = unknown> = (ctx: OperationContext<S, A>) => HandlerResult | Promise<HandlerResult>;

/**
 * Credentials and facts a twin prints when it starts and documents for its users.
 *
 * @example
 * const credentials: TwinCredentials = { lines: ['Authorization: Bearer example-token'] };
 */
export interface TwinCredentials {
  /** Lines such as "Authorization: Bearer example-token". */
  lines: string[];
}

/**
 * A twin's declaration: its OpenAPI document, seed, handlers and error language. It knows no transport.
 *
 * @example
 * export const exampleTwin = defineTwin({ name: 'example', openapi: 'openapi/example.yaml', seed, handlers, renderError, credentials });
 */
export interface TwinDefinition<S = unknown, A = unknown> {
  /** Service name, as typed on the command line (lower case, e.g. `example`). */
  name: string;
  /** Path of the OpenAPI document, relative to the package root. */
  openapi: string;
  /** The default seed: the state a new or reset twin starts from. */
  seed: S;
  /** Checks the credentials of a request to a routed operation; throw the twin's error to refuse. */
  authenticate?: (ctx: RequestContext<S> & { operation: OperationInfo }) => A | Promise<A>;
  handlers: Record<string, Handler<S, A>>;
  /** Renders any thrown value (the twin's own errors, an EngineError, anything else) in the vendor's envelope. */
  renderError: (error: unknown, ctx: RequestContext<S>) => HandlerResult;
  /** Runs on every response, errors included (rate-limit headers, request ids). */
  onResponse?: (result: HandlerResult & { status: number; headers: Record<string, string | string[]> }, ctx: RequestContext<S>) => void;
  /** How to reach the seeded twin: printed by the CLI, shown in the docs. */
  credentials: TwinCredentials;
}
