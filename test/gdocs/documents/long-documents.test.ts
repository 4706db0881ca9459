/**
 * Documents long enough that the twin keeps their body in many pieces (it cuts a segment's blocks into pieces of
 * about 64): edits anywhere, within a piece or across several, must give what they give on a short document. Seeded
 * batches are checked against a plain UTF-16 reference as in index-model-property.test.ts, with longer deletions
 * and runs of newlines that grow a piece past its size; and after every batch the stored pieces must add up.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import type { Block, StoredDocument } from '../../../twins/gdocs/types.js';
import { createGdocsTwin } from '../../../twins/index.js';
import { TEST_CLOCK, TOKEN } from '../../support/gdocs.js';
import { drawEdit, place, reference, request, type Edit } from '../../support/utf16-reference.js';

const BASE = 'https://docs.googleapis.com';
const HEADERS = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const LINES = 300;
const START = Array.from({ length: LINES }, (_, i) => `Line ${i} 😀 é\n`).join('');
const PIECES = ['a', 'Z', ' ', '\n', '😀', '文', '\n'.repeat(150)];

async function longDocument() {
  const twin = createGdocsTwin({ strict: true, clock: TEST_CLOCK });
  const send = async (method: string, path: string, body?: unknown) => {
    const res = await twin.handle({ method, url: BASE + path, headers: HEADERS, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, body: JSON.parse(res.body!) };
  };
  const { body: created } = await send('POST', '/v1/documents', { title: 'Long' });
  const id: string = created.documentId;
  expect((await send('POST', `/v1/documents/${id}:batchUpdate`, { requests: [{ insertText: { location: { index: 1 }, text: START } }] })).status).toBe(200);
  return { twin, id, send, batch: (requests: unknown[]) => send('POST', `/v1/documents/${id}:batchUpdate`, { requests }), get: async () => (await send('GET', `/v1/documents/${id}`)).body };
}

/** The body's paragraphs as one string, after checking that every element starts where the one before it ended. */
function bodyText(content: any[]): string {
  let at = 1;
  let text = '';
  for (const element of content.slice(1)) {
    expect(element.startIndex).toBe(at);
    if (element.table) {
      at = element.endIndex;
      continue;
    }
    for (const x of element.paragraph.elements) {
      expect(x.startIndex).toBe(at);
      at = x.endIndex;
      text += x.textRun?.content ?? '';
    }
    expect(element.endIndex).toBe(at);
  }
  return text;
}

const lengthOf = (b: Block): number =>
  b.kind === 'paragraph' ? b.runs.reduce((n, r) => n + r.text.length, 0) : b.kind === 'table' ? 2 + b.rows.reduce((n, row) => n + 1 + row.reduce((m, cell) => m + 1 + cell.content.reduce((k, p) => k + lengthOf(p), 0), 0), 0) : 1;

/** The stored body's pieces: each one's length is its blocks' length, none is empty or much larger than its size, and every piece's blocks are kept. */
function expectPiecesAddUp(doc: StoredDocument): void {
  const { pieces, blocks } = doc.body;
  expect(Object.keys(blocks).sort()).toEqual(pieces.map((p) => p.id).sort());
  for (const piece of pieces) {
    expect(blocks[piece.id].length).toBeGreaterThan(0);
    expect(blocks[piece.id].length).toBeLessThanOrEqual(128);
    expect(blocks[piece.id].reduce((n, b) => n + lengthOf(b), 0)).toBe(piece.length);
  }
}

const draw = drawEdit(PIECES, { maxAt: 20000, maxPieces: 4, maxDelete: 3000 });

