/**
 * Users API: field projection with `fields`. Source:
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml
 */
import { expect, test } from 'vitest';
import { describeOkta, person, type OktaTarget } from '../../support/okta.js';

function hire(t: OktaTarget, first: string, last: string, profile: Record<string, unknown> = {}) {
  return t.client.userApi.createUser({ body: { profile: person(`${first} ${last}`, profile) }, activate: false });
}

async function listed(t: OktaTarget, query: string): Promise<any[]> {
  const res = await t.fetch(`/api/v1/users?${query}`);
  expect(res.status).toBe(200);
  return res.json();
}

const PASSWORD = 'Tr0ub4dor-Horse9';

function activeUser(t: OktaTarget, first: string, last: string, profile: Record<string, unknown> = {}) {
  return t.client.userApi.createUser({ body: { profile: person(`${first} ${last}`, profile), credentials: { password: { value: PASSWORD } } } });
}

describeOkta('Okta users: field projection with `fields`', (t) => {
  test('each user carries its id and only the fields and profile properties asked for', async () => {
    const alice = await hire(t, 'Alice', 'Chicago', { city: 'Chicago' });
    const users = await listed(t, `fields=${encodeURIComponent('status,profile:(firstName,city)')}`);
    expect(users.find((u) => u.id === alice.id)).toEqual({ id: alice.id, status: 'STAGED', profile: { firstName: 'Alice', city: 'Chicago' } });
    // A property the profile lacks is left out rather than sent as null.
    expect(users.find((u) => u.id === '00uadmintwin00000001')).toEqual({ id: '00uadmintwin00000001', status: 'ACTIVE', profile: { firstName: 'Admin' } });
  });

  test('the id comes even when not asked for; a bare `profile` brings the whole profile; spaces are allowed', async () => {
    const bob = await hire(t, 'Bob', 'Builder', { title: 'Foreman' });
    const onlyStatus = await listed(t, 'fields=status');
    expect(onlyStatus.find((u) => u.id === bob.id)).toEqual({ id: bob.id, status: 'STAGED' });
    const whole = await listed(t, `fields=${encodeURIComponent('profile, lastUpdated')}&search=${encodeURIComponent('profile.title eq "Foreman"')}`);
    expect(whole).toEqual([{ id: bob.id, lastUpdated: '2026-01-01T00:00:00.000Z', profile: expect.objectContaining({ title: 'Foreman', login: 'bob.builder@example.com' }) }]);
    const spaced = await listed(t, `fields=${encodeURIComponent('profile:( firstName , title )')}&filter=${encodeURIComponent(`id eq "${bob.id}"`)}`);
    expect(spaced).toEqual([{ id: bob.id, profile: { firstName: 'Bob', title: 'Foreman' } }]);
  });

  test('the SDK passes `fields` through and pages keep it in their next link', async () => {
    for (const name of ['Ann', 'Ben', 'Cid']) await hire(t, name, 'Paged');
    const seen = [];
    for await (const user of await t.client.userApi.listUsers({ fields: 'status', limit: 2 })) seen.push(user);
    expect(seen).toHaveLength(4);
    expect(seen.every((user) => user?.profile === undefined && user?.status !== undefined)).toBe(true);
    const first = await t.fetch('/api/v1/users?fields=status&limit=2');
    expect(first.headers.get('link')).toMatch(/fields=status/);
  });

  test('a malformed `fields` value is a 400 E0000001 naming the parameter', async () => {
    for (const bad of ['profile:(firstName', 'status,,', 'status)', 'profile:(first-name)', 'profile:((a))']) {
      const res = await t.fetch(`/api/v1/users?fields=${encodeURIComponent(bad)}`);
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body).toMatchObject({ errorCode: 'E0000001', errorSummary: 'Api validation failed: fields' });
    }
  });
});

describeOkta('Story: a reporting job asks only for the fields it needs', (t) => {
  test('listUsers with fields=status,profile:(firstName,city) returns only the id and those properties', async () => {
    // [spec listUsers `fields`]: "Any other properties will be filtered out of the returned users ... The id field is always
    // included"; example ListUsersFieldsResponse for fields=status,profile:(firstName,city).
    await activeUser(t, 'Alice', 'Chicago', { city: 'Chicago' });
    const res = await t.fetch(`/api/v1/users?fields=${encodeURIComponent('status,profile:(firstName,city)')}`);
    expect(res.status).toBe(200);
    const users = await res.json();
    const alice = users.find((u: any) => u.profile?.firstName === 'Alice');
    expect(alice).toMatchObject({ id: expect.stringMatching(/^00u/), status: 'ACTIVE' });
    expect(alice.profile).toEqual({ firstName: 'Alice', city: 'Chicago' });
    for (const dropped of ['created', 'lastUpdated', 'credentials', 'type']) expect(alice).not.toHaveProperty(dropped);
  });
});
