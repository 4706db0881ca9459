/**
 * End-to-end user stories for the Okta twin's Users API, written from Okta's developer docs and driven through the
 * official @okta/okta-sdk-nodejs client the way its README shows. Sources:
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml
 *  - [design] developer.okta.com/docs/reference/core-okta-api/ (okta-developer-docs .../reference/core-okta-api/index.md)
 *  - [sdk] node_modules/@okta/okta-sdk-nodejs README.md and src/
 */
import { expect, test } from 'vitest';
import { collect, describeOkta, person, sdkError, TEST_CLOCK, type OktaTarget } from './support/okta.js';

const ADMIN_ID = '00uadmintwin00000001';
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const PASSWORD = 'Tr0ub4dor-Horse9';

function journal(t: OktaTarget, method: string, path: string) {
  return t.twin.requests.filter((r) => r.method === method && r.path === path);
}

describeOkta('Story: onboarding a new engineer', (t) => {
  test('HR creates the Engineering group, then a user with a password in it (groupIds); the user is ACTIVE and found everywhere', async () => {
    // README "Create a Group" / "Create a User"; spec createUser example "Create user in group" (groupIds).
    const group = await t.client.groupApi.createGroup({ group: { profile: { name: 'Engineering', description: 'People who ship code' } } });
    expect(group.id).toMatch(/^00g[0-9A-Za-z]{17}$/);
    expect(group.type).toBe('OKTA_GROUP');

    const user = await t.client.userApi.createUser({
      body: {
        profile: person('Grace Hopper', { department: 'Engineering', title: 'Rear Admiral', nickName: 'Amazing Grace' }),
        credentials: { password: { value: PASSWORD } },
        groupIds: [group.id!],
      },
    });
    // activate defaults to true; with a password the user is ACTIVE [spec createUser "User creation scenarios"].
    expect(user.id).toMatch(/^00u[0-9A-Za-z]{17}$/);
    expect(user.status).toBe('ACTIVE');
    expect(user.profile).toMatchObject({ login: 'grace.hopper@example.com', department: 'Engineering', title: 'Rear Admiral', nickName: 'Amazing Grace' });
    expect(user.credentials?.password).toEqual({});
    expect(user.credentials?.provider).toMatchObject({ type: 'OKTA', name: 'OKTA' });
    expect(user.passwordChanged?.toISOString()).toBe(TEST_CLOCK);

    const members = await collect(await t.client.groupApi.listGroupUsers({ groupId: group.id! }));
    expect(members.map((m) => m.id)).toEqual([user.id]);

    const groups = await collect(await t.client.userApi.listUserGroups({ userId: user.id! }));
    expect(groups.map((g) => g.profile?.name).sort()).toEqual(['Engineering', 'Everyone']);

    // Search takes any profile property, values are case-insensitive [spec listUsers `search`].
    const engineers = await collect(await t.client.userApi.listUsers({ search: 'profile.department eq "Engineering"' }));
    expect(engineers.map((u) => u.id)).toEqual([user.id]);
    const lowerCase = await collect(await t.client.userApi.listUsers({ search: 'profile.department eq "engineering"' }));
    expect(lowerCase.map((u) => u.id)).toEqual([user.id]);

    const everyone = await collect(await t.client.userApi.listUsers());
    expect(everyone.map((u) => u.id)).toEqual(expect.arrayContaining([ADMIN_ID, user.id]));

    // README "Get a User": by id or by login.
    const byLogin = await t.client.userApi.getUser({ userId: 'grace.hopper@example.com' });
    expect(byLogin.id).toBe(user.id);
  });

  test('README "Create a User" verbatim: Foo Bar with password PasswordAbc123 is created ACTIVE and can be fetched by login', async () => {
    const newUser = {
      profile: { firstName: 'Foo', lastName: 'Bar', email: 'foo@example.com', login: 'foo@example.com' },
      credentials: { password: { value: 'PasswordAbc123' } },
    };
    const user = await t.client.userApi.createUser({ body: newUser });
    expect(user.status).toBe('ACTIVE');
    expect((await t.client.userApi.getUser({ userId: 'foo@example.com' })).id).toBe(user.id);
  });

  test('a user created without credentials and activate=false is STAGED; activating with sendEmail=false hands back an activation token', async () => {
    const user = await t.client.userApi.createUser({ body: { profile: person('Alan Turing') }, activate: false });
    expect(user.status).toBe('STAGED');
    expect(user.activated).toBeNull();
    const token = await t.client.userApi.activateUser({ userId: user.id!, sendEmail: false });
    expect(token.activationToken).toEqual(expect.any(String));
    expect(token.activationUrl).toContain(token.activationToken);
    const after = await t.client.userApi.getUser({ userId: user.id! });
    expect(after.status).toBe('PROVISIONED');
  });

  test('excluding a status with `lt ... or ... gt` (Okta has no `ne` for search) lists everyone but the STAGED users', async () => {
    // [spec listUsers `search`]: "to see all users except those that have a status of STAGED, use (status lt "STAGED" or status gt "STAGED")".
    const staged = await t.client.userApi.createUser({ body: { profile: person('Staged Person') }, activate: false });
    const active = await t.client.userApi.createUser({ body: { profile: person('Active Person'), credentials: { password: { value: PASSWORD } } } });
    const found = await collect(await t.client.userApi.listUsers({ search: '(status lt "STAGED" or status gt "STAGED")' }));
    expect(found.map((u) => u.id)).toEqual(expect.arrayContaining([ADMIN_ID, active.id]));
    expect(found.map((u) => u.id)).not.toContain(staged.id);
  });
});

