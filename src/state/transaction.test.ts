import { expect, test } from 'vitest';
import { beginTransaction, type StateChange } from './transaction.js';

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

/** Applies changes as the data file's log does: set or delete at each path. */
function replay(state: Record<string, unknown>, changes: StateChange[]): void {
  for (const { path, value, deleted } of changes) {
    let node = state as Record<string, any>;
    for (const part of path.slice(0, -1)) node = node[part];
    if (deleted) delete node[path[path.length - 1]];
    else node[path[path.length - 1]] = structuredClone(value);
  }
}

const documents = () => ({
  docs: {
    d: { title: 'T', body: { blocks: [{ text: 'a' }, { text: 'b' }, { text: 'c' }, { text: 'd' }] }, style: { a: 1, b: 2 }, revisions: ['r1'], meta: { x: 1, y: 2 } },
  } as Record<string, any>,
  count: 1,
});

test('a whole record is handed out as it is, frozen: a change in place throws and leaves it as it was', () => {
  const state = documents();
  const before = JSON.stringify(state);
  const tx = beginTransaction(state, { wholeRecords: ['docs'] });
  const d = tx.state.docs.d;
  expect(d).toBe(state.docs.d);
  expect(() => {
    d.body.blocks[0].text = 'changed in place';
  }).toThrow(TypeError);
  expect(() => d.revisions.push('r2')).toThrow(TypeError);
  tx.rollback();
  expect(JSON.stringify(state)).toBe(before);
});

test('a rollback puts back the old record by reference, and the replacement is frozen when the transaction closes', () => {
  const state = documents();
  const old = state.docs.d;
  const tx = beginTransaction(state, { wholeRecords: ['docs'] });
  const d = tx.state.docs.d;
  const next = { ...d, title: 'U' };
  tx.state.docs.d = next;
  // Until the handler is done, the record it built may still be changed.
  next.revisions = [...d.revisions, 'r2'];
  tx.state.docs.e = { title: 'E' };
  tx.close();
  expect(Object.isFrozen(state.docs.d) && Object.isFrozen(state.docs.e)).toBe(true);
  expect(state.docs.d.revisions).toEqual(['r1', 'r2']);
  tx.rollback();
  expect(state.docs.d).toBe(old);
  expect(Object.keys(state.docs)).toEqual(['d']);
});

test('changes of a whole record list what differs from the old version, skipping what the two share', () => {
  const state = documents();
  const before = structuredClone(state);
  const tx = beginTransaction(state, { wholeRecords: ['docs'] });
  const d = tx.state.docs.d;
  const blocks = [...d.body.blocks];
  blocks[2] = { text: 'C' };
  tx.state.docs.d = { ...d, body: { blocks }, style: { ...d.style, c: 3 }, revisions: [...d.revisions, 'r2'] };
  tx.state.docs.e = { title: 'E' };
  tx.state.count = 2;
  tx.close();
  const changes = tx.changes();
  expect(changes).toEqual([
    { path: ['docs', 'd', 'body', 'blocks', '2', 'text'], value: 'C' },
    { path: ['docs', 'd', 'style', 'c'], value: 3 },
    { path: ['docs', 'd', 'revisions'], value: ['r1', 'r2'] },
    { path: ['docs', 'e'], value: { title: 'E' } },
    { path: ['count'], value: 2 },
  ]);
  // The values listed are the frozen record's own parts: no copy was made.
  expect(changes[2].value).toBe(state.docs.d.revisions);
  expect(changes[3].value).toBe(state.docs.e);
  replay(before, changes);
  expect(JSON.stringify(before)).toBe(JSON.stringify(state));
});

test('a whole record whose keys moved, or an array mostly changed, is listed whole, so that a replay keeps the order', () => {
  const state = documents();
  const before = structuredClone(state);
  const tx = beginTransaction(state, { wholeRecords: ['docs'] });
  const d = tx.state.docs.d;
  const { x, ...rest } = d.meta;
  tx.state.docs.d = { ...d, style: { z: 0, ...d.style }, meta: { ...rest, x }, body: { blocks: d.body.blocks.map((b: { text: string }) => ({ text: b.text + '!' })) } };
  tx.close();
  const changes = tx.changes();
  expect(changes.map((c) => c.path.join('.'))).toEqual(['docs.d.body.blocks', 'docs.d.style', 'docs.d.meta']);
  replay(before, changes);
  expect(JSON.stringify(before)).toBe(JSON.stringify(state));
});

test('a whole record deleted is listed as deleted, and a rollback brings it back', () => {
  const state = documents();
  const before = JSON.stringify(state);
  const tx = beginTransaction(state, { wholeRecords: ['docs'] });
  delete tx.state.docs.d;
  expect(tx.changes()).toEqual([{ path: ['docs', 'd'], deleted: true }]);
  tx.rollback();
  expect(JSON.stringify(state)).toBe(before);
});
