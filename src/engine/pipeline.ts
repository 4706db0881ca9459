import type { Clock } from '../state/clock.js';
import type { Store } from '../state/store.js';
import { beginTransaction, type StateChange, type Transaction } from '../state/transaction.js';
import type { CompiledOperation, CompiledSpec } from './compile-spec.js';
import { EngineError, type Diagnostic, type EngineErrorKind } from './engine-error.js';
import { TwinError } from './twin-error.js';
import type {
  HandlerResult,
  OperationContext,
  PipelinePlugins,
  PluginNote,
  RequestContext,
  ResponseDraft,
  RoutedContext,
  TransportFault,
  TwinCore,
  TwinRequest,
  TwinResponse,
} from './types.js';

/**
 * A drift found by strict mode, or an unexpected throw in a handler.
 *
 * @example
 * twin.events.on('drift', (event: TwinEvent) => console.warn(event.message, event.diagnostics));
 */
export interface TwinEvent {
  type: 'drift' | 'failure';
  operationId: string | null;
  message: string;
  diagnostics: Diagnostic[];
  error?: unknown;
}

/**
 * One request the twin served, as `GET /__twin/requests` lists it.
 *
 * @example
 * const last: JournalEntry | undefined = twin.requests.at(-1);
 * last?.operationId; // 'getItem'
 * last?.plugins; // [{ id: 'p1', name: 'fault', action: 'answered 503 (call 3 of fault nth=3)' }]
 */
export interface JournalEntry {
  seq: number;
  time: string;
  method: string;
  path: string;
  query: string;
  operationId: string | null;
  /** The status sent; 0 when a plugin dropped the connection or left the request unanswered. */
  status: number;
  requestBody?: string;
  /** Which plugins acted on this request, and how. */
  plugins?: PluginNote[];
}

