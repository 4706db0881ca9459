/**
 * The Events API, with the twin as the sender: a real @slack/bolt app (ExpressReceiver on a loopback port) receives
 * signed event_callback deliveries caused by activity in the twin and verifies them with the app's signing secret;
 * setting the request URL with apps.manifest.update sends url_verification before the call answers, and a URL set in
 * the state instead gets it before its first delivery; an app that does not acknowledge gets retries with
 * X-Slack-Retry-Num. Run with the twin over node:http, express, and MSW (which lets the deliveries through).
 */
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { createSlackTwin, type SlackState } from '../../twins/index.js';
import { WebClient } from '@slack/web-api';
import { describeTwin, type TwinTarget } from '../support/describe-twin.js';
import { startReceiver, type Received, type Reply } from '../support/receiver.js';
import { ADMIN, APP, BOT_USER, GENERAL, MSW_BASE_URL, SIGNING_SECRET, slackError, USER_TOKEN } from '../support/slack.js';

/** A loopback Slack app's request URL (test/support/receiver.ts). */
const recordingServer = (answer: (req: Received, n: number) => Reply) => startReceiver('/slack/events', answer);

const CONFIG_TOKEN = 'xoxe.xoxp-1-twin-config-token';

/** Echoes url_verification, answers everything else with `status`. */
const slackApp = (status: (n: number) => number | null) => (req: Received, n: number) => {
  const payload = JSON.parse(req.body);
  if (payload.type === 'url_verification') return { status: 200, body: JSON.stringify({ challenge: payload.challenge }) };
  const code = status(n);
  return code === null ? null : { status: code, body: '' };
};

// Bolt checks the signature timestamp against its own wall clock: the twin's fixed clock starts at the wall clock's now.
// MSW lets the twin's deliveries to the local app through.
const setup = { create: () => createSlackTwin({ strict: true, clock: Math.floor(Date.now() / 1000) * 1000 }), mswBaseUrl: MSW_BASE_URL, onUnhandledRequest: 'bypass' as const };

