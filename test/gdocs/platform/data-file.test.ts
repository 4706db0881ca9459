/**
 * Google Docs kept in a data file (`twinverse serve gdocs --data state.json`): a batchUpdate appends to the change
 * log what it changed (the paragraphs it edited and the new revision), not the document, and a twin started from the
 * file answers as the one that wrote it. A batch that cannot be saved is taken back whole.
 */
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { openDataFile } from '../../../src/state/file-persistence.js';
import { createGdocsTwin, type GdocsState, type Twin } from '../../../twins/index.js';
import { TEST_CLOCK, TOKEN } from '../../support/gdocs.js';

const BASE = 'https://docs.googleapis.com';
const HEADERS = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const TEXT = Array.from({ length: 2000 }, (_, i) => `Line ${i} of a long document 😀\n`).join('');

function client(twin: Twin<GdocsState>) {
  const send = async (method: string, path: string, body?: unknown) => {
    const res = await twin.handle({ method, url: BASE + path, headers: HEADERS, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, body: res.body === undefined ? undefined : JSON.parse(res.body) };
  };
  return {
    send,
    create: async (title: string) => (await send('POST', '/v1/documents', { title })).body.documentId as string,
    batch: (id: string, requests: unknown[]) => send('POST', `/v1/documents/${id}:batchUpdate`, { requests }),
    get: async (id: string) => (await send('GET', `/v1/documents/${id}`)).body,
  };
}

const sizeOf = async (path: string) => (await stat(path).catch(() => ({ size: 0 }))).size;

test('a batchUpdate on a long document appends only what it changed, and the next run reads every document as it was left', async () => {
  const file = join(await mkdtemp(join(tmpdir(), 'twinverse-gdocs-')), 'state.json');
  const data = await openDataFile(file);
  const twin = createGdocsTwin({ clock: TEST_CLOCK, persist: data });
  await data.track('gdocs', () => twin.exportState());
  const api = client(twin);
  const id = await api.create('Long');
  expect((await api.batch(id, [{ insertText: { location: { index: 1 }, text: TEXT } }])).status).toBe(200);

  // Ten one-letter inserts spread over the document: the log grows by a small part of the document.
  const before = await sizeOf(`${file}.log`);
  const inserts = Array.from({ length: 10 }, (_, k) => ({ insertText: { location: { index: 1 + k * 6000 }, text: 'x' } }));
  expect((await api.batch(id, inserts)).status).toBe(200);
  const line = (await sizeOf(`${file}.log`)) - before;
  expect(line).toBeGreaterThan(0);
  expect(line).toBeLessThan(Buffer.byteLength(TEXT) / 10);

  // Every kind of change, across pieces, in headers, in Drive.
  const { body: header } = await api.batch(id, [{ createHeader: { type: 'DEFAULT' } }]);
  const headerId = header.replies[0].createHeader.headerId;
  const edited = await api.batch(id, [
        { insertText: { location: { segmentId: headerId, index: 0 }, text: 'Header 😀' } },
        { insertTable: { rows: 2, columns: 2, location: { index: 30000 } } },
        { deleteContentRange: { range: { startIndex: 5000, endIndex: 20000 } } },
        { replaceAllText: { containsText: { text: 'long', matchCase: true }, replaceText: 'LONG' } },
        { createParagraphBullets: { range: { startIndex: 40000, endIndex: 41000 }, bulletPreset: 'NUMBERED_DECIMAL_ALPHA_ROMAN' } },
        { createNamedRange: { name: 'middle', range: { startIndex: 45000, endIndex: 46000 } } },
        { updateTextStyle: { range: { startIndex: 1, endIndex: 3000 }, textStyle: { italic: true }, fields: 'italic' } },
        { insertText: { location: { index: 2 }, text: '\n'.repeat(200) } },
      ]);
  expect(edited.body.error).toBeUndefined();
  expect((await api.send('PATCH', `/drive/v3/files/${id}`, { name: 'Renamed' })).status).toBe(200);
  const { body: copy } = await api.send('POST', `/drive/v3/files/${id}/copy`, { name: 'Copy' });
  expect((await api.batch(copy.id, [{ insertText: { location: { index: 1 }, text: 'Only in the copy\n' } }])).status).toBe(200);
  const small = await api.create('Small');
  expect((await api.send('DELETE', `/drive/v3/files/${small}`)).status).toBe(204);

  // The log was not folded into the snapshot (it is smaller than it would need to be): the next run replays it.
  expect(JSON.parse(await readFile(file, 'utf8')).twins.gdocs.state.documents).toEqual({});
  const next = createGdocsTwin({ clock: TEST_CLOCK });
  next.importState((await openDataFile(file)).load('gdocs')!);
  // Key for key and in the same order: the replayed state is the state that was saved.
  expect(JSON.stringify(next.exportState())).toBe(JSON.stringify(twin.exportState()));
  const again = client(next);
  for (const documentId of [id, copy.id]) expect(await again.get(documentId)).toEqual(await api.get(documentId));
  expect((await again.send('GET', '/drive/v3/files')).body).toEqual((await api.send('GET', '/drive/v3/files')).body);
  expect((await again.send('GET', `/v1/documents/${small}`)).status).toBe(404);
});

test('a batchUpdate that cannot be saved is answered 503 and taken back: the document reads as before', async () => {
  let failing = false;
  const twin = createGdocsTwin({
    clock: TEST_CLOCK,
    persist: { append: async () => (failing ? Promise.reject(new Error('disk full')) : undefined), replace: async () => undefined },
  });
  const api = client(twin);
  const id = await api.create('Long');
  expect((await api.batch(id, [{ insertText: { location: { index: 1 }, text: TEXT } }])).status).toBe(200);
  const before = await api.get(id);
  failing = true;
  const res = await api.batch(id, [{ insertText: { location: { index: 100 }, text: 'lost' } }, { deleteContentRange: { range: { startIndex: 10, endIndex: 5000 } } }]);
  expect(res.status).toBe(503);
  expect(res.body.error.status).toBe('UNAVAILABLE');
  expect(await api.get(id)).toEqual(before);
  failing = false;
  expect((await api.batch(id, [{ insertText: { location: { index: 100 }, text: 'kept' } }])).status).toBe(200);
  expect(JSON.stringify((await api.get(id)).body)).toContain('kept');
});
