import type { TwinDefinition } from './types.js';

/**
 * Declares a twin. It checks the declaration and returns it unchanged, typed; the engine compiles the
 * OpenAPI document when the first instance serves its first request.
 *
 * @example
 * export const exampleTwin = defineTwin({
 *   name: 'example', openapi: 'openapi/example.yaml', seed: { items: {} },
 *   handlers: { getItem: (ctx) => ({ body: ctx.state.items[ctx.params.id] }) },
 *   renderError: () => ({ status: 500, body: { error: 'internal' } }),
 *   credentials: { lines: [] },
 * });
 */
export function defineTwin<S, A = unknown>(definition: TwinDefinition<S, A>): TwinDefinition<S, A> {
  if (!/^[a-z][a-z0-9-]*$/.test(definition.name)) {
    throw new Error(`[twinverse] defineTwin: name "${definition.name}" must be lower-case letters, digits and dashes, as typed on the command line`);
  }
  if (typeof definition.renderError !== 'function') {
    throw new Error(`[twinverse] defineTwin(${definition.name}): renderError is required: every refusal must be rendered in the vendor's envelope`);
  }
  return definition;
}
