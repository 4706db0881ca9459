import { targets } from './chain.js';
import { linkHeaderList, readsList } from './lists.js';
import type { Plugin, PluginTarget } from './plugin.js';

/**
 * Options of the lag plugin: how long a write stays out of lists, and which lists lag (all of them by default).
 *
 * @example
 * const options: LagOptions = { ms: 5000, operationId: 'listUsers', when: (ctx) => ctx.url.searchParams.has('search') };
 */
export interface LagOptions extends PluginTarget {
  ms: number;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Eventual consistency: a resource created or updated stays out of list and search results for `ms` of the
 * twin's clock, then appears, as Okta documents for user search ("search results are eventually consistent").
 * Reads by id are not affected. The target picks the lists that lag; every write is watched.
 *
 * @example
 * okta.use(lag({ ms: 2000, operationId: 'listUsers' }));
 * // a user created now is missing from GET /api/v1/users until twin.clock.advance(2000)
 */
export function lag(options: LagOptions): Plugin {
  if (!(options.ms >= 0)) throw new Error('[twinverse] lag: ms is how long a write stays out of lists, a number of milliseconds >= 0');
  const { ms, ...listTarget } = options;
  return {
    name: 'lag',
    options: { ...options },
    after(ctx, response, scope) {
      const shape = scope.twin.lists ?? linkHeaderList();
      const recent: Map<string, number> = scope.memory.get('recent') ?? scope.memory.set('recent', new Map()).get('recent');
      const now = ctx.clock.nowMs();
      const read = readsList(shape, ctx);
      if (!read && WRITES.has(ctx.request.method) && ctx.operation && response.status < 300) {
        const id = shape.idOf(response.body);
        if (id !== undefined) recent.set(id, now + ms);
        return;
      }
      if (!read || !targets(listTarget, ctx)) return;
      const items = shape.items(response, ctx);
      if (!items) return;
      const hidden = items.filter((item) => (recent.get(shape.idOf(item) ?? '') ?? 0) > now);
      if (hidden.length === 0) return;
      scope.note(`hid ${hidden.length} item(s) written less than ${ms} ms ago: ${hidden.map((item) => shape.idOf(item)).join(', ')}`);
      return shape.rewrite(response, ctx, items.filter((item) => !hidden.includes(item)), shape.hasNext(response, ctx) ? { after: items[items.length - 1] } : undefined);
    },
  };
}
