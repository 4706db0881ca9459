import { decodeCursor } from '../../../src/index.js';
import { GoogleError } from '../errors.js';
import { DOCUMENT_MIME_TYPE, bumpRevision, documentFile, newFileId } from '../model/documents.js';
import { compileQuery } from '../model/drive-query.js';
import { parseFields, select, type FieldTree } from '../model/fields.js';
import { exportText, fileJson, findFile, pageTokenAfter, requireRole } from '../model/files.js';
import type { Ctx, GdocsHandlers, StoredFile } from '../types.js';

/** Drive's default fields: without `fields`, a file is its kind, id, name and mimeType (developers.google.com/drive/api/guides/fields-parameter). */
const DEFAULT_FILE_FIELDS = parseFields('kind,id,name,mimeType');
const MAX_PAGE_SIZE = 100;

const invalidValue = (location: string) => new GoogleError('INVALID_ARGUMENT', 'Invalid Value', { reason: 'invalid', location });

/** A file with the request's `fields`, or Drive's defaults. */
function fileBody(ctx: Ctx, file: StoredFile): unknown {
  return select(fileJson(ctx, file), typeof ctx.query.fields === 'string' ? parseFields(ctx.query.fields) : DEFAULT_FILE_FIELDS);
}

type SortKey = { read: (f: StoredFile) => string | number | boolean; desc: boolean; natural: boolean };

/** Drive's orderBy keys, each ascending unless followed by `desc`. Keys the twin keeps no data for sort by what they mean for a single user's files. */
function sortKeys(orderBy: string): SortKey[] {
  return orderBy.split(',').map((part) => {
    const [key, direction, ...rest] = part.trim().split(/\s+/);
    if (rest.length || (direction !== undefined && direction !== 'desc' && direction !== 'asc')) throw invalidValue('orderBy');
    const desc = direction === 'desc';
    switch (key) {
      case 'name':
      case 'folder':
        return { read: (f) => f.name, desc, natural: false };
      case 'name_natural':
        return { read: (f) => f.name, desc, natural: true };
      case 'createdTime':
        return { read: (f) => f.createdTime, desc, natural: false };
      case 'modifiedTime':
      case 'modifiedByMeTime':
      case 'recency':
      case 'viewedByMeTime':
      case 'sharedWithMeTime':
        return { read: (f) => f.modifiedTime, desc, natural: false };
      case 'starred':
        return { read: (f) => f.starred, desc, natural: false };
      case 'quotaBytesUsed':
        return { read: () => 0, desc, natural: false };
      default:
        throw invalidValue('orderBy');
    }
  });
}

function compare(keys: SortKey[]) {
  const natural = new Intl.Collator('en', { numeric: true });
  return (a: StoredFile, b: StoredFile) => {
    for (const key of keys) {
      const x = key.read(a);
      const y = key.read(b);
      // Plain `name` sorts by code unit ("1, 12, 2, 22"); name_natural by number (files.list orderBy).
      const order = key.natural ? natural.compare(String(x), String(y)) : x < y ? -1 : x > y ? 1 : 0;
      if (order) return key.desc ? -order : order;
    }
    return 0;
  };
}

/** The plain text of a file's document, for `fullText contains`. */
const textOf = (ctx: Ctx) => (file: StoredFile) => (ctx.state.documents[file.id] ? exportText(ctx.state.documents[file.id]) : '');

