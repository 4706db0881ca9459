import { expect, test } from 'vitest';
import { cursorPage, recordOrder } from './paging.js';

const items = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
const at = (url: string) => ({ baseUrl: 'https://twin.test/mount', url: new URL(url) });

test('a first page links to itself and to the next page after its last item, on the base URL', () => {
  const { page, headers } = cursorPage(at('http://internal/items?q=x'), items, { limit: 2 });
  expect(page.map((i) => i.id)).toEqual(['a', 'b']);
  expect(headers.link).toEqual([
    '<https://twin.test/mount/items?q=x>; rel="self"',
    '<https://twin.test/mount/items?q=x&after=b&limit=2>; rel="next"',
  ]);
});

test('the links start with the base URL as the request gave it, as the links in bodies do', () => {
  const { headers } = cursorPage({ baseUrl: 'http://Twin.Test:80', url: new URL('http://internal/items?q=a%20b') }, items, { limit: 4 });
  expect(headers.link).toEqual(['<http://Twin.Test:80/items?q=a+b>; rel="self"', '<http://Twin.Test:80/items?q=a+b&after=d&limit=4>; rel="next"']);
});

test('the last page has no next link, and an unknown cursor ends the listing', () => {
  expect(cursorPage(at('http://internal/items'), items, { limit: 2, after: 'd' }).headers.link).toHaveLength(1);
  expect(cursorPage(at('http://internal/items'), items, { limit: 2, after: 'gone' }).page).toEqual([]);
});

test('the query parameter names of the next link can be the vendor own', () => {
  const { headers } = cursorPage(at('http://internal/items'), items, { limit: 1, cursorParam: 'cursor', limitParam: 'count' });
  expect(headers.link[1]).toBe('<https://twin.test/mount/items?cursor=a&count=1>; rel="next"');
});

test('where narrows the list, and a cursor it does not accept ends the listing', () => {
  const odd = (item: { id: string }) => item.id !== 'b' && item.id !== 'd';
  const first = cursorPage(at('http://internal/items'), items, { limit: 2, where: odd });
  expect(first.page.map((i) => i.id)).toEqual(['a', 'c']);
  expect(first.headers.link[1]).toBe('<https://twin.test/mount/items?after=c&limit=2>; rel="next"');
  expect(cursorPage(at('http://internal/items'), items, { limit: 2, after: 'c', where: odd }).page.map((i) => i.id)).toEqual(['e']);
  expect(cursorPage(at('http://internal/items'), items, { limit: 2, after: 'b', where: odd }).page).toEqual([]);
});

/** A context whose memo lives as long as the test, as a twin's lives as long as its state. */
function memoContext() {
  const memo = new Map<string, unknown>();
  return {
    memo<T>(key: string, build: () => T): T {
      if (!memo.has(key)) memo.set(key, build());
      return memo.get(key) as T;
    },
  };
}

test('a record order pages like the array of its values, and keeps up with adds and deletes', () => {
  const ctx = memoContext();
  const record: Record<string, { id: string }> = Object.fromEntries(items.map((item) => [item.id, item]));
  const order = () => recordOrder(ctx, 'items', record);
  const ids = (after?: string) => cursorPage(at('http://internal/items'), order(), { limit: 2, after }).page.map((i) => i.id);
  expect(ids()).toEqual(['a', 'b']);
  expect(ids('b')).toEqual(['c', 'd']);
  record.f = { id: 'f' };
  order().add('f');
  delete record.c;
  order().remove('c');
  expect(ids('b')).toEqual(['d', 'e']);
  expect(ids('e')).toEqual(['f']);
  expect(ids('c')).toEqual([]);
  // An edit of a key the record holds keeps its place, as the record keeps it.
  record.a = { id: 'a' };
  order().add('a');
  expect(ids()).toEqual(['a', 'b']);
});

test('a record order skips a key deleted behind its back and stays right across many deletes', () => {
  const ctx = memoContext();
  const record: Record<string, { id: string }> = {};
  for (let i = 0; i < 300; i++) record[`k${i}`] = { id: `k${i}` };
  const order = recordOrder(ctx, 'many', record);
  for (let i = 0; i < 290; i++) {
    delete record[`k${i}`];
    order.remove(`k${i}`);
  }
  delete record.k295;
  const page = cursorPage(at('http://internal/items'), recordOrder(ctx, 'many', record), { limit: 3, after: 'k291' });
  expect(page.page.map((i) => i.id)).toEqual(['k292', 'k293', 'k294']);
  expect(page.headers.link[1]).toContain('after=k294');
  expect([...recordOrder(ctx, 'many', record).after()!].map((i) => i.id)).toEqual(['k290', 'k291', 'k292', 'k293', 'k294', 'k296', 'k297', 'k298', 'k299']);
});

test('a record order lists a key again in its place when its delete is undone, and last when it is added anew', () => {
  const ctx = memoContext();
  const record: Record<string, { id: string }> = Object.fromEntries(items.map((item) => [item.id, item]));
  const ids = () => [...recordOrder(ctx, 'undo', record).after()!].map((i) => i.id);
  expect(ids()).toEqual(['a', 'b', 'c', 'd', 'e']);
  const removed = record.b;
  delete record.b;
  recordOrder(ctx, 'undo', record).remove('b');
  expect(ids()).toEqual(['a', 'c', 'd', 'e']);
  // A rolled-back request puts the item back without telling the index.
  record.b = removed;
  expect(ids()).toEqual(['a', 'b', 'c', 'd', 'e']);
  delete record.c;
  recordOrder(ctx, 'undo', record).remove('c');
  record.c = { id: 'c' };
  recordOrder(ctx, 'undo', record).add('c');
  expect(ids()).toEqual(['a', 'b', 'd', 'e', 'c']);
});
