/** Users and bots through @slack/web-api: users.list in cursor pages, users.info, users.lookupByEmail, bots.info. */
import { expect, test } from 'vitest';
import { ADMIN, BOT_USER, describeSlack, slackError } from '../support/slack.js';

describeSlack('users', (t) => {
  test('users.list: everyone, Slackbot and bots included; limit and cursor page it', async () => {
    const all = await t.bot.users.list({});
    expect(all.members!.map((u) => [u.id, u.name, u.is_bot])).toEqual([
      ['USLACKBOT', 'slackbot', false],
      [ADMIN, 'admin', false],
      [BOT_USER, 'twinbot', true],
    ]);
    expect(all.response_metadata?.next_cursor).toBe('');
    const ids: string[] = [];
    for await (const page of t.bot.paginate('users.list', { limit: 1 })) ids.push(...(page as any).members.map((u: any) => u.id));
    expect(ids).toEqual(['USLACKBOT', ADMIN, BOT_USER]);
    expect((await t.bot.users.list({ limit: 2, include_locale: true })).members![0].locale).toBe('en-US');
  });

  test('users.info and lookupByEmail; unknown ones are user_not_found and users_not_found', async () => {
    expect((await t.bot.users.info({ user: ADMIN })).user?.real_name).toBe('Admin');
    expect((await t.bot.users.lookupByEmail({ email: 'ADMIN@twin.test' })).user?.id).toBe(ADMIN);
    expect((await slackError(t.bot.users.info({ user: 'U0NOBODY00' }))).error).toBe('user_not_found');
    expect((await slackError(t.bot.users.lookupByEmail({ email: 'nobody@twin.test' }))).error).toBe('users_not_found');
  });

  test('a deactivated user\'s token is account_inactive', async () => {
    t.twin.state.users[ADMIN].deleted = true;
    expect((await slackError(t.user.auth.test())).error).toBe('account_inactive');
  });

  test('bots.info: an unknown bot is bot_not_found', async () => {
    expect((await slackError(t.bot.bots.info({ bot: 'B0NOSUCH00' }))).error).toBe('bot_not_found');
  });
});
