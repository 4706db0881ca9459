import type { RequestContext, TwinCore } from './engine/types.js';
import type { ListShape } from './plugins/lists.js';
import type { Plugin } from './plugins/plugin.js';
import type { RateLimitPolicy } from './plugins/rate-limit.js';
import type { RecordedExchange, SeedFromRecording } from './record/exchange.js';
import type { RedactOptions } from './record/redact.js';

/**
 * Requests that show a twin at work, for the conformance suite every twin passes and for tools: the seeded
 * credentials, a read of something the seed holds, and a JSON write with a valid and an invalid body.
 *
 * @example
 * const probes: TwinProbes = {
 *   headers: { authorization: 'Bearer good' },
 *   read: '/api/items/it00000001',
 *   write: { method: 'POST', path: '/api/items', body: { name: 'new' }, invalid: { name: 42 } },
 * };
 */
export interface TwinProbes {
  /** Headers that authenticate as the seed's own user or app. */
  headers: Record<string, string>;
  /** The path (as a client sends it, server prefix included) of a GET the seeded twin answers with 200 and a JSON object. */
  read: string;
  /** A JSON write the seeded twin accepts with `body` and refuses as a schema violation with `invalid`. */
  write: { method: string; path: string; body: unknown; invalid: unknown };
}

/**
 * A twin's declaration: what the engine needs (document, seed, handlers, error envelope) and what plugins and
 * tools read (its own plugins, rate-limit policy, list shape, probes). It knows no transport.
 *
 * @example
 * export const exampleTwin = defineTwin({
 *   name: 'example', openapi: new URL('./example.yaml', import.meta.url), seed: { items: {} },
 *   handlers: { getItem: (ctx) => ({ body: ctx.state.items[ctx.params.id] }) },
 *   renderError: () => ({ status: 500, body: { error: 'internal' } }),
 *   credentials: { lines: [] },
 * });
 */
export interface TwinDefinition<S = unknown, A = unknown, Op extends string = string> extends TwinCore<S, A, Op> {
  /** Plugins that are part of the twin's behavior (e.g. rate-limit headers on every response); always installed first. */
  plugins?: Plugin[];
  /** How the vendor limits request rates: buckets, limits and the headers it sends. */
  rateLimits?: RateLimitPolicy;
  /** How plugins read and rewrite the twin's list responses (lag, pagination quirks); a JSON array with a Link header by default. */
  lists?: ListShape;
  /** The credential a request carries, for the expiring-credentials plugin; the Authorization header's credential by default. */
  credentialOf?: (ctx: RequestContext<S>) => string | undefined;
  /** Requests the conformance suite sends to show the twin at work. */
  probes?: TwinProbes;
  /** The vendor's secrets a recording must not keep, beyond credential headers and OAuth's own (see `twinverse record`). */
  secrets?: RedactOptions;
  /**
   * Builds a starting state from what a recording of the real vendor shows (`serve --seed-from file.har`): it is
   * handed the recording's successful exchanges (2xx with a body) in order, and a copy of the twin's seed, and
   * returns the seed grown by the resources the reads among them show (the twin knows which of its operations
   * read: GET for REST APIs, named methods for RPC-style ones).
   */
  seedFromRecording?: (exchanges: RecordedExchange[], seed: S) => SeedFromRecording<S>;
}

/**
 * Declares a twin. It checks the declaration and returns it unchanged, typed; the engine compiles the
 * OpenAPI document when the first instance serves its first request. Give `Op` (the union of the document's
 * operationIds, as `twinverse operation-ids` writes it) to have the compiler check the handler map.
 *
 * @example
 * export const exampleTwin = defineTwin<ExampleState, Caller, ExampleOperationId>({
 *   name: 'example', openapi: new URL('./example.yaml', import.meta.url), seed: { items: {} },
 *   handlers: { getItem: (ctx) => ({ body: ctx.state.items[ctx.params.id] }) },
 *   renderError: () => ({ status: 500, body: { error: 'internal' } }),
 *   credentials: { lines: [] },
 * });
 */
export function defineTwin<S, A = unknown, Op extends string = string>(definition: TwinDefinition<S, A, Op>): TwinDefinition<S, A, Op> {
  if (!/^[a-z][a-z0-9-]*$/.test(definition.name)) {
    throw new Error(`[twinverse] defineTwin: name "${definition.name}" must be lower-case letters, digits and dashes, as typed on the command line`);
  }
  if (typeof definition.renderError !== 'function') {
    throw new Error(`[twinverse] defineTwin(${definition.name}): renderError is required: every refusal must be rendered in the vendor's envelope`);
  }
  const openapi = definition.openapi as unknown;
  if (!(openapi instanceof URL) && typeof openapi !== 'string') {
    throw new Error(`[twinverse] defineTwin(${definition.name}): openapi must be the document's file URL (new URL('./api.yaml', import.meta.url)) or an absolute path`);
  }
  return definition;
}
