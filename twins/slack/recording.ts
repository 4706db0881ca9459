import { copyJson, type RecordedExchange, type SeedFromRecording } from '../../src/index.js';
import { tsMicros } from './model/ids.js';
import type { SlackConversation, SlackMessage, SlackState, SlackUser } from './types.js';

type Json = Record<string, any>;

/**
 * The Web API methods whose answers seed the twin. @slack/web-api sends every method as a POST (a form body), so a
 * recording holds reads as POSTs too: the exchanges to hand over are the 2xx ones whose path names one of these.
 *
 * @example
 * const reads = exchanges.filter((e) => SLACK_SEED_METHODS.includes(slackMethodOf(e)));
 */
export const SLACK_SEED_METHODS = [
  'team.info',
  'users.list',
  'users.info',
  'users.lookupByEmail',
  'bots.info',
  'conversations.list',
  'conversations.info',
  'conversations.members',
  'conversations.history',
  'conversations.replies',
];

/** Read methods the twin answers from what it builds itself, or has no place for: named in the notes when recorded. */
const READS_NOT_KEPT = /\.(list|info|get|history|replies|members|test|lookupByEmail|getPermalink|scheduledMessages)$/;

/** Fields Slack computes per caller or per request; the twin derives them when it answers (conversationView, teamInfo). */
const CONVERSATION_VIEW_FIELDS = ['is_member', 'num_members', 'last_read', 'unread_count', 'unread_count_display', 'latest', 'priority'];
const TEAM_VIEW_FIELDS = ['url', 'is_verified'];

/**
 * The Web API method an exchange called: the last segment of its path (`/api/conversations.history`).
 *
 * @example
 * slackMethodOf(exchange); // 'conversations.history'
 */
export function slackMethodOf(exchange: RecordedExchange): string {
  return exchange.url.pathname.split('/').pop() ?? '';
}

/** A method's arguments as the twin reads them: the query string, then a form or JSON body on top. */
function argsOf(exchange: RecordedExchange): Json {
  const out: Json = Object.fromEntries(exchange.url.searchParams);
  const body = exchange.requestBody;
  if (body && typeof body === 'object' && !Array.isArray(body)) Object.assign(out, body);
  return out;
}

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A user as the twin stores it: Slack's record, with the fields the twin reads always present. */
function storedUser(user: Json): SlackUser {
  const { locale: _locale, ...rest } = copyJson(user);
  return { ...rest, id: user.id, name: String(user.name ?? ''), deleted: user.deleted === true, is_bot: user.is_bot === true, profile: isObject(user.profile) ? rest.profile : {} };
}

/** A conversation as the twin stores it: without what Slack computes per caller. */
function storedConversation(conversation: Json): SlackConversation {
  const stored: Json = copyJson(conversation);
  for (const field of CONVERSATION_VIEW_FIELDS) delete stored[field];
  stored.is_im = conversation.is_im === true;
  stored.is_mpim = conversation.is_mpim === true;
  stored.is_archived = conversation.is_archived === true;
  stored.created = Number(conversation.created ?? 0);
  if (!stored.is_im) stored.is_private = conversation.is_private === true;
  return stored as SlackConversation;
}

/** Puts messages into a ts-ordered list: one per ts, the newest answer's copy replacing an older one. */
function mergeMessages(list: SlackMessage[], incoming: SlackMessage[]): SlackMessage[] {
  const byTs = new Map(list.map((m) => [m.ts, m]));
  for (const message of incoming) byTs.set(message.ts, message);
  return [...byTs.values()].sort((a, b) => tsMicros(a.ts) - tsMicros(b.ts));
}

/** A message as the twin stores it: Slack's object, typed `message`. */
function storedMessage(message: Json): SlackMessage {
  return { ...copyJson(message), type: 'message', ts: String(message.ts) };
}

/**
 * Builds the Slack twin's starting state from a recording of the Web API: the workspace (team.info), users and bots,
 * conversations with their members, and their messages and threads, added to the seed under their recorded ids
 * (the newest answer wins for one id). An answer with `ok: false` shows nothing; methods that write are ignored.
 * The seed's own users, bot, app, tokens and channels stay, so the seed's tokens still sign in.
 *
 * @example
 * const { state, notes } = seedFromRecording(exchanges, structuredClone(slackTwin.seed));
 * twin.importState({ twinverse: 1, twin: 'slack', state, ids: twin.exportState().ids });
 */
