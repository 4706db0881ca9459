import { WebClient } from '@slack/web-api';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createSlackTwin } from 'twinverse';

const slack = createSlackTwin();
const server = setupServer(...slack.mswHandlers('https://slack.com'));
let bot: WebClient;

beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  bot = new WebClient('xoxb-twin-bot-token'); // made after listen(): the client keeps the fetch it finds
});
afterAll(() => server.close());

test('a message posted to #general is in its history, newest first', async () => {
  const general = (await bot.conversations.list()).channels!.find((c) => c.name === 'general')!;
  await bot.chat.postMessage({ channel: general.id!, text: 'first' });
  const posted = await bot.chat.postMessage({ channel: general.id!, text: 'second' });

  const history = await bot.conversations.history({ channel: general.id! });
  expect(history.messages!.map((m) => m.text)).toEqual(['second', 'first']);
  expect(history.messages![0].ts).toBe(posted.ts);

  const refused = await bot.chat.postMessage({ channel: 'C0NOSUCH00', text: 'lost' }).catch((error) => error.data);
  expect(refused).toMatchObject({ ok: false, error: 'channel_not_found' });
});
