import { parseInstant } from '../../../src/index.js';
import { OktaError, invalidFields } from '../errors.js';
import { compileFilter, type FilterRules } from '../model/filter.js';
import { ok } from '../model/http.js';
import type { OktaLogEvent } from '../model/system-log.js';
import type { Ctx, OktaHandlers } from '../types.js';

/** `since` defaults to 7 days before `until` (System Log API, listLogEvents). */
const DEFAULT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** At most 10 keywords of at most 40 characters in `q` (System Log API, listLogEvents). */
const MAX_KEYWORDS = 10;
const MAX_KEYWORD_LENGTH = 40;

/** Every property of an event filters, through arrays (`target.id eq "00u…"` matches any target). */
const LOG_FILTER: FilterRules<OktaLogEvent> = {
  supports: () => true,
  read: (event, property) => readPath(event, property.split('.')),
  dates: new Set(['published']),
};

function readPath(node: unknown, path: string[]): unknown {
  if (path.length === 0) return node;
  if (Array.isArray(node)) return node.flatMap((item) => {
    const value = readPath(item, path);
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
  });
  if (node === null || typeof node !== 'object') return undefined;
  return readPath((node as Record<string, unknown>)[path[0]], path.slice(1));
}

/**
 * A time bound: Okta takes an ISO-8601 timestamp (listLogEvents `since`/`until`), a date and time with its zone, and
 * refuses anything else, a date alone too, with E0000030 (Okta error codes: "Invalid date. Dates must be of the form
 * yyyy-MM-dd'T'HH:mm:ss.SSSZZ").
 */
function instant(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(text) ? parseInstant(text) : undefined;
  if (ms === undefined) throw new OktaError('E0000030');
  return ms;
}

/** The `after` cursor: an opaque position in the log, as Okta's is opaque (follow the link, do not build it). */
const encodeCursor = (position: number): string => Buffer.from(`log:${position}`).toString('base64url');

function decodeCursor(after: string, length: number): number {
  const match = /^log:(-?\d+)$/.exec(Buffer.from(after, 'base64url').toString());
  const position = match ? Number(match[1]) : NaN;
  if (!Number.isInteger(position) || position < -1 || position > length) throw invalidFields([['after', 'The after cursor is not valid for this query']]);
  return position;
}

/** `q`: every keyword must appear (case-insensitively) somewhere in the event. */
function keywordMatcher(q: unknown): ((event: OktaLogEvent) => boolean) | undefined {
  if (q === undefined || String(q).trim() === '') return undefined;
  const keywords = String(q).toLowerCase().split(/\s+/).filter(Boolean);
  if (keywords.length > MAX_KEYWORDS) throw invalidFields([['q', `At most ${MAX_KEYWORDS} keywords are allowed`]]);
  if (keywords.some((k) => k.length > MAX_KEYWORD_LENGTH)) throw invalidFields([['q', `A keyword has at most ${MAX_KEYWORD_LENGTH} characters`]]);
  return (event) => {
    const text = JSON.stringify(event).toLowerCase();
    return keywords.every((k) => text.includes(k));
  };
}

/**
 * The Link header: `self`, and `next` whenever there is one to follow. A polling query (no `until`, ascending)
 * always has a next link, which answers an empty page until new events are written (System Log API, "Polling
 * requests"); a bounded query has one only while results remain.
 */
function links(ctx: Ctx, next: number | undefined): string[] {
  const url = (after: string | undefined) => {
    const params = new URLSearchParams();
    for (const [name, value] of ctx.url.searchParams) if (name !== 'after') params.append(name, value);
    if (after !== undefined) params.set('after', after);
    const query = params.toString();
    return `${ctx.baseUrl}/api/v1/logs${query ? `?${query}` : ''}`;
  };
  const out = [`<${url(ctx.query.after)}>; rel="self"`];
  if (next !== undefined) out.push(`<${url(encodeCursor(next))}>; rel="next"`);
  return out;
}

/** The System Log (tag SystemLog): the events every change in the twin writes, as Okta lists them. */
export const systemLogHandlers = {
  listLogEvents(ctx) {
    const log = ctx.state.systemLog ?? [];
    const until = instant(ctx.query.until);
    const upper = until ?? ctx.clock.nowMs();
    const since = instant(ctx.query.since) ?? upper - DEFAULT_WINDOW_MS;
    if (until !== undefined && since > until) throw invalidFields([['since', 'since must be earlier than until']]);
    const descending = ctx.query.sortOrder === 'DESCENDING';
    const polling = until === undefined && !descending;
    const limit: number = ctx.query.limit ?? 100;
    const matchesFilter = ctx.query.filter === undefined ? undefined : compileFilter(String(ctx.query.filter), LOG_FILTER);
    const matchesKeywords = keywordMatcher(ctx.query.q);
    const wanted = (event: OktaLogEvent) => {
      // An event seeded with a `published` that is no instant reads as the epoch, as in the Go twin.
      const published = parseInstant(event.published) ?? 0;
      if (published < since || (until !== undefined ? published >= until : published > upper)) return false;
      return (!matchesFilter || matchesFilter(event)) && (!matchesKeywords || matchesKeywords(event));
    };
    const step = descending ? -1 : 1;
    let position = ctx.query.after === undefined ? (descending ? log.length - 1 : 0) : decodeCursor(ctx.query.after, log.length);
    const page: OktaLogEvent[] = [];
    for (; position >= 0 && position < log.length && page.length < limit; position += step) {
      if (wanted(log[position])) page.push(log[position]);
    }
    let more = false;
    for (let p = position; !polling && p >= 0 && p < log.length; p += step) {
      if (wanted(log[p])) {
        more = true;
        break;
      }
    }
    return ok(page, { link: links(ctx, polling || more ? position : undefined) });
  },
} satisfies OktaHandlers;
