import { expect, test } from 'vitest';
import { decodeCursor, encodeCursor } from './opaque-cursor.js';

test('a cursor decodes back to its key for its own kind only', () => {
  const cursor = encodeCursor('user', 'U0ADMIN001');
  expect(cursor).toBe(Buffer.from('user:U0ADMIN001').toString('base64'));
  expect(decodeCursor('user', cursor)).toBe('U0ADMIN001');
  expect(decodeCursor('channel', cursor)).toBeUndefined();
  expect(decodeCursor('user', encodeCursor('user', ''))).toBe('');
});

test('text that is not base64 of a cursor is no cursor', () => {
  expect(decodeCursor('user', 'not a cursor!')).toBeUndefined();
  expect(decodeCursor('user', 'Zm9v')).toBeUndefined();
});
