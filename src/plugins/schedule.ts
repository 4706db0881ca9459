import type { PluginScope } from './plugin.js';

/**
 * When a plugin acts, among the requests its target picks: on the nth call only, on every nth call, with a
 * probability (drawn from the plugin's seeded generator), or on every call when none is given.
 *
 * @example
 * const when: Schedule = { nth: 3 }; // the third matching call, and no other
 */
export interface Schedule {
  /** Only the nth matching call (1 is the first). */
  nth?: number;
  /** Every nth matching call (the nth, the 2nth, ...). */
  every?: number;
  /** Each matching call with this probability, from 0 to 1. */
  probability?: number;
}

/**
 * Counts this matching call and says whether the schedule picks it, with the call's number for the journal.
 *
 * @example
 * const { due, call } = scheduled({ every: 2 }, scope);
 */
export function scheduled(schedule: Schedule, scope: PluginScope): { due: boolean; call: number } {
  const call = (scope.memory.get('calls') ?? 0) + 1;
  scope.memory.set('calls', call);
  if (schedule.nth !== undefined) return { due: call === schedule.nth, call };
  if (schedule.every !== undefined) return { due: call % schedule.every === 0, call };
  if (schedule.probability !== undefined) return { due: scope.random() < schedule.probability, call };
  return { due: true, call };
}

/** The schedule's words for the journal: "call 3 (nth=3)". */
export function describeSchedule(schedule: Schedule, call: number): string {
  const rule = schedule.nth !== undefined ? `nth=${schedule.nth}` : schedule.every !== undefined ? `every=${schedule.every}` : schedule.probability !== undefined ? `probability=${schedule.probability}` : 'every call';
  return `call ${call} (${rule})`;
}
