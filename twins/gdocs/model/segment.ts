import type { Block, ParagraphBlock, Piece, Run, Segment, Style, TableBlock } from '../types.js';

/** The placeholder character of a page break's run: a Private Use Area code point, which inserted text can never carry. */
export const PAGE_BREAK_CHAR = '\uE000';
/** The placeholder character of an inline object's run. */
export const INLINE_OBJECT_CHAR = '\uE001';

/** A new paragraph holding `text` (which must end with "\n") in one run. */
export function paragraph(text: string, style: Style = defaultParagraphStyle(), textStyle: Style = {}): ParagraphBlock {
  return { kind: 'paragraph', runs: [{ text, style: textStyle }], style };
}

/** The paragraph style Google gives a new paragraph. */
export function defaultParagraphStyle(): Style {
  return { namedStyleType: 'NORMAL_TEXT', direction: 'LEFT_TO_RIGHT' };
}

/** A paragraph's length in UTF-16 code units, its newline included. */
export function paragraphLength(p: ParagraphBlock): number {
  const { runs } = p;
  let n = 0;
  for (let i = 0; i < runs.length; i++) n += runs[i].text.length;
  return n;
}

/** A paragraph's text (page breaks and inline objects as their placeholder characters). */
export function paragraphText(p: ParagraphBlock): string {
  return p.runs.length === 1 ? p.runs[0].text : p.runs.map((r) => r.text).join('');
}

/** A table's length: a start and an end marker, a marker per row and per cell, and the cells' paragraphs. */
export function tableLength(t: TableBlock): number {
  let n = 2;
  for (const row of t.rows) {
    n += 1;
    for (const cell of row) {
      n += 1;
      for (const p of cell.content) n += paragraphLength(p);
    }
  }
  return n;
}

/** A block's length in UTF-16 code units. */
export function blockLength(b: Block): number {
  if (b.kind === 'paragraph') return paragraphLength(b);
  if (b.kind === 'table') return tableLength(b);
  return 1;
}

const blocksLength = (blocks: Block[]) => blocks.reduce((n, b) => n + blockLength(b), 0);

/**
 * How many blocks a piece is cut to; a piece grown past twice this is cut again, one shrunk below a quarter joins
 * the next. An index is found by adding up the lengths of all pieces before it (one read each) and of the blocks
 * before it in its piece (a walk of each paragraph's runs): 64 keeps both short for documents of a few megabytes.
 */
const PIECE_BLOCKS = 64;

/**
 * A segment holding these blocks.
 *
 * @example
 * const body = newSegment([{ kind: 'sectionBreak' }, paragraph('\n')]);
 */
export function newSegment(blocks: Block[]): Segment {
  const segment: Segment = { pieces: [], blocks: {}, nextPiece: 0 };
  for (let k = 0; k < blocks.length || k === 0; k += PIECE_BLOCKS) addPiece(segment, blocks.slice(k, k + PIECE_BLOCKS));
  return segment;
}

function addPiece(segment: Segment, blocks: Block[], id = 'p' + segment.nextPiece++): void {
  segment.blocks[id] = blocks;
  segment.pieces.push({ id, length: blocksLength(blocks) });
}

/** Every block of a segment, in order. */
export function blocksOf(segment: Segment): Block[] {
  return joinPieces(segment, segment.pieces);
}

/**
 * The blocks of these pieces in one new array. Written as a loop: the stored block lists are frozen, and V8 copies a
 * frozen array through slice, concat, flatMap or filter many times slower than through a loop or a spread.
 */
function joinPieces(segment: Segment, pieces: Piece[]): Block[] {
  const out: Block[] = [];
  for (const piece of pieces) {
    const blocks = segment.blocks[piece.id];
    for (let i = 0; i < blocks.length; i++) out.push(blocks[i]);
  }
  return out;
}

/** A segment's end index: its length (every segment's indexes start at 0; the body's first unit is its section break). */
export function segmentLength(segment: Segment): number {
  let n = 0;
  for (const piece of segment.pieces) n += piece.length;
  return n;
}

/** The piece that holds `index` (start ≤ index < start + length): its place among the pieces, where it starts, its blocks. */
export function pieceAt(segment: Segment, index: number): { position: number; start: number; blocks: Block[] } | undefined {
  let at = 0;
  for (let i = 0; i < segment.pieces.length; i++) {
    const { id, length } = segment.pieces[i];
    if (index < at + length) return { position: i, start: at, blocks: segment.blocks[id] };
    at += length;
  }
  return undefined;
}

/**
 * Makes the top-level blocks over [start, end) of a segment safe to change in place, for one batch: the pieces
 * they are in become one piece with a new block list (made once per batch: `fresh` holds what the batch made), and
 * the tables among them are copied. The segment's `pieces` and `blocks` must be the batch's own copies.
 */