/** What the pipeline runs on: one twin instance's parts, put together by createTwinRuntime. */
export interface Engine<S> {
  readonly core: TwinCore<S, any>;
  readonly store: Store<S>;
  readonly clock: Clock;
  readonly strict: boolean;
  /** The largest body, in bytes, the transports read for this twin. */
  readonly bodyLimit: number;
  /** The compiled document once loaded (requests then skip a promise), and how to load it. */
  compiled?: CompiledSpec;
  spec(): Promise<CompiledSpec>;
  memo<T>(key: string, build: () => T): T;
  /** Empties the memo: what was derived from the state may no longer hold (a write was taken back). */
  forget(): void;
  readonly plugins?: PipelinePlugins;
  readonly admin?: (request: TwinRequest, url: URL) => Promise<TwinResponse>;
  emit(event: TwinEvent): void;
  /** The clock's now as an ISO-8601 string (formatted once per millisecond). */
  timestamp(): string;
  /** Records a request; the journal numbers it. */
  journal(entry: JournalEntry): void;
  /** Saves a write's changes (or, with none given, the whole state); rejects when they could not be kept. */
  readonly persist?: (changes?: StateChange[]) => Promise<void>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const JOURNAL_BODY_LIMIT = 4096;
/** How deep a JSON body may nest: far beyond any vendor's resources, well within what every later stage handles. */
export const MAX_JSON_DEPTH = 64;

// Refusals that no operation's documented responses list: about the emulated surface itself, a bug, or a vendor
// behavior a plugin injected (the vendor answers those on any endpoint). Strict mode does not check them.
const UNCHECKED_REFUSALS = new Set<EngineErrorKind>(['not_implemented', 'unsupported_media_type', 'payload_too_large', 'internal', 'response_drift', 'rate_limited', 'unavailable', 'server_error', 'unauthorized']);

/**
 * Serves one request: the stages below, in this order. Each takes what the one before it produced; an error
 * thrown anywhere up to the handler skips to `recover`, and every response, success or error, then goes
 * through the strict check, the plugins' after phase, and `finish` (the twin's onResponse) exactly once.
 */
export async function runPipeline<S>(engine: Engine<S>, request: TwinRequest): Promise<TwinResponse> {
  const url = parseUrl(request);
  if (engine.admin && url.pathname.startsWith('/__twin/')) return admin(engine, request, url);
  const ctx = receive(engine, request, url);
  const plugins = engine.plugins?.active() ? engine.plugins : undefined;
  const notes: PluginNote[] = [];
  let operation: CompiledOperation | undefined;
  let draft: ResponseDraft;
  let checkable = true;
  let tx: Transaction<S> | undefined;
  try {
    if (request.bodyTooLarge) throw new EngineError('payload_too_large', `The request body is larger than the ${engine.core.name} twin accepts (${engine.bodyLimit} bytes)`);
    operation = route(engine, engine.compiled ?? (await engine.spec()), ctx);
    const routed: RoutedContext<S> = Object.assign(ctx, { operation: operation.info });
    emulated(engine, operation);
    // Stages may answer now or later; a value that is already there is not awaited (each await is a turn).
    const caller = authenticate(engine, routed);
    const authed = caller instanceof Promise ? await caller : caller;
    const early = plugins?.before(authed, notes);
    const answer = early instanceof Promise ? await early : early;
    if (answer && 'fault' in answer) return fault(engine, ctx, answer.fault, notes);
    let result: HandlerResult | Promise<HandlerResult> | undefined = answer;
    if (!result) {
      const validated = validate(operation, authed);
      tx = transaction(engine, validated);
      result = handler(engine, operation, validated);
    }
    draft = normalize(result instanceof Promise ? await result : result);
    tx?.close();
  } catch (error) {
    tx?.close();
    // A bug midway leaves the state as it was. A twin's own refusal keeps what its handler wrote: vendors do change
    // state on some refusals (a failed redemption spends the code, a failed sign-in counts toward a lockout).
    if (!(error instanceof TwinError)) tx = undo(engine, tx);
    ({ draft, checkable } = recover(engine, ctx, error, plugins, notes));
  }
  if (engine.strict && operation && checkable) {
    const checked = strictCheck(engine, ctx, operation, draft);
    if (checked !== draft) tx = undo(engine, tx);
    draft = checked;
  }
  if (tx && engine.persist) draft = await save(engine, ctx, tx, draft);
  if (plugins) draft = plugins.after(ctx, draft, notes);
  const response = finish(engine, ctx, draft);
  record(engine, ctx, response.status, notes);
  return response;
}

/** Parses the URL once; a request line no URL parser accepts is served as a request to nowhere (and refused). */
function parseUrl(request: TwinRequest): URL {
  try {
    return new URL(request.url);
  } catch {
    return new URL('http://twin.invalid/');
  }
}

/** admin: the control plane answers before anything of the vendor's runs, and its writes are saved. */
async function admin<S>(engine: Engine<S>, request: TwinRequest, url: URL): Promise<TwinResponse> {
  if (request.bodyTooLarge) {
    return { status: 413, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: `[twinverse] the request body is larger than the ${engine.core.name} twin accepts (${engine.bodyLimit} bytes)` }) };
  }
  const response = await engine.admin!(request, url);
  if (engine.persist && !SAFE_METHODS.has(request.method) && response.status < 300) {
    try {
      await engine.persist();
    } catch (error) {
      return { status: 503, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: `[twinverse] the change was made but could not be saved: ${(error as Error).message}` }) };
    }
  }
  return response;
}

/** receive: the context is built here, once, with every field it will have; later stages fill them in. */
function receive<S>(engine: Engine<S>, request: TwinRequest, url: URL): RequestContext<S> {
  return {
    request,
    url,
    baseUrl: request.baseUrl ?? url.origin,
    headers: request.headers,
    state: engine.store.data,
    ids: engine.store.ids,
    clock: engine.clock,
    memo: engine.memo,
    operation: undefined,
    auth: undefined,
    params: {},
    query: {},
    body: undefined,
  };
}

