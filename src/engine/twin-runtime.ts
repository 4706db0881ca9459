import { EventEmitter } from 'node:events';
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClock, type Clock, type ClockOption } from '../state/clock.js';
import { createStore, type Snapshot, type TwinExport } from '../state/store.js';
import type { StatePersistence } from '../state/persistence.js';
import { compileSpec, type CompiledSpec } from './compile-spec.js';
import { runPipeline, type Engine, type JournalEntry, type TwinEvent } from './pipeline.js';
import type { PipelinePlugins, TwinCore, TwinRequest, TwinResponse } from './types.js';

/** The body limit of a twin whose vendor documents none: larger than any request an SDK sends, small enough to hold. */
const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024;

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
  /** The largest request body, in bytes, to read; a larger one is refused with 413 unread. Default: the twin's own (TwinCore.bodyLimit), else 10 MiB. */
  bodyLimit?: number;
  /** Where changes are kept (the CLI's `--data` file): a write is acknowledged only once it is kept there. */
  persist?: StatePersistence;
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
  readonly definition: TwinCore<any, any>;
  readonly clock: Clock;
  /** The live state (plain data). */
  readonly state: S;
  /** Requests served so far, oldest first (bounded by journalLimit). */
  readonly requests: readonly JournalEntry[];
  /** 'drift' and 'failure' events (see TwinEvent); with no listener they are written to stderr. */
  readonly events: EventEmitter;
  /** The largest request body, in bytes, that transports read; they flag a larger one (TwinRequest.bodyTooLarge) unread. */
  readonly bodyLimit: number;
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

/**
 * What the engine is handed besides the twin: the plugin chain and the control plane, which live outside it.
 *
 * @example
 * const runtime = createTwinRuntime(exampleTwin, {}, { plugins: chain, admin: (request, url) => handleAdmin(twin, request, url) });
 */
export interface RuntimeParts {
  plugins?: PipelinePlugins;
  admin?: (request: TwinRequest, url: URL) => Promise<TwinResponse>;
}

/**
 * Where a twin's OpenAPI document is: a file URL or an absolute path. A relative path would depend on the
 * directory the tests happen to run from, so it is refused with the fix.
 *
 * @example
 * documentPath('example', new URL('./example.yaml', import.meta.url)); // '/home/me/project/twins/example.yaml'
 */
export function documentPath(name: string, openapi: URL | string): string {
  if (openapi instanceof URL || openapi.startsWith('file:')) return fileURLToPath(openapi);
  if (isAbsolute(openapi)) return openapi;
  throw new Error(`[twinverse] ${name} twin: openapi "${openapi}" is a relative path; give new URL('${openapi.startsWith('.') ? openapi : './' + openapi}', import.meta.url) or an absolute path`);
}

/**
 * Creates a twin instance with no transport around it; each owns its state, clock and journal.
 *
 * @example
 * const twin = createTwinRuntime(exampleTwin, { strict: true, idSeed: 7 });
 * await twin.ready(); // rejects if the OpenAPI document does not compile
 */
export function createTwinRuntime<S, A>(definition: TwinCore<S, A>, options: TwinOptions = {}, parts: RuntimeParts = {}): TwinRuntime<S> {
  const store = createStore(definition.name, definition.seed, options.idSeed);
  const clock = createClock(options.clock ?? 'system');
  const events = new EventEmitter();
  const journal: JournalEntry[] = [];
  const journalLimit = options.journalLimit ?? 1000;
  let journalSeq = 0;
  // Requests within one millisecond share their journal timestamp's text.
  let lastStamp = { ms: NaN, text: '' };
  let memo = new Map<string, unknown>();
  store.onReplace(() => (memo = new Map()));
  const file = documentPath(definition.name, definition.openapi);
  let specPromise: Promise<CompiledSpec> | undefined;

  const bodyLimit = options.bodyLimit ?? definition.bodyLimit ?? DEFAULT_BODY_LIMIT;
  if (!Number.isSafeInteger(bodyLimit) || bodyLimit < 0) throw new Error(`[twinverse] ${definition.name} twin: bodyLimit ${String(bodyLimit)} must be a whole number of bytes`);

  const engine: Engine<S> = {
    core: definition,
    store,
    clock,
    strict: Boolean(options.strict),
    bodyLimit,
    plugins: parts.plugins,
    admin: parts.admin,
    spec() {
      if (!specPromise) {
        specPromise = compileSpec(file).then((compiled) => {
          const strays = Object.keys(definition.handlers).filter((id) => !compiled.operations.has(id));
          if (strays.length) {
            throw new Error(`[twinverse] ${definition.name} twin: handler ${strays.join(', ')} matches no operationId in ${file}; rename it after the operation, or describe the operation`);
          }
          engine.compiled = compiled;
          return compiled;
        });
        // A failed load is tried again on the next request rather than remembered.
        specPromise.catch(() => (specPromise = undefined));
      }
      return specPromise;
    },
    memo<T>(key: string, build: () => T): T {
      if (!memo.has(key)) memo.set(key, build());
      return memo.get(key) as T;
    },
    forget() {
      memo = new Map();
    },
    emit(event: TwinEvent) {
      if (events.listenerCount(event.type) > 0) events.emit(event.type, event);
      else console.error(event.message);
    },
    timestamp() {
      const ms = clock.nowMs();
      if (ms !== lastStamp.ms) lastStamp = { ms, text: new Date(ms).toISOString() };
      return lastStamp.text;
    },
    journal(entry) {
      entry.seq = ++journalSeq;
      journal.push(entry);
      // Trimmed in batches, not by one shift per request once full: `requests` shows only the last journalLimit.
      if (journal.length >= 2 * journalLimit + 64) journal.splice(0, journal.length - journalLimit);
    },
    persist: options.persist
      ? (changes) => (changes ? options.persist!.append(definition.name, changes, store.ids.save()) : options.persist!.replace(store.export()))
      : undefined,
  };

const runtime: TwinRuntime<S> = {
    name: definition.name,
    definition,
    clock,
    get state() {
      return store.data;
    },
    get requests() {
      return journal.length > journalLimit ? journal.slice(journal.length - journalLimit) : journal;
    },
    events,
    bodyLimit,
    handle(request) {
      // The last line of defence: whatever failed (a throwing event listener, a broken clock), the client gets a
      // plain 500 and never a stack trace.
      return runPipeline(engine, request).catch((error: unknown) => {
        engine.emit({ type: 'failure', operationId: null, message: `[twinverse] ${definition.name} twin: ${(error as Error)?.stack ?? String(error)}`, diagnostics: [], error });
        return { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: `[twinverse] the ${definition.name} twin failed to answer; see its failure event` }) };
      });
    },
    ready: async () => {
      await engine.spec();
    },
    reset() {
      store.reset();
      clock.reset();
      journal.length = 0;
      parts.plugins?.reset();
    },
    snapshot: () => store.snapshot(),
    restore: (snapshot) => store.restore(snapshot),
    exportState: () => store.export(),
    importState: (doc) => store.import(doc),
    reseed: (doc) => store.reseed(doc),
  };
  return runtime;
}

export type { JournalEntry, TwinEvent } from './pipeline.js';
