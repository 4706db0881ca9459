/**
 * Group search, filter and expand through the official SDK. Sources:
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml (listGroups)
 *  - [groups-doc] okta-developer-docs reference/api/groups (search on type, profile.*, lastUpdated; expand=stats)
 */
import { expect, test } from 'vitest';
import { bookmark, collect, describeOkta, people } from '../../support/okta.js';

const EVERYONE = '00geveryonetwin00001';

describeOkta('Group search, filter and expand', (t) => {
  test('search: profile.name sw "Eng", type eq "OKTA_GROUP", lastUpdated gt an instant, and or-combined ids', async () => {
    const eng: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'Engineering', description: 'Builders' } } });
    const engOps: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'Eng Ops', description: 'Runners' } } });
    const sales: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'Sales', description: 'Engaging people' } } });
    const ids = async (params: Record<string, unknown>) => (await collect(await t.client.groupApi.listGroups(params as any))).map((g) => g.id).sort();

    expect(await ids({ search: 'profile.name sw "Eng"' })).toEqual([eng.id, engOps.id].sort());
    expect(await ids({ search: 'type eq "OKTA_GROUP"' })).toEqual([eng.id, engOps.id, sales.id].sort());
    expect(await ids({ search: 'type eq "BUILT_IN"' })).toEqual([EVERYONE]);
    expect(await ids({ search: 'profile.description co "Engag"' })).toEqual([sales.id]);
    expect(await ids({ search: `id eq "${eng.id}" or id eq "${sales.id}"` })).toEqual([eng.id, sales.id].sort());

    await t.control.advanceClock(60_000);
    const mark = (await t.control.now()).toISOString();
    await t.control.advanceClock(1_000);
    await t.client.groupApi.replaceGroup({ groupId: sales.id, group: { profile: { name: 'Sales', description: 'Closers' } } });
    expect(await ids({ search: `lastUpdated gt "${mark}"` })).toEqual([sales.id]);
    expect(await ids({ filter: `lastUpdated gt "${mark}"` })).toEqual([sales.id]);
    expect(await ids({ search: 'profile.name sw "Eng" and type eq "OKTA_GROUP"' })).toEqual([eng.id, engOps.id].sort());
  });

  test('expand=stats embeds usersCount and appsCount on list and get', async () => {
    const group: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'Counted' } } });
    const [a, b] = await people(t, 2);
    await t.client.groupApi.assignUserToGroup({ groupId: group.id, userId: a.id });
    await t.client.groupApi.assignUserToGroup({ groupId: group.id, userId: b.id });
    const app = await bookmark(t, 'Counted app');
    await t.client.applicationApi.assignGroupToApplication({ appId: app.id, groupId: group.id, applicationGroupAssignment: {} });
    const raw = await (await t.fetch(`/api/v1/groups?expand=stats&search=${encodeURIComponent(`id eq "${group.id}"`)}`)).json();
    expect(raw[0]._embedded.stats).toMatchObject({ usersCount: 2, appsCount: 1 });
    const one = await (await t.fetch(`/api/v1/groups/${group.id}?expand=stats`)).json();
    expect(one._embedded.stats).toMatchObject({ usersCount: 2, appsCount: 1 });
    const listed: any[] = await collect(await t.client.groupApi.listGroups({ q: 'Counted', expand: 'stats' }));
    expect(listed[0]._embedded.stats.usersCount).toBe(2);
  });
});
