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
  /** The body passed the twin's limit (TwinRuntime.bodyLimit) and was not read: the engine refuses it with 413. */
  bodyTooLarge?: boolean;
  /** The local address a network transport accepted the connection on (`127.0.0.1`); absent in process (MSW). */
  localAddress?: string;
}

/**
 * What a transport does instead of answering: close the connection at once (`drop`; a network error under
 * MSW), or keep it open without a word until the client gives up (`hang`).
 *
 * @example
 * if (response.fault === 'drop') socket.destroy();
 */
export type TransportFault = 'drop' | 'hang';

/**
 * The engine's answer, ready for any transport: the body is already serialized. A response with a `fault`
 * is not sent at all: the transport acts it out (status is then 0).
 *
 * @example
 * const res: TwinResponse = { status: 204, headers: {} };
 */
export interface TwinResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body?: string;
  fault?: TransportFault;
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
 * A response on its way out, before it is serialized: status set, header names in lower case. The twin's
 * onResponse and the plugins' after phase see (and may change) this.
 *
 * @example
 * const draft: ResponseDraft = { status: 200, headers: { link: ['<...>; rel="next"'] }, body: [] };
 */
export interface ResponseDraft {
  status: number;
  headers: Record<string, string | string[]>;
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
 * Everything a twin sees of one request: its own state, ids and clock, and, as the request moves through the
 * pipeline, the matched operation, the caller and the validated inputs. It never sees a socket or a
 * transport's request object. The engine builds it once per request; the phases below narrow its type.
 *
 * @example
 * const renderError = (error: unknown, ctx: RequestContext<ExampleState>) => ({ status: 500, body: { error: 'internal', path: ctx.url.pathname } });
 */
export interface RequestContext<S = unknown> {
  readonly request: TwinRequest;
  readonly url: URL;
  /** Origin the client used (scheme, host and port) plus any mount path, for absolute links such as paging links. */
  readonly baseUrl: string;
  readonly headers: Record<string, string>;
  /** The twin's state: plain, serializable data that handlers read and change in place. */
  readonly state: S;
  readonly ids: IdSource;
  readonly clock: Clock;
  /** Per-instance memo for values derived from state that are costly to build (imported keys, indexes); emptied whenever the state is replaced. */
  memo<T>(key: string, build: () => T): T;
  /** The matched operation; undefined until the request is routed (and for a request no route matches). */
  operation?: OperationInfo;
  /** Whatever the twin's authenticate hook returned; undefined until then. */
  auth?: unknown;
  /** Path parameters, decoded and coerced to their schema types (empty until validated). */
  params: Record<string, any>;
  /** Query parameters declared by the operation, coerced to their schema types, defaults applied (empty until validated). */
  query: Record<string, any>;
  /** The parsed body: a JSON value, or an object of strings for a form-encoded body (undefined until validated). */
  body: any;
}

/**
 * A request context once the request is routed: its operation is known.
 *
 * @example
 * const authenticate = (ctx: RoutedContext<ExampleState>) => (ctx.operation.security.length ? check(ctx.headers) : 'anonymous');
 */
export interface RoutedContext<S = unknown> extends RequestContext<S> {
  operation: OperationInfo;
}

/**
 * A request context after the twin's authenticate hook ran: what a handler and a plugin's before phase see.
 *
 * @example
 * const getMe = (ctx: OperationContext<ExampleState, { userId: string }>) => ({ body: ctx.state.users[ctx.auth.userId] });
 */
export interface OperationContext<S = unknown, A = unknown> extends RoutedContext<S> {
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
 * What the engine needs of a twin: its OpenAPI document, seed, handlers and error language. The full
 * declaration (`TwinDefinition`, made with `defineTwin`) adds what plugins and tools read.
 *
 * @example
 * const core: TwinCore<ExampleState> = { name: 'example', openapi: new URL('./example.yaml', import.meta.url), seed, handlers, renderError, credentials };
 */
export interface TwinCore<S = unknown, A = unknown, Op extends string = string> {
  /** Service name, as typed on the command line (lower case, e.g. `example`). */
  name: string;
  /** The OpenAPI document: a file URL (`new URL('./api.yaml', import.meta.url)`) or an absolute path. */
  openapi: URL | string;
  /** The default seed: the state a new or reset twin starts from. */
  seed: S;
  /** Checks the credentials of a request to a routed operation; throw the twin's error to refuse. */
  authenticate?: (ctx: RoutedContext<S>) => A | Promise<A>;
  /** One handler per operationId of the document. */
  handlers: { [K in Op]: Handler<S, A> };
  /** Renders any thrown value (the twin's own errors, an EngineError, anything else) in the vendor's envelope. */
  renderError: (error: unknown, ctx: RequestContext<S>) => HandlerResult;
  /** Runs once on every response, errors included, just before it is sent (request ids, Date). */
  onResponse?: (response: ResponseDraft, ctx: RequestContext<S>) => void;
  /** How to reach the seeded twin: printed by the CLI, shown in the docs. */
  credentials: TwinCredentials;
  /** The largest request body the vendor accepts, in bytes, where its docs give one (10 MiB when they do not). */
  bodyLimit?: number;
  /**
   * Top-level collections of large immutable records (a document's content): a handler never changes one in place, it
   * assigns a new record that shares what did not change with the old one. A write hands them out as they are, frozen
   * (a change in place throws), a rollback puts the old record back without a copy, and a save lists only what differs
   * between the two (decisions/0008).
   */
  wholeRecords?: string[];
}

/**
 * What the plugin chain offers the pipeline: its phases, run around the handler. The engine is handed one
 * (see src/plugins); with none, requests go straight through.
 *
 * @example
 * const none: PipelinePlugins = { active: () => false, before: async () => undefined, after: (_c, r) => r, onError: () => undefined };
 */
export interface PipelinePlugins {
  /** False when no plugin is installed: the pipeline then skips every plugin stage. */
  active(): boolean;
  /** May answer instead of the handler (a result, or a transport fault), or throw a refusal. */
  before(ctx: OperationContext<any, any>, notes: PluginNote[]): HandlerResult | { fault: TransportFault } | undefined | Promise<HandlerResult | { fault: TransportFault } | undefined>;
  /** May replace a thrown error with an answer. */
  onError(ctx: RequestContext<any>, error: unknown, notes: PluginNote[]): HandlerResult | undefined;
  /** Sees, and may change, every response once. */
  after(ctx: RequestContext<any>, response: ResponseDraft, notes: PluginNote[]): ResponseDraft;
  /** Forgets what the plugins counted (a twin reset). */
  reset(): void;
}

/**
 * What a plugin did to one request, as the journal records it.
 *
 * @example
 * const note: PluginNote = { id: 'p1', name: 'fault', action: 'answered 503 (call 3)' };
 */
export interface PluginNote {
  id: string;
  name: string;
  action: string;
}
