import { EngineError } from '../engine/engine-error.js';
import type { Plugin, PluginTarget } from './plugin.js';
import { describeSchedule, scheduled, type Schedule } from './schedule.js';

/**
 * Options of the fault plugin: what goes wrong, and when.
 *
 * @example
 * const options: FaultOptions = { fault: 503, nth: 2, operationId: 'getUser' };
 */
export interface FaultOptions extends PluginTarget, Schedule {
  /**
   * 500 or 503: the vendor's own error envelope for that status; `drop`: the connection closes with no answer
   * (a network error under MSW); `hang`: no answer until the client gives up. Default 503.
   */
  fault?: 500 | 503 | 'drop' | 'hang';
  /** Retry-After seconds sent with a 503, where the vendor sends one. */
  retryAfterSeconds?: number;
}

/**
 * Injects failures: a vendor-shaped 500 or 503, a dropped connection, or a request that never answers, on the
 * nth call, every nth call, or with a probability (seeded: the same seed fails the same calls).
 *
 * @example
 * okta.use(fault({ fault: 503, nth: 1, operationId: 'listUsers' }));
 * // the first listUsers answers Okta's 503; the journal entry names the plugin and the call
 */
export function fault(options: FaultOptions = {}): Plugin {
  const kind = options.fault ?? 503;
  if (![500, 503, 'drop', 'hang'].includes(kind)) throw new Error(`[twinverse] fault: fault is 500, 503, "drop" or "hang", not ${JSON.stringify(kind)}`);
  const { fault: _fault, retryAfterSeconds, nth, every, probability, ...target } = options;
  const schedule: Schedule = { nth, every, probability };
  return {
    name: 'fault',
    options: { ...options },
    ...target,
    before(_ctx, scope) {
      const { due, call } = scheduled(schedule, scope);
      if (!due) return;
      const when = describeSchedule(schedule, call);
      if (kind === 'drop' || kind === 'hang') {
        scope.note(`${kind === 'drop' ? 'dropped the connection' : 'left the request unanswered'}: ${when}`);
        return { fault: kind };
      }
      scope.note(`answered ${kind}: ${when}`);
      if (kind === 500) throw new EngineError('server_error', `Injected server error (${when})`);
      throw new EngineError('unavailable', `Injected unavailability (${when})`, [], undefined, retryAfterSeconds === undefined ? {} : { retryAfterSeconds });
    },
  };
}