describeOkta('Story: offboarding a leaver', (t) => {
  test('deactivate makes the user DEPROVISIONED: gone from the plain list, present for filter and search; delete removes it for good', async () => {
    const group = await t.client.groupApi.createGroup({ group: { profile: { name: 'Contractors' } } });
    const user = await t.client.userApi.createUser({ body: { profile: person('Leo Leaver'), credentials: { password: { value: PASSWORD } }, groupIds: [group.id!] } });
    t.twin.clock.advance(60_000);

    // README "Delete a User": deactivateUser then deleteUser.
    await t.client.userApi.deactivateUser({ userId: user.id! });
    const deactivated = await t.client.userApi.getUser({ userId: user.id! });
    expect(deactivated.status).toBe('DEPROVISIONED');
    expect(deactivated.statusChanged?.toISOString()).toBe('2026-01-01T00:01:00.000Z');

    // [spec listUsers]: the plain list omits DEPROVISIONED users; filter and search include them.
    const plain = await collect(await t.client.userApi.listUsers());
    expect(plain.map((u) => u.id)).not.toContain(user.id);
    const filtered = await collect(await t.client.userApi.listUsers({ filter: 'status eq "DEPROVISIONED"' }));
    expect(filtered.map((u) => u.id)).toEqual([user.id]);
    const searched = await collect(await t.client.userApi.listUsers({ search: 'status eq "DEPROVISIONED"' }));
    expect(searched.map((u) => u.id)).toEqual([user.id]);
    // [spec listUsers `q`]: q omits DEPROVISIONED users too.
    const q = await collect(await t.client.userApi.listUsers({ q: 'Leo' }));
    expect(q).toEqual([]);

    await t.client.userApi.deleteUser({ userId: user.id! });
    const gone = await sdkError(t.client.userApi.getUser({ userId: user.id! }));
    expect(gone.status).toBe(404);
    expect(gone.errorCode).toBe('E0000007');
    expect(gone.errorSummary).toBe(`Not found: Resource not found: ${user.id} (User)`);
    const members = await collect(await t.client.groupApi.listGroupUsers({ groupId: group.id! }));
    expect(members).toEqual([]);

    const again = await sdkError(t.client.userApi.deleteUser({ userId: user.id! }));
    expect(again.status).toBe(404);
    expect(again.errorCode).toBe('E0000007');
  });

  test('DELETE on an ACTIVE user only deactivates it (204); a second DELETE deletes it (204); a third is a 404', async () => {
    // [spec deleteUser]: "This operation on a user that hasn't been deactivated causes that user to be deactivated. A second delete operation is required".
    const user = await t.client.userApi.createUser({ body: { profile: person('Dee Leet'), credentials: { password: { value: PASSWORD } } } });
    const first = await t.fetch(`/api/v1/users/${user.id}`, { method: 'DELETE' });
    expect(first.status).toBe(204);
    expect(await first.text()).toBe('');
    expect((await t.client.userApi.getUser({ userId: user.id! })).status).toBe('DEPROVISIONED');
    const second = await t.fetch(`/api/v1/users/${user.id}`, { method: 'DELETE' });
    expect(second.status).toBe(204);
    const third = await t.fetch(`/api/v1/users/${user.id}`, { method: 'DELETE' });
    expect(third.status).toBe(404);
    expect((await third.json()).errorCode).toBe('E0000007');
  });
});

