import type { MemoryResult } from './shared.js';
/** Nearest-rank percentile of values already sorted ascending. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function sortedCopy(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

export function median(values: readonly number[]): number {
  return percentile(sortedCopy(values), 50);
}

export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');

export const fmtFixed = (n: number, digits: number): string => n.toFixed(digits);

export const fmtRatio = (n: number): string => `${n.toFixed(2)}x`;

export function fmtBytes(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (abs >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${Math.round(n)} B`;
}

/** Left-aligns the first column and right-aligns the others, so columns of numbers line up. */
export function table(rows: string[][], indent = '   '): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) => indent + r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd())
    .join('\n');
}

export const verdict = (met: boolean): string => (met ? 'met' : 'MISSED');

/** What the heap-per-call measurement printed for its three cases: a table, and msw's and the twin's shares. */
export function memoryReport(twin: MemoryResult, bareMsw: MemoryResult, noMsw: MemoryResult): string {
  const row = (name: string, m: MemoryResult) => [name, fmtBytes(m.heapAfter - m.heapBefore), `${fmtInt(m.perCall)} B`, `${fmtInt((m.rssAfter - m.rssBefore) / m.calls)} B`];
  return [
    table([
      ['', 'heapUsed retained', 'per call', 'rss growth per call'],
      row(`twin mswHandlers (journal holds ${twin.journal} entries)`, twin),
      row('bare msw http.get', bareMsw),
      row('no msw: SDK over 127.0.0.1 to bare node:http', noMsw),
    ]),
    `   heapUsed: msw's share (bare msw - no msw) ${fmtInt(bareMsw.perCall - noMsw.perCall)} B/call; the twin's share (twin - bare msw) ${fmtInt(twin.perCall - bareMsw.perCall)} B/call`,
  ].join('\n');
}
