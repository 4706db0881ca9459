/** Seeding the Google Docs twin from a recording of the Docs and Drive APIs, then reading and editing the recorded files through @googleapis/docs and @googleapis/drive. */
import { auth, docs, type docs_v1 } from '@googleapis/docs';
import { drive, type drive_v3 } from '@googleapis/drive';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RecordedExchange, TwinDefinition } from '../../src/index.js';
import { createGdocsTwin, gdocsTwin, type GdocsState, type Twin } from '../../twins/index.js';
import { seedFromRecording } from '../../twins/gdocs/recording.js';

function get(origin: string, path: string, body: unknown): RecordedExchange {
  return { method: 'GET', url: new URL(path, origin), requestHeaders: { accept: 'application/json' }, status: 200, responseHeaders: { 'content-type': 'application/json; charset=UTF-8' }, responseBody: body };
}
const DOCS = 'https://docs.googleapis.com';
const DRIVE = 'https://www.googleapis.com';

// Modeled on the Document resource and the Drive v3 File and Permission resources of Google's API references.
const DOC_ID = '195j9eDD3ccgjQRttHhJPymLJUCOUjs-jmwTrekvdjFE';
const PDF_ID = '1Xj5B2k9QpZ0aVt3yN7rW4sL8mC6dF1gH2iJ3kL4mN5o';
const bold = { bold: true };
const text = (startIndex: number, content: string, textStyle: Record<string, unknown> = {}) => ({ startIndex, endIndex: startIndex + content.length, textRun: { content, textStyle } });
const para = (startIndex: number, elements: Record<string, any>[], paragraphStyle: Record<string, unknown> = { namedStyleType: 'NORMAL_TEXT', direction: 'LEFT_TO_RIGHT' }, extra: Record<string, unknown> = {}) => ({
  startIndex,
  endIndex: elements[elements.length - 1].endIndex,
  paragraph: { elements, paragraphStyle, ...extra },
});
const body = [
  { endIndex: 1, sectionBreak: { sectionStyle: { columnSeparatorStyle: 'NONE', contentDirection: 'LEFT_TO_RIGHT', sectionType: 'CONTINUOUS' } } },
  para(1, [text(1, 'Packing list\n')], { headingId: 'h.x1y2z3', namedStyleType: 'HEADING_1', direction: 'LEFT_TO_RIGHT' }),
  para(14, [text(14, 'Bring '), text(20, 'sunscreen', bold), text(29, '\n')]),
  para(30, [text(30, 'Hat\n')], { namedStyleType: 'NORMAL_TEXT', direction: 'LEFT_TO_RIGHT', indentFirstLine: { magnitude: 18, unit: 'PT' }, indentStart: { magnitude: 36, unit: 'PT' } }, { bullet: { listId: 'kix.list00000001', textStyle: {} } }),
  {
    startIndex: 34,
    endIndex: 43,
    table: {
      rows: 1,
      columns: 2,
      tableRows: [{ startIndex: 35, endIndex: 42, tableCells: [{ startIndex: 36, endIndex: 39, content: [para(37, [text(37, 'a\n')])] }, { startIndex: 39, endIndex: 42, content: [para(40, [text(40, 'b\n')])] }] }],
    },
  },
  para(43, [text(43, '\n')]),
];
const document = {
  title: 'Trip plan',
  body: { content: body },
  documentStyle: { background: { color: {} }, pageNumberStart: 1, marginTop: { magnitude: 72, unit: 'PT' }, pageSize: { height: { magnitude: 841.92, unit: 'PT' }, width: { magnitude: 595.2, unit: 'PT' } } },
  lists: { 'kix.list00000001': { listProperties: { nestingLevels: [{ bulletAlignment: 'START', glyphSymbol: '●', glyphFormat: '%0', indentFirstLine: { magnitude: 18, unit: 'PT' }, indentStart: { magnitude: 36, unit: 'PT' }, startNumber: 1 }] } } },
  namedRanges: { packing: { name: 'packing', namedRanges: [{ namedRangeId: 'kix.range0000001', name: 'packing', ranges: [{ startIndex: 14, endIndex: 30, tabId: 't.0' }] }] } },
  revisionId: 'ALBJ4LtXmNPk2m4bZ7a0Yx5C8dLQeV9sRuT1wH3jK6oP',
  suggestionsViewMode: 'SUGGESTIONS_INLINE',
  documentId: DOC_ID,
};
const ada = { kind: 'drive#user', displayName: 'Ada Lovelace', photoLink: 'https://lh3.googleusercontent.com/a/default-user', me: true, permissionId: '07965223186358473721', emailAddress: 'ada@example.com' };
const docFile = {
  kind: 'drive#file', id: DOC_ID, name: 'Trip plan', mimeType: 'application/vnd.google-apps.document', starred: true, trashed: false, explicitlyTrashed: false, parents: ['0AH1rootFolderXk9PVA'],
  createdTime: '2024-03-01T09:00:00.000Z', modifiedTime: '2024-03-02T10:30:00.000Z', version: '12', owners: [ada],
  permissions: [{ kind: 'drive#permission', id: '07965223186358473721', type: 'user', emailAddress: 'ada@example.com', role: 'owner', displayName: 'Ada Lovelace', deleted: false, pendingOwner: false }],
};
const exchanges: RecordedExchange[] = [
  get(DRIVE, '/drive/v3/about?fields=user', { user: ada }),
  get(DRIVE, '/drive/v3/files/root?fields=id', { id: '0AH1rootFolderXk9PVA' }),
  get(DRIVE, '/drive/v3/files?fields=*', { kind: 'drive#fileList', incompleteSearch: false, files: [docFile, { ...docFile, id: PDF_ID, name: 'Tickets.pdf', mimeType: 'application/pdf', starred: false, version: '3', permissions: undefined }] }),
  get(DRIVE, `/drive/v3/files/${DOC_ID}/permissions?fields=*`, { kind: 'drive#permissionList', permissions: [...docFile.permissions, { kind: 'drive#permission', id: '13482098754443389001', type: 'user', emailAddress: 'grace@example.com', role: 'writer', displayName: 'Grace Hopper', deleted: false, pendingOwner: false }] }),
  get(DOCS, `/v1/documents/${DOC_ID}`, document),
  // The newest answer wins: a later files.get shows the Doc renamed (its title too); the fields it did not ask for stay as they were.
  get(DRIVE, `/drive/v3/files/${DOC_ID}?fields=id,name`, { id: DOC_ID, name: 'Trip plan (final)' }),
  get(DOCS, '/v1/documents/1OtherDocRecordedWithoutItsDriveFile0000000000', {
    title: 'Notes', documentId: '1OtherDocRecordedWithoutItsDriveFile0000000000', revisionId: 'ALBJ4Lother',
    body: { content: [body[0], para(1, [text(1, 'Above'), { startIndex: 6, endIndex: 7, horizontalRule: { textStyle: {} } }, text(7, '\n')])] },
  }),
  get(DRIVE, '/drive/v3/changes/startPageToken', { kind: 'drive#startPageToken', startPageToken: '1234' }),
  // A write's answer is not read into the state.
  { ...get(DOCS, '/v1/documents', { ...document, documentId: '1CreatedDuringTheSession000000000000000000', title: 'Created' }), method: 'POST' },
];

