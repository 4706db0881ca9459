import autocannon from 'autocannon';
import { percentile, sortedCopy } from './stats.js';

/**
 * What one autocannon run measured: requests per second, latency percentiles of the 2xx answers, and how many
 * requests failed (non-2xx, errors, timeouts).
 *
 * @example
 * const load: Load = await cannon({ url, connections: 10, duration: 5 });
 */
export interface Load {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
}

/**
 * One autocannon run; latencies come from each response's own timing (float ms).
 *
 * @example
 * const { rps, p50 } = await cannon({ url: `${base}/rest/api/3/myself`, headers, connections: 1, duration: 5 });
 */
export function cannon(options: autocannon.Options): Promise<Load> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const instance = autocannon(options, (error, result) => {
      if (error) return reject(error);
      const sorted = sortedCopy(latencies);
      resolve({ rps: result.requests.average, p50: percentile(sorted, 50), p99: percentile(sorted, 99), failed: result.non2xx + result.errors + result.timeouts });
    });
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status < 300) latencies.push(ms);
    });
  });
}
