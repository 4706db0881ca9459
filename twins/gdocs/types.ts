import type { Handler, OperationContext, RequestContext } from '../../src/index.js';
import type { GdocsOperationId } from './operation-ids.js';

export type { GdocsOperationId } from './operation-ids.js';

/** A text or paragraph style as Google sends it: plain JSON, only the properties that are set. */
export type Style = Record<string, unknown>;

/**
 * One run of a paragraph: text sharing one style, or a single-unit element (a page break, an inline object),
 * which is never merged with its neighbours. Every paragraph's last run ends with its newline.
 */
export interface Run {
  /** The run's text; a page break or an inline object counts one UTF-16 unit and is held as one placeholder character. */
  text: string;
  style: Style;
  /** Set on the one-unit run of a page break. */
  pageBreak?: true;
  /** Set on the one-unit run of an inline object (an image), to its objectId. */
  inlineObjectId?: string;
}

/** A paragraph: its runs (ending in "\n"), its style and, in a list, its bullet. */
export interface ParagraphBlock {
  kind: 'paragraph';
  runs: Run[];
  style: Style;
  bullet?: { listId: string; nestingLevel: number };
}

/** A table cell holds paragraphs (and, in Google Docs, possibly tables: the twin holds paragraphs). */
export interface TableCellBlock {
  content: ParagraphBlock[];
}

/** A table of rows of cells. */
export interface TableBlock {
  kind: 'table';
  rows: TableCellBlock[][];
}

/** The section break every body starts with (one unit, index 0). */
export interface SectionBreakBlock {
  kind: 'sectionBreak';
}

/** A structural element of a segment. */
export type Block = ParagraphBlock | TableBlock | SectionBreakBlock;

/** One piece of a segment's blocks: where its blocks are kept, and their length in UTF-16 code units. */
export interface Piece {
  id: string;
  length: number;
}

/**
 * A body, header or footer: its blocks, in order, kept in pieces of at most 128 blocks (cut at 64). Indexes are
 * computed from them when needed: an index is found by adding up the pieces' lengths, then the lengths of one piece's
 * blocks, and an edit copies only the pieces it changes. The blocks are kept by piece id, not in the pieces' order,
 * so that a piece added or removed leaves the others where they are (and a save lists only what changed).
 */
export interface Segment {
  /** The pieces, in order. */
  pieces: Piece[];
  /** Each piece's blocks, by piece id. */
  blocks: Record<string, Block[]>;
  /** The number of the next piece id ("p" and the number). */
  nextPiece: number;
}

/** A named range as Google returns it, its ranges in the twin's own form. */
export interface StoredNamedRange {
  namedRangeId: string;
  name: string;
  ranges: { segmentId: string; startIndex: number; endIndex: number }[];
}

/**
 * A Google Doc as the twin keeps it: the segments as blocks and runs (indexes are computed on every read), and
 * the rest as Google returns it. A stored document is never changed in place: an edit builds a new one that shares
 * what it did not change (the state keeps documents frozen, see `wholeRecords` in twins/gdocs/index.ts).
 *
 * @example
 * const doc: StoredDocument = gdocs.state.documents[documentId];
 * doc.revision; // 1 after create, +1 per change
 */
export interface StoredDocument {
  documentId: string;
  title: string;
  body: Segment;
  /** Header segments by headerId. */
  headers: Record<string, Segment>;
  /** Footer segments by footerId. */
  footers: Record<string, Segment>;
  documentStyle: Style;
  /** Lists by listId: their listProperties as Google returns them. */
  lists: Record<string, { listProperties: Style }>;
  namedRanges: StoredNamedRange[];
  /** Inline objects by objectId, as Google returns them. */
  inlineObjects: Record<string, Style>;
  /** How many changes the document has seen (1 after create): the number of the current revision. */
  revision: number;
  /**
   * The recent revisions by number, the current one included: each one's opaque revisionId, and what the change
   * that made it did to the indexes of each segment, for targetRevisionId merges.
   */
  revisions: Record<string, StoredRevision>;
}

/** One revision of a document. */
export interface StoredRevision {
  revisionId: string;
  edits: IndexEdit[];
}

/** One change to a segment's indexes: `removed` units at `at` replaced by `inserted` units. */
export interface IndexEdit {
  segmentId: string;
  at: number;
  removed: number;
  inserted: number;
}

/** A user of the Google account the twin emulates. */
export interface GoogleUser {
  displayName: string;
  emailAddress: string;
  permissionId: string;
}

/** A Drive permission as Google returns it. */
export interface StoredPermission {
  kind: 'drive#permission';
  id: string;
  type: 'user' | 'group' | 'domain' | 'anyone';
  role: string;
  emailAddress?: string;
  domain?: string;
  displayName?: string;
  allowFileDiscovery?: boolean;
  deleted?: boolean;
  pendingOwner?: boolean;
}

/** A Drive file as the twin keeps it (a Google Doc's metadata; its content is in `documents`). */
export interface StoredFile {
  id: string;
  name: string;
  mimeType: string;
  description?: string;
  parents: string[];
  starred: boolean;
  trashed: boolean;
  explicitlyTrashed: boolean;
  createdTime: string;
  modifiedTime: string;
  /** Owner's email. */
  owner: string;
  version: number;
  permissions: StoredPermission[];
}

/**
 * The Google Docs twin's state: plain JSON.
 *
 * @example
 * const gdocs = createGdocsTwin();
 * gdocs.state.users['admin@twin.test'].displayName; // 'Twin Admin'
 */
export interface GdocsState {
  /** OAuth access tokens the twin accepts, and whose they are. */
  tokens: { token: string; email: string }[];
  /** Users by email. */
  users: Record<string, GoogleUser>;
  /** The id of the signed-in user's My Drive root folder. */
  rootFolderId: string;
  /** Drive files by id, in creation order. */
  files: Record<string, StoredFile>;
  /** Google Docs by documentId (the same id as their Drive file). */
  documents: Record<string, StoredDocument>;
}

/**
 * Who is calling: the user an access token belongs to.
 *
 * @example
 * const caller: GdocsAuth = { email: 'admin@twin.test' };
 */
export interface GdocsAuth {
  email: string;
}

/**
 * What every Google Docs handler sees of its request.
 *
 * @example
 * const getDocument = (ctx: Ctx) => ({ body: renderDocument(findDocument(ctx, ctx.params.documentId)) });
 */
export type Ctx = OperationContext<GdocsState, GdocsAuth>;

/**
 * A request context before authentication (renderError, authenticate see this).
 *
 * @example
 * const isDrive = (ctx: RequestCtx) => ctx.url.pathname.startsWith('/drive/');
 */
export type RequestCtx = RequestContext<GdocsState>;

/**
 * One Google Docs twin operation's handler.
 *
 * @example
 * const deleteFile: GdocsHandler = (ctx) => ({ status: 204 });
 */
export type GdocsHandler = Handler<GdocsState, GdocsAuth>;

/**
 * A part of the handler map, as each file under api/ exports it: `satisfies GdocsHandlers` makes a key that is
 * not an operationId of openapi/gdocs.yaml a compile error.
 *
 * @example
 * export const permissionHandlers = { listPermissions: (ctx) => ({ body: {} }) } satisfies GdocsHandlers;
 */
export type GdocsHandlers = Partial<Record<GdocsOperationId, GdocsHandler>>;