/** route: the OpenAPI document is the route table; what it does not describe, or the twin does not handle, is refused. */
function route<S>(engine: Engine<S>, compiled: CompiledSpec, ctx: RequestContext<S>): CompiledOperation {
  // Empty segments are dropped, as most web servers do: clients given a base URL ending in "/" send "//".
  let path = ctx.url.pathname.includes('//') ? ctx.url.pathname.replace(/\/{2,}/g, '/') : ctx.url.pathname;
  const notEmulated = () => new EngineError('route_not_found', `${ctx.request.method} ${ctx.url.pathname} is not emulated by the ${engine.core.name} twin`);
  if (compiled.prefix) {
    if (path !== compiled.prefix && !path.startsWith(compiled.prefix + '/')) throw notEmulated();
    path = path.slice(compiled.prefix.length) || '/';
  }
  const match = compiled.router.match(path);
  if (!match) throw notEmulated();
  // HEAD is answered wherever GET is, as HTTP servers do (RFC 9110 §9.3.2): the GET's answer, without its body.
  const operation = match.methods.get(ctx.request.method) ?? (ctx.request.method === 'HEAD' ? match.methods.get('GET') : undefined);
  if (!operation) {
    const allow = [...match.methods.keys()];
    if (allow.includes('GET') && !allow.includes('HEAD')) allow.push('HEAD');
    throw new EngineError('method_not_allowed', `${ctx.request.method} is not supported on ${match.template}`, [], undefined, { allow });
  }
  ctx.params = match.params;
  return operation;
}

/** emulated: an operation the document describes but the twin has no handler for is refused before anyone acts on it. */
function emulated<S>(engine: Engine<S>, operation: CompiledOperation): void {
  if (!engine.core.handlers[operation.info.operationId]) {
    throw new EngineError('not_implemented', `${operation.info.operationId} (${operation.info.method} ${operation.info.path}) is described but not emulated by the ${engine.core.name} twin`);
  }
}

/** authenticate: the twin decides who is calling before any plugin or handler acts for them. */
function authenticate<S>(engine: Engine<S>, ctx: RoutedContext<S>): OperationContext<S, unknown> | Promise<OperationContext<S, unknown>> {
  const auth = engine.core.authenticate ? engine.core.authenticate(ctx) : undefined;
  return auth instanceof Promise ? auth.then((a) => Object.assign(ctx, { auth: a })) : Object.assign(ctx, { auth });
}

/** validate: parameters and body are checked (and coerced) against the document before the handler sees them. */
function validate<S>(operation: CompiledOperation, ctx: OperationContext<S, unknown>): OperationContext<S, unknown> {
  const query: Record<string, unknown> = {};
  const headerParams: Record<string, unknown> = {};
  // A request with no query string has no query parameter to collect (and needs no URLSearchParams built).
  const hasQuery = ctx.url.search !== '';
  for (const p of operation.parameters) {
    if (p.in === 'query') {
      if (!hasQuery) continue;
      const all = ctx.url.searchParams.getAll(p.name);
      if (all.length) query[p.name] = p.isArray ? all.flatMap((v) => v.split(',')) : all[0];
    } else if (p.in === 'header' && ctx.headers[p.name] !== undefined) {
      headerParams[p.name] = ctx.headers[p.name];
    }
  }
  const diagnostics = operation.validateParameters({ path: ctx.params, query, header: headerParams });
  const text = ctx.request.body ?? '';
  if (operation.requestMediaTypes.length > 0 && text.length > 0) {
    const mediaType = mediaTypeOf(ctx.headers['content-type']) ?? 'application/json';
    if (!operation.requestMediaTypes.includes(mediaType) && !operation.requestMediaTypes.includes('*/*')) {
      throw new EngineError('unsupported_media_type', `${operation.info.operationId} takes ${operation.requestMediaTypes.join(' or ')}, not ${mediaType}`);
    }
    ctx.body = parseBody(mediaType, text);
    diagnostics.push(...operation.validateBody(mediaType, ctx.body));
  } else if (operation.requestBodyRequired) {
    diagnostics.push({ in: 'body', name: 'body', message: 'is required' });
  }
  if (diagnostics.length) throw new EngineError('invalid_request', 'The request does not match the OpenAPI document', diagnostics);
  ctx.query = query;
  return ctx;
}

/**
 * transaction: a write's handler sees the state through a transaction, so that a request that fails (a throw
 * midway, a drift, a save that did not happen) leaves the state as it was, and a save writes only what changed.
 */
function transaction<S>(engine: Engine<S>, ctx: OperationContext<S, unknown>): Transaction<S> | undefined {
  if (SAFE_METHODS.has(ctx.request.method)) return undefined;
  const tx = beginTransaction(engine.store.data as S & object, { wholeRecords: engine.core.wholeRecords });
  Object.assign(ctx, { state: tx.state });
  return tx;
}

