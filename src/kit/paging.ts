import { atBaseUrl } from '../engine/base-url.js';
import type { RequestContext } from '../engine/types.js';

/**
 * How one cursor page is asked for: at most `limit` items after the item whose id is `after`, among the items
 * `where` accepts (all of them without it). The query parameter names are those the vendor's next links carry
 * (`after` and `limit` unless given).
 *
 * @example
 * const request: CursorPageRequest<User> = { limit: 200, after: ctx.query.after, where: (user) => user.status !== 'DELETED' };
 */
export interface CursorPageRequest<T = any> {
  limit: number;
  after?: string;
  cursorParam?: string;
  limitParam?: string;
  /** Only items it accepts are listed, and only such an item can be the cursor. */
  where?: (item: T) => boolean;
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
 * The items of a keyed collection in state (such as `state.users`) in the order they were added, indexed by key so
 * that a page starts at its cursor instead of walking, filtering or copying everything before it. The record stays
 * plain data; the index lives beside it (in the context's memo) and is built once per state. Keep it true by
 * telling it of every key added to or deleted from the record, in the same place the record is written.
 *
 * @example
 * const order = recordOrder(ctx, 'users', ctx.state.users);
 * ctx.state.users[user.id] = user;
 * order.add(user.id);
 * const { page, headers } = cursorPage(ctx, order, { limit: 200, after: ctx.query.after });
 */
export interface RecordOrder<T> {
  /** Notes a key just added to the record. A key it already holds keeps its place, as an assignment keeps a key's place in the record. */
  add(key: string): void;
  /** Notes a key just deleted from the record. */
  remove(key: string): void;
  /** The item under a key, if the record holds one. */
  get(key: string): T | undefined;
  /** The items after the one under `key` (from the first without a key), in order; undefined when the record holds no such key. */
  after(key?: string): Iterable<T> | undefined;
}

// A deleted key keeps its slot until the array is compacted, which happens once deleted keys are the larger part (so
// a delete costs O(1) amortized). Until then a key whose delete was undone (a failed request rolled back) is found
// again in its old place, and one deleted for good is skipped because the record no longer holds it.
const COMPACT_MIN_DELETED = 64;

/** The keys alone, in order, with each key's position: what the memo keeps (the record is handed in on each use). */
class KeyIndex {
  keys: (string | undefined)[];
  positions: Map<string, number>;
  private deleted = new Set<string>();

  constructor(keys: string[]) {
    this.keys = keys;
    this.positions = new Map(keys.map((key, i) => [key, i]));
  }

  add(key: string): void {
    const position = this.positions.get(key);
    if (position !== undefined && !this.deleted.has(key)) return;
    // A key added again after a delete goes last, as the record puts it.
    if (position !== undefined) this.keys[position] = undefined;
    this.deleted.delete(key);
    this.positions.set(key, this.keys.length);
    this.keys.push(key);
  }

  remove(key: string): void {
    if (this.positions.has(key)) this.deleted.add(key);
  }

  /** Drops the slots of keys the record no longer holds, once they are the larger part. */
  compact(record: Record<string, unknown>): void {
    if (this.deleted.size < COMPACT_MIN_DELETED || this.deleted.size * 2 <= this.keys.length) return;
    const keys = this.keys.filter((key): key is string => key !== undefined && Object.hasOwn(record, key));
    this.keys = keys;
    this.positions = new Map(keys.map((key, i) => [key, i]));
    this.deleted.clear();
  }
}

function* walk<T>(index: KeyIndex, record: Record<string, T>, from: number): Generator<T> {
  for (let i = from; i < index.keys.length; i++) {
    const key = index.keys[i];
    if (key !== undefined && Object.hasOwn(record, key)) yield record[key];
  }
}

/**
 * The order index of a keyed collection in state, built on first use from the record's own key order and kept in
 * the context's memo under `name` until the state is replaced (reset, restore, import). The record itself is read
 * as handed in, so the same index serves whatever view of the state a request has.
 *
 * @example
 * export const userOrder = (ctx: RequestContext<State>) => recordOrder(ctx, 'users', ctx.state.users);
 * cursorPage(ctx, userOrder(ctx), { limit: ctx.query.limit, after: ctx.query.after });
 */
export function recordOrder<T>(ctx: Pick<RequestContext, 'memo'>, name: string, record: Record<string, T>): RecordOrder<T> {
  const index = ctx.memo(`kit:record-order:${name}`, () => new KeyIndex(Object.keys(record)));
  index.compact(record);
  const get = (key: string) => (Object.hasOwn(record, key) ? record[key] : undefined);
  return {
    add: (key) => index.add(key),
    remove: (key) => index.remove(key),
    get,
    after(key) {
      if (key === undefined) return walk(index, record, 0);
      const position = index.positions.get(key);
      return position === undefined || get(key) === undefined ? undefined : walk(index, record, position + 1);
    },
  };
}

/** The items after the cursor among those `where` accepts; undefined when the cursor is not one of them. */
function itemsAfter<T extends { id: string }>(items: readonly T[] | RecordOrder<T>, after: string | undefined, where: ((item: T) => boolean) | undefined): Iterable<T> | undefined {
  if (!Array.isArray(items)) {
    const order = items as RecordOrder<T>;
    if (after === undefined) return order.after();
    const cursor = order.get(after);
    return cursor !== undefined && (!where || where(cursor)) ? order.after(after) : undefined;
  }
  const list = items as readonly T[];
  const index = after === undefined ? -1 : list.findIndex((item) => item.id === after);
  if (after !== undefined && (index < 0 || (where && !where(list[index])))) return undefined;
  return (function* () {
    for (let i = index + 1; i < list.length; i++) yield list[i];
  })();
}

/**
 * One page of a list in cursor style: the cursor is the id of the last item of the previous page, and the `Link`
 * header carries `rel="self"` and, when more items follow, `rel="next"` as absolute URLs on the twin's own base URL
 * (SDKs follow the next link exactly as given, so it must lead back to the same twin wherever it is mounted).
 * The items are an array, or a record's order index (see recordOrder): then a page costs in proportion to the
 * items walked from the cursor until the page and one more accepted item are found, not to the whole collection.
 *
 * @example
 * const { page, headers } = cursorPage(ctx, Object.values(ctx.state.items), { limit: ctx.query.limit, after: ctx.query.after });
 * // headers.link: ['<https://api.example.test/items?limit=2>; rel="self"', '<https://api.example.test/items?limit=2&after=it2>; rel="next"']
 */
export function cursorPage<T extends { id: string }>(ctx: Pick<RequestContext, 'baseUrl' | 'url'>, items: readonly T[] | RecordOrder<T>, request: CursorPageRequest<T>): CursorPage<T> {
  const { limit, after, cursorParam = 'after', limitParam = 'limit', where } = request;
  const page: T[] = [];
  let more = false;
  // An unknown cursor (its item deleted, or made up) ends the listing rather than starting it over.
  const rest = itemsAfter(items, after, where);
  if (rest && limit > 0) {
    for (const item of rest) {
      if (where && !where(item)) continue;
      if (page.length === limit) {
        more = true;
        break;
      }
      page.push(item);
    }
  }
  const self = new URL(ctx.baseUrl + ctx.url.pathname);
  for (const [key, value] of ctx.url.searchParams) self.searchParams.append(key, value);
  const links = [`<${atBaseUrl(ctx.baseUrl, self)}>; rel="self"`];
  if (more) {
    const next = new URL(self);
    next.searchParams.set(cursorParam, page[page.length - 1].id);
    next.searchParams.set(limitParam, String(limit));
    links.push(`<${atBaseUrl(ctx.baseUrl, next)}>; rel="next"`);
  }
  return { page, headers: { link: links } };
}
