/**
 * The clients as they ship, without rootUrl: Docs calls docs.googleapis.com and Drive www.googleapis.com. One twin
 * serves both hosts through MSW, so a suite intercepts Google without configuring its clients.
 */
import { auth, docs } from '@googleapis/docs';
import { drive } from '@googleapis/drive';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createGdocsTwin } from '../../../twins/index.js';
import { DOCUMENT_MIME_TYPE, TEST_CLOCK, TOKEN } from '../../support/gdocs.js';

const gdocs = createGdocsTwin({ strict: true, clock: TEST_CLOCK });
const server = setupServer(...gdocs.mswHandlers('https://docs.googleapis.com'), ...gdocs.mswHandlers('https://www.googleapis.com'));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

test('a document created at docs.googleapis.com is listed by www.googleapis.com/drive/v3, from the same twin', async () => {
  const client = new auth.OAuth2();
  client.setCredentials({ access_token: TOKEN });
  const { data } = await docs({ version: 'v1', auth: client }).documents.create({ requestBody: { title: 'Intercepted' } });
  const { data: list } = await drive({ version: 'v3', auth: client }).files.list({ q: `mimeType = '${DOCUMENT_MIME_TYPE}'` });
  expect(list.files).toEqual([{ kind: 'drive#file', id: data.documentId, name: 'Intercepted', mimeType: DOCUMENT_MIME_TYPE }]);
  expect(gdocs.requests.map((r) => `${r.operationId} ${r.status}`)).toEqual(['createDocument 200', 'listFiles 200']);
});
