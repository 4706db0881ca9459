import { expect, test } from 'vitest';
import { cursorPage } from './paging.js';

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

test('the last page has no next link, and an unknown cursor ends the listing', () => {
  expect(cursorPage(at('http://internal/items'), items, { limit: 2, after: 'd' }).headers.link).toHaveLength(1);
  expect(cursorPage(at('http://internal/items'), items, { limit: 2, after: 'gone' }).page).toEqual([]);
});

test('the query parameter names of the next link can be the vendor own', () => {
  const { headers } = cursorPage(at('http://internal/items'), items, { limit: 1, cursorParam: 'cursor', limitParam: 'count' });
  expect(headers.link[1]).toBe('<https://twin.test/mount/items?cursor=a&count=1>; rel="next"');
});