describeTwin('Events API', setup, (t: TwinTarget<SlackState>) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => void (await Promise.all(cleanups.splice(0).map((c) => c()))));

  const web = (token = USER_TOKEN) => new WebClient(token, { slackApiUrl: `${t.baseUrl}/api/`, retryConfig: { retries: 0 } });
  const subscribe = (url: string) => void (t.twin.state.apps[APP].event_request_url = url);
  /** Sets the app's request URL the way Slack takes it: its manifest, exported, changed and saved whole. */
  const setRequestUrl = async (url: string) => {
    const config = web(CONFIG_TOKEN);
    const manifest = (await config.apps.manifest.export({ app_id: APP })).manifest as Record<string, any>;
    manifest.settings.event_subscriptions.request_url = url;
    return config.apps.manifest.update({ app_id: APP, manifest: manifest as never });
  };
  const types = (received: { body: string }[]) => received.map((r) => JSON.parse(r.body).type);

  test('a real Bolt app receives and verifies message, app_mention, reactions, member_joined_channel and channel_created; its say() posts back', async () => {
    const receiver = new ExpressReceiver({ signingSecret: SIGNING_SECRET, logLevel: LogLevel.ERROR });
    const app = new App({ token: 'xoxb-twin-bot-token', receiver, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: `${t.baseUrl}/api/`, retryConfig: { retries: 0 } } });
    const seen: Record<string, any[]> = {};
    const waiters = new Map<string, () => void>();
    const record = (type: string, event: any) => {
      (seen[type] ??= []).push(event);
      waiters.get(type)?.();
    };
    const arrival = (type: string, n = 1) => new Promise<void>((resolve) => {
      const check = () => ((seen[type]?.length ?? 0) >= n ? resolve() : waiters.set(type, check));
      check();
    });
    app.message(async ({ message }) => record('message', message));
    app.event('app_mention', async ({ event, say }) => {
      record('app_mention', event);
      await say({ text: `hi <@${event.user}>`, thread_ts: event.ts });
    });
    app.event('reaction_added', async ({ event }) => record('reaction_added', event));
    app.event('reaction_removed', async ({ event }) => record('reaction_removed', event));
    app.event('member_joined_channel', async ({ event }) => record('member_joined_channel', event));
    app.event('channel_created', async ({ event }) => record('channel_created', event));
    const server = await new Promise<Server>((resolve) => {
      const s = receiver.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    cleanups.push(() => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    // Saving the request URL is when Slack checks it: Bolt has answered url_verification before the call returns.
    expect(await setRequestUrl(url)).toMatchObject({ ok: true, app_id: APP, permissions_updated: false });
    expect(t.twin.state.apps[APP]).toMatchObject({ event_request_url: url, verified_url: url });

    const admin = web();
    const posted = await admin.chat.postMessage({ channel: GENERAL, text: `hey <@${BOT_USER}> status?` });
    await Promise.all([arrival('message'), arrival('app_mention')]);
    expect(seen.message[0]).toMatchObject({ type: 'message', channel: GENERAL, user: ADMIN, text: `hey <@${BOT_USER}> status?`, ts: posted.ts, channel_type: 'channel' });
    expect(seen.app_mention[0]).toMatchObject({ type: 'app_mention', channel: GENERAL, user: ADMIN, ts: posted.ts });

    // The app's say() went back to the twin as the bot, in the thread.
    const replies = async () => (await admin.conversations.replies({ channel: GENERAL, ts: posted.ts! })).messages!.map((m) => m.text);
    for (let i = 0; i < 200 && (await replies()).length < 2; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(await replies()).toEqual([`hey <@${BOT_USER}> status?`, `hi <@${ADMIN}>`]);

    await admin.reactions.add({ channel: GENERAL, timestamp: posted.ts!, name: 'eyes' });
    await admin.reactions.remove({ channel: GENERAL, timestamp: posted.ts!, name: 'eyes' });
    const { channel } = await admin.conversations.create({ name: 'launch' });
    await admin.conversations.invite({ channel: channel!.id!, users: BOT_USER });
    await Promise.all([arrival('reaction_added'), arrival('reaction_removed'), arrival('channel_created'), arrival('member_joined_channel')]);
    expect(seen.reaction_added[0]).toMatchObject({ type: 'reaction_added', user: ADMIN, reaction: 'eyes', item: { type: 'message', channel: GENERAL, ts: posted.ts } });
    expect(seen.reaction_removed[0]).toMatchObject({ reaction: 'eyes' });
    expect(seen.channel_created[0]).toMatchObject({ type: 'channel_created', channel: { id: channel!.id, name: 'launch', creator: ADMIN } });
    expect(seen.member_joined_channel[0]).toMatchObject({ type: 'member_joined_channel', user: BOT_USER, channel: channel!.id, inviter: ADMIN, channel_type: 'C' });
  });

  test('apps.manifest.update sends a new request URL url_verification before it answers; events then go straight there', async () => {
    const app = await recordingServer(slackApp(() => 200));
    cleanups.push(app.close);
    expect(await setRequestUrl(app.url)).toMatchObject({ ok: true, app_id: APP });
    expect(types(app.received)).toEqual(['url_verification']);
    const [verification] = app.received;
    const timestamp = String(verification.headers['x-slack-request-timestamp']);
    expect(verification.headers['x-slack-signature']).toBe(`v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${verification.body}`).digest('hex')}`);
    expect(JSON.parse(verification.body)).toEqual({ token: 'twin-verification-token', challenge: expect.any(String), type: 'url_verification' });
    // Saved again unchanged, the URL is not asked again.
    await setRequestUrl(app.url);
    expect(app.received).toHaveLength(1);
    await web().chat.postMessage({ channel: GENERAL, text: 'after' });
    await app.count(2);
    expect(types(app.received)).toEqual(['url_verification', 'event_callback']);
  });

  test('a request URL that does not echo the challenge is refused with invalid_manifest at its pointer; nothing changes', async () => {
    const app = await recordingServer(() => ({ status: 200, body: '{"challenge":"wrong"}' }));
    cleanups.push(app.close);
    const before = structuredClone(t.twin.state.apps[APP]);
    const refused = await slackError(setRequestUrl(app.url));
    expect(refused.data).toMatchObject({
      ok: false,
      error: 'invalid_manifest',
      errors: [{ message: "Your URL didn't respond with the value of the challenge parameter.", pointer: '/settings/event_subscriptions/request_url' }],
    });
    expect(t.twin.state.apps[APP]).toEqual(before);
    await web().chat.postMessage({ channel: GENERAL, text: 'nobody hears this' });
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(types(app.received)).toEqual(['url_verification']);
  });

  test('a request URL that does not answer within 3 s is refused once the clock passes the deadline', async () => {
    const app = await recordingServer(() => null);
    cleanups.push(app.close);
    const refused = slackError(setRequestUrl(app.url));
    await app.count(1);
    t.twin.clock.advance(3000);
    expect((await refused).data).toMatchObject({ error: 'invalid_manifest', errors: [{ pointer: '/settings/event_subscriptions/request_url' }] });
    expect(t.twin.state.apps[APP].event_request_url).toBeNull();
  });

  test('deliveries are signed v0 HMAC-SHA256 over timestamp and body; a URL set in the state gets url_verification first', async () => {
    const app = await recordingServer(slackApp(() => 200));
    cleanups.push(app.close);
    subscribe(app.url);
    await web().chat.postMessage({ channel: GENERAL, text: 'signed' });
    await app.count(2);
    const [verification, delivery] = app.received;
    expect(JSON.parse(verification.body)).toMatchObject({ type: 'url_verification', token: 'twin-verification-token', challenge: expect.any(String) });
    const timestamp = String(delivery.headers['x-slack-request-timestamp']);
    expect(timestamp).toBe(String(Math.floor(t.twin.clock.nowMs() / 1000)));
    expect(delivery.headers['x-slack-signature']).toBe(`v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${delivery.body}`).digest('hex')}`);
    expect(JSON.parse(delivery.body)).toMatchObject({ type: 'event_callback', api_app_id: APP, team_id: 'T0TWIN0001', event: { type: 'message', text: 'signed' }, event_id: expect.stringMatching(/^Ev[A-Z0-9]{10}$/) });
  });

  test('a URL that does not echo the challenge is not verified, and gets no events', async () => {
    const app = await recordingServer(() => ({ status: 200, body: '{"challenge":"wrong"}' }));
    cleanups.push(app.close);
    subscribe(app.url);
    await web().chat.postMessage({ channel: GENERAL, text: 'one' });
    await app.count(1);
    await web().chat.postMessage({ channel: GENERAL, text: 'two' });
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(app.received.map((r) => JSON.parse(r.body).type)).toEqual(['url_verification']);
    expect(t.twin.state.apps[APP].verified_url).toBeNull();
  });

  test('an app that fails or does not answer in 3 s gets retries with X-Slack-Retry-Num and -Reason: at once, after a minute, after five', async () => {
    const app = await recordingServer(slackApp((n) => (n === 2 ? 500 : n === 3 ? null : n === 4 ? 503 : 200)));
    cleanups.push(app.close);
    subscribe(app.url);
    await web().chat.postMessage({ channel: GENERAL, text: 'retry me' });
    await app.count(3);
    const retries = () => app.received.slice(1).map((r) => [r.headers['x-slack-retry-num'], r.headers['x-slack-retry-reason']]);
    expect(retries()).toEqual([
      [undefined, undefined],
      ['1', 'http_error'],
    ]);
    t.twin.clock.advance(3000);
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(app.received).toHaveLength(3);
    t.twin.clock.advance(60_000);
    await app.count(4);
    // The clock moves on only once the twin has read the 503 and waits to retry (its 3 s deadline for that answer is
    // still pending too): moved earlier, the answer would arrive after the deadline and count as a timeout.
    for (let i = 0; i < 2000 && t.twin.clock.pending() < 2; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(t.twin.clock.pending()).toBe(2);
    t.twin.clock.advance(300_000);
    await app.count(5);
    expect(retries()).toEqual([
      [undefined, undefined],
      ['1', 'http_error'],
      ['2', 'http_timeout'],
      ['3', 'http_error'],
    ]);
    expect(new Set(app.received.slice(1).map((r) => JSON.parse(r.body).event_id)).size).toBe(1);
  });

  test('the request URL can be set through the admin API (a state import); url_verification follows', async () => {
    const app = await recordingServer(slackApp(() => 200));
    cleanups.push(app.close);
    const exported = await (await fetch(`${t.baseUrl}/__twin/state`)).json();
    exported.state.apps[APP].event_request_url = app.url;
    const put = await fetch(`${t.baseUrl}/__twin/state`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(exported) });
    expect(put.status).toBe(200);
    await web().reactions.add({ channel: GENERAL, timestamp: (await web().chat.postMessage({ channel: GENERAL, text: 'x' })).ts!, name: 'wave' });
    await app.count(3);
    expect(app.received.map((r) => JSON.parse(r.body).type)).toEqual(['url_verification', 'event_callback', 'event_callback']);
    expect(app.received.slice(1).map((r) => JSON.parse(r.body).event.type).sort()).toEqual(['message', 'reaction_added']);
  });

  test('an edit and a delete are message events with the subtypes message_changed and message_deleted', async () => {
    const app = await recordingServer(slackApp(() => 200));
    cleanups.push(app.close);
    subscribe(app.url);
    const { ts } = await web().chat.postMessage({ channel: GENERAL, text: 'draft' });
    await app.count(2);
    await web().chat.update({ channel: GENERAL, ts: ts!, text: 'final' });
    await app.count(3);
    await web().chat.delete({ channel: GENERAL, ts: ts! });
    await app.count(4);
    const [changed, deleted] = app.received.slice(2).map((r) => JSON.parse(r.body).event);
    expect(changed).toMatchObject({ type: 'message', subtype: 'message_changed', channel: GENERAL, message: { ts, text: 'final' }, previous_message: { ts, text: 'draft' } });
    expect(deleted).toMatchObject({ type: 'message', subtype: 'message_deleted', channel: GENERAL, deleted_ts: ts, previous_message: { text: 'final' } });
  });

  test('only subscribed apps whose bot is in the channel hear its messages', async () => {
    const app = await recordingServer(slackApp(() => 200));
    cleanups.push(app.close);
    subscribe(app.url);
    await web().chat.postMessage({ channel: 'C0RANDOM01', text: 'bot not here' });
    await web().chat.postMessage({ channel: GENERAL, text: 'bot here' });
    await app.count(2);
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(app.received.slice(1).map((r) => JSON.parse(r.body).event.text)).toEqual(['bot here']);
  });
});
