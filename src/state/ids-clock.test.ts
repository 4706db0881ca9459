import { expect, test } from 'vitest';
import { createClock } from './clock.js';
import { createIdSource } from './ids.js';

test('the same id state gives the same ids; an older position never rewinds the source', () => {
  const a = createIdSource({ rng: 42, seq: {} });
  const b = createIdSource({ rng: 42, seq: {} });
  const saved = a.save();
  const first = [a.token(17), a.token(17)];
  expect([b.token(17), b.token(17)]).toEqual(first);
  a.advanceTo(saved);
  expect(a.token(17)).not.toBe(first[0]);
  expect(first[0]).toMatch(/^[0-9A-Za-z]{17}$/);
  expect(first[0]).not.toBe(first[1]);
  const fresh = createIdSource({ rng: 42, seq: {} });
  fresh.advanceTo(b.save());
  expect(fresh.token(17)).toBe(b.token(17));
});

test('sequences move to the furthest of two positions', () => {
  const ids = createIdSource({ rng: 1, seq: { issue: 10 } });
  ids.advanceTo({ rng: 1, seq: { issue: 5, comment: 3 } });
  expect([ids.sequence('issue'), ids.sequence('comment')]).toEqual([10, 3]);
});

test('sequences count per name from their start', () => {
  const ids = createIdSource({ rng: 1, seq: {} });
  expect([ids.sequence('issue', 10000), ids.sequence('issue', 10000), ids.sequence('other')]).toEqual([10000, 10001, 1]);
});

test('a fixed clock moves only when told, and reset returns to its start', () => {
  const clock = createClock('2026-01-01T00:00:00.000Z');
  expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
  clock.advance(90_000);
  expect(clock.now().toISOString()).toBe('2026-01-01T00:01:30.000Z');
  clock.set('2027-05-05T05:05:05.000Z');
  expect(clock.nowMs()).toBe(Date.parse('2027-05-05T05:05:05.000Z'));
  clock.reset();
  expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
});

test('a system clock follows the wall clock, shifted by set and advance', () => {
  const clock = createClock('system');
  expect(Math.abs(clock.nowMs() - Date.now())).toBeLessThan(1000);
  clock.advance(3_600_000);
  expect(clock.nowMs() - Date.now()).toBeGreaterThan(3_590_000);
  expect(() => createClock('not a date')).toThrow(/\[twinverse\] clock/);
  expect(() => clock.advance(Number.NaN)).toThrow(/\[twinverse\] clock.advance/);
});