/** A failed request's changes are taken back, and with them whatever the memo derived from them (indexes). */
function undo<S>(engine: Engine<S>, tx: Transaction<S> | undefined): undefined {
  if (tx) {
    tx.rollback();
    engine.forget();
  }
  return undefined;
}

/** save: a change is kept before it is acknowledged; one that cannot be kept is taken back and answered as the vendor's 503. */
async function save<S>(engine: Engine<S>, ctx: RequestContext<S>, tx: Transaction<S>, draft: ResponseDraft): Promise<ResponseDraft> {
  const changes = tx.changes();
  if (changes.length === 0) return draft;
  try {
    await engine.persist!(changes);
    return draft;
  } catch (error) {
    undo(engine, tx);
    return render(engine, ctx, new EngineError('unavailable', `The ${engine.core.name} twin could not save the change, so it was not made: ${(error as Error).message}`, [], error));
  }
}

/** handler: the twin's behavior for the operation, on a fully validated context. */
function handler<S>(engine: Engine<S>, operation: CompiledOperation, ctx: OperationContext<S, unknown>): HandlerResult | Promise<HandlerResult> {
  return engine.core.handlers[operation.info.operationId](ctx);
}

/** fault: a plugin chose not to answer at all; the transport acts it out, and the journal says so. */
function fault<S>(engine: Engine<S>, ctx: RequestContext<S>, kind: TransportFault, notes: PluginNote[]): TwinResponse {
  record(engine, ctx, 0, notes);
  return { status: 0, headers: {}, fault: kind };
}

/** recover: a plugin may answer for a thrown error; otherwise the twin renders it in its vendor's envelope. */
function recover<S>(engine: Engine<S>, ctx: RequestContext<S>, error: unknown, plugins: PipelinePlugins | undefined, notes: PluginNote[]): { draft: ResponseDraft; checkable: boolean } {
  const replaced = plugins?.onError(ctx, error, notes);
  if (replaced) return { draft: normalize(replaced), checkable: true };
  return { draft: render(engine, ctx, error), checkable: !(error instanceof EngineError && UNCHECKED_REFUSALS.has(error.kind)) };
}

/** render: any thrown value becomes the vendor's error; a bug is reported as a failure event and never leaks a stack. */
function render<S>(engine: Engine<S>, ctx: RequestContext<S>, error: unknown): ResponseDraft {
  const draft = renderInEnvelope(engine, ctx, error);
  // A 405 names the methods the path does serve (RFC 9110 §15.5.6), whatever the vendor's envelope.
  if (draft.status === 405 && error instanceof EngineError && error.details.allow) draft.headers['allow'] ??= error.details.allow.join(', ');
  return draft;
}

/** The twin's renderError, guarded: a throw in it is reported and answered with a plain 500. */
function renderInEnvelope<S>(engine: Engine<S>, ctx: RequestContext<S>, error: unknown): ResponseDraft {
  if (!(error instanceof EngineError) && !(error instanceof TwinError)) {
    const where = ctx.operation?.operationId ?? 'the engine';
    engine.emit({ type: 'failure', operationId: ctx.operation?.operationId ?? null, message: `[twinverse] ${engine.core.name} twin: unexpected error in ${where}: ${(error as Error)?.stack ?? String(error)}`, diagnostics: [], error });
    error = new EngineError('internal', 'Unexpected error in a handler', [], error);
  }
  try {
    return normalize(engine.core.renderError(error, ctx));
  } catch (renderFailure) {
    engine.emit({ type: 'failure', operationId: null, message: `[twinverse] renderError of the ${engine.core.name} twin threw: ${String(renderFailure)}`, diagnostics: [], error: renderFailure });
    return { status: 500, headers: {}, body: { error: 'internal error' } };
  }
}

/** strict check: in strict mode the twin's own answer must match its document; a drift is reported and answered as the vendor's 500. */
function strictCheck<S>(engine: Engine<S>, ctx: RequestContext<S>, operation: CompiledOperation, draft: ResponseDraft): ResponseDraft {
  const diagnostics = operation.validateResponse(draft.status, draftMediaType(draft), draft.body);
  if (diagnostics.length === 0) return draft;
  const message = `[twinverse] strict mode: the ${engine.core.name} twin's ${draft.status} response to ${operation.info.operationId} does not match ${String(engine.core.openapi)}: ${diagnostics.map((d) => `${d.name} ${d.message}`).join('; ')}`;
  engine.emit({ type: 'drift', operationId: operation.info.operationId, message, diagnostics });
  return render(engine, ctx, new EngineError('response_drift', message, diagnostics));
}

