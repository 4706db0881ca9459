/**
 * The built-in plugins on the Slack twin, with Slack's own wire: 429 `ratelimited` with an integer Retry-After (the
 * SDK pauses for it and retries), 500/503 as Slack's 5xx (the SDK raises WebAPIHTTPError), a dropped connection (the
 * SDK retries it), token_expired and token_revoked for expiring tokens, latency on the twin's clock, and the list
 * quirks on Slack's cursor lists.
 */
import { ErrorCode } from '@slack/web-api';
import { afterEach, expect, test, vi } from 'vitest';
import { expireCredentials, fault, lag, latency, paginationQuirks, rateLimit } from '../../twins/index.js';
import { BOT_TOKEN, describeSlack, GENERAL, slackError, USER_TOKEN, type SlackTarget } from '../support/slack.js';

/** Lets pending I/O and promises run until `done()` holds, without timers (they may be faked). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(done()).toBe(true);
}

const statuses = (t: SlackTarget) => t.twin.requests.map((r) => r.status);

async function thrown(call: Promise<unknown>): Promise<any> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('the call was expected to fail');
}

describeSlack('rate-limit plugin', (t) => {
  afterEach(() => void vi.useRealTimers());

  test('chat.postMessage: about one a second per channel; over it, 429 ratelimited with an integer Retry-After', async () => {
    t.twin.use(rateLimit());
    await t.bot.chat.postMessage({ channel: GENERAL, text: 'one' });
    const res = await t.fetch('/api/chat.postMessage', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `channel=${GENERAL}&text=two` });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toEqual({ ok: false, error: 'ratelimited' });
    // Another channel has its own allowance; a second later this one is open again.
    await t.user.chat.postMessage({ channel: 'C0RANDOM01', text: 'elsewhere' });
    t.twin.clock.advance(1000);
    expect((await t.bot.chat.postMessage({ channel: GENERAL, text: 'three' })).ok).toBe(true);
  });

  test('method tiers: conversations.list is Tier 2, 20 a minute', async () => {
    t.twin.use(rateLimit());
    for (let i = 0; i < 20; i++) await t.bot.conversations.list();
    const refused = await t.fetch('/api/conversations.list');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
  });

  test('the SDK with rejectRateLimitedCalls raises its rate-limited error carrying Retry-After', async () => {
    t.twin.use(rateLimit({ limit: 1 }));
    const web = t.makeClient(BOT_TOKEN, { rejectRateLimitedCalls: true });
    await web.users.list({});
    const error = await thrown(web.users.list({}));
    expect(error.code).toBe(ErrorCode.RateLimitedError);
    expect(error.retryAfter).toBe(60);
  });

  test('the SDK pauses for Retry-After on its own timer and retries; no real waiting', async () => {
    t.twin.use(rateLimit({ limit: 1, windowSeconds: 5 }));
    const web = t.makeClient(BOT_TOKEN, { retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } });
    await web.auth.test();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const retried = web.auth.test();
    await until(() => statuses(t).length === 2 && vi.getTimerCount() >= 1);
    expect(statuses(t)).toEqual([200, 429]);
    t.twin.clock.advance(5000);
    await vi.advanceTimersByTimeAsync(4999);
    expect(statuses(t)).toEqual([200, 429]);
    // The SDK's pause ends, then p-retry schedules the retry on a timer of its own (0 ms here).
    for (let i = 0; i < 100 && statuses(t).length < 3; i++) await vi.advanceTimersByTimeAsync(1);
    expect((await retried).user).toBe('twinbot');
    expect(statuses(t)).toEqual([200, 429, 200]);
  });
});

describeSlack('fault plugin', (t) => {
  test("a 500 and a 503 are Slack's 5xx: the SDK raises WebAPIHTTPError with the status and body", async () => {
    // The first plugin answers the first call, so the second sees its own first call on the second request.
    t.twin.use(fault({ fault: 500, nth: 1 }), fault({ fault: 503, nth: 1, retryAfterSeconds: 30 }));
    const first = await thrown(t.bot.auth.test());
    expect(first.code).toBe(ErrorCode.HTTPError);
    expect(first.statusCode).toBe(500);
    expect(first.body).toEqual({ ok: false, error: 'internal_error' });
    const second = await thrown(t.bot.auth.test());
    expect(second.statusCode).toBe(503);
    expect(second.headers['retry-after']).toBe('30');
    expect((await t.bot.auth.test()).ok).toBe(true);
  });

  test('a dropped connection is a request error, which the SDK retries on its own', async () => {
    t.twin.use(fault({ fault: 'drop', nth: 1, operationId: 'authTest' }));
    expect((await thrown(t.bot.auth.test())).code).toBe(ErrorCode.RequestError);
    t.twin.reset();
    const web = t.makeClient(BOT_TOKEN, { retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } });
    expect((await web.auth.test()).ok).toBe(true);
    expect(statuses(t)).toEqual([0, 200]);
  });
});

describeSlack('expire-credentials plugin', (t) => {
  test('a token stops working after n calls with token_expired, or token_revoked; the token argument counts too', async () => {
    t.twin.use(expireCredentials({ credential: BOT_TOKEN, afterCalls: 1 }), expireCredentials({ credential: USER_TOKEN, afterCalls: 0, revoked: true }));
    expect((await t.bot.auth.test()).ok).toBe(true);
    expect((await slackError(t.bot.auth.test())).error).toBe('token_expired');
    const viaArgument = await t.fetch('/api/auth.test', { method: 'POST', headers: { authorization: '', 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${USER_TOKEN}` });
    expect(await viaArgument.json()).toEqual({ ok: false, error: 'token_revoked' });
  });
});

describeSlack('latency plugin', (t) => {
  test("on the twin's fixed clock a delayed answer arrives when the test moves the clock", async () => {
    t.twin.use(latency({ ms: 300 }));
    let done = false;
    const call = t.bot.auth.test().then((r) => ((done = true), r));
    await until(() => t.twin.clock.pending() === 1);
    t.twin.clock.advance(299);
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    t.twin.clock.advance(1);
    expect((await call).ok).toBe(true);
  });
});

// Slack's clients read lists by POST: the twin's list shape marks every list method a read, whichever way it comes.
describeSlack('list plugins on Slack cursor lists, through the WebClient', (t) => {
  test('lag: a new channel stays out of conversations.list until the lag passes', async () => {
    t.twin.use(lag({ ms: 2000, path: '/api/conversations.list' }));
    await t.user.conversations.create({ name: 'fresh' });
    const names = async () => ((await t.user.conversations.list({ limit: 100 })).channels ?? []).map((c) => c.name);
    expect(await names()).toEqual(['general', 'random']);
    t.twin.clock.advance(2000);
    expect(await names()).toEqual(['general', 'random', 'fresh']);
  });

  test('pagination: short pages still carry a next_cursor, and the client\'s paginate() loses nothing', async () => {
    for (const name of ['p1', 'p2']) await t.user.conversations.create({ name });
    t.twin.use(paginationQuirks({ shortPage: 1, path: '/api/conversations.list' }));
    const names: string[] = [];
    let pages = 0;
    for await (const page of t.user.paginate('conversations.list', { limit: 3 })) {
      pages++;
      names.push(...(((page as { channels?: { name: string }[] }).channels) ?? []).map((c) => c.name));
    }
    expect(names).toEqual(['general', 'random', 'p1', 'p2']);
    expect(pages).toBe(4);
  });

  test('pagination: an empty page before the last one, which the client follows to the end', async () => {
    t.twin.use(paginationQuirks({ emptyBeforeLast: true, path: '/api/conversations.history' }));
    await t.bot.chat.postMessage({ channel: GENERAL, text: 'only' });
    const pages: string[][] = [];
    for await (const page of t.bot.paginate('conversations.history', { channel: GENERAL })) {
      pages.push((((page as { messages?: { text: string }[] }).messages) ?? []).map((m) => m.text));
      if (pages.length > 4) break;
    }
    expect(pages).toEqual([[], ['only']]);
  });
});
