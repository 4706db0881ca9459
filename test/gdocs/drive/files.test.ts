import { expect, test } from 'vitest';
import { bodyText, clientError, describeGdocs, DOCUMENT_MIME_TYPE, newDocument, refused } from '../../support/gdocs.js';

const DOCS_ONLY = `mimeType = '${DOCUMENT_MIME_TYPE}'`;

describeGdocs('Drive v3 files for Google Docs', (t) => {
  test('files.list without fields gives kind, id, name and mimeType of each file, and no nextPageToken at the end', async () => {
    const id = await newDocument(t, 'Listed');
    const { data } = await t.drive.files.list();
    expect(data).toEqual({ kind: 'drive#fileList', incompleteSearch: false, files: [{ kind: 'drive#file', id, name: 'Listed', mimeType: DOCUMENT_MIME_TYPE }] });
  });

  test('q filters by mimeType, name contains, trashed and parents, joined by and, or, not and parentheses', async () => {
    const report = await newDocument(t, 'Quarterly Report');
    const notes = await newDocument(t, 'Meeting notes');
    const old = await newDocument(t, 'Old report draft');
    await t.drive.files.update({ fileId: old, requestBody: { trashed: true } });
    const names = async (q: string) => ((await t.drive.files.list({ q, orderBy: 'name' })).data.files ?? []).map((f) => f.name);
    expect(await names(DOCS_ONLY)).toEqual(['Meeting notes', 'Old report draft', 'Quarterly Report']);
    expect(await names(`${DOCS_ONLY} and trashed = false`)).toEqual(['Meeting notes', 'Quarterly Report']);
    expect(await names("name contains 'report'")).toEqual(['Old report draft', 'Quarterly Report']);
    expect(await names("name contains 'report' and not trashed = true")).toEqual(['Quarterly Report']);
    expect(await names("(name = 'Meeting notes' or name = 'Quarterly Report') and trashed != true")).toEqual(['Meeting notes', 'Quarterly Report']);
    expect(await names(`'${t.twin.state.rootFolderId}' in parents and trashed = false`)).toEqual(['Meeting notes', 'Quarterly Report']);
    expect(await names("'elsewhere' in parents")).toEqual([]);
    expect(await names("'root' in parents and trashed = false")).toEqual(['Meeting notes', 'Quarterly Report']);
    expect(await names("'me' in owners and name contains 'meeting'")).toEqual(['Meeting notes']);
    expect(await names("'admin@twin.test' in writers and name = 'Meeting notes'")).toEqual(['Meeting notes']);
    expect(await names("fullText contains 'nothing here'")).toEqual([]);
    expect([report, notes].every(Boolean)).toBe(true);
  });

  test('a query Drive cannot read is 400 Invalid Value at q', async () => {
    const { status, error } = await clientError(t.drive.files.list({ q: "name contains 'unclosed" }));
    expect(status).toBe(400);
    expect(error).toEqual({ code: 400, message: 'Invalid Value', errors: [{ message: 'Invalid Value', domain: 'global', reason: 'invalid', location: 'q', locationType: 'parameter' }], status: 'INVALID_ARGUMENT' });
    expect((await clientError(t.drive.files.list({ q: "size > '3'" }))).status).toBe(400);
    for (const term of ['constructor', 'toString', 'valueOf']) expect((await clientError(t.drive.files.list({ q: `${term} contains 'x'` }))).status).toBe(400);
  });

  test('orderBy sorts by name (code units), name_natural, and modifiedTime desc', async () => {
    for (const name of ['doc 12', 'doc 2', 'Doc 1']) {
      await newDocument(t, name);
      t.twin.clock.advance(1000);
    }
    const order = async (orderBy: string) => (await t.drive.files.list({ orderBy })).data.files!.map((f) => f.name);
    expect(await order('name')).toEqual(['Doc 1', 'doc 12', 'doc 2']);
    expect(await order('name_natural')).toEqual(['Doc 1', 'doc 2', 'doc 12']);
    expect(await order('modifiedTime desc')).toEqual(['Doc 1', 'doc 2', 'doc 12']);
    expect((await clientError(t.drive.files.list({ orderBy: 'sparkle' }))).error.errors[0].location).toBe('orderBy');
  });

  test('pageSize pages with nextPageToken until the last page; pageSize above 100 is reduced to 100', async () => {
    for (let i = 0; i < 5; i++) await newDocument(t, `p${i}`);
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const { data } = await t.drive.files.list({ pageSize: 2, pageToken, fields: 'nextPageToken,files(name)' });
      seen.push(...data.files!.map((f) => f.name!));
      pageToken = data.nextPageToken ?? undefined;
      pages++;
    } while (pageToken);
    expect(seen).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    expect(pages).toBe(3);
    expect((await clientError(t.drive.files.list({ pageToken: 'forged' }))).error.errors[0].location).toBe('pageToken');
    for (let i = 5; i < 105; i++) t.twin.state.files[`f${i}`] = { ...t.twin.state.files[Object.keys(t.twin.state.files)[0]], id: `f${i}`, name: `f${i}` };
    const { data } = await t.drive.files.list({ pageSize: 1000 });
    expect(data.files).toHaveLength(100);
    expect(data.nextPageToken).toEqual(expect.any(String));
  });

  test('files.get with fields; an unknown file is 404 File not found at fileId; a Doc cannot be downloaded with alt=media', async () => {
    const id = await newDocument(t, 'Fields');
    expect((await t.drive.files.get({ fileId: id })).data).toEqual({ kind: 'drive#file', id, name: 'Fields', mimeType: DOCUMENT_MIME_TYPE });
    const { data } = await t.drive.files.get({ fileId: id, fields: '*' });
    expect(data).toMatchObject({ webViewLink: `https://docs.google.com/document/d/${id}/edit?usp=drivesdk`, ownedByMe: true, capabilities: { canEdit: true }, version: '1', createdTime: '2026-01-01T00:00:00.000Z' });
    const missing = await clientError(t.drive.files.get({ fileId: 'nope' }));
    expect(missing).toMatchObject({ status: 404, error: { code: 404, message: 'File not found: nope.', status: 'NOT_FOUND', errors: [{ reason: 'notFound', location: 'fileId', locationType: 'parameter' }] } });
    const media = await t.fetch(`/drive/v3/files/${id}?alt=media`);
    expect((await refused(media, 403)).errors[0].reason).toBe('fileNotDownloadable');
    expect((await refused(await t.fetch(`/drive/v3/files/${id}?fields=id,(`), 400)).message).toBe('Invalid field selection id,(');
  });

  test('files.update renames (the document title follows), describes, stars and trashes; parents move with addParents and removeParents', async () => {
    const id = await newDocument(t, 'Draft');
    const { data } = await t.drive.files.update({ fileId: id, requestBody: { name: 'Final', starred: true, description: 'ready' }, fields: 'name,starred,description,version' });
    expect(data).toEqual({ name: 'Final', starred: true, description: 'ready', version: '2' });
    expect((await t.docs.documents.get({ documentId: id })).data.title).toBe('Final');
    const trashed = await t.drive.files.update({ fileId: id, requestBody: { trashed: true }, fields: 'trashed,explicitlyTrashed' });
    expect(trashed.data).toEqual({ trashed: true, explicitlyTrashed: true });
    const moved = await t.drive.files.update({ fileId: id, addParents: 'folderB', removeParents: t.twin.state.rootFolderId, fields: 'parents' });
    expect(moved.data.parents).toEqual(['folderB']);
    const parents = await clientError(t.drive.files.update({ fileId: id, requestBody: { parents: ['x'] } }));
    expect(parents).toMatchObject({ status: 403, error: { errors: [{ reason: 'fieldNotWritable' }] } });
  });

  test('files.copy copies a Doc with its content (the template pattern); the copy edits apart from the original', async () => {
    const template = await newDocument(t, 'Template', 'Dear {{name}}');
    const { data } = await t.drive.files.copy({ fileId: template, requestBody: { name: 'Letter to Ada' } });
    expect(data).toMatchObject({ kind: 'drive#file', name: 'Letter to Ada', mimeType: DOCUMENT_MIME_TYPE });
    await t.docs.documents.batchUpdate({ documentId: data.id!, requestBody: { requests: [{ replaceAllText: { containsText: { text: '{{name}}' }, replaceText: 'Ada' } }] } });
    expect(await bodyText(t, data.id!)).toBe('Dear Ada\n');
    expect(await bodyText(t, template)).toBe('Dear {{name}}\n');
    expect((await t.drive.files.copy({ fileId: template })).data.name).toBe('Copy of Template');
  });

  test('files.delete deletes for good (204), from Drive and from Docs', async () => {
    const id = await newDocument(t, 'Doomed');
    const res = await t.drive.files.delete({ fileId: id });
    expect(res.status).toBe(204);
    expect((await clientError(t.drive.files.get({ fileId: id }))).status).toBe(404);
    expect((await clientError(t.docs.documents.get({ documentId: id }))).status).toBe(404);
  });

  test('files.export as text/plain: a byte-order mark, CRLF between paragraphs, no trailing newline', async () => {
    const id = await newDocument(t, 'Export', 'Hello 😀\nWorld');
    const { data } = await t.drive.files.export({ fileId: id, mimeType: 'text/plain' }, { responseType: 'text' });
    // The client decodes UTF-8 as fetch does, dropping the byte-order mark; the bytes on the wire start with it.
    expect(data).toBe('Hello 😀\r\nWorld');
    const raw = new Uint8Array(await (await t.fetch(`/drive/v3/files/${id}/export?mimeType=text/plain`)).arrayBuffer());
    expect([...raw.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const res = await t.fetch(`/drive/v3/files/${id}/export?mimeType=application/pdf`);
    expect((await refused(res, 400)).message).toBe('The requested conversion is not supported.');
  });
});
