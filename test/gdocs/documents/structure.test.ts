import { expect, test } from 'vitest';
import { batchUpdate, bodyText, describeGdocs, newDocument, refused } from '../../support/gdocs.js';

/** The spans of a table: the table, then each row with its cells' spans. */
const spans = (table: any) => ({
  table: [table.startIndex, table.endIndex],
  rows: table.table.tableRows.map((r: any) => [[r.startIndex, r.endIndex], r.tableCells.map((c: any) => [c.startIndex, c.endIndex])]),
});

describeGdocs('tables, bullets, page breaks, images, headers and footers', (t) => {
  test('insertTable puts a newline before the table, which starts at index + 1; every table, row and cell start takes one unit, the end one more', async () => {
    const id = await newDocument(t, 'Table');
    await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ insertTable: { rows: 2, columns: 2, location: { index: 1 } } }] } });
    const content = (await t.docs.documents.get({ documentId: id })).data.body!.content!;
    expect(content.map((e) => [e.startIndex ?? 0, e.endIndex, e.table ? 'table' : e.paragraph ? 'paragraph' : 'sectionBreak'])).toEqual([
      [0, 1, 'sectionBreak'],
      [1, 2, 'paragraph'],
      [2, 14, 'table'],
      [14, 15, 'paragraph'],
    ]);
    expect(spans(content[2])).toEqual({
      table: [2, 14],
      rows: [
        [[3, 8], [[4, 6], [6, 8]]],
        [[8, 13], [[9, 11], [11, 13]]],
      ],
    });
    expect(content[2].table!.tableRows![1].tableCells![1].content![0]).toMatchObject({ startIndex: 12, endIndex: 13 });
    expect(content[2].table).toMatchObject({ rows: 2, columns: 2 });
  });

  test('cells take text at their paragraph start; rows are inserted and deleted; a cell holds its own text', async () => {
    const id = await newDocument(t, 'Cells');
    await t.docs.documents.batchUpdate({
      documentId: id,
      requestBody: { requests: [{ insertTable: { rows: 2, columns: 2, location: { index: 1 } } }, { insertText: { location: { index: 12 }, text: 'D' } }, { insertText: { location: { index: 5 }, text: 'A' } }] },
    });
    expect(await bodyText(t, id)).toBe('\nA\n\n\nD\n\n');
    await t.docs.documents.batchUpdate({
      documentId: id,
      requestBody: { requests: [{ insertTableRow: { tableCellLocation: { tableStartLocation: { index: 2 }, rowIndex: 0, columnIndex: 0 }, insertBelow: true } }] },
    });
    let table = (await t.docs.documents.get({ documentId: id })).data.body!.content![2];
    expect(table.table!.rows).toBe(3);
    expect(spans(table).table).toEqual([2, 21]);
    expect(table.table!.tableRows!.map((r) => r.tableCells!.map((c) => c.content![0].paragraph!.elements![0].textRun!.content))).toEqual([['A\n', '\n'], ['\n', '\n'], ['\n', 'D\n']]);
    await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ deleteTableRow: { tableCellLocation: { tableStartLocation: { index: 2 }, rowIndex: 0 } } }] } });
    table = (await t.docs.documents.get({ documentId: id })).data.body!.content![2];
    expect(table.table!.tableRows!.map((r) => r.tableCells!.map((c) => c.content![0].paragraph!.elements![0].textRun!.content))).toEqual([['\n', '\n'], ['\n', 'D\n']]);
    expect(spans(table).table).toEqual([2, 15]);
  });

  test('inside a cell: a newline makes a second paragraph, replaceAllText and styles reach the cell, and the table grows with its text', async () => {
    const id = await newDocument(t, 'Cell text');
    await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ insertTable: { rows: 1, columns: 2, location: { index: 1 } } }, { insertText: { location: { index: 5 }, text: 'one\ntwo 🎉' } }] } });
    const { data } = await t.docs.documents.batchUpdate({
      documentId: id,
      requestBody: { requests: [{ replaceAllText: { containsText: { text: 'two' }, replaceText: 'TWO' } }, { updateTextStyle: { range: { startIndex: 5, endIndex: 8 }, textStyle: { bold: true }, fields: 'bold' } }] },
    });
    expect(data.replies![0]).toEqual({ replaceAllText: { occurrencesChanged: 1 } });
    const table = (await t.docs.documents.get({ documentId: id })).data.body!.content![2];
    const cell = table.table!.tableRows![0].tableCells![0];
    expect(cell.content!.map((p) => [p.startIndex, p.endIndex, p.paragraph!.elements!.map((e) => e.textRun!.content).join('')])).toEqual([
      [5, 9, 'one\n'],
      [9, 16, 'TWO 🎉\n'],
    ]);
    expect(cell.content![0].paragraph!.elements![0].textRun!.textStyle).toEqual({ bold: true });
    expect([table.startIndex, table.endIndex]).toEqual([2, 19]);
    expect(table.table!.tableRows![0].tableCells![1]).toMatchObject({ startIndex: 16, endIndex: 18 });
    await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ deleteContentRange: { range: { startIndex: 8, endIndex: 12 } } }] } });
    const after = (await t.docs.documents.get({ documentId: id })).data.body!.content![2].table!.tableRows![0].tableCells![0];
    expect(after.content!.map((p) => p.paragraph!.elements!.map((e) => e.textRun!.content).join(''))).toEqual(['one 🎉\n']);
  });

  test('deleting the last row deletes the table; text around a table stays', async () => {
    const id = await newDocument(t, 'One row', 'ab');
    await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ insertTable: { rows: 1, columns: 1, location: { index: 2 } } }] } });
    expect(await bodyText(t, id)).toBe('a\n\nb\n');
    await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ deleteTableRow: { tableCellLocation: { tableStartLocation: { index: 3 }, rowIndex: 0 } } }] } });
    expect(await bodyText(t, id)).toBe('a\nb\n');
  });

  test('what a table refuses: text at its start, part of it deleted, a cell\'s last newline, the newline before it', async () => {
    const id = await newDocument(t, 'Table refusals');
    await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ insertTable: { rows: 1, columns: 2, location: { index: 1 } } }] } });
    // sectionBreak 0-1, paragraph 1-2, table 2-9 (row 3, cells 4-6 and 6-8), paragraph 9-10
    const cases: [unknown, string][] = [
      [{ insertText: { location: { index: 2 }, text: 'x' } }, 'Invalid requests[0].insertText: The insertion index must be inside the bounds of an existing paragraph. You can still create new paragraphs by inserting newlines.'],
      [{ deleteContentRange: { range: { startIndex: 5, endIndex: 8 } } }, 'Invalid requests[0].deleteContentRange: The range cannot include only part of a table.'],
      [{ deleteContentRange: { range: { startIndex: 5, endIndex: 6 } } }, 'Invalid requests[0].deleteContentRange: The range cannot include the newline character at the end of a table cell.'],
      [{ deleteContentRange: { range: { startIndex: 1, endIndex: 2 } } }, 'Invalid requests[0].deleteContentRange: The range cannot include the newline character before a table without including the table.'],
      [{ insertTableRow: { tableCellLocation: { tableStartLocation: { index: 3 }, rowIndex: 0 } } }, 'Invalid requests[0].insertTableRow: Invalid table start location. Must specify the start index of the table.'],
      [{ deleteTableRow: { tableCellLocation: { tableStartLocation: { index: 2 }, rowIndex: 4 } } }, 'Invalid requests[0].deleteTableRow: The row index 4 is out of bounds: the table has 1 rows.'],
      [{ insertPageBreak: { location: { index: 5 } } }, 'Invalid requests[0].insertPageBreak: Page breaks cannot be inserted inside a table.'],
    ];
    for (const [request, message] of cases) expect((await refused(await batchUpdate(t, id, [request]), 400)).message).toBe(message);
  });

  test('deleting a whole table with the text around it merges the paragraphs on either side', async () => {
    const id = await newDocument(t, 'Whole table', 'ab');
    await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ insertTable: { rows: 1, columns: 1, location: { index: 2 } } }] } });
    // a 1-3 (a\n), table 3-8, b 8-10
    await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ deleteContentRange: { range: { startIndex: 2, endIndex: 8 } } }] } });
    expect(await bodyText(t, id)).toBe('ab\n');
  });

  test('createParagraphBullets turns leading tabs into nesting levels (and removes them); deleteParagraphBullets keeps the indent', async () => {
    const id = await newDocument(t, 'List', 'one\n\ttwo\nthree');
    await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ createParagraphBullets: { range: { startIndex: 1, endIndex: 15 }, bulletPreset: 'NUMBERED_DECIMAL_ALPHA_ROMAN' } }] } });
    const doc = (await t.docs.documents.get({ documentId: id })).data;
    const paragraphs = doc.body!.content!.filter((e) => e.paragraph);
    expect(paragraphs.map((p) => [p.startIndex, p.endIndex, p.paragraph!.bullet?.nestingLevel ?? 0])).toEqual([[1, 5, 0], [5, 9, 1], [9, 15, 0]]);
    const listId = paragraphs[0].paragraph!.bullet!.listId!;
    expect(paragraphs.every((p) => p.paragraph!.bullet!.listId === listId)).toBe(true);
    expect(doc.lists![listId].listProperties!.nestingLevels![0]).toMatchObject({ glyphType: 'DECIMAL', glyphFormat: '%0.' });
    expect(doc.lists![listId].listProperties!.nestingLevels).toHaveLength(9);
    expect(paragraphs[1].paragraph!.paragraphStyle).toMatchObject({ indentFirstLine: { magnitude: 54, unit: 'PT' }, indentStart: { magnitude: 72, unit: 'PT' } });
    await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ deleteParagraphBullets: { range: { startIndex: 1, endIndex: 6 } } }] } });
    const after = (await t.docs.documents.get({ documentId: id })).data.body!.content!.filter((e) => e.paragraph);
    expect(after.map((p) => p.paragraph!.bullet === undefined)).toEqual([true, true, false]);
    expect(after[1].paragraph!.paragraphStyle).toMatchObject({ indentStart: { magnitude: 72, unit: 'PT' } });
  });

  test('insertPageBreak inserts a page break and a newline; insertInlineImage an inline object of one unit', async () => {
    const id = await newDocument(t, 'Breaks', 'ab');
    const { data } = await t.docs.documents.batchUpdate({
      documentId: id,
      requestBody: { requests: [{ insertPageBreak: { location: { index: 2 } } }, { insertInlineImage: { uri: 'https://example.com/cat.png', location: { index: 4 }, objectSize: { width: { magnitude: 50, unit: 'PT' } } } }] },
    });
    const objectId = data.replies![1].insertInlineImage!.objectId!;
    expect(data.replies![0]).toEqual({});
    const doc = (await t.docs.documents.get({ documentId: id })).data;
    const paragraphs = doc.body!.content!.filter((e) => e.paragraph);
    expect(paragraphs[0].paragraph!.elements).toEqual([
      { startIndex: 1, endIndex: 2, textRun: { content: 'a', textStyle: {} } },
      { startIndex: 2, endIndex: 3, pageBreak: { textStyle: {} } },
      { startIndex: 3, endIndex: 4, textRun: { content: '\n', textStyle: {} } },
    ]);
    expect(paragraphs[1].paragraph!.elements).toEqual([
      { startIndex: 4, endIndex: 5, inlineObjectElement: { inlineObjectId: objectId, textStyle: {} } },
      { startIndex: 5, endIndex: 7, textRun: { content: 'b\n', textStyle: {} } },
    ]);
    expect(doc.inlineObjects![objectId].inlineObjectProperties!.embeddedObject).toMatchObject({ imageProperties: { sourceUri: 'https://example.com/cat.png' }, size: { width: { magnitude: 50, unit: 'PT' } } });
    expect((await refused(await batchUpdate(t, id, [{ insertInlineImage: { uri: 'file:///etc/passwd', location: { index: 1 } } }]), 400)).message).toBe(
      'Invalid requests[0].insertInlineImage: The URI must be a publicly accessible http or https URL.',
    );
  });

  test('createHeader and createFooter make segments that start at 0 and take text; a second default header is refused', async () => {
    const id = await newDocument(t, 'Header');
    const { data } = await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ createHeader: { type: 'DEFAULT' } }, { createFooter: { type: 'DEFAULT' } }] } });
    const headerId = data.replies![0].createHeader!.headerId!;
    const footerId = data.replies![1].createFooter!.footerId!;
    await t.docs.documents.batchUpdate({
      documentId: id,
      requestBody: { requests: [{ insertText: { location: { segmentId: headerId, index: 0 }, text: 'Top 🔝' } }, { insertText: { endOfSegmentLocation: { segmentId: footerId }, text: 'Page' } }] },
    });
    const doc = (await t.docs.documents.get({ documentId: id })).data;
    expect(doc.documentStyle).toMatchObject({ defaultHeaderId: headerId, defaultFooterId: footerId });
    expect(doc.headers![headerId]).toEqual({
      headerId,
      content: [{ startIndex: 0, endIndex: 7, paragraph: { elements: [{ startIndex: 0, endIndex: 7, textRun: { content: 'Top 🔝\n', textStyle: {} } }], paragraphStyle: { namedStyleType: 'NORMAL_TEXT', direction: 'LEFT_TO_RIGHT' } } }],
    });
    expect(doc.footers![footerId].content![0].paragraph!.elements![0].textRun!.content).toBe('Page\n');
    expect((await refused(await batchUpdate(t, id, [{ createHeader: { type: 'DEFAULT' } }]), 400)).message).toBe('Invalid requests[0].createHeader: A default header already exists.');
    expect((await refused(await batchUpdate(t, id, [{ deleteContentRange: { range: { segmentId: headerId, startIndex: 0, endIndex: 7 } } }]), 400)).message).toBe(
      'Invalid requests[0].deleteContentRange: The range cannot include the newline character at the end of the segment.',
    );
  });
});