/** finish: the twin's onResponse runs once, then the body is serialized for the transport. */
function finish<S>(engine: Engine<S>, ctx: RequestContext<S>, draft: ResponseDraft): TwinResponse {
  engine.core.onResponse?.(draft, ctx);
  const headers = draft.headers;
  let body: string | undefined;
  if (draft.body !== undefined) {
    if (typeof draft.body === 'string' && !isJsonType(headers['content-type'])) {
      body = draft.body;
      headers['content-type'] ??= 'text/plain; charset=utf-8';
    } else {
      body = JSON.stringify(draft.body);
      headers['content-type'] ??= 'application/json';
    }
  }
  // A HEAD answer is the GET's, headers and length included, with no body.
  if (ctx.request.method === 'HEAD' && body !== undefined) {
    headers['content-length'] ??= String(Buffer.byteLength(body));
    body = undefined;
  }
  return { status: draft.status, headers, body };
}

/** journal: the request is recorded for tests to assert on. */
function record<S>(engine: Engine<S>, ctx: RequestContext<S>, status: number, notes: PluginNote[]): void {
  const { request, url } = ctx;
  const entry: JournalEntry = {
    seq: 0,
    time: engine.timestamp(),
    method: request.method,
    path: url.pathname,
    query: url.search,
    operationId: ctx.operation?.operationId ?? null,
    status,
  };
  // Enough to assert on; a large upload is not kept whole a thousand times over.
  if (request.body) entry.requestBody = request.body.length > JOURNAL_BODY_LIMIT ? request.body.slice(0, JOURNAL_BODY_LIMIT) : request.body;
  if (notes.length) entry.plugins = notes;
  engine.journal(entry);
}

/** A handler's or plugin's result as a draft: status checked, header names in lower case. */
function normalize(result: HandlerResult): ResponseDraft {
  const status = result.status ?? 200;
  if (!Number.isInteger(status) || status < 100 || status > 599) throw new Error(`a handler answered status ${String(status)}`);
  const headers: Record<string, string | string[]> = {};
  if (result.headers) for (const name in result.headers) headers[name.toLowerCase()] = result.headers[name];
  return { status, headers, body: result.body };
}

function mediaTypeOf(value: string | undefined): string | undefined {
  return value?.split(';')[0].trim().toLowerCase() || undefined;
}

function isJsonType(contentType: string | string[] | undefined): boolean {
  const type = mediaTypeOf(Array.isArray(contentType) ? contentType[0] : contentType);
  return type === undefined || type === 'application/json' || type.endsWith('+json');
}

/** The media type a draft will be sent as: its content-type, or JSON (finish serializes anything else as JSON). */
function draftMediaType(draft: ResponseDraft): string | undefined {
  const ct = draft.headers['content-type'];
  return mediaTypeOf(Array.isArray(ct) ? ct[0] : ct) ?? (draft.body === undefined ? undefined : 'application/json');
}

function parseBody(mediaType: string | undefined, text: string): unknown {
  if (mediaType === 'application/x-www-form-urlencoded') {
    const out: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(text)) out[k] = v;
    return out;
  }
  if (mediaType === undefined || mediaType === 'application/json' || mediaType.endsWith('+json')) {
    if (jsonDepthOver(text, MAX_JSON_DEPTH)) throw new EngineError('malformed_body', `The request body nests deeper than ${MAX_JSON_DEPTH} levels`);
    try {
      return JSON.parse(text);
    } catch {
      throw new EngineError('malformed_body', 'The request body is not well-formed JSON');
    }
  }
  return text;
}

/**
 * Whether JSON text opens more than `max` arrays and objects inside each other, read before it is parsed (brackets
 * inside strings do not count). Ill-formed text is left for the parser to refuse.
 *
 * @example
 * jsonDepthOver('{"a":[[1]]}', 2); // true
 */
export function jsonDepthOver(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}
