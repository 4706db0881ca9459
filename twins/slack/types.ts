import type { Handler, OperationContext, RequestContext } from '../../src/index.js';
import type { SlackOperationId } from './operation-ids.js';

export type { SlackOperationId } from './operation-ids.js';

/**
 * The Slack twin's state: plain JSON, so it snapshots, exports and persists as is. Records keep the shape Slack
 * returns; what Slack computes per caller (is_member, last_read, num_members) is derived when a response is built.
 *
 * @example
 * const slack = createSlackTwin();
 * slack.state.conversations.C0GENERAL1.name; // 'general'
 */
export interface SlackState {
  team: SlackTeam;
  /** Users by id (U…), in creation order; bot users included. */
  users: Record<string, SlackUser>;
  /** Bots by id (B…). */
  bots: Record<string, SlackBot>;
  /** Installed apps by id (A…): their bot, signing secret and Events API subscription. */
  apps: Record<string, SlackApp>;
  /** Tokens by value: whose they are and the scopes granted. */
  tokens: Record<string, SlackToken>;
  /** Conversations by id (C…, G…, D…), in creation order. */
  conversations: Record<string, SlackConversation>;
  /** Conversation id to member user ids, in the order they joined. */
  members: Record<string, string[]>;
  /** Conversation id to its top-level messages (thread broadcasts included), oldest first: ts order. */
  messages: Record<string, SlackMessage[]>;
  /** Conversation id to thread ts to the thread's replies, oldest first. */
  replies: Record<string, Record<string, SlackMessage[]>>;
  /** Conversation id to reply ts to the ts of its thread's parent. */
  threadOf: Record<string, Record<string, string>>;
  /** Conversation id to the last ts given out in it: a new message's ts is always greater. */
  lastTs: Record<string, string>;
  /** Conversation id to user id to the ts that user marked read (conversations.mark). */
  lastRead: Record<string, Record<string, string>>;
  /** Conversation id to its pins, oldest first. */
  pins: Record<string, SlackPin[]>;
  /** Scheduled messages not yet posted, by id (Q…). */
  scheduled: Record<string, SlackScheduledMessage>;
  /** Files by id (F…), in creation order; an upload that was not completed has `pending: true`. */
  files: Record<string, SlackFile>;
  /** Upload id (the last segment of an upload_url) to the file it fills. */
  uploads: Record<string, { fileId: string; received: number | null }>;
  /** Incoming webhooks by the secret last segment of their URL. */
  webhooks: Record<string, SlackWebhook>;
}

/** The workspace, as team.info returns it. */
export interface SlackTeam {
  id: string;
  name: string;
  domain: string;
  email_domain: string;
  icon: Record<string, unknown>;
}

/** A user as users.info returns it. */
export type SlackUser = Record<string, any> & { id: string; name: string; deleted: boolean; is_bot: boolean; profile: Record<string, any> };

/** A bot as bots.info returns it. */
export interface SlackBot {
  id: string;
  deleted: boolean;
  name: string;
  updated: number;
  app_id: string;
  user_id: string;
  icons: Record<string, string>;
}

/** An installed app: its bot and, for the Events API, where and what to deliver. */
export interface SlackApp {
  id: string;
  name: string;
  bot_id: string;
  bot_user_id: string;
  /** Signs every delivery (X-Slack-Signature, v0 HMAC-SHA256). */
  signing_secret: string;
  /** The deprecated verification token, sent as `token` in payloads. */
  verification_token: string;
  /** The Events API request URL; null when the app takes no events. */
  event_request_url: string | null;
  /**
   * The URL that last answered url_verification. apps.manifest.update verifies a new request URL before it answers;
   * a URL set any other way (the seed, a state import) is verified before its first delivery.
   */
  verified_url: string | null;
  /** Bot events the app subscribes to, e.g. message.channels, app_mention, reaction_added. */
  bot_events: string[];
  /**
   * The rest of the app's configuration, as its manifest last set it (apps.manifest.update replaces it whole);
   * apps.manifest.export answers it with the name, request URL and bot events above.
   */
  manifest: Record<string, any>;
}

/**
 * A token: a bot's (xoxb-), a user's (xoxp-), or a user's app configuration token (xoxe.xoxp-), which works only with
 * the App Manifest API; its scopes, and whether it still works.
 */
export interface SlackToken {
  token: string;
  type: 'bot' | 'user' | 'config';
  user_id: string;
  /** The app a bot or user token was issued to; a configuration token belongs to no app. */
  app_id?: string;
  bot_id?: string;
  scopes: string[];
  /** A revoked token answers token_revoked. */
  revoked?: boolean;
  /** Epoch seconds after which the token answers token_expired (token rotation). */
  expires_at?: number;
}

/** A conversation as stored: Slack's fields, without those computed per caller. */
export type SlackConversation = Record<string, any> & {
  id: string;
  created: number;
  is_im: boolean;
  is_mpim: boolean;
  /** Absent on a DM, which Slack describes by is_im and user alone. */
  is_private?: boolean;
  is_archived: boolean;
};

/** A message as conversations.history returns it. */
export type SlackMessage = Record<string, any> & { type: 'message'; ts: string };

/** A pin of a message. */
export interface SlackPin {
  ts: string;
  created: number;
  created_by: string;
}

/** A scheduled message and the message it will post. */
export interface SlackScheduledMessage {
  id: string;
  channel_id: string;
  post_at: number;
  date_created: number;
  text: string;
  /** Who scheduled it: the message is posted as them. */
  token: string;
  /** The arguments of the message (blocks, attachments, thread_ts, reply_broadcast). */
  message: Record<string, any>;
}

/** A file as files.info returns it, plus the twin's bookkeeping. */
export type SlackFile = Record<string, any> & { id: string; created: number; user: string; pending?: boolean };

/** An incoming webhook: the channel it posts into, as its app's bot. */
export interface SlackWebhook {
  channel: string;
  app_id: string;
  url_path: string;
}

/**
 * Who is calling: the token's record (its user, app and scopes).
 *
 * @example
 * const caller: SlackAuth = { token: state.tokens['xoxb-twin-bot-token'] };
 */
export interface SlackAuth {
  token: SlackToken | null;
}

/**
 * What every Slack handler sees of its request: the routed, authenticated context.
 *
 * @example
 * const authTest = (ctx: Ctx) => ({ body: { ok: true, user_id: ctx.auth.token!.user_id } });
 */
export type Ctx = OperationContext<SlackState, SlackAuth>;

/**
 * A request context before authentication (renderError, onResponse, authenticate see this).
 *
 * @example
 * const base = (ctx: RequestCtx) => ctx.baseUrl;
 */
export type RequestCtx = RequestContext<SlackState>;

/**
 * One Slack operation's handler.
 *
 * @example
 * const teamInfo: SlackHandler = (ctx) => ({ body: { ok: true, team: ctx.state.team } });
 */
export type SlackHandler = Handler<SlackState, SlackAuth>;

/**
 * A part of the Slack handler map, as each file under api/ exports it: `satisfies SlackHandlers` makes a key that
 * is not an operationId of openapi/slack.yaml a compile error.
 *
 * @example
 * export const teamHandlers = slackMethods({ teamInfo }) satisfies SlackHandlers;
 */
export type SlackHandlers = Partial<Record<SlackOperationId, SlackHandler>>;
