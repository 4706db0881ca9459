import { createIdSource, type IdSource, type IdState } from './ids.js';

/**
 * A point-in-time copy of a twin's state and id position.
 *
 * @example
 * const saved: Snapshot<ExampleState> = twin.snapshot();
 * twin.restore(saved);
 */
export interface Snapshot<S> {
  state: S;
  ids: IdState;
}

/**
 * The portable form of a twin's state: what `GET /__twin/state` returns, `PUT /__twin/state` and
 * `--seed` take, and `--data` files hold.
 *
 * @example
 * const doc: TwinExport = twin.exportState(); // { twinverse: 1, twin: 'example', state, ids }
 * createTwinRuntime(exampleTwin).importState(doc); // a second instance in the same state
 */
export interface TwinExport<S = unknown> {
  twinverse: 1;
  twin: string;
  state: S;
  ids: IdState;
}

/**
 * A twin instance's state: plain data that resets to its seed by a structured clone.
 *
 * @example
 * const store = createStore('example', { items: {} }, 7);
 * store.data.items.x = { id: 'x' };
 * store.reset(); // store.data.items is empty again
 */
export interface Store<S> {
  readonly data: S;
  readonly ids: IdSource;
  /** Back to the seed (the default one, or the one last given to `reseed`). */
  reset(): void;
  snapshot(): Snapshot<S>;
  restore(snapshot: Snapshot<S>): void;
  export(): TwinExport<S>;
  /** Replaces the state with an export; throws a [twinverse] error when it is not one of this twin's. */
  import(doc: unknown): void;
  /** Makes an export the seed that `reset` returns to, and loads it. */
  reseed(doc: unknown): void;
  /** Called whenever the state object is replaced (reset, restore, import). */
  onReplace(listener: () => void): void;
}

/**
 * A copy of plain data whose objects have no prototype: a key taken from a request (an id in a path, a
 * code in a form) can then never reach Object.prototype through `state.users[id]`, whatever it spells
 * (`__proto__`, `constructor`, `toString`).
 */
function liveCopy<T>(value: T): T {
  const copy = structuredClone(value);
  const detach = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(detach);
    Object.setPrototypeOf(node, null);
    for (const key in node) detach((node as Record<string, unknown>)[key]);
  };
  detach(copy);
  return copy;
}

/**
 * An empty keyed collection for state, without a prototype (see liveCopy): twins create collections with it.
 *
 * @example
 * const assignments = (ctx.state.appUsers[appId] ??= createRecord());
 */
export function createRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A 32-bit hash of the twin name, so two kinds of twin start their ids at different places. */
function nameSeed(name: string): number {
  let h = 2166136261;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

/** The JSON kind of a value, as the shape check names it. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * How a state departs from the shape of the twin's seed: every top-level collection the seed has must be there with
 * the same kind, and a collection of records (an object whose values are objects, such as users by id) must hold
 * only records. What the seed does not show (optional collections, a record's own fields) is the twin's to check.
 */
function shapeProblems(seed: unknown, state: object): string[] {
  const problems: string[] = [];
  if (!seed || typeof seed !== 'object') return problems;
  for (const [key, model] of Object.entries(seed)) {
    const value = (state as Record<string, unknown>)[key];
    if (!Object.hasOwn(state, key)) {
      problems.push(`"${key}" is missing`);
      continue;
    }
    if (kindOf(value) !== kindOf(model)) {
      problems.push(`"${key}" is ${kindOf(value)}, not ${kindOf(model)}`);
      continue;
    }
    const records = kindOf(model) === 'object' && Object.keys(model as object).length > 0 && Object.values(model as object).every((v) => kindOf(v) === 'object');
    if (records) {
      for (const [id, record] of Object.entries(value as object)) {
        if (kindOf(record) !== 'object') problems.push(`"${key}"."${id}" is ${kindOf(record)}, not an object`);
      }
    }
  }
  return problems;
}

export function createStore<S>(twin: string, seed: S, idSeed = nameSeed(twin)): Store<S> {
  let seedSnapshot: Snapshot<S> = { state: structuredClone(seed), ids: { rng: idSeed, seq: {} } };
  let data = liveCopy(seedSnapshot.state);
  const ids = createIdSource(seedSnapshot.ids);
  const listeners: (() => void)[] = [];
  const replaced = () => listeners.forEach((l) => l());

  const check = (doc: unknown): TwinExport<S> => {
    const d = doc as Partial<TwinExport<S>> | null;
    if (!d || typeof d !== 'object' || d.twinverse !== 1 || typeof d.twin !== 'string') {
      throw new Error('[twinverse] not a twinverse state export: expected { "twinverse": 1, "twin": "<service>", "state": {...}, "ids": {...} } as GET /__twin/state returns it');
    }
    if (d.twin !== twin) throw new Error(`[twinverse] this state export is for the ${d.twin} twin, not ${twin}`);
    if (!d.state || typeof d.state !== 'object' || Array.isArray(d.state)) throw new Error('[twinverse] the state export has no "state" object');
    const problems = shapeProblems(seed, d.state);
    if (problems.length) throw new Error(`[twinverse] this state export does not have the ${twin} twin's shape, so none of it was imported: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}`);
    const idState = d.ids && typeof d.ids.rng === 'number' && d.ids.seq && typeof d.ids.seq === 'object' ? d.ids : { rng: idSeed, seq: {} };
    return { twinverse: 1, twin, state: d.state, ids: idState };
  };

  return {
    get data() {
      return data;
    },
    ids,
    reset() {
      data = liveCopy(seedSnapshot.state);
      ids.advanceTo(seedSnapshot.ids);
      replaced();
    },
    snapshot: () => ({ state: structuredClone(data), ids: ids.save() }),
    restore(snapshot) {
      data = liveCopy(snapshot.state);
      ids.advanceTo(snapshot.ids);
      replaced();
    },
    export: () => ({ twinverse: 1, twin, state: structuredClone(data), ids: ids.save() }),
    import(doc) {
      const valid = check(doc);
      data = liveCopy(valid.state);
      ids.advanceTo(valid.ids);
      replaced();
    },
    reseed(doc) {
      const valid = check(doc);
      seedSnapshot = { state: structuredClone(valid.state), ids: valid.ids };
      data = liveCopy(valid.state);
      ids.advanceTo(valid.ids);
      replaced();
    },
    onReplace(listener) {
      listeners.push(listener);
    },
  };
}
