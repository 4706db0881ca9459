import { decodeCursor, encodeCursor } from '../../../src/index.js';
import { SlackError } from '../errors.js';

/**
 * The cursor kinds of Slack's lists: users and member ids page by user id, conversations by channel id, messages by
 * ts, scheduled messages by their id, reactions and pins by `channel:ts`.
 */
export type CursorKind = 'user' | 'channel' | 'next_ts' | 'scheduled' | 'item';

/**
 * Where a page starts: the key after which it goes on ('' for the start); invalid_cursor for a cursor the twin did
 * not make (docs.slack.dev/apis/web-api/pagination).
 *
 * @example
 * const after = cursorKey('user', args(ctx).cursor); // undefined without a cursor
 */
export function cursorKey(kind: CursorKind, cursor: unknown): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const key = typeof cursor === 'string' ? decodeCursor(kind, cursor) : undefined;
  if (key === undefined) throw new SlackError('invalid_cursor');
  return key;
}

/**
 * The cursor of the page after the one that ends with the item of `key`.
 *
 * @example
 * nextCursor('user', 'U0ADMIN001'); // 'dXNlcjpVMEFETUlOMDAx'
 */
export function nextCursor(kind: CursorKind, key: string): string {
  return encodeCursor(kind, key);
}

/**
 * One page of a list in Slack's cursor style: at most `limit` items (all of them for 0) after the cursor's, and
 * `next_cursor`, empty at the end.
 *
 * @example
 * const { page, next_cursor } = cursorSlice(users, (u) => u.id, 'user', a.cursor, a.limit ?? 0);
 */
export function cursorSlice<T>(items: T[], keyOf: (item: T) => string, kind: CursorKind, cursor: unknown, limit: number): { page: T[]; next_cursor: string } {
  const after = cursorKey(kind, cursor);
  const start = after ? (items.findIndex((item) => keyOf(item) === after) + 1 || items.length) : 0;
  const page = limit > 0 ? items.slice(start, start + limit) : items.slice(start);
  const more = start + page.length < items.length && page.length > 0;
  return { page, next_cursor: more ? nextCursor(kind, keyOf(page[page.length - 1])) : '' };
}

/**
 * Slack's legacy `count`/`page` paging (files.list, reactions.list): a page of items and the `paging` object.
 *
 * @example
 * const { page, paging } = legacyPage(files, a.count ?? 100, a.page ?? 1);
 */
export function legacyPage<T>(items: T[], count: number, pageNumber: number): { page: T[]; paging: { count: number; total: number; page: number; pages: number } } {
  const size = count > 0 ? count : 100;
  const pages = Math.max(1, Math.ceil(items.length / size));
  return { page: items.slice((pageNumber - 1) * size, pageNumber * size), paging: { count: size, total: items.length, page: pageNumber, pages } };
}

/** The most items a cursor-paged method gives in one page (docs.slack.dev/apis/web-api/pagination: "no more than 1000"). */
const MAX_LIMIT = 1000;

/**
 * A page size as cursor-paged methods take it: `fallback` when none is given, invalid_limit above 1000.
 *
 * @example
 * const limit = pageLimit(a.limit, 100);
 */
export function pageLimit(value: unknown, fallback: number): number {
  const limit = Number(value) || fallback;
  if (limit > MAX_LIMIT) throw new SlackError('invalid_limit');
  return limit;
}
