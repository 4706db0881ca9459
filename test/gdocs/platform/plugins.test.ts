/**
 * The built-in plugins on the Google Docs twin, through the official clients: gaxios retries a GET on 429 and 5xx
 * and on a dropped connection (gaxios src/retry.ts; POST is not retried), does not retry Drive's 403
 * userRateLimitExceeded nor a 401, and the Drive listing loop follows nextPageToken through short and empty pages.
 */
import { expect, test } from 'vitest';
import { expireCredentials, fault, lag, latency, paginationQuirks, rateLimit } from '../../../twins/index.js';
import { clientError, describeGdocs, newDocument, TOKEN, type GdocsTarget } from '../../support/gdocs.js';

/** Lets pending I/O and promises run until `done()` holds, without timers; fails if it never does. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(done()).toBe(true);
}

const statuses = (t: GdocsTarget) => t.twin.requests.map((r) => r.status);

describeGdocs('plugins with Google\'s envelopes and the official clients\' retries', (t) => {
  test('Docs read quota: 429 RESOURCE_EXHAUSTED rateLimitExceeded, no rate-limit headers; the client retries and gets through once the minute is over', async () => {
    const id = await newDocument(t, 'Quota');
    t.twin.use(rateLimit({ limits: { 'docs reads': 1 } }));
    await t.docs.documents.get({ documentId: id });
    const raw = await t.fetch(`/v1/documents/${id}`);
    expect(raw.status).toBe(429);
    expect([...raw.headers.keys()].filter((h) => /rate|retry/i.test(h))).toEqual([]);
    expect((await raw.json()).error).toMatchObject({
      code: 429,
      status: 'RESOURCE_EXHAUSTED',
      message: "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' of service 'docs.googleapis.com' for consumer 'project_number:twin'.",
      errors: [{ reason: 'rateLimitExceeded', domain: 'usageLimits' }],
    });
    const { docs } = t.makeClients({ retryConfig: { onRetryAttempt: () => t.twin.clock.advance(60_000) } });
    const { data } = await docs.documents.get({ documentId: id });
    expect(data.documentId).toBe(id);
    expect(statuses(t).slice(-2)).toEqual([429, 200]);
  });

  test('Docs write quota: 60 writes a minute, the 61st is 429 (a POST the client does not retry)', async () => {
    const id = await newDocument(t, 'Writes');
    t.twin.use(rateLimit());
    for (let i = 0; i < 60; i++) await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ insertText: { location: { index: 1 }, text: 'x' } }] } });
    const { status, error } = await clientError(t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [] } }));
    expect([status, error.status, error.message]).toEqual([429, 'RESOURCE_EXHAUSTED', expect.stringContaining("'Write requests per minute per user'")]);
    expect(statuses(t).filter((s) => s === 429)).toHaveLength(1);
  });

  test('Drive over quota is 403 userRateLimitExceeded, which the client does not retry', async () => {
    t.twin.use(rateLimit({ limit: 1 }));
    await t.drive.files.list();
    const { status, error } = await clientError(t.drive.files.list());
    expect(status).toBe(403);
    expect(error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED', errors: [{ reason: 'userRateLimitExceeded', domain: 'usageLimits' }] });
    expect(statuses(t)).toEqual([200, 403]);
  });

  test('an injected 503 is UNAVAILABLE, and the client\'s retry gets the answer; a 500 is INTERNAL', async () => {
    const id = await newDocument(t, 'Flaky');
    t.twin.use(fault({ fault: 503, nth: 1, operationId: 'getDocument' }));
    expect((await t.docs.documents.get({ documentId: id })).data.title).toBe('Flaky');
    expect(statuses(t).slice(-2)).toEqual([503, 200]);
    t.twin.resetPlugins();
    t.twin.use(fault({ fault: 500 }));
    const raw = await t.fetch(`/v1/documents/${id}`);
    expect((await raw.json()).error).toMatchObject({ code: 500, status: 'INTERNAL', message: 'Internal error encountered.' });
    const { error } = await clientError(t.makeClients({ retryConfig: { retry: 0 } }).docs.documents.get({ documentId: id }));
    expect(error.status).toBe('INTERNAL');
  });

  test('a dropped connection is retried by the client', async () => {
    t.twin.use(fault({ fault: 'drop', nth: 1 }));
    expect((await t.drive.files.list()).data.files).toEqual([]);
    expect(statuses(t)).toEqual([0, 200]);
  });

  test('an expired token is 401 UNAUTHENTICATED for the client, and is not retried', async () => {
    t.twin.use(expireCredentials({ credential: TOKEN, afterCalls: 1 }));
    await t.drive.files.list();
    const { status, error, headers } = await clientError(t.docs.documents.create({ requestBody: { title: 'late' } }));
    expect([status, error.status, error.errors[0].reason]).toEqual([401, 'UNAUTHENTICATED', 'authError']);
    expect(headers['www-authenticate']).toContain('invalid_token');
    expect(statuses(t)).toEqual([200, 401]);
  });

  test('latency: the answer arrives when the test moves the twin clock', async () => {
    t.twin.use(latency({ ms: 300 }));
    let done = false;
    const call = t.drive.files.list().then((res) => ((done = true), res));
    await until(() => t.twin.clock.pending() === 1);
    t.twin.clock.advance(299);
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    t.twin.clock.advance(1);
    expect((await call).status).toBe(200);
  });

  test('lag: a document created through Docs stays out of Drive listings until the lag has passed; a get by id sees it', async () => {
    t.twin.use(lag({ ms: 5000, operationId: 'listFiles' }));
    const id = await newDocument(t, 'Fresh');
    expect((await t.drive.files.list()).data.files).toEqual([]);
    expect((await t.drive.files.get({ fileId: id })).data.name).toBe('Fresh');
    t.twin.clock.advance(5000);
    expect((await t.drive.files.list()).data.files!.map((f) => f.id)).toEqual([id]);
  });

  test('pagination quirks: short pages and an empty page before the last still list every file once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await newDocument(t, `q${i}`));
    t.twin.use(paginationQuirks({ shortPage: 1, emptyBeforeLast: true }));
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const { data } = await t.drive.files.list({ pageSize: 3, pageToken });
      seen.push(...data.files!.map((f) => f.id!));
      pageToken = data.nextPageToken ?? undefined;
      pages++;
    } while (pageToken && pages < 20);
    expect(seen).toEqual(ids);
    expect(pages).toBeGreaterThan(5);
  });
});
