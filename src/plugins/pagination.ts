import { linkHeaderList, readsList } from './lists.js';
import type { Plugin, PluginTarget } from './plugin.js';

/**
 * Options of the pagination-quirks plugin.
 *
 * @example
 * const options: PaginationQuirksOptions = { shortPage: 1, emptyBeforeLast: true };
 */
export interface PaginationQuirksOptions extends PluginTarget {
  /** Pages carry at most this many items, and still link to the next page (which goes on after the last item sent). */
  shortPage?: number;
  /** The last page is preceded by an empty page that links to it. */
  emptyBeforeLast?: boolean;
}

/**
 * Pages as real services sometimes send them, to test that a client follows links rather than counting items:
 * short pages that still link to a next one, and an empty page before the last. No item is lost or repeated.
 *
 * @example
 * okta.use(paginationQuirks({ shortPage: 1, operationId: 'listUsers' }));
 */
export function paginationQuirks(options: PaginationQuirksOptions): Plugin {
  const { shortPage, emptyBeforeLast, ...target } = options;
  if (shortPage === undefined && !emptyBeforeLast) throw new Error('[twinverse] pagination: give shortPage (items per page) and/or emptyBeforeLast: true');
  if (shortPage !== undefined && !(Number.isInteger(shortPage) && shortPage >= 1)) throw new Error('[twinverse] pagination: shortPage is a whole number of items, at least 1');
  return {
    name: 'pagination',
    options: { ...options },
    ...target,
    after(ctx, response, scope) {
      const shape = scope.twin.lists ?? linkHeaderList();
      if (!readsList(shape, ctx)) return;
      const items = shape.items(response, ctx);
      if (!items || items.length === 0) return;
      if (shortPage !== undefined && items.length > shortPage) {
        const kept = items.slice(0, shortPage);
        scope.note(`cut the page from ${items.length} to ${kept.length} item(s); its next link goes on after the last one sent`);
        return shape.rewrite(response, ctx, kept, { after: kept[kept.length - 1] });
      }
      if (!emptyBeforeLast || shape.hasNext(response, ctx)) return;
      // The empty page links to this same request; asked again, it gets the real last page (and the next listing the quirk again).
      // The page is known by its items, not its URL: a client that reads lists by POST sends its cursor in the body.
      const page = `${ctx.url.pathname}\n${items.map((item) => shape.idOf(item)).join(',')}`;
      const emptied: Set<string> = scope.memory.get('emptied') ?? scope.memory.set('emptied', new Set()).get('emptied');
      if (emptied.delete(page)) return;
      emptied.add(page);
      scope.note('answered an empty page that links to the last one');
      return shape.rewrite(response, ctx, [], 'same');
    },
  };
}
