import type { ListShape, ResponseDraft } from '../../../src/index.js';
import type { RequestCtx } from '../types.js';
import { pageOffset, pageToken } from './search.js';

const LIST_KEYS = ['issues', 'values', 'comments', 'worklogs'] as const;

type ListBody = Record<string, any>;

const listKey = (body: ListBody) => LIST_KEYS.find((key) => Array.isArray(body[key]));
const bodyOf = (response: ResponseDraft): ListBody | undefined =>
  response.status === 200 && response.body && typeof response.body === 'object' && !Array.isArray(response.body) ? (response.body as ListBody) : undefined;
const idOf = (value: unknown): string | undefined => {
  const id = value && typeof value === 'object' ? (value as { id?: unknown }).id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
};

/**
 * Jira's lists, for the lag and pagination plugins: an object holding `issues`, `values`, `comments` or `worklogs`,
 * paged either by `nextPageToken` and `isLast` (/search/jql) or by `startAt`, `maxResults`, `total` and `isLast`
 * (older collections, the Agile API), with a `nextPage` link where Jira sends one. A shortened page reports the
 * smaller `maxResults` (Jira: "clients must read the maxResults value returned") and a next page that goes on
 * after its last item.
 *
 * @example
 * defineTwin({ ..., lists: jiraLists });
 */
export const jiraLists: ListShape = {
  items(response) {
    const body = bodyOf(response);
    const key = body && listKey(body);
    return key ? body[key] : undefined;
  },
  idOf,
  hasNext(response) {
    const body = bodyOf(response);
    if (!body) return false;
    if (typeof body.nextPageToken === 'string' || body.isLast === false) return true;
    const key = listKey(body);
    return typeof body.total === 'number' && typeof body.startAt === 'number' && key !== undefined && body.startAt + body[key].length < body.total;
  },
  rewrite(response, ctx, items, next) {
    const body = { ...(bodyOf(response) as ListBody) };
    const key = listKey(body)!;
    const original: unknown[] = body[key];
    // Where the next page starts: after the item named, again at this page's start ('same'), or nowhere.
    const cursorOf = (start: number) => (next === 'same' ? start : next ? start + original.findIndex((item) => idOf(item) === idOf(next.after)) + 1 : undefined);
    body[key] = items;
    if (!('startAt' in body)) {
      const request = ctx as RequestCtx;
      const start = pageOffset(request.url.searchParams.get('nextPageToken') ?? request.body?.nextPageToken);
      const cursor = cursorOf(start);
      if (cursor === undefined) delete body.nextPageToken;
      else body.nextPageToken = pageToken(cursor);
      body.isLast = cursor === undefined;
      return { ...response, body };
    }
    const cursor = cursorOf(body.startAt);
    const hidden = original.length - items.length;
    if (cursor === undefined) {
      if (typeof body.total === 'number') body.total = Math.max(0, body.total - hidden);
      if ('isLast' in body) body.isLast = true;
      delete body.nextPage;
      return { ...response, body };
    }
    body.maxResults = Math.max(cursor - body.startAt, items.length);
    if ('isLast' in body) body.isLast = false;
    if ('nextPage' in body || 'self' in body) {
      const url = new URL(ctx.baseUrl + ctx.url.pathname + ctx.url.search);
      url.searchParams.set('startAt', String(cursor));
      body.nextPage = url.toString();
    }
    return { ...response, body };
  },
};