describeOkta('Story: a nightly directory export pages through every user', (t) => {
  async function hire(count: number) {
    for (let start = 0; start < count; start += 25) {
      await Promise.all(
        Array.from({ length: Math.min(25, count - start) }, (_, i) => {
          const n = String(start + i).padStart(3, '0');
          return t.client.userApi.createUser({ body: { profile: { firstName: `Emp${n}`, lastName: 'Loyee', email: `emp${n}@example.com`, login: `emp${n}@example.com` } }, activate: false });
        }),
      );
    }
  }

  test('250 users come back through the SDK collection: a first page of 200 (the default limit), then the next link', async () => {
    await hire(250);
    const seen = await collect(await t.client.userApi.listUsers());
    expect(seen).toHaveLength(251);
    expect(new Set(seen.map((u) => u.id)).size).toBe(251);

    const pages = journal(t, 'GET', '/api/v1/users');
    expect(pages).toHaveLength(2);
    expect(pages[0].query).toBe('');
    const second = new URLSearchParams(pages[1].query);
    expect(second.get('after')).toBeTruthy();
    expect(second.get('limit')).toBe('200');

    // [spec listUsers `limit`]: default 200. The Link header carries self and next as absolute URLs [design "Link header"].
    const raw = await t.fetch('/api/v1/users');
    expect((await raw.json()).length).toBe(200);
    const link = raw.headers.get('link')!;
    expect(link).toMatch(/rel="self"/);
    const next = /<([^>]+)>;\s*rel="next"/.exec(link)![1];
    expect(next.startsWith(`${t.baseUrl}/api/v1/users?`)).toBe(true);
    const last = await t.fetch(next.slice(t.baseUrl.length));
    expect((await last.json()).length).toBe(51);
    expect(last.headers.get('link')).not.toMatch(/rel="next"/);
  });

  test('collection.each stops when the iterator returns false and fetches no further page', async () => {
    await hire(5);
    const collection = await t.client.userApi.listUsers({ limit: 2 });
    let visited = 0;
    await collection.each(() => {
      visited++;
      if (visited === 2) return false;
    });
    expect(visited).toBe(2);
    expect(journal(t, 'GET', '/api/v1/users')).toHaveLength(1);
  });

  test('a people picker uses q: prefix of first name, last name or email, 10 results by default, no next link', async () => {
    await hire(15);
    const picked = await collect(await t.client.userApi.listUsers({ q: 'emp' }));
    // [spec listUsers `limit`]: "Defaults to 10 if q is provided"; `q` "doesn't support pagination".
    expect(picked).toHaveLength(10);
    expect(journal(t, 'GET', '/api/v1/users')).toHaveLength(1);
    const byLast = await collect(await t.client.userApi.listUsers({ q: 'Loy', limit: 50 }));
    expect(byLast).toHaveLength(15);
    const byEmail = await collect(await t.client.userApi.listUsers({ q: 'emp014@' }));
    expect(byEmail.map((u) => u.profile?.login)).toEqual(['emp014@example.com']);
  });
});

