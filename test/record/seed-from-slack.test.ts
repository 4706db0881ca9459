/** Seeding the Slack twin from a recording of the Web API, then reading and writing the recorded workspace through @slack/web-api. */
import { LogLevel, WebClient, type Logger } from '@slack/web-api';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RecordedExchange, TwinDefinition } from '../../src/index.js';
import { createSlackTwin, slackTwin, type SlackState, type Twin } from '../../twins/index.js';
import { seedFromRecording } from '../../twins/slack/recording.js';

const ORIGIN = 'https://slack.com';
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };

/** A Web API call as @slack/web-api records it: a form POST to /api/<method>, answered with HTTP 200. */
function call(method: string, form: Record<string, string>, body: Record<string, unknown>): RecordedExchange {
  return {
    method: 'POST',
    url: new URL(`${ORIGIN}/api/${method}`),
    requestHeaders: { 'content-type': 'application/x-www-form-urlencoded' },
    requestBody: form,
    status: 200,
    responseHeaders: { 'content-type': 'application/json; charset=utf-8' },
    responseBody: body,
  };
}

// Modeled on the examples of docs.slack.dev/reference/methods (users.list, conversations.list, conversations.history, conversations.replies).
const spengler = {
  id: 'W012A3CDE', team_id: 'T012AB3C4', name: 'spengler', deleted: false, color: '9f69e7', real_name: 'spengler', tz: 'America/Los_Angeles', tz_label: 'Pacific Daylight Time', tz_offset: -25200,
  profile: { real_name: 'Egon Spengler', display_name: 'spengler', email: 'spengler@ghostbusters.example.com', team: 'T012AB3C4' },
  is_admin: true, is_owner: false, is_primary_owner: false, is_restricted: false, is_ultra_restricted: false, is_bot: false, updated: 1502138686, is_app_user: false, has_2fa: false,
};
const glinda = { ...spengler, id: 'W07QCRPA4', name: 'glinda', real_name: 'Glinda Southgood', is_admin: false, profile: { real_name: 'Glinda Southgood', display_name: 'Glinda the Fairly Good', email: 'glenda@south.oz.coven', team: 'T012AB3C4' } };
const general = {
  id: 'C012AB3CD', name: 'general', is_channel: true, is_group: false, is_im: false, is_mpim: false, is_private: false, created: 1449252889, is_archived: false, is_general: true, unlinked: 0, name_normalized: 'general',
  is_shared: false, is_org_shared: false, is_ext_shared: false, is_member: true, num_members: 4, context_team_id: 'T012AB3C4', updated: 1678229664302, creator: 'W012A3CDE', previous_names: [],
  topic: { value: 'Company-wide announcements and work-based matters', creator: '', last_set: 0 }, purpose: { value: 'This channel is for team-wide communication and announcements.', creator: '', last_set: 0 },
};
const exchanges: RecordedExchange[] = [
  call('team.info', {}, { ok: true, team: { id: 'T012AB3C4', name: 'Ghostbusters', domain: 'ghostbusters', email_domain: 'ghostbusters.example.com', icon: { image_34: 'https://a.slack-edge.com/img/team-34.png', image_default: true }, url: 'https://ghostbusters.slack.com/', is_verified: false } }),
  call('users.list', { limit: '200' }, { ok: true, members: [spengler, glinda], cache_ts: 1498777272, response_metadata: { next_cursor: '' } }),
  call('users.info', { user: 'W07QCRPA4' }, { ok: true, user: { ...glinda, profile: { ...glinda.profile, title: 'Good witch' } } }),
  call('conversations.list', { types: 'public_channel' }, { ok: true, channels: [general, { ...general, id: 'C061EG9T2', name: 'random', name_normalized: 'random', is_general: false, num_members: 2 }], response_metadata: { next_cursor: '' } }),
  // The newest answer wins: the topic as conversations.info showed it later.
  call('conversations.info', { channel: 'C012AB3CD' }, { ok: true, channel: { ...general, topic: { value: 'Ghosts only', creator: 'W012A3CDE', last_set: 1700000000 } } }),
  call('conversations.members', { channel: 'C012AB3CD' }, { ok: true, members: ['W012A3CDE', 'W07QCRPA4'], response_metadata: { next_cursor: '' } }),
  call('conversations.history', { channel: 'C012AB3CD' }, {
    ok: true,
    messages: [
      { type: 'message', user: 'W07QCRPA4', text: 'And another thing', ts: '1512104434.000490', team: 'T012AB3C4' },
      { type: 'message', user: 'W012A3CDE', text: 'I find you punny and would like to smell your nose letter', ts: '1512085950.000216', thread_ts: '1512085950.000216', reply_count: 1, reply_users_count: 1, latest_reply: '1512085960.000300', reply_users: ['W07QCRPA4'], team: 'T012AB3C4' },
    ],
    has_more: false,
    pin_count: 0,
    response_metadata: { next_cursor: '' },
  }),
  call('conversations.replies', { channel: 'C012AB3CD', ts: '1512085950.000216' }, {
    ok: true,
    messages: [
      { type: 'message', user: 'W012A3CDE', text: 'I find you punny and would like to smell your nose letter', ts: '1512085950.000216', thread_ts: '1512085950.000216', reply_count: 1, reply_users_count: 1, latest_reply: '1512085960.000300', reply_users: ['W07QCRPA4'], team: 'T012AB3C4' },
      { type: 'message', user: 'W07QCRPA4', text: 'Hello there', ts: '1512085960.000300', thread_ts: '1512085950.000216', parent_user_id: 'W012A3CDE', team: 'T012AB3C4' },
    ],
    has_more: false,
  }),
  // Neither an error answer nor a write changes the state.
  call('users.info', { user: 'W0NOBODY' }, { ok: false, error: 'user_not_found' }),
  call('chat.postMessage', { channel: 'C012AB3CD', text: 'hi' }, { ok: true, channel: 'C012AB3CD', ts: '1512104500.000100', message: { type: 'message', text: 'hi', ts: '1512104500.000100' } }),
  call('pins.list', { channel: 'C012AB3CD' }, { ok: true, items: [] }),
];

