import type { RequestCtx } from '../types.js';

/**
 * An instant as Jira writes timestamps: milliseconds and a numeric offset without a colon
 * (`2021-01-17T12:34:00.000+0000` in the REST API's examples). The twin answers in UTC.
 *
 * @example
 * jiraTime(Date.UTC(2026, 0, 1)); // '2026-01-01T00:00:00.000+0000'
 */
export function jiraTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/**
 * The twin clock's now, in Jira's timestamp format.
 *
 * @example
 * issue.updated = now(ctx);
 */
export function now(ctx: RequestCtx): string {
  return jiraTime(ctx.clock.nowMs());
}

/**
 * Epoch milliseconds of a Jira timestamp (`+0000` offsets parse as they are).
 *
 * @example
 * timeMs('2026-01-01T00:00:00.000+0000'); // 1767225600000
 */
export function timeMs(stamp: string): number {
  return Date.parse(stamp.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}

/**
 * The base of the platform REST API on the site the client called (links are built from it, never hard-coded).
 *
 * @example
 * `${api(ctx)}/issue/10000`; // 'https://twin.atlassian.net/rest/api/3/issue/10000'
 */
export function api(ctx: RequestCtx): string {
  return `${ctx.baseUrl}/rest/api/3`;
}

/**
 * The base of the Agile REST API on the site the client called.
 *
 * @example
 * `${agileApi(ctx)}/board/1`;
 */
export function agileApi(ctx: RequestCtx): string {
  return `${ctx.baseUrl}/rest/agile/1.0`;
}

/**
 * The names in a comma-separated `expand` parameter.
 *
 * @example
 * expansions('renderedFields,changelog'); // ['renderedFields', 'changelog']
 */
export function expansions(expand: unknown): Set<string> {
  const list = Array.isArray(expand) ? expand : typeof expand === 'string' ? expand.split(',') : [];
  return new Set(list.map((e: string) => e.trim()).filter(Boolean));
}

/**
 * One offset page of a list, with the `startAt`, `maxResults` and `total` Jira's older collections carry.
 *
 * @example
 * const { items, page } = offsetPage(comments, ctx.query.startAt, ctx.query.maxResults, 5000);
 */
export function offsetPage<T>(all: T[], startAt: number | undefined, maxResults: number | undefined, cap: number): { items: T[]; page: { startAt: number; maxResults: number; total: number; isLast: boolean } } {
  const start = Math.max(0, startAt ?? 0);
  const size = Math.min(Math.max(0, maxResults ?? 50), cap);
  const items = all.slice(start, start + size);
  return { items, page: { startAt: start, maxResults: size, total: all.length, isLast: start + items.length >= all.length } };
}
