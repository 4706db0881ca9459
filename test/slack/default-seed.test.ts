/**
 * The default seed, exactly as documented: workspace Twin, #general (is_general) and #random, the bot token of twinbot
 * with the usual bot scopes, the user token of admin (admin@twin.test), and nothing else gets in.
 */
import { expect, test } from 'vitest';
import { ADMIN, APP, BOT, BOT_SCOPES, BOT_USER, describeSlack, GENERAL, RANDOM, slackError, TEAM } from '../support/slack.js';

describeSlack('default seed and credentials', (t) => {
  test('the bot token is twinbot of workspace Twin, with its bot id', async () => {
    const me = await t.bot.auth.test();
    expect(me).toMatchObject({ ok: true, url: 'https://twin.slack.com/', team: 'Twin', user: 'twinbot', team_id: TEAM, user_id: BOT_USER, bot_id: BOT, is_enterprise_install: false });
    expect(me.response_metadata?.scopes).toEqual(BOT_SCOPES);
  });

  test('the user token is admin, email admin@twin.test', async () => {
    const me = await t.user.auth.test();
    expect(me).toMatchObject({ ok: true, user: 'admin', user_id: ADMIN, team: 'Twin' });
    expect(me.bot_id).toBeUndefined();
    const { user } = await t.user.users.info({ user: ADMIN });
    expect(user).toMatchObject({ name: 'admin', is_admin: true, is_bot: false, profile: { email: 'admin@twin.test' } });
  });

  test('public channels general (is_general) and random; both users are in general', async () => {
    const { channels } = await t.bot.conversations.list();
    expect(channels?.map((c) => [c.id, c.name, c.is_general, c.is_private])).toEqual([
      [GENERAL, 'general', true, false],
      [RANDOM, 'random', false, false],
    ]);
    const { members } = await t.bot.conversations.members({ channel: GENERAL });
    expect(members).toEqual([ADMIN, BOT_USER]);
  });

  test('the bot user and its bot and app', async () => {
    const { bot } = await t.bot.bots.info({ bot: BOT });
    expect(bot).toMatchObject({ id: BOT, name: 'twinbot', app_id: APP, user_id: BOT_USER, deleted: false });
    const { user } = await t.bot.users.info({ user: BOT_USER });
    expect(user).toMatchObject({ name: 'twinbot', is_bot: true, profile: { bot_id: BOT, api_app_id: APP } });
  });

  test('any other token gets invalid_auth; no token gets not_authed', async () => {
    expect((await slackError(t.makeClient('xoxb-made-up').auth.test())).error).toBe('invalid_auth');
    expect((await slackError(t.makeClient().auth.test())).error).toBe('not_authed');
  });

  test('workspace Twin through team.info (a user-token scope: the bot has no team:read)', async () => {
    const { team } = await t.user.team.info();
    expect(team).toMatchObject({ id: TEAM, name: 'Twin', domain: 'twin', email_domain: 'twin.test' });
    const refused = await slackError(t.bot.team.info());
    expect(refused.data).toMatchObject({ ok: false, error: 'missing_scope', needed: 'team:read', provided: BOT_SCOPES.join(',') });
  });
});
