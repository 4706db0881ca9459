/**
 * Third red-team round: Users API stories against a DEFAULT twin (`createOktaTwin()`: system clock, not strict) and
 * the official SDK with its DEFAULT options (response cache on), over both the HTTP server and MSW. Sources:
 *  - [issue] the Okta requirements of the issue (seed, lifecycle, delete, duplicate login, paging, filter/search/q)
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml (tag Users "User creation scenarios", the
 *    /api/v1/users/{id}/lifecycle/* descriptions, listUsers parameters, deleteUser)
 *  - [docs] Okta's API reference (error table: suspend/unsuspend wrong status 400 E0000001; reactivate
 *    403 E0000038; E0000016 403 for activate on an ACTIVE user, seen in okta-sdk-ruby's recorded cassette
 *    users/invalid_activate_user and okta-sdk-python's fixtures)
 *  - [errors] developer.okta.com/docs/reference/error-codes (E0000007 404, E0000011 401, E0000016 403, E0000032 403)
 */
import okta from '@okta/okta-sdk-nodejs';
import { expect, test } from 'vitest';
import { collect, describeOkta, person, sdkError, type OktaTarget } from './support/okta.js';

const ADMIN_ID = '00uadmintwin00000001';
const EVERYONE_ID = '00geveryonetwin00001';
const PASSWORD = 'Str0ng-Passw0rd!x';

const describeDefault = (title: string, body: (e: OktaTarget) => void) => describeOkta(title, body, 'defaults');

const ids = <T extends { id?: string }>(items: T[]) => items.map((i) => i.id);

describeDefault('Seed exactness of a fresh org', (e) => {
  test('users/me is admin@twin.test (Admin Twin, ACTIVE, 00uadmintwin00000001) and the only user of the org', async () => {
    const me = await e.client.userApi.getUser({ userId: 'me' });
    expect(me.id).toBe(ADMIN_ID);
    expect(me.status).toBe('ACTIVE');
    expect(me.profile).toMatchObject({ firstName: 'Admin', lastName: 'Twin', login: 'admin@twin.test', email: 'admin@twin.test' });
    expect(me.credentials?.provider).toMatchObject({ type: 'OKTA', name: 'OKTA' });
    expect(me.type?.id).toEqual(expect.any(String));
    expect((me as any)._links.self.href).toBe(`${e.baseUrl}/api/v1/users/${ADMIN_ID}`);
    const all = await collect(await e.client.userApi.listUsers());
    expect(ids(all)).toEqual([ADMIN_ID]);
    expect(all[0].profile?.login).toBe('admin@twin.test');
    // by login and by shortname
    expect((await e.client.userApi.getUser({ userId: 'admin@twin.test' })).id).toBe(ADMIN_ID);
    expect((await e.client.userApi.getUser({ userId: ADMIN_ID })).profile?.firstName).toBe('Admin');
  });

  test('the only group is the built-in Everyone (BUILT_IN), whose only member is the admin; the admin\'s groups are [Everyone]', async () => {
    const groups = await collect(await e.client.groupApi.listGroups());
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ id: EVERYONE_ID, type: 'BUILT_IN', profile: { name: 'Everyone' } });
    const members = await collect(await e.client.groupApi.listGroupUsers({ groupId: EVERYONE_ID }));
    expect(ids(members)).toEqual([ADMIN_ID]);
    const mine = await collect(await e.client.userApi.listUserGroups({ userId: ADMIN_ID }));
    expect(ids(mine)).toEqual([EVERYONE_ID]);
    const found = await collect(await e.client.groupApi.listGroups({ q: 'Every' }));
    expect(ids(found)).toEqual([EVERYONE_ID]);
    const builtIn = await collect(await e.client.groupApi.listGroups({ filter: 'type eq "BUILT_IN"' }));
    expect(ids(builtIn)).toEqual([EVERYONE_ID]);
  });

  test('a new user joins Everyone; any other token is 401 E0000011 "Invalid token provided"', async () => {
    const user = await e.client.userApi.createUser({ body: { profile: person('Nora New') }, activate: false });
    const members = await collect(await e.client.groupApi.listGroupUsers({ groupId: EVERYONE_ID }));
    expect(ids(members).sort()).toEqual([ADMIN_ID, user.id].sort());
    const stranger = new okta.Client({ orgUrl: e.baseUrl, token: 'not-the-token' });
    const err = await sdkError(stranger.userApi.getUser({ userId: 'me' }));
    expect(err).toMatchObject({ status: 401, errorCode: 'E0000011', errorSummary: 'Invalid token provided', errorLink: 'E0000011', errorCauses: [] });
    expect(err.errorId).toEqual(expect.any(String));
    const list = await sdkError(collect(await stranger.userApi.listUsers()));
    expect(list).toMatchObject({ status: 401, errorCode: 'E0000011' });
  });
});

