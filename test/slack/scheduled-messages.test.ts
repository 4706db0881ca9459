/** Scheduled messages: posted by the twin's clock, listed until then, deletable before. No sleeping: the clock moves. */
import { expect, test } from 'vitest';
import { BOT_USER, describeSlack, GENERAL, RANDOM, slackError } from '../support/slack.js';

const NOW = 1767225600;

describeSlack('scheduled messages', (t) => {
  test('a scheduled message appears when the clock reaches post_at, at that ts', async () => {
    const scheduled = await t.bot.chat.scheduleMessage({ channel: GENERAL, text: 'standup', post_at: NOW + 3600 });
    expect(scheduled).toMatchObject({ ok: true, channel: GENERAL, post_at: NOW + 3600, message: { type: 'delayed_message', text: 'standup', user: BOT_USER } });
    expect(scheduled.scheduled_message_id).toMatch(/^Q[A-Z0-9]{10}$/);
    const listed = await t.bot.chat.scheduledMessages.list({});
    expect(listed.scheduled_messages).toEqual([{ id: scheduled.scheduled_message_id, channel_id: GENERAL, post_at: NOW + 3600, date_created: NOW, text: 'standup' }]);
    t.twin.clock.advance(3599_000);
    expect((await t.bot.conversations.history({ channel: GENERAL })).messages).toEqual([]);
    t.twin.clock.advance(1000);
    await Promise.resolve();
    expect(t.twin.state.messages[GENERAL].map((m) => [m.text, m.ts])).toEqual([['standup', `${NOW + 3600}.000000`]]);
    expect((await t.bot.chat.scheduledMessages.list({})).scheduled_messages).toEqual([]);
  });

  test('due messages are posted in post_at order before the next request is served', async () => {
    await t.bot.chat.scheduleMessage({ channel: GENERAL, text: 'second', post_at: NOW + 120 });
    await t.bot.chat.scheduleMessage({ channel: GENERAL, text: 'first', post_at: NOW + 60 });
    t.twin.clock.set((NOW + 600) * 1000);
    const history = await t.bot.conversations.history({ channel: GENERAL });
    expect(history.messages!.map((m) => [m.text, m.ts])).toEqual([
      ['second', `${NOW + 120}.000000`],
      ['first', `${NOW + 60}.000000`],
    ]);
  });

  test('deleted before post_at, it never appears; refusals for the past, too far ahead and unknown ids', async () => {
    const { scheduled_message_id } = await t.bot.chat.scheduleMessage({ channel: GENERAL, text: 'never', post_at: NOW + 60 });
    await t.bot.chat.deleteScheduledMessage({ channel: GENERAL, scheduled_message_id: scheduled_message_id! });
    t.twin.clock.advance(120_000);
    expect((await t.bot.conversations.history({ channel: GENERAL })).messages).toEqual([]);
    expect((await slackError(t.bot.chat.deleteScheduledMessage({ channel: GENERAL, scheduled_message_id: scheduled_message_id! }))).error).toBe('invalid_scheduled_message_id');
    expect((await slackError(t.bot.chat.scheduleMessage({ channel: GENERAL, text: 'x', post_at: NOW - 10 }))).error).toBe('time_in_past');
    expect((await slackError(t.bot.chat.scheduleMessage({ channel: GENERAL, text: 'x', post_at: NOW + 121 * 86400 }))).error).toBe('time_too_far');
    expect((await slackError(t.bot.chat.scheduleMessage({ channel: RANDOM, text: 'x', post_at: NOW + 600 }))).error).toBe('not_in_channel');
  });
});
