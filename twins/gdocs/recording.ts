import { copyJson, type RecordedExchange, type SeedFromRecording } from '../../src/index.js';
import { DOCUMENT_MIME_TYPE } from './model/documents.js';
import { INLINE_OBJECT_CHAR, newSegment, normalizeRuns, PAGE_BREAK_CHAR } from './model/segment.js';
import type { Block, GdocsState, GoogleUser, ParagraphBlock, Run, Segment, StoredDocument, StoredFile, StoredNamedRange, StoredPermission, TableBlock } from './types.js';

type Json = Record<string, any>;

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
/** A time the twin shows for a file the recording gives none for (a document recorded without its Drive file). */
const EPOCH = '1970-01-01T00:00:00.000Z';

/** What converting one Google document left out, by kind of element, for the notes. */
type Dropped = Map<string, number>;

/**
 * A paragraph of Google's Document JSON as the twin's blocks keep it: its text runs, page breaks and inline objects
 * with their text styles, its paragraph style and bullet. Elements the model has no place for are counted in `dropped`.
 */
function paragraphBlock(paragraph: Json, dropped: Dropped): ParagraphBlock {
  const runs: Run[] = [];
  for (const element of Array.isArray(paragraph.elements) ? paragraph.elements : []) {
    if (isObject(element.textRun)) runs.push({ text: String(element.textRun.content ?? ''), style: copyJson(element.textRun.textStyle ?? {}) });
    else if (isObject(element.pageBreak)) runs.push({ text: PAGE_BREAK_CHAR, style: copyJson(element.pageBreak.textStyle ?? {}), pageBreak: true });
    else if (isObject(element.inlineObjectElement)) runs.push({ text: INLINE_OBJECT_CHAR, style: copyJson(element.inlineObjectElement.textStyle ?? {}), inlineObjectId: String(element.inlineObjectElement.inlineObjectId) });
    else {
      const kind = Object.keys(element).find((key) => key !== 'startIndex' && key !== 'endIndex') ?? 'element';
      dropped.set(kind, (dropped.get(kind) ?? 0) + 1);
    }
  }
  // Every paragraph ends with its newline: one the recording's runs lost with a dropped element is put back.
  const last = runs[runs.length - 1];
  if (!last || !last.text.endsWith('\n') || last.pageBreak || last.inlineObjectId) runs.push({ text: '\n', style: last && !last.pageBreak && !last.inlineObjectId ? last.style : {} });
  const block: ParagraphBlock = { kind: 'paragraph', runs: normalizeRuns(runs), style: copyJson(paragraph.paragraphStyle ?? {}) };
  if (isObject(paragraph.bullet) && typeof paragraph.bullet.listId === 'string') block.bullet = { listId: paragraph.bullet.listId, nestingLevel: Number(paragraph.bullet.nestingLevel ?? 0) };
  return block;
}

/** A segment's structural elements (body, header or footer content) as blocks. */
function contentBlocks(content: unknown, dropped: Dropped): Block[] {
  const blocks: Block[] = [];
  for (const element of Array.isArray(content) ? content : []) {
    if (isObject(element.paragraph)) blocks.push(paragraphBlock(element.paragraph, dropped));
    else if (isObject(element.sectionBreak)) blocks.push({ kind: 'sectionBreak' });
    else if (isObject(element.table)) {
      const rows = (Array.isArray(element.table.tableRows) ? element.table.tableRows : []).map((row: Json) =>
        (Array.isArray(row.tableCells) ? row.tableCells : []).map((cell: Json) => {
          // A cell holds paragraphs in the twin: a table nested in a cell is left out.
          const inner = contentBlocks(cell.content, dropped).filter((b): b is ParagraphBlock => {
            if (b.kind === 'paragraph') return true;
            dropped.set('table in a table cell', (dropped.get('table in a table cell') ?? 0) + 1);
            return false;
          });
          return { content: inner.length ? inner : [{ kind: 'paragraph', runs: [{ text: '\n', style: {} }], style: {} }] };
        }),
      );
      blocks.push({ kind: 'table', rows } as TableBlock);
    } else {
      const kind = Object.keys(element).find((key) => key !== 'startIndex' && key !== 'endIndex') ?? 'element';
      dropped.set(kind, (dropped.get(kind) ?? 0) + 1);
    }
  }
  return blocks;
}

