/**
 * The twin's options and small conveniences, with the Okta twin as the example. Source: [readme] README.md.
 */
import okta from '@okta/okta-sdk-nodejs';
import { setupServer } from 'msw/node';
import { describe, expect, test } from 'vitest';
import { createOktaTwin } from '../../twins/index.js';
import { collect, person } from '../support/okta.js';

const ADMIN_ID = '00uadmintwin00000001';
const SSWS = { authorization: 'SSWS twin-okta-token', accept: 'application/json' };

describe('Options and small conveniences', () => {
  test('mswHandlers with a trailing slash in the base URL still serve the org', async () => {
    const twin = createOktaTwin();
    const server = setupServer(...twin.mswHandlers('https://slash.okta.com/'));
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const client = new okta.Client({ orgUrl: 'https://slash.okta.com', token: 'twin-okta-token' });
      const me = await client.userApi.getUser({ userId: 'me' });
      expect(me.id).toBe(ADMIN_ID);
      expect((me as any)._links.self.href).toBe(`https://slash.okta.com/api/v1/users/${ADMIN_ID}`);
      for (let i = 0; i < 2; i++) await client.userApi.createUser({ body: { profile: person(`Sla${i} Sh`) }, activate: false });
      expect(await collect(await client.userApi.listUsers({ limit: 1 }))).toHaveLength(3);
    } finally {
      server.close();
    }
  });

  test('listen() with no port picks a free one on 127.0.0.1', async () => {
    const twin = createOktaTwin();
    const l = await twin.listen();
    try {
      expect(l.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${l.url}/__twin/health`)).status).toBe(200);
    } finally {
      await l.close();
    }
  });

  test('journalLimit bounds twin.requests, keeping the newest', async () => {
    const twin = createOktaTwin({ journalLimit: 3 });
    const l = await twin.listen(0);
    try {
      for (let i = 0; i < 6; i++) await fetch(`${l.url}/api/v1/users/me?i=${i}`, { headers: SSWS });
      expect(twin.requests).toHaveLength(3);
      expect(twin.requests.at(-1)?.query).toContain('i=5');
    } finally {
      await l.close();
    }
  });

  test('strict mode on the wall clock: a day of SDK calls raises no drift', async () => {
    const twin = createOktaTwin({ strict: true });
    const drift: string[] = [];
    twin.events.on('drift', (ev: any) => drift.push(ev.message));
    twin.events.on('failure', (ev: any) => drift.push(ev.message));
    const l = await twin.listen(0);
    try {
      const client = new okta.Client({ orgUrl: l.url, token: 'twin-okta-token' });
      const u = await client.userApi.createUser({ body: { profile: person('Str Ict'), credentials: { password: { value: 'Str0ng-Passw0rd!x' } } } });
      await client.userApi.updateUser({ userId: u.id!, user: { profile: { nickName: 'strict' } } });
      await client.userApi.suspendUser({ userId: u.id! });
      await client.userApi.unsuspendUser({ userId: u.id! });
      await client.userApi.generateResetPasswordToken({ userId: u.id!, sendEmail: false });
      await client.userApi.expirePassword({ userId: u.id! });
      const g = await client.groupApi.createGroup({ group: { profile: { name: 'Strict' } } });
      await client.groupApi.assignUserToGroup({ groupId: g.id!, userId: u.id! });
      await collect(await client.groupApi.listGroupUsers({ groupId: g.id! }));
      await collect(await client.userApi.listUserGroups({ userId: u.id! }));
      const app: any = await client.applicationApi.createApplication({
        application: { name: 'oidc_client', label: 'Strict app', signOnMode: 'OPENID_CONNECT', credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_basic' } }, settings: { oauthClient: { application_type: 'web', grant_types: ['authorization_code'], response_types: ['code'], redirect_uris: ['https://x.example.com/cb'] } } } as any,
      });
      await client.applicationApi.assignUserToApplication({ appId: app.id, appUser: { id: u.id } as any });
      await collect(await client.applicationApi.listApplicationUsers({ appId: app.id }));
      await client.applicationApi.deactivateApplication({ appId: app.id });
      await client.applicationApi.deleteApplication({ appId: app.id });
      await client.userApi.deactivateUser({ userId: u.id! });
      await client.userApi.deleteUser({ userId: u.id! });
      await client.groupApi.deleteGroup({ groupId: g.id! });
      await fetch(`${l.url}/oauth2/default/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('0oatwinservice000001:twin-okta-client-secret').toString('base64')}` },
        body: 'grant_type=client_credentials&scope=api%3Aread',
      });
      expect(drift).toEqual([]);
    } finally {
      await l.close();
    }
  });
});
