import { parseInstant } from './instant.js';

/**
 * The twin's clock. A fixed clock starts at a given instant and moves only when told; a system clock
 * follows the wall clock, shifted by whatever `set` and `advance` asked for.
 *
 * @example
 * const clock = createClock('2026-01-01T00:00:00.000Z');
 * clock.advance(60_000);
 * clock.now().toISOString(); // '2026-01-01T00:01:00.000Z'
 */
export interface Clock {
  /** True for a clock started at a fixed instant: a run that asked to be reproducible. */
  readonly fixed: boolean;
  now(): Date;
  nowMs(): number;
  /** Moves the clock to an instant (ISO string, Date or epoch milliseconds). */
  set(instant: string | Date | number): void;
  advance(ms: number): void;
  /**
   * Resolves once `ms` have passed on this clock: on the wall clock, after a real timer (or sooner, if the clock is
   * moved past the deadline); on a fixed clock, only when the test moves the clock past it with `advance` or `set`.
   */
  sleep(ms: number): Promise<void>;
  /** How many sleeps are waiting for this clock: a test on a fixed clock can wait for a delayed answer to be pending, then advance. */
  pending(): number;
  /** Back to where the clock started (a fixed clock's start; a system clock's zero offset). */
  reset(): void;
}

/**
 * `'system'` follows the wall clock; an instant makes a fixed clock starting there.
 *
 * @example
 * const option: ClockOption = process.env.CI ? '2026-01-01T00:00:00.000Z' : 'system';
 */
export type ClockOption = 'system' | string | Date | number;

/** A string is read strictly (parseInstant), as the Go twin reads --clock: a date-time without a zone is refused. */
function toMs(instant: string | Date | number): number {
  const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : parseInstant(instant);
  if (ms === undefined || !Number.isFinite(ms)) throw new Error(`[twinverse] clock: ${String(instant)} is not a valid instant; pass an ISO-8601 string with its zone, a Date or epoch milliseconds`);
  return ms;
}

/**
 * Creates a clock: the wall clock by default, or a fixed one starting at an instant.
 *
 * @example
 * const clock = createClock(Date.UTC(2026, 0, 1));
 * clock.now().toISOString(); // '2026-01-01T00:00:00.000Z'
 */
export function createClock(option: ClockOption = 'system'): Clock {
  const system = option === 'system';
  const start = system ? 0 : toMs(option);
  // For a system clock `at` is an offset from the wall clock; for a fixed one it is the instant itself.
  let at = start;
  const nowMs = () => (system ? Date.now() + at : at);
  const sleepers = new Set<{ until: number; wake(): void }>();
  const wakeDue = () => {
    const now = nowMs();
    for (const sleeper of sleepers) if (sleeper.until <= now) sleeper.wake();
  };
  return {
    fixed: !system,
    now: () => new Date(nowMs()),
    nowMs,
    set(instant) {
      at = system ? toMs(instant) - Date.now() : toMs(instant);
      wakeDue();
    },
    advance(ms) {
      if (!Number.isFinite(ms)) throw new Error(`[twinverse] clock.advance: ${String(ms)} is not a finite number of milliseconds`);
      at += ms;
      wakeDue();
    },
    pending: () => sleepers.size,
    sleep(ms) {
      if (!(ms > 0)) return Promise.resolve();
      return new Promise<void>((resolve) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const sleeper = {
          until: nowMs() + ms,
          wake() {
            sleepers.delete(sleeper);
            if (timer) clearTimeout(timer);
            resolve();
          },
        };
        sleepers.add(sleeper);
        if (system) timer = setTimeout(sleeper.wake, ms);
      });
    },
    reset() {
      at = start;
    },
  };
}