/** The segments by id of a document's headers or footers. */
function segments(value: unknown, dropped: Dropped): Record<string, Segment> {
  const out: Record<string, Segment> = {};
  if (isObject(value)) for (const [id, segment] of Object.entries(value)) out[id] = newSegment(contentBlocks((segment as Json)?.content, dropped));
  return out;
}

/** The named ranges of Google's `namedRanges` (by name, each with its ranges) as the twin's list. */
function namedRanges(value: unknown): StoredNamedRange[] {
  const out: StoredNamedRange[] = [];
  for (const group of isObject(value) ? Object.values(value) : []) {
    for (const range of Array.isArray(group?.namedRanges) ? group.namedRanges : []) {
      out.push({
        namedRangeId: String(range.namedRangeId),
        name: String(range.name ?? group.name),
        ranges: (Array.isArray(range.ranges) ? range.ranges : []).map((r: Json) => ({ segmentId: String(r.segmentId ?? ''), startIndex: Number(r.startIndex ?? 0), endIndex: Number(r.endIndex ?? 0) })),
      });
    }
  }
  return out;
}

/**
 * A Google Doc (documents.get) as the twin stores it: the first tab's content (or the legacy top-level fields), its
 * recorded revisionId as the current revision. What the model does not keep is named in `notes`.
 */
function storedDocument(doc: Json, notes: string[]): StoredDocument {
  const tab: Json = Array.isArray(doc.tabs) && isObject(doc.tabs[0]?.documentTab) ? doc.tabs[0].documentTab : doc;
  const dropped: Dropped = new Map();
  const body = contentBlocks(tab.body?.content, dropped);
  if (body[0]?.kind !== 'sectionBreak') body.unshift({ kind: 'sectionBreak' });
  if (!body.some((b) => b.kind === 'paragraph')) body.push({ kind: 'paragraph', runs: [{ text: '\n', style: {} }], style: {} });
  const stored: StoredDocument = {
    documentId: String(doc.documentId),
    title: String(doc.title ?? ''),
    body: newSegment(body),
    headers: segments(tab.headers, dropped),
    footers: segments(tab.footers, dropped),
    documentStyle: copyJson(tab.documentStyle ?? {}),
    lists: copyJson(tab.lists ?? {}),
    namedRanges: namedRanges(tab.namedRanges),
    inlineObjects: copyJson(tab.inlineObjects ?? {}),
    revision: 1,
    revisions: { 1: { revisionId: String(doc.revisionId ?? `ALBJ4L${doc.documentId}`), edits: [] } },
  };
  const id = stored.documentId;
  for (const [kind, count] of dropped) notes.push(`document ${id}: ${count} ${kind} element(s) not kept (the twin's document model has no place for them); the indexes after each move back by its length`);
  for (const part of ['footnotes', 'positionedObjects', 'suggestedDocumentStyleChanges', 'suggestedNamedStylesChanges']) {
    if (isObject(tab[part]) && Object.keys(tab[part]).length) notes.push(`document ${id}: ${part} not kept`);
  }
  if (Array.isArray(doc.tabs) && doc.tabs.length > 1) notes.push(`document ${id}: ${doc.tabs.length - 1} tab(s) after the first not kept (the twin keeps one tab)`);
  return stored;
}

/** A recorded path as the API it belongs to and its segments after the version. */
function route(url: URL): { api: 'docs' | 'drive'; segments: string[] } | undefined {
  const path = url.pathname.replace(/\/+$/, '');
  const docs = /^\/v1\/(documents\/.+)$/.exec(path);
  if (docs) return { api: 'docs', segments: docs[1].split('/').map(decodeURIComponent) };
  const drive = /^\/drive\/v3\/(.+)$/.exec(path);
  return drive ? { api: 'drive', segments: drive[1].split('/').map(decodeURIComponent) } : undefined;
}

