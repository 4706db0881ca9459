/**
 * The conformance cases' matcher: what it lets through and what it catches, so that a case that passes on every
 * backend says something.
 */
import { describe, expect, test } from 'vitest';
import { match, resolve, type Captures } from './conformance-match.js';

const check = (expected: unknown, actual: unknown, captures: Captures = {}) => match(expected, actual, '$', captures);

describe('conformance matcher', () => {
  test('objects match on the keys they name; arrays on every element and their length', () => {
    expect(check({ a: 1 }, { a: 1, b: 2 })).toEqual([]);
    expect(check({ a: 1 }, { a: 2 })).toEqual(['$.a: expected 1, got 2']);
    expect(check({ a: 1 }, {})).toEqual(['$.a: expected 1, got nothing']);
    expect(check([1, 2], [1, 2, 3])).toEqual(['$: expected 2 items, got 3: [1,2,3]']);
    expect(check({ a: null }, { a: 0 })).toEqual(['$.a: expected null, got 0']);
  });

  test('$exact refuses extra and missing keys; $absent a key that is there', () => {
    expect(check({ $exact: { a: 1 } }, { a: 1, b: 2 })).toEqual(['$: expected exactly the keys a; extra: b']);
    expect(check({ $exact: { a: 1, b: { $absent: true } } }, { a: 1 })).toEqual([]);
    expect(check({ b: { $absent: true } }, { b: 1 })).toEqual(['$.b: expected to be absent, got 1']);
  });

  test('formats: ids, instants and error ids; an unknown format is the case\'s mistake', () => {
    expect(check({ $format: 'okta-id' }, '00u1a2b3c4d5e6f7g8h9')).toEqual([]);
    expect(check({ $format: 'okta-id' }, '00u1')).toHaveLength(1);
    expect(check({ $format: 'date-time' }, '2026-01-01T00:00:00.000Z')).toEqual([]);
    expect(check({ $format: 'date-time' }, '2026-01-01T00:00:00Z')).toHaveLength(1);
    expect(check({ $format: 'okta-error-id' }, 'oaeS5cGp9zZIOLLS8RtKCOU2-')).toEqual([]);
    expect(() => check({ $format: 'nope' }, 'x')).toThrow(/unknown format "nope"/);
    expect(() => check({ $formt: 'okta-id' }, 'x')).toThrow(/unknown matcher \$formt/);
  });

  test('captures: by $capture and by named groups of $regex, then used as ${name}, escaped inside a $regex', () => {
    const captures: Captures = { baseUrl: 'http://127.0.0.1:1' };
    expect(check({ id: { $capture: 'id' } }, { id: '00u1' }, captures)).toEqual([]);
    expect(check({ $regex: '^<${baseUrl}/users\\?after=(?<after>\\w+)>' }, '<http://127.0.0.1:1/users?after=00u1>', captures)).toEqual([]);
    expect(captures).toMatchObject({ id: '00u1', after: '00u1' });
    expect(check({ $regex: '^${baseUrl}$' }, 'http://127x0x0x1:1', captures)).toHaveLength(1);
    expect(check('${baseUrl}/users/${id}', 'http://127.0.0.1:1/users/00u1', captures)).toEqual([]);
    expect(resolve({ path: '/users/${id}', n: '${count}' }, { id: '00u1', count: 3 })).toEqual({ path: '/users/00u1', n: 3 });
    expect(() => resolve('/users/${nobody}', {})).toThrow(/\$\{nobody\} is used before any step captured it/);
  });

  test('$includes finds an element anywhere; $each holds for all; $length counts', () => {
    expect(check({ $includes: [{ id: 'b' }] }, [{ id: 'a' }, { id: 'b' }])).toEqual([]);
    expect(check({ $includes: [{ id: 'c' }] }, [{ id: 'a' }])).toHaveLength(1);
    expect(check({ $each: { $format: 'integer' }, $length: 2 }, [1, 2])).toEqual([]);
    expect(check({ $each: { $format: 'integer' } }, [1, 'x'])).toEqual(['$[1]: expected the format integer, got "x"']);
  });
});
