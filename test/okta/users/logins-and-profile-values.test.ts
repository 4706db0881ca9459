/**
 * Login identity rules, encoded logins in paths, profile lengths and Unicode, and operator case in filter and search.
 * Sources:
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml: schemas.UserProfile (login: "Logins are not
 *    considered unique if they differ only in case and/or diacritical marks"; firstName/lastName minLength 1,
 *    maxLength 50), listUsers `search` ("operators ... and string values are case insensitive. Unlike with user
 *    logins, diacritical marks are significant in search string values") and `filter` ("case-sensitive for property
 *    names and query values, while operators are case-insensitive"), getUser ("When fetching a user by login or login
 *    shortname, URL encode the request parameter"), parameter pathUserId ("An ID, login, or login shortname (as long
 *    as the shortname is unambiguous)")
 */
import { expect, test } from 'vitest';
import { collect, describeOkta, sdkError, type OktaTarget } from '../../support/okta.js';

const PASSWORD = 'Plenty-0f-Entropy';

function create(t: OktaTarget, profile: Record<string, any>, activate = true) {
  return t.client.userApi.createUser({ body: { profile: profile as any, credentials: { password: { value: PASSWORD } } }, activate });
}

describeOkta('Logins: one identity whatever the case or diacritics', (t) => {
  test('a login differing only in case is taken (E0000001, login cause)', async () => {
    await create(t, { firstName: 'Isaac', lastName: 'Brock', email: 'Isaac.Brock@example.com', login: 'Isaac.Brock@example.com' });
    const dup = await sdkError(create(t, { firstName: 'Isaac', lastName: 'Brock', email: 'isaac.brock@example.com', login: 'isaac.brock@example.com' }));
    expect(dup).toMatchObject({ status: 400, errorCode: 'E0000001' });
    expect(dup.causes).toEqual(['login: An object with this field already exists in the current organization']);
  });

  test('a login differing only in diacritical marks is taken too ([spec] UserProfile.login: "nor isáàc.bröck@example.com")', async () => {
    await create(t, { firstName: 'Isaac', lastName: 'Brock', email: 'Isaac.Brock@example.com', login: 'Isaac.Brock@example.com' });
    const dup = await sdkError(create(t, { firstName: 'Isáàc', lastName: 'Bröck', email: 'isaac.b@example.com', login: 'isáàc.bröck@example.com' }));
    expect(dup).toMatchObject({ status: 400, errorCode: 'E0000001' });
    expect(dup.causes).toEqual(['login: An object with this field already exists in the current organization']);
  });

  test('search values ignore case but not diacritics ([spec] listUsers search)', async () => {
    const isaac = await create(t, { firstName: 'Isaac', lastName: 'Brock', email: 'isaac.brock@example.com', login: 'isaac.brock@example.com' });
    const zoe = await create(t, { firstName: 'Zoë', lastName: 'Ñúñez', email: 'zoe@example.com', login: 'zoe@example.com' });
    const found = async (search: string) => (await collect(await t.client.userApi.listUsers({ search }))).map((u) => u.id);
    expect(await found('profile.firstName eq "ISAAC"')).toEqual([isaac.id]);
    expect(await found('profile.firstName eq "zoë"')).toEqual([zoe.id]);
    expect(await found('profile.firstName eq "Zoe"')).toEqual([]);
    expect(await found('profile.lastName sw "ñú"')).toEqual([zoe.id]);
  });

  test('operators are case-insensitive in filter and search; filter values are case-sensitive', async () => {
    const ada = await create(t, { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', login: 'ada@example.com' });
    const ids = async (params: Record<string, string>) => (await collect(await t.client.userApi.listUsers(params))).map((u) => u.id);
    expect(await ids({ filter: 'profile.firstName EQ "Ada"' })).toEqual([ada.id]);
    expect(await ids({ filter: 'profile.firstName eq "ada"' })).toEqual([]);
    expect(await ids({ search: 'profile.lastName SW "love"' })).toEqual([ada.id]);
    expect(await ids({ filter: 'status Eq "ACTIVE" and profile.login eq "ada@example.com"' })).toEqual([ada.id]);
  });
});

describeOkta('Logins in the path: id, login, URL-encoded login, shortname', (t) => {
  test('a login with + and @ is found URL-encoded, through the SDK, in any case, and by its shortname', async () => {
    const login = 'first.last+okta@example.com';
    const user = await create(t, { firstName: 'First', lastName: 'Last', email: login, login });
    const viaSdk = await t.client.userApi.getUser({ userId: login });
    expect(viaSdk.id).toBe(user.id);
    const encoded = await t.fetch(`/api/v1/users/${encodeURIComponent(login)}`);
    expect(encoded.status).toBe(200);
    expect((await encoded.json()).id).toBe(user.id);
    const upper = await t.fetch(`/api/v1/users/${encodeURIComponent(login.toUpperCase())}`);
    expect((await upper.json()).id).toBe(user.id);
    const short = await t.client.userApi.getUser({ userId: 'first.last+okta' });
    expect(short.id).toBe(user.id);
    // The user found by login answers with its id links, not the login.
    expect((viaSdk as any)._links.self.href).toBe(`${t.baseUrl}/api/v1/users/${user.id}`);
    // Lifecycle and updates address it by login as well.
    await t.client.userApi.suspendUser({ userId: login });
    expect((await t.client.userApi.getUser({ userId: user.id! })).status).toBe('SUSPENDED');
  });

  test('an unknown login is a 404 naming the login as sent', async () => {
    const gone = await sdkError(t.client.userApi.getUser({ userId: 'nobody@example.com' }));
    expect(gone).toMatchObject({ status: 404, errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: nobody@example.com (User)' });
  });
});

describeOkta('Profile values: lengths and Unicode', (t) => {
  test('firstName and lastName take 1 to 50 characters ([spec] UserProfile minLength 1, maxLength 50)', async () => {
    const fifty = 'A'.repeat(50);
    const ok = await create(t, { firstName: fifty, lastName: 'Long', email: 'long@example.com', login: 'long@example.com' });
    expect(ok.profile?.firstName).toBe(fifty);
    const tooLong = await sdkError(create(t, { firstName: `${fifty}B`, lastName: 'Long', email: 'long2@example.com', login: 'long2@example.com' }));
    expect(tooLong).toMatchObject({ status: 400, errorCode: 'E0000001' });
    expect(tooLong.causes.some((c) => c.startsWith('firstName:'))).toBe(true);
    const lastTooLong = await sdkError(t.client.userApi.updateUser({ userId: ok.id!, user: { profile: { lastName: 'Z'.repeat(51) } } }));
    expect(lastTooLong).toMatchObject({ status: 400, errorCode: 'E0000001' });
    expect((await t.client.userApi.getUser({ userId: ok.id! })).profile?.lastName).toBe('Long');
  });

  test('Unicode names, emoji and long free-text properties come back byte for byte', async () => {
    const profile = {
      firstName: 'Zoë',
      lastName: '李小龍',
      nickName: '🚀 Rocket',
      displayName: 'Zoë 李 🚀',
      title: 'Ingénieure en chef',
      streetAddress: 'Straße '.repeat(100).trim(),
      email: 'zoe.li@example.com',
      login: 'zoe.li@example.com',
    };
    const user = await create(t, profile);
    const read = await t.client.userApi.getUser({ userId: user.id! });
    expect(read.profile).toMatchObject(profile);
    const raw = await (await t.fetch(`/api/v1/users/${user.id}`)).json();
    expect(raw.profile.displayName).toBe('Zoë 李 🚀');
    expect((await collect(await t.client.userApi.listUsers({ q: '李' }))).map((u) => u.id)).toEqual([user.id]);
    expect((await collect(await t.client.userApi.listUsers({ search: 'profile.nickName eq "🚀 rocket"' }))).map((u) => u.id)).toEqual([user.id]);
  });

  test('a group name and description in Unicode round-trip and are found by q and search', async () => {
    const group = await t.client.groupApi.createGroup({ group: { profile: { name: 'Équipe Δ', description: 'Ünïcödé ✓' } } });
    expect((await t.client.groupApi.getGroup({ groupId: group.id! })).profile).toMatchObject({ name: 'Équipe Δ', description: 'Ünïcödé ✓' });
    expect((await collect(await t.client.groupApi.listGroups({ q: 'équipe' }))).map((g) => g.id)).toEqual([group.id]);
    expect((await collect(await t.client.groupApi.listGroups({ search: 'profile.name sw "Équipe"' }))).map((g) => g.id)).toEqual([group.id]);
  });
});
