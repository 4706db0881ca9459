/**
 * The README's MSW pattern, with the Okta twin as the example: one module-level SDK client with its default cache,
 * `twin.reset()` before each test. Sources: [readme] README.md ("Use a twin in a vitest suite through MSW"; "The official SDK
 * caches single-resource GETs by default ... so that cache behaves as it does against a real org"), [sdk]
 * node_modules/@okta/okta-sdk-nodejs/src/default-cache-middleware.js (GETs cached by `_links.self.href`; a non-GET evicts
 * only the URLs of its own path).
 */
import okta from '@okta/okta-sdk-nodejs';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createOktaTwin } from '../../twins/index.js';
import { collect, person } from '../support/okta.js';

const SSWS = { authorization: 'SSWS twin-okta-token', accept: 'application/json' };

describe('README MSW pattern: one module-level client (default cache), reset before each test', () => {
  const twin = createOktaTwin();
  const server = setupServer(...twin.mswHandlers('https://dev-123.okta.com'));
  const client = new okta.Client({ orgUrl: 'https://dev-123.okta.com', token: 'twin-okta-token' });
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => twin.reset());
  afterAll(() => server.close());
  let firstId: string | undefined;

  test('test 1: Ada is created and read back by id', async () => {
    const ada = await client.userApi.createUser({ body: { profile: person('Ada Lovelace') }, activate: false });
    firstId = ada.id;
    expect((await client.userApi.getUser({ userId: ada.id! })).profile?.firstName).toBe('Ada');
  });

  test('test 2: after reset, only the admin is listed (Ada is gone)', async () => {
    const users = await collect(await client.userApi.listUsers());
    expect(users.map((u) => u.profile?.login)).toEqual(['admin@twin.test']);
    const raw = await fetch(`https://dev-123.okta.com/api/v1/users/${firstId}`, { headers: SSWS });
    expect(raw.status).toBe(404);
  });

  // Against a real org an id is never reused, so the SDK cache (keyed by _links.self.href) can never answer for another
  // user. reset() replays the id sequence, so Bob gets Ada's id and the SDK answers Ada from its cache.
  test('test 3: Bob, created after a reset, is read back by id as Bob (not a cached Ada)', async () => {
    const bob = await client.userApi.createUser({ body: { profile: person('Bob Builder') }, activate: false });
    const read = await client.userApi.getUser({ userId: bob.id! });
    expect(read.profile?.firstName).toBe('Bob');
    expect(read.profile?.login).toBe('bob.builder@example.com');
  });

  // (Groups carry no _links.self, as in Okta, so the SDK never caches them.)
  test('test 4: the same holds for groups: a group created after reset reads back with its own name', async () => {
    const g1 = await client.groupApi.createGroup({ group: { profile: { name: 'First' } } });
    expect((await client.groupApi.getGroup({ groupId: g1.id! })).profile?.name).toBe('First');
    twin.reset();
    const g2 = await client.groupApi.createGroup({ group: { profile: { name: 'Second' } } });
    expect((await client.groupApi.getGroup({ groupId: g2.id! })).profile?.name).toBe('Second');
  });
});
