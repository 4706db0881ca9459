import { copyJson } from '../../../src/index.js';
import type { Block, ParagraphBlock, Segment, StoredDocument, Style, TableBlock } from '../types.js';
import { currentRevisionId } from './documents.js';
import { blockLength, blocksOf, paragraphLength } from './segment.js';

type Json = Record<string, unknown>;

function renderParagraph(p: ParagraphBlock, start: number): Json {
  const elements: Json[] = [];
  let at = start;
  for (const run of p.runs) {
    const end = at + run.text.length;
    const textStyle = copyJson(run.style);
    if (run.pageBreak) elements.push({ startIndex: at, endIndex: end, pageBreak: { textStyle } });
    else if (run.inlineObjectId) elements.push({ startIndex: at, endIndex: end, inlineObjectElement: { inlineObjectId: run.inlineObjectId, textStyle } });
    else elements.push({ startIndex: at, endIndex: end, textRun: { content: run.text, textStyle } });
    at = end;
  }
  const paragraph: Json = { elements, paragraphStyle: copyJson(p.style) };
  if (p.bullet) paragraph.bullet = { listId: p.bullet.listId, ...(p.bullet.nestingLevel ? { nestingLevel: p.bullet.nestingLevel } : {}), textStyle: {} };
  return { startIndex: start, endIndex: at, paragraph };
}

function renderTable(t: TableBlock, start: number): Json {
  let at = start + 1;
  const columns = t.rows[0]?.length ?? 0;
  const tableRows = t.rows.map((row) => {
    const rowStart = at;
    at += 1;
    const tableCells = row.map((cell) => {
      const cellStart = at;
      at += 1;
      const content = cell.content.map((p) => {
        const element = renderParagraph(p, at);
        at += paragraphLength(p);
        return element;
      });
      return { startIndex: cellStart, endIndex: at, content, tableCellStyle: { rowSpan: 1, columnSpan: 1, backgroundColor: {}, paddingLeft: PADDING, paddingRight: PADDING, paddingTop: PADDING_VERTICAL, paddingBottom: PADDING_VERTICAL, contentAlignment: 'TOP' } };
    });
    return { startIndex: rowStart, endIndex: at, tableCells, tableRowStyle: { minRowHeight: { unit: 'PT' } } };
  });
  at += 1;
  return {
    startIndex: start,
    endIndex: at,
    table: { rows: t.rows.length, columns, tableRows, tableStyle: { tableColumnProperties: Array.from({ length: columns }, () => ({ widthType: 'EVENLY_DISTRIBUTED' })) } },
  };
}

const PADDING = { magnitude: 5, unit: 'PT' };
const PADDING_VERTICAL = { magnitude: 5, unit: 'PT' };

function renderBlock(b: Block, start: number): Json {
  if (b.kind === 'paragraph') return renderParagraph(b, start);
  if (b.kind === 'table') return renderTable(b, start);
  // The first element's startIndex is 0, a proto default Google leaves out.
  return { ...(start === 0 ? {} : { startIndex: start }), endIndex: start + 1, sectionBreak: { sectionStyle: { columnSeparatorStyle: 'NONE', contentDirection: 'LEFT_TO_RIGHT', sectionType: 'CONTINUOUS' } } };
}

/** A segment's structural elements as Google returns them, with startIndex and endIndex in UTF-16 code units. */
function renderContent(segment: Segment): Json[] {
  let at = 0;
  return blocksOf(segment).map((b) => {
    const element = renderBlock(b, at);
    at += blockLength(b);
    return element;
  });
}

function renderNamedRanges(doc: StoredDocument): Json {
  const out: Record<string, { name: string; namedRanges: Json[] }> = {};
  for (const range of doc.namedRanges) {
    const group = (out[range.name] ??= { name: range.name, namedRanges: [] });
    group.namedRanges.push({
      namedRangeId: range.namedRangeId,
      name: range.name,
      ranges: range.ranges.map((r) => ({ ...(r.segmentId ? { segmentId: r.segmentId } : {}), startIndex: r.startIndex, endIndex: r.endIndex, tabId: 't.0' })),
    });
  }
  return out;
}

/** The parts of a document a tab holds: body, headers, footers, styles, lists, named ranges, inline objects. */
function tabContent(doc: StoredDocument): Json {
  const tab: Json = { body: { content: renderContent(doc.body) } };
  if (Object.keys(doc.headers).length) tab.headers = Object.fromEntries(Object.entries(doc.headers).map(([headerId, s]) => [headerId, { headerId, content: renderContent(s) }]));
  if (Object.keys(doc.footers).length) tab.footers = Object.fromEntries(Object.entries(doc.footers).map(([footerId, s]) => [footerId, { footerId, content: renderContent(s) }]));
  tab.documentStyle = copyJson(doc.documentStyle);
  tab.namedStyles = namedStyles();
  if (Object.keys(doc.lists).length) tab.lists = copyJson(doc.lists);
  if (doc.namedRanges.length) tab.namedRanges = renderNamedRanges(doc);
  if (Object.keys(doc.inlineObjects).length) tab.inlineObjects = copyJson(doc.inlineObjects);
  return tab;
}

/**
 * A document as documents.get returns it: the first tab's content at the top level (the legacy fields), or,
 * with includeTabsContent, in `tabs[].documentTab` and not at the top level (developers.google.com/docs/api/how-tos/tabs).
 *
 * @example
 * renderDocument(doc, { includeTabsContent: false, suggestionsViewMode: 'SUGGESTIONS_INLINE' }).body.content[0]; // { endIndex: 1, sectionBreak: {...} }
 */
export function renderDocument(doc: StoredDocument, options: { includeTabsContent: boolean; suggestionsViewMode: string }): Json {
  const head = { title: doc.title };
  const tail = { revisionId: currentRevisionId(doc), suggestionsViewMode: options.suggestionsViewMode, documentId: doc.documentId };
  if (options.includeTabsContent) {
    return { ...head, tabs: [{ tabProperties: { tabId: 't.0', title: 'Tab 1', index: 0 }, documentTab: tabContent(doc) }], ...tail };
  }
  return { ...head, ...tabContent(doc), ...tail };
}

const pt = (magnitude: number) => ({ magnitude, unit: 'PT' });

/** The named styles of a new document (NORMAL_TEXT, TITLE, SUBTITLE, HEADING_1 to HEADING_6), as Google returns them in short. */
function namedStyles(): Json {
  const base: Style = { bold: false, italic: false, underline: false, strikethrough: false, smallCaps: false, fontSize: pt(11), weightedFontFamily: { fontFamily: 'Arial', weight: 400 } };
  const paragraphBase: Style = { namedStyleType: 'NORMAL_TEXT', alignment: 'START', lineSpacing: 115, direction: 'LEFT_TO_RIGHT', spacingMode: 'COLLAPSE_LISTS', spaceAbove: pt(0), spaceBelow: pt(0) };
  const sizes: [string, number][] = [['TITLE', 26], ['SUBTITLE', 15], ['HEADING_1', 20], ['HEADING_2', 16], ['HEADING_3', 14], ['HEADING_4', 12], ['HEADING_5', 11], ['HEADING_6', 11]];
  return {
    styles: [
      { namedStyleType: 'NORMAL_TEXT', textStyle: base, paragraphStyle: paragraphBase },
      ...sizes.map(([namedStyleType, size]) => ({ namedStyleType, textStyle: { fontSize: pt(size) }, paragraphStyle: { namedStyleType, direction: 'LEFT_TO_RIGHT', keepWithNext: true } })),
    ],
  };
}
