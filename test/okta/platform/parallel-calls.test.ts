import { expect, test } from 'vitest';
import { collect, describeOkta, type OktaTarget } from '../../support/okta.js';

const PASSWORD = 'Plenty-0f-Entropy';

function create(t: OktaTarget, profile: Record<string, any>, activate = true) {
  return t.client.userApi.createUser({ body: { profile: profile as any, credentials: { password: { value: PASSWORD } } }, activate });
}

describeOkta('Many parallel SDK calls', (t) => {
  test('40 parallel creates all succeed with distinct ids and all are listed', async () => {
    const created = await Promise.all(
      Array.from({ length: 40 }, (_, i) => create(t, { firstName: `Par${i}`, lastName: 'Allel', email: `par${i}@example.com`, login: `par${i}@example.com` })),
    );
    expect(new Set(created.map((u) => u.id)).size).toBe(40);
    expect(created.every((u) => u.status === 'ACTIVE')).toBe(true);
    const listed = await collect(await t.client.userApi.listUsers({ search: 'profile.lastName eq "Allel"', limit: 7 }));
    expect(listed).toHaveLength(40);
    const everyone = await collect(await t.client.groupApi.listGroupUsers({ groupId: '00geveryonetwin00001' }));
    expect(everyone).toHaveLength(41);
  });

  test('ten parallel creates of one login: exactly one wins, the rest are E0000001', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => create(t, { firstName: 'Same', lastName: 'Login', email: 'same@example.com', login: 'same@example.com' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.map((r) => [r.reason.status, r.reason.errorCode])).toEqual(Array(9).fill([400, 'E0000001']));
  });

  test('parallel group creates with one name: one group; parallel member adds: every member once', async () => {
    const groups = await Promise.allSettled(Array.from({ length: 5 }, () => t.client.groupApi.createGroup({ group: { profile: { name: 'Racers' } } })));
    const made = groups.filter((r): r is PromiseFulfilledResult<any> => r.status === 'fulfilled');
    expect(made).toHaveLength(1);
    const groupId = made[0].value.id;
    const users = await Promise.all(Array.from({ length: 15 }, (_, i) => create(t, { firstName: `M${i}`, lastName: 'Ember', email: `m${i}@example.com`, login: `m${i}@example.com` }, false)));
    await Promise.all([...users, ...users].map((u) => t.client.groupApi.assignUserToGroup({ groupId, userId: u.id! })));
    const members = await collect(await t.client.groupApi.listGroupUsers({ groupId }));
    expect(members.map((m) => m.id).sort()).toEqual(users.map((u) => u.id).sort());
  });
});
