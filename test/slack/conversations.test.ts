/**
 * Conversations through @slack/web-api: create, list (types, exclude_archived, cursor paging), info, join, leave,
 * invite, kick, archive, unarchive, rename, topic and purpose, DMs and group DMs, members, mark; and their refusals.
 */
import { expect, test } from 'vitest';
import { ADMIN, BOT_USER, describeSlack, GENERAL, RANDOM, slackError } from '../support/slack.js';

describeSlack('conversations', (t) => {
  test('create a public channel: a C… id, the creator its only member, listed for everyone', async () => {
    const { channel } = await t.user.conversations.create({ name: 'launch' });
    expect(channel).toMatchObject({ name: 'launch', is_channel: true, is_private: false, is_archived: false, is_member: true, creator: ADMIN, num_members: 1 });
    expect(channel!.id).toMatch(/^C[A-Z0-9]{10}$/);
    const { channels } = await t.bot.conversations.list();
    expect(channels!.map((c) => c.name)).toEqual(['general', 'random', 'launch']);
    expect(channels!.find((c) => c.name === 'launch')?.is_member).toBe(false);
  });

  test('bad names: taken, specials, punctuation only, too long; none required', async () => {
    const code = async (name: string) => (await slackError(t.user.conversations.create({ name }))).error;
    expect(await code('general')).toBe('name_taken');
    expect(await code('Shouting!')).toBe('invalid_name_specials');
    expect(await code('---')).toBe('invalid_name_punctuation');
    expect(await code('x'.repeat(81))).toBe('invalid_name_maxlength');
    expect(await code(' ')).toBe('invalid_name_required');
  });

  test('a private channel is seen by its members only; others get channel_not_found', async () => {
    const { channel } = await t.user.conversations.create({ name: 'secret', is_private: true });
    expect(channel).toMatchObject({ is_private: true, is_member: true });
    expect((await slackError(t.bot.conversations.info({ channel: channel!.id! }))).error).toBe('channel_not_found');
    const privateOnes = await t.bot.conversations.list({ types: 'private_channel' });
    expect(privateOnes.channels).toEqual([]);
    await t.user.conversations.invite({ channel: channel!.id!, users: BOT_USER });
    expect((await t.bot.conversations.info({ channel: channel!.id! })).channel?.name).toBe('secret');
    expect((await t.bot.conversations.list({ types: 'private_channel' })).channels!.map((c) => c.name)).toEqual(['secret']);
  });

  test('list pages with cursors: the SDK paginator gets every channel once', async () => {
    for (const name of ['a1', 'a2', 'a3', 'a4']) await t.user.conversations.create({ name });
    const first = await t.bot.conversations.list({ limit: 2 });
    expect(first.channels!.map((c) => c.name)).toEqual(['general', 'random']);
    expect(first.response_metadata?.next_cursor).toMatch(/^[A-Za-z0-9+/=]+$/);
    const names: string[] = [];
    for await (const page of t.bot.paginate('conversations.list', { limit: 4 })) names.push(...(page as any).channels.map((c: any) => c.name));
    expect(names).toEqual(['general', 'random', 'a1', 'a2', 'a3', 'a4']);
    const last = await t.bot.conversations.list({ limit: 100 });
    expect(last.response_metadata?.next_cursor).toBe('');
    expect((await slackError(t.bot.conversations.list({ cursor: 'bm9wZQ==' }))).error).toBe('invalid_cursor');
    expect((await slackError(t.bot.conversations.list({ limit: 1001 }))).error).toBe('invalid_limit');
  });

  test('archive and unarchive; exclude_archived; an archived channel refuses posts; #general cannot be archived', async () => {
    const { channel } = await t.user.conversations.create({ name: 'old' });
    const id = channel!.id!;
    await t.user.conversations.archive({ channel: id });
    expect((await t.user.conversations.info({ channel: id })).channel?.is_archived).toBe(true);
    expect((await t.user.conversations.list({ exclude_archived: true })).channels!.map((c) => c.name)).toEqual(['general', 'random']);
    expect((await slackError(t.user.chat.postMessage({ channel: id, text: 'hi' }))).error).toBe('is_archived');
    expect((await slackError(t.user.conversations.archive({ channel: id }))).error).toBe('already_archived');
    await t.user.conversations.unarchive({ channel: id });
    expect((await slackError(t.user.conversations.unarchive({ channel: id }))).error).toBe('not_archived');
    expect((await slackError(t.user.conversations.archive({ channel: GENERAL }))).error).toBe('cant_archive_general');
  });

  test('join and leave: joining twice warns already_in_channel; leaving when out says not_in_channel; nobody leaves #general', async () => {
    const joined = await t.user.conversations.join({ channel: RANDOM });
    expect(joined).toMatchObject({ ok: true, warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } });
    await t.user.conversations.leave({ channel: RANDOM });
    expect((await t.user.conversations.members({ channel: RANDOM })).members).toEqual([]);
    expect(await t.user.conversations.leave({ channel: RANDOM })).toMatchObject({ ok: true, not_in_channel: true });
    const rejoined = await t.user.conversations.join({ channel: RANDOM });
    expect(rejoined.warning).toBeUndefined();
    expect(rejoined.channel?.is_member).toBe(true);
    expect((await slackError(t.user.conversations.leave({ channel: GENERAL }))).error).toBe('cant_leave_general');
  });

  test('invite and kick', async () => {
    await t.user.conversations.invite({ channel: RANDOM, users: BOT_USER });
    expect((await t.bot.conversations.members({ channel: RANDOM })).members).toEqual([ADMIN, BOT_USER]);
    const again = await slackError(t.user.conversations.invite({ channel: RANDOM, users: BOT_USER }));
    expect(again.data).toMatchObject({ error: 'already_in_channel', errors: [{ user: BOT_USER, ok: false, error: 'already_in_channel' }] });
    expect((await slackError(t.user.conversations.invite({ channel: RANDOM, users: 'U0NOBODY00' }))).error).toBe('user_not_found');
    expect((await slackError(t.user.conversations.invite({ channel: RANDOM, users: ADMIN }))).error).toBe('cant_invite_self');
    await t.user.conversations.kick({ channel: RANDOM, user: BOT_USER });
    expect((await t.user.conversations.members({ channel: RANDOM })).members).toEqual([ADMIN]);
    expect((await slackError(t.user.conversations.kick({ channel: RANDOM, user: BOT_USER }))).error).toBe('not_in_channel');
    expect((await slackError(t.user.conversations.kick({ channel: GENERAL, user: BOT_USER }))).error).toBe('cant_kick_from_general');
    expect((await slackError(t.bot.conversations.invite({ channel: RANDOM, users: ADMIN }))).error).toBe('not_in_channel');
  });

  test('rename, topic and purpose', async () => {
    const renamed = await t.user.conversations.rename({ channel: RANDOM, name: 'banter' });
    expect(renamed.channel).toMatchObject({ name: 'banter', previous_names: ['random'] });
    const topic = await t.user.conversations.setTopic({ channel: RANDOM, topic: 'Fridays' });
    expect(topic.channel?.topic).toEqual({ value: 'Fridays', creator: ADMIN, last_set: 1767225600 });
    const purpose = await t.user.conversations.setPurpose({ channel: RANDOM, purpose: 'Chat' });
    expect(purpose.channel?.purpose?.value).toBe('Chat');
    expect((await slackError(t.user.conversations.setTopic({ channel: RANDOM, topic: 'x'.repeat(251) }))).error).toBe('too_long');
    expect((await slackError(t.user.conversations.rename({ channel: RANDOM, name: 'general' }))).error).toBe('name_taken');
    expect((await slackError(t.bot.conversations.setTopic({ channel: RANDOM, topic: 'not mine' }))).error).toBe('not_in_channel');
  });

  test('open a DM (D…) once, then the same again; a group DM (G…) needs mpim:write', async () => {
    const opened = await t.bot.conversations.open({ users: ADMIN });
    expect(opened.channel?.id).toMatch(/^D[A-Z0-9]{10}$/);
    const again = await t.bot.conversations.open({ users: ADMIN, return_im: true });
    expect(again).toMatchObject({ no_op: true, already_open: true, channel: { id: opened.channel!.id, is_im: true, user: ADMIN } });
    await t.bot.chat.postMessage({ channel: opened.channel!.id!, text: 'psst' });
    expect((await t.user.conversations.history({ channel: opened.channel!.id! })).messages!.map((m) => m.text)).toEqual(['psst']);
    const denied = await slackError(t.bot.conversations.open({ users: `${ADMIN},USLACKBOT` }));
    expect(denied.data).toMatchObject({ error: 'missing_scope', needed: 'mpim:write' });
    const group = await t.user.conversations.open({ users: `${BOT_USER},USLACKBOT`, return_im: true });
    expect(group.channel).toMatchObject({ is_mpim: true, name: 'mpdm-admin--twinbot--slackbot-1' });
    expect(group.channel!.id).toMatch(/^G[A-Z0-9]{10}$/);
    expect((await slackError(t.user.apiCall('conversations.open', {}))).error).toBe('users_list_not_supplied');
  });

  test('members pages by cursor; info with include_num_members; users.conversations lists a user\'s channels', async () => {
    const page = await t.bot.conversations.members({ channel: GENERAL, limit: 1 });
    expect(page.members).toEqual([ADMIN]);
    const rest = await t.bot.conversations.members({ channel: GENERAL, limit: 1, cursor: page.response_metadata!.next_cursor });
    expect(rest).toMatchObject({ members: [BOT_USER], response_metadata: { next_cursor: '' } });
    expect((await t.bot.conversations.info({ channel: GENERAL, include_num_members: true })).channel?.num_members).toBe(2);
    expect((await t.bot.users.conversations({})).channels!.map((c) => c.name)).toEqual(['general']);
    expect((await t.bot.users.conversations({ user: ADMIN })).channels!.map((c) => c.name)).toEqual(['general', 'random']);
  });

  test('mark moves the caller\'s last_read', async () => {
    const { ts } = await t.user.chat.postMessage({ channel: GENERAL, text: 'read me' });
    await t.user.conversations.mark({ channel: GENERAL, ts: ts! });
    expect((await t.user.conversations.info({ channel: GENERAL })).channel?.last_read).toBe(ts);
    expect((await slackError(t.bot.conversations.mark({ channel: RANDOM, ts: ts! }))).error).toBe('not_in_channel');
  });
});
