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

// Each of these was found by the seeded fuzz run (test/conformance/fuzz.test.ts, `npm run fuzz`): a name from the
// request looked up in a plain object finds what every object inherits.
describeOkta('names from a request that spell Object.prototype members', (t) => {
  test('fields=constructor (or valueOf, hasOwnProperty) projects nothing but the id, where it answered 500', async () => {
    for (const name of ['constructor', 'valueOf', 'hasOwnProperty', '__proto__']) {
      const res = await t.fetch(`/api/v1/users?fields=${name}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([{ id: '00uadmintwin00000001' }]);
    }
    const profile = await t.fetch(`/api/v1/users?fields=${encodeURIComponent('profile:(constructor,__proto__,firstName)')}`);
    expect(await profile.json()).toEqual([{ id: '00uadmintwin00000001', profile: { firstName: 'Admin' } }]);
  });

  test('a client role of type constructor or toString is not a valid role type (400 E0000001), where it answered 500', async () => {
    for (const type of ['constructor', 'toString']) {
      const res = await sendJson(t, '/oauth2/v1/clients/0oatwinservice000001/roles', { type });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ errorCode: 'E0000001', errorCauses: [{ errorSummary: `type: '${type}' is not a valid role type` }] });
    }
  });

  test('a security question named constructor is an invalid profile (400), where enrolling it answered 500', async () => {
    const res = await sendJson(t, '/api/v1/users/00uadmintwin00000001/factors', { factorType: 'question', provider: 'OKTA', profile: { question: 'constructor', answer: 'long enough' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errorCode: 'E0000001', errorCauses: [{ errorSummary: 'Invalid Profile.' }] });
  });

  test('a group rule calling constructor() names an unsupported function, and user.constructor is an unset attribute', async () => {
    const group = await (await sendJson(t, '/api/v1/groups', { profile: { name: 'Natives' } })).json();
    const rule = (value: string) => ({ type: 'group_rule', name: 'Natives', conditions: { expression: { value, type: 'urn:okta:expression:1.0' } }, actions: { assignUserToGroups: { groupIds: [group.id] } } });
    const call = await sendJson(t, '/api/v1/groups/rules', rule('constructor(user.login)'));
    expect(call.status).toBe(400);
    expect((await call.json()).errorCauses).toEqual([{ errorSummary: 'Function constructor is not supported in group rule expressions' }]);
    const created = await (await sendJson(t, '/api/v1/groups/rules', rule('String.stringContains(user.constructor, "native code")'))).json();
    expect((await t.fetch(`/api/v1/groups/rules/${created.id}/lifecycle/activate`, { method: 'POST' })).status).toBe(204);
    await sendJson(t, '/api/v1/users?activate=false', { profile: person('Nat Ive') });
    expect(await (await t.fetch(`/api/v1/groups/${group.id}/users`)).json()).toEqual([]);
  });
});