describeOkta('Story: keeping profiles up to date', (t) => {
  test('README "Update a User": change one property of the fetched user and send it back; the rest is kept', async () => {
    const created = await t.client.userApi.createUser({
      body: { profile: person('Ada Lovelace', { department: 'Analytics', mobilePhone: '555-415-1337' }), credentials: { password: { value: PASSWORD } } },
    });
    t.twin.clock.advance(5_000);
    const user = await t.client.userApi.getUser({ userId: created.id! });
    user.profile!.nickName = 'Enchantress of Numbers';
    const updated = await t.client.userApi.updateUser({ userId: user.id!, user });
    expect(updated.profile).toMatchObject({ nickName: 'Enchantress of Numbers', department: 'Analytics', mobilePhone: '555-415-1337', login: 'ada.lovelace@example.com' });
    expect(updated.status).toBe('ACTIVE');
    expect(updated.lastUpdated?.toISOString()).toBe('2026-01-01T00:00:05.000Z');
    expect(updated.passwordChanged?.toISOString()).toBe(TEST_CLOCK);
  });

  test('a partial update (POST) with only one profile property keeps every other property', async () => {
    // [spec updateUser]: "Updates a user's profile or credentials with partial update semantics."
    const created = await t.client.userApi.createUser({ body: { profile: person('Ada Lovelace', { department: 'Analytics', title: 'Countess' }) }, activate: false });
    const updated = await t.client.userApi.updateUser({ userId: created.id!, user: { profile: { title: 'Programmer' } } });
    expect(updated.profile).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', login: 'ada.lovelace@example.com', department: 'Analytics', title: 'Programmer' });
  });

  test('a replace (PUT) drops the profile properties it leaves out', async () => {
    // [spec replaceUser]: "Any property not specified in the request is deleted." / updateUser: "Unspecified properties are set to null with PUT."
    const created = await t.client.userApi.createUser({ body: { profile: person('Ada Lovelace', { department: 'Analytics', nickName: 'Ada' }) }, activate: false });
    const replaced = await t.client.userApi.replaceUser({ userId: created.id!, user: { profile: person('Ada King') } });
    expect(replaced.profile).toMatchObject({ firstName: 'Ada', lastName: 'King', login: 'ada.king@example.com' });
    expect(replaced.profile?.department ?? null).toBeNull();
    expect(replaced.profile?.nickName ?? null).toBeNull();
    const reread = await t.client.userApi.getUser({ userId: created.id! });
    expect(reread.profile?.department ?? null).toBeNull();
  });

  test('base-schema properties are accepted, but a custom property missing from the profile schema is refused (400 E0000001)', async () => {
    // [spec components.schemas.UserProfile]: "You can extend user profiles with custom properties. You must first add the custom
    // property to the user profile schema before you reference it." Real orgs answer e.g. "Property name 'x' is not defined in profile"
    // (github.com/stormpath/stormpath-sdk-java/issues/1335, an Okta org refusing an undefined attribute).
    const base = await t.client.userApi.createUser({
      body: { profile: person('Base Schema', { city: 'Portland', costCenter: 'CC-1', division: 'R&D', employeeNumber: '42', organization: 'Acme', preferredLanguage: 'en', timezone: 'America/Los_Angeles', userType: 'Employee' }) },
      activate: false,
    });
    expect(base.profile).toMatchObject({ city: 'Portland', employeeNumber: '42', timezone: 'America/Los_Angeles' });

    const failure = await sdkError(t.client.userApi.createUser({ body: { profile: person('Custom Attr', { favoriteColor: 'teal' }) }, activate: false }));
    expect(failure.status).toBe(400);
    expect(failure.errorCode).toBe('E0000001');
    expect(JSON.stringify(failure.errorCauses)).toContain('favoriteColor');
    const search = await collect(await t.client.userApi.listUsers({ filter: 'profile.login eq "custom.attr@example.com"' }));
    expect(search).toEqual([]);

    const update = await sdkError(t.client.userApi.updateUser({ userId: base.id!, user: { profile: { favoriteColor: 'teal' } } }));
    expect(update.status).toBe(400);
    expect(update.errorCode).toBe('E0000001');
  });
});

