/**
 * The built-in plugins on the Okta twin, driven through the official SDK as a user's suite would: the SDK's own
 * retry on a 429 (okta-sdk-nodejs src/default-request-executor.js: it retries only with exactly one
 * X-Rate-Limit-Reset and waits Reset − Date + 1 s), its errors for a 503, a dropped connection and an expired token,
 * and its collection paging (src/collection.js follows the `next` link) through short and empty pages.
 */
import { afterEach, expect, test, vi } from 'vitest';
import { expireCredentials, fault, lag, latency, paginationQuirks, rateLimit } from '../../twins/index.js';
import { collect, describeOkta, person, sdkError, type OktaTarget } from '../support/okta.js';

/** Lets pending I/O and promises run until `done()` holds, without timers (they may be faked); fails if it never does. */
async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 2000 && !(await done()); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(await done()).toBe(true);
}

const statuses = async (t: OktaTarget) => (await t.control.requests).map((r) => r.status);

describeOkta('rate-limit plugin', (t) => {
  afterEach(() => void vi.useRealTimers());

  test("over the limit, the 429 is Okta's E0000047 with one X-Rate-Limit-Reset and a Date", async () => {
    await t.control.use(rateLimit({ limit: 2 }));
    expect((await t.fetch('/api/v1/users/me')).status).toBe(200);
    expect((await t.fetch('/api/v1/users/me')).status).toBe(200);
    const res = await t.fetch('/api/v1/users/me');
    expect(res.status).toBe(429);
    expect((await res.json()).errorCode).toBe('E0000047');
    expect(res.headers.get('x-rate-limit-limit')).toBe('2');
    expect(res.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(res.headers.get('x-rate-limit-reset')).toBe(String(Date.parse('2026-01-01T00:01:00Z') / 1000));
    expect(res.headers.get('date')).toBe('Thu, 01 Jan 2026 00:00:00 GMT');
    // Another bucket is not limited by this one.
    expect((await t.fetch('/api/v1/groups')).status).toBe(200);
    expect((await t.control.requests).at(-2)?.plugins?.[0]).toMatchObject({ name: 'rate-limit', action: expect.stringContaining('refused with 429') });
  });

  test('the SDK waits until X-Rate-Limit-Reset (plus its second) on its own timer, then succeeds; no real waiting', async () => {
    await t.control.use(rateLimit({ limit: 1 }));
    const client = t.makeClient();
    await client.userApi.getUser({ userId: 'me' });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const retried = client.userApi.getUser({ userId: 'me' });
    // Other timers may be pending too (undici's keep-alive under msw 3): the SDK's is there once the 429 is in.
    await until(async () => (await statuses(t)).length === 2 && vi.getTimerCount() >= 1);
    expect(await statuses(t)).toEqual([200, 429]);
    // The window ends a minute after it opened: the twin's clock moves there, and the SDK's timer 1 s later.
    await t.control.advanceClock(60_000);
    await vi.advanceTimersByTimeAsync(60_999);
    expect(await statuses(t)).toEqual([200, 429]);
    await vi.advanceTimersByTimeAsync(1);
    expect((await retried).profile?.login).toBe('admin@twin.test');
    expect(await statuses(t)).toEqual([200, 429, 200]);
  });

  test('with enforce: false it only reports, as the twin does by default', async () => {
    await t.control.use(rateLimit({ limit: 1, enforce: false }));
    await t.fetch('/api/v1/users/me');
    const res = await t.fetch('/api/v1/users/me');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-rate-limit-remaining')).toBe('0');
  });

  test('limits by bucket replace only that bucket\'s', async () => {
    await t.control.use(rateLimit({ limits: { '/api/v1/groups': 1 } }));
    await t.fetch('/api/v1/groups');
    expect((await t.fetch('/api/v1/groups')).status).toBe(429);
    const users = await t.fetch('/api/v1/users');
    expect(users.status).toBe(200);
    expect(users.headers.get('x-rate-limit-limit')).toBe('600');
  });
});

describeOkta('fault plugin', (t) => {
  test('a 503 on the nth call hits exactly that call, and the SDK surfaces it', async () => {
    await t.control.use(fault({ fault: 503, nth: 3, operationId: 'getUser' }));
    const outcomes: (number | string)[] = [];
    for (let i = 0; i < 5; i++) {
      try {
        outcomes.push((await t.client.userApi.getUser({ userId: 'me' })).status!);
      } catch (error) {
        outcomes.push((error as { status: number }).status);
      }
    }
    expect(outcomes).toEqual(['ACTIVE', 'ACTIVE', 503, 'ACTIVE', 'ACTIVE']);
    expect((await t.control.requests)[2].plugins).toEqual([{ id: expect.any(String), name: 'fault', action: 'answered 503: call 3 (nth=3)' }]);
  });

  test("a 503 is Okta's envelope; a 500 too", async () => {
    await t.control.use(fault({ fault: 503, every: 2 }), fault({ fault: 500, nth: 1 }));
    const first = await t.fetch('/api/v1/groups');
    expect(first.status).toBe(500);
    expect((await first.json()).errorCode).toBe('E0000009');
    const second = await t.fetch('/api/v1/groups');
    expect(second.status).toBe(503);
    expect(await second.json()).toMatchObject({ errorCode: 'E0000010', errorSummary: 'Service is in read only mode' });
  });

  test('a dropped connection is a network error for the SDK', async () => {
    await t.control.use(fault({ fault: 'drop', nth: 1 }));
    await expect(t.client.userApi.getUser({ userId: 'me' })).rejects.toThrow();
    expect((await t.client.userApi.getUser({ userId: 'me' })).status).toBe('ACTIVE');
    expect(await statuses(t)).toEqual([0, 200]);
  });

  test('a request that never answers waits until the client gives up', async () => {
    await t.control.use(fault({ fault: 'hang', nth: 1 }));
    const abort = new AbortController();
    const pending = t.fetch('/api/v1/users/me', { signal: abort.signal });
    await until(async () => (await t.control.requests).length === 1);
    abort.abort();
    await expect(pending).rejects.toThrow();
    expect(await statuses(t)).toEqual([0]);
    expect((await t.fetch('/api/v1/users/me')).status).toBe(200);
  });

  test('the same random seed fails the same calls', async () => {
    const run = async () => {
      await t.control.reset({ plugins: true });
      await t.control.use(fault({ fault: 503, probability: 0.3 }));
      for (let i = 0; i < 20; i++) await (await t.fetch('/api/v1/users/me')).arrayBuffer();
      return (await statuses(t)).join(',');
    };
    const first = await run();
    expect(first).toContain('503');
    expect(await run()).toBe(first);
  });
});

describeOkta('latency plugin', (t) => {
  test("on the twin's fixed clock a delayed answer arrives when the test moves the clock", async () => {
    await t.control.use(latency({ ms: 250 }));
    let done = false;
    const call = t.client.userApi.getUser({ userId: 'me' }).then((user) => ((done = true), user));
    await until(async () => (await t.control.pending()) === 1);
    await t.control.advanceClock(249);
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    expect(await t.control.pending()).toBe(1);
    await t.control.advanceClock(1);
    expect((await call).profile?.login).toBe('admin@twin.test');
    expect(await t.control.pending()).toBe(0);
    expect((await t.control.requests)[0].plugins?.[0].action).toBe('delayed 250 ms');
  });

  test('a long-tailed delay is drawn from the seeded generator: a reset replays the same delays', async () => {
    const delays = async () => {
      const out: string[] = [];
      for (let i = 0; i < 5; i++) {
        const call = t.fetch('/api/v1/groups');
        await until(async () => (await t.control.pending()) === 1);
        await t.control.advanceClock(60_000);
        await (await call).arrayBuffer();
      }
      for (const r of await t.control.requests) out.push(r.plugins![0].action);
      return out;
    };
    await t.control.use(latency({ median: 50, p99: 2000 }));
    const first = await delays();
    await t.control.reset();
    expect(await delays()).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(1);
  });
});

describeOkta('lag plugin (eventual consistency)', (t) => {
  test('a new user is missing from lists until the lag passes, but can be read by id at once', async () => {
    await t.control.use(lag({ ms: 2000, operationId: 'listUsers' }));
    const ada = await t.client.userApi.createUser({ body: { profile: person('Ada Lovelace') }, activate: false });
    const logins = async () => (await collect(await t.client.userApi.listUsers())).map((u) => u.profile?.login);
    expect(await logins()).toEqual(['admin@twin.test']);
    expect((await t.client.userApi.getUser({ userId: ada.id! })).profile?.login).toBe('ada.lovelace@example.com');
    await t.control.advanceClock(2000);
    expect(await logins()).toEqual(['admin@twin.test', 'ada.lovelace@example.com']);
  });

  test('an update hides the resource again for the lag', async () => {
    await t.control.use(lag({ ms: 1000, operationId: 'listGroups' }));
    const group = await t.client.groupApi.createGroup({ group: { profile: { name: 'Lagging' } } });
    const names = async () => ((await (await t.fetch('/api/v1/groups')).json()) as { profile: { name: string } }[]).map((g) => g.profile.name);
    expect(await names()).not.toContain('Lagging');
    await t.control.advanceClock(1000);
    expect(await names()).toContain('Lagging');
    await t.client.groupApi.replaceGroup({ groupId: group.id!, group: { profile: { name: 'Renamed' } } });
    expect(await names()).not.toContain('Renamed');
    await t.control.advanceClock(1000);
    expect(await names()).toContain('Renamed');
  });

  // In process only: a when() predicate is a function, which cannot cross to a twin in another process.
  test.skipIf(t.transport === 'go')('a predicate limits the lag to searches', async () => {
    await t.control.use(lag({ ms: 1000, when: (ctx) => ctx.url.searchParams.has('search') }));
    await t.client.groupApi.createGroup({ group: { profile: { name: 'Lagging' } } });
    const names = async (query = '') => ((await (await t.fetch(`/api/v1/groups${query}`)).json()) as { profile: { name: string } }[]).map((g) => g.profile.name);
    expect(await names()).toContain('Lagging');
    expect(await names('?search=type+eq+%22OKTA_GROUP%22')).toEqual([]);
    await t.control.advanceClock(1000);
    expect(await names('?search=type+eq+%22OKTA_GROUP%22')).toEqual(['Lagging']);
  });
});

describeOkta('expire-credentials plugin', (t) => {
  test("the API token stops working after n calls, with Okta's 401 E0000011", async () => {
    await t.control.use(expireCredentials({ credential: 'twin-okta-token', afterCalls: 2 }));
    await t.client.userApi.getUser({ userId: 'me' });
    await t.client.userApi.getUser({ userId: 'me' });
    const error = await sdkError(t.client.userApi.getUser({ userId: 'me' }));
    expect(error).toMatchObject({ status: 401, errorCode: 'E0000011', errorSummary: 'Invalid token provided' });
    expect((await t.control.requests).at(-1)?.plugins?.[0].action).toContain('call 3, after 2 allowed');
  });

  test("at an instant of the twin's clock", async () => {
    await t.control.use(expireCredentials({ at: '2026-01-01T00:10:00Z' }));
    expect((await t.fetch('/api/v1/users/me')).status).toBe(200);
    await t.control.advanceClock(10 * 60_000);
    expect((await t.fetch('/api/v1/users/me')).status).toBe(401);
  });
});

describeOkta('pagination plugin', (t) => {
  const addUsers = async (n: number) => {
    for (let i = 1; i <= n; i++) await t.client.userApi.createUser({ body: { profile: person(`User${i} Paged`) }, activate: false });
  };

  test('short pages that still link to the next: the SDK collects every user once, in order', async () => {
    await addUsers(4);
    await t.control.use(paginationQuirks({ shortPage: 1, operationId: 'listUsers' }));
    const users = await collect(await t.client.userApi.listUsers({ limit: 3 }));
    expect(users.map((u) => u.profile?.login)).toEqual(['admin@twin.test', 'user1.paged@example.com', 'user2.paged@example.com', 'user3.paged@example.com', 'user4.paged@example.com']);
    expect((await t.control.requests).filter((r) => r.operationId === 'listUsers')).toHaveLength(5);
  });

  // The SDK's collection yields null for an empty page (src/collection.js next(): `value: item ? ... : null` with
  // done false), and its each() stops there: the quirk shows a client must skip nulls when it iterates.
  test('an empty page before the last: for await gets a null, then the last page; each() stops at the empty page', async () => {
    await addUsers(2);
    await t.control.use(paginationQuirks({ emptyBeforeLast: true, operationId: 'listUsers' }));
    const seen: (string | null | undefined)[] = [];
    for await (const user of await t.client.userApi.listUsers({ limit: 2 })) seen.push(user ? user.profile?.login : null);
    expect(seen).toEqual(['admin@twin.test', 'user1.paged@example.com', null, 'user2.paged@example.com']);
    const viaEach: string[] = [];
    await (await t.client.userApi.listUsers({ limit: 2 })).each((user) => void viaEach.push(user.profile!.login!));
    expect(viaEach).toEqual(['admin@twin.test', 'user1.paged@example.com']);
    const pages = (await t.control.requests).filter((r) => r.operationId === 'listUsers');
    expect(pages.map((r) => r.plugins?.[0]?.action ?? '')).toEqual(['', 'answered an empty page that links to the last one', '', '', 'answered an empty page that links to the last one']);
  });
});
