import { EventEmitter } from 'node:events';
import { handleAdmin } from '../admin/admin-api.js';
import { createClock, type Clock, type ClockOption } from '../state/clock.js';
import { createStore, type Snapshot, type TwinExport } from '../state/store.js';
import { compileSpec, type CompiledOperation, type CompiledSpec } from './compile-spec.js';
import { EngineError, type Diagnostic, type EngineErrorKind } from './engine-error.js';
import { TwinError } from './twin-error.js';
import { packagePath } from './package-root.js';
import type { HandlerResult, RequestContext, TwinDefinition, TwinRequest, TwinResponse } from './types.js';

/**
 * Options shared by every way of running a twin.
 *
 * @example
 * const options: TwinOptions = { strict: true, clock: '2026-01-01T00:00:00.000Z', idSeed: 7 };
 */
export interface TwinOptions {
  /** Validate every response against the OpenAPI document; a drift answers 500 and emits a `drift` event. */
  strict?: boolean;
  /** 'system' (default) follows the wall clock; an instant starts a fixed clock there. */
  clock?: ClockOption;
  /** Seed for the id generator: the same seed gives the same ids. */
  idSeed?: number;
  /** How many requests the journal keeps (the oldest go first). Default 1000. */
  journalLimit?: number;
  /** Called after every request that may have changed the state, with the export to keep. */
  persist?: (doc: TwinExport) => Promise<void>;
}

/**
 * One request the twin served, as `GET /__twin/requests` lists it.
 *
 * @example
 * const last: JournalEntry | undefined = twin.requests.at(-1);
 * last?.operationId; // 'getItem'
 */
export interface JournalEntry {
  seq: number;
  time: string;
  method: string;
  path: string;
  query: string;
  operationId: string | null;
  status: number;
  requestBody?: string;
}

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
 * A twin instance without any transport: it turns a TwinRequest into a TwinResponse and owns its state.
 * Adapters (node:http, express, MSW) and the admin API sit around it.
 *
 * @example
 * const twin = createTwinRuntime(exampleTwin, { clock: '2026-01-01T00:00:00.000Z' });
 * const res = await twin.handle({ method: 'GET', url: 'https://api.example.test/items/1', headers: { authorization: 'Bearer example-token' } });
 */
export interface TwinRuntime<S = unknown> {
  readonly name: string;
  readonly definition: TwinDefinition<any, any>;
  readonly clock: Clock;
  /** The live state (plain data). */
  readonly state: S;
  /** Requests served so far, oldest first (bounded by journalLimit). */
  readonly requests: readonly JournalEntry[];
  /** 'drift' and 'failure' events (see TwinEvent); with no listener they are written to stderr. */
  readonly events: EventEmitter;
  handle(request: TwinRequest): Promise<TwinResponse>;
  /** Resolves once the OpenAPI document is compiled; rejects with the reason it cannot be. */
  ready(): Promise<void>;
  /** Back to the seed; the clock goes back to its start and the journal empties. New ids go on from where they were: none is given out twice. */
  reset(): void;
  snapshot(): Snapshot<S>;
  restore(snapshot: Snapshot<S>): void;
  exportState(): TwinExport<S>;
  importState(doc: unknown): void;
  /** Makes an export the seed that reset returns to. */
  reseed(doc: unknown): void;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const JOURNAL_BODY_LIMIT = 4096;

// Refusals about the emulated surface itself, which an operation's documented responses do not list.
const UNCHECKED_REFUSALS = new Set<EngineErrorKind>(['not_implemented', 'unsupported_media_type', 'internal', 'response_drift']);

function mediaTypeOf(value: string | undefined): string | undefined {
  return value?.split(';')[0].trim().toLowerCase() || undefined;
}

function parseBody(mediaType: string | undefined, text: string): unknown {
  if (mediaType === 'application/x-www-form-urlencoded') {
    const out: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(text)) out[k] = v;
    return out;
  }
  if (mediaType === undefined || mediaType === 'application/json' || mediaType.endsWith('+json')) {
    try {
      return JSON.parse(text);
    } catch {
      throw new EngineError('malformed_body', 'The request body is not well-formed JSON');
    }
  }
  return text;
}

function isJsonType(contentType: string | string[] | undefined): boolean {
  const type = mediaTypeOf(Array.isArray(contentType) ? contentType[0] : contentType);
  return type === undefined || type === 'application/json' || type.endsWith('+json');
}

/**
 * Creates a twin instance with no transport around it; each owns its state, clock and journal.
 *
 * @example
 * const twin = createTwinRuntime(exampleTwin, { strict: true, idSeed: 7 });
 * await twin.ready(); // rejects if the OpenAPI document does not compile
 */
