import { defineTwin, type ListShape, type ResponseDraft } from '../../src/index.js';
import { documentHandlers } from './api/documents.js';
import { fileHandlers } from './api/files.js';
import { permissionHandlers } from './api/permissions.js';
import { accessTokenOf, authenticateGoogle } from './auth.js';
import { renderGoogleError } from './errors.js';
import { pageTokenAfter } from './model/files.js';
import { gdocsRateLimits } from './rate-limit.js';
import { seedFromRecording } from './recording.js';
import seed from './seed.json' with { type: 'json' };
import type { GdocsAuth, GdocsOperationId, GdocsState } from './types.js';

interface FileListBody {
  kind?: string;
  files?: unknown[];
  nextPageToken?: string;
}

const fileList = (response: ResponseDraft): FileListBody | undefined => {
  const body = response.body as FileListBody | undefined;
  return response.status === 200 && body?.kind === 'drive#fileList' && Array.isArray(body.files) ? body : undefined;
};

/**
 * How plugins read and rewrite Drive's lists: `{ kind: 'drive#fileList', files, nextPageToken }`, the token absent on
 * the last page. A document made through the Docs API answers with its `documentId`: the same id its Drive file has.
 */
const driveLists: ListShape = {
  items: (response) => fileList(response)?.files,
  idOf(value) {
    const record = value && typeof value === 'object' ? (value as { id?: unknown; documentId?: unknown }) : undefined;
    const id = record?.id ?? record?.documentId;
    return typeof id === 'string' ? id : undefined;
  },
  hasNext: (response) => Boolean(fileList(response)?.nextPageToken),
  rewrite(response, ctx, items, next) {
    const body: FileListBody = { ...(response.body as FileListBody), files: items };
    delete body.nextPageToken;
    if (next === 'same') body.nextPageToken = ctx.url.searchParams.get('pageToken') ?? pageTokenAfter('');
    else if (next) body.nextPageToken = pageTokenAfter(driveLists.idOf(next.after) ?? '');
    return { ...response, body };
  },
};

/**
 * The Google Docs twin: Docs API v1 (documents.create, get and batchUpdate over a real document model, indexes in
 * UTF-16 code units) and the Drive v3 file and permission methods a Docs user needs, both at one base URL.
 *
 * @example
 * import { docs, auth } from '@googleapis/docs';
 * const gdocs = createGdocsTwin();
 * const { url } = await gdocs.listen();
 * const client = new auth.OAuth2();
 * client.setCredentials({ access_token: 'twin-google-token' });
 * const api = docs({ version: 'v1', rootUrl: url + '/', auth: client });
 */
export const gdocsTwin = defineTwin<GdocsState, GdocsAuth, GdocsOperationId>({
  name: 'gdocs',
  openapi: new URL('../../openapi/gdocs.yaml', import.meta.url),
  seed: seed as unknown as GdocsState,
  authenticate: authenticateGoogle,
  handlers: {
    ...documentHandlers,
    ...fileHandlers,
    ...permissionHandlers,
  },
  renderError: renderGoogleError,
  // A document's content can be megabytes: every change builds a new document that shares the pieces it did not
  // change, so documents are immutable records (frozen, put back by reference on a rollback, saved as differences).
  wholeRecords: ['documents'],
  rateLimits: gdocsRateLimits,
  lists: driveLists,
  credentialOf: accessTokenOf,
  seedFromRecording,
  // Google's own secrets: OAuth access tokens by their prefix, and an API key in a query string.
  secrets: { queryKeys: ['key', 'api_key'], patterns: [/\bya29\.[A-Za-z0-9_.-]+/g] },
  probes: {
    headers: { authorization: 'Bearer twin-google-token', accept: 'application/json' },
    read: '/drive/v3/files',
    write: { method: 'POST', path: '/v1/documents', body: { title: 'Conformance' }, invalid: { title: 42 } },
  },
  credentials: {
    lines: ['Authorization: Bearer twin-google-token   (OAuth access token of admin@twin.test)', 'Docs at /v1/documents and Drive at /drive/v3/files of the twin URL: give the clients the twin URL as rootUrl'],
  },
});

export type { GdocsAuth, GdocsOperationId, GdocsState } from './types.js';