test('seeded batches of inserts and long deletes anywhere in a long document keep its body equal to a plain UTF-16 reference', async () => {
  const seen = { applied: 0, refused: 0 };
  await fc.assert(
    fc.asyncProperty(fc.array(fc.array(draw, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), async (draws) => {
      const { twin, id, batch, get } = await longDocument();
      let text = START + '\n';
      for (const drawn of draws) {
        let next: string | { refused: true } = text;
        const edits: Edit[] = [];
        for (const d of drawn) {
          const e = place(d, typeof next === 'string' ? next.length : text.length);
          edits.push(e);
          if (typeof next === 'string') next = reference(next, e);
        }
        const before = await get();
        const res = await batch(edits.map(request));
        if (typeof next !== 'string') {
          expect(res.status).toBe(400);
          expect(await get()).toEqual(before);
          seen.refused++;
          continue;
        }
        expect(res.status).toBe(200);
        seen.applied++;
        text = next;
        expect(bodyText((await get()).body.content)).toBe(text);
        expectPiecesAddUp(twin.state.documents[id]);
      }
    }),
    { seed: 20261206, numRuns: 40 },
  );
  expect(seen.applied).toBeGreaterThan(20);
  expect(seen.refused).toBeGreaterThan(5);
});

/** Where line k of START starts in the body. */
const lineStart = (k: number) => 1 + START.split('\n').slice(0, k).reduce((n, line) => n + line.length + 1, 0);

test('a deletion that ends with the last newline of a piece joins its paragraph with the first of the next piece', async () => {
  const { twin, id, batch, get } = await longDocument();
  // Line 62 is the last block of the first piece (the section break and lines 0 to 62: 64 blocks).
  expect((await batch([{ deleteContentRange: { range: { startIndex: lineStart(62) + 4, endIndex: lineStart(63) } } }])).status).toBe(200);
  const lines = START.split('\n').slice(0, -1);
  expect(bodyText((await get()).body.content)).toBe([...lines.slice(0, 62), lines[62].slice(0, 4) + lines[63], ...lines.slice(64)].join('\n') + '\n\n');
  expectPiecesAddUp(twin.state.documents[id]);
});

test('a table between two pieces of a long document takes rows and text, and goes with a deletion that spans it whole', async () => {
  const { twin, id, batch, get } = await longDocument();
  // The start of line 63: a piece boundary once the 301 blocks of the first batch were cut into pieces of 64.
  const at = lineStart(63);
  expect((await batch([{ insertTable: { rows: 1, columns: 2, location: { index: at } } }])).status).toBe(200);
  let content = (await get()).body.content;
  const table = content.find((e: any) => e.table);
  expect(table.startIndex).toBe(at + 1);
  const tableStart = table.startIndex;
  const requests = [
    { insertTableRow: { tableCellLocation: { tableStartLocation: { index: tableStart }, rowIndex: 0, columnIndex: 0 }, insertBelow: true } },
    { insertText: { location: { index: tableStart + 3 }, text: 'cell 😀' } },
  ];
  expect((await batch(requests)).status).toBe(200);
  content = (await get()).body.content;
  const grown = content.find((e: any) => e.table);
  expect(grown.table.rows).toBe(2);
  expect(grown.table.tableRows[0].tableCells[0].content[0].paragraph.elements[0].textRun.content).toBe('cell 😀\n');
  expectPiecesAddUp(twin.state.documents[id]);
  // Only part of the table: refused, nothing changes.
  const before = await get();
  expect((await batch([{ deleteContentRange: { range: { startIndex: lineStart(40), endIndex: grown.startIndex + 4 } } }])).status).toBe(400);
  expect(await get()).toEqual(before);
  // From line 40 to the middle of line 90 (after the table, counted in the new indexes): the table goes with the lines.
  const tableLength = grown.endIndex - grown.startIndex;
  const from = lineStart(40);
  const to = lineStart(90) + 1 + tableLength + 3;
  expect((await batch([{ deleteContentRange: { range: { startIndex: from, endIndex: to } } }])).status).toBe(200);
  content = (await get()).body.content;
  expect(content.some((e: any) => e.table)).toBe(false);
  const lines = START.split('\n').slice(0, -1);
  expect(bodyText(content)).toBe([...lines.slice(0, 40), lines[90].slice(3), ...lines.slice(91)].join('\n') + '\n\n');
  expectPiecesAddUp(twin.state.documents[id]);
});

test('replaceAllText and updateTextStyle reach every piece of a long document', async () => {
  const { twin, id, batch, get } = await longDocument();
  const res = await batch([
    { replaceAllText: { containsText: { text: 'Line', matchCase: true }, replaceText: 'Row' } },
    { updateTextStyle: { range: { startIndex: 500, endIndex: 3000 }, textStyle: { bold: true }, fields: 'bold' } },
  ]);
  expect(res.status).toBe(200);
  expect(res.body.replies[0]).toEqual({ replaceAllText: { occurrencesChanged: LINES } });
  const content = (await get()).body.content;
  expect(bodyText(content)).toBe(START.replaceAll('Line', 'Row') + '\n');
  for (const element of content.slice(1)) {
    for (const x of element.paragraph.elements) {
      const inside = x.startIndex >= 500 && x.endIndex <= 3000;
      const outside = x.endIndex <= 500 || x.startIndex >= 3000;
      expect(inside || outside).toBe(true);
      expect(x.textRun.textStyle.bold === true).toBe(inside);
    }
  }
  expectPiecesAddUp(twin.state.documents[id]);
});