/**
 * Builds the Google Docs twin's starting state from a recording of the Docs API (documents.get) and the Drive API
 * (files.list, files.get, permissions.list, permissions.get, about.get): documents converted into the twin's model
 * (paragraphs, text runs with their styles, page breaks, inline objects, lists, tables, headers, footers, named
 * ranges, document style), Drive files with their owners and permissions, under their recorded ids. A file's field is
 * taken from the newest answer that shows it. The signed-in account of the recording (about.get, or the owner Drive
 * marks `me`) becomes the one the seed's access token signs in as, so that its files are visible.
 *
 * @example
 * const { state, notes } = seedFromRecording(exchanges, structuredClone(gdocsTwin.seed));
 * gdocs.importState({ twinverse: 1, twin: 'gdocs', state, ids: gdocs.exportState().ids });
 */
export function seedFromRecording(exchanges: RecordedExchange[], seed: GdocsState): SeedFromRecording<GdocsState> {
  const state = copyJson(seed);
  const notes: string[] = [];
  const notKept = new Set<string>();
  const files = new Map<string, Json>();
  const permissions = new Map<string, StoredPermission[]>();
  // A Doc's title is its Drive file's name: whichever answer showed it last, by position in the recording.
  const namedAt = new Map<string, { at: number; name: string }>();
  const titledAt = new Map<string, number>();
  let me: string | undefined;

  const putUser = (user: unknown): string | undefined => {
    if (!isObject(user) || typeof user.emailAddress !== 'string') return undefined;
    const known = state.users[user.emailAddress];
    const stored: GoogleUser = { displayName: String(user.displayName ?? known?.displayName ?? user.emailAddress), emailAddress: user.emailAddress, permissionId: String(user.permissionId ?? known?.permissionId ?? '') };
    state.users[user.emailAddress] = stored;
    if (user.me === true) me = user.emailAddress;
    return user.emailAddress;
  };
  const putFile = (file: unknown, at: number) => {
    if (!isObject(file) || typeof file.id !== 'string') return;
    if (typeof file.name === 'string') namedAt.set(file.id, { at, name: file.name });
    const draft = files.get(file.id) ?? {};
    Object.assign(draft, copyJson(file));
    files.set(file.id, draft);
    for (const owner of Array.isArray(file.owners) ? file.owners : []) putUser(owner);
    if (Array.isArray(file.permissions)) permissions.set(file.id, file.permissions.filter(isObject).map(storedPermission));
  };

  for (const [at, exchange] of exchanges.entries()) {
    // Only reads seed the twin: a write's answer shows what the recorded session changed, not the files it started from.
    if (exchange.method !== 'GET') continue;
    const found = route(exchange.url);
    const body = exchange.responseBody;
    if (!found || !isObject(body)) {
      notKept.add(`${exchange.url.host}${exchange.url.pathname}`);
      continue;
    }
    const [root, id, sub, subId] = found.segments;
    if (found.api === 'docs' && root === 'documents' && id !== undefined && sub === undefined) {
      if (typeof body.documentId !== 'string') continue;
      state.documents[body.documentId] = storedDocument(body, notes);
      titledAt.set(body.documentId, at);
      continue;
    }
    if (found.api === 'drive' && root === 'about') {
      me = putUser({ ...body.user, me: true }) ?? me;
      continue;
    }
    if (found.api === 'drive' && root === 'files') {
      if (id === undefined) for (const file of Array.isArray(body.files) ? body.files : []) putFile(file, at);
      else if (sub === undefined) {
        // files.get('root') answers with the My Drive folder, under its real id.
        if (id === 'root' && typeof body.id === 'string') state.rootFolderId = body.id;
        else putFile(body, at);
      } else if (sub === 'permissions' && subId === undefined && Array.isArray(body.permissions)) permissions.set(id, body.permissions.filter(isObject).map(storedPermission));
      else if (sub === 'permissions' && subId !== undefined && typeof body.id === 'string') {
        const list = permissions.get(id) ?? [];
        const stored = storedPermission(body);
        const index = list.findIndex((p) => p.id === stored.id);
        if (index >= 0) list[index] = stored;
        else list.push(stored);
        permissions.set(id, list);
      } else notKept.add(`/drive/v3/files/{id}/${sub}`);
      continue;
    }
    notKept.add(exchange.url.pathname);
  }

  // The recording's account: about.get or the owner marked `me`; failing both, the one owner all recorded files share.
  const owners = new Set([...files.values()].map((f) => f.owners?.[0]?.emailAddress).filter((e): e is string => typeof e === 'string'));
  if (!me && owners.size === 1) {
    me = [...owners][0];
    notes.push(`account: the recording does not say who signed in; ${me}, the owner of every recorded file, is taken as them`);
  }
  const account = me ?? seed.tokens[0]?.email;
  if (me) {
    for (const token of state.tokens) if (token.email === seed.tokens[0]?.email) token.email = me;
    notes.push(`tokens: the seed's access token (${state.tokens.map((t) => t.token).join(', ')}) signs in as the recording's account ${me}; recorded tokens are never kept`);
  } else if (files.size || Object.keys(state.documents).length) {
    notes.push(`account: the recording does not show who signed in; the seed's token stays ${account}'s, who owns the recorded files whose owner the recording does not show, and sees the others only where a permission names them`);
  }

  for (const [id, file] of files) {
    const owner = putUser(file.owners?.[0]) ?? account ?? '';
    let shared = permissions.get(id);
    if (!shared) {
      // Without a recorded permission list, the owner's is the one Drive always has.
      const user = state.users[owner];
      shared = [{ kind: 'drive#permission', id: user?.permissionId ?? owner, type: 'user', role: 'owner', emailAddress: owner, displayName: user?.displayName ?? owner, deleted: false, pendingOwner: false }];
      notes.push(`file ${id}: its permissions are not in the recording; the twin gives it its owner's only`);
    }
    const stored: StoredFile = {
      id,
      name: String(file.name ?? state.documents[id]?.title ?? ''),
      mimeType: String(file.mimeType ?? (state.documents[id] ? DOCUMENT_MIME_TYPE : 'application/octet-stream')),
      ...(typeof file.description === 'string' ? { description: file.description } : {}),
      parents: Array.isArray(file.parents) ? file.parents.map(String) : [state.rootFolderId],
      starred: file.starred === true,
      trashed: file.trashed === true,
      explicitlyTrashed: file.explicitlyTrashed === true,
      createdTime: String(file.createdTime ?? file.modifiedTime ?? EPOCH),
      modifiedTime: String(file.modifiedTime ?? file.createdTime ?? EPOCH),
      owner,
      version: Number(file.version ?? 1),
      permissions: shared,
    };
    if (!Array.isArray(file.parents)) notes.push(`file ${id}: its parents are not in the recording; the twin puts it in My Drive (${state.rootFolderId})`);
    state.files[id] = stored;
  }
  // A document is opened through its Drive file: one recorded without it gets a file of the recording's account.
  for (const doc of Object.values(state.documents)) {
    if (state.files[doc.documentId]) {
      const named = namedAt.get(doc.documentId);
      if (named && named.at > (titledAt.get(doc.documentId) ?? -1)) state.documents[doc.documentId] = { ...doc, title: named.name };
      else state.files[doc.documentId].name = doc.title;
      continue;
    }
    const owner = account ?? '';
    const user = state.users[owner];
    state.files[doc.documentId] = {
      id: doc.documentId,
      name: doc.title,
      mimeType: DOCUMENT_MIME_TYPE,
      parents: [state.rootFolderId],
      starred: false,
      trashed: false,
      explicitlyTrashed: false,
      createdTime: EPOCH,
      modifiedTime: EPOCH,
      owner,
      version: 1,
      permissions: [{ kind: 'drive#permission', id: user?.permissionId ?? owner, type: 'user', role: 'owner', emailAddress: owner, displayName: user?.displayName ?? owner, deleted: false, pendingOwner: false }],
    };
    notes.push(`document ${doc.documentId}: its Drive file is not in the recording; the twin makes one owned by ${owner}, in My Drive, dated ${EPOCH}`);
  }
  if (Object.keys(state.documents).length) notes.push('documents: named styles and section styles are the twin\'s defaults; table and cell styles are not kept');
  for (const path of notKept) notes.push(`GET ${path}: not kept (the twin builds no state from it)`);
  return { state, notes };
}

/** A permission as the twin stores it: Drive's object with the fields the twin reads always present. */
function storedPermission(permission: Json): StoredPermission {
  return { ...copyJson(permission), kind: 'drive#permission', id: String(permission.id), type: permission.type ?? 'user', role: String(permission.role ?? 'reader') } as StoredPermission;
}
