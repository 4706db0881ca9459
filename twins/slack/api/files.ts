import { copyJson, opaqueToken } from '../../../src/index.js';
import { SlackError } from '../errors.js';
import { args, jsonArray, list } from '../model/args.js';
import { findConversation, isMember, typeOf } from '../model/conversations.js';
import { slackId } from '../model/ids.js';
import { authorFields, findMessage, postMessage, threadTsArg } from '../model/messages.js';
import { ok, slackMethods } from '../model/methods.js';
import { legacyPage } from '../model/paging.js';
import type { Ctx, SlackFile, SlackHandlers } from '../types.js';

/** File types the twin knows by extension: Slack's filetype, its pretty name and the MIME type. */
const TYPES: Record<string, [filetype: string, pretty: string, mimetype: string]> = {
  txt: ['text', 'Plain Text', 'text/plain'],
  md: ['markdown', 'Markdown (raw)', 'text/plain'],
  csv: ['csv', 'CSV', 'text/csv'],
  json: ['json', 'JSON', 'application/json'],
  png: ['png', 'PNG', 'image/png'],
  jpg: ['jpg', 'JPEG', 'image/jpeg'],
  jpeg: ['jpg', 'JPEG', 'image/jpeg'],
  gif: ['gif', 'GIF', 'image/gif'],
  pdf: ['pdf', 'PDF', 'application/pdf'],
  zip: ['zip', 'Zip', 'application/zip'],
};
const BINARY: [string, string, string] = ['binary', 'Binary', 'application/octet-stream'];
/** files.list `types` words and the filetypes they cover. */
const TYPE_GROUPS: Record<string, (file: SlackFile) => boolean> = {
  all: () => true,
  images: (f) => String(f.mimetype).startsWith('image/'),
  snippets: (f) => f.mode === 'snippet',
  pdfs: (f) => f.filetype === 'pdf',
  zips: (f) => f.filetype === 'zip',
  spaces: () => false,
  gdocs: () => false,
};

/** A file the caller can see: completed, not deleted, theirs or shared where they are. */
function findFile(ctx: Ctx, id: unknown): SlackFile {
  const file = typeof id === 'string' && Object.hasOwn(ctx.state.files, id) ? ctx.state.files[id] : undefined;
  if (!file || file.pending) throw new SlackError('file_not_found');
  if (file.deleted) throw new SlackError('file_deleted');
  return file;
}

/** A file as files.info returns it: without the twin's bookkeeping. */
function fileView(file: SlackFile): Record<string, unknown> {
  const { pending: _pending, deleted: _deleted, ...view } = copyJson(file);
  return view;
}

/** files.getUploadURLExternal: a new file, pending until its bytes arrive and the upload is completed. */
function filesGetUploadURLExternal(ctx: Ctx) {
  const a = args(ctx);
  const name = String(a.filename);
  if (a.length < 1) throw new SlackError('invalid_arguments', { response_metadata: { messages: ['[ERROR] length must be at least 1'] } });
  const extension = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
  const [filetype, pretty, mimetype] = TYPES[extension] ?? BINARY;
  const id = slackId(ctx.ids, 'F');
  const user = ctx.auth.token!.user_id;
  const created = Math.floor(ctx.clock.nowMs() / 1000);
  const { team } = ctx.state;
  ctx.state.files[id] = {
    id,
    created,
    timestamp: created,
    name,
    title: name,
    mimetype,
    filetype,
    pretty_type: pretty,
    user,
    user_team: team.id,
    editable: false,
    size: a.length,
    mode: 'hosted',
    is_external: false,
    external_type: '',
    is_public: false,
    public_url_shared: false,
    display_as_bot: false,
    username: '',
    url_private: `https://files.slack.com/files-pri/${team.id}-${id}/${encodeURIComponent(name)}`,
    url_private_download: `https://files.slack.com/files-pri/${team.id}-${id}/download/${encodeURIComponent(name)}`,
    permalink: `https://${team.domain}.slack.com/files/${user}/${id}/${encodeURIComponent(name)}`,
    channels: [],
    groups: [],
    ims: [],
    comments_count: 0,
    ...(a.alt_txt ? { alt_txt: a.alt_txt } : {}),
    pending: true,
  };
  const upload = opaqueToken(ctx.ids, 24);
  ctx.state.uploads[upload] = { fileId: id, received: null };
  return ok({ upload_url: `${ctx.baseUrl}/upload/v1/${upload}`, file_id: id });
}

/** The bytes of an upload: a multipart form's one part (as the SDK posts it), or the raw body. */
function uploadedBytes(contentType: string, body: string): number {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!contentType.startsWith('multipart/form-data') || !boundary) return Buffer.byteLength(body);
  const part = body.split(`--${boundary}`).find((p) => p.includes('\r\n\r\n') && !p.startsWith('--'));
  if (!part) return 0;
  const content = part.slice(part.indexOf('\r\n\r\n') + 4).replace(/\r\n$/, '');
  return Buffer.byteLength(content);
}

