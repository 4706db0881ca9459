/** Reactions and pins through @slack/web-api, with Slack's refusals. */
import { expect, test } from 'vitest';
import { ADMIN, BOT_USER, describeSlack, GENERAL, slackError } from '../support/slack.js';

describeSlack('reactions', (t) => {
  test('add, get, remove; twice is already_reacted, absent is no_reaction; colons are dropped', async () => {
    const { ts } = await t.user.chat.postMessage({ channel: GENERAL, text: 'ship it' });
    await t.bot.reactions.add({ channel: GENERAL, timestamp: ts!, name: 'tada' });
    await t.user.reactions.add({ channel: GENERAL, timestamp: ts!, name: ':tada:' });
    await t.user.reactions.add({ channel: GENERAL, timestamp: ts!, name: '+1' });
    const got = await t.bot.reactions.get({ channel: GENERAL, timestamp: ts! });
    expect(got).toMatchObject({ type: 'message', channel: GENERAL, message: { text: 'ship it', reactions: [{ name: 'tada', users: [BOT_USER, ADMIN], count: 2 }, { name: '+1', users: [ADMIN], count: 1 }] } });
    expect((await slackError(t.bot.reactions.add({ channel: GENERAL, timestamp: ts!, name: 'tada' }))).error).toBe('already_reacted');
    await t.bot.reactions.remove({ channel: GENERAL, timestamp: ts!, name: 'tada' });
    expect((await slackError(t.bot.reactions.remove({ channel: GENERAL, timestamp: ts!, name: 'tada' }))).error).toBe('no_reaction');
    expect((await t.bot.reactions.get({ channel: GENERAL, timestamp: ts! })).message?.reactions).toEqual([
      { name: 'tada', users: [ADMIN], count: 1 },
      { name: '+1', users: [ADMIN], count: 1 },
    ]);
  });

  test('bad input: invalid_name, message_not_found, no_item_specified', async () => {
    const { ts } = await t.bot.chat.postMessage({ channel: GENERAL, text: 'x' });
    expect((await slackError(t.bot.reactions.add({ channel: GENERAL, timestamp: ts!, name: 'Not An Emoji' }))).error).toBe('invalid_name');
    expect((await slackError(t.bot.reactions.add({ channel: GENERAL, timestamp: '1767225000.000000', name: 'tada' }))).error).toBe('message_not_found');
    expect((await slackError(t.bot.apiCall('reactions.get', {}))).error).toBe('no_item_specified');
    expect((await slackError(t.bot.reactions.add({ channel: GENERAL, timestamp: 'now', name: 'tada' }))).error).toBe('bad_timestamp');
    expect((await slackError(t.bot.reactions.list({ user: 'U0NOBODY00' }))).error).toBe('user_not_found');
  });

  test('reactions.list: what a user reacted to, newest first, with legacy paging', async () => {
    const a = await t.bot.chat.postMessage({ channel: GENERAL, text: 'a' });
    const b = await t.bot.chat.postMessage({ channel: GENERAL, text: 'b' });
    await t.user.reactions.add({ channel: GENERAL, timestamp: a.ts!, name: 'eyes' });
    await t.user.reactions.add({ channel: GENERAL, timestamp: b.ts!, name: 'eyes' });
    const listed = await t.bot.reactions.list({ user: ADMIN, count: 1 });
    expect(listed.items!.map((i) => i.message?.text)).toEqual(['b']);
    expect(listed.paging).toEqual({ count: 1, total: 2, page: 1, pages: 2 });
    expect((await t.user.reactions.list({})).items!.map((i) => i.message?.text)).toEqual(['b', 'a']);
  });
});

describeSlack('pins', (t) => {
  test('add, list, remove; already_pinned and not_pinned; pin_count in history', async () => {
    const { ts } = await t.bot.chat.postMessage({ channel: GENERAL, text: 'rules' });
    await t.bot.pins.add({ channel: GENERAL, timestamp: ts! });
    expect((await slackError(t.bot.pins.add({ channel: GENERAL, timestamp: ts! }))).error).toBe('already_pinned');
    const listed = await t.bot.pins.list({ channel: GENERAL });
    expect(listed.items).toEqual([{ type: 'message', created: 1767225600, created_by: BOT_USER, channel: GENERAL, message: expect.objectContaining({ text: 'rules', pinned_to: [GENERAL] }) }]);
    expect((await t.bot.conversations.history({ channel: GENERAL })).pin_count).toBe(1);
    await t.bot.pins.remove({ channel: GENERAL, timestamp: ts! });
    expect((await slackError(t.bot.pins.remove({ channel: GENERAL, timestamp: ts! }))).error).toBe('not_pinned');
    expect((await t.bot.pins.list({ channel: GENERAL })).items).toEqual([]);
  });
});