let twin: Twin<SlackState>;
let url: string;
let close: () => Promise<void>;
let notes: string[];
const client = (token: string) => new WebClient(token, { slackApiUrl: `${url}/api/`, retryConfig: { retries: 0 }, logger: quiet });

beforeAll(async () => {
  const seeded = seedFromRecording(exchanges, structuredClone(slackTwin.seed));
  notes = seeded.notes;
  twin = createSlackTwin({ strict: true, clock: '2026-01-01T00:00:00.000Z' });
  twin.importState({ twinverse: 1, twin: 'slack', state: seeded.state, ids: twin.exportState().ids });
  ({ url, close } = await twin.listen());
});
afterAll(() => close());

test('the recorded workspace, users and channels are there under their recorded ids; the newest answer wins', async () => {
  const bot = client('xoxb-twin-bot-token');
  expect((await client('xoxp-twin-user-token').team.info()).team).toMatchObject({ id: 'T012AB3C4', name: 'Ghostbusters', domain: 'ghostbusters' });
  const users = (await bot.users.list({})).members!.map((u) => u.id);
  expect(users).toEqual(expect.arrayContaining(['W012A3CDE', 'W07QCRPA4', 'U0TWINBOT1']));
  expect((await bot.users.info({ user: 'W07QCRPA4' })).user?.profile?.title).toBe('Good witch');
  expect((await bot.users.lookupByEmail({ email: 'spengler@ghostbusters.example.com' })).user?.id).toBe('W012A3CDE');
  const info = await bot.conversations.info({ channel: 'C012AB3CD', include_num_members: true });
  expect(info.channel).toMatchObject({ name: 'general', topic: { value: 'Ghosts only' }, is_member: false, num_members: 2 });
  expect((await bot.conversations.members({ channel: 'C012AB3CD' })).members).toEqual(['W012A3CDE', 'W07QCRPA4']);
  expect(twin.state.users.U0TWINBOT1.team_id).toBe('T012AB3C4');
});

test('history and threads read back as recorded, and answers that are errors or writes were not kept', async () => {
  const admin = client('xoxp-twin-user-token');
  const history = await admin.conversations.history({ channel: 'C012AB3CD' });
  expect(history.messages!.map((m) => [m.ts, m.text])).toEqual([
    ['1512104434.000490', 'And another thing'],
    ['1512085950.000216', 'I find you punny and would like to smell your nose letter'],
  ]);
  const replies = await admin.conversations.replies({ channel: 'C012AB3CD', ts: '1512085950.000216' });
  expect(replies.messages!.map((m) => m.text)).toEqual(['I find you punny and would like to smell your nose letter', 'Hello there']);
  expect(twin.state.users.W0NOBODY).toBeUndefined();
  expect(notes).toEqual(expect.arrayContaining([expect.stringContaining('pins.list: not read into the seed')]));
});

test('the recorded channel takes writes: join, post after the recorded messages, reply in a recorded thread, set the topic', async () => {
  const admin = client('xoxp-twin-user-token');
  await admin.conversations.join({ channel: 'C012AB3CD' });
  const posted = await admin.chat.postMessage({ channel: 'C012AB3CD', text: 'who you gonna call' });
  expect(Number(posted.ts)).toBeGreaterThan(1512104434.00049);
  const reply = await admin.chat.postMessage({ channel: 'C012AB3CD', text: 'me', thread_ts: '1512085950.000216' });
  const replies = await admin.conversations.replies({ channel: 'C012AB3CD', ts: '1512085950.000216' });
  expect(replies.messages!.map((m) => m.ts)).toEqual(['1512085950.000216', '1512085960.000300', reply.ts]);
  expect(replies.messages![0].reply_count).toBe(2);
  await admin.conversations.setTopic({ channel: 'C012AB3CD', topic: 'Busting' });
  expect((await admin.conversations.info({ channel: 'C012AB3CD' })).channel?.topic?.value).toBe('Busting');
});

test('the hook fits the twin definition\'s seedFromRecording, leaves the seed it is handed as it was, and gives the same state for the same recording', () => {
  const hook: NonNullable<TwinDefinition<SlackState>['seedFromRecording']> = seedFromRecording;
  const seed = structuredClone(slackTwin.seed);
  const first = hook(exchanges, seed);
  expect(seed).toEqual(slackTwin.seed);
  expect(hook(exchanges, seed)).toEqual(first);
});
