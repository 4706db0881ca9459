import { GoogleError } from '../errors.js';

/** A parsed `fields` selector: each selected name, with the selector of its sub-fields (undefined for the whole value). */
export type FieldTree = Map<string, FieldTree | undefined>;

const invalid = (fields: string) => new GoogleError('INVALID_ARGUMENT', `Invalid field selection ${fields}`, { reason: 'invalidParameter', location: 'fields' });

/**
 * Parses Google's partial-response syntax: comma-separated names, `a/b` for a sub-field and `a(b,c)` for several
 * (developers.google.com/drive/api/guides/fields-parameter). A selector that does not parse is Google's 400.
 *
 * @example
 * parseFields('nextPageToken,files(id,name)'); // Map { nextPageToken => undefined, files => Map { id, name } }
 */
export function parseFields(fields: string): FieldTree {
  let i = 0;
  const name = () => {
    const m = /^[A-Za-z_$*][\w$.-]*/.exec(fields.slice(i));
    if (!m) throw invalid(fields);
    i += m[0].length;
    return m[0];
  };
  const list = (closing: string | undefined): FieldTree => {
    const tree: FieldTree = new Map();
    for (;;) {
      while (fields[i] === ' ') i++;
      const path = [name()];
      while (fields[i] === '/') {
        i++;
        path.push(name());
      }
      let sub: FieldTree | undefined;
      if (fields[i] === '(') {
        i++;
        sub = list(')');
        i++;
      }
      let node = tree;
      path.forEach((part, k) => {
        if (k === path.length - 1) node.set(part, sub === undefined ? undefined : merge(node.get(part), sub));
        else {
          const next = node.get(part) ?? new Map();
          node.set(part, next);
          node = next;
        }
      });
      while (fields[i] === ' ') i++;
      if (fields[i] === ',') {
        i++;
        continue;
      }
      if (fields[i] === closing) return tree;
      throw invalid(fields);
    }
  };
  const merge = (a: FieldTree | undefined, b: FieldTree) => (a ? new Map([...a, ...b]) : b);
  const tree = list(undefined);
  if (i !== fields.length) throw invalid(fields);
  return tree;
}

/**
 * The parts of a JSON value a field tree selects; `*` selects everything at its level. Arrays are selected item by item.
 *
 * @example
 * select({ id: 'a', name: 'b', size: 1 }, parseFields('id,name')); // { id: 'a', name: 'b' }
 */
export function select(value: unknown, tree: FieldTree | undefined): unknown {
  if (tree === undefined || tree.has('*') || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => select(item, tree));
  const out: Record<string, unknown> = {};
  for (const [key, sub] of tree) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = select(v, sub);
  }
  return out;
}
