import { expect, test } from 'vitest';
import { describeOkta, type OktaTarget } from './support/okta.js';

const START = Date.parse('2026-01-01T00:00:00.000Z') / 1000;

function limits(res: Response) {
  return {
    limit: Number(res.headers.get('x-rate-limit-limit')),
    remaining: Number(res.headers.get('x-rate-limit-remaining')),
    reset: Number(res.headers.get('x-rate-limit-reset')),
  };
}

async function call(t: OktaTarget, path: string, init: Parameters<OktaTarget['fetch']>[1] = {}) {
  const res = await t.fetch(path, init);
  await res.arrayBuffer();
  return limits(res);
}

describeOkta('Okta rate-limit headers', (t) => {
  test('Remaining counts down per endpoint within the minute; Reset stays the epoch second the window ends', async () => {
    expect(await call(t, '/api/v1/users')).toEqual({ limit: 600, remaining: 599, reset: START + 60 });
    t.twin.clock.advance(30_000);
    expect(await call(t, '/api/v1/users')).toEqual({ limit: 600, remaining: 598, reset: START + 60 });
    // Creating users shares the "create or list users" limit.
    const created = await call(t, '/api/v1/users?activate=false', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ profile: { firstName: 'Rate', lastName: 'Limit', email: 'rate.limit@example.com', login: 'rate.limit@example.com' } }),
    });
    expect(created).toEqual({ limit: 600, remaining: 597, reset: START + 60 });
  });

  test('each endpoint has its own bucket and Okta\'s limit for it', async () => {
    await call(t, '/api/v1/users');
    expect(await call(t, '/api/v1/users/me')).toMatchObject({ limit: 1000, remaining: 999 });
    expect(await call(t, '/api/v1/groups')).toMatchObject({ limit: 600, remaining: 599 });
    expect(await call(t, '/api/v1/groups/00geveryonetwin00001')).toMatchObject({ limit: 600, remaining: 599 });
    expect(await call(t, '/api/v1/apps')).toMatchObject({ limit: 100, remaining: 99 });
    expect(await call(t, '/api/v1/apps/0oatwinservice000001')).toMatchObject({ limit: 600, remaining: 599 });
    expect(await call(t, '/oauth2/default/v1/keys')).toMatchObject({ limit: 1200, remaining: 1199 });
    expect(await call(t, '/oauth2/v1/keys')).toMatchObject({ limit: 1200, remaining: 1199 });
    // Every other /api/v1 call, errors included, shares one bucket.
    expect(await call(t, '/api/v1/users/me/groups')).toMatchObject({ limit: 600, remaining: 599 });
    expect(await call(t, '/api/v1/nothing/here')).toMatchObject({ limit: 600, remaining: 598 });
  });

  test('a new window opens once the minute is over', async () => {
    await call(t, '/api/v1/groups');
    await call(t, '/api/v1/groups');
    t.twin.clock.advance(60_000);
    expect(await call(t, '/api/v1/groups')).toEqual({ limit: 600, remaining: 599, reset: START + 120 });
  });

  test('Remaining stops at 0 and the twin still answers: it reports limits but does not enforce them', async () => {
    let last = await call(t, '/api/v1/apps');
    for (let i = 1; i < 105; i++) last = await call(t, '/api/v1/apps');
    expect(last).toEqual({ limit: 100, remaining: 0, reset: START + 60 });
    const res = await t.fetch('/api/v1/apps');
    expect(res.status).toBe(200);
  });

  test('a twin reset starts the counters over', async () => {
    await call(t, '/api/v1/users');
    await call(t, '/api/v1/users');
    t.twin.reset();
    expect(await call(t, '/api/v1/users')).toMatchObject({ remaining: 599 });
  });
});
