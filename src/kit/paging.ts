import type { RequestContext } from '../engine/types.js';

/**
 * How one cursor page is asked for: at most `limit` items after the item whose id is `after`. The query
 * parameter names are those the vendor's next links carry (`after` and `limit` unless given).
 *
 * @example
 * const request: CursorPageRequest = { limit: 200, after: ctx.query.after };
 */
export interface CursorPageRequest {
  limit: number;
  after?: string;
  cursorParam?: string;
  limitParam?: string;
}

/**
 * One page of a list and the `Link` header values that go with it.
 *
 * @example
 * const { page, headers } = cursorPage(ctx, items, { limit: 2 });
 * return { status: 200, headers, body: page };
 */
export interface CursorPage<T> {
  page: T[];
  headers: { link: string[] };
}

/**
 * One page of a list in cursor style: the cursor is the id of the last item of the previous page, and the `Link`
 * header carries `rel="self"` and, when more items follow, `rel="next"` as absolute URLs on the twin's own base URL
 * (SDKs follow the next link exactly as given, so it must lead back to the same twin wherever it is mounted).
 *
 * @example
 * const { page, headers } = cursorPage(ctx, Object.values(ctx.state.items), { limit: ctx.query.limit, after: ctx.query.after });
 * // headers.link: ['<https://api.example.test/items?limit=2>; rel="self"', '<https://api.example.test/items?limit=2&after=it2>; rel="next"']
 */
export function cursorPage<T extends { id: string }>(ctx: Pick<RequestContext, 'baseUrl' | 'url'>, items: T[], request: CursorPageRequest): CursorPage<T> {
  const { limit, after, cursorParam = 'after', limitParam = 'limit' } = request;
  // An unknown cursor (its item deleted, or made up) ends the listing rather than starting it over.
  const start = after ? (items.findIndex((item) => item.id === after) + 1 || items.length) : 0;
  const page = items.slice(start, start + limit);
  const self = new URL(ctx.baseUrl + ctx.url.pathname);
  for (const [key, value] of ctx.url.searchParams) self.searchParams.append(key, value);
  const links = [`<${self.toString()}>; rel="self"`];
  if (start + limit < items.length && page.length > 0) {
    const next = new URL(self);
    next.searchParams.set(cursorParam, page[page.length - 1].id);
    next.searchParams.set(limitParam, String(limit));
    links.push(`<${next.toString()}>; rel="next"`);
  }
  return { page, headers: { link: links } };
}
