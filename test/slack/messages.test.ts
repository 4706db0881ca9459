/**
 * Messages through @slack/web-api: posting (text, blocks, attachments, threads, broadcasts, bot customization),
 * history (newest first, latest/oldest/inclusive, cursor pages), replies, update, delete, ephemeral messages and
 * permalinks; ts unique and increasing per channel; and the refusals for bad input.
 */
import { expect, test } from 'vitest';
import { ADMIN, BOT, BOT_TOKEN, BOT_USER, describeSlack, GENERAL, RANDOM, slackError } from '../support/slack.js';

describeSlack('posting and reading messages', (t) => {
  test('a bot post carries its user, bot id and profile; ts is the clock in Slack format, unique and increasing', async () => {
    const first = await t.bot.chat.postMessage({ channel: GENERAL, text: 'one' });
    expect(first).toMatchObject({ ok: true, channel: GENERAL, ts: '1767225600.000000', message: { type: 'message', text: 'one', user: BOT_USER, bot_id: BOT, bot_profile: { name: 'twinbot' } } });
    const second = await t.bot.chat.postMessage({ channel: GENERAL, text: 'two' });
    expect(second.ts).toBe('1767225600.000001');
    t.twin.clock.advance(1500);
    expect((await t.user.chat.postMessage({ channel: GENERAL, text: 'three' })).ts).toBe('1767225601.500000');
    expect((await t.user.chat.postMessage({ channel: RANDOM, text: 'elsewhere' })).ts).toBe('1767225601.500000');
    const { messages } = await t.bot.conversations.history({ channel: GENERAL });
    expect(messages!.map((m) => [m.text, m.user])).toEqual([
      ['three', ADMIN],
      ['two', BOT_USER],
      ['one', BOT_USER],
    ]);
  });

  test('refusals: channel_not_found, not_in_channel (the bot is not in #random), no_text, msg_too_long', async () => {
    expect((await slackError(t.bot.chat.postMessage({ channel: 'C0NOSUCH00', text: 'x' }))).error).toBe('channel_not_found');
    expect((await slackError(t.bot.chat.postMessage({ channel: RANDOM, text: 'x' }))).error).toBe('not_in_channel');
    expect((await slackError(t.bot.chat.postMessage({ channel: GENERAL, text: '' }))).error).toBe('no_text');
    expect((await slackError(t.bot.chat.postMessage({ channel: GENERAL, text: 'x'.repeat(40_001) }))).error).toBe('msg_too_long');
    expect((await slackError(t.bot.conversations.history({ channel: RANDOM }))).error).toBe('not_in_channel');
    expect(t.twin.state.messages[GENERAL]).toEqual([]);
  });

  test('username and icon need chat:write.customize: without it they are ignored, with it the post is a bot_message', async () => {
    const plain = await t.bot.chat.postMessage({ channel: GENERAL, text: 'x', username: 'Robot', icon_emoji: ':robot_face:' });
    expect(plain.message?.username).toBeUndefined();
    t.twin.state.tokens[BOT_TOKEN].scopes.push('chat:write.customize');
    const custom = await t.bot.chat.postMessage({ channel: GENERAL, text: 'y', username: 'Robot', icon_emoji: ':robot_face:' });
    expect(custom.message).toMatchObject({ subtype: 'bot_message', username: 'Robot', icons: { emoji: ':robot_face:' } });
  });

  test('history pages newest first with cursors; the SDK paginator reads the whole channel once', async () => {
    for (let i = 1; i <= 7; i++) await t.bot.chat.postMessage({ channel: GENERAL, text: `m${i}` });
    const page = await t.bot.conversations.history({ channel: GENERAL, limit: 3 });
    expect(page.messages!.map((m) => m.text)).toEqual(['m7', 'm6', 'm5']);
    expect(page.has_more).toBe(true);
    const next = await t.bot.conversations.history({ channel: GENERAL, limit: 3, cursor: page.response_metadata!.next_cursor });
    expect(next.messages!.map((m) => m.text)).toEqual(['m4', 'm3', 'm2']);
    const texts: string[] = [];
    for await (const p of t.bot.paginate('conversations.history', { channel: GENERAL, limit: 2 })) texts.push(...(p as any).messages.map((m: any) => m.text));
    expect(texts).toEqual(['m7', 'm6', 'm5', 'm4', 'm3', 'm2', 'm1']);
    const last = await t.bot.conversations.history({ channel: GENERAL, limit: 10 });
    expect(last.has_more).toBe(false);
    expect(last.response_metadata?.next_cursor).toBeUndefined();
  });

  test('latest, oldest and inclusive bound the range', async () => {
    const ts: string[] = [];
    for (let i = 1; i <= 5; i++) ts.push((await t.bot.chat.postMessage({ channel: GENERAL, text: `m${i}` })).ts!);
    const texts = async (args: Record<string, unknown>) => ((await t.bot.conversations.history({ channel: GENERAL, ...args })).messages ?? []).map((m) => m.text);
    expect(await texts({ latest: ts[3], oldest: ts[1] })).toEqual(['m3']);
    expect(await texts({ latest: ts[3], oldest: ts[1], inclusive: true })).toEqual(['m4', 'm3', 'm2']);
    expect(await texts({ oldest: ts[2] })).toEqual(['m5', 'm4']);
    expect(await texts({ latest: ts[0], inclusive: true })).toEqual(['m1']);
    expect((await slackError(t.bot.conversations.history({ channel: GENERAL, latest: 'yesterday' }))).error).toBe('invalid_ts_latest');
    expect((await slackError(t.bot.conversations.history({ channel: GENERAL, oldest: '12.34.56' }))).error).toBe('invalid_ts_oldest');
  });

  test('threads: replies carry thread_ts and parent_user_id, the parent its summary; history shows top level and broadcasts', async () => {
    const parent = await t.user.chat.postMessage({ channel: GENERAL, text: 'question' });
    await t.bot.chat.postMessage({ channel: GENERAL, text: 'answer', thread_ts: parent.ts! });
    const broadcast = await t.user.chat.postMessage({ channel: GENERAL, text: 'thanks all', thread_ts: parent.ts!, reply_broadcast: true });
    const history = await t.bot.conversations.history({ channel: GENERAL });
    expect(history.messages!.map((m) => [m.text, m.subtype])).toEqual([
      ['thanks all', 'thread_broadcast'],
      ['question', undefined],
    ]);
    expect(history.messages![1]).toMatchObject({ thread_ts: parent.ts, reply_count: 2, reply_users_count: 2, reply_users: [BOT_USER, ADMIN], latest_reply: broadcast.ts });
    const replies = await t.bot.conversations.replies({ channel: GENERAL, ts: parent.ts! });
    expect(replies.messages!.map((m) => [m.text, m.thread_ts, m.parent_user_id])).toEqual([
      ['question', parent.ts, undefined],
      ['answer', parent.ts, ADMIN],
      ['thanks all', parent.ts, ADMIN],
    ]);
    const viaReply = await t.bot.conversations.replies({ channel: GENERAL, ts: broadcast.ts!, limit: 2 });
    expect(viaReply.messages!.map((m) => m.text)).toEqual(['question', 'answer']);
    expect(viaReply.has_more).toBe(true);
    const rest = await t.bot.conversations.replies({ channel: GENERAL, ts: parent.ts!, cursor: viaReply.response_metadata!.next_cursor });
    expect(rest.messages!.map((m) => m.text)).toEqual(['thanks all']);
    expect((await slackError(t.bot.conversations.replies({ channel: GENERAL, ts: '1767225000.000000' }))).error).toBe('thread_not_found');
    expect((await slackError(t.bot.chat.postMessage({ channel: GENERAL, text: 'x', thread_ts: '1767225000.000000' }))).error).toBe('thread_not_found');
  });

  test('update: own messages only, marked edited; others are cant_update_message; unknown ts message_not_found', async () => {
    const mine = await t.bot.chat.postMessage({ channel: GENERAL, text: 'draft' });
    t.twin.clock.advance(1000);
    const updated = await t.bot.chat.update({ channel: GENERAL, ts: mine.ts!, text: 'final' });
    expect(updated).toMatchObject({ channel: GENERAL, ts: mine.ts, text: 'final', message: { text: 'final', edited: { user: BOT_USER, ts: '1767225601.000000' } } });
    expect((await t.bot.conversations.history({ channel: GENERAL })).messages![0].text).toBe('final');
    const theirs = await t.user.chat.postMessage({ channel: GENERAL, text: 'admin says' });
    expect((await slackError(t.bot.chat.update({ channel: GENERAL, ts: theirs.ts!, text: 'hijack' }))).error).toBe('cant_update_message');
    expect((await slackError(t.bot.chat.update({ channel: GENERAL, ts: '1767225000.000000', text: 'x' }))).error).toBe('message_not_found');
  });

  test('delete: own messages (an admin user any); a parent with replies leaves a tombstone; a reply is recounted', async () => {
    const solo = await t.bot.chat.postMessage({ channel: GENERAL, text: 'oops' });
    expect(await t.bot.chat.delete({ channel: GENERAL, ts: solo.ts! })).toMatchObject({ ok: true, channel: GENERAL, ts: solo.ts });
    expect((await slackError(t.bot.chat.delete({ channel: GENERAL, ts: solo.ts! }))).error).toBe('message_not_found');
    const parent = await t.bot.chat.postMessage({ channel: GENERAL, text: 'thread' });
    const reply = await t.user.chat.postMessage({ channel: GENERAL, text: 'reply', thread_ts: parent.ts });
    expect((await slackError(t.bot.chat.delete({ channel: GENERAL, ts: reply.ts! }))).error).toBe('cant_delete_message');
    await t.user.chat.delete({ channel: GENERAL, ts: parent.ts! });
    const [tombstone] = (await t.bot.conversations.history({ channel: GENERAL })).messages!;
    expect(tombstone).toMatchObject({ subtype: 'tombstone', text: 'This message was deleted.', reply_count: 1 });
    await t.user.chat.delete({ channel: GENERAL, ts: reply.ts! });
    const replies = await t.bot.conversations.replies({ channel: GENERAL, ts: parent.ts! });
    expect(replies.messages!.map((m) => m.text)).toEqual(['This message was deleted.']);
  });

  test('ephemeral messages go to a member and are never stored; permalinks name the message (and its thread)', async () => {
    const ephemeral = await t.bot.chat.postEphemeral({ channel: GENERAL, user: ADMIN, text: 'only you' });
    expect(ephemeral.message_ts).toBe('1767225600.000000');
    expect((await t.bot.conversations.history({ channel: GENERAL })).messages).toEqual([]);
    expect((await slackError(t.bot.chat.postEphemeral({ channel: GENERAL, user: 'USLACKBOT', text: 'x' }))).error).toBe('user_not_in_channel');
    const parent = await t.bot.chat.postMessage({ channel: GENERAL, text: 'link me' });
    expect((await t.bot.chat.getPermalink({ channel: GENERAL, message_ts: parent.ts! })).permalink).toBe(`https://twin.slack.com/archives/${GENERAL}/p1767225600000001`);
    const reply = await t.bot.chat.postMessage({ channel: GENERAL, text: 'in thread', thread_ts: parent.ts });
    expect((await t.bot.chat.getPermalink({ channel: GENERAL, message_ts: reply.ts! })).permalink).toBe(`https://twin.slack.com/archives/${GENERAL}/p1767225600000002?thread_ts=${parent.ts}&cid=${GENERAL}`);
    expect((await slackError(t.bot.chat.getPermalink({ channel: GENERAL, message_ts: '1767225000.000000' }))).error).toBe('message_not_found');
  });

  test('a thread_ts that is not a ts is invalid_thread_ts, one that names no message thread_not_found; nothing is posted', async () => {
    const now = Math.floor(t.twin.clock.nowMs() / 1000);
    for (const call of [
      t.bot.chat.postMessage({ channel: GENERAL, text: 'x', thread_ts: 'yesterday' }),
      t.bot.chat.postEphemeral({ channel: GENERAL, user: ADMIN, text: 'x', thread_ts: '12.34.56' }),
      t.bot.chat.scheduleMessage({ channel: GENERAL, text: 'x', post_at: now + 60, thread_ts: 'C0GENERAL1' }),
    ]) {
      expect((await slackError(call)).data).toEqual({ ok: false, error: 'invalid_thread_ts', response_metadata: expect.anything() });
    }
    expect((await slackError(t.bot.chat.postMessage({ channel: GENERAL, text: 'x', thread_ts: '1767225000.000000' }))).error).toBe('thread_not_found');
    expect((await slackError(t.bot.chat.scheduleMessage({ channel: GENERAL, text: 'x', post_at: now + 60, thread_ts: '1767225000.000000' }))).error).toBe('thread_not_found');
    expect(t.twin.state.messages[GENERAL]).toEqual([]);
    expect(t.twin.state.scheduled).toEqual({});
  });

  test('conversations.replies of a ts that is not one, or names no message, is thread_not_found', async () => {
    expect((await slackError(t.bot.conversations.replies({ channel: GENERAL, ts: 'latest' }))).data).toEqual({ ok: false, error: 'thread_not_found', response_metadata: expect.anything() });
    expect((await slackError(t.bot.conversations.replies({ channel: GENERAL, ts: '1767225000.000000' }))).error).toBe('thread_not_found');
  });
});