describeOkta('Story: lifecycle mistakes surface as Okta errors through the SDK', (t) => {
  test('suspending a STAGED user is a 400 E0000001 OktaApiError with every Okta error field', async () => {
    const user = await t.client.userApi.createUser({ body: { profile: person('Sue Spend') }, activate: false });
    const failure = await sdkError(t.client.userApi.suspendUser({ userId: user.id! }));
    expect(failure.status).toBe(400);
    expect(failure.errorCode).toBe('E0000001');
    expect(failure.errorLink).toBe('E0000001');
    expect(failure.errorSummary).toMatch(/^Api validation failed/);
    expect(failure.errorId).toMatch(/^oae/);
    expect(Array.isArray(failure.errorCauses)).toBe(true);
    // [sdk src/api-error.js]: message = "Okta HTTP {status} {errorCode} {errorSummary}...".
    expect(failure.message).toMatch(/^Okta HTTP 400 E0000001 Api validation failed/);
    expect(failure.headers?.get('x-okta-request-id')).toBeTruthy();
    expect((await t.client.userApi.getUser({ userId: user.id! })).status).toBe('STAGED');
  });

  test('errorIds have the shape of real ones: "oae" and 22 more characters', async () => {
    // Okta's errorIds are 25 characters: "oaeHfmOAx1iRLa0H10DeMz5fQ" ([design] "Errors"), "oaej1XXQlk6SbCEFIkBzAge-A"
    // (github.com/okta/okta-developer-docs/issues/1622), "oaeUwehAi0TTu-CsPBeUMgahw" (github.com/okta/okta-sdk-java/issues/1532).
    const failure = await sdkError(t.client.userApi.getUser({ userId: '00unosuchuser0000001' }));
    expect(failure.errorId).toMatch(/^oae[A-Za-z0-9_-]{22}$/);
  });

  test('two failures carry two different errorIds; errorSummary names the missing user', async () => {
    const a = await sdkError(t.client.userApi.getUser({ userId: '00unosuchuser0000001' }));
    const b = await sdkError(t.client.userApi.getUser({ userId: '00unosuchuser0000001' }));
    expect(a).toMatchObject({ status: 404, errorCode: 'E0000007', errorLink: 'E0000007', errorSummary: 'Not found: Resource not found: 00unosuchuser0000001 (User)', errorCauses: [] });
    expect(a.errorId).not.toBe(b.errorId);
  });

  test('a duplicate login is E0000001 with the "already exists" cause', async () => {
    await t.client.userApi.createUser({ body: { profile: person('Dup Licate') }, activate: false });
    const failure = await sdkError(t.client.userApi.createUser({ body: { profile: person('Dup Licate') }, activate: false }));
    expect(failure.status).toBe(400);
    expect(failure.errorCode).toBe('E0000001');
    // [design "Errors"] example: "login: An object with this field already exists in the current organization".
    expect(failure.errorCauses).toEqual([{ errorSummary: 'login: An object with this field already exists in the current organization' }]);
  });

  test('suspend and unsuspend round-trip an ACTIVE user; lifecycle calls answer 200 {}', async () => {
    const user = await t.client.userApi.createUser({ body: { profile: person('Round Trip'), credentials: { password: { value: PASSWORD } } } });
    const suspend = await t.fetch(`/api/v1/users/${user.id}/lifecycle/suspend`, { method: 'POST' });
    expect(suspend.status).toBe(200);
    expect(await suspend.json()).toEqual({});
    expect((await t.client.userApi.getUser({ userId: user.id! })).status).toBe('SUSPENDED');
    await t.client.userApi.unsuspendUser({ userId: user.id! });
    expect((await t.client.userApi.getUser({ userId: user.id! })).status).toBe('ACTIVE');
  });
});

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
    expect(journal(t, 'GET', path)).toHaveLength(1);

    first.profile!.nickName = 'Cached';
    await client.userApi.updateUser({ userId: user.id!, user: first });
    const afterUpdate = await client.userApi.getUser({ userId: user.id! });
    expect(afterUpdate.profile?.nickName).toBe('Cached');
    expect(journal(t, 'GET', path)).toHaveLength(2);

    await client.userApi.suspendUser({ userId: user.id! });
    const afterSuspend = await client.userApi.getUser({ userId: user.id! });
    expect(afterSuspend.status).toBe('SUSPENDED');
    expect(journal(t, 'GET', path)).toHaveLength(3);
  });
});

describeOkta('Story: wire format of a user', (t) => {
  test('create is 200 with application/json; ids are 20 characters with the 00u prefix; timestamps are ISO-8601 with ms and Z', async () => {
    const res = await t.fetch('/api/v1/users?activate=true', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ profile: person('Wire Format'), credentials: { password: { value: PASSWORD } } }),
    });
    // [spec createUser]: 200 (not 201). Okta sends `Content-Type: application/json` without a charset (Okta API release notes
    // 2017.40, example response headers; okta-developer-docs).
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const user = await res.json();
    expect(user.id).toMatch(/^00u[0-9A-Za-z]{17}$/);
    for (const field of ['created', 'activated', 'statusChanged', 'lastUpdated', 'passwordChanged']) expect(user[field]).toMatch(ISO_MS);
    expect(user.lastLogin).toBeNull();
    expect(user.type).toEqual({ id: expect.stringMatching(/^oty/) });
    expect(user._links.self).toEqual({ href: `${t.baseUrl}/api/v1/users/${user.id}` });
    // A single ACTIVE user carries the lifecycle operations its status allows [spec tag User "Links object"].
    expect(user._links.deactivate.href).toBe(`${t.baseUrl}/api/v1/users/${user.id}/lifecycle/deactivate`);
    expect(user._links.suspend.href).toBe(`${t.baseUrl}/api/v1/users/${user.id}/lifecycle/suspend`);
    expect(user._links.activate).toBeUndefined();

    const got = await t.fetch(`/api/v1/users/${user.id}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/json');
    const listed = await t.fetch('/api/v1/users');
    expect(listed.headers.get('content-type')).toBe('application/json');
    const missing = await t.fetch('/api/v1/users/00unosuchuser0000001');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/json');
  });

  test('the users that own the API token are `me`', async () => {
    const me = await t.client.userApi.getUser({ userId: 'me' });
    expect(me.id).toBe(ADMIN_ID);
    expect(me.status).toBe('ACTIVE');
  });
});
