import { encodeCursor } from '../../../src/index.js';
import type { Block, Ctx, GoogleUser, StoredDocument, StoredFile, StoredPermission } from '../types.js';
import { fileNotFound, GoogleError } from '../errors.js';
import { DOCUMENT_MIME_TYPE } from './documents.js';
import { blocksOf, INLINE_OBJECT_CHAR, PAGE_BREAK_CHAR, paragraphText } from './segment.js';

type Json = Record<string, unknown>;

function userJson(user: GoogleUser | undefined, email: string, me: boolean): Json {
  return { kind: 'drive#user', displayName: user?.displayName ?? email, me, permissionId: user?.permissionId ?? '', emailAddress: email };
}

/**
 * A permission as Drive returns it in full.
 *
 * @example
 * permissionJson(file.permissions[0]); // { kind: 'drive#permission', id: '0478...', type: 'user', role: 'owner', ... }
 */
export function permissionJson(p: StoredPermission): Json {
  return { ...p };
}

/**
 * A file in full, as `fields=*` shows it; `select` trims it to the fields a request asks for.
 *
 * @example
 * select(fileJson(ctx, file), parseFields('id,name'));
 */
export function fileJson(ctx: Ctx, file: StoredFile): Json {
  const owner = ctx.state.users[file.owner];
  const me = ctx.auth.email;
  const isOwner = file.owner === me;
  const role = file.permissions.find((p) => p.emailAddress === me)?.role ?? 'reader';
  const canEdit = role === 'owner' || role === 'writer';
  const isDoc = file.mimeType === DOCUMENT_MIME_TYPE;
  return {
    kind: 'drive#file',
    id: file.id,
    name: file.name,
    mimeType: file.mimeType,
    ...(file.description !== undefined ? { description: file.description } : {}),
    starred: file.starred,
    trashed: file.trashed,
    explicitlyTrashed: file.explicitlyTrashed,
    parents: [...file.parents],
    spaces: ['drive'],
    version: String(file.version),
    webViewLink: isDoc ? `https://docs.google.com/document/d/${file.id}/edit?usp=drivesdk` : `https://drive.google.com/file/d/${file.id}/view?usp=drivesdk`,
    iconLink: `https://drive-thirdparty.googleusercontent.com/16/type/${file.mimeType}`,
    hasThumbnail: false,
    thumbnailVersion: '0',
    viewedByMe: true,
    createdTime: file.createdTime,
    modifiedTime: file.modifiedTime,
    modifiedByMe: true,
    owners: [userJson(owner, file.owner, isOwner)],
    lastModifyingUser: userJson(owner, file.owner, isOwner),
    shared: file.permissions.length > 1,
    ownedByMe: isOwner,
    capabilities: {
      canEdit,
      canComment: role !== 'reader',
      canCopy: true,
      canDelete: isOwner,
      canDownload: true,
      canRename: canEdit,
      canShare: canEdit,
      canTrash: isOwner,
      canUntrash: isOwner,
      canReadRevisions: canEdit,
    },
    viewersCanCopyContent: true,
    copyRequiresWriterPermission: false,
    writersCanShare: true,
    permissions: file.permissions.map(permissionJson),
    permissionIds: file.permissions.map((p) => p.id),
    quotaBytesUsed: '0',
    isAppAuthorized: false,
    ...(isDoc ? { exportLinks: { 'text/plain': `https://docs.google.com/feeds/download/documents/export/Export?id=${file.id}&exportFormat=txt` } } : {}),
  };
}

/**
 * The file with this id, if the caller holds a permission on it; Drive's 404 "File not found" otherwise.
 *
 * @example
 * const file = findFile(ctx, ctx.params.fileId);
 */
export function findFile(ctx: Ctx, fileId: string): StoredFile {
  const file = Object.hasOwn(ctx.state.files, fileId) ? ctx.state.files[fileId] : undefined;
  if (!file || !file.permissions.some((p) => p.emailAddress === ctx.auth.email)) throw fileNotFound(fileId);
  return file;
}

/**
 * Refuses a change the caller's role does not allow, as Drive does (403 insufficientFilePermissions).
 *
 * @example
 * requireRole(ctx, file, 'writer');
 */
export function requireRole(ctx: Ctx, file: StoredFile, needed: 'writer' | 'owner'): void {
  const role = file.permissions.find((p) => p.emailAddress === ctx.auth.email)?.role;
  if (role === 'owner' || (needed === 'writer' && role === 'writer')) return;
  throw new GoogleError('PERMISSION_DENIED', 'The user does not have sufficient permissions for this file.', { reason: 'insufficientFilePermissions' });
}

/**
 * A document's text as files.export gives it as text/plain: a byte-order mark, then one line per paragraph (table
 * cells' included) separated by CRLF, without the last paragraph's newline; page breaks and images leave no text.
 *
 * @example
 * exportText(doc); // '\uFEFFHello\r\nWorld'
 */
export function exportText(doc: StoredDocument): string {
  const lines: string[] = [];
  const visit = (blocks: Block[]) => {
    for (const block of blocks) {
      if (block.kind === 'paragraph') lines.push(paragraphText(block).slice(0, -1).replaceAll(PAGE_BREAK_CHAR, '').replaceAll(INLINE_OBJECT_CHAR, ''));
      else if (block.kind === 'table') for (const row of block.rows) for (const cell of row) visit(cell.content);
    }
  };
  visit(blocksOf(doc.body));
  return '\uFEFF' + lines.join('\r\n');
}

/**
 * Drive's opaque page token for the page after the file with this id (the first page for '').
 *
 * @example
 * const nextPageToken = pageTokenAfter(page[page.length - 1].id);
 */
export function pageTokenAfter(fileId: string): string {
  return encodeCursor('files', fileId);
}