export function makeWritable(segment: Segment, start: number, end: number, fresh: WeakSet<object>): void {
  const { pieces } = segment;
  let at = 0;
  let first = -1;
  let last = pieces.length - 1;
  let firstStart = 0;
  for (let i = 0; i < pieces.length; i++) {
    const length = pieces[i].length;
    if (first < 0 && start < at + length) {
      first = i;
      firstStart = at;
    }
    if (first >= 0 && end <= at + length) {
      last = i;
      break;
    }
    at += length;
  }
  if (first < 0) return;
  const { id } = pieces[first];
  let blocks = segment.blocks[id];
  if (last > first) {
    const joined = pieces.slice(first, last + 1);
    blocks = joinPieces(segment, joined);
    for (const piece of joined.slice(1)) delete segment.blocks[piece.id];
    pieces.splice(first, joined.length, { id, length: joined.reduce((n, piece) => n + piece.length, 0) });
  } else if (!fresh.has(blocks)) {
    blocks = [...blocks];
  }
  fresh.add(blocks);
  segment.blocks[id] = blocks;
  // Most pieces hold paragraphs only: the walk that places tables is skipped for them.
  let tables = false;
  for (let i = 0; i < blocks.length && !tables; i++) tables = blocks[i].kind === 'table';
  if (!tables) return;
  let position = firstStart;
  for (let i = 0; i < blocks.length && position < end; i++) {
    const b = blocks[i];
    const length = blockLength(b);
    if (position + length > start && b.kind === 'table' && !fresh.has(b)) {
      const copy: TableBlock = { kind: 'table', rows: b.rows.map((row) => row.map((cell) => ({ content: [...cell.content] }))) };
      fresh.add(copy);
      blocks[i] = copy;
    }
    position += length;
  }
}

/** Records that the piece holding `index` (as the indexes stood before the change) grew by `delta` units (or shrank). */
export function resizePiece(segment: Segment, index: number, delta: number): void {
  const found = pieceAt(segment, index);
  if (!found) return;
  const piece = segment.pieces[found.position];
  segment.pieces[found.position] = { id: piece.id, length: piece.length + delta };
}

/**
 * After a batch, cuts the pieces it changed back to size: a piece grown past twice the size is cut, one shrunk
 * below a quarter of it joins the pieces after it, an empty one goes. Pieces the batch did not change are kept as
 * they are, so the stored segments keep sharing them.
 */
export function rebalance(segment: Segment, fresh: WeakSet<object>): void {
  const { pieces } = segment;
  segment.pieces = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    let blocks = segment.blocks[piece.id];
    if (!fresh.has(blocks)) {
      segment.pieces.push(piece);
      continue;
    }
    while (blocks.length < PIECE_BLOCKS / 4 && i + 1 < pieces.length) {
      const next = pieces[++i];
      blocks = [...blocks, ...segment.blocks[next.id]];
      delete segment.blocks[next.id];
    }
    if (blocks.length === 0) {
      delete segment.blocks[piece.id];
      continue;
    }
    if (blocks === segment.blocks[piece.id] && blocks.length <= 2 * PIECE_BLOCKS) segment.pieces.push(piece);
    else if (blocks.length <= 2 * PIECE_BLOCKS) addPiece(segment, blocks, piece.id);
    else for (let k = 0; k < blocks.length; k += PIECE_BLOCKS) addPiece(segment, blocks.slice(k, k + PIECE_BLOCKS), k === 0 ? piece.id : undefined);
  }
}

/** Where a paragraph sits: its container (a piece of the segment's top level, or a table cell) and its place in it. */
export interface ParagraphPlace {
  paragraph: ParagraphBlock;
  start: number;
  end: number;
  /** The blocks of the container, and the paragraph's position among them. */
  container: Block[];
  position: number;
  /** Start of the container's first block, and its end (for a cell; Infinity at the top level, where the segment's end applies). */
  containerStart: number;
  containerEnd: number;
  /** Set when the paragraph is in a table cell. */
  cell?: { table: TableBlock; tableStart: number; row: number; column: number };
}

/** A top-level table and where it sits: its piece's blocks, and its position among them. */
export interface TablePlace {
  table: TableBlock;
  start: number;
  end: number;
  container: Block[];
  position: number;
}

/** The paragraph of a segment that holds `index` (start ≤ index < end), in a table cell or not; undefined at a marker or past the end. */
export function paragraphAt(segment: Segment, index: number): ParagraphPlace | undefined {
  const piece = pieceAt(segment, index);
  if (!piece) return undefined;
  let at = piece.start;
  const top = piece.blocks;
  for (let i = 0; i < top.length; i++) {
    const b = top[i];
    const length = blockLength(b);
    if (index < at + length) {
      if (b.kind === 'paragraph') return { paragraph: b, start: at, end: at + length, container: top, position: i, containerStart: piece.start, containerEnd: Infinity };
      if (b.kind === 'table') return paragraphInTable(b, at, index);
      return undefined;
    }
    at += length;
  }
  return undefined;
}

