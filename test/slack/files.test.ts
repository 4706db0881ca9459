/**
 * Files through @slack/web-api: files.uploadV2 runs Slack's current flow (files.getUploadURLExternal, a POST of the
 * bytes to upload_url, files.completeUploadExternal) against the twin; then files.info, files.list, files.delete.
 */
import { expect, test } from 'vitest';
import { ADMIN, BOT_USER, describeSlack, GENERAL, RANDOM, slackError } from '../support/slack.js';

describeSlack('files', (t) => {
  test('uploadV2 shares a file into a channel with an initial comment', async () => {
    const uploaded = await t.bot.filesUploadV2({ channel_id: GENERAL, content: 'hello,world\n', filename: 'report.csv', title: 'Report', initial_comment: 'the numbers' });
    const [completed] = (uploaded as any).files[0].files;
    expect(completed.id).toMatch(/^F[A-Z0-9]{10}$/);
    expect(completed.title).toBe('Report');
    const upload = t.twin.requests.find((r) => r.operationId === 'uploadFileBytes');
    expect(upload?.status).toBe(200);
    const { file } = await t.bot.files.info({ file: completed.id });
    expect(file).toMatchObject({ id: completed.id, name: 'report.csv', title: 'Report', filetype: 'csv', mimetype: 'text/csv', size: 12, user: BOT_USER, channels: [GENERAL] });
    const [message] = (await t.bot.conversations.history({ channel: GENERAL })).messages!;
    expect(message).toMatchObject({ text: 'the numbers', upload: true, files: [{ id: completed.id, name: 'report.csv' }] });
    expect(Object.values(t.twin.state.uploads).map((u) => u.received)).toEqual([12]);
  });

  test('files.list filters by channel, user and type; legacy paging', async () => {
    await t.bot.filesUploadV2({ channel_id: GENERAL, content: 'a', filename: 'a.txt' });
    await t.user.filesUploadV2({ channel_id: RANDOM, content: 'b', filename: 'b.png' });
    const names = async (args: Record<string, unknown>) => ((await t.user.files.list(args)).files ?? []).map((f) => f.name);
    expect(await names({})).toEqual(['b.png', 'a.txt']);
    expect(await names({ channel: GENERAL })).toEqual(['a.txt']);
    expect(await names({ user: ADMIN })).toEqual(['b.png']);
    expect(await names({ types: 'images' })).toEqual(['b.png']);
    expect((await t.user.files.list({ count: 1, page: 2 })).paging).toEqual({ count: 1, total: 2, page: 2, pages: 2 });
    expect((await slackError(t.user.files.list({ user: 'U0NOBODY00' }))).error).toBe('user_not_found');
    expect((await slackError(t.user.files.list({ types: 'movies' }))).error).toBe('unknown_type');
  });

  test('delete: own files (an admin user any); then file_deleted; unknown ids file_not_found', async () => {
    const uploaded = await t.user.filesUploadV2({ channel_id: GENERAL, content: 'x', filename: 'x.txt' });
    const id = (uploaded as any).files[0].files[0].id;
    expect((await slackError(t.bot.files.delete({ file: id }))).error).toBe('cant_delete_file');
    await t.user.files.delete({ file: id });
    expect((await slackError(t.user.files.info({ file: id }))).error).toBe('file_deleted');
    expect((await slackError(t.user.files.info({ file: 'F0NOSUCH00' }))).error).toBe('file_not_found');
  });

  test('an upload never completed is no file; completing another user\'s is file_not_found', async () => {
    const started = await t.user.files.getUploadURLExternal({ filename: 'half.txt', length: 4 });
    expect(started.upload_url).toBe(`${t.baseUrl}/upload/v1/${started.upload_url!.split('/').pop()}`);
    expect((await slackError(t.user.files.info({ file: started.file_id! }))).error).toBe('file_not_found');
    expect((await slackError(t.bot.files.completeUploadExternal({ files: [{ id: started.file_id!, title: 'mine' }] }))).error).toBe('file_not_found');
    expect((await t.fetch('/upload/v1/nosuchupload', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })).status).toBe(404);
  });

  test('completing into a thread: a thread_ts that is not a ts is invalid_thread_ts, an unknown one thread_not_found; the upload stays pending', async () => {
    const started = await t.bot.files.getUploadURLExternal({ filename: 'notes.txt', length: 5 });
    const complete = (thread_ts: string) => t.bot.files.completeUploadExternal({ files: [{ id: started.file_id! }], channel_id: GENERAL, thread_ts });
    expect((await slackError(complete('soon'))).error).toBe('invalid_thread_ts');
    expect((await slackError(complete('1767225000.000000'))).error).toBe('thread_not_found');
    expect(t.twin.state.files[started.file_id!].pending).toBe(true);
    expect(t.twin.state.messages[GENERAL]).toEqual([]);
    const parent = await t.bot.chat.postMessage({ channel: GENERAL, text: 'attach here' });
    await complete(parent.ts!);
    expect((await t.bot.conversations.replies({ channel: GENERAL, ts: parent.ts! })).messages!.map((m) => m.files?.[0]?.id)).toEqual([undefined, started.file_id]);
  });
});
