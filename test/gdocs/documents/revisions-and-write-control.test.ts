import { expect, test } from 'vitest';
import { batchUpdate, bodyText, describeGdocs, newDocument, refused } from '../../support/gdocs.js';

describeGdocs('revisions and writeControl', (t) => {
  test('every change gives a new revisionId; the reply names it; a read and a batch that changes nothing keep it', async () => {
    const id = await newDocument(t, 'Revisions');
    const first = (await t.docs.documents.get({ documentId: id })).data.revisionId!;
    expect((await t.docs.documents.get({ documentId: id })).data.revisionId).toBe(first);
    const { data } = await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ insertText: { location: { index: 1 }, text: 'a' } }] } });
    const second = data.writeControl!.requiredRevisionId!;
    expect(second).not.toBe(first);
    expect((await t.docs.documents.get({ documentId: id })).data.revisionId).toBe(second);
    const empty = await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [] } });
    expect(empty.data).toEqual({ writeControl: { requiredRevisionId: second }, documentId: id });
    const none = await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ replaceAllText: { containsText: { text: 'zzz' }, replaceText: 'y' } }] } });
    expect(none.data.replies).toEqual([{ replaceAllText: {} }]);
  });

  test('requiredRevisionId that is the latest revision applies; a stale one is refused with 400 and nothing applies', async () => {
    const id = await newDocument(t, 'Guarded');
    const read = (await t.docs.documents.get({ documentId: id })).data.revisionId!;
    const ok = await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ insertText: { location: { index: 1 }, text: 'one' } }], writeControl: { requiredRevisionId: read } } });
    expect(ok.status).toBe(200);
    const error = await refused(await batchUpdate(t, id, [{ insertText: { location: { index: 1 }, text: 'two' } }], { requiredRevisionId: read }), 400);
    expect(error).toMatchObject({ code: 400, status: 'FAILED_PRECONDITION', message: `The required revision ID ${read} does not match the latest revision of the document.` });
    expect(await bodyText(t, id)).toBe('one\n');
  });

  test('targetRevisionId merges the request against changes made since: indexes move past a collaborator\'s insert', async () => {
    const id = await newDocument(t, 'Merged', 'Hello world');
    const read = (await t.docs.documents.get({ documentId: id })).data.revisionId!;
    // A collaborator puts a word in front; our edit still targets "world" as we read it (index 7).
    await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ insertText: { location: { index: 1 }, text: 'Well, ' } }] } });
    await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ insertText: { location: { index: 7 }, text: 'big ' } }], writeControl: { targetRevisionId: read } } });
    expect(await bodyText(t, id)).toBe('Well, Hello big world\n');
  });

  test('targetRevisionId: a range read before a collaborator deleted text before it still covers the same words', async () => {
    const id = await newDocument(t, 'Merged delete', 'Hello brave new world');
    const read = (await t.docs.documents.get({ documentId: id })).data.revisionId!;
    // A collaborator deletes "Hello "; we bold "new" (13..16 as we read it).
    await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ deleteContentRange: { range: { startIndex: 1, endIndex: 7 } } }] } });
    await t.docs.documents.batchUpdate({
      documentId: id,
      requestBody: { requests: [{ updateTextStyle: { range: { startIndex: 13, endIndex: 16 }, textStyle: { bold: true }, fields: 'bold' } }], writeControl: { targetRevisionId: read } },
    });
    const runs = (await t.docs.documents.get({ documentId: id })).data.body!.content![1].paragraph!.elements!.map((e) => [e.textRun!.content, e.textRun!.textStyle]);
    expect(runs).toEqual([['brave ', {}], ['new', { bold: true }], [' world\n', {}]]);
  });

  test('a targetRevisionId that is not a revision of the document, or both controls at once, are refused', async () => {
    const id = await newDocument(t, 'Bad target');
    expect((await refused(await batchUpdate(t, id, [], { targetRevisionId: 'nope' }), 400)).status).toBe('INVALID_ARGUMENT');
    const rev = (await t.docs.documents.get({ documentId: id })).data.revisionId!;
    expect((await refused(await batchUpdate(t, id, [], { targetRevisionId: rev, requiredRevisionId: rev }), 400)).message).toBe('Only one of writeControl.requiredRevisionId and writeControl.targetRevisionId may be set.');
  });

  test('a batch edits the Drive file too: its version and modifiedTime move', async () => {
    const id = await newDocument(t, 'Versioned');
    const before = (await t.drive.files.get({ fileId: id, fields: 'version,modifiedTime' })).data;
    t.twin.clock.advance(60_000);
    await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ insertText: { location: { index: 1 }, text: 'x' } }] } });
    const after = (await t.drive.files.get({ fileId: id, fields: 'version,modifiedTime' })).data;
    expect(Number(after.version)).toBe(Number(before.version) + 1);
    expect(after.modifiedTime).toBe('2026-01-01T00:01:00.000Z');
  });
});
