import { expect, test } from 'vitest';
import { describeOkta, person, sendJson } from '../../support/okta.js';

const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

describeOkta('ids that spell Object.prototype members', (t) => {
  test('are unknown resources (404 E0000007) on every collection, and change nothing', async () => {
    for (const name of NAMES) {
      for (const [method, path] of [
        ['GET', `/api/v1/users/${name}`],
        ['POST', `/api/v1/users/${name}/lifecycle/deactivate`],
        ['DELETE', `/api/v1/users/${name}`],
        ['GET', `/api/v1/groups/${name}`],
        ['PUT', `/api/v1/groups/00geveryonetwin00001/users/${name}`],
        ['GET', `/api/v1/apps/${name}`],
        ['GET', `/api/v1/apps/0oatwinservice000001/users/${name}`],
        ['GET', `/api/v1/users/00uadmintwin00000001/factors/${name}`],
        ['GET', `/api/v1/groups/rules/${name}`],
      ]) {
        const res = await t.fetch(path, { method });
        expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
        expect((await res.json()).errorCode).toBe('E0000007');
      }
    }
    expect(({} as Record<string, unknown>).status).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'status')).toBe(false);
    expect((await t.client.userApi.getUser({ userId: 'me' })).status).toBe('ACTIVE');
  });

  test('in a body (group ids, profile properties) they are refused like any unknown name', async () => {
    const groups = await sendJson(t, '/api/v1/users?activate=false', { profile: person('Proto Type'), groupIds: ['__proto__'] });
    expect(groups.status).toBe(404);
    const profile = await sendJson(t, '/api/v1/users?activate=false', { profile: { ...person('Proto Type'), toString: 'x', constructor: 'y' } });
    expect(profile.status).toBe(400);
    expect((await profile.json()).errorCauses.map((c: { errorSummary: string }) => c.errorSummary)).toEqual([
      "Property name 'toString' is not defined in profile",
      "Property name 'constructor' is not defined in profile",
    ]);
    const token = await t.fetch('/oauth2/default/v1/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('0oatwinservice000001:twin-okta-client-secret').toString('base64')}` },
      body: 'grant_type=authorization_code&code=__proto__&redirect_uri=https%3A%2F%2Fx.test%2Fcb',
    });
    expect(token.status).toBe(400);
  });
});