export function seedFromRecording(exchanges: RecordedExchange[], seed: SlackState): SeedFromRecording<SlackState> {
  const state = copyJson(seed);
  const notes: string[] = [];
  const seedUserIds = Object.keys(seed.users);
  const seedConversationIds = Object.keys(seed.conversations);
  const notKept = new Set<string>();
  const partialMembers = new Map<string, boolean>();
  const olderHistory = new Set<string>();

  const putConversation = (raw: unknown) => {
    if (!isObject(raw) || typeof raw.id !== 'string') return;
    state.conversations[raw.id] = storedConversation(raw);
    state.messages[raw.id] ??= [];
    if (raw.is_im && typeof raw.user === 'string' && !state.members[raw.id]) state.members[raw.id] = [raw.user];
  };

  for (const exchange of exchanges) {
    const method = slackMethodOf(exchange);
    const body = exchange.responseBody;
    if (!SLACK_SEED_METHODS.includes(method)) {
      if (READS_NOT_KEPT.test(method)) notKept.add(method);
      continue;
    }
    if (!isObject(body) || body.ok !== true) continue;
    const args = argsOf(exchange);
    switch (method) {
      case 'team.info': {
        if (!isObject(body.team) || typeof body.team.id !== 'string') break;
        const team: Json = copyJson(body.team);
        for (const field of TEAM_VIEW_FIELDS) delete team[field];
        state.team = { ...state.team, ...team };
        break;
      }
      case 'users.list':
        for (const user of Array.isArray(body.members) ? body.members : []) if (isObject(user) && typeof user.id === 'string') state.users[user.id] = storedUser(user);
        break;
      case 'users.info':
      case 'users.lookupByEmail':
        if (isObject(body.user) && typeof body.user.id === 'string') state.users[body.user.id] = storedUser(body.user);
        break;
      case 'bots.info':
        if (isObject(body.bot) && typeof body.bot.id === 'string') state.bots[body.bot.id] = copyJson(body.bot) as SlackState['bots'][string];
        break;
      case 'conversations.list':
        for (const conversation of Array.isArray(body.channels) ? body.channels : []) putConversation(conversation);
        break;
      case 'conversations.info':
        putConversation(body.channel);
        break;
      case 'conversations.members': {
        const channel = String(args.channel ?? '');
        if (!channel || !Array.isArray(body.members)) break;
        // A first page starts the list again (the newest listing wins); a later page adds to it.
        const members = args.cursor ? (state.members[channel] ?? []) : [];
        for (const id of body.members) if (typeof id === 'string' && !members.includes(id)) members.push(id);
        state.members[channel] = members;
        partialMembers.set(channel, Boolean(body.response_metadata?.next_cursor));
        break;
      }
      case 'conversations.history': {
        const channel = String(args.channel ?? '');
        if (!channel || !Array.isArray(body.messages)) break;
        const incoming = body.messages.filter((m: unknown) => isObject(m) && typeof m.ts === 'string').map(storedMessage);
        state.messages[channel] = mergeMessages(state.messages[channel] ?? [], incoming);
        if (body.has_more === true) olderHistory.add(channel);
        break;
      }
      case 'conversations.replies': {
        const channel = String(args.channel ?? '');
        if (!channel || !Array.isArray(body.messages)) break;
        for (const raw of body.messages) {
          if (!isObject(raw) || typeof raw.ts !== 'string') continue;
          const message = storedMessage(raw);
          const threadTs = typeof raw.thread_ts === 'string' ? raw.thread_ts : raw.ts;
          if (threadTs === message.ts) {
            state.messages[channel] = mergeMessages(state.messages[channel] ?? [], [message]);
            continue;
          }
          const thread = (state.replies[channel] ??= {});
          thread[threadTs] = mergeMessages(thread[threadTs] ?? [], [message]);
          (state.threadOf[channel] ??= {})[message.ts] = threadTs;
        }
        break;
      }
    }
  }

  // A thread broadcast is a reply shown in the channel too: the twin finds it through its thread.
  for (const [channel, list] of Object.entries(state.messages)) {
    for (const message of list) {
      if (message.subtype === 'thread_broadcast' && typeof message.thread_ts === 'string' && message.thread_ts !== message.ts) {
        const thread = (state.replies[channel] ??= {});
        if (!thread[message.thread_ts]?.some((r) => r.ts === message.ts)) {
          const { subtype: _subtype, ...reply } = message;
          thread[message.thread_ts] = mergeMessages(thread[message.thread_ts] ?? [], [reply as SlackMessage]);
        }
        (state.threadOf[channel] ??= {})[message.ts] = message.thread_ts;
      }
    }
  }

  // New messages must sort after every recorded one: each conversation's last ts given out is its newest recorded ts.
  for (const channel of new Set([...Object.keys(state.messages), ...Object.keys(state.replies)])) {
    const all = [...(state.messages[channel] ?? []), ...Object.values(state.replies[channel] ?? {}).flat()];
    if (all.length === 0) continue;
    const last = all.reduce((a, b) => (tsMicros(b.ts) > tsMicros(a.ts) ? b : a)).ts;
    if (!state.lastTs[channel] || tsMicros(last) > tsMicros(state.lastTs[channel])) state.lastTs[channel] = last;
  }

  // The seed's own users and channels join the recorded workspace, so that what they post carries its team id.
  if (state.team.id !== seed.team.id) {
    for (const id of seedUserIds) {
      const user = state.users[id];
      if (!user || user.team_id !== seed.team.id) continue;
      user.team_id = state.team.id;
      if (isObject(user.profile) && user.profile.team === seed.team.id) user.profile.team = state.team.id;
    }
    for (const id of seedConversationIds) {
      const conversation = state.conversations[id];
      if (conversation?.context_team_id === seed.team.id) conversation.context_team_id = state.team.id;
    }
    notes.push(`team: the workspace is ${state.team.id} as recorded; the seed's users, bot and channels were moved into it, and its incoming webhook keeps its path`);
  }

  for (const channel of olderHistory) if (state.conversations[channel]) notes.push(`conversations.history ${channel}: the recording stops before the oldest messages (has_more); the twin keeps the messages it shows`);
  for (const [channel, partial] of partialMembers) if (partial) notes.push(`conversations.members ${channel}: the recording holds only some pages of members; the twin keeps those`);
  const unlisted = Object.keys(state.messages).filter((channel) => !state.conversations[channel]);
  for (const channel of unlisted) {
    notes.push(`conversations.history ${channel}: messages of a conversation the recording never describes (no conversations.list or .info answer names it): not kept`);
    delete state.messages[channel];
    delete state.replies[channel];
    delete state.threadOf[channel];
    delete state.lastTs[channel];
  }
  for (const channel of Object.keys(state.members)) {
    if (!state.conversations[channel]) {
      notes.push(`conversations.members ${channel}: members of a conversation the recording never describes: not kept`);
      delete state.members[channel];
    }
  }
  for (const id of seedConversationIds) {
    const seeded = state.conversations[id];
    const namesake = Object.values(state.conversations).find((c) => c.id !== id && !seedConversationIds.includes(c.id) && c.name === seeded?.name);
    if (namesake) notes.push(`conversation ${namesake.id} (#${namesake.name}): the seed's channel ${id} of the same name stays beside it`);
  }
  const unjoined = Object.values(state.conversations).filter((c) => !seedConversationIds.includes(c.id) && !state.members[c.id]);
  if (unjoined.length) notes.push(`conversations.members: not recorded for ${unjoined.map((c) => c.id).join(', ')}: the twin starts them with no members (conversations.join or .invite adds some)`);
  for (const method of notKept) notes.push(`${method}: not read into the seed (the twin keeps no such records from a recording)`);
  notes.push('tokens: recorded tokens are redacted and never kept; the seed\'s tokens (xoxb-twin-bot-token, xoxp-twin-user-token) sign in as the seed\'s bot and admin, who are members of no recorded conversation until they join one');
  return { state, notes };
}
