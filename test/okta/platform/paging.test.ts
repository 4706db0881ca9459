/**
 * Paging with limit and after through the SDK collection, on groups, group members, apps and app users. Sources:
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml (listGroups, listGroupUsers,
 *    listApplications, listApplicationUsers)
 *  - [apps-doc] okta-developer-docs reference/api/apps (List applications: limit default 20, max 200)
 */
import okta from '@okta/okta-sdk-nodejs';
import { expect, test } from 'vitest';
import { bookmark, collect, describeOkta, people, type OktaTarget } from '../../support/okta.js';

async function requests(t: OktaTarget, path: string) {
  return (await t.control.requests).filter((r) => r.method === 'GET' && r.path === path);
}

describeOkta('Paging through the SDK collection (limit + the next link)', (t) => {
  test('groups: limit 3 over 8 groups is three requests, the later ones with after and limit from the next link', async () => {
    for (let i = 0; i < 7; i++) await t.client.groupApi.createGroup({ group: { profile: { name: `Team ${i}` } } });
    const all = await collect(await t.client.groupApi.listGroups({ limit: 3 }));
    expect(all).toHaveLength(8);
    expect(new Set(all.map((g) => g.id)).size).toBe(8);
    expect(all[0]).toBeInstanceOf(okta.Group);
    const pages = await requests(t, '/api/v1/groups');
    expect(pages).toHaveLength(3);
    for (const page of pages.slice(1)) {
      const query = new URLSearchParams(page.query);
      expect(query.get('limit')).toBe('3');
      expect(query.get('after')).toBeTruthy();
    }
  });

  test('group members: limit 2 over 5 members is three pages of User models', async () => {
    const group: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'Paged members' } } });
    const members = await people(t, 5);
    for (const m of members) await t.client.groupApi.assignUserToGroup({ groupId: group.id, userId: m.id });
    const listed = await collect(await t.client.groupApi.listGroupUsers({ groupId: group.id, limit: 2 }));
    expect(listed.map((u) => u.id).sort()).toEqual(members.map((m) => m.id).sort());
    expect(listed[0]).toBeInstanceOf(okta.User);
    expect(await requests(t, `/api/v1/groups/${group.id}/users`)).toHaveLength(3);
  });

  test('apps: limit 2 over 6 apps is three pages; without limit a page holds 20 apps and links to the next', async () => {
    for (let i = 0; i < 5; i++) await bookmark(t, `Link ${i}`);
    const all = await collect(await t.client.applicationApi.listApplications({ limit: 2 }));
    expect(all).toHaveLength(6);
    expect(new Set(all.map((a) => a.id)).size).toBe(6);
    expect(await requests(t, '/api/v1/apps')).toHaveLength(3);

    for (let i = 5; i < 25; i++) await bookmark(t, `Link ${i}`);
    // [apps-doc List applications]: limit defaults to 20.
    const first = await t.fetch('/api/v1/apps');
    expect((await first.json()).length).toBe(20);
    expect(first.headers.get('link')).toMatch(/rel="next"/);
    expect(await collect(await t.client.applicationApi.listApplications())).toHaveLength(26);
  });

  test('app users: limit 2 over 5 assignments is three pages of AppUser models', async () => {
    const app = await bookmark(t, 'Wiki');
    const members = await people(t, 5);
    for (const m of members) await t.client.applicationApi.assignUserToApplication({ appId: app.id, appUser: { id: m.id } });
    const listed = await collect(await t.client.applicationApi.listApplicationUsers({ appId: app.id, limit: 2 }));
    expect(listed.map((u) => u.id).sort()).toEqual(members.map((m) => m.id).sort());
    expect(listed[0]).toBeInstanceOf(okta.AppUser);
    expect(await requests(t, `/api/v1/apps/${app.id}/users`)).toHaveLength(3);
  });

  test('a Link header is two link-values, self and next, each an absolute URL on the twin', async () => {
    for (let i = 0; i < 3; i++) await t.client.groupApi.createGroup({ group: { profile: { name: `L${i}` } } });
    const res = await t.fetch('/api/v1/groups?limit=2');
    const link = res.headers.get('link')!;
    const values = [...link.matchAll(/<([^>]+)>;\s*rel="([a-z]+)"/g)].map(([, url, rel]) => ({ url, rel }));
    expect(values.map((v) => v.rel)).toEqual(['self', 'next']);
    expect(values[0].url).toBe(`${t.baseUrl}/api/v1/groups?limit=2`);
    const next = new URL(values[1].url);
    expect(next.origin + next.pathname).toBe(`${t.baseUrl}/api/v1/groups`);
    expect(next.searchParams.get('limit')).toBe('2');
    const last = await t.fetch(next.pathname + next.search);
    expect((await last.json()).length).toBe(2);
    expect(last.headers.get('link')).not.toMatch(/rel="next"/);
  });
});
