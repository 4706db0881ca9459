import { copyJson } from '../../../src/index.js';
import { invalidRequest, type GoogleError } from '../errors.js';
import type { Block, Ctx, IndexEdit, ParagraphBlock, Run, Segment, StoredDocument, StoredNamedRange, Style, TableBlock } from '../types.js';
import { bulletList } from './bullets.js';
import {
  blockLength,
  defaultParagraphStyle,
  INLINE_OBJECT_CHAR,
  makeWritable,
  newSegment,
  normalizeRuns,
  PAGE_BREAK_CHAR,
  paragraph,
  paragraphAt,
  paragraphLength,
  paragraphsIn,
  paragraphText,
  pieceAt,
  rebalance,
  resizePiece,
  segmentLength,
  splitRuns,
  splitsSurrogatePair,
  styleAt,
  tableLength,
  tableStartingAt,
  type TablePlace,
} from './segment.js';

type Json = Record<string, any>;

/** What a batch did: one reply per request, the index edits (for named ranges and later merges), and whether anything changed. */
export interface BatchResult {
  doc: StoredDocument;
  replies: Json[];
  edits: IndexEdit[];
  changed: boolean;
}

/** One request being applied: where the batch stands, and how to refuse it in Google's words. */
interface Op {
  ctx: Ctx;
  doc: StoredDocument;
  index: number;
  kind: string;
  edits: IndexEdit[];
  /** Block lists of pieces and tables made in this batch: safe to change in place. */
  fresh: WeakSet<object>;
  /** Each segment's end index, by segmentId, once measured: kept up to date by `record`, so a request does not walk the segment to check its bounds. */
  ends: Map<string, number>;
  changed: boolean;
}

const fail = (op: Op, reason: string): GoogleError => invalidRequest(op.index, op.kind, reason);

/** Characters insertText strips: C0 controls but tab, newline and vertical tab; and the BMP Private Use Area (developers.google.com/docs/api/concepts/rules-behavior). */
const STRIPPED = /[\u0000-\u0008\u000C-\u001F\uE000-\uF8FF]/g;
const TAB_ID = 't.0';
const MAX_NAME_LENGTH = 256;
const MAX_URI_LENGTH = 2048;

/** A segment's own lists of pieces, to change for one batch; the pieces' blocks are shared until a request changes them. */
const scratchSegment = (segment: Segment): Segment => ({ pieces: [...segment.pieces], blocks: { ...segment.blocks }, nextPiece: segment.nextPiece });

/**
 * A scratch copy of a document for one batch: new lists of every segment's pieces and of the named ranges, the
 * pieces and blocks themselves shared until a request changes one (then it is copied, see makeWritable), so a
 * batch costs what its edits touch, and the stored document, which is frozen, is untouched.
 */
function scratchOf(doc: StoredDocument): StoredDocument {
  const segments = (map: Record<string, Segment>) => Object.fromEntries(Object.entries(map).map(([id, s]) => [id, scratchSegment(s)]));
  return {
    ...doc,
    body: scratchSegment(doc.body),
    headers: segments(doc.headers),
    footers: segments(doc.footers),
    documentStyle: { ...doc.documentStyle },
    lists: { ...doc.lists },
    namedRanges: doc.namedRanges.map((r) => ({ ...r, ranges: r.ranges.map((x) => ({ ...x })) })),
    inlineObjects: { ...doc.inlineObjects },
  };
}

/**
 * Applies a batchUpdate's requests in order to a scratch copy of the document, each seeing the document as the
 * one before left it. Any invalid request throws Google's 400 naming it ("Invalid requests[2].insertText: ...")
 * and the stored document is left as it was; on success the caller stores `result.doc`.
 *
 * @example
 * const result = applyBatch(ctx, doc, [{ insertText: { location: { index: 1 }, text: 'Hello' } }]);
 * ctx.state.documents[doc.documentId] = result.doc;
 */
export function applyBatch(ctx: Ctx, stored: StoredDocument, requests: Json[]): BatchResult {
  const doc = scratchOf(stored);
  const op: Op = { ctx, doc, index: 0, kind: '', edits: [], fresh: new WeakSet(), ends: new Map(), changed: false };
  const replies = requests.map((request, index) => {
    const kind = Object.keys(request)[0];
    Object.assign(op, { index, kind });
    return APPLY[kind](op, request[kind] ?? {});
  });
  for (const segment of [doc.body, ...Object.values(doc.headers), ...Object.values(doc.footers)]) rebalance(segment, op.fresh);
  return { doc, replies, edits: op.edits, changed: op.changed };
}

// ---------------------------------------------------------------------------------------------------------------
// Where a request points

