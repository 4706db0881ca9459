import { expect, test } from 'vitest';
import { compareValues, formOf, substituteIds } from './compare.js';

test('generated values have forms; words and names have none', () => {
  expect(formOf('2026-01-01T00:00:00.000Z')).toBe('iso-datetime');
  expect(formOf('1503435956.000247')).toBe('epoch-micros');
  expect(formOf('00ub0oNGTSWTBKOLGLNR')).toBe('opaque');
  expect(formOf('C012AB3CD')).toBe('opaque-C');
  expect(formOf('PROJ-12')).toBe('skeleton:PROJ-#');
  expect(formOf('ACTIVE')).toBeUndefined();
  expect(formOf('Isaac Brock')).toBeUndefined();
});

test('ids, times and links compare by form, and what was matched is learned for later requests', () => {
  const ids = new Map<string, string>();
  const recorded = { id: '00ub0oNGTSWTBKOLGLNR', created: '2013-07-02T21:36:25.344Z', status: 'ACTIVE', _links: { self: { href: 'https://dev-123.okta.com/api/v1/users/00ub0oNGTSWTBKOLGLNR' } }, ts: 1503435956 };
  const twin = { id: '00u1a2b3c4d5e6f7g8h9', created: '2026-01-01T00:00:00.000Z', status: 'ACTIVE', _links: { self: { href: 'http://127.0.0.1:4010/api/v1/users/00u1a2b3c4d5e6f7g8h9' } }, ts: 1767225600 };
  expect(compareValues(recorded, twin, 'body', ids)).toEqual({ checks: 5, differences: [] });
  expect(ids.get('00ub0oNGTSWTBKOLGLNR')).toBe('00u1a2b3c4d5e6f7g8h9');
  expect(substituteIds('/api/v1/users/00ub0oNGTSWTBKOLGLNR/groups', ids)).toBe('/api/v1/users/00u1a2b3c4d5e6f7g8h9/groups');
});

test('values, missing and extra keys, and array lengths are differences', () => {
  const { checks, differences } = compareValues({ status: 'ACTIVE', a: 1, list: [1, 2] }, { status: 'STAGED', b: 2, list: [1] }, 'body', new Map());
  expect(checks).toBe(5);
  expect(differences).toEqual([
    { path: 'body.status', recorded: 'ACTIVE', twin: 'STAGED' },
    { path: 'body.a', recorded: 1 },
    { path: 'body.list[1]', recorded: 2 },
    { path: 'body.b', twin: 2 },
  ]);
});

test('a different form is a difference: an id is not a timestamp, a channel id is not a user id', () => {
  expect(compareValues('C012AB3CD', 'U012AB3CD', 'body.channel', new Map()).differences).toHaveLength(1);
  expect(compareValues('2026-01-01T00:00:00Z', '00u1a2b3c4d5e6f7g8h9', 'body.created', new Map()).differences).toHaveLength(1);
  expect(compareValues('[REDACTED]', 'tok123secret', 'body.access_token', new Map()).differences).toEqual([]);
});

test('a message naming a recorded id matches the twin message naming the twin id', () => {
  const ids = new Map([['00ub0oNGTSWTBKOLGLNR', '00u1a2b3c4d5e6f7g8h9']]);
  const recorded = 'Not found: Resource not found: 00ub0oNGTSWTBKOLGLNR (User)';
  expect(compareValues(recorded, 'Not found: Resource not found: 00u1a2b3c4d5e6f7g8h9 (User)', 'body.errorSummary', ids).differences).toEqual([]);
  expect(compareValues(recorded, 'Not found: Resource not found: 00u999 (User)', 'body.errorSummary', ids).differences).toHaveLength(1);
});