function paragraphInTable(table: TableBlock, tableStart: number, index: number): ParagraphPlace | undefined {
  let at = tableStart + 1;
  for (let r = 0; r < table.rows.length; r++) {
    at += 1;
    for (let c = 0; c < table.rows[r].length; c++) {
      at += 1;
      const cell = table.rows[r][c];
      const cellStart = at;
      let cellEnd = at;
      for (const p of cell.content) cellEnd += paragraphLength(p);
      if (index < cellEnd) {
        if (index < cellStart) return undefined;
        for (let k = 0; k < cell.content.length; k++) {
          const p = cell.content[k];
          const length = paragraphLength(p);
          if (index < at + length) {
            return { paragraph: p, start: at, end: at + length, container: cell.content, position: k, containerStart: cellStart, containerEnd: cellEnd, cell: { table, tableStart, row: r, column: c } };
          }
          at += length;
        }
      }
      at = cellEnd;
    }
  }
  return undefined;
}

/** The top-level table that starts exactly at `index`. */
export function tableStartingAt(segment: Segment, index: number): TablePlace | undefined {
  const piece = pieceAt(segment, index);
  if (!piece) return undefined;
  let at = piece.start;
  for (let i = 0; i < piece.blocks.length; i++) {
    const b = piece.blocks[i];
    const length = blockLength(b);
    if (at === index) return b.kind === 'table' ? { table: b, start: at, end: at + length, container: piece.blocks, position: i } : undefined;
    if (at > index) return undefined;
    at += length;
  }
  return undefined;
}

/** Every paragraph of a segment (table cells' included) whose span overlaps [start, end), with its place. */
export function paragraphsIn(segment: Segment, start: number, end: number): ParagraphPlace[] {
  const out: ParagraphPlace[] = [];
  forEachParagraph(segment, start, (place) => {
    if (place.start < end && place.end > start) out.push(place);
    return place.start >= end;
  });
  return out;
}

/**
 * Visits the paragraphs of a segment in index order, table cells included, from the piece that holds `from`
 * (pieces before it are skipped whole); the visitor returns true to stop.
 */
function forEachParagraph(segment: Segment, from: number, visit: (place: ParagraphPlace) => boolean | void): void {
  let at = 0;
  for (const piece of segment.pieces) {
    if (at + piece.length <= from) {
      at += piece.length;
      continue;
    }
    const pieceStart = at;
    const top = segment.blocks[piece.id];
    for (let i = 0; i < top.length; i++) {
      const b = top[i];
      if (b.kind === 'paragraph') {
        const length = paragraphLength(b);
        if (visit({ paragraph: b, start: at, end: at + length, container: top, position: i, containerStart: pieceStart, containerEnd: Infinity })) return;
        at += length;
      } else if (b.kind === 'table') {
        const tableStart = at;
        at += 1;
        for (let r = 0; r < b.rows.length; r++) {
          at += 1;
          for (let c = 0; c < b.rows[r].length; c++) {
            at += 1;
            const cell = b.rows[r][c];
            const cellStart = at;
            let cellEnd = at;
            for (const p of cell.content) cellEnd += paragraphLength(p);
            for (let k = 0; k < cell.content.length; k++) {
              const p = cell.content[k];
              const length = paragraphLength(p);
              if (visit({ paragraph: p, start: at, end: at + length, container: cell.content, position: k, containerStart: cellStart, containerEnd: cellEnd, cell: { table: b, tableStart, row: r, column: c } })) return;
              at += length;
            }
          }
        }
        at += 1;
      } else {
        at += 1;
      }
    }
  }
}

const sameStyle = (a: Style, b: Style) => a === b || JSON.stringify(a) === JSON.stringify(b);
const isElement = (run: Run) => run.pageBreak === true || run.inlineObjectId !== undefined;

/** Runs with adjacent text of the same style joined, and empty text runs dropped: how Google reports runs. */
export function normalizeRuns(runs: Run[]): Run[] {
  const out: Run[] = [];
  for (const run of runs) {
    if (run.text.length === 0) continue;
    const last = out[out.length - 1];
    if (last && !isElement(last) && !isElement(run) && sameStyle(last.style, run.style)) out[out.length - 1] = { text: last.text + run.text, style: last.style };
    else out.push(run);
  }
  return out;
}

/** The runs before and from a paragraph offset, a text run split where needed. */
export function splitRuns(runs: Run[], offset: number): [Run[], Run[]] {
  const before: Run[] = [];
  const after: Run[] = [];
  let at = 0;
  for (const run of runs) {
    const end = at + run.text.length;
    if (end <= offset) before.push(run);
    else if (at >= offset) after.push(run);
    else {
      before.push({ ...run, text: run.text.slice(0, offset - at) });
      after.push({ ...run, text: run.text.slice(offset - at) });
    }
    at = end;
  }
  return [before, after];
}

/** The text style at a paragraph offset: that of the unit just before it, as Google styles inserted text, or of the unit at it. */
export function styleAt(runs: Run[], offset: number): Style {
  let at = 0;
  let previous: Style | undefined;
  for (const run of runs) {
    const end = at + run.text.length;
    if (offset > at && offset <= end) return run.style;
    if (offset <= at) return previous ?? run.style;
    previous = run.style;
    at = end;
  }
  return previous ?? {};
}

/** True when `offset` of `text` falls between the two halves of a surrogate pair. */
export function splitsSurrogatePair(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return false;
  const high = text.charCodeAt(offset - 1);
  const low = text.charCodeAt(offset);
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
}
