/** Incoming webhooks: POST /services/T…/B…/… posts into the webhook's channel; errors are plain-text words. */
import { expect, test } from 'vitest';
import { BOT, describeSlack, GENERAL, WEBHOOK_PATH } from '../support/slack.js';

describeSlack('incoming webhooks', (t) => {
  const hook = (body: string, contentType = 'application/json', path = WEBHOOK_PATH) => t.fetch(path, { method: 'POST', headers: { authorization: '', 'content-type': contentType }, body });

  test('a JSON payload posts into the channel as the app\'s bot and answers "ok"', async () => {
    const res = await hook(JSON.stringify({ text: 'Deploy finished', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Deploy* finished' } }] }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    const [message] = (await t.bot.conversations.history({ channel: GENERAL })).messages!;
    expect(message).toMatchObject({ type: 'message', subtype: 'bot_message', text: 'Deploy finished', bot_id: BOT, username: 'Twin App', blocks: [{ type: 'section' }] });
    expect(message.user).toBeUndefined();
  });

  test('a form with a payload field works too', async () => {
    const res = await hook(new URLSearchParams({ payload: JSON.stringify({ text: 'from a form' }) }).toString(), 'application/x-www-form-urlencoded');
    expect(await res.text()).toBe('ok');
    expect((await t.bot.conversations.history({ channel: GENERAL })).messages![0].text).toBe('from a form');
  });

  test('refusals: no_text 400, invalid_payload 400, no_service 404, channel_is_archived 410', async () => {
    const word = async (res: Response) => [res.status, await res.text()];
    expect(await word(await hook(JSON.stringify({})))).toEqual([400, 'no_text']);
    expect(await word(await hook('{"text":'))).toEqual([400, 'invalid_payload']);
    expect(await word(await hook('payload=%7Bnot', 'application/x-www-form-urlencoded'))).toEqual([400, 'invalid_payload']);
    expect(await word(await hook(JSON.stringify({ text: 'x' }), 'application/json', '/services/T0TWIN0001/B0TWINBOT1/wrongsecret'))).toEqual([404, 'no_service']);
    t.twin.state.conversations[GENERAL].is_archived = true;
    expect(await word(await hook(JSON.stringify({ text: 'x' })))).toEqual([410, 'channel_is_archived']);
  });
});
