import { atBaseUrl } from '../engine/base-url.js';
import type { RequestContext, ResponseDraft } from '../engine/types.js';

/**
 * How plugins read and rewrite a twin's list responses: the lag plugin hides recent writes from lists, the
 * pagination plugin shortens pages and inserts empty ones. A twin whose lists are not JSON arrays paged by a
 * `Link` header declares its own.
 *
 * @example
 * const shape: ListShape = linkHeaderList({ cursorParam: 'after' });
 */
export interface ListShape {
  /**
   * Whether a request reads a list (a GET, unless the twin says otherwise): the lag plugin counts every other
   * write, and both plugins rewrite only list reads. A twin whose lists are read by POST (Slack's methods) says which.
   */
  reads?(ctx: RequestContext<any>): boolean;
  /** The items of a list response, or undefined when the response is not a list. */
  items(response: ResponseDraft, ctx: RequestContext<any>): unknown[] | undefined;
  /** The id of an item, or of the resource a write answered with. */
  idOf(value: unknown): string | undefined;
  /** Whether the response links to a next page. */
  hasNext(response: ResponseDraft, ctx: RequestContext<any>): boolean;
  /**
   * The same response with other items, and its next-page link set: to the page that follows `after` (an item
   * of this page), to this very request again (`'same'`), or to none.
   */
  rewrite(response: ResponseDraft, ctx: RequestContext<any>, items: unknown[], next: { after: unknown } | 'same' | undefined): ResponseDraft;
}

/**
 * Whether a request reads a list, as the twin's shape says (a GET by default).
 *
 * @example
 * if (!readsList(shape, ctx)) return;
 */
export function readsList(shape: ListShape, ctx: RequestContext<any>): boolean {
  return shape.reads ? shape.reads(ctx) : ctx.request.method === 'GET';
}

const idOf = (value: unknown): string | undefined => {
  const id = value && typeof value === 'object' ? (value as { id?: unknown }).id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
};

const linkValues = (response: ResponseDraft): string[] => {
  const link = response.headers.link;
  return link === undefined ? [] : (Array.isArray(link) ? link : [link]).flatMap((v) => v.split(/,(?=\s*<)/)).map((v) => v.trim());
};

/**
 * Lists as a JSON array of objects with an `id`, paged with RFC 8288 `Link` headers (`rel="next"`) whose URL
 * carries the id of the page's last item in `cursorParam` (Okta's `after`).
 *
 * @example
 * defineTwin({ ..., lists: linkHeaderList({ cursorParam: 'after' }) });
 */
export function linkHeaderList(options: { cursorParam?: string } = {}): ListShape {
  const cursorParam = options.cursorParam ?? 'after';
  return {
    items: (response) => (response.status === 200 && Array.isArray(response.body) ? response.body : undefined),
    idOf,
    hasNext: (response) => linkValues(response).some((v) => /;\s*rel="?next"?/.test(v)),
    rewrite(response, ctx, items, next) {
      const kept = linkValues(response).filter((v) => !/;\s*rel="?next"?/.test(v));
      let nextUrl: string | undefined;
      if (next === 'same') nextUrl = ctx.baseUrl + ctx.url.pathname + ctx.url.search;
      else if (next) {
        const url = new URL(ctx.baseUrl + ctx.url.pathname + ctx.url.search);
        url.searchParams.set(cursorParam, idOf(next.after) ?? '');
        nextUrl = atBaseUrl(ctx.baseUrl, url);
      }
      if (nextUrl) kept.push(`<${nextUrl}>; rel="next"`);
      return { ...response, headers: { ...response.headers, link: kept }, body: items };
    },
  };
}