let twin: Twin<GdocsState>;
let close: () => Promise<void>;
let notes: string[];
let docsClient: docs_v1.Docs;
let driveClient: drive_v3.Drive;

beforeAll(async () => {
  const seeded = seedFromRecording(exchanges, structuredClone(gdocsTwin.seed));
  notes = seeded.notes;
  twin = createGdocsTwin({ strict: true, clock: '2026-01-01T00:00:00.000Z' });
  twin.importState({ twinverse: 1, twin: 'gdocs', state: seeded.state, ids: twin.exportState().ids });
  const listening = await twin.listen();
  close = listening.close;
  const client = new auth.OAuth2();
  client.setCredentials({ access_token: 'twin-google-token' });
  const common = { rootUrl: listening.url + '/', auth: client, retryConfig: { retry: 0 } };
  docsClient = docs({ version: 'v1', ...common });
  driveClient = drive({ version: 'v3', ...common });
});
afterAll(() => close());

test('a recorded document reads back as recorded: text runs, styles, bullets, tables and their indexes, lists, named ranges', async () => {
  const { data } = await docsClient.documents.get({ documentId: DOC_ID });
  expect(data.title).toBe('Trip plan (final)');
  expect(data.revisionId).toBe(document.revisionId);
  const shape = (content: any[]) => content.map((e) => [e.startIndex ?? 0, e.endIndex, e.paragraph?.elements.map((r: any) => [r.startIndex, r.textRun?.content, r.textRun?.textStyle]), e.table?.tableRows.map((row: any) => row.tableCells.map((c: any) => [c.startIndex, c.endIndex]))]);
  expect(shape(data.body!.content!)).toEqual(shape(body));
  expect(data.body!.content![3].paragraph!.bullet?.listId).toBe('kix.list00000001');
  expect(data.body!.content![1].paragraph!.paragraphStyle).toMatchObject({ namedStyleType: 'HEADING_1', headingId: 'h.x1y2z3' });
  expect(data.lists).toEqual(document.lists);
  expect(data.namedRanges?.packing.namedRanges?.[0]).toMatchObject({ namedRangeId: 'kix.range0000001', ranges: [{ startIndex: 14, endIndex: 30 }] });
  expect(data.documentStyle?.pageSize).toEqual(document.documentStyle.pageSize);
});

