import type { Plugin, PluginTarget } from './plugin.js';

/**
 * Options of the latency plugin: a fixed delay (`ms`), a uniform one (`min` to `max`), or a long-tailed one
 * (log-normal, given its `median` and `p99`).
 *
 * @example
 * const options: LatencyOptions = { median: 80, p99: 1200 };
 */
export interface LatencyOptions extends PluginTarget {
  ms?: number;
  min?: number;
  max?: number;
  median?: number;
  p99?: number;
}

// The standard normal quantile of 0.99.
const Z99 = 2.3263478740408408;

/**
 * Delays answers on the twin's clock, before the handler runs. On the wall clock that is a real wait; on a fixed
 * clock the answer waits until the test moves the clock on (`twin.clock.advance(ms)`), so a test decides when
 * a slow answer arrives and never sleeps. Delays come from the plugin's seeded generator.
 *
 * @example
 * okta.use(latency({ min: 20, max: 80 }));
 */
export function latency(options: LatencyOptions): Plugin {
  const { ms, min, max, median, p99, ...target } = options;
  let draw: (random: () => number) => number;
  if (ms !== undefined) draw = () => ms;
  else if (min !== undefined && max !== undefined && max >= min) draw = (random) => min + (max - min) * random();
  else if (median !== undefined && p99 !== undefined && p99 >= median && median > 0) {
    const sigma = Math.log(p99 / median) / Z99;
    draw = (random) => {
      // Box-Muller: a standard normal draw from two uniform ones.
      const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      return median * Math.exp(sigma * z);
    };
  } else {
    throw new Error('[twinverse] latency: give { ms } for a fixed delay, { min, max } (max >= min) for a uniform one, or { median, p99 } (p99 >= median > 0) for a long tail');
  }
  return {
    name: 'latency',
    options: { ...options },
    ...target,
    async before(ctx, scope) {
      const delay = Math.round(draw(scope.random));
      scope.note(`delayed ${delay} ms`);
      await ctx.clock.sleep(delay);
    },
  };
}
