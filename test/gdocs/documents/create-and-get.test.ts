import { expect, test } from 'vitest';
import { bodyText, describeGdocs, DOCUMENT_MIME_TYPE, newDocument } from '../../support/gdocs.js';

describeGdocs('documents.create and documents.get', (t) => {
  test('a new document has a section break and one empty paragraph, indexes in UTF-16 units', async () => {
    const { data } = await t.docs.documents.create({ requestBody: { title: 'Quarterly plan' } });
    expect(data.documentId).toMatch(/^[A-Za-z0-9_-]{44}$/);
    expect(data.title).toBe('Quarterly plan');
    expect(data.revisionId).toEqual(expect.any(String));
    expect(data.suggestionsViewMode).toBe('SUGGESTIONS_INLINE');
    expect(data.body!.content).toEqual([
      { endIndex: 1, sectionBreak: { sectionStyle: { columnSeparatorStyle: 'NONE', contentDirection: 'LEFT_TO_RIGHT', sectionType: 'CONTINUOUS' } } },
      {
        startIndex: 1,
        endIndex: 2,
        paragraph: { elements: [{ startIndex: 1, endIndex: 2, textRun: { content: '\n', textStyle: {} } }], paragraphStyle: { namedStyleType: 'NORMAL_TEXT', direction: 'LEFT_TO_RIGHT' } },
      },
    ]);
    expect(data.documentStyle!.pageSize).toEqual({ height: { magnitude: 792, unit: 'PT' }, width: { magnitude: 612, unit: 'PT' } });
    const { data: again } = await t.docs.documents.get({ documentId: data.documentId! });
    expect(again).toEqual(data);
  });

  test('create reads only the title: content given with it is ignored, and no title makes an Untitled document', async () => {
    const { data } = await t.docs.documents.create({ requestBody: { title: 'T', body: { content: [{ paragraph: { elements: [{ textRun: { content: 'ignored\n' } }] } }] } } });
    expect(await bodyText(t, data.documentId!)).toBe('\n');
    expect((await t.docs.documents.create({ requestBody: {} })).data.title).toBe('Untitled document');
  });

  test('a document created through Docs shows in Drive as a Google Doc in My Drive', async () => {
    const id = await newDocument(t, 'Spec');
    const { data } = await t.drive.files.get({ fileId: id, fields: 'id,name,mimeType,parents,trashed,owners(emailAddress,me)' });
    expect(data).toEqual({ id, name: 'Spec', mimeType: DOCUMENT_MIME_TYPE, parents: [t.twin.state.rootFolderId], trashed: false, owners: [{ emailAddress: 'admin@twin.test', me: true }] });
  });

  test('includeTabsContent moves the content into tabs[0].documentTab and out of the top level', async () => {
    const id = await newDocument(t, 'Tabs', 'Hi');
    const { data } = await t.docs.documents.get({ documentId: id, includeTabsContent: true });
    expect(data.body).toBeUndefined();
    expect(data.tabs).toHaveLength(1);
    expect(data.tabs![0].tabProperties).toEqual({ tabId: 't.0', title: 'Tab 1', index: 0 });
    expect(data.tabs![0].documentTab!.body!.content![1].paragraph!.elements![0].textRun!.content).toBe('Hi\n');
  });

  test('fields selects parts of the document', async () => {
    const id = await newDocument(t, 'Partial');
    const { data } = await t.docs.documents.get({ documentId: id, fields: 'title,revisionId' });
    expect(Object.keys(data).sort()).toEqual(['revisionId', 'title']);
  });

  test('an unknown document is 404 NOT_FOUND in Google\'s envelope', async () => {
    const res = await t.fetch('/v1/documents/1nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 404, message: 'Requested entity was not found.', errors: [{ message: 'Requested entity was not found.', domain: 'global', reason: 'notFound' }], status: 'NOT_FOUND' } });
  });
});
