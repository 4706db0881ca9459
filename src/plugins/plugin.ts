import type { HandlerResult, OperationContext, RequestContext, ResponseDraft, TransportFault } from '../engine/types.js';
import type { TwinDefinition } from '../define-twin.js';

/**
 * What a plugin's before phase may answer instead of the handler: a result (validated in strict mode as the
 * handler's would be), or a transport fault (the connection dropped, or never answered).
 *
 * @example
 * const answer: PluginAnswer = { fault: 'drop' };
 */
export type PluginAnswer = HandlerResult | { fault: TransportFault };

/**
 * What a plugin's phase is given besides the request: its installation's id, seeded randomness, a memory
 * that a twin reset empties, the twin's declarations, and a way to tell the journal what it did.
 *
 * @example
 * before: (ctx, scope) => { if (scope.random() < 0.1) { scope.note('answered 503'); throw new EngineError('unavailable', 'try later'); } }
 */
export interface PluginScope {
  /** This installation's id, as `GET /__twin/plugins` lists it. */
  readonly id: string;
  /** The twin's declaration: its rate-limit policy, list shapes and credentials, for plugins that need them. */
  readonly twin: TwinDefinition<any, any>;
  /** A number in [0, 1) from this installation's seeded generator: the same seed gives the same run. */
  random(): number;
  /** This installation's own memory (counters, windows); a twin reset empties it. */
  readonly memory: Map<string, any>;
  /** Records in the request journal what this plugin did to the request. */
  note(action: string): void;
}

/**
 * Which requests a plugin acts on; every field given must match. A plugin with no target acts on every
 * request (including those no route matches, in its after phase).
 *
 * @example
 * const target: PluginTarget = { operationId: 'getUser', method: 'GET', when: (ctx) => ctx.url.searchParams.has('search') };
 */
export interface PluginTarget {
  /** One operationId or several. */
  operationId?: string | string[];
  /** One upper-case method or several. */
  method?: string | string[];
  /** A path template of the twin's document, e.g. `/api/v1/users/{id}` (parameter names need not match). */
  path?: string | string[];
  /** A predicate on the request. */
  when?: (ctx: RequestContext<any>) => boolean;
}

/**
 * A behavior plugin: a value with optional phases around the twin's handler, applied to the requests its
 * target picks. Built-in ones come from factories (`rateLimit()`, `fault()`, `latency()`, ...).
 *
 * @example
 * const slowUsers: Plugin = {
 *   name: 'slow-users',
 *   operationId: 'listUsers',
 *   before: async (ctx) => { await ctx.clock.sleep(200); },
 * };
 * twin.use(slowUsers);
 */
export interface Plugin extends PluginTarget {
  /** A name for listings and the journal. */
  readonly name: string;
  /** Plugins with the same key replace each other: the one installed last is in force (as with a twin's own rate-limit reporting). */
  readonly key?: string;
  /** The options it was made with, as `GET /__twin/plugins` shows them. */
  readonly options?: Record<string, unknown>;
  /** Before the request is validated and handled: answer instead of the handler, throw a refusal, wait, or do nothing. */
  before?(ctx: OperationContext<any, any>, scope: PluginScope): PluginAnswer | void | Promise<PluginAnswer | void>;
  /** After: sees every response once (success or error) and may change it or return another. */
  after?(ctx: RequestContext<any>, response: ResponseDraft, scope: PluginScope): ResponseDraft | void;
  /** On error: may answer for an error thrown before or by the handler, instead of the twin's error envelope. */
  onError?(ctx: RequestContext<any>, error: unknown, scope: PluginScope): HandlerResult | void;
}

/**
 * A plugin as installed on one twin, as `GET /__twin/plugins` and `twin.plugins` list it.
 *
 * @example
 * const [installed]: InstalledPlugin[] = twin.use(fault({ status: 503, nth: 2 }));
 * installed.id; // 'p1'
 */
export interface InstalledPlugin {
  id: string;
  name: string;
  options: Record<string, unknown>;
  /** `twin`: part of the twin itself; `options`: given when the twin was created; `runtime`: added with use() or the admin API. */
  origin: 'twin' | 'options' | 'runtime';
  /** False while another plugin with the same key, installed later, replaces it. */
  inForce: boolean;
}
