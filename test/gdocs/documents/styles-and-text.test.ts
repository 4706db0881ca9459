import { expect, test } from 'vitest';
import { bodyText, describeGdocs, newDocument } from '../../support/gdocs.js';

describeGdocs('text styles, paragraph styles and replaceAllText', (t) => {
  test('updateTextStyle splits runs by style; the mask clears fields it names but the style lacks', async () => {
    const id = await newDocument(t, 'Styled', 'Hello world');
    await t.docs.documents.batchUpdate({
      documentId: id,
      requestBody: { requests: [{ updateTextStyle: { range: { startIndex: 7, endIndex: 12 }, textStyle: { bold: true, italic: true, link: { url: 'https://example.com' } }, fields: 'bold,italic,link' } }] },
    });
    let { data } = await t.docs.documents.get({ documentId: id });
    expect(data.body!.content![1].paragraph!.elements).toEqual([
      { startIndex: 1, endIndex: 7, textRun: { content: 'Hello ', textStyle: {} } },
      { startIndex: 7, endIndex: 12, textRun: { content: 'world', textStyle: { bold: true, italic: true, link: { url: 'https://example.com' } } } },
      { startIndex: 12, endIndex: 13, textRun: { content: '\n', textStyle: {} } },
    ]);
    await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ updateTextStyle: { range: { startIndex: 1, endIndex: 12 }, textStyle: { bold: true }, fields: 'bold,italic' } }] } });
    ({ data } = await t.docs.documents.get({ documentId: id }));
    expect(data.body!.content![1].paragraph!.elements!.map((e) => [e.textRun!.content, e.textRun!.textStyle])).toEqual([
      ['Hello ', { bold: true }],
      ['world', { bold: true, link: { url: 'https://example.com' } }],
      ['\n', {}],
    ]);
  });

  test('text inserted after styled text takes its style', async () => {
    const id = await newDocument(t, 'Inherit', 'ab');
    await t.docs.documents.batchUpdate({
      documentId: id,
      requestBody: { requests: [{ updateTextStyle: { range: { startIndex: 1, endIndex: 2 }, textStyle: { underline: true }, fields: 'underline' } }, { insertText: { location: { index: 2 }, text: 'X' } }] },
    });
    const { data } = await t.docs.documents.get({ documentId: id });
    expect(data.body!.content![1].paragraph!.elements!.map((e) => [e.textRun!.content, e.textRun!.textStyle])).toEqual([['aX', { underline: true }], ['b\n', {}]]);
  });

  test('updateParagraphStyle styles every paragraph the range touches; a heading gets a headingId; a new paragraph copies the style', async () => {
    const id = await newDocument(t, 'Paragraphs', 'Title\nBody');
    await t.docs.documents.batchUpdate({
      documentId: id,
      requestBody: { requests: [{ updateParagraphStyle: { range: { startIndex: 1, endIndex: 3 }, paragraphStyle: { namedStyleType: 'HEADING_1', alignment: 'CENTER' }, fields: 'namedStyleType,alignment' } }, { insertText: { location: { index: 3 }, text: '\n' } }] },
    });
    const { data } = await t.docs.documents.get({ documentId: id });
    const styles = data.body!.content!.filter((e) => e.paragraph).map((e) => e.paragraph!.paragraphStyle!);
    expect(styles[0]).toMatchObject({ namedStyleType: 'HEADING_1', alignment: 'CENTER', headingId: expect.stringMatching(/^h\.[a-z0-9]{12}$/) });
    expect(styles[1]).toMatchObject({ namedStyleType: 'HEADING_1', alignment: 'CENTER' });
    expect(styles[2]).toEqual({ namedStyleType: 'NORMAL_TEXT', direction: 'LEFT_TO_RIGHT' });
  });

  test('replaceAllText replaces in body and headers, case-insensitively unless matchCase, and counts occurrences', async () => {
    const id = await newDocument(t, 'Template', 'Dear {{NAME}}, hello {{name}}.');
    const { data: header } = await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ createHeader: { type: 'DEFAULT' } }] } });
    const headerId = header.replies![0].createHeader!.headerId!;
    await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ insertText: { location: { segmentId: headerId, index: 0 }, text: 'For {{NAME}}' } }] } });
    const { data } = await t.docs.documents.batchUpdate({
      documentId: id,
      requestBody: { requests: [{ replaceAllText: { containsText: { text: '{{NAME}}', matchCase: true }, replaceText: 'Ada 👩‍💻' } }, { replaceAllText: { containsText: { text: '{{name}}' }, replaceText: 'again' } }] },
    });
    expect(data.replies).toEqual([{ replaceAllText: { occurrencesChanged: 2 } }, { replaceAllText: { occurrencesChanged: 1 } }]);
    expect(await bodyText(t, id)).toBe('Dear Ada 👩‍💻, hello again.\n');
    const doc = (await t.docs.documents.get({ documentId: id })).data;
    expect(doc.headers![headerId].content![0].paragraph!.elements![0].textRun!.content).toBe('For Ada 👩‍💻\n');
    expect(doc.body!.content![1].endIndex).toBe(1 + 'Dear Ada 👩‍💻, hello again.\n'.length);
  });

  test('replaceAllText with searchByRegex', async () => {
    const id = await newDocument(t, 'Regex', 'a1 b22 c333');
    const { data } = await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ replaceAllText: { containsText: { text: '\\d+', searchByRegex: true }, replaceText: '#' } }] } });
    expect(data.replies).toEqual([{ replaceAllText: { occurrencesChanged: 3 } }]);
    expect(await bodyText(t, id)).toBe('a# b# c#\n');
  });
});
