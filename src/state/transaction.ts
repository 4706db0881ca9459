/**
 * One change a transaction made: where (the path from the state's root), and the value there now, or its removal.
 *
 * @example
 * const change: StateChange = { path: ['users', '00u1'], value: { id: '00u1' } };
 */
export interface StateChange {
  path: string[];
  /** The new value: a copy, or the value itself where it is frozen (a whole record's); absent when the key was deleted. */
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
 * `wholeRecords` names top-level collections of immutable records: a handler never changes one in place, it builds
 * a new record (sharing what did not change with the old one) and assigns it. Their records are handed out as they
 * are, without proxies, and deep-frozen, so that a change in place throws a TypeError (and, being no twin's refusal,
 * is taken back) instead of corrupting the record a rollback puts back. A rollback restores the old reference and
 * copies nothing; `changes` lists what differs between the old record and the new, skipping what they share, so a
 * save costs the edit, not the record. A record the handler assigns is frozen when the transaction closes, so it may
 * be built in place until then.
 *
 * @example
 * const tx = beginTransaction(state);
 * try { handler(tx.state); } catch (error) { tx.rollback(); throw error; } finally { tx.close(); }
 */
export function beginTransaction<S extends object>(root: S, options: { wholeRecords?: readonly string[] } = {}): Transaction<S> {
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
  // replaced by the object it stands for. Only objects the handler built are walked: state objects hold no proxy,
  // and a frozen object is part of a whole record, which never holds one.
  const unwrap = (value: unknown): unknown => {
    if (!isObject(value)) return value;
    const target = targets.get(value);
    if (target) return target;
    if (proxies.has(value) || Object.isFrozen(value)) return value;
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
    const old = target[key];
    // The record a rollback puts back is kept by reference: frozen, nothing can change it meanwhile.
    if (wholeCollections.has(target)) deepFreeze(old);
    undo.push({ target, key, had: Object.prototype.hasOwnProperty.call(target, key), old });
  };

  // A record assigned to a whole collection, made immutable in one walk: any proxy in it replaced by the object it
  // stands for, then everything frozen. What is frozen already (shared with the old version) is not walked.
  const sealRecord = (value: unknown): unknown => {
    if (!isObject(value)) return value;
    const target = targets.get(value);
    if (target) return deepFreeze(target);
    if (Object.isFrozen(value)) return value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const child: unknown = value[i];
        if (isObject(child)) value[i] = sealRecord(child);
      }
    } else {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const child = record[key];
        if (isObject(child)) record[key] = sealRecord(child);
      }
    }
    return Object.freeze(value);
  };

  // The records assigned to whole collections are frozen once the handler is done with them.
  const seal = () => {
    for (const { target, key } of undo) {
      if (wholeCollections.has(target) && Object.prototype.hasOwnProperty.call(target, key)) target[key] = sealRecord(target[key]);
    }
  };

  const wrap = (target: object, parent?: object, key?: string): object => {
    const known = proxies.get(target);
    if (known) return known;
    if (parent) parents.set(target, { parent, key: key! });
    const proxy = new Proxy(target as Record<string | symbol, unknown>, {
      get(t, key) {
        const value = t[key];
        if (!open || typeof key === 'symbol' || !isObject(value)) return value;
        if (wholeCollections.has(t)) return deepFreeze(value);
        return proxies.get(value) ?? wrap(value, t, key);
      },
      set(t, key, value) {
        remember(t, key);
        // A whole record is made plain when it is sealed, once the handler is done with it.
        t[key] = open && !wholeCollections.has(t) ? unwrap(value) : value;
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
      if (open) seal();
      // Each path written, with the first write to it: what it held before the transaction.
      const written = new Map<string, { path: string[]; first: Undo }>();
      for (const entry of undo) {
        const base = pathOf(entry.target);
        if (base === undefined || typeof entry.key === 'symbol') continue;
        const path = [...base, entry.key];
        const id = path.join('\u0000');
        if (!written.has(id)) written.set(id, { path, first: entry });
      }
      // A write inside an object that was itself written is part of that object's new value.
      const all = [...written.values()].map((w) => w.path);
      const covered = (path: string[]) => all.some((other) => other.length < path.length && other.every((part, i) => part === path[i]));
      const out: StateChange[] = [];
      for (const { path, first } of written.values()) {
        if (covered(path)) continue;
        let node: unknown = root;
        for (let i = 0; i < path.length - 1 && isObject(node); i++) node = (node as Record<string, unknown>)[path[i]];
        const parent = node as Record<string, unknown> | undefined;
        const last = path[path.length - 1];
        if (!isObject(parent) || !Object.prototype.hasOwnProperty.call(parent, last)) out.push({ path, deleted: true });
        else if (!wholeCollections.has(first.target)) out.push({ path, value: structuredClone(parent[last]) });
        else if (first.had) diffRecords(first.old, parent[last], path, out);
        else out.push({ path, value: parent[last] });
      }
      return out;
    },
    close() {
      if (open) seal();
      open = false;
    },
  };
}

/**
 * Freezes a value and everything in it, and returns it. It stops at what is frozen already: the parts a record shares
 * with its older versions, so freezing a new version costs what the handler built.
 */
function deepFreeze<T>(value: T): T {
  if (!isObject(value) || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
  else for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return Object.freeze(value);
}

const hasOwn = (value: object, key: string) => Object.prototype.hasOwnProperty.call(value, key);

/**
 * Whether `now`'s keys keep their order when `old` is turned into it by changes: the keys both have in the same order,
 * the new ones after them (a change sets or deletes a key; one it adds goes last).
 */
function keepsOrder(old: object, oldKeys: string[], now: object, nowKeys: string[]): boolean {
  let i = 0;
  let added = false;
  for (const key of nowKeys) {
    if (!hasOwn(old, key)) {
      added = true;
      continue;
    }
    while (i < oldKeys.length && !hasOwn(now, oldKeys[i])) i++;
    if (added || oldKeys[i] !== key) return false;
    i++;
  }
  return true;
}

/**
 * The changes that turn one version of a frozen record into the next, at `path`. What the two share is skipped by
 * reference, so this costs what the handler built, not the record; the values listed are frozen, so they are given
 * as they are. An array that changed length, or in most of its places, and an object whose keys moved, are listed whole:
 * a change sets or deletes one key, it cannot insert one.
 */
function diffRecords(old: unknown, now: unknown, path: string[], out: StateChange[]): void {
  if (old === now) return;
  if (!isObject(old) || !isObject(now) || Array.isArray(old) !== Array.isArray(now)) {
    out.push({ path, value: now });
    return;
  }
  if (Array.isArray(old)) {
    const items = now as unknown[];
    if (old.length !== items.length) {
      out.push({ path, value: now });
      return;
    }
    const differing: number[] = [];
    for (let i = 0; i < items.length; i++) if (old[i] !== items[i]) differing.push(i);
    if (differing.length * 2 > items.length) out.push({ path, value: now });
    else for (const i of differing) diffRecords(old[i], items[i], [...path, String(i)], out);
    return;
  }
  const before = old as Record<string, unknown>;
  const after = now as Record<string, unknown>;
  const oldKeys = Object.keys(before);
  const nowKeys = Object.keys(after);
  if (!keepsOrder(before, oldKeys, after, nowKeys)) {
    out.push({ path, value: now });
    return;
  }
  for (const key of oldKeys) if (!hasOwn(after, key)) out.push({ path: [...path, key], deleted: true });
  for (const key of nowKeys) {
    if (!hasOwn(before, key)) out.push({ path: [...path, key], value: after[key] });
    else diffRecords(before[key], after[key], [...path, key], out);
  }
}
