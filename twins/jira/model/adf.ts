import type { AdfNode } from '../types.js';

/**
 * Whether a value is an Atlassian Document Format document: `{type: "doc", version: 1, content: [...]}`.
 *
 * @example
 * isAdfDocument({ type: 'doc', version: 1, content: [] }); // true
 */
export function isAdfDocument(value: unknown): value is AdfNode {
  const node = value as AdfNode | null;
  return Boolean(node && typeof node === 'object' && !Array.isArray(node) && node.type === 'doc' && node.version === 1 && Array.isArray(node.content));
}

/**
 * A one-paragraph ADF document holding `text`.
 *
 * @example
 * adfParagraph('Hello'); // { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Hello' }] }] }
 */
export function adfParagraph(text: string): AdfNode {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}

/**
 * The plain text of an ADF document, blocks separated by new lines (what text search matches).
 *
 * @example
 * adfText(adfParagraph('Hello')); // 'Hello'
 */
export function adfText(node: AdfNode | null | undefined): string {
  if (!node) return '';
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'hardBreak') return '\n';
  const inner = (node.content ?? []).map(adfText);
  return node.type === 'doc' ? inner.join('\n') : inner.join('');
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const BLOCK_TAGS: Record<string, string> = { paragraph: 'p', bulletList: 'ul', orderedList: 'ol', listItem: 'li', blockquote: 'blockquote', codeBlock: 'pre' };
const MARK_TAGS: Record<string, string> = { strong: 'b', em: 'em', code: 'tt', strike: 'del', underline: 'ins' };

/**
 * An ADF document as the HTML Jira's `renderedFields` carry (paragraphs, headings, lists, marks and links).
 *
 * @example
 * adfHtml(adfParagraph('a < b')); // '<p>a &lt; b</p>'
 */
export function adfHtml(node: AdfNode | null | undefined): string {
  if (!node) return '';
  if (node.type === 'text') {
    let html = escapeHtml(node.text ?? '');
    for (const mark of (node.marks ?? []) as { type: string; attrs?: { href?: string } }[]) {
      if (mark.type === 'link') html = `<a href="${escapeHtml(String(mark.attrs?.href ?? ''))}" class="external-link" rel="nofollow noreferrer">${html}</a>`;
      else if (MARK_TAGS[mark.type]) html = `<${MARK_TAGS[mark.type]}>${html}</${MARK_TAGS[mark.type]}>`;
    }
    return html;
  }
  if (node.type === 'hardBreak') return '<br/>';
  const inner = (node.content ?? []).map(adfHtml).join(node.type === 'doc' ? '\n' : '');
  if (node.type === 'heading') {
    const level = Math.min(6, Math.max(1, Number(node.attrs?.level ?? 1)));
    return `<h${level}>${inner}</h${level}>`;
  }
  const tag = BLOCK_TAGS[node.type];
  return tag ? `<${tag}>${inner}</${tag}>` : inner;
}
