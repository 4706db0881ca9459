/**
 * supertest against `twin.app`, and `twin.app` mounted in an outer express app, with the Okta twin as the example.
 * Source: [readme] README.md.
 */
import okta from '@okta/okta-sdk-nodejs';
import express from 'express';
import request from 'supertest';
import { beforeEach, describe, expect, test } from 'vitest';
import { createOktaTwin } from '../../twins/index.js';
import { collect, person } from '../support/okta.js';

const ADMIN_ID = '00uadmintwin00000001';

describe('supertest against twin.app, and twin.app mounted in an outer express app', () => {
  const twin = createOktaTwin();
  beforeEach(() => twin.reset());

  test('GET /api/v1/users/me with SSWS is the admin; a bad token is 401 E0000011; headers carry X-Rate-Limit-*', async () => {
    const me = await request(twin.app).get('/api/v1/users/me').set('Authorization', 'SSWS twin-okta-token').set('Accept', 'application/json');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: ADMIN_ID, status: 'ACTIVE', profile: { firstName: 'Admin', lastName: 'Twin', login: 'admin@twin.test' } });
    expect(me.headers['x-rate-limit-limit']).toMatch(/^\d+$/);
    const bad = await request(twin.app).get('/api/v1/users/me').set('Authorization', 'SSWS nope');
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ errorCode: 'E0000011', errorSummary: 'Invalid token provided', errorLink: 'E0000011', errorCauses: [] });
    expect(bad.headers['x-rate-limit-remaining']).toMatch(/^\d+$/);
  });

  test('POST a user, then list it; health and reset through supertest', async () => {
    const created = await request(twin.app)
      .post('/api/v1/users?activate=false')
      .set('Authorization', 'SSWS twin-okta-token')
      .send({ profile: person('Super Test') });
    expect(created.status).toBe(200);
    expect(created.body.status).toBe('STAGED');
    const list = await request(twin.app).get('/api/v1/users').set('Authorization', 'SSWS twin-okta-token');
    expect(list.body.map((u: any) => u.profile.login)).toEqual(['admin@twin.test', 'super.test@example.com']);
    expect(list.headers.link).toMatch(/rel="self"/);
    expect((await request(twin.app).get('/__twin/health')).status).toBe(200);
    expect((await request(twin.app).post('/__twin/reset')).status).toBe(200);
    const after = await request(twin.app).get('/api/v1/users').set('Authorization', 'SSWS twin-okta-token');
    expect(after.body).toHaveLength(1);
  });

  test('a client_credentials token through supertest', async () => {
    const res = await request(twin.app)
      .post('/oauth2/default/v1/token')
      .auth('0oatwinservice000001', 'twin-okta-client-secret')
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'api:read' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'api:read' });
  });

  test('mounted under /okta in an outer app, the SDK works against <url>/okta (links include the mount path)', async () => {
    const outer = express();
    outer.get('/health', (_req, res) => {
      res.json({ ok: true });
    });
    outer.use('/okta', twin.app);
    const srv = await new Promise<import('node:http').Server>((resolve) => {
      const s = outer.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const port = (srv.address() as import('node:net').AddressInfo).port;
      const base = `http://127.0.0.1:${port}/okta`;
      const client = new okta.Client({ orgUrl: base, token: 'twin-okta-token' });
      const me = await client.userApi.getUser({ userId: 'me' });
      expect(me.id).toBe(ADMIN_ID);
      expect((me as any)._links.self.href).toBe(`${base}/api/v1/users/${ADMIN_ID}`);
      for (let i = 0; i < 3; i++) await client.userApi.createUser({ body: { profile: person(`Mou${i} Nted`) }, activate: false });
      expect(await collect(await client.userApi.listUsers({ limit: 1 }))).toHaveLength(4);
    } finally {
      await new Promise((r) => srv.close(r));
    }
  });
});
