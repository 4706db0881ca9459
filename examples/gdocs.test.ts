import { auth, docs } from '@googleapis/docs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createGdocsTwin } from 'twinverse';

const gdocs = createGdocsTwin();
let server: { url: string; close(): Promise<void> };
let api: ReturnType<typeof docs>;

beforeAll(async () => {
  server = await gdocs.listen(0);
  const client = new auth.OAuth2();
  client.setCredentials({ access_token: 'twin-google-token' });
  api = docs({ version: 'v1', rootUrl: `${server.url}/`, auth: client });
});
afterAll(() => server.close());

test('a document is created and edited at UTF-16 indexes, as Google counts them', async () => {
  const { data: created } = await api.documents.create({ requestBody: { title: 'Notes' } });
  await api.documents.batchUpdate({
    documentId: created.documentId!,
    requestBody: { requests: [{ insertText: { location: { index: 1 }, text: '🎉 Hello' } }, { insertText: { location: { index: 4 }, text: 'big ' } }] },
  });

  const { data: doc } = await api.documents.get({ documentId: created.documentId! });
  const paragraph = doc.body!.content![1].paragraph!;
  expect(paragraph.elements!.map((e) => e.textRun!.content).join('')).toBe('🎉 big Hello\n');
  expect(doc.body!.content![1].endIndex).toBe(14);
});
