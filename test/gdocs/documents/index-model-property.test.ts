/**
 * The document model against a reference: the body as one UTF-16 string. Seeded random batches of insertText and
 * deleteContentRange (emoji, newlines, indexes anywhere) must leave the twin's body equal to the reference, its
 * elements contiguous, every paragraph ending in its one newline; and a request the reference finds invalid (past the
 * end, the final newline, half a surrogate pair) must refuse the batch and change nothing.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { createGdocsTwin } from '../../../twins/index.js';
import { TEST_CLOCK, TOKEN } from '../../support/gdocs.js';
import { drawEdit, place, reference, request, type Edit } from '../../support/utf16-reference.js';

const BASE = 'https://docs.googleapis.com';
const HEADERS = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const PIECES = ['a', 'b', 'Z', ' ', '\n', '😀', '🇫🇷', 'é', '文'];

const draw = drawEdit(PIECES, { maxAt: 1000, maxPieces: 6, maxDelete: 4 });

test('seeded batches of inserts and deletes keep the body equal to a plain UTF-16 reference', async () => {
  const twin = createGdocsTwin({ strict: true, clock: TEST_CLOCK });
  const send = async (method: string, path: string, body?: unknown) => {
    const res = await twin.handle({ method, url: BASE + path, headers: HEADERS, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, body: JSON.parse(res.body!) };
  };
  const seen = { applied: 0, refused: 0 };
  await fc.assert(
    fc.asyncProperty(fc.array(fc.array(draw, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }), async (draws) => {
      twin.reset();
      const { body: created } = await send('POST', '/v1/documents', { title: 'Property' });
      const id = created.documentId;
      let text = '\n';
      for (const drawn of draws) {
        let next: string | { refused: true } = text;
        const batch: Edit[] = [];
        for (const d of drawn) {
          const e = place(d, typeof next === 'string' ? next.length : text.length);
          batch.push(e);
          if (typeof next === 'string') next = reference(next, e);
        }
        const before = (await send('GET', `/v1/documents/${id}`)).body;
        const res = await send('POST', `/v1/documents/${id}:batchUpdate`, { requests: batch.map(request) });
        if (typeof next !== 'string') {
          expect(res.status).toBe(400);
          expect(res.body.error.message).toMatch(/^Invalid requests\[\d\]\.(insertText|deleteContentRange): /);
          expect((await send('GET', `/v1/documents/${id}`)).body).toEqual(before);
          seen.refused++;
          continue;
        }
        expect(res.status).toBe(200);
        seen.applied++;
        text = next;
        const content = (await send('GET', `/v1/documents/${id}`)).body.body.content;
        let at = 1;
        let joined = '';
        for (const element of content.slice(1)) {
          expect(element.startIndex).toBe(at);
          const paragraph = element.paragraph.elements.map((x: any) => {
            expect(x.startIndex).toBe(at);
            at = x.endIndex;
            return x.textRun.content as string;
          }).join('');
          expect(element.endIndex).toBe(at);
          expect(paragraph.indexOf('\n')).toBe(paragraph.length - 1);
          joined += paragraph;
        }
        expect(joined).toBe(text);
      }
    }),
    { seed: 20260101, numRuns: 200 },
  );
  // Both sides of the property were exercised, not only refusals.
  expect(seen.applied).toBeGreaterThan(100);
  expect(seen.refused).toBeGreaterThan(100);
});
