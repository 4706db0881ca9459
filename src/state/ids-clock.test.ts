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

test('a clock string is read as the Go twin reads --clock: an ISO-8601 instant with its zone, or a date alone', () => {
  expect(createClock('2026-01-01T01:00:00+01:00').nowMs()).toBe(Date.UTC(2026, 0, 1));
  expect(createClock('2026-01-01').nowMs()).toBe(Date.UTC(2026, 0, 1));
  // Date.parse would read these in the host's time zone, or take a day that does not exist.
  for (const text of ['2026-01-01T00:00:00', '2026-02-30T00:00:00Z', 'Jan 1 2026']) {
    expect(() => createClock(text)).toThrow(`[twinverse] clock: ${text} is not a valid instant; pass an ISO-8601 string with its zone, a Date or epoch milliseconds`);
  }
  const clock = createClock('2026-01-01T00:00:00Z');
  expect(() => clock.set('2026-01-02T00:00:00')).toThrow(/is not a valid instant/);
  expect(clock.nowMs()).toBe(Date.UTC(2026, 0, 1));
});