/** The upload URL: takes the bytes of a pending file and answers "OK - {bytes}" as files.slack.com does. */
function uploadFileBytes(ctx: Ctx) {
  const upload = Object.hasOwn(ctx.state.uploads, ctx.params.uploadId) ? ctx.state.uploads[ctx.params.uploadId] : undefined;
  if (!upload) return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not Found' };
  upload.received = uploadedBytes(ctx.headers['content-type'] ?? '', ctx.request.body ?? '');
  return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `OK - ${upload.received}` };
}

/**
 * files.completeUploadExternal: the pending files become files, titled as asked; with channel_id (or channels) they
 * are shared there in one message, with initial_comment as its text, as a reply when thread_ts is given.
 */
function filesCompleteUploadExternal(ctx: Ctx) {
  const a = args(ctx);
  const entries = jsonArray(a.files);
  if (entries === undefined || entries === 'invalid' || entries.length === 0) throw new SlackError('invalid_arguments', { response_metadata: { messages: ['[ERROR] files must be a JSON array of {"id", "title"}'] } });
  const user = ctx.auth.token!.user_id;
  const files = entries.map((entry) => {
    const { id, title } = (entry ?? {}) as { id?: unknown; title?: unknown };
    const file = typeof id === 'string' && Object.hasOwn(ctx.state.files, id) ? ctx.state.files[id] : undefined;
    if (!file || !file.pending || file.user !== user) throw new SlackError('file_not_found');
    return { file, title: typeof title === 'string' && title ? title : file.name };
  });
  const targets = a.channel_id ? [a.channel_id] : list(a.channels);
  const conversations = targets.map((id) => findConversation(ctx, id));
  const thread_ts = threadTsArg(a.thread_ts);
  for (const conversation of conversations) {
    if (conversation.is_archived) throw new SlackError('is_archived');
    if (!isMember(ctx.state, conversation.id, user)) throw new SlackError('not_in_channel');
    // Checked before any file changes: a refused call leaves the uploads pending.
    if (thread_ts && !findMessage(ctx.state, conversation.id, thread_ts)) throw new SlackError('thread_not_found');
  }
  for (const { file, title } of files) {
    delete file.pending;
    file.title = title;
    for (const conversation of conversations) {
      const type = typeOf(conversation);
      const list = type === 'im' ? file.ims : type === 'public_channel' ? file.channels : file.groups;
      if (!list.includes(conversation.id)) list.push(conversation.id);
    }
  }
  for (const conversation of conversations) {
    const message = postMessage(ctx, conversation, authorFields(ctx.state, ctx.auth.token!), { text: typeof a.initial_comment === 'string' ? a.initial_comment : '' }, { thread_ts });
    Object.assign(message, { files: files.map(({ file }) => fileView(file)), upload: true, display_as_bot: false });
  }
  return ok({ files: files.map(({ file }) => ({ id: file.id, title: file.title })) });
}

/** files.info: a file and (none emulated) comments. */
function filesInfo(ctx: Ctx) {
  return ok({ file: fileView(findFile(ctx, args(ctx).file)), comments: [], response_metadata: { next_cursor: '' } });
}

/** files.list: files newest first, filtered by user, channel, time and type words; count/page paging. */
function filesList(ctx: Ctx) {
  const a = args(ctx);
  if (a.user !== undefined && !Object.hasOwn(ctx.state.users, a.user)) throw new SlackError('user_not_found');
  const words = list(a.types);
  if (words.some((w) => !TYPE_GROUPS[w])) throw new SlackError('unknown_type');
  const from = a.ts_from === undefined ? -Infinity : Number(a.ts_from);
  const to = a.ts_to === undefined ? Infinity : Number(a.ts_to);
  const files = Object.values(ctx.state.files)
    .filter((f) => !f.pending && !f.deleted && (a.user === undefined || f.user === a.user) && f.created >= from && f.created <= to)
    .filter((f) => a.channel === undefined || [...f.channels, ...f.groups, ...f.ims].includes(a.channel))
    .filter((f) => words.length === 0 || words.some((w) => TYPE_GROUPS[w](f)))
    .reverse();
  const { page, paging } = legacyPage(files, Number(a.count) || 100, Number(a.page) || 1);
  return ok({ files: page.map(fileView), paging });
}

/** files.delete: the caller's own file (any file for a workspace admin's user token). */
function filesDelete(ctx: Ctx) {
  const file = findFile(ctx, args(ctx).file);
  const token = ctx.auth.token!;
  const admin = token.type === 'user' && ctx.state.users[token.user_id]?.is_admin;
  if (file.user !== token.user_id && !admin) throw new SlackError('cant_delete_file');
  file.deleted = true;
  return ok();
}

/** files.* methods, and the upload URL they hand out. */
export const fileHandlers = {
  ...slackMethods({ filesGetUploadURLExternal, filesCompleteUploadExternal, filesInfo, filesList, filesDelete }),
  uploadFileBytes,
} satisfies SlackHandlers;
