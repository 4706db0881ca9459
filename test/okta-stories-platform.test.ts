/**
 * End-to-end user stories that lean on Okta platform conventions and neighbouring APIs a real integration touches: the
 * links Okta hands out, profile schema extension, sessions, credentials, factors, field projection and rate-limit headers.
 * Sources:
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml
 *  - [rl] developer.okta.com/docs/reference/rl-best-practices/
 *  - [sdk] node_modules/@okta/okta-sdk-nodejs README.md and src/
 */
import { expect, test } from 'vitest';
import { collect, describeOkta, person, type OktaTarget } from './support/okta.js';

const PASSWORD = 'Tr0ub4dor-Horse9';

function activeUser(t: OktaTarget, first: string, last: string, profile: Record<string, unknown> = {}) {
  return t.client.userApi.createUser({ body: { profile: person(`${first} ${last}`, profile), credentials: { password: { value: PASSWORD } } } });
}

describeOkta('Story: a client follows the links Okta puts on a user', (t) => {
  test('the type and schema links of a user resolve (GET /api/v1/meta/types/user/{id}, /api/v1/meta/schemas/user/default)', async () => {
    const user = await activeUser(t, 'Link', 'Follower');
    const raw = await (await t.fetch(`/api/v1/users/${user.id}`)).json();
    // [spec getUserType] GET /api/v1/meta/types/user/{typeId} → 200 UserType; [spec getUserSchema] GET /api/v1/meta/schemas/user/{schemaId} → 200 UserSchema.
    const type = await t.fetch(raw._links.type.href.slice(t.baseUrl.length));
    expect(type.status).toBe(200);
    expect(await type.json()).toMatchObject({ id: raw.type.id, default: true });
    const schema = await t.fetch(raw._links.schema.href.slice(t.baseUrl.length));
    expect(schema.status).toBe(200);
    expect((await schema.json()).definitions.base.properties).toHaveProperty('login');
  });

  test('the changePassword link works: the user changes their password with the old one (SDK changePassword)', async () => {
    const user = await activeUser(t, 'Change', 'Password');
    const raw = await (await t.fetch(`/api/v1/users/${user.id}`)).json();
    expect(raw._links.changePassword.href).toBe(`${t.baseUrl}/api/v1/users/${user.id}/credentials/change_password`);
    // [spec changePassword] POST /api/v1/users/{userId}/credentials/change_password → 200 UserCredentials.
    const credentials = await t.client.userApi.changePassword({
      userId: user.id!,
      changePasswordRequest: { oldPassword: { value: PASSWORD }, newPassword: { value: 'N3w-Horse-Battery' } },
    });
    expect(credentials.password).toEqual({});
    expect(credentials.provider).toMatchObject({ type: 'OKTA', name: 'OKTA' });
  });
});

describeOkta('Story: HR adds a custom attribute to the user profile, then uses it', (t) => {
  test('after the schema gains costCode (SDK schemaApi.updateUserProfile), users can carry it and be searched by it', async () => {
    // [spec components.schemas.UserProfile]: "You must first add the custom property to the user profile schema before you reference it."
    await t.client.schemaApi.updateUserProfile({
      schemaId: 'default',
      userSchema: { definitions: { custom: { id: '#custom', type: 'object', properties: { costCode: { title: 'Cost code', type: 'string' } }, required: [] } } } as any,
    });
    const user = await activeUser(t, 'Custom', 'Attr', { costCode: 'CC-42' });
    expect(user.profile).toMatchObject({ costCode: 'CC-42' });
    const found = await collect(await t.client.userApi.listUsers({ search: 'profile.costCode eq "CC-42"' }));
    expect(found.map((u) => u.id)).toEqual([user.id]);
  });
});

describeOkta('Story: security offboarding clears sessions and reviews factors', (t) => {
  test('revoking all sessions of a user (SDK revokeUserSessions, DELETE /api/v1/users/{id}/sessions) answers 204 before deactivation', async () => {
    const user = await activeUser(t, 'Sess', 'Ion');
    // [spec revokeUserSessions] DELETE /api/v1/users/{userId}/sessions → 204.
    const res = await t.fetch(`/api/v1/users/${user.id}/sessions?oauthTokens=true`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    await t.client.userApi.revokeUserSessions({ userId: user.id!, oauthTokens: true });
    await t.client.userApi.deactivateUser({ userId: user.id! });
    expect((await t.client.userApi.getUser({ userId: user.id! })).status).toBe('DEPROVISIONED');
  });

  test('a new password-only user has no enrolled factors (SDK userFactorApi.listFactors → [])', async () => {
    const user = await activeUser(t, 'No', 'Factors');
    // [spec listFactors] GET /api/v1/users/{userId}/factors → 200 with the enrolled factors.
    const factors = await collect(await t.client.userFactorApi.listFactors({ userId: user.id! }));
    expect(factors).toEqual([]);
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

describeOkta('Story: a bulk importer paces itself with the rate-limit headers', (t) => {
  test('Management API and OAuth responses, errors included, carry X-Rate-Limit-* (reset in epoch seconds after Date) and X-Okta-Request-Id', async () => {
    // [rl] every response carries X-Rate-Limit-Limit, -Remaining and -Reset (UTC epoch seconds); the SDK waits Reset − Date + 1 s
    // [sdk README "Manual Retry"], so a Date header must be present too.
    const responses = [
      await t.fetch('/api/v1/users'),
      await t.fetch('/api/v1/users/00unosuchuser0000001'),
      await t.fetch('/api/v1/groups'),
      await t.fetch('/api/v1/apps'),
      await fetch(`${t.baseUrl}/oauth2/default/v1/keys`),
      await fetch(`${t.baseUrl}/oauth2/default/v1/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' }),
    ];
    const requestIds = new Set<string>();
    for (const res of responses) {
      const limit = Number(res.headers.get('x-rate-limit-limit'));
      const remaining = Number(res.headers.get('x-rate-limit-remaining'));
      const reset = Number(res.headers.get('x-rate-limit-reset'));
      const date = Date.parse(res.headers.get('date') ?? '');
      expect(limit).toBeGreaterThan(0);
      expect(remaining).toBeGreaterThanOrEqual(0);
      expect(remaining).toBeLessThanOrEqual(limit);
      expect(Number.isInteger(reset)).toBe(true);
      expect(reset * 1000).toBeGreaterThan(date);
      const requestId = res.headers.get('x-okta-request-id');
      expect(requestId).toBeTruthy();
      requestIds.add(requestId!);
    }
    expect(requestIds.size).toBe(responses.length);
  });

  test('X-Rate-Limit-Remaining counts down as the importer keeps calling the same endpoint within the window', async () => {
    // [rl] "X-Rate-Limit-Remaining: the number of requests remaining in the current rate-limit window".
    const first = await t.fetch('/api/v1/users');
    const second = await t.fetch('/api/v1/users');
    const third = await t.fetch('/api/v1/users');
    const remaining = [first, second, third].map((res) => Number(res.headers.get('x-rate-limit-remaining')));
    expect(remaining[1]).toBeLessThan(remaining[0]);
    expect(remaining[2]).toBeLessThan(remaining[1]);
    expect(second.headers.get('x-rate-limit-reset')).toBe(first.headers.get('x-rate-limit-reset'));
  });
});
