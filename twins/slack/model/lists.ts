import { encodeCursor, type ListShape, type RequestContext, type ResponseDraft } from '../../../src/index.js';
import type { CursorKind } from './paging.js';

/** The list field of each cursor-paged method's answer, and the kind of its cursor. */
const LISTS: Record<string, { field: string; kind: CursorKind }> = {
  'users.list': { field: 'members', kind: 'user' },
  'users.conversations': { field: 'channels', kind: 'channel' },
  'conversations.list': { field: 'channels', kind: 'channel' },
  'conversations.members': { field: 'members', kind: 'user' },
  'conversations.history': { field: 'messages', kind: 'next_ts' },
  'conversations.replies': { field: 'messages', kind: 'next_ts' },
  'chat.scheduledMessages.list': { field: 'scheduled_messages', kind: 'scheduled' },
};

const listOf = (ctx: RequestContext<any>) => LISTS[ctx.url.pathname.slice('/api/'.length)];

/** An item's key in its list: a member id is itself; a message is its ts; anything else its id. */
function keyOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object') return undefined;
  const { id, ts, channel } = value as { id?: unknown; ts?: unknown; channel?: unknown };
  if (typeof id === 'string') return id;
  if (typeof ts === 'string') return ts;
  // A write's answer: chat.postMessage names the message by ts, conversations.create the channel by id.
  if (channel && typeof channel === 'object') return keyOf(channel);
  return undefined;
}

/**
 * How plugins read and rewrite Slack's lists: a field of an `ok: true` body (members, channels, messages, ...) paged by
 * `response_metadata.next_cursor`, whose cursor the twin makes from the key of a page's last item.
 *
 * @example
 * defineTwin({ ..., lists: slackLists });
 */
export const slackLists: ListShape = {
  // Slack's clients read lists by POST as often as by GET: a list method is a read whichever way it comes.
  reads: (ctx) => listOf(ctx) !== undefined,
  items(response: ResponseDraft, ctx) {
    const list = listOf(ctx);
    const body = response.body as Record<string, unknown> | undefined;
    return list && response.status === 200 && body?.ok === true && Array.isArray(body[list.field]) ? (body[list.field] as unknown[]) : undefined;
  },
  idOf: keyOf,
  hasNext(response) {
    const metadata = (response.body as { response_metadata?: { next_cursor?: string } } | undefined)?.response_metadata;
    return Boolean(metadata?.next_cursor);
  },
  rewrite(response, ctx, items, next) {
    const list = listOf(ctx);
    const body = { ...(response.body as Record<string, unknown>), [list.field]: items };
    let cursor = '';
    if (next === 'same') cursor = ctx.url.searchParams.get('cursor') ?? (ctx.body?.cursor as string | undefined) ?? encodeCursor(list.kind, '');
    else if (next) cursor = encodeCursor(list.kind, keyOf(next.after) ?? '');
    if ('has_more' in body) body.has_more = cursor !== '';
    body.response_metadata = { ...((body.response_metadata as object | undefined) ?? {}), next_cursor: cursor };
    return { ...response, body };
  },
};
