import type { docs_v1 } from '@googleapis/docs';
import { expect, test } from 'vitest';
import { batchUpdate, describeGdocs, newDocument, refused, type GdocsTarget } from '../../support/gdocs.js';

type Request = docs_v1.Schema$Request;
const insert = (index: number, text: string): Request => ({ insertText: { location: { index }, text } });
const remove = (startIndex: number, endIndex: number): Request => ({ deleteContentRange: { range: { startIndex, endIndex } } });

/** Each paragraph of the body as [startIndex, endIndex, text]. */
async function paragraphs(t: GdocsTarget, documentId: string): Promise<[number, number, string][]> {
  const { data } = await t.docs.documents.get({ documentId });
  return data.body!.content!.filter((e) => e.paragraph).map((e) => [e.startIndex!, e.endIndex!, e.paragraph!.elements!.map((x) => x.textRun?.content ?? '').join('')]);
}

/** [title, text the document starts with, requests, paragraphs after] */
const CASES: [string, string, Request[], [number, number, string][]][] = [
  ['text inserted into an empty document starts at 1', '', [insert(1, 'Hello')], [[1, 7, 'Hello\n']]],
  ['text inserted before the final newline extends the paragraph', 'Hello', [insert(6, ' world')], [[1, 13, 'Hello world\n']]],
  ['an emoji counts two UTF-16 units', '', [insert(1, 'a😀b')], [[1, 6, 'a😀b\n']]],
  ['a flag emoji counts four', '', [insert(1, '🇫🇷!')], [[1, 7, '🇫🇷!\n']]],
  ['e and a combining acute accent count two', '', [insert(1, 'e\u0301')], [[1, 4, 'e\u0301\n']]],
  ['CJK characters of the BMP count one each', '', [insert(1, '文档')], [[1, 4, '文档\n']]],
  ['an insertion between the halves of a surrogate pair goes in after the pair', 'a😀b', [insert(3, 'X')], [[1, 7, 'a😀Xb\n']]],
  ['deleting a whole surrogate pair', 'a😀b', [remove(2, 4)], [[1, 4, 'ab\n']]],
  ['a newline splits the paragraph', 'ab', [insert(2, '\n')], [[1, 3, 'a\n'], [3, 5, 'b\n']]],
  ['deleting a newline merges two paragraphs', 'a\nb', [remove(2, 3)], [[1, 4, 'ab\n']]],
  ['deleting across paragraphs keeps the head of the first and the tail of the last', 'one\ntwo\nthree', [remove(3, 11)], [[1, 7, 'onree\n']]],
  ['each request sees the document as the one before left it', '', [insert(1, 'abc'), insert(2, 'X')], [[1, 6, 'aXbc\n']]],
  ['editing backwards needs no index arithmetic', 'ac', [insert(2, 'b'), insert(1, '>')], [[1, 6, '>abc\n']]],
  ['control characters, carriage returns and Private Use Area characters are stripped', '', [insert(1, 'a\u0001b\r\nc\uE000d')], [[1, 4, 'ab\n'], [4, 7, 'cd\n']]],
  ['endOfSegmentLocation appends before the final newline', 'Hi', [{ insertText: { endOfSegmentLocation: {}, text: ' there' } }], [[1, 10, 'Hi there\n']]],
  ['several paragraphs inserted at once', '', [insert(1, 'a\nbb\nccc')], [[1, 3, 'a\n'], [3, 6, 'bb\n'], [6, 10, 'ccc\n']]],
];

describeGdocs('batchUpdate index arithmetic (UTF-16 code units)', (t) => {
  test.each(CASES)('%s', async (_title, initial, requests, expected) => {
    const id = await newDocument(t, 'Arithmetic', initial || undefined);
    await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests } });
    expect(await paragraphs(t, id)).toEqual(expected);
  });
});

