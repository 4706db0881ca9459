/**
 * Two twins in one process share nothing, with the Okta twin as the example. Source: [readme] README.md.
 */
import okta from '@okta/okta-sdk-nodejs';
import { setupServer } from 'msw/node';
import { describe, expect, test } from 'vitest';
import { createOktaTwin } from '../../twins/index.js';
import { collect, person } from '../support/okta.js';

const ADMIN_ID = '00uadmintwin00000001';
const SSWS = { authorization: 'SSWS twin-okta-token', accept: 'application/json' };

describe('Two twins in one process share nothing', () => {
  test('state, journal and reset are per instance (HTTP)', async () => {
    const a = createOktaTwin();
    const b = createOktaTwin();
    const la = await a.listen(0);
    const lb = await b.listen(0);
    try {
      expect(la.url).not.toBe(lb.url);
      const ca = new okta.Client({ orgUrl: la.url, token: 'twin-okta-token' });
      const cb = new okta.Client({ orgUrl: lb.url, token: 'twin-okta-token' });
      const u = await ca.userApi.createUser({ body: { profile: person('Only Ina') }, activate: false });
      expect((await collect(await cb.userApi.listUsers())).map((x) => x.id)).toEqual([ADMIN_ID]);
      expect((await fetch(`${lb.url}/api/v1/users/${u.id}`, { headers: SSWS })).status).toBe(404);
      await cb.groupApi.createGroup({ group: { profile: { name: 'Only in B' } } });
      expect((await collect(await ca.groupApi.listGroups())).map((g) => g.profile?.name)).toEqual(['Everyone']);
      expect(a.requests.some((r) => r.path === '/api/v1/groups' && r.method === 'POST')).toBe(false);
      b.reset();
      expect((await collect(await ca.userApi.listUsers())).map((x) => x.id)).toEqual([ADMIN_ID, u.id]);
      // tokens are independent too: each twin signs its own
      const tok = await (await fetch(`${la.url}/oauth2/default/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('0oatwinservice000001:twin-okta-client-secret').toString('base64')}` },
        body: 'grant_type=client_credentials&scope=api%3Aread',
      })).json();
      const introB = await fetch(`${lb.url}/oauth2/default/v1/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('0oatwinservice000001:twin-okta-client-secret').toString('base64')}` },
        body: new URLSearchParams({ token: tok.access_token }).toString(),
      });
      expect(await introB.json()).toEqual({ active: false });
    } finally {
      await la.close();
      await lb.close();
    }
  });

  test('two twins under one MSW server, on two org URLs', async () => {
    const a = createOktaTwin();
    const b = createOktaTwin();
    const server = setupServer(...a.mswHandlers('https://org-a.okta.com'), ...b.mswHandlers('https://org-b.okta.com'));
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const ca = new okta.Client({ orgUrl: 'https://org-a.okta.com', token: 'twin-okta-token' });
      const cb = new okta.Client({ orgUrl: 'https://org-b.okta.com', token: 'twin-okta-token' });
      await ca.userApi.createUser({ body: { profile: person('Ann A') }, activate: false });
      await cb.userApi.createUser({ body: { profile: person('Ben B') }, activate: false });
      expect((await collect(await ca.userApi.listUsers())).map((u) => u.profile?.login)).toEqual(['admin@twin.test', 'ann.a@example.com']);
      expect((await collect(await cb.userApi.listUsers())).map((u) => u.profile?.login)).toEqual(['admin@twin.test', 'ben.b@example.com']);
      const me = await ca.userApi.getUser({ userId: 'me' });
      expect((me as any)._links.self.href).toBe(`https://org-a.okta.com/api/v1/users/${ADMIN_ID}`);
    } finally {
      server.close();
    }
  });
});