describeDefault('Create scenarios ([spec] "User creation scenarios")', (e) => {
  test('password + activate (default) → ACTIVE; password + activate=false → STAGED; none + activate=false → STAGED; none + activate=true → PROVISIONED', async () => {
    const a = await e.client.userApi.createUser({ body: { profile: person('Pat Password'), credentials: { password: { value: PASSWORD } } } });
    expect(a.status).toBe('ACTIVE');
    expect(a.activated).toBeInstanceOf(Date);
    const b = await e.client.userApi.createUser({ body: { profile: person('Sal Staged'), credentials: { password: { value: PASSWORD } } }, activate: false });
    expect(b.status).toBe('STAGED');
    const c = await e.client.userApi.createUser({ body: { profile: person('Nick Nocreds') }, activate: false });
    expect(c.status).toBe('STAGED');
    expect(c.activated).toBeNull();
    const d = await e.client.userApi.createUser({ body: { profile: person('Pam Provisioned') }, activate: true });
    expect(d.status).toBe('PROVISIONED');
    // and each reads back the same way
    for (const [u, s] of [[a, 'ACTIVE'], [b, 'STAGED'], [c, 'STAGED'], [d, 'PROVISIONED']] as const) {
      expect((await e.client.userApi.getUser({ userId: u.id! })).status).toBe(s);
    }
  });

  test('activating a STAGED user: without a password → PROVISIONED (activation token when sendEmail=false); with a password → ACTIVE', async () => {
    const noPw = await e.client.userApi.createUser({ body: { profile: person('Ann Activate') }, activate: false });
    const token = await e.client.userApi.activateUser({ userId: noPw.id!, sendEmail: false });
    expect(token.activationToken).toEqual(expect.any(String));
    expect(token.activationUrl).toEqual(expect.stringContaining(token.activationToken!));
    expect((await e.client.userApi.getUser({ userId: noPw.id! })).status).toBe('PROVISIONED');

    const withPw = await e.client.userApi.createUser({ body: { profile: person('Will Password'), credentials: { password: { value: PASSWORD } } }, activate: false });
    await e.client.userApi.activateUser({ userId: withPw.id!, sendEmail: true });
    const after = await e.client.userApi.getUser({ userId: withPw.id! });
    expect(after.status).toBe('ACTIVE');
    expect(after.activated).toBeInstanceOf(Date);
  });

  test('a duplicate login is 400 E0000001 with the login cause, also when an update renames a user to a taken login', async () => {
    const first = await e.client.userApi.createUser({ body: { profile: person('Dup Licate') }, activate: false });
    const dup = await sdkError(e.client.userApi.createUser({ body: { profile: person('Dup Licate') }, activate: false }));
    expect(dup).toMatchObject({ status: 400, errorCode: 'E0000001', errorLink: 'E0000001' });
    expect(dup.errorSummary).toMatch(/^Api validation failed: login/);
    expect(dup.causes).toEqual(['login: An object with this field already exists in the current organization']);
    const other = await e.client.userApi.createUser({ body: { profile: person('Oth Er') }, activate: false });
    const renamed = await sdkError(e.client.userApi.updateUser({ userId: other.id!, user: { profile: { login: 'dup.licate@example.com' } } }));
    expect(renamed).toMatchObject({ status: 400, errorCode: 'E0000001' });
    expect(renamed.causes).toEqual(['login: An object with this field already exists in the current organization']);
    // The admin's login is taken too.
    const admin = await sdkError(e.client.userApi.createUser({ body: { profile: { firstName: 'A', lastName: 'B', email: 'admin@twin.test', login: 'admin@twin.test' } } }));
    expect(admin).toMatchObject({ status: 400, errorCode: 'E0000001' });
    expect((await e.client.userApi.getUser({ userId: first.id! })).profile?.login).toBe('dup.licate@example.com');
  });

  test('a missing user is 404 E0000007 "Not found: Resource not found: {id} (User)"', async () => {
    const err = await sdkError(e.client.userApi.getUser({ userId: '00unosuchuser0000000' }));
    expect(err).toMatchObject({ status: 404, errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: 00unosuchuser0000000 (User)', errorLink: 'E0000007', errorCauses: [] });
  });
});

describeDefault('Lifecycle: every valid transition through the SDK (default cache on)', (e) => {
  async function active(name: string) {
    return e.client.userApi.createUser({ body: { profile: person(name), credentials: { password: { value: PASSWORD } } } });
  }
  const status = async (id: string) => (await e.client.userApi.getUser({ userId: id })).status;

  test('ACTIVE → suspend → SUSPENDED → unsuspend → ACTIVE', async () => {
    const u = await active('Sue Spend');
    await e.client.userApi.suspendUser({ userId: u.id! });
    expect(await status(u.id!)).toBe('SUSPENDED');
    await e.client.userApi.unsuspendUser({ userId: u.id! });
    expect(await status(u.id!)).toBe('ACTIVE');
  });

  test('ACTIVE → reset_password (sendEmail=false) → RECOVERY with a resetPasswordUrl', async () => {
    const u = await active('Ray Cover');
    const token = await e.client.userApi.generateResetPasswordToken({ userId: u.id!, sendEmail: false });
    expect(token.resetPasswordUrl).toEqual(expect.stringMatching(/^https?:\/\//));
    expect(await status(u.id!)).toBe('RECOVERY');
  });

  test('ACTIVE → expire_password → PASSWORD_EXPIRED (the response is the user)', async () => {
    const u = await active('Exp Ired');
    const res = await e.client.userApi.expirePassword({ userId: u.id! });
    expect(res.id).toBe(u.id);
    expect(res.status).toBe('PASSWORD_EXPIRED');
    expect(await status(u.id!)).toBe('PASSWORD_EXPIRED');
  });

  test('expire_password_with_temp_password answers a tempPassword and PASSWORD_EXPIRED', async () => {
    const u = await active('Tem Porary');
    // The SDK deserializes this answer as a User (dropping tempPassword), so read it raw ([spec] ExpirePwdWithTempPwdResponse).
    const res = await e.fetch(`/api/v1/users/${u.id}/lifecycle/expire_password_with_temp_password`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ tempPassword: expect.any(String) });
    expect(await status(u.id!)).toBe('PASSWORD_EXPIRED');
  });

  test('LOCKED_OUT → unlock → ACTIVE', async () => {
    const u = await active('Lock Ed');
    (e.twin.state.users as any)[u.id!].status = 'LOCKED_OUT';
    await e.client.userApi.unlockUser({ userId: u.id! });
    expect(await status(u.id!)).toBe('ACTIVE');
  });

  test('PROVISIONED → reactivate (sendEmail=false) → PROVISIONED with a new activation token', async () => {
    const u = await e.client.userApi.createUser({ body: { profile: person('Rea Ctivate') }, activate: true });
    const token = await e.client.userApi.reactivateUser({ userId: u.id!, sendEmail: false });
    expect(token.activationToken).toEqual(expect.any(String));
    expect(await status(u.id!)).toBe('PROVISIONED');
  });

  test('ACTIVE → deactivate → DEPROVISIONED → activate → ACTIVE (password user)', async () => {
    const u = await active('Dee Activate');
    await e.client.userApi.deactivateUser({ userId: u.id! });
    expect(await status(u.id!)).toBe('DEPROVISIONED');
    await e.client.userApi.activateUser({ userId: u.id!, sendEmail: false });
    expect(await status(u.id!)).toBe('ACTIVE');
  });

  test('STAGED, PROVISIONED, SUSPENDED each deactivate to DEPROVISIONED', async () => {
    const staged = await e.client.userApi.createUser({ body: { profile: person('Sta Ged') }, activate: false });
    const prov = await e.client.userApi.createUser({ body: { profile: person('Pro Vis') }, activate: true });
    const susp = await active('Sus Pended');
    await e.client.userApi.suspendUser({ userId: susp.id! });
    for (const u of [staged, prov, susp]) {
      await e.client.userApi.deactivateUser({ userId: u.id! });
      expect(await status(u.id!)).toBe('DEPROVISIONED');
    }
  });

  test('lifecycle answers are 200 with a JSON body ({} for suspend/unsuspend/deactivate/unlock)', async () => {
    const u = await active('Raw Life');
    for (const op of ['suspend', 'unsuspend', 'deactivate']) {
      const res = await e.fetch(`/api/v1/users/${u.id}/lifecycle/${op}`, { method: 'POST' });
      expect({ op, status: res.status }).toEqual({ op, status: 200 });
      expect(await res.json()).toEqual({});
    }
  });
});

describeDefault('Lifecycle: invalid transitions answer Okta\'s errors (status + errorCode)', (e) => {
  async function make(kind: 'STAGED' | 'PROVISIONED' | 'ACTIVE' | 'SUSPENDED' | 'DEPROVISIONED', name: string) {
    const password = kind === 'ACTIVE' || kind === 'SUSPENDED' || kind === 'DEPROVISIONED';
    const u = await e.client.userApi.createUser({
      body: { profile: person(name), ...(password ? { credentials: { password: { value: PASSWORD } } } : {}) },
      activate: kind !== 'STAGED',
    });
    if (kind === 'SUSPENDED') await e.client.userApi.suspendUser({ userId: u.id! });
    if (kind === 'DEPROVISIONED') await e.client.userApi.deactivateUser({ userId: u.id! });
    expect((await e.client.userApi.getUser({ userId: u.id! })).status).toBe(kind);
    return u.id!;
  }

  test('suspend of a non-ACTIVE user (STAGED, PROVISIONED, SUSPENDED, DEPROVISIONED) is 400 E0000001', async () => {
    for (const [i, kind] of (['STAGED', 'PROVISIONED', 'SUSPENDED', 'DEPROVISIONED'] as const).entries()) {
      const id = await make(kind, `Sus${i} Pend`);
      const err = await sdkError(e.client.userApi.suspendUser({ userId: id }));
      expect({ kind, status: err.status, code: err.errorCode }).toEqual({ kind, status: 400, code: 'E0000001' });
      expect((await e.client.userApi.getUser({ userId: id })).status).toBe(kind);
    }
  });

  test('unsuspend of a non-SUSPENDED user (ACTIVE, STAGED) is 400 E0000001', async () => {
    for (const [i, kind] of (['ACTIVE', 'STAGED'] as const).entries()) {
      const id = await make(kind, `Uns${i} Pend`);
      const err = await sdkError(e.client.userApi.unsuspendUser({ userId: id }));
      expect({ kind, status: err.status, code: err.errorCode }).toEqual({ kind, status: 400, code: 'E0000001' });
    }
  });

  test('activate of an ACTIVE user is 403 E0000016 "Activation failed because the user is already active"', async () => {
    const id = await make('ACTIVE', 'Already Active');
    const err = await sdkError(e.client.userApi.activateUser({ userId: id, sendEmail: false }));
    expect(err).toMatchObject({ status: 403, errorCode: 'E0000016', errorSummary: 'Activation failed because the user is already active' });
    const admin = await sdkError(e.client.userApi.activateUser({ userId: ADMIN_ID, sendEmail: false }));
    expect(admin).toMatchObject({ status: 403, errorCode: 'E0000016' });
  });

  test('reactivate of an ACTIVE or STAGED user is 403 E0000038', async () => {
    for (const [i, kind] of (['ACTIVE', 'STAGED'] as const).entries()) {
      const id = await make(kind, `Rea${i} Ctivate`);
      const err = await sdkError(e.client.userApi.reactivateUser({ userId: id, sendEmail: false }));
      expect({ kind, status: err.status, code: err.errorCode }).toEqual({ kind, status: 403, code: 'E0000038' });
      expect(err.errorSummary).toBe("This operation is not allowed in the user's current status.");
    }
  });

  test('a refused transition changes nothing: the status, statusChanged and lastUpdated stay', async () => {
    const id = await make('STAGED', 'Still Staged');
    const before = await (await e.fetch(`/api/v1/users/${id}`)).json();
    await sdkError(e.client.userApi.suspendUser({ userId: id }));
    await sdkError(e.client.userApi.unsuspendUser({ userId: id }));
    const after = await (await e.fetch(`/api/v1/users/${id}`)).json();
    expect({ status: after.status, statusChanged: after.statusChanged, lastUpdated: after.lastUpdated }).toEqual({
      status: before.status,
      statusChanged: before.statusChanged,
      lastUpdated: before.lastUpdated,
    });
  });

  test('lifecycle calls on an unknown user are 404 E0000007', async () => {
    for (const call of [
      e.client.userApi.suspendUser({ userId: '00unosuchuser0000000' }),
      e.client.userApi.activateUser({ userId: '00unosuchuser0000000', sendEmail: false }),
      e.client.userApi.deactivateUser({ userId: '00unosuchuser0000000' }),
    ]) {
      const err = await sdkError(call);
      expect(err).toMatchObject({ status: 404, errorCode: 'E0000007' });
    }
  });

  test('a profile update of a DEPROVISIONED user is refused (403 E0000038)', async () => {
    const id = await make('DEPROVISIONED', 'Gone Person');
    const err = await sdkError(e.client.userApi.updateUser({ userId: id, user: { profile: { nickName: 'ghost' } } }));
    expect(err).toMatchObject({ status: 403, errorCode: 'E0000038' });
  });
});

describeDefault('Delete: first DELETE deactivates, second deletes (SDK, cache on)', (e) => {
  test('deleteUser on an ACTIVE user → DEPROVISIONED (still readable); deleteUser again → 404 E0000007 everywhere', async () => {
    const group = await e.client.groupApi.createGroup({ group: { profile: { name: 'Leavers' } } });
    const u = await e.client.userApi.createUser({ body: { profile: person('Del Ete'), credentials: { password: { value: PASSWORD } }, groupIds: [group.id!] } });
    await e.client.userApi.getUser({ userId: u.id! }); // prime the SDK cache
    await e.client.userApi.deleteUser({ userId: u.id! });
    const deactivated = await e.client.userApi.getUser({ userId: u.id! });
    expect(deactivated.status).toBe('DEPROVISIONED');
    await e.client.userApi.deleteUser({ userId: u.id! });
    const gone = await sdkError(e.client.userApi.getUser({ userId: u.id! }));
    expect(gone).toMatchObject({ status: 404, errorCode: 'E0000007' });
    expect(ids(await collect(await e.client.userApi.listUsers({ filter: 'status eq "DEPROVISIONED"' })))).toEqual([]);
    expect(ids(await collect(await e.client.groupApi.listGroupUsers({ groupId: group.id! })))).toEqual([]);
    expect(ids(await collect(await e.client.groupApi.listGroupUsers({ groupId: EVERYONE_ID })))).toEqual([ADMIN_ID]);
    const third = await sdkError(e.client.userApi.deleteUser({ userId: u.id! }));
    expect(third).toMatchObject({ status: 404, errorCode: 'E0000007' });
  });

  test('a STAGED user is deactivated then deleted the same way; deleting by login works', async () => {
    const u = await e.client.userApi.createUser({ body: { profile: person('Sta Del') }, activate: false });
    await e.client.userApi.deleteUser({ userId: 'sta.del@example.com' });
    expect((await e.client.userApi.getUser({ userId: u.id! })).status).toBe('DEPROVISIONED');
    await e.client.userApi.deleteUser({ userId: 'sta.del@example.com' });
    // (a DELETE by login does not evict the SDK's cache entry keyed by the id URL, so read raw)
    expect((await e.fetch(`/api/v1/users/${u.id}`)).status).toBe(404);
    // the login is free again
    const again = await e.client.userApi.createUser({ body: { profile: person('Sta Del') }, activate: false });
    expect(again.id).not.toBe(u.id);
  });
});

describeDefault('Paging with limit and after through the SDK collection', (e) => {
  async function hire(n: number) {
    const made = [];
    for (let i = 0; i < n; i++) {
      made.push(await e.client.userApi.createUser({ body: { profile: { firstName: `Pag${i}`, lastName: 'Ing', email: `pag${i}@example.com`, login: `pag${i}@example.com` } }, activate: false }));
    }
    return made;
  }
  const gets = (e: OktaTarget) => e.twin.requests.filter((r) => r.method === 'GET' && r.path === '/api/v1/users');

  test('limit=1 over 4 users (admin + 3) visits exactly 4 users once each, each page after the first carrying after=', async () => {
    const made = await hire(3);
    const seen = await collect(await e.client.userApi.listUsers({ limit: 1 }));
    expect(ids(seen)).toEqual([ADMIN_ID, ...ids(made)]);
    const pages = gets(e);
    expect(pages.length).toBeGreaterThanOrEqual(4);
    expect(pages.length).toBeLessThanOrEqual(5);
    for (const p of pages.slice(1)) {
      const q = new URLSearchParams(p.query);
      expect(q.get('after')).toBeTruthy();
      expect(q.get('limit')).toBe('1');
    }
  });

  test('limit=2 over 5 users is 3 pages (2, 2, 1) with no next link on the last; limit=2 over 4 users gives exactly 4', async () => {
    await hire(4);
    const seen = await collect(await e.client.userApi.listUsers({ limit: 2 }));
    expect(seen).toHaveLength(5);
    expect(new Set(ids(seen)).size).toBe(5);
    expect(gets(e)).toHaveLength(3);

    // follow the Link headers by hand
    let next: string | null = `${e.baseUrl}/api/v1/users?limit=2`;
    const sizes: number[] = [];
    while (next) {
      const res: Response = await e.fetch(next.slice(e.baseUrl.length));
      expect(res.status).toBe(200);
      sizes.push((await res.json()).length);
      const link = res.headers.get('link') ?? '';
      expect(link).toMatch(/rel="self"/);
      next = /<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null;
      if (next) expect(new URL(next).searchParams.get('after')).toBeTruthy();
    }
    expect(sizes).toEqual([2, 2, 1]);

    await e.client.userApi.deleteUser({ userId: 'pag3@example.com' });
    const four = await collect(await e.client.userApi.listUsers({ limit: 2 }));
    expect(four).toHaveLength(4); // the DEPROVISIONED one is not in the plain list
  });

  test('filter and search page too: status eq "STAGED" with limit 2 over 3 staged users', async () => {
    const made = await hire(3);
    expect(ids(await collect(await e.client.userApi.listUsers({ filter: 'status eq "STAGED"', limit: 2 })))).toEqual(ids(made));
    expect(ids(await collect(await e.client.userApi.listUsers({ search: 'profile.lastName eq "Ing"', limit: 1 })))).toEqual(ids(made));
  });

  test('an each() over limit=2 stops at false; a manual after= from the first page\'s next link starts past it', async () => {
    const made = await hire(3);
    const first = await e.fetch('/api/v1/users?limit=2');
    const next = /<([^>]+)>;\s*rel="next"/.exec(first.headers.get('link')!)![1];
    const after = new URL(next).searchParams.get('after')!;
    const rest = await collect(await e.client.userApi.listUsers({ limit: 2, after }));
    expect(ids(rest)).toEqual(ids(made.slice(1)));
  });
});

describeDefault('Filter, search and q', (e) => {
  async function staff() {
    const ada = await e.client.userApi.createUser({ body: { profile: person('Ada Lovelace', { department: 'Engineering', title: 'Engineer' }), credentials: { password: { value: PASSWORD } } } });
    const alan = await e.client.userApi.createUser({ body: { profile: person('Alan Turing', { department: 'Engineering' }) }, activate: false });
    const grace = await e.client.userApi.createUser({ body: { profile: person('Grace Hopper', { department: 'Navy' }), credentials: { password: { value: PASSWORD } } } });
    return { ada, alan, grace };
  }
  const find = async (e: OktaTarget, params: Record<string, unknown>) => ids(await collect(await e.client.userApi.listUsers(params as any))).sort();

  test('filter: status eq, profile.login eq, profile.lastName eq, and-combinations, lastUpdated gt', async () => {
    const { ada, alan, grace } = await staff();
    expect(await find(e, { filter: 'status eq "STAGED"' })).toEqual([alan.id]);
    expect(await find(e, { filter: 'status eq "ACTIVE"' })).toEqual([ADMIN_ID, ada.id, grace.id].sort());
    expect(await find(e, { filter: 'profile.login eq "grace.hopper@example.com"' })).toEqual([grace.id]);
    expect(await find(e, { filter: 'profile.lastName eq "Turing"' })).toEqual([alan.id]);
    expect(await find(e, { filter: 'status eq "ACTIVE" and profile.firstName eq "Ada"' })).toEqual([ada.id]);
    expect(await find(e, { filter: 'status eq "STAGED" or profile.firstName eq "Grace"' })).toEqual([alan.id, grace.id].sort());
    expect(await find(e, { filter: 'lastUpdated gt "2000-01-01T00:00:00.000Z"' })).toEqual([ADMIN_ID, ada.id, alan.id, grace.id].sort());
  });

  test('search: any profile property, sw, and/or, status', async () => {
    const { ada, alan, grace } = await staff();
    expect(await find(e, { search: 'profile.department eq "Engineering"' })).toEqual([ada.id, alan.id].sort());
    expect(await find(e, { search: 'profile.department eq "Engineering" and status eq "ACTIVE"' })).toEqual([ada.id]);
    expect(await find(e, { search: 'profile.firstName sw "A"' })).toEqual([ADMIN_ID, ada.id, alan.id].sort());
    expect(await find(e, { search: 'profile.title eq "Engineer" or profile.department eq "Navy"' })).toEqual([ada.id, grace.id].sort());
    expect(await find(e, { search: 'profile.email sw "grace"' })).toEqual([grace.id]);
  });

  test('q: prefix of firstName, lastName or email; case-insensitive', async () => {
    const { ada, alan, grace } = await staff();
    expect(await find(e, { q: 'al' })).toEqual([alan.id]);
    expect(await find(e, { q: 'a' })).toEqual([ADMIN_ID, ada.id, alan.id].sort());
    expect(await find(e, { q: 'HOP' })).toEqual([grace.id]);
    expect(await find(e, { q: 'grace.hopper@' })).toEqual([grace.id]);
    expect(await find(e, { q: 'zzz' })).toEqual([]);
  });

  test('an invalid filter or search expression is a 400 Okta error, not a 500', async () => {
    for (const params of [{ filter: 'status eq' }, { search: 'profile.firstName zz "A"' }, { filter: 'nonsense' }]) {
      const err = await sdkError(collect(await e.client.userApi.listUsers(params)));
      expect(err.status).toBe(400);
      expect(err.errorCode).toMatch(/^E00000(01|31)$/);
    }
  });
});

describeDefault('Update: partial (POST) and full replace (PUT) through the SDK', (e) => {
  test('updateUser keeps what it does not name; replaceUser drops it; both show on the next (cached) getUser', async () => {
    const u = await e.client.userApi.createUser({ body: { profile: person('Up Date', { nickName: 'Upsy', title: 'Boss' }), credentials: { password: { value: PASSWORD } } } });
    await e.client.userApi.getUser({ userId: u.id! }); // cache it
    await e.client.userApi.updateUser({ userId: u.id!, user: { profile: { title: 'Chief' } } });
    const partial = await e.client.userApi.getUser({ userId: u.id! });
    expect(partial.profile).toMatchObject({ firstName: 'Up', lastName: 'Date', nickName: 'Upsy', title: 'Chief' });
    await e.client.userApi.replaceUser({ userId: u.id!, user: { profile: { firstName: 'Up', lastName: 'Dated', email: 'up.date@example.com', login: 'up.date@example.com' } } });
    const full = await e.client.userApi.getUser({ userId: u.id! });
    expect(full.profile?.lastName).toBe('Dated');
    expect(full.profile?.nickName ?? null).toBeNull();
    expect(full.profile?.title ?? null).toBeNull();
    expect(full.status).toBe('ACTIVE');
    expect(full.lastUpdated!.getTime()).toBeGreaterThanOrEqual(u.lastUpdated!.getTime());
  });

  test('a PUT that leaves out a required property (email) is 400 E0000001 and changes nothing', async () => {
    const u = await e.client.userApi.createUser({ body: { profile: person('Req Uired') }, activate: false });
    const err = await sdkError(e.client.userApi.replaceUser({ userId: u.id!, user: { profile: { firstName: 'Req', lastName: 'Uired', login: 'req.uired@example.com' } as any } }));
    expect(err).toMatchObject({ status: 400, errorCode: 'E0000001' });
    expect(err.causes.some((c) => c.startsWith('email'))).toBe(true);
    const raw = await (await e.fetch(`/api/v1/users/${u.id}`)).json();
    expect(raw.profile.email).toBe('req.uired@example.com');
  });

  test('updateUser of the seeded admin (users/me) changes its profile; reset brings Admin Twin back', async () => {
    await e.client.userApi.updateUser({ userId: ADMIN_ID, user: { profile: { nickName: 'boss' } } });
    expect((await (await e.fetch('/api/v1/users/me')).json()).profile.nickName).toBe('boss');
    e.twin.reset();
    const me = await (await e.fetch('/api/v1/users/me')).json();
    expect(me.profile).toMatchObject({ firstName: 'Admin', lastName: 'Twin' });
    expect(me.profile.nickName ?? null).toBeNull();
  });
});

describeDefault('Validation errors on create (E0000001 with errorCauses) and malformed bodies', (e) => {
  test('a password that misses the default policy is 400 E0000001 with a password cause; nothing is created', async () => {
    for (const value of ['short1A', 'alllowercase1', 'NoDigitsHere', 'xPerson1234x']) {
      const login = value === 'xPerson1234x' ? 'policy.person@example.com' : `p${value.length}@example.com`;
      const err = await sdkError(e.client.userApi.createUser({ body: { profile: { firstName: 'Pol', lastName: 'Icy', email: login, login }, credentials: { password: { value } } } }));
      expect({ value, status: err.status, code: err.errorCode }).toEqual({ value, status: 400, code: 'E0000001' });
      expect(err.causes.some((c) => c.startsWith('password: Password requirements were not met'))).toBe(true);
    }
    expect((await collect(await e.client.userApi.listUsers())).map((u) => u.id)).toEqual([ADMIN_ID]);
  });

  test('a profile without email, or with a malformed email, is 400 E0000001 naming email', async () => {
    const missing = await sdkError(e.client.userApi.createUser({ body: { profile: { firstName: 'No', lastName: 'Mail', login: 'no.mail@example.com' } as any }, activate: false }));
    expect(missing).toMatchObject({ status: 400, errorCode: 'E0000001' });
    expect(missing.causes.some((c) => c.startsWith('email:'))).toBe(true);
    const bad = await sdkError(e.client.userApi.createUser({ body: { profile: { firstName: 'Bad', lastName: 'Mail', email: 'not-an-email', login: 'bad.mail@example.com' } }, activate: false }));
    expect(bad).toMatchObject({ status: 400, errorCode: 'E0000001' });
    expect(bad.causes.some((c) => c.startsWith('email:'))).toBe(true);
  });

  test('a body that is not JSON is 400 E0000003', async () => {
    const res = await e.fetch('/api/v1/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"profile": ' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errorCode: 'E0000003', errorLink: 'E0000003', errorCauses: [] });
  });

  test('activateUser without sendEmail (default true) answers {} and the user is PROVISIONED; reset_password with sendEmail=true answers {}', async () => {
    const u = await e.client.userApi.createUser({ body: { profile: person('Def Ault') }, activate: false });
    const res = await e.fetch(`/api/v1/users/${u.id}/lifecycle/activate`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect((await e.client.userApi.getUser({ userId: u.id! })).status).toBe('PROVISIONED');
    const a = await e.client.userApi.createUser({ body: { profile: person('Res Et'), credentials: { password: { value: PASSWORD } } } });
    const reset = await e.fetch(`/api/v1/users/${a.id}/lifecycle/reset_password?sendEmail=true`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(await reset.json()).toEqual({});
    expect((await e.client.userApi.getUser({ userId: a.id! })).status).toBe('RECOVERY');
  });

  test('a fresh org\'s list is one page: a self link and no next link', async () => {
    const res = await e.fetch('/api/v1/users');
    expect(res.status).toBe(200);
    expect((await res.json()).map((u: any) => u.id)).toEqual([ADMIN_ID]);
    const link = res.headers.get('link') ?? '';
    expect(link).toMatch(/rel="self"/);
    expect(link).not.toMatch(/rel="next"/);
  });
});

describeDefault('search with sortBy / sortOrder ([spec] listUsers, listGroups "sortBy ... for search queries only")', (e) => {
  test('users: search status eq "STAGED" sorted by profile.firstName desc, then asc; paging keeps the order', async () => {
    for (const name of ['Bea Sort', 'Cid Sort', 'Abe Sort']) await e.client.userApi.createUser({ body: { profile: person(name) }, activate: false });
    const names = async (sortOrder: string, limit?: number) =>
      (await collect(await e.client.userApi.listUsers({ search: 'status eq "STAGED"', sortBy: 'profile.firstName', sortOrder, ...(limit ? { limit } : {}) }))).map((u) => u.profile?.firstName);
    expect(await names('desc')).toEqual(['Cid', 'Bea', 'Abe']);
    expect(await names('asc')).toEqual(['Abe', 'Bea', 'Cid']);
    expect(await names('desc', 1)).toEqual(['Cid', 'Bea', 'Abe']);
  });

  test('groups: search type eq "OKTA_GROUP" sorted by profile.name desc', async () => {
    for (const name of ['Beta', 'Gamma', 'Alpha']) await e.client.groupApi.createGroup({ group: { profile: { name } } });
    const names = (await collect(await e.client.groupApi.listGroups({ search: 'type eq "OKTA_GROUP"', sortBy: 'profile.name', sortOrder: 'desc' }))).map((g) => g.profile?.name);
    expect(names).toEqual(['Gamma', 'Beta', 'Alpha']);
  });
});