/** [title, text the document starts with, requests, Google's message] */
const REFUSALS: [string, string, Request[], string][] = [
  ['inserting at the section break', '', [insert(0, 'x')], 'Invalid requests[0].insertText: The insertion index must be inside the bounds of an existing paragraph. You can still create new paragraphs by inserting newlines.'],
  ['inserting at the segment end', '', [insert(2, 'x')], 'Invalid requests[0].insertText: Index 2 must be less than the end index of the referenced segment, 2.'],
  ['inserting past the segment end, counted in UTF-16 units', 'a😀', [insert(6, 'x')], 'Invalid requests[0].insertText: Index 6 must be less than the end index of the referenced segment, 5.'],
  ['deleting the final newline', 'abc', [remove(1, 5)], 'Invalid requests[0].deleteContentRange: The range cannot include the newline character at the end of the segment.'],
  ['deleting an empty range', 'abc', [remove(2, 2)], 'Invalid requests[0].deleteContentRange: The range should not be empty.'],
  ['deleting a range whose start is after its end', 'abc', [remove(3, 2)], 'Invalid requests[0].deleteContentRange: The start index 3 of the range must not be greater than its end index 2.'],
  ['deleting past the segment end', 'abc', [remove(2, 9)], 'Invalid requests[0].deleteContentRange: Index 8 must be less than the end index of the referenced segment, 5.'],
  ['deleting the section break', 'abc', [remove(0, 2)], 'Invalid requests[0].deleteContentRange: Cannot operate on the first section break in the document.'],
  ['deleting the first half of a surrogate pair', 'a😀b', [remove(2, 3)], 'Invalid requests[0].deleteContentRange: The range cannot start or end in the middle of a surrogate pair.'],
  ['deleting the second half of a surrogate pair', 'a😀b', [remove(3, 4)], 'Invalid requests[0].deleteContentRange: The range cannot start or end in the middle of a surrogate pair.'],
  ['a later request that fails names its own index', 'abc', [insert(1, 'ok'), remove(1, 7)], 'Invalid requests[1].deleteContentRange: The range cannot include the newline character at the end of the segment.'],
  ['an index made invalid by an earlier request of the batch', 'abc', [remove(1, 3), insert(4, 'x')], 'Invalid requests[1].insertText: Index 4 must be less than the end index of the referenced segment, 3.'],
  ['location and endOfSegmentLocation together', 'abc', [{ insertText: { location: { index: 1 }, endOfSegmentLocation: {}, text: 'x' } }], 'Invalid requests[0].insertText: Exactly one of location or endOfSegmentLocation must be specified.'],
  ['a segment that does not exist', 'abc', [{ insertText: { location: { index: 0, segmentId: 'kix.nothere' }, text: 'x' } }], 'Invalid requests[0].insertText: The segment with ID kix.nothere was not found.'],
  ['a style update without fields', 'abc', [{ updateTextStyle: { range: { startIndex: 1, endIndex: 2 }, textStyle: { bold: true } } }], "Invalid requests[0].updateTextStyle: At least one field must be listed in 'fields'. (Use '*' to indicate all fields.)"],
  ['a style update naming an unknown field', 'abc', [{ updateTextStyle: { range: { startIndex: 1, endIndex: 2 }, textStyle: {}, fields: 'sparkle' } }], 'Invalid requests[0].updateTextStyle: Invalid field: sparkle'],
  ['a paragraph style update past the end', 'abc', [{ updateParagraphStyle: { range: { startIndex: 1, endIndex: 7 }, paragraphStyle: {}, fields: 'alignment' } }], 'Invalid requests[0].updateParagraphStyle: Index 6 must be less than the end index of the referenced segment, 5.'],
  ['a named range without a name', 'abc', [{ createNamedRange: { name: '', range: { startIndex: 1, endIndex: 2 } } }], 'Invalid requests[0].createNamedRange: The name must be between 1 and 256 characters long.'],
  ['deleting a named range that does not exist', 'abc', [{ deleteNamedRange: { namedRangeId: 'kix.none' } }], 'Invalid requests[0].deleteNamedRange: The named range with ID kix.none was not found.'],
  ['searching for empty text', 'abc', [{ replaceAllText: { containsText: { text: '' }, replaceText: 'x' } }], 'Invalid requests[0].replaceAllText: The text to search for must not be empty.'],
];

describeGdocs('batchUpdate refusals: 400 INVALID_ARGUMENT naming the request, and nothing applied', (t) => {
  test.each(REFUSALS)('%s', async (_title, initial, requests, message) => {
    const id = await newDocument(t, 'Refusals', initial || undefined);
    const before = await t.docs.documents.get({ documentId: id });
    const error = await refused(await batchUpdate(t, id, requests), 400);
    expect(error).toEqual({ code: 400, message, status: 'INVALID_ARGUMENT', errors: [{ message, domain: 'global', reason: 'badRequest' }] });
    const after = await t.docs.documents.get({ documentId: id });
    expect(after.data).toEqual(before.data);
  });

  test('the official client surfaces the refusal as its error, with the message and status', async () => {
    const id = await newDocument(t, 'Client error');
    try {
      await t.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [insert(5, 'x')] } });
      expect.unreachable();
    } catch (error: any) {
      expect(error.status).toBe(400);
      expect(error.message).toBe('Invalid requests[0].insertText: Index 5 must be less than the end index of the referenced segment, 2.');
      expect(error.response.data.error.status).toBe('INVALID_ARGUMENT');
    }
  });

  test('a request kind the twin does not know is refused by the schema, naming it', async () => {
    const id = await newDocument(t, 'Unknown kind');
    const error = await refused(await batchUpdate(t, id, [{ sparkle: {} }]), 400);
    expect(error.status).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('requests.0');
  });

  test('a POST to the document without :batchUpdate is not a method: 404', async () => {
    const id = await newDocument(t, 'No verb');
    const res = await t.fetch(`/v1/documents/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"requests":[]}' });
    expect((await refused(res, 404)).status).toBe('NOT_FOUND');
  });
});
