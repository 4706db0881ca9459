/** A path's match: its operations, its template and its parameters. */
interface RouteMatch<T> {
  /** The operations of the matched path, by upper-case method. */
  methods: Map<string, T>;
  /** The path template, e.g. /api/v1/users/{id}. */
  template: string;
  /** Path parameters, percent-decoded. */
  params: Record<string, string>;
}

interface Node<T> {
  literal: Map<string, Node<T>>;
  /** Parameters are unnamed in the trie: vendors name the same position differently ({id}, {userId}). */
  param?: Node<T>;
  /** Parameters followed by a literal suffix in the same segment, by suffix: Google's `{documentId}:batchUpdate`. */
  suffixed?: Map<string, Node<T>>;
  /** Set on the node a template ends at, with its own parameter names in order. */
  route?: { template: string; names: string[]; methods: Map<string, T> };
}

const newNode = <T>(): Node<T> => ({ literal: new Map() });

/**
 * A route table compiled from the OpenAPI document's path templates: a trie on path segments where a
 * literal segment beats a template parameter (so /api/v1/users/me is tried before /api/v1/users/{id}), and a
 * parameter with a literal suffix (`{id}:batchUpdate`, Google's custom methods) beats a bare parameter.
 *
 * @example
 * const router = createRouter<string>();
 * router.add('/users/{id}', 'GET', 'getUser');
 * router.match('/users/42')?.params; // { id: '42' }
 */
export interface Router<T> {
  add(template: string, method: string, value: T): void;
  match(path: string): RouteMatch<T> | undefined;
}

function decoded(segment: string): string {
  try {
    return segment.includes('%') ? decodeURIComponent(segment) : segment;
  } catch {
    return segment;
  }
}

export function createRouter<T>(): Router<T> {
  const root = newNode<T>();

  function add(template: string, method: string, value: T) {
    let node = root;
    const names: string[] = [];
    for (const segment of template.split('/').slice(1)) {
      const param = /^\{([^}]+)\}(.*)$/.exec(segment);
      if (param && param[2]) {
        names.push(param[1]);
        node.suffixed ??= new Map();
        let next = node.suffixed.get(param[2]);
        if (!next) node.suffixed.set(param[2], (next = newNode()));
        node = next;
      } else if (param) {
        names.push(param[1]);
        node = node.param ??= newNode();
      } else {
        let next = node.literal.get(segment);
        if (!next) node.literal.set(segment, (next = newNode()));
        node = next;
      }
    }
    if (node.route && node.route.template !== template) {
      throw new Error(`[twinverse] OpenAPI paths ${node.route.template} and ${template} are the same path with other parameter names; keep one`);
    }
    node.route ??= { template, names, methods: new Map() };
    node.route.methods.set(method.toUpperCase(), value);
  }

  // Parameter values are pushed and popped on one array as the walk backtracks, rather than copied per segment.
  function walk(node: Node<T>, segments: string[], i: number, values: string[]): RouteMatch<T> | undefined {
    if (i === segments.length) {
      if (!node.route) return undefined;
      const params: Record<string, string> = {};
      node.route.names.forEach((name, k) => (params[name] = values[k]));
      return { methods: node.route.methods, template: node.route.template, params };
    }
    const literal = node.literal.get(segments[i]);
    const found = literal && walk(literal, segments, i + 1, values);
    if (found) return found;
    if (node.suffixed) {
      for (const [suffix, next] of node.suffixed) {
        if (segments[i].length <= suffix.length || !segments[i].endsWith(suffix)) continue;
        values.push(decoded(segments[i].slice(0, -suffix.length)));
        const viaSuffix = walk(next, segments, i + 1, values);
        values.pop();
        if (viaSuffix) return viaSuffix;
      }
    }
    if (node.param && segments[i] !== '') {
      values.push(decoded(segments[i]));
      const viaParam = walk(node.param, segments, i + 1, values);
      values.pop();
      return viaParam;
    }
    return undefined;
  }

  return {
    add,
    match: (path) => walk(root, path.split('/').slice(1), 0, []),
  };
}
