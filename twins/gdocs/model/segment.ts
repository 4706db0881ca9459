import type { Block, ParagraphBlock, Run, Segment, Style, TableBlock } from '../types.js';

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

/**
 * Lengths of paragraphs and section breaks, by object. The twin never changes a paragraph in place (every edit makes a
 * new one), so a length never goes stale. A write sees the state through the engine's transaction, where every read
 * costs: this keeps a walk over a long document to one read of each paragraph per request.
 */
const lengths = new WeakMap<object, number>();

/** A paragraph's length in UTF-16 code units, its newline included. */
export function paragraphLength(p: ParagraphBlock): number {
  let n = lengths.get(p);
  if (n === undefined) {
    n = 0;
    for (const run of p.runs) n += run.text.length;
    lengths.set(p, n);
  }
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
  const known = lengths.get(b);
  if (known !== undefined) return known;
  if (b.kind === 'paragraph') return paragraphLength(b);
  if (b.kind === 'table') return tableLength(b);
  lengths.set(b, 1);
  return 1;
}

/** Where a segment's indexes start: 0 for every segment (the body's first unit is its section break). */
export function segmentLength(segment: Segment): number {
  let n = 0;
  for (const b of segment.content) n += blockLength(b);
  return n;
}

/** Where a paragraph sits: its container (the segment's top level, or a table cell) and its place in it. */
export interface ParagraphPlace {
  paragraph: ParagraphBlock;
  start: number;
  end: number;
  /** The blocks of the container, and the paragraph's position among them. */
  container: Block[];
  position: number;
  /** Start of the container's first block (for a cell, its first paragraph), and its end (for a cell; Infinity at the top level, where the segment's end applies). */
  containerStart: number;
  containerEnd: number;
  /** Set when the paragraph is in a table cell. */
  cell?: { table: TableBlock; tableStart: number; row: number; column: number };
}

/** A top-level table and where it sits. */
export interface TablePlace {
  table: TableBlock;
  start: number;
  end: number;
  position: number;
}

/** The paragraph of a segment that holds `index` (start ≤ index < end), in a table cell or not; undefined at a marker or past the end. */
export function paragraphAt(segment: Segment, index: number): ParagraphPlace | undefined {
  let at = 0;
  const top = segment.content;
  for (let i = 0; i < top.length; i++) {
    const b = top[i];
    const length = blockLength(b);
    if (index < at + length) {
      if (b.kind === 'paragraph') return { paragraph: b, start: at, end: at + length, container: top, position: i, containerStart: 0, containerEnd: Infinity };
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
  let at = 0;
  for (let i = 0; i < segment.content.length; i++) {
    const b = segment.content[i];
    const length = blockLength(b);
    if (at === index) return b.kind === 'table' ? { table: b, start: at, end: at + length, position: i } : undefined;
    if (at > index) return undefined;
    at += length;
  }
  return undefined;
}

/** Every paragraph of a segment (table cells' included) whose span overlaps [start, end), with its place. */
export function paragraphsIn(segment: Segment, start: number, end: number): ParagraphPlace[] {
  const out: ParagraphPlace[] = [];
  forEachParagraph(segment, (place) => {
    if (place.start < end && place.end > start) out.push(place);
    return place.start >= end;
  });
  return out;
}

/** Visits every paragraph of a segment in index order, table cells included; the visitor returns true to stop. */
function forEachParagraph(segment: Segment, visit: (place: ParagraphPlace) => boolean | void): void {
  let at = 0;
  const top = segment.content;
  for (let i = 0; i < top.length; i++) {
    const b = top[i];
    if (b.kind === 'paragraph') {
      const length = paragraphLength(b);
      if (visit({ paragraph: b, start: at, end: at + length, container: top, position: i, containerStart: 0, containerEnd: Infinity })) return;
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
