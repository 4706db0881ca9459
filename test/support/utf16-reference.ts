import fc from 'fast-check';

/**
 * A plain UTF-16 string as the reference a Docs body is checked against in the seeded property tests: an edit on
 * the body, where index 1 is text[0], and what the reference makes of it.
 */
export type Edit = { kind: 'insert'; at: number; text: string } | { kind: 'delete'; from: number; to: number };
/** An edit drawn as raw numbers, placed on the document as it stands when it is applied (so most land inside it, some just past it). */
export type Draw = { kind: 'insert'; at: number; text: string } | { kind: 'delete'; from: number; length: number };

/** Edits drawn from `pieces` of text: inserts of up to `maxPieces` pieces, deletions of up to `maxDelete` + 1 units. */
export function drawEdit(pieces: string[], limits: { maxAt: number; maxPieces: number; maxDelete: number }): fc.Arbitrary<Draw> {
  return fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(limits.maxAt), text: fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: limits.maxPieces }).map((p) => p.join('')) }),
    fc.record({ kind: fc.constant('delete' as const), from: fc.nat(limits.maxAt), length: fc.nat(limits.maxDelete) }),
  );
}

/** The edit a draw makes on a body text of this length (its end index is length + 1). */
export function place(d: Draw, length: number): Edit {
  const end = length + 1;
  if (d.kind === 'insert') return { kind: 'insert', at: 1 + (d.at % end), text: d.text };
  const from = 1 + (d.from % end);
  return { kind: 'delete', from, to: from + 1 + d.length };
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;

/** What the reference makes of one edit on the body text: the new text, or why it is refused. */
export function reference(text: string, e: Edit): string | { refused: true } {
  const end = text.length + 1;
  if (e.kind === 'insert') {
    if (e.at < 1 || e.at >= end) return { refused: true };
    let at = e.at - 1;
    if (at > 0 && isHigh(text.charCodeAt(at - 1))) at += 1;
    return text.slice(0, at) + e.text + text.slice(at);
  }
  if (e.from < 1 || e.from >= e.to || e.to >= end) return { refused: true };
  const splits = (i: number) => i > 0 && i < text.length && isHigh(text.charCodeAt(i - 1));
  if (splits(e.from - 1) || splits(e.to - 1)) return { refused: true };
  return text.slice(0, e.from - 1) + text.slice(e.to - 1);
}

/** The batchUpdate request of an edit. */
export const request = (e: Edit) => (e.kind === 'insert' ? { insertText: { location: { index: e.at }, text: e.text } } : { deleteContentRange: { range: { startIndex: e.from, endIndex: e.to } } });
