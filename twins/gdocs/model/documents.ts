import type { Ctx, IndexEdit, StoredDocument, StoredFile, StoredRevision } from '../types.js';
import { GoogleError } from '../errors.js';
import { defaultParagraphStyle, newSegment, paragraph } from './segment.js';

/** The Drive mimeType of a Google Doc. */
export const DOCUMENT_MIME_TYPE = 'application/vnd.google-apps.document';

const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** How many revisions a document remembers: older ones are too far behind for targetRevisionId. */
const KEPT_REVISIONS = 50;

/** A new document or file id: 44 URL-safe characters, as Drive gives a Google Doc. */
export function newFileId(ctx: Pick<Ctx, 'ids'>): string {
  return '1' + ctx.ids.token(43, URL_SAFE);
}

function newRevisionId(ctx: Pick<Ctx, 'ids'>): string {
  return 'ALBJ4L' + ctx.ids.token(58, URL_SAFE);
}

const pt = (magnitude: number) => ({ magnitude, unit: 'PT' });

/**
 * A blank document as documents.create makes it: a section break and one empty paragraph, US Letter pages with
 * one-inch margins, revision 1.
 *
 * @example
 * const doc = blankDocument(ctx, '1abc...', 'Notes'); // body indexes 0..2
 */
export function blankDocument(ctx: Pick<Ctx, 'ids'>, documentId: string, title: string): StoredDocument {
  return {
    documentId,
    title,
    body: newSegment([{ kind: 'sectionBreak' }, paragraph('\n', defaultParagraphStyle())]),
    headers: {},
    footers: {},
    documentStyle: {
      background: { color: {} },
      pageNumberStart: 1,
      marginTop: pt(72),
      marginBottom: pt(72),
      marginRight: pt(72),
      marginLeft: pt(72),
      pageSize: { height: pt(792), width: pt(612) },
      marginHeader: pt(36),
      marginFooter: pt(36),
      useCustomHeaderFooterMargins: true,
      documentFormat: { documentMode: 'PAGES' },
    },
    lists: {},
    namedRanges: [],
    inlineObjects: {},
    revision: 1,
    revisions: { 1: { revisionId: newRevisionId(ctx), edits: [] } },
  };
}

/**
 * The document after a change: a new revisionId (Google's are opaque and change with every change), and what the
 * change did to the indexes, for later targetRevisionId merges. The document given is not changed.
 *
 * @example
 * ctx.state.documents[id] = bumpRevision(ctx, doc, [{ segmentId: '', at: 1, removed: 0, inserted: 5 }]);
 */
export function bumpRevision(ctx: Pick<Ctx, 'ids'>, doc: StoredDocument, edits: IndexEdit[]): StoredDocument {
  const revision = doc.revision + 1;
  const revisions: Record<string, StoredRevision> = { ...doc.revisions, [revision]: { revisionId: newRevisionId(ctx), edits } };
  delete revisions[revision - KEPT_REVISIONS];
  return { ...doc, revision, revisions };
}

/**
 * The current revisionId of a document.
 *
 * @example
 * body.writeControl = { requiredRevisionId: currentRevisionId(doc) };
 */
export function currentRevisionId(doc: StoredDocument): string {
  return doc.revisions[doc.revision].revisionId;
}

/**
 * What the changes since a revision did to the indexes, oldest first; undefined when the document does not remember
 * that revision (too far behind, or not one of its own).
 *
 * @example
 * const edits = editsSince(doc, targetRevisionId);
 */
export function editsSince(doc: StoredDocument, revisionId: string): IndexEdit[] | undefined {
  for (let revision = doc.revision; Object.hasOwn(doc.revisions, revision); revision--) {
    if (doc.revisions[revision].revisionId !== revisionId) continue;
    const edits: IndexEdit[] = [];
    for (let later = revision + 1; later <= doc.revision; later++) edits.push(...doc.revisions[later].edits);
    return edits;
  }
  return undefined;
}

/**
 * A Drive file for a Google Doc, owned by the caller, in their My Drive root.
 *
 * @example
 * ctx.state.files[id] = documentFile(ctx, id, 'Notes');
 */
export function documentFile(ctx: Ctx, id: string, name: string): StoredFile {
  const now = ctx.clock.now().toISOString();
  const owner = ctx.state.users[ctx.auth.email];
  return {
    id,
    name,
    mimeType: DOCUMENT_MIME_TYPE,
    parents: [ctx.state.rootFolderId],
    starred: false,
    trashed: false,
    explicitlyTrashed: false,
    createdTime: now,
    modifiedTime: now,
    owner: owner.emailAddress,
    version: 1,
    permissions: [{ kind: 'drive#permission', id: owner.permissionId, type: 'user', role: 'owner', emailAddress: owner.emailAddress, displayName: owner.displayName, deleted: false, pendingOwner: false }],
  };
}

/**
 * The document with this id that the caller can open; Google's 404 otherwise (a trashed doc still opens).
 *
 * @example
 * const doc = findDocument(ctx, ctx.params.documentId);
 */
export function findDocument(ctx: Ctx, documentId: string): StoredDocument {
  const doc = Object.hasOwn(ctx.state.documents, documentId) ? ctx.state.documents[documentId] : undefined;
  const file = doc && ctx.state.files[documentId];
  if (!doc || !file || !file.permissions.some((p) => p.emailAddress === ctx.auth.email || p.type === 'anyone')) {
    throw new GoogleError('NOT_FOUND', 'Requested entity was not found.');
  }
  return doc;
}