test('recorded Drive files and permissions read back; the seed\'s token signs in as the recorded account', async () => {
  const list = await driveClient.files.list({ fields: 'files(id,name,starred,parents,owners,version)', orderBy: 'name' });
  expect(list.data.files?.map((f) => [f.id, f.name, f.starred])).toEqual([
    [PDF_ID, 'Tickets.pdf', false],
    [DOC_ID, 'Trip plan (final)', true],
    ['1OtherDocRecordedWithoutItsDriveFile0000000000', 'Notes', false],
  ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))));
  const file = await driveClient.files.get({ fileId: DOC_ID, fields: '*' });
  expect(file.data).toMatchObject({ parents: ['0AH1rootFolderXk9PVA'], version: '12', createdTime: '2024-03-01T09:00:00.000Z', owners: [{ emailAddress: 'ada@example.com', me: true }] });
  const permissions = await driveClient.permissions.list({ fileId: DOC_ID, fields: '*' });
  expect(permissions.data.permissions?.map((p) => [p.emailAddress, p.role])).toEqual([['ada@example.com', 'owner'], ['grace@example.com', 'writer']]);
  expect((await driveClient.files.list({ q: "'0AH1rootFolderXk9PVA' in parents and mimeType = 'application/pdf'" })).data.files?.map((f) => f.id)).toEqual([PDF_ID]);
  expect(twin.state.documents['1CreatedDuringTheSession000000000000000000']).toBeUndefined();
  expect(notes).toEqual(expect.arrayContaining([
    expect.stringContaining('1 horizontalRule element(s) not kept'),
    expect.stringContaining('GET /drive/v3/changes/startPageToken: not kept'),
    expect.stringContaining(`file ${PDF_ID}: its permissions are not in the recording`),
  ]));
});

test('recorded files take writes: text inserted into the recorded document, the file renamed and shared', async () => {
  const { data: before } = await docsClient.documents.get({ documentId: DOC_ID });
  await docsClient.documents.batchUpdate({ documentId: DOC_ID, requestBody: { requests: [{ insertText: { location: { index: 20 }, text: 'lots of ' } }], writeControl: { requiredRevisionId: before.revisionId } } });
  const { data: after } = await docsClient.documents.get({ documentId: DOC_ID });
  expect(after.body!.content![2].paragraph!.elements!.map((e) => e.textRun?.content)).toEqual(['Bring lots of ', 'sunscreen', '\n']);
  expect(after.revisionId).not.toBe(before.revisionId);
  await driveClient.files.update({ fileId: DOC_ID, requestBody: { name: 'Trip' } });
  await driveClient.permissions.create({ fileId: DOC_ID, requestBody: { type: 'user', role: 'reader', emailAddress: 'linus@example.com' } });
  expect((await driveClient.permissions.list({ fileId: DOC_ID, fields: 'permissions(emailAddress)' })).data.permissions).toHaveLength(3);
  expect((await docsClient.documents.get({ documentId: DOC_ID })).data.title).toBe('Trip');
});

test('the hook fits the twin definition\'s seedFromRecording, leaves the seed it is handed as it was, and gives the same state for the same recording', () => {
  const hook: NonNullable<TwinDefinition<GdocsState>['seedFromRecording']> = seedFromRecording;
  const seed = structuredClone(gdocsTwin.seed);
  const first = hook(exchanges, seed);
  expect(seed).toEqual(gdocsTwin.seed);
  expect(hook(exchanges, seed)).toEqual(first);
});