function segmentOf(op: Op, segmentId: string | undefined, tabId: string | undefined): { segment: Segment; segmentId: string; isBody: boolean } {
  if (tabId && tabId !== TAB_ID) throw fail(op, `The tab with ID ${tabId} was not found.`);
  const id = segmentId ?? '';
  if (id === '') return { segment: op.doc.body, segmentId: '', isBody: true };
  const segment = op.doc.headers[id] ?? op.doc.footers[id];
  if (!segment || !(Object.hasOwn(op.doc.headers, id) || Object.hasOwn(op.doc.footers, id))) throw fail(op, `The segment with ID ${id} was not found.`);
  return { segment, segmentId: id, isBody: false };
}

/** A segment's end index. */
function endOf(op: Op, segmentId: string, segment: Segment): number {
  let end = op.ends.get(segmentId);
  if (end === undefined) op.ends.set(segmentId, (end = segmentLength(segment)));
  return end;
}

/** An insertion point: `location` or `endOfSegmentLocation` (just before the segment's last newline), exactly one. */
function insertionPoint(op: Op, request: Json): { segment: Segment; segmentId: string; isBody: boolean; index: number } {
  const { location, endOfSegmentLocation } = request;
  if ((location === undefined) === (endOfSegmentLocation === undefined)) throw fail(op, 'Exactly one of location or endOfSegmentLocation must be specified.');
  const where = location ?? endOfSegmentLocation;
  const target = segmentOf(op, where.segmentId, where.tabId);
  const end = endOf(op, target.segmentId, target.segment);
  const index = location ? (location.index ?? 0) : end - 1;
  if (index >= end) throw fail(op, `Index ${index} must be less than the end index of the referenced segment, ${end}.`);
  return { ...target, index };
}

/** A range, checked against its segment the way every range request is. */
function rangeOf(op: Op, range: Json | undefined): { segment: Segment; segmentId: string; isBody: boolean; start: number; end: number } {
  if (!range) throw fail(op, 'The range must be specified.');
  const target = segmentOf(op, range.segmentId, range.tabId);
  const start = range.startIndex ?? 0;
  const end = range.endIndex ?? 0;
  const segmentEnd = endOf(op, target.segmentId, target.segment);
  if (start > end) throw fail(op, `The start index ${start} of the range must not be greater than its end index ${end}.`);
  if (start === end) throw fail(op, 'The range should not be empty.');
  if (end > segmentEnd) throw fail(op, `Index ${end - 1} must be less than the end index of the referenced segment, ${segmentEnd}.`);
  if (target.isBody && start < 1) throw fail(op, 'Cannot operate on the first section break in the document.');
  return { ...target, start, end };
}

/** Makes the blocks over [start, end) of a segment safe to change in place for this batch. */
function writable(op: Op, segment: Segment, start: number, end: number): void {
  makeWritable(segment, start, end, op.fresh);
}

/** The paragraph at an index, its container safe to change. */
function writableParagraphAt(op: Op, segment: Segment, index: number) {
  writable(op, segment, index, index + 1);
  return paragraphAt(segment, index);
}

// ---------------------------------------------------------------------------------------------------------------
// Index bookkeeping: every change is recorded, and named ranges follow it

/** Where a position goes when `removed` units at `at` become `inserted` units; a position inside the removed span goes to its edge. */
function movePosition(position: number, edit: Pick<IndexEdit, 'at' | 'removed' | 'inserted'>, side: 'start' | 'end'): number {
  // An insertion at a range's edge stays outside it: the start moves with it, the end does not.
  if (edit.removed === 0) return position > edit.at || (position === edit.at && side === 'start') ? position + edit.inserted : position;
  if (position <= edit.at) return position;
  if (position >= edit.at + edit.removed) return position - edit.removed + edit.inserted;
  return side === 'start' ? edit.at : edit.at + edit.inserted;
}

/** The segment with this id (the body for ''), which a request already found. */
const segmentById = (op: Op, segmentId: string): Segment => (segmentId === '' ? op.doc.body : (op.doc.headers[segmentId] ?? op.doc.footers[segmentId]));

function record(op: Op, edit: IndexEdit): void {
  op.changed = true;
  if (edit.removed === 0 && edit.inserted === 0) return;
  op.edits.push(edit);
  resizePiece(segmentById(op, edit.segmentId), edit.at, edit.inserted - edit.removed);
  const end = op.ends.get(edit.segmentId);
  if (end !== undefined) op.ends.set(edit.segmentId, end - edit.removed + edit.inserted);
  const kept: StoredNamedRange[] = [];
  for (const named of op.doc.namedRanges) {
    for (const r of named.ranges) {
      if (r.segmentId !== edit.segmentId) continue;
      r.startIndex = movePosition(r.startIndex, edit, 'start');
      r.endIndex = movePosition(r.endIndex, edit, 'end');
    }
    // A named range whose every range lost all its content goes away with it.
    named.ranges = named.ranges.filter((r) => r.endIndex > r.startIndex);
    if (named.ranges.length) kept.push(named);
  }
  op.doc.namedRanges = kept;
}

