import { tokenize, type Token } from '../../../src/index.js';
import { GoogleError } from '../errors.js';
import type { StoredFile } from '../types.js';

/** A compiled `q`: whether a file matches. */
export type FileFilter = (file: StoredFile) => boolean;

/** Drive's 400 for a query it cannot read: "Invalid Value", at the q parameter. */
const invalidQuery = () => new GoogleError('INVALID_ARGUMENT', 'Invalid Value', { reason: 'invalid', location: 'q' });

const RULES = {
  quotes: ["'"],
  symbols: ['(', ')', '!=', '<=', '>=', '=', '<', '>'],
  name: /[A-Za-z_][A-Za-z0-9_]*/,
  refuse: invalidQuery,
} as const;

const STRING_OPERATORS: Record<string, string[]> = {
  name: ['contains', '=', '!='],
  mimeType: ['contains', '=', '!='],
  fullText: ['contains'],
};
const TIME_TERMS = new Set(['modifiedTime', 'createdTime']);
const COMPARISONS = ['=', '!=', '<', '<=', '>', '>='];

/**
 * Compiles Drive's search query language (`q` of files.list) over the terms a Docs user filters on: name and
 * mimeType (`contains`, `=`, `!=`), fullText contains, trashed and starred (`=`, `!=`), createdTime and
 * modifiedTime (comparisons), `'id' in parents` ('root' is the caller's My Drive), `'email' in owners|writers|readers` ('me'
 * is the caller), joined by and, or, not and parentheses (developers.google.com/drive/api/guides/ref-search-terms).
 *
 * @example
 * const filter = compileQuery("mimeType = 'application/vnd.google-apps.document' and 'me' in owners", textOf, 'admin@twin.test', rootId);
 */
export function compileQuery(q: string, fullTextOf: (file: StoredFile) => string, me: string, rootFolderId: string): FileFilter {
  const tokens = tokenize(q, RULES);
  let i = 0;
  const peek = (): Token => tokens[i];
  const take = (): Token => tokens[i++];
  const word = (text: string) => peek().type === 'name' && peek().text === text;
  const expectString = (): string => {
    const t = take();
    if (t.type !== 'string') throw invalidQuery();
    return t.text;
  };

  const primary = (): FileFilter => {
    if (peek().type === 'symbol' && peek().text === '(') {
      take();
      const inner = or();
      if (take().text !== ')') throw invalidQuery();
      return inner;
    }
    if (peek().type === 'string') {
      // 'me' stands for the caller in owners, writers and readers (ref-search-terms).
      const given = take().text;
      const value = given === 'me' ? me : given;
      if (!word('in')) throw invalidQuery();
      take();
      const field = take();
      if (field.type !== 'name') throw invalidQuery();
      // 'root' is the alias of the caller's My Drive folder (Drive's files and folders guide).
      if (field.text === 'parents') {
        const parent = given === 'root' ? rootFolderId : value;
        return (f) => f.parents.includes(parent);
      }
      if (field.text === 'owners') return (f) => f.owner === value;
      if (field.text === 'writers') return (f) => f.permissions.some((p) => p.emailAddress === value && (p.role === 'writer' || p.role === 'owner'));
      if (field.text === 'readers') return (f) => f.permissions.some((p) => p.emailAddress === value);
      throw invalidQuery();
    }
    const term = take();
    if (term.type !== 'name') throw invalidQuery();
    const operator = take();
    const operatorText = operator.type === 'name' || operator.type === 'symbol' ? operator.text : '';
    // Own keys only: a term spelled `constructor` or `toString` is no term of the language.
    if (Object.hasOwn(STRING_OPERATORS, term.text)) {
      if (!STRING_OPERATORS[term.text].includes(operatorText)) throw invalidQuery();
      const value = expectString();
      const read = term.text === 'name' ? (f: StoredFile) => f.name : term.text === 'mimeType' ? (f: StoredFile) => f.mimeType : fullTextOf;
      if (operatorText === 'contains') {
        // `name contains` matches a prefix of any word, case-insensitively (ref-search-terms); fullText and mimeType match anywhere.
        const needle = value.toLowerCase();
        return term.text === 'name' ? (f) => read(f).toLowerCase().split(/[^\p{L}\p{N}]+/u).some((w) => w.startsWith(needle)) || read(f).toLowerCase().startsWith(needle) : (f) => read(f).toLowerCase().includes(needle);
      }
      return operatorText === '=' ? (f) => read(f) === value : (f) => read(f) !== value;
    }
    if (term.text === 'trashed' || term.text === 'starred') {
      if (operatorText !== '=' && operatorText !== '!=') throw invalidQuery();
      const value = take();
      if (value.type !== 'name' || (value.text !== 'true' && value.text !== 'false')) throw invalidQuery();
      const wanted = value.text === 'true';
      const key = term.text;
      return operatorText === '=' ? (f) => f[key] === wanted : (f) => f[key] !== wanted;
    }
    if (TIME_TERMS.has(term.text)) {
      if (!COMPARISONS.includes(operatorText)) throw invalidQuery();
      const at = Date.parse(expectString());
      if (!Number.isFinite(at)) throw invalidQuery();
      const key = term.text as 'modifiedTime' | 'createdTime';
      const compare = (t: number) => ({ '=': t === at, '!=': t !== at, '<': t < at, '<=': t <= at, '>': t > at, '>=': t >= at })[operatorText]!;
      return (f) => compare(Date.parse(f[key]));
    }
    throw invalidQuery();
  };
  const not = (): FileFilter => {
    if (word('not')) {
      take();
      const inner = not();
      return (f) => !inner(f);
    }
    return primary();
  };
  const and = (): FileFilter => {
    let left = not();
    while (word('and')) {
      take();
      const l = left;
      const r = not();
      left = (f) => l(f) && r(f);
    }
    return left;
  };
  const or = (): FileFilter => {
    let left = and();
    while (word('or')) {
      take();
      const l = left;
      const r = and();
      left = (f) => l(f) || r(f);
    }
    return left;
  };
  const filter = or();
  if (peek().type !== 'end') throw invalidQuery();
  return filter;
}