export function createTwinRuntime<S, A>(definition: TwinDefinition<S, A>, options: TwinOptions = {}): TwinRuntime<S> {
  const store = createStore(definition.name, definition.seed, options.idSeed);
  const clock = createClock(options.clock ?? 'system');
  const events = new EventEmitter();
  const emit = (event: TwinEvent) => {
    if (events.listenerCount(event.type) > 0) events.emit(event.type, event);
    else console.error(event.message);
  };
  const journal: JournalEntry[] = [];
  const journalLimit = options.journalLimit ?? 1000;
  let journalSeq = 0;
  let memo = new Map<string, unknown>();
  store.onReplace(() => (memo = new Map()));
  let specPromise: Promise<CompiledSpec> | undefined;
  const spec = () => {
    if (!specPromise) {
      specPromise = compileSpec(packagePath(definition.openapi)).then((compiled) => {
        const strays = Object.keys(definition.handlers).filter((id) => !compiled.operations.has(id));
        if (strays.length) {
          throw new Error(`[twinverse] ${definition.name} twin: handler ${strays.join(', ')} matches no operationId in ${definition.openapi}; rename it after the operation, or describe the operation`);
        }
        return compiled;
      });
      // A failed load is tried again on the next request rather than remembered.
      specPromise.catch(() => (specPromise = undefined));
    }
    return specPromise;
  };

  const memoize = <T>(key: string, build: () => T): T => {
    if (!memo.has(key)) memo.set(key, build());
    return memo.get(key) as T;
  };

  function finish(result: HandlerResult, ctx: RequestContext<S>): TwinResponse & { json?: unknown } {
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(result.headers ?? {})) headers[k.toLowerCase()] = v;
    const status = result.status ?? 200;
    if (!Number.isInteger(status) || status < 100 || status > 599) throw new Error(`a handler answered status ${String(status)}`);
    const full = { status, headers, body: result.body };
    definition.onResponse?.(full, ctx);
    let body: string | undefined;
    if (full.body !== undefined) {
      if (typeof full.body === 'string' && !isJsonType(headers['content-type'])) {
        body = full.body;
        headers['content-type'] ??= 'text/plain; charset=utf-8';
      } else {
        body = JSON.stringify(full.body);
        headers['content-type'] ??= 'application/json';
      }
    }
    return { status: full.status, headers, body, json: full.body };
  }

  function render(error: unknown, ctx: RequestContext<S>, operation?: CompiledOperation): TwinResponse {
    if (!(error instanceof EngineError) && !(error instanceof TwinError)) {
      const event: TwinEvent = { type: 'failure', operationId: operation?.info.operationId ?? null, message: `[twinverse] ${definition.name} twin: unexpected error in ${operation?.info.operationId ?? 'the engine'}: ${(error as Error)?.stack ?? String(error)}`, diagnostics: [], error };
      emit(event);
      error = new EngineError('internal', 'Unexpected error in a handler', [], error);
    }
    try {
      return finish(definition.renderError(error, ctx), ctx);
    } catch (renderFailure) {
      emit({ type: 'failure', operationId: null, message: `[twinverse] renderError of the ${definition.name} twin threw: ${String(renderFailure)}`, diagnostics: [], error: renderFailure });
      return { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'internal error' }) };
    }
  }

  async function serve(request: TwinRequest, url: URL, ctx: RequestContext<S>): Promise<{ response: TwinResponse; operation?: CompiledOperation }> {
    const compiled = await spec();
    // Empty segments are dropped, as most web servers do: clients given a base URL ending in "/" send "//".
    let path = url.pathname.replace(/\/{2,}/g, '/');
    const notEmulated = () => new EngineError('route_not_found', `${request.method} ${url.pathname} is not emulated by the ${definition.name} twin`);
    if (compiled.prefix) {
      if (path !== compiled.prefix && !path.startsWith(compiled.prefix + '/')) throw notEmulated();
      path = path.slice(compiled.prefix.length) || '/';
    }
    const match = compiled.router.match(path);
    if (!match) throw notEmulated();
    const operation = match.methods.get(request.method);
    if (!operation) throw new EngineError('method_not_allowed', `${request.method} is not supported on ${match.template}`);
    ctx.operation = operation.info;
    try {
      const handler = definition.handlers[operation.info.operationId];
      if (!handler) throw new EngineError('not_implemented', `${operation.info.operationId} (${request.method} ${match.template}) is described but not emulated by the ${definition.name} twin`);
      const auth = definition.authenticate ? await definition.authenticate(ctx as RequestContext<S> & { operation: typeof operation.info }) : undefined;

      const query: Record<string, unknown> = {};
      const headerParams: Record<string, unknown> = {};
      for (const p of operation.parameters) {
        if (p.in === 'query') {
          const all = url.searchParams.getAll(p.name);
          if (all.length) query[p.name] = p.isArray ? all.flatMap((v) => v.split(',')) : all[0];
        } else if (p.in === 'header' && ctx.headers[p.name] !== undefined) {
          headerParams[p.name] = ctx.headers[p.name];
        }
      }
      const params: Record<string, unknown> = { ...match.params };
      const diagnostics = operation.validateParameters({ path: params, query, header: headerParams });

      const text = request.body ?? '';
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

      ctx.params = params;
      ctx.query = query;
      const result = await handler({ ...ctx, operation: operation.info, auth } as never);
      const response = finish(result, ctx);
      if (options.strict) checkDrift(operation, response);
      return { response, operation };
    } catch (error) {
      const response = render(error, ctx, operation);
      if (options.strict && !(error instanceof EngineError && UNCHECKED_REFUSALS.has(error.kind))) checkDrift(operation, response as TwinResponse & { json?: unknown });
      return { response, operation };
    }
  }

  function checkDrift(operation: CompiledOperation, response: TwinResponse & { json?: unknown }) {
    const ct = response.headers['content-type'];
    const diagnostics = operation.validateResponse(response.status, mediaTypeOf(Array.isArray(ct) ? ct[0] : ct), response.json);
    if (diagnostics.length === 0) return;
    const message = `[twinverse] strict mode: the ${definition.name} twin's ${response.status} response to ${operation.info.operationId} does not match ${definition.openapi}: ${diagnostics.map((d) => `${d.name} ${d.message}`).join('; ')}`;
    emit({ type: 'drift', operationId: operation.info.operationId, message, diagnostics });
    throw new EngineError('response_drift', message, diagnostics);
  }

  async function persist() {
    try {
      await options.persist!(store.export());
    } catch (error) {
      emit({ type: 'failure', operationId: null, message: `[twinverse] could not save the ${definition.name} twin's state: ${(error as Error).message}`, diagnostics: [], error });
    }
  }

  async function handleRequest(request: TwinRequest): Promise<TwinResponse> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      url = new URL('http://twin.invalid/');
    }
    const ctx: RequestContext<S> = {
      request,
      url,
      baseUrl: request.baseUrl ?? url.origin,
      params: {},
      query: {},
      headers: request.headers,
      body: undefined,
      state: store.data,
      ids: store.ids,
      clock,
      memo: memoize,
    };
    if (url.pathname.startsWith('/__twin/')) {
      const response = await handleAdmin(runtime, request, url);
      if (options.persist && !SAFE_METHODS.has(request.method) && response.status < 300) await persist();
      return response;
    }

    let outcome: { response: TwinResponse; operation?: CompiledOperation };
    try {
      outcome = await serve(request, url, ctx);
    } catch (error) {
      outcome = { response: render(error, ctx) };
    }
    const { response, operation } = outcome;
    journal.push({
      seq: ++journalSeq,
      time: clock.now().toISOString(),
      method: request.method,
      path: url.pathname,
      query: url.search,
      operationId: operation?.info.operationId ?? null,
      status: response.status,
      // Enough to assert on; a large upload is not kept whole a thousand times over.
      ...(request.body ? { requestBody: request.body.length > JOURNAL_BODY_LIMIT ? request.body.slice(0, JOURNAL_BODY_LIMIT) : request.body } : {}),
    });
    if (journal.length > journalLimit) journal.splice(0, journal.length - journalLimit);
    if (options.persist && !SAFE_METHODS.has(request.method) && operation && response.status < 400) await persist();
    return { status: response.status, headers: response.headers, body: response.body };
  }

  const runtime: TwinRuntime<S> = {
    name: definition.name,
    definition,
    clock,
    get state() {
      return store.data;
    },
    get requests() {
      return journal;
    },
    events,
    async handle(request) {
      try {
        return await handleRequest(request);
      } catch (error) {
        // The last line of defence: whatever failed (a throwing event listener, a broken clock), the client gets
        // a plain 500 and never a stack trace.
        emit({ type: 'failure', operationId: null, message: `[twinverse] ${definition.name} twin: ${(error as Error)?.stack ?? String(error)}`, diagnostics: [], error });
        return { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: `[twinverse] the ${definition.name} twin failed to answer; see its failure event` }) };
      }
    },
    ready: async () => {
      await spec();
    },
    reset() {
      store.reset();
      clock.reset();
      journal.length = 0;
    },
    snapshot: () => store.snapshot(),
    restore: (snapshot) => store.restore(snapshot),
    exportState: () => store.export(),
    importState: (doc) => store.import(doc),
    reseed: (doc) => store.reseed(doc),
  };
  return runtime;
}