// ---------------------------------------------------------------------------------------------------------------
// Paragraph surgery

/** Splits runs at every newline but the last into paragraphs that take `template`'s paragraph style and bullet. */
function splitIntoParagraphs(runs: Run[], template: ParagraphBlock): ParagraphBlock[] {
  const out: ParagraphBlock[] = [];
  let current: Run[] = [];
  const close = () => {
    out.push({ kind: 'paragraph', runs: normalizeRuns(current), style: copyJson(template.style), ...(template.bullet ? { bullet: { ...template.bullet } } : {}) });
    current = [];
  };
  for (const run of runs) {
    if (run.pageBreak || run.inlineObjectId || !run.text.includes('\n')) {
      current.push(run);
      continue;
    }
    const pieces = run.text.split('\n');
    pieces.forEach((piece, k) => {
      if (k < pieces.length - 1) {
        current.push({ text: piece + '\n', style: run.style });
        close();
      } else if (piece) current.push({ text: piece, style: run.style });
    });
  }
  if (current.length) close();
  return out;
}

/** Inserts runs at a paragraph offset; newlines among them make new paragraphs. */
function insertRuns(container: Block[], position: number, p: ParagraphBlock, offset: number, inserted: Run[]): void {
  const [before, after] = splitRuns(p.runs, offset);
  container.splice(position, 1, ...splitIntoParagraphs([...before, ...inserted, ...after], p));
}

/** The index an insertion really goes to: Google moves one that would split a surrogate pair to just after the pair. */
function settle(place: { paragraph: ParagraphBlock; start: number }, index: number): number {
  return splitsSurrogatePair(paragraphText(place.paragraph), index - place.start) ? index + 1 : index;
}

const NOT_IN_PARAGRAPH = 'The insertion index must be inside the bounds of an existing paragraph. You can still create new paragraphs by inserting newlines.';

/** Inserts text (already stripped) at an index of a segment; returns where it went. */
function insertTextAt(op: Op, segment: Segment, segmentId: string, requested: number, text: string): number {
  const place = writableParagraphAt(op, segment, requested);
  if (!place) throw fail(op, NOT_IN_PARAGRAPH);
  const index = settle(place, requested);
  if (text.length === 0) return index;
  const offset = index - place.start;
  insertRuns(place.container, place.position, place.paragraph, offset, [{ text, style: styleAt(place.paragraph.runs, offset) }]);
  record(op, { segmentId, at: index, removed: 0, inserted: text.length });
  return index;
}

/**
 * Deletes [start, end) of a segment: within one table cell, or across top-level blocks (whole tables only),
 * merging the paragraphs at either end. Refuses what Google refuses (DeleteContentRangeRequest).
 */
function deleteRange(op: Op, segment: Segment, segmentId: string, start: number, end: number): void {
  const segmentEnd = endOf(op, segmentId, segment);
  if (end === segmentEnd) throw fail(op, 'The range cannot include the newline character at the end of the segment.');
  // The block after the range is in reach too: a deletion may join the paragraph it ends in with the next.
  writable(op, segment, start, end + 1);
  const first = paragraphAt(segment, start);
  const last = paragraphAt(segment, end - 1);
  for (const [place, index] of [[first, start], [last, end]] as const) {
    if (place && splitsSurrogatePair(paragraphText(place.paragraph), index - place.start)) throw fail(op, 'The range cannot start or end in the middle of a surrogate pair.');
  }
  const sameCell = first?.cell && last?.cell && first.container === last.container;
  if (sameCell) {
    if (end === first.containerEnd) throw fail(op, 'The range cannot include the newline character at the end of a table cell.');
    deleteInContainer(op, first.container, first.containerStart, start, end);
  } else {
    if (first?.cell || last?.cell) throw fail(op, 'The range cannot include only part of a table.');
    const piece = pieceAt(segment, start)!;
    deleteInContainer(op, piece.blocks, piece.start, start, end);
  }
  record(op, { segmentId, at: start, removed: end - start, inserted: 0 });
}

