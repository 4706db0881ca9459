/**
 * One change a transaction made: where (the path from the state's root), and the value there now, or its removal.
 *
 * @example
 * const change: StateChange = { path: ['users', '00u1'], value: { id: '00u1' } };
 */
export interface StateChange {
  path: string[];
  /** The new value (a copy); absent when the key was deleted. */
  value?: unknown;
  deleted?: true;
}

/**
 * A write request's view of the state: `state` reads and writes through to the live data and remembers what each
 * write replaced, so that `rollback` puts it back and `changes` lists what changed, in proportion to the change.
 *
 * @example
 * const tx = beginTransaction(store.data);
 * tx.state.items.x = { id: 'x' };
 * tx.rollback(); // store.data.items.x is gone again
 */
export interface Transaction<S> {
  readonly state: S;
  /** Undoes every write, newest first. */
  rollback(): void;
  /** The final value at every path written (deepest writes folded into the shallowest), in first-write order. */
  changes(): StateChange[];
  /** Ends the transaction: the view then reads and writes the live data untracked. */
  close(): void;
}

interface Undo {
  target: Record<string | symbol, unknown>;
  key: string | symbol;
  had: boolean;
  old: unknown;
}

const isObject = (value: unknown): value is object => value !== null && typeof value === 'object';

/**
 * Starts tracking writes to plain JSON state (a tree: no object is reachable by two paths). Nested objects are
 * reached through proxies made on demand; a value written is stored unwrapped, so no proxy ever lands in the state.
 * Reads cost a proxy lookup; nothing is copied until `changes` is asked for.
 *
 * `wholeRecords` names top-level collections whose records are read as they are, copied once for the undo log
 * and saved whole when the write succeeds.
 *
 * @example
 * const tx = beginTransaction(state);
 * try { handler(tx.state); } catch (error) { tx.rollback(); throw error; } finally { tx.close(); }
 */
export function beginTransaction<S extends object>(root: S, options: { wholeRecords?: readonly string[] } = {}): Transaction<S> {
  // Collections whose records are handed out as they are (large records a handler replaces or edits as a unit):
  // each is copied once for the undo log and counted as written whole, instead of being read through proxies.
  const wholeCollections = new Set<object>();
  for (const name of options.wholeRecords ?? []) {
    const collection = (root as Record<string, unknown>)[name];
    if (isObject(collection)) wholeCollections.add(collection);
  }
  const proxies = new WeakMap<object, object>();
  const targets = new WeakMap<object, object>();
  // Where each wrapped object hangs (its parent and key): a path is built only when `changes` asks for it.
  const parents = new WeakMap<object, { parent: object; key: string }>();
  const undo: Undo[] = [];
  // Key order before the first deletion in an object: a key deleted and put back would otherwise move to the end,
  // and twins list records in insertion order.
  const orders = new Map<object, string[]>();
  let open = true;

  // A value about to be stored: any proxy in it (a handler may build `{ ...old, profile: old.profile }`) is
  // replaced by the object it stands for. Only objects the handler built are walked: state objects hold no proxy.
  const unwrap = (value: unknown): unknown => {
    if (!isObject(value)) return value;
    const target = targets.get(value);
    if (target) return target;
    if (proxies.has(value)) return value;
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const child = record[key];
      if (isObject(child)) {
        const plain = unwrap(child);
        if (plain !== child) record[key] = plain;
      }
    }
    return value;
  };

  const remember = (target: Record<string | symbol, unknown>, key: string | symbol) => {
    if (!open) return;
    // Writing past an array's end grows its length without a write to `length`: the old length is kept first.
    if (Array.isArray(target) && key !== 'length') undo.push({ target, key: 'length', had: true, old: target.length });
    undo.push({ target, key, had: Object.prototype.hasOwnProperty.call(target, key), old: target[key] });
  };

  const wrap = (target: object, parent?: object, key?: string): object => {
    const known = proxies.get(target);
    if (known) return known;
    if (parent) parents.set(target, { parent, key: key! });
    const proxy = new Proxy(target as Record<string | symbol, unknown>, {
      get(t, key) {
        const value = t[key];
        if (!open || typeof key === 'symbol' || !isObject(value)) return value;
        if (wholeCollections.has(t)) {
          if (!undo.some((u) => u.target === t && u.key === key)) undo.push({ target: t, key, had: true, old: structuredClone(value) });
          return value;
        }
        return proxies.get(value) ?? wrap(value, t, key);
      },
      set(t, key, value) {
        remember(t, key);
        t[key] = open ? unwrap(value) : value;
        return true;
      },
      deleteProperty(t, key) {
        if (open && !Array.isArray(t) && !orders.has(t) && Object.prototype.hasOwnProperty.call(t, key)) orders.set(t, Object.keys(t));
        remember(t, key);
        return delete t[key];
      },
      defineProperty(t, key, descriptor) {
        remember(t, key);
        if ('value' in descriptor && open) descriptor = { ...descriptor, value: unwrap(descriptor.value) };
        return Reflect.defineProperty(t, key, descriptor);
      },
    });
    proxies.set(target, proxy);
    targets.set(proxy, target);
    return proxy;
  };

  const pathOf = (target: object): string[] | undefined => {
    const path: string[] = [];
    for (let node: object | undefined = target; node !== root; ) {
      const link: { parent: object; key: string } | undefined = node && parents.get(node);
      if (!link) return undefined;
      path.unshift(link.key);
      node = link.parent;
    }
    return path;
  };

  const state = wrap(root) as S;
  return {
    state,
    rollback() {
      for (let i = undo.length - 1; i >= 0; i--) {
        const { target, key, had, old } = undo[i];
        if (had) target[key] = old;
        else delete target[key];
      }
      for (const [target, keys] of orders) {
        const record = target as Record<string, unknown>;
        const now = Object.keys(record);
        if (now.length === keys.length && now.every((key, i) => key === keys[i])) continue;
        for (const key of keys) {
          const value = record[key];
          delete record[key];
          record[key] = value;
        }
      }
      undo.length = 0;
      orders.clear();
    },
    changes() {
      const written = new Map<string, string[]>();
      for (const { target, key } of undo) {
        const base = pathOf(target);
        if (base === undefined || typeof key === 'symbol') continue;
        const path = [...base, key];
        written.set(path.join('\u0000'), path);
      }
      // A write inside an object that was itself written is part of that object's new value.
      const all = [...written.values()];
      const covered = (path: string[]) => all.some((other) => other.length < path.length && other.every((part, i) => part === path[i]));
      const out: StateChange[] = [];
      for (const path of all) {
        if (covered(path)) continue;
        let node: unknown = root;
        for (let i = 0; i < path.length - 1 && isObject(node); i++) node = (node as Record<string, unknown>)[path[i]];
        const parent = node as Record<string, unknown> | undefined;
        const last = path[path.length - 1];
        if (!isObject(parent) || !Object.prototype.hasOwnProperty.call(parent, last)) out.push({ path, deleted: true });
        else out.push({ path, value: structuredClone(parent[last]) });
      }
      return out;
    },
    close() {
      open = false;
    },
  };
}
