import { expect, test } from 'vitest';
import { beginTransaction } from './transaction.js';

const seed = () => ({ users: { a: { id: 'a', profile: { name: 'A' }, tags: ['x'] }, b: { id: 'b', profile: { name: 'B' }, tags: [] as string[] } }, count: 2 });

test('a rollback puts back every write, deletion and push, keys in their old order', () => {
  const state = seed();
  const before = JSON.stringify(state);
  const tx = beginTransaction(state);
  tx.state.users.a.profile.name = 'changed';
  tx.state.users.a.tags.push('y');
  delete (tx.state.users as Record<string, unknown>).a;
  (tx.state.users as Record<string, unknown>).c = { id: 'c', profile: { name: 'C' }, tags: [] };
  tx.state.count = 3;
  tx.rollback();
  expect(JSON.stringify(state)).toBe(before);
});

test('changes lists the final value at each path written, deeper writes folded into the shallowest', () => {
  const state = seed();
  const tx = beginTransaction(state);
  tx.state.users.b.profile.name = 'Bee';
  tx.state.users.a.tags.push('y');
  (tx.state.users as Record<string, unknown>).c = { id: 'c', profile: { name: 'C' }, tags: [] };
  (tx.state.users as Record<string, any>).c.profile.name = 'Cee';
  delete (tx.state as Record<string, unknown>).count;
  expect(tx.changes()).toEqual([
    { path: ['users', 'b', 'profile', 'name'], value: 'Bee' },
    { path: ['users', 'a', 'tags', 'length'], value: 2 },
    { path: ['users', 'a', 'tags', '1'], value: 'y' },
    { path: ['users', 'c'], value: { id: 'c', profile: { name: 'Cee' }, tags: [] } },
    { path: ['count'], deleted: true },
  ]);
});

test('a value written that holds views of the state is stored as plain data, which structuredClone copies', () => {
  const state = seed();
  const tx = beginTransaction(state);
  const a = tx.state.users.a;
  (tx.state.users as Record<string, unknown>).copy = { ...a, profile: a.profile };
  tx.close();
  expect(structuredClone(state).users).toMatchObject({ copy: { id: 'a', profile: { name: 'A' } } });
  expect((state.users as Record<string, any>).copy.profile).toBe(state.users.a.profile);
});

test('after close, the view reads and writes the live state untracked', () => {
  const state = seed();
  const tx = beginTransaction(state);
  const users = tx.state.users;
  tx.close();
  users.a.profile.name = 'late';
  expect(state.users.a.profile.name).toBe('late');
  expect(tx.changes()).toEqual([]);
});

test('a whole-record collection hands out its records as they are, copied once for rollback and saved whole', () => {
  const state = seed();
  const before = JSON.stringify(state);
  const tx = beginTransaction(state, { wholeRecords: ['users'] });
  const a = tx.state.users.a;
  expect(a).toBe(state.users.a);
  a.profile.name = 'edited in place';
  a.tags.push('y');
  expect(tx.changes()).toEqual([{ path: ['users', 'a'], value: { id: 'a', profile: { name: 'edited in place' }, tags: ['x', 'y'] } }]);
  tx.rollback();
  expect(JSON.stringify(state)).toBe(before);
});
