import { expect, test } from 'vitest';
import { copyJson } from './copy-json.js';

test('a deep copy: changing it leaves the original as it was', () => {
  const original = { a: { b: [1, { c: 'x' }] }, n: null, t: true };
  const copy = copyJson(original);
  expect(copy).toEqual(original);
  (copy.a.b[1] as { c: string }).c = 'changed';
  expect((original.a.b[1] as { c: string }).c).toBe('x');
});

test('objects without a prototype come out as plain objects; a __proto__ key stays data', () => {
  const bare = Object.assign(Object.create(null), { x: 1 });
  Object.defineProperty(bare, '__proto__', { value: { polluted: true }, enumerable: true });
  const copy = copyJson(bare) as Record<string, unknown>;
  expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  expect(copy.x).toBe(1);
  expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ polluted: true });
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});
