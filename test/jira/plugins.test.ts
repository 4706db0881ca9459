/**
 * The built-in plugins on the Jira twin, driven through jira.js as a user's suite would. jira.js 5.4 does not retry:
 * a refusal reaches the caller as its HttpException (status, Jira's envelope, and the response headers on its
 * cause), a dropped connection as axios's network error. Lists page by nextPageToken (/search/jql) or by startAt and
 * the returned maxResults (comments), through short and empty pages.
 */
import { expect, test } from 'vitest';
import { expireCredentials, fault, lag, latency, paginationQuirks, rateLimit } from '../../twins/index.js';
import { adf, clientError, describeJira, newIssue, type JiraTarget } from '../support/jira.js';

/** Lets pending I/O and promises run until `done()` holds, without timers; fails if it never does. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(done()).toBe(true);
}

// jira.js 5.4's SearchAndReconcileResults type leaves out the isLast that Jira sends (and its docs describe).
type Page = { issues?: { key?: string }[]; nextPageToken?: string; isLast?: boolean };

const statuses = (t: JiraTarget) => t.twin.requests.map((r) => r.status);

/** Every issue key of a /search/jql listing, following nextPageToken until isLast. */
async function searchAll(t: JiraTarget, jql: string, maxResults: number): Promise<string[]> {
  const keys: string[] = [];
  let nextPageToken: string | undefined;
  for (let pages = 0; pages < 20; pages++) {
    const page: Page = await t.client.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql, maxResults, fields: ['summary'], nextPageToken });
    keys.push(...(page.issues ?? []).map((i) => i.key!));
    if (page.isLast) return keys;
    nextPageToken = page.nextPageToken;
  }
  throw new Error('the listing did not end');
}

describeJira('rate-limit plugin', (t) => {
  test("over the limit, jira.js gets Jira's 429 with Retry-After, X-RateLimit-* (Reset as ISO-8601) and RateLimit-Reason", async () => {
    t.twin.use(rateLimit({ limit: 2 }));
    await t.client.myself.getCurrentUser();
    await t.client.myself.getCurrentUser();
    const error = await clientError(t.client.myself.getCurrentUser());
    expect(error.status).toBe(429);
    expect(error.body).toEqual({ errorMessages: ['Rate limit exceeded.'], errors: {} });
    expect(error.headers).toMatchObject({
      'retry-after': '1',
      'x-ratelimit-limit': '2',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '2026-01-01T00:00:01Z',
      'ratelimit-reason': 'jira-burst-based',
      'x-ratelimit-nearlimit': 'true',
    });
    // The budget is per endpoint and method, and a second later it is whole again.
    expect((await t.fetch('/rest/api/3/issuetype')).status).toBe(200);
    t.twin.clock.advance(1000);
    expect((await t.client.myself.getCurrentUser()).displayName).toBe('Admin Twin');
  });

  test('X-RateLimit-NearLimit marks responses once less than 20% of the budget is left; the twin alone never refuses', async () => {
    t.twin.use(rateLimit({ limit: 10, enforce: false }));
    const near: (string | null)[] = [];
    for (let i = 0; i < 12; i++) near.push((await t.fetch('/rest/api/3/myself')).headers.get('x-ratelimit-nearlimit'));
    // The ninth request leaves 1 of 10 (10%); the eighth left 2 (20%, not less).
    expect(near).toEqual([null, null, null, null, null, null, null, null, 'true', 'true', 'true', 'true']);
    expect(statuses(t).every((s) => s === 200)).toBe(true);
  });
});

describeJira('fault plugin', (t) => {
  test('a 503 with Retry-After and a 500 reach jira.js as HttpExceptions in Jira\'s envelope', async () => {
    t.twin.use(fault({ fault: 503, nth: 1, retryAfterSeconds: 30 }));
    const unavailable = await clientError(t.client.myself.getCurrentUser());
    expect([unavailable.status, unavailable.body.errorMessages, unavailable.headers['retry-after']]).toEqual([503, ['Service Unavailable'], '30']);
    t.twin.resetPlugins();
    t.twin.use(fault({ fault: 500, nth: 1 }));
    const failed = await clientError(t.client.myself.getCurrentUser());
    expect([failed.status, failed.body]).toEqual([500, { errorMessages: ['Internal server error'], errors: {} }]);
    expect((await t.client.myself.getCurrentUser()).displayName).toBe('Admin Twin');
  });

  test('a dropped connection is a network error for jira.js', async () => {
    t.twin.use(fault({ fault: 'drop', nth: 1 }));
    await expect(t.client.myself.getCurrentUser()).rejects.toMatchObject({ isAxiosError: true });
    expect((await t.client.myself.getCurrentUser()).displayName).toBe('Admin Twin');
    expect(statuses(t)).toEqual([0, 200]);
  });
});

