import { expect, test } from 'vitest';
import { bodyText, describeGdocs, newDocument } from '../../support/gdocs.js';

describeGdocs('named ranges', (t) => {
  test('a named range is created, follows edits before and inside it, and is replaced by name', async () => {
    const id = await newDocument(t, 'Ranges', 'Hello NAME!');
    const { data } = await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ createNamedRange: { name: 'who', range: { startIndex: 7, endIndex: 11 } } }] } });
    const namedRangeId = data.replies![0].createNamedRange!.namedRangeId!;
    expect(namedRangeId).toMatch(/^kix\./);
    await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ insertText: { location: { index: 1 }, text: '>> ' } }, { insertText: { location: { index: 12 }, text: 'XY' } }] } });
    let doc = (await t.docs.documents.get({ documentId: id })).data;
    expect(doc.namedRanges).toEqual({ who: { name: 'who', namedRanges: [{ namedRangeId, name: 'who', ranges: [{ startIndex: 10, endIndex: 16, tabId: 't.0' }] }] } });
    await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ replaceNamedRangeContent: { namedRangeName: 'who', text: 'Ada' } }] } });
    expect(await bodyText(t, id)).toBe('>> Hello Ada!\n');
    doc = (await t.docs.documents.get({ documentId: id })).data;
    expect(doc.namedRanges!.who.namedRanges![0].ranges).toEqual([{ startIndex: 10, endIndex: 13, tabId: 't.0' }]);
  });

  test('a deletion that overlaps a named range shrinks it to what is left', async () => {
    const id = await newDocument(t, 'Shrink', 'abcdefgh');
    await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ createNamedRange: { name: 'mid', range: { startIndex: 3, endIndex: 7 } } }, { deleteContentRange: { range: { startIndex: 2, endIndex: 5 } } }] } });
    const ranges = (await t.docs.documents.get({ documentId: id })).data.namedRanges!.mid.namedRanges![0].ranges;
    expect(ranges).toEqual([{ startIndex: 2, endIndex: 4, tabId: 't.0' }]);
    expect(await bodyText(t, id)).toBe('aefgh\n');
  });

  test('deleting all of a named range\'s text removes it; deleteNamedRange by name removes every range of that name', async () => {
    const id = await newDocument(t, 'Gone', 'abc def');
    await t.docs.documents.batchUpdate({
      documentId: id,
      requestBody: { requests: [{ createNamedRange: { name: 'a', range: { startIndex: 1, endIndex: 4 } } }, { createNamedRange: { name: 'd', range: { startIndex: 5, endIndex: 8 } } }, { createNamedRange: { name: 'd', range: { startIndex: 5, endIndex: 6 } } }] },
    });
    await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ deleteContentRange: { range: { startIndex: 1, endIndex: 4 } } }, { deleteNamedRange: { name: 'd' } }] } });
    expect((await t.docs.documents.get({ documentId: id })).data.namedRanges).toBeUndefined();
  });
});
