import type { RateLimitPolicy } from '../../src/index.js';
import { rawArgs } from './model/args.js';
import type { RequestCtx } from './types.js';

const MINUTE_SECONDS = 60;
/** Requests a minute per tier (docs.slack.dev/apis/web-api/rate-limits: Tier 1 1+, Tier 2 20+, Tier 3 50+, Tier 4 100+). */
const TIER_LIMITS = { 1: 1, 2: 20, 3: 50, 4: 100 } as const;
/** "Special" methods with generous limits of their own (auth.test, chat.getPermalink): counted like Tier 4. */
const SPECIAL_LIMIT = 100;
/** chat.postMessage: about one message a second per channel (docs.slack.dev/reference/methods/chat.postMessage, "Rate limiting"). */
const POST_PER_CHANNEL = { limit: 1, windowSeconds: 1 };

/** Each emulated method's tier, as Slack's method reference lists it. */
const TIERS: Record<string, 1 | 2 | 3 | 4> = {
  'apps.manifest.update': 1,
  'team.info': 3,
  'bots.info': 3,
  'users.list': 2,
  'users.info': 4,
  'users.lookupByEmail': 3,
  'users.conversations': 3,
  'conversations.list': 2,
  'conversations.info': 3,
  'conversations.create': 2,
  'conversations.join': 3,
  'conversations.leave': 3,
  'conversations.invite': 3,
  'conversations.kick': 3,
  'conversations.archive': 2,
  'conversations.unarchive': 2,
  'conversations.rename': 2,
  'conversations.setTopic': 2,
  'conversations.setPurpose': 2,
  'conversations.open': 3,
  'conversations.history': 3,
  'conversations.replies': 3,
  'conversations.members': 4,
  'conversations.mark': 3,
  'chat.update': 3,
  'chat.delete': 3,
  'chat.postEphemeral': 4,
  'chat.scheduleMessage': 3,
  'chat.scheduledMessages.list': 3,
  'chat.deleteScheduledMessage': 3,
  'reactions.add': 3,
  'reactions.remove': 2,
  'reactions.get': 3,
  'reactions.list': 2,
  'pins.add': 2,
  'pins.remove': 2,
  'pins.list': 2,
  'files.getUploadURLExternal': 4,
  'files.completeUploadExternal': 4,
  'files.info': 4,
  'files.list': 3,
  'files.delete': 3,
};

/**
 * The bucket of a request: per method (Slack limits per method, per workspace, per app), and for chat.postMessage
 * per channel, one message a second. Keys are method names (`conversations.history`) or `chat.postMessage C…`.
 */
function bucketOf(ctx: RequestCtx): { key: string; limit: number; windowSeconds: number } {
  const path = ctx.url.pathname;
  const method = path.startsWith('/api/') ? path.slice('/api/'.length) : path;
  if (method === 'chat.postMessage') return { key: `chat.postMessage ${String(rawArgs(ctx).channel ?? '')}`, ...POST_PER_CHANNEL };
  const tier = TIERS[method];
  return { key: method, limit: tier ? TIER_LIMITS[tier] : SPECIAL_LIMIT, windowSeconds: MINUTE_SECONDS };
}

/**
 * Slack's rate-limit policy: method tiers 1 to 4 a minute, chat.postMessage about once a second per channel. Slack
 * sends no rate-limit headers on success; a refusal is HTTP 429 with an integer Retry-After (seconds), the only thing
 * the SDK reads to decide when to retry (docs.slack.dev/apis/web-api/rate-limits).
 *
 * @example
 * const slack = createSlackTwin({ plugins: [rateLimit()] }); // Slack's own limits, enforced
 */
export const slackRateLimits: RateLimitPolicy = {
  bucket: bucketOf,
  headers: (window, refused, ctx): Record<string, string> => (refused ? { 'retry-after': String(Math.max(1, Math.ceil((window.resetAt - ctx.clock.nowMs()) / 1000))) } : {}),
};