describeJira('latency plugin', (t) => {
  test("on the twin's fixed clock a delayed answer arrives when the test moves the clock", async () => {
    t.twin.use(latency({ ms: 250 }));
    let done = false;
    const call = t.client.myself.getCurrentUser().then((me) => ((done = true), me));
    await until(() => t.twin.clock.pending() === 1);
    t.twin.clock.advance(249);
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    t.twin.clock.advance(1);
    expect((await call).displayName).toBe('Admin Twin');
  });
});

describeJira('lag plugin (search is eventually consistent)', (t) => {
  test('a new issue is missing from JQL search until the lag passes, but is read by key at once', async () => {
    await newIssue(t, 'old');
    t.twin.use(lag({ ms: 2000, operationId: 'searchAndReconsileIssuesUsingJql' }));
    await newIssue(t, 'new');
    expect(await searchAll(t, 'project = TWIN ORDER BY key', 50)).toEqual(['TWIN-1']);
    expect((await t.client.issues.getIssue({ issueIdOrKey: 'TWIN-2' })).fields.summary).toBe('new');
    t.twin.clock.advance(2000);
    expect(await searchAll(t, 'project = TWIN ORDER BY key', 50)).toEqual(['TWIN-1', 'TWIN-2']);
  });
});

describeJira('expire-credentials plugin', (t) => {
  test("the API token stops working after n calls, with Jira's 401", async () => {
    t.twin.use(expireCredentials({ credential: 'twin-jira-token', afterCalls: 2 }));
    await t.client.myself.getCurrentUser();
    await t.client.myself.getCurrentUser();
    expect(await clientError(t.client.myself.getCurrentUser())).toMatchObject({ status: 401, body: { errorMessages: ['Client must be authenticated to access this resource.'], errors: {} } });
  });

  test("at an instant of the twin's clock", async () => {
    t.twin.use(expireCredentials({ at: '2026-01-01T00:10:00Z' }));
    expect((await t.fetch('/rest/api/3/myself')).status).toBe(200);
    t.twin.clock.advance(10 * 60_000);
    expect((await t.fetch('/rest/api/3/myself')).status).toBe(401);
  });
});

describeJira('pagination plugin', (t) => {
  test('short /search/jql pages still name a next page: a client following nextPageToken gets every issue once, in order', async () => {
    for (let i = 1; i <= 4; i++) await newIssue(t, `p${i}`);
    t.twin.use(paginationQuirks({ shortPage: 1, operationId: 'searchAndReconsileIssuesUsingJql' }));
    expect(await searchAll(t, 'project = TWIN ORDER BY key', 3)).toEqual(['TWIN-1', 'TWIN-2', 'TWIN-3', 'TWIN-4']);
    expect(t.twin.requests.filter((r) => r.operationId === 'searchAndReconsileIssuesUsingJql')).toHaveLength(4);
  });

  test('an empty page before the last: isLast false with no issues, then the last page', async () => {
    for (let i = 1; i <= 3; i++) await newIssue(t, `p${i}`);
    t.twin.use(paginationQuirks({ emptyBeforeLast: true, operationId: 'searchAndReconsileIssuesUsingJql' }));
    const sizes: number[] = [];
    let nextPageToken: string | undefined;
    for (;;) {
      const page: Page = await t.client.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql: 'project = TWIN', maxResults: 2, fields: ['summary'], nextPageToken });
      sizes.push(page.issues!.length);
      if (page.isLast) break;
      nextPageToken = page.nextPageToken;
    }
    expect(sizes).toEqual([2, 0, 1]);
  });

  test('short comment pages report the smaller maxResults: a client paging by it reads every comment', async () => {
    await newIssue(t, 'chatty');
    for (let i = 1; i <= 3; i++) await t.client.issueComments.addComment({ issueIdOrKey: 'TWIN-1', comment: adf(`c${i}`) as any });
    t.twin.use(paginationQuirks({ shortPage: 1, operationId: 'getComments' }));
    const texts: string[] = [];
    let startAt = 0;
    for (;;) {
      const page = await t.client.issueComments.getComments({ issueIdOrKey: 'TWIN-1', startAt, maxResults: 2 });
      texts.push(...page.comments!.map((c) => (c.body as any).content[0].content[0].text));
      startAt += page.maxResults!;
      if (startAt >= page.total!) break;
    }
    expect(texts).toEqual(['c1', 'c2', 'c3']);
  });
});
