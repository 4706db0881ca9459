import { mkdtemp, readFile, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { openDataFile } from './file-persistence.js';
import type { TwinExport } from './store.js';

const doc = (twin: string, n: number): TwinExport => ({ twinverse: 1, twin, state: { n }, ids: { rng: 1, seq: {} } });

describe('data files', () => {
  test('a missing file starts empty and is created on the first save', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'twinverse-')), 'state.json');
    const data = await openDataFile(file);
    expect(data.load('okta')).toBeUndefined();
    await data.save(doc('okta', 1));
    expect(JSON.parse(await readFile(file, 'utf8')).twins.okta.state).toEqual({ n: 1 });
  });

  test('state saved by one run is loaded by the next, per twin', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'twinverse-')), 'state.json');
    const first = await openDataFile(file);
    await first.save(doc('okta', 1));
    await first.save(doc('jira', 2));
    const second = await openDataFile(file);
    expect(second.load('okta')?.state).toEqual({ n: 1 });
    expect(second.load('jira')?.state).toEqual({ n: 2 });
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
