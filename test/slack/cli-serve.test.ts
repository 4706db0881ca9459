/** `twinverse serve slack`: the third way to run the twin, driven by @slack/web-api and an incoming webhook. */
import { WebClient } from '@slack/web-api';
import { expect, test } from 'vitest';
import { startCli, stopCli } from '../support/cli.js';
import { GENERAL, USER_TOKEN, WEBHOOK_PATH } from '../support/slack.js';

test('serve slack prints its credentials, answers the SDK and the webhook URL, and stops on SIGTERM', async () => {
  const { child, out, urls } = await startCli(['serve', 'slack', '--port', '0']);
  expect(out).toContain('xoxb-twin-bot-token');
  expect(out).toContain('xoxp-twin-user-token');
  const web = new WebClient(USER_TOKEN, { slackApiUrl: `${urls[0]}/api/`, retryConfig: { retries: 0 } });
  expect((await web.auth.test()).user).toBe('admin');
  const hook = await fetch(urls[0] + WEBHOOK_PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'from the CLI' }) });
  expect(await hook.text()).toBe('ok');
  expect((await web.conversations.history({ channel: GENERAL })).messages!.map((m) => m.text)).toEqual(['from the CLI']);
  expect(await stopCli(child)).toBe(0);
});
