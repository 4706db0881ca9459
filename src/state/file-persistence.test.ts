import { appendFile, chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { openDataFile } from './file-persistence.js';
import type { TwinExport } from './store.js';

const doc = (twin: string, n: number): TwinExport => ({ twinverse: 1, twin, state: { n }, ids: { rng: 1, seq: {} } });

describe('data files', () => {
  test('a missing file starts empty; a tracked twin is saved whole, then each write appends only its changes', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'twinverse-')), 'state.json');
    const data = await openDataFile(file);
    expect(data.load('okta')).toBeUndefined();
    await data.track('okta', () => doc('okta', 1));
    expect(JSON.parse(await readFile(file, 'utf8')).twins.okta.state).toEqual({ n: 1 });
    await data.append('okta', [{ path: ['n'], value: 2 }], { rng: 2, seq: {} });
    expect(JSON.parse(await readFile(file, 'utf8')).twins.okta.state).toEqual({ n: 1 });
    expect(await readFile(`${file}.log`, 'utf8')).toBe('{"twin":"okta","changes":[{"path":["n"],"value":2}],"ids":{"rng":2,"seq":{}}}\n');
    const reopened = await openDataFile(file);
    expect(reopened.load('okta')).toEqual({ twinverse: 1, twin: 'okta', state: { n: 2 }, ids: { rng: 2, seq: {} } });
  });

  test('state saved by one run is loaded by the next, per twin, changes and deletions replayed in order', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'twinverse-')), 'state.json');
    const first = await openDataFile(file);
    await first.replace({ twinverse: 1, twin: 'okta', state: { users: { a: { id: 'a' } }, list: [1] }, ids: { rng: 1, seq: {} } });
    await first.replace(doc('jira', 2));
    await Promise.all([
      first.append('okta', [{ path: ['users', 'b'], value: { id: 'b' } }, { path: ['list', '1'], value: 2 }, { path: ['list', 'length'], value: 2 }], { rng: 3, seq: {} }),
      first.append('okta', [{ path: ['users', 'a'], deleted: true }], { rng: 4, seq: {} }),
    ]);
    const second = await openDataFile(file);
    expect(second.load('okta')).toEqual({ twinverse: 1, twin: 'okta', state: { users: { b: { id: 'b' } }, list: [1, 2] }, ids: { rng: 4, seq: {} } });
    expect(second.load('jira')?.state).toEqual({ n: 2 });
  });

  test('a log line cut short by a kill (never acknowledged) is dropped and cut from the file; a leftover temporary file is removed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'twinverse-'));
    const file = join(dir, 'state.json');
    const first = await openDataFile(file);
    await first.replace(doc('okta', 1));
    await first.append('okta', [{ path: ['n'], value: 2 }], { rng: 2, seq: {} });
    await appendFile(`${file}.log`, '{"twin":"okta","changes":[{"path":["n"],"val');
    await writeFile(join(dir, '.state.json.tmp'), 'half a snapshot');
    const second = await openDataFile(file);
    expect(second.load('okta')?.state).toEqual({ n: 2 });
    expect((await readFile(`${file}.log`, 'utf8')).endsWith('\n')).toBe(true);
    await expect(stat(join(dir, '.state.json.tmp'))).rejects.toThrow(/ENOENT/);
  });

  test('a folder that does not exist is refused at once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'twinverse-'));
    await expect(openDataFile(join(dir, 'missing', 'state.json'))).rejects.toThrow(/folder .*missing does not exist/);
  });

  test.skipIf(process.getuid?.() === 0)('a folder that is not writable is refused at once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'twinverse-'));
    await chmod(dir, 0o500);
    await expect(openDataFile(join(dir, 'state.json'))).rejects.toThrow(/not writable/);
  });

  test('a file holding null is refused and left untouched', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'twinverse-')), 'state.json');
    await writeFile(file, 'null');
    await expect(openDataFile(file)).rejects.toThrow(/not a twinverse data file/);
    expect(await readFile(file, 'utf8')).toBe('null');
  });

  test('a corrupt file is refused and left untouched', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'twinverse-')), 'state.json');
    await writeFile(file, '{"twinverse":1,"twins":{');
    await expect(openDataFile(file)).rejects.toThrow(/not valid JSON.*refusing/);
    expect(await readFile(file, 'utf8')).toBe('{"twinverse":1,"twins":{');
  });

  test('valid JSON that is not a twinverse data file is refused', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'twinverse-')), 'state.json');
    await writeFile(file, '[1,2,3]');
    await expect(openDataFile(file)).rejects.toThrow(/not a twinverse data file/);
  });

  test.skipIf(process.getuid?.() === 0)('an unreadable file is refused', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'twinverse-')), 'state.json');
    await writeFile(file, '{}');
    await chmod(file, 0o000);
    await expect(openDataFile(file)).rejects.toThrow(/refusing/);
  });

  test('a path that is a directory is refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'twinverse-'));
    await expect(openDataFile(dir)).rejects.toThrow(/refusing/);
  });
});
