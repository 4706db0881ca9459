import type { IdState } from './ids.js';
import type { TwinExport } from './store.js';
import type { StateChange } from './transaction.js';

/**
 * Keeps a twin's state as it changes: each write's changes, and the whole state after a reset or an import. A
 * rejected promise means the change was not kept: the write is then taken back and answered with the vendor's 503.
 *
 * @example
 * const persist: StatePersistence = { append: async (twin, changes, ids) => log.push({ twin, changes, ids }), replace: async (doc) => void (saved = doc) };
 * createTwin(exampleTwin, { persist });
 */
export interface StatePersistence {
  /** Keeps one write's changes and the id position after it; resolves once they would survive the process being killed. */
  append(twin: string, changes: StateChange[], ids: IdState): Promise<void>;
  /** Keeps the whole state (after a reset, an import, a plugin change). */
  replace(doc: TwinExport): Promise<void>;
}