/** files.list, files.get, files.update, files.copy, files.delete and files.export. */
export const fileHandlers = {
  listFiles(ctx) {
    const visible = Object.values(ctx.state.files).filter((f) => f.permissions.some((p) => p.emailAddress === ctx.auth.email));
    const filter = typeof ctx.query.q === 'string' && ctx.query.q.trim() !== '' ? compileQuery(ctx.query.q, textOf(ctx), ctx.auth.email, ctx.state.rootFolderId) : undefined;
    const matching = filter ? visible.filter(filter) : visible;
    if (typeof ctx.query.orderBy === 'string' && ctx.query.orderBy.trim() !== '') matching.sort(compare(sortKeys(ctx.query.orderBy)));
    // pageSize's documented maximum is 1000, but larger values than 100 are reduced to 100 (files.list pageSize).
    const pageSize = Math.min(ctx.query.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    // The token names the last file sent, not an offset: a file added or deleted between pages shifts nothing.
    let start = 0;
    if (ctx.query.pageToken !== undefined) {
      const after = decodeCursor('files', ctx.query.pageToken);
      if (after === undefined) throw invalidValue('pageToken');
      start = after === '' ? 0 : matching.findIndex((f) => f.id === after) + 1 || matching.length;
    }
    const page = matching.slice(start, start + pageSize);
    const nextPageToken = start + pageSize < matching.length && page.length ? pageTokenAfter(page[page.length - 1].id) : undefined;
    const tree: FieldTree = typeof ctx.query.fields === 'string' ? parseFields(ctx.query.fields) : new Map([['kind', undefined], ['nextPageToken', undefined], ['incompleteSearch', undefined], ['files', DEFAULT_FILE_FIELDS]]);
    const body = { kind: 'drive#fileList', ...(nextPageToken ? { nextPageToken } : {}), incompleteSearch: false, files: page.map((f) => fileJson(ctx, f)) };
    return { body: select(body, tree) };
  },

  getFile(ctx) {
    const file = findFile(ctx, ctx.params.fileId);
    if (ctx.query.alt === 'media' && file.mimeType === DOCUMENT_MIME_TYPE) {
      throw new GoogleError('PERMISSION_DENIED', 'Only files with binary content can be downloaded. Use Export with Docs Editors files.', { reason: 'fileNotDownloadable', location: 'alt' });
    }
    return { body: fileBody(ctx, file) };
  },

  updateFile(ctx) {
    const file = findFile(ctx, ctx.params.fileId);
    requireRole(ctx, file, 'writer');
    const patch = ctx.body ?? {};
    if (patch.parents !== undefined) {
      throw new GoogleError('PERMISSION_DENIED', 'The parents field is not directly writable in update requests. Use the addParents and removeParents parameters instead.', { reason: 'fieldNotWritable' });
    }
    const now = ctx.clock.now().toISOString();
    if (typeof patch.name === 'string') {
      file.name = patch.name;
      const doc = ctx.state.documents[file.id];
      // A Doc's title is its Drive name.
      if (doc) ctx.state.documents[file.id] = bumpRevision(ctx, { ...doc, title: patch.name }, []);
    }
    if (typeof patch.description === 'string') file.description = patch.description;
    if (typeof patch.starred === 'boolean') file.starred = patch.starred;
    if (typeof patch.trashed === 'boolean') {
      if (patch.trashed && file.owner !== ctx.auth.email) requireRole(ctx, file, 'owner');
      file.trashed = patch.trashed;
      file.explicitlyTrashed = patch.trashed;
    }
    const split = (value: unknown) => (typeof value === 'string' && value ? value.split(',').map((s) => s.trim()) : []);
    const removed = split(ctx.query.removeParents);
    const added = split(ctx.query.addParents);
    if (removed.length || added.length) file.parents = [...file.parents.filter((p) => !removed.includes(p)), ...added.filter((p) => !file.parents.includes(p))];
    file.modifiedTime = now;
    file.version += 1;
    return { body: fileBody(ctx, file) };
  },

  copyFile(ctx) {
    const source = findFile(ctx, ctx.params.fileId);
    const id = newFileId(ctx);
    const name = typeof ctx.body?.name === 'string' ? ctx.body.name : `Copy of ${source.name}`;
    const copy = documentFile(ctx, id, name);
    copy.mimeType = source.mimeType;
    if (typeof ctx.body?.description === 'string') copy.description = ctx.body.description;
    if (Array.isArray(ctx.body?.parents) && ctx.body.parents.length) copy.parents = ctx.body.parents.map(String);
    ctx.state.files[id] = copy;
    const doc = ctx.state.documents[source.id];
    // The copy shares the source's content: stored documents are never changed in place.
    if (doc) ctx.state.documents[id] = bumpRevision(ctx, { ...doc, documentId: id, title: name, revision: 0, revisions: {} }, []);
    return { body: fileBody(ctx, copy) };
  },

  deleteFile(ctx) {
    const file = findFile(ctx, ctx.params.fileId);
    if (file.owner !== ctx.auth.email) throw new GoogleError('PERMISSION_DENIED', 'The user does not have sufficient permissions for this file.', { reason: 'insufficientFilePermissions' });
    delete ctx.state.files[file.id];
    delete ctx.state.documents[file.id];
    return { status: 204 };
  },

  exportFile(ctx) {
    const file = findFile(ctx, ctx.params.fileId);
    const doc = ctx.state.documents[file.id];
    if (!doc) throw new GoogleError('PERMISSION_DENIED', 'Export only supports Docs Editors files.', { reason: 'fileNotExportable' });
    if (ctx.query.mimeType !== 'text/plain') throw new GoogleError('INVALID_ARGUMENT', 'The requested conversion is not supported.', { reason: 'badRequest', location: 'convertTo' });
    return { headers: { 'content-type': 'text/plain; charset=utf-8' }, body: exportText(doc) };
  },
} satisfies GdocsHandlers;