function deleteInContainer(op: Op, blocks: Block[], base: number, start: number, end: number): void {
  const starts: number[] = [];
  let at = base;
  for (const b of blocks) {
    starts.push(at);
    at += blockLength(b);
  }
  const ends = blocks.map((b, i) => starts[i] + blockLength(b));
  const a = starts.findIndex((s, i) => s <= start && start < ends[i]);
  const z = starts.findIndex((s, i) => s < end && end <= ends[i]);
  for (let k = a; k <= z; k++) {
    const b = blocks[k];
    if (b.kind === 'sectionBreak') throw fail(op, 'Cannot operate on the first section break in the document.');
    if (b.kind === 'table' && (start > starts[k] || end < ends[k])) throw fail(op, 'The range cannot include only part of a table.');
  }
  const firstBlock = blocks[a];
  const lastBlock = blocks[z];
  const head = firstBlock.kind === 'paragraph' && start > starts[a] ? splitRuns(firstBlock.runs, start - starts[a])[0] : undefined;
  const tail = lastBlock.kind === 'paragraph' && end < ends[z] ? splitRuns(lastBlock.runs, end - starts[z])[1] : undefined;
  const next = blocks[z + 1];
  if (lastBlock.kind === 'paragraph' && !tail && next?.kind === 'table') {
    throw fail(op, 'The range cannot include the newline character before a table without including the table.');
  }
  if (head && tail) {
    blocks.splice(a, z - a + 1, { ...(firstBlock as ParagraphBlock), runs: normalizeRuns([...head, ...tail]) });
  } else if (head) {
    const following = next as ParagraphBlock;
    blocks.splice(a, z - a + 2, { ...(firstBlock as ParagraphBlock), runs: normalizeRuns([...head, ...following.runs]) });
  } else if (tail) {
    blocks.splice(a, z - a + 1, { ...(lastBlock as ParagraphBlock), runs: normalizeRuns(tail) });
  } else {
    blocks.splice(a, z - a + 1);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Styles

/** The fields a mask names: '*' is every property of the given style's schema; Google requires at least one. */
function maskFields(op: Op, fields: unknown, all: readonly string[]): string[] {
  if (typeof fields !== 'string' || fields.trim() === '') throw fail(op, "At least one field must be listed in 'fields'. (Use '*' to indicate all fields.)");
  const names = fields.split(',').map((f) => f.trim()).filter(Boolean);
  if (names.includes('*')) return [...all];
  for (const name of names) {
    const top = name.split('.')[0];
    if (!all.includes(top)) throw fail(op, `Invalid field: ${name}`);
  }
  return names;
}

/** A style with the mask's fields set from `given` (or cleared where `given` lacks them). Dotted fields set one sub-property. */
function masked(style: Style, given: Style, fields: string[]): Style {
  const out: Style = copyJson(style);
  for (const field of fields) {
    const [top, sub] = field.split('.');
    if (sub !== undefined) {
      const value = (given[top] as Style | undefined)?.[sub];
      const current: Style = { ...((out[top] as Style | undefined) ?? {}) };
      if (value === undefined) delete current[sub];
      else current[sub] = copyJson(value);
      out[top] = current;
    } else if (given[top] === undefined) delete out[top];
    else out[top] = copyJson(given[top]);
  }
  return out;
}

const TEXT_STYLE_FIELDS = ['bold', 'italic', 'underline', 'strikethrough', 'smallCaps', 'backgroundColor', 'foregroundColor', 'fontSize', 'weightedFontFamily', 'baselineOffset', 'link'] as const;
const PARAGRAPH_STYLE_FIELDS = [
  'headingId', 'namedStyleType', 'alignment', 'lineSpacing', 'direction', 'spacingMode', 'spaceAbove', 'spaceBelow', 'borderBetween', 'borderTop', 'borderBottom',
  'borderLeft', 'borderRight', 'indentFirstLine', 'indentStart', 'indentEnd', 'tabStops', 'keepLinesTogether', 'keepWithNext', 'avoidWidowAndOrphan', 'shading', 'pageBreakBefore',
] as const;

function updateTextStyle(op: Op, request: Json): Json {
  const fields = maskFields(op, request.fields, TEXT_STYLE_FIELDS);
  const { segment, start, end } = rangeOf(op, request.range);
  const given: Style = request.textStyle ?? {};
  writable(op, segment, start, end);
  for (const place of paragraphsIn(segment, start, end)) {
    const from = Math.max(start, place.start) - place.start;
    const to = Math.min(end, place.end) - place.start;
    const [before, rest] = splitRuns(place.paragraph.runs, from);
    const [inside, after] = splitRuns(rest, to - from);
    const restyled = inside.map((run) => ({ ...run, style: masked(run.style, given, fields) }));
    place.container[place.position] = { ...place.paragraph, runs: normalizeRuns([...before, ...restyled, ...after]) };
  }
  op.changed = true;
  return {};
}

function updateParagraphStyle(op: Op, request: Json): Json {
  const fields = maskFields(op, request.fields, PARAGRAPH_STYLE_FIELDS);
  const { segment, start, end } = rangeOf(op, request.range);
  const given: Style = request.paragraphStyle ?? {};
  writable(op, segment, start, end);
  for (const place of paragraphsIn(segment, start, end)) {
    const style = masked(place.paragraph.style, given, fields);
    // A heading gets a headingId (the target of links to it); a paragraph that stops being one loses it.
    if (String(style.namedStyleType ?? '').startsWith('HEADING_') || style.namedStyleType === 'TITLE' || style.namedStyleType === 'SUBTITLE') style.headingId ??= 'h.' + op.ctx.ids.token(12, 'abcdefghijklmnopqrstuvwxyz0123456789');
    else delete style.headingId;
    place.container[place.position] = { ...place.paragraph, style };
  }
  op.changed = true;
  return {};
}

// ---------------------------------------------------------------------------------------------------------------
// The request kinds

function insertText(op: Op, request: Json): Json {
  const { segment, segmentId, index } = insertionPoint(op, request);
  insertTextAt(op, segment, segmentId, index, String(request.text ?? '').replace(STRIPPED, ''));
  return {};
}

function deleteContentRange(op: Op, request: Json): Json {
  const { segment, segmentId, start, end } = rangeOf(op, request.range);
  deleteRange(op, segment, segmentId, start, end);
  return {};
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function replaceAllText(op: Op, request: Json): Json {
  const criteria = request.containsText ?? {};
  const text = String(criteria.text ?? '');
  if (text === '') throw fail(op, 'The text to search for must not be empty.');
  let pattern: RegExp;
  try {
    pattern = new RegExp(criteria.searchByRegex ? text : escapeRegExp(text), criteria.matchCase ? 'g' : 'gi');
  } catch {
    throw fail(op, `The regular expression ${text} is invalid.`);
  }
  const replacement = String(request.replaceText ?? '').replace(STRIPPED, '');
  let occurrences = 0;
  const segments: [string, Segment][] = [['', op.doc.body], ...Object.entries(op.doc.headers), ...Object.entries(op.doc.footers)];
  for (const [segmentId, segment] of segments) {
    const matches: { start: number; length: number }[] = [];
    for (const place of paragraphsIn(segment, 0, segmentLength(segment))) {
      // Matches stay within a paragraph: its newline and its placeholders for breaks and images never match.
      const content = paragraphText(place.paragraph).slice(0, -1);
      for (const m of content.matchAll(pattern)) {
        if (m[0].length === 0 || m[0].includes(PAGE_BREAK_CHAR) || m[0].includes(INLINE_OBJECT_CHAR)) continue;
        matches.push({ start: place.start + m.index, length: m[0].length });
      }
    }
    // From the last match back, so that the indexes of those before stay right.
    for (const match of matches.reverse()) {
      writable(op, segment, match.start, match.start + match.length);
      const place = paragraphAt(segment, match.start)!;
      const offset = match.start - place.start;
      const [before, rest] = splitRuns(place.paragraph.runs, offset);
      const after = splitRuns(rest, match.length)[1];
      const style = styleAt(place.paragraph.runs, offset + 1);
      place.container.splice(place.position, 1, ...splitIntoParagraphs([...before, { text: replacement, style }, ...after], place.paragraph));
      record(op, { segmentId, at: match.start, removed: match.length, inserted: replacement.length });
      occurrences += 1;
    }
  }
  // proto3 JSON leaves a zero count out.
  return { replaceAllText: occurrences ? { occurrencesChanged: occurrences } : {} };
}

function createNamedRange(op: Op, request: Json): Json {
  const name = String(request.name ?? '');
  if (name.length < 1 || name.length > MAX_NAME_LENGTH) throw fail(op, `The name must be between 1 and ${MAX_NAME_LENGTH} characters long.`);
  const { segmentId, start, end } = rangeOf(op, request.range);
  const namedRangeId = 'kix.' + op.ctx.ids.token(12, 'abcdefghijklmnopqrstuvwxyz0123456789');
  op.doc.namedRanges = [...op.doc.namedRanges, { namedRangeId, name, ranges: [{ segmentId, startIndex: start, endIndex: end }] }];
  op.changed = true;
  return { createNamedRange: { namedRangeId } };
}

/** The named ranges a request names by `namedRangeId` or by `name` (all of that name), exactly one of the two. */
function namedRangesOf(op: Op, id: unknown, name: unknown, nameField: string): StoredNamedRange[] {
  if ((id === undefined) === (name === undefined)) throw fail(op, `Exactly one of namedRangeId or ${nameField} must be specified.`);
  const found = op.doc.namedRanges.filter((r) => (id !== undefined ? r.namedRangeId === id : r.name === name));
  if (found.length === 0) throw fail(op, id !== undefined ? `The named range with ID ${String(id)} was not found.` : `No named range with the name ${String(name)} was found.`);
  return found;
}

function deleteNamedRange(op: Op, request: Json): Json {
  const doomed = new Set(namedRangesOf(op, request.namedRangeId, request.name, 'name'));
  op.doc.namedRanges = op.doc.namedRanges.filter((r) => !doomed.has(r));
  op.changed = true;
  return {};
}

/**
 * Replaces each named range's content with the text: a range made of several discontinuous ranges gets the text
 * in its first range and loses the others and their content (ReplaceNamedRangeContentRequest).
 */
function replaceNamedRangeContent(op: Op, request: Json): Json {
  const text = String(request.text ?? '').replace(STRIPPED, '');
  for (const target of namedRangesOf(op, request.namedRangeId, request.namedRangeName, 'namedRangeName')) {
    const ranges = [...target.ranges].sort((x, y) => y.startIndex - x.startIndex);
    const first = target.ranges.reduce((x, y) => (y.segmentId === x.segmentId && y.startIndex < x.startIndex ? y : x));
    for (const r of ranges) {
      const { segment } = segmentOf(op, r.segmentId, undefined);
      const isFirst = r === first;
      const start = r.startIndex;
      deleteRange(op, segment, r.segmentId, start, r.endIndex);
      if (isFirst) {
        insertTextAt(op, segment, r.segmentId, start, text);
        first.startIndex = start;
        first.endIndex = start + text.length;
      }
    }
    target.ranges = text.length ? [first] : [];
    if (!text.length) op.doc.namedRanges = op.doc.namedRanges.filter((r) => r !== target);
    else if (!op.doc.namedRanges.includes(target)) op.doc.namedRanges = [...op.doc.namedRanges, target];
  }
  op.changed = true;
  return {};
}

function createParagraphBullets(op: Op, request: Json): Json {
  const { segment, segmentId, start, end } = rangeOf(op, request.range);
  const listId = 'kix.' + op.ctx.ids.token(12, 'abcdefghijklmnopqrstuvwxyz0123456789');
  const list = bulletList(String(request.bulletPreset ?? 'BULLET_DISC_CIRCLE_SQUARE'));
  op.doc.lists = { ...op.doc.lists, [listId]: { listProperties: list.listProperties } };
  writable(op, segment, start, end);
  // From the last paragraph back: removing one's leading tabs moves those after it.
  for (const place of paragraphsIn(segment, start, end).reverse()) {
    const text = paragraphText(place.paragraph);
    const tabs = /^\t*/.exec(text)![0].length;
    const runs = tabs ? splitRuns(place.paragraph.runs, tabs)[1] : place.paragraph.runs;
    const level = Math.min(tabs, 8);
    place.container[place.position] = { ...place.paragraph, runs, style: { ...place.paragraph.style, ...list.indent(level) }, bullet: { listId, nestingLevel: level } };
    record(op, { segmentId, at: place.start, removed: tabs, inserted: 0 });
  }
  op.changed = true;
  return {};
}

function deleteParagraphBullets(op: Op, request: Json): Json {
  const { segment, start, end } = rangeOf(op, request.range);
  writable(op, segment, start, end);
  for (const place of paragraphsIn(segment, start, end)) {
    if (!place.paragraph.bullet) continue;
    // The indent stays: Google keeps each paragraph where its nesting level put it.
    const { bullet: _bullet, ...rest } = place.paragraph;
    place.container[place.position] = rest;
  }
  op.changed = true;
  return {};
}

const emptyCell = () => ({ content: [paragraph('\n', defaultParagraphStyle())] });

function insertTable(op: Op, request: Json): Json {
  const { segment, segmentId, index } = insertionPoint(op, request);
  const rows = Number(request.rows);
  const columns = Number(request.columns);
  if (!(rows >= 1) || !(columns >= 1)) throw fail(op, 'The table must have at least one row and one column.');
  const place = writableParagraphAt(op, segment, index);
  if (!place) throw fail(op, NOT_IN_PARAGRAPH);
  if (place.cell) throw fail(op, 'Tables inside table cells are not emulated by the twinverse Google Docs twin.');
  // A newline goes in before the table, which then starts at index + 1 (InsertTableRequest).
  const offset = index - place.start;
  const [before, after] = splitRuns(place.paragraph.runs, offset);
  const style = styleAt(place.paragraph.runs, offset);
  const table: TableBlock = { kind: 'table', rows: Array.from({ length: rows }, () => Array.from({ length: columns }, emptyCell)) };
  op.fresh.add(table);
  const head: ParagraphBlock = { ...place.paragraph, runs: normalizeRuns([...before, { text: '\n', style }]) };
  const tail: ParagraphBlock = { ...place.paragraph, style: copyJson(place.paragraph.style), runs: after };
  place.container.splice(place.position, 1, head, table, tail);
  record(op, { segmentId, at: index, removed: 0, inserted: 1 + tableLength(table) });
  return {};
}

/** The table a tableCellLocation names, and the row it points at. */
function tableCell(op: Op, request: Json): { segmentId: string; place: TablePlace; row: number } {
  const location = request.tableCellLocation;
  if (!location?.tableStartLocation) throw fail(op, 'The table cell location must be specified.');
  const { segment, segmentId } = segmentOf(op, location.tableStartLocation.segmentId, location.tableStartLocation.tabId);
  const found = tableStartingAt(segment, location.tableStartLocation.index ?? 0);
  if (!found) throw fail(op, 'Invalid table start location. Must specify the start index of the table.');
  const row = location.rowIndex ?? 0;
  const column = location.columnIndex ?? 0;
  if (row < 0 || row >= found.table.rows.length) throw fail(op, `The row index ${row} is out of bounds: the table has ${found.table.rows.length} rows.`);
  if (column < 0 || column >= found.table.rows[row].length) throw fail(op, `The column index ${column} is out of bounds: the table has ${found.table.rows[row].length} columns.`);
  writable(op, segment, found.start, found.start + 1);
  return { segmentId, place: tableStartingAt(segment, found.start)!, row };
}

/** Where row `row` of a table starts. */
function rowStart(table: TableBlock, tableStart: number, row: number): number {
  let at = tableStart + 1;
  for (let r = 0; r < row; r++) {
    at += 1;
    for (const cell of table.rows[r]) at += 1 + cell.content.reduce((n, p) => n + paragraphLength(p), 0);
  }
  return at;
}

function insertTableRow(op: Op, request: Json): Json {
  const { segmentId, place, row } = tableCell(op, request);
  const at = request.insertBelow ? row + 1 : row;
  const columns = place.table.rows[row].length;
  const start = rowStart(place.table, place.start, at);
  place.table.rows.splice(at, 0, Array.from({ length: columns }, emptyCell));
  // A row marker, and a cell marker and an empty paragraph per cell.
  record(op, { segmentId, at: start, removed: 0, inserted: 1 + 2 * columns });
  return {};
}

function deleteTableRow(op: Op, request: Json): Json {
  const { segmentId, place, row } = tableCell(op, request);
  if (place.table.rows.length === 1) {
    const length = tableLength(place.table);
    place.container.splice(place.position, 1);
    record(op, { segmentId, at: place.start, removed: length, inserted: 0 });
    return {};
  }
  const start = rowStart(place.table, place.start, row);
  const length = rowStart(place.table, place.start, row + 1) - start;
  place.table.rows.splice(row, 1);
  record(op, { segmentId, at: start, removed: length, inserted: 0 });
  return {};
}

function insertPageBreak(op: Op, request: Json): Json {
  const { segment, segmentId, isBody, index } = insertionPoint(op, request);
  if (!isBody) throw fail(op, 'Page breaks cannot be inserted inside a header, footer or footnote.');
  const place = writableParagraphAt(op, segment, index);
  if (!place) throw fail(op, NOT_IN_PARAGRAPH);
  if (place.cell) throw fail(op, 'Page breaks cannot be inserted inside a table.');
  const at = settle(place, index);
  const offset = at - place.start;
  const style = styleAt(place.paragraph.runs, offset);
  // A page break followed by a newline (InsertPageBreakRequest).
  insertRuns(place.container, place.position, place.paragraph, offset, [{ text: PAGE_BREAK_CHAR, style, pageBreak: true }, { text: '\n', style }]);
  record(op, { segmentId, at, removed: 0, inserted: 2 });
  return {};
}

function insertInlineImage(op: Op, request: Json): Json {
  const uri = String(request.uri ?? '');
  if (!/^https?:\/\/\S+$/i.test(uri)) throw fail(op, 'The URI must be a publicly accessible http or https URL.');
  if (uri.length > MAX_URI_LENGTH) throw fail(op, 'The URI can be at most 2 kB in length.');
  const { segment, segmentId, index } = insertionPoint(op, request);
  const place = writableParagraphAt(op, segment, index);
  if (!place) throw fail(op, NOT_IN_PARAGRAPH);
  const at = settle(place, index);
  const offset = at - place.start;
  const objectId = 'kix.' + op.ctx.ids.token(12, 'abcdefghijklmnopqrstuvwxyz0123456789');
  // The twin fetches nothing: with no objectSize, the image is given a 100 pt square.
  const size = request.objectSize ?? { height: { magnitude: 100, unit: 'PT' }, width: { magnitude: 100, unit: 'PT' } };
  op.doc.inlineObjects = {
    ...op.doc.inlineObjects,
    [objectId]: {
      objectId,
      inlineObjectProperties: {
        embeddedObject: {
          imageProperties: { contentUri: `https://lh7-rt.googleusercontent.com/docsz/${op.ctx.ids.token(40)}`, sourceUri: uri, cropProperties: {} },
          embeddedObjectBorder: { color: { color: { rgbColor: {} } }, width: { unit: 'PT' }, dashStyle: 'SOLID', propertyState: 'NOT_RENDERED' },
          size: copyJson(size),
          marginTop: { magnitude: 9, unit: 'PT' },
          marginBottom: { magnitude: 9, unit: 'PT' },
          marginRight: { magnitude: 9, unit: 'PT' },
          marginLeft: { magnitude: 9, unit: 'PT' },
        },
      },
    },
  };
  insertRuns(place.container, place.position, place.paragraph, offset, [{ text: INLINE_OBJECT_CHAR, style: styleAt(place.paragraph.runs, offset), inlineObjectId: objectId }]);
  record(op, { segmentId, at, removed: 0, inserted: 1 });
  return { insertInlineImage: { objectId } };
}

function createHeaderOrFooter(which: 'header' | 'footer') {
  const styleKey = which === 'header' ? 'defaultHeaderId' : 'defaultFooterId';
  const map = which === 'header' ? 'headers' : 'footers';
  return (op: Op, request: Json): Json => {
    if (request.type !== 'DEFAULT') throw fail(op, `The ${which} type must be DEFAULT.`);
    if (request.sectionBreakLocation && (request.sectionBreakLocation.index ?? 0) !== 0) throw fail(op, 'The section break location must be the start index of a section break.');
    if (op.doc.documentStyle[styleKey]) throw fail(op, `A default ${which} already exists.`);
    const id = 'kix.' + op.ctx.ids.token(12, 'abcdefghijklmnopqrstuvwxyz0123456789');
    op.doc[map] = { ...op.doc[map], [id]: newSegment([paragraph('\n', defaultParagraphStyle())]) };
    op.doc.documentStyle = { ...op.doc.documentStyle, [styleKey]: id };
    op.changed = true;
    return which === 'header' ? { createHeader: { headerId: id } } : { createFooter: { footerId: id } };
  };
}

/** Each request kind the twin emulates; the OpenAPI document's Request schema lists the same kinds. */
const APPLY: Record<string, (op: Op, request: Json) => Json> = {
  insertText,
  deleteContentRange,
  replaceAllText,
  updateTextStyle,
  updateParagraphStyle,
  createParagraphBullets,
  deleteParagraphBullets,
  insertTable,
  insertTableRow,
  deleteTableRow,
  insertPageBreak,
  createNamedRange,
  deleteNamedRange,
  replaceNamedRangeContent,
  insertInlineImage,
  createHeader: createHeaderOrFooter('header'),
  createFooter: createHeaderOrFooter('footer'),
};

/**
 * Moves a request's indexes through the changes made since `targetRevisionId`, so that it applies to the document
 * as it is now, as Google merges a write against collaborators' changes (WriteControl.targetRevisionId).
 *
 * @example
 * const merged = mergeAgainst(requests, editsSinceTarget);
 */
export function mergeAgainst(requests: Json[], edits: IndexEdit[]): Json[] {
  const move = (segmentId: string | undefined, index: number | undefined, side: 'start' | 'end') => {
    let at = index ?? 0;
    for (const edit of edits) if (edit.segmentId === (segmentId ?? '')) at = movePosition(at, edit, side);
    return at;
  };
  return requests.map((original) => {
    const request = copyJson(original);
    const body = request[Object.keys(request)[0]] ?? {};
    if (body.location) body.location.index = move(body.location.segmentId, body.location.index, 'start');
    if (body.range) {
      body.range.startIndex = move(body.range.segmentId, body.range.startIndex, 'start');
      body.range.endIndex = move(body.range.segmentId, body.range.endIndex, 'end');
    }
    const tableStart = body.tableCellLocation?.tableStartLocation;
    if (tableStart) tableStart.index = move(tableStart.segmentId, tableStart.index, 'start');
    return request;
  });
}

