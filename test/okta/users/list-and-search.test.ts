/**
 * Users API: listing users (paging with limit and the next link, q, filter, search, sortBy and sortOrder), through the
 * SDK collection and raw requests. Sources:
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml (listUsers parameters)
 *  - [design] developer.okta.com/docs/reference/core-okta-api/ (okta-developer-docs .../reference/core-okta-api/index.md)
 *  - [sdk] node_modules/@okta/okta-sdk-nodejs README.md and src/
 * Blocks declared with `describeDefault` run against a DEFAULT twin (`createOktaTwin()`: system clock, not strict) and
 * the official SDK with its DEFAULT options (response cache on), over both the HTTP server and MSW.
 */
import { expect, test } from 'vitest';
import { collect, describeDefault, describeOkta, person, sdkError, type OktaTarget } from '../../support/okta.js';

const ADMIN_ID = '00uadmintwin00000001';

async function journal(t: OktaTarget, method: string, path: string) {
  return (await t.control.requests).filter((r) => r.method === method && r.path === path);
}

const PASSWORD = 'Str0ng-Passw0rd!x';

const ids = <T extends { id?: string }>(items: T[]) => items.map((i) => i.id);

describeOkta('Okta users: list, q, filter and search', (t) => {
  async function seedPeople(): Promise<Record<string, string>> {
    const ids: Record<string, string> = {};
    const people = [
      ['Isaac Brock', 'ACTIVE'],
      ['Eric Judy', 'ACTIVE'],
      ['Jeremiah Green', 'STAGED'],
      ['Judy Garland', 'SUSPENDED'],
      ['Tom Peloso', 'DEPROVISIONED'],
    ];
    for (const [name, status] of people) {
      await t.control.advanceClock(1000);
      const user = await t.client.userApi.createUser({ body: { profile: person(name, { department: name === 'Isaac Brock' ? 'Engineering' : 'Sales' }), credentials: { password: { value: 'Zq8mpvwx' } } }, activate: status !== 'STAGED' });
      if (status === 'SUSPENDED') await t.client.userApi.suspendUser({ userId: user.id! });
      if (status === 'DEPROVISIONED') await t.client.userApi.deactivateUser({ userId: user.id! });
      ids[name] = user.id!;
    }
    return ids;
  }

  async function collect(collection: AsyncIterable<any>): Promise<any[]> {
    const out = [];
    for await (const item of collection) out.push(item);
    return out;
  }

  async function listed(query: string): Promise<{ status: number; body: any; link: string | null }> {
    const response = await t.fetch(`/api/v1/users?${query}`);
    return { status: response.status, body: await response.json(), link: response.headers.get('link') };
  }

  test('the SDK pages through every user, three pages of two, following the next links', async () => {
    await seedPeople();
    const users = await collect(await t.client.userApi.listUsers({ limit: 2 }));
    expect(users.map((u) => u.profile.login)).toEqual(['admin@twin.test', 'isaac.brock@example.com', 'eric.judy@example.com', 'jeremiah.green@example.com', 'judy.garland@example.com']);
    const pages = (await t.control.requests).filter((r) => r.operationId === 'listUsers');
    expect(pages).toHaveLength(3);
    expect(pages[1].query).toContain('after=');
  });

  test('the Link header has self and, until the last page, next on the twin\'s own base URL', async () => {
    await seedPeople();
    const first = await listed('limit=2');
    expect(first.link).toContain(`<${t.baseUrl}/api/v1/users?limit=2>; rel="self"`);
    const next = /<([^>]+)>; rel="next"/.exec(first.link!)![1];
    expect(next).toBe(`${t.baseUrl}/api/v1/users?limit=2&after=${first.body[1].id}`);
    const last = await listed(`limit=2&after=${first.body[1].id}`);
    expect(last.body).toHaveLength(2);
    const end = await listed(`limit=2&after=${last.body[1].id}`);
    expect(end.body).toHaveLength(1);
    expect(end.link).not.toContain('rel="next"');
  });

  test('list items carry only the self link', async () => {
    const { body } = await listed('');
    expect(body[0]._links).toEqual({ self: { href: `${t.baseUrl}/api/v1/users/${ADMIN_ID}` } });
  });

  test('a plain list omits DEPROVISIONED users; a filter or a search includes them', async () => {
    const ids = await seedPeople();
    const plain = await collect(await t.client.userApi.listUsers({}));
    expect(plain.map((u) => u.id)).not.toContain(ids['Tom Peloso']);
    const filtered = await collect(await t.client.userApi.listUsers({ filter: 'status eq "DEPROVISIONED"' }));
    expect(filtered.map((u) => u.id)).toEqual([ids['Tom Peloso']]);
    const searched = await collect(await t.client.userApi.listUsers({ search: 'status eq "DEPROVISIONED"' }));
    expect(searched.map((u) => u.id)).toEqual([ids['Tom Peloso']]);
  });

  test('q matches a prefix of first name, last name or email, and skips DEPROVISIONED users', async () => {
    const ids = await seedPeople();
    const judy = await collect(await t.client.userApi.listUsers({ q: 'jud' }));
    expect(judy.map((u) => u.id).sort()).toEqual([ids['Eric Judy'], ids['Judy Garland']].sort());
    const tom = await collect(await t.client.userApi.listUsers({ q: 'tom' }));
    expect(tom).toEqual([]);
  });

  test('q returns one page of 10 by default and never a next link', async () => {
    for (let i = 0; i < 12; i++) await t.client.userApi.createUser({ body: { profile: { ...person('Sam Smith'), login: `sam${i}@example.com`, email: `sam${i}@example.com` } }, activate: false });
    const page = await listed('q=sam');
    expect(page.body).toHaveLength(10);
    expect(page.link).not.toContain('rel="next"');
    expect((await listed('q=sam&limit=3')).body).toHaveLength(3);
  });

  test('filter supports eq on its seven properties, lastUpdated ranges, and and/or with parentheses', async () => {
    const ids = await seedPeople();
    const byLogin = await listed(`filter=${encodeURIComponent('profile.login eq "eric.judy@example.com"')}`);
    expect(byLogin.body.map((u: any) => u.id)).toEqual([ids['Eric Judy']]);
    const since = await listed(`filter=${encodeURIComponent('lastUpdated gt "2026-01-01T00:00:03.000Z" and (status eq "SUSPENDED" or status eq "ACTIVE")')}`);
    expect(since.body.map((u: any) => u.id)).toEqual([ids['Judy Garland']]);
    const either = await listed(`filter=${encodeURIComponent('id eq "' + ids['Isaac Brock'] + '" or profile.lastName eq "Green"')}`);
    expect(either.body.map((u: any) => u.id)).toEqual([ids['Isaac Brock'], ids['Jeremiah Green']]);
  });

  test('filter values are case-sensitive', async () => {
    await seedPeople();
    expect((await listed(`filter=${encodeURIComponent('profile.firstName eq "isaac"')}`)).body).toEqual([]);
    expect((await listed(`filter=${encodeURIComponent('status eq "active"')}`)).body).toEqual([]);
  });

  test('a filter on an unsupported property or operator is E0000031 Invalid search criteria', async () => {
    for (const filter of ['profile.department eq "Sales"', 'status sw "ACT"', 'id gt "00u"', 'profile.login pr']) {
      const response = await listed(`filter=${encodeURIComponent(filter)}`);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ errorCode: 'E0000031', errorSummary: 'Invalid search criteria.', errorCauses: [] });
    }
  });

  test('a malformed filter or search is E0000031 with the cause "Invalid search syntax."', async () => {
    for (const query of ['filter=status eq', 'filter=(status eq "ACTIVE"', 'search=profile.login eq "unterminated', 'search=', 'search=status eq "ACTIVE" and']) {
      const response = await listed(query.replace(/ /g, '%20').replace(/"/g, '%22'));
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ errorCode: 'E0000031', errorCauses: [{ errorSummary: 'Invalid search syntax.' }] });
    }
  });

  test('search matches case-insensitively with eq, sw, co, pr and the inequalities', async () => {
    const ids = await seedPeople();
    const search = async (expression: string) => (await collect(await t.client.userApi.listUsers({ search: expression }))).map((u) => u.id);
    expect(await search('profile.department eq "engineering"')).toEqual([ids['Isaac Brock']]);
    expect(await search('profile.lastName sw "GAR" or profile.firstName co "remi"')).toEqual([ids['Jeremiah Green'], ids['Judy Garland']]);
    expect(await search('profile.department pr and status eq "STAGED"')).toEqual([ids['Jeremiah Green']]);
    expect(await search('created lt "2026-01-01T00:00:02.500Z"')).toEqual([ADMIN_ID, ids['Isaac Brock'], ids['Eric Judy']]);
    expect(await search('(status lt "STAGED" or status gt "STAGED") and profile.department eq "Sales"')).toEqual([ids['Eric Judy'], ids['Judy Garland'], ids['Tom Peloso']]);
  });

  test('search refuses ne, unknown top-level properties and co outside the name and email properties', async () => {
    for (const expression of ['status ne "ACTIVE"', 'foo eq "bar"', 'profile.department co "Eng"']) {
      const response = await listed(`search=${encodeURIComponent(expression)}`);
      expect(response.status).toBe(400);
      expect(response.body.errorCode).toBe('E0000031');
    }
  });

  test('search results sort by sortBy and sortOrder, and page with limit', async () => {
    await seedPeople();
    const names = async (params: Record<string, unknown>) => (await collect(await t.client.userApi.listUsers({ search: 'status pr', ...params }))).map((u) => u.profile.lastName);
    expect(await names({ sortBy: 'profile.lastName' })).toEqual(['Brock', 'Garland', 'Green', 'Judy', 'Peloso', 'Twin']);
    expect(await names({ sortBy: 'profile.lastName', sortOrder: 'desc', limit: 4 })).toEqual(['Twin', 'Peloso', 'Judy', 'Green', 'Garland', 'Brock']);
  });

  test('limit must be a positive integer and is capped at 200', async () => {
    expect((await listed('limit=abc')).body.errorCode).toBe('E0000001');
    expect((await listed('limit=0')).status).toBe(400);
    const capped = await listed('limit=500');
    expect(capped.status).toBe(200);
    expect(capped.link).toContain('limit=500>; rel="self"');
  });

  test('sortOrder other than asc or desc is E0000001', async () => {
    const response = await listed('search=status%20pr&sortBy=id&sortOrder=sideways');
    expect(response.status).toBe(400);
    expect(response.body.errorCode).toBe('E0000001');
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

    const pages = await journal(t, 'GET', '/api/v1/users');
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
    expect(await journal(t, 'GET', '/api/v1/users')).toHaveLength(1);
  });

  test('a people picker uses q: prefix of first name, last name or email, 10 results by default, no next link', async () => {
    await hire(15);
    const picked = await collect(await t.client.userApi.listUsers({ q: 'emp' }));
    // [spec listUsers `limit`]: "Defaults to 10 if q is provided"; `q` "doesn't support pagination".
    expect(picked).toHaveLength(10);
    expect(await journal(t, 'GET', '/api/v1/users')).toHaveLength(1);
    const byLast = await collect(await t.client.userApi.listUsers({ q: 'Loy', limit: 50 }));
    expect(byLast).toHaveLength(15);
    const byEmail = await collect(await t.client.userApi.listUsers({ q: 'emp014@' }));
    expect(byEmail.map((u) => u.profile?.login)).toEqual(['emp014@example.com']);
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
  const gets = async (e: OktaTarget) => (await e.control.requests).filter((r) => r.method === 'GET' && r.path === '/api/v1/users');

  test('limit=1 over 4 users (admin + 3) visits exactly 4 users once each, each page after the first carrying after=', async () => {
    const made = await hire(3);
    const seen = await collect(await e.client.userApi.listUsers({ limit: 1 }));
    expect(ids(seen)).toEqual([ADMIN_ID, ...ids(made)]);
    const pages = await gets(e);
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
    expect(await gets(e)).toHaveLength(3);

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
