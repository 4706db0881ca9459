/**
 * The official SDK with its default configuration: its response cache in front of the twin. Source:
 *  - [sdk] node_modules/@okta/okta-sdk-nodejs README.md and src/
 */
import { expect, test } from 'vitest';
import { describeOkta, person, type OktaTarget } from '../../support/okta.js';

const PASSWORD = 'Tr0ub4dor-Horse9';

async function journal(t: OktaTarget, method: string, path: string) {
  return (await t.control.requests).filter((r) => r.method === method && r.path === path);
}

describeOkta('Story: the SDK with its default configuration (response cache on)', (t) => {
  test('repeat reads of a user come from the SDK cache (keyed by _links.self.href); updates and lifecycle calls invalidate it', async () => {
    // [sdk README "Caching"/"Middleware"]: "caches any resource that has a self link, and invalidates the cache for any non-GET
    // requests affecting that resource" (src/default-cache-middleware.js stores by `_links.self.href`). This only works when the
    // user's self link is exactly {orgUrl}/api/v1/users/{id}, as Okta's is.
    const client = t.makeClient({ cacheMiddleware: undefined });
    const user = await client.userApi.createUser({ body: { profile: person('Cache Hit'), credentials: { password: { value: PASSWORD } } } });
    const path = `/api/v1/users/${user.id}`;

    const first = await client.userApi.getUser({ userId: user.id! });
    const second = await client.userApi.getUser({ userId: user.id! });
    expect(second.profile?.login).toBe(first.profile?.login);
    expect(await journal(t, 'GET', path)).toHaveLength(1);

    first.profile!.nickName = 'Cached';
    await client.userApi.updateUser({ userId: user.id!, user: first });
    const afterUpdate = await client.userApi.getUser({ userId: user.id! });
    expect(afterUpdate.profile?.nickName).toBe('Cached');
    expect(await journal(t, 'GET', path)).toHaveLength(2);

    await client.userApi.suspendUser({ userId: user.id! });
    const afterSuspend = await client.userApi.getUser({ userId: user.id! });
    expect(afterSuspend.status).toBe('SUSPENDED');
    expect(await journal(t, 'GET', path)).toHaveLength(3);
  });
});
