import { createHash } from 'node:crypto';
import type { TwinDefinition } from '../define-twin.js';
import type { TwinExport } from '../state/store.js';
import { createTwin } from '../twin.js';
import type { RecordedExchange, SeedFromRecording } from './exchange.js';

/**
 * A twin's starting state built from a recording: the twin's `seedFromRecording` is handed the recording's
 * successful exchanges (2xx with a body), in order, and its seed. Throws a [twinverse] error when the twin cannot
 * build state from a recording.
 *
 * @example
 * const { state, notes } = seedFromRecording(oktaTwin, recordedExchanges(await readHar('fixtures/okta-session.har')));
 */
export function seedFromRecording<S>(definition: TwinDefinition<S, any>, exchanges: RecordedExchange[]): SeedFromRecording<S> {
  if (!definition.seedFromRecording) {
    throw new Error(`[twinverse] the ${definition.name} twin cannot start from a recording: its declaration has no seedFromRecording`);
  }
  const successful = exchanges.filter((e) => e.status >= 200 && e.status < 300 && e.responseBody !== undefined);
  return definition.seedFromRecording(successful, structuredClone(definition.seed));
}

/**
 * A state export of the twin built from a recording, ready for `importState` or `reseed`: the recording's state,
 * and the seed's id position with the counters the twin asked to move past the recorded ids.
 *
 * @example
 * const { doc, notes } = exportFromRecording(jiraTwin, recordedExchanges(har));
 * twin.reseed(doc);
 */
export function exportFromRecording<S>(definition: TwinDefinition<S, any>, exchanges: RecordedExchange[]): { doc: TwinExport<S>; notes: string[] } {
  const seeded = seedFromRecording(definition, exchanges);
  const base = createTwin(definition).exportState();
  const seq = { ...base.ids.seq };
  for (const [name, value] of Object.entries(seeded.sequences ?? {})) seq[name] = Math.max(seq[name] ?? value, value);
  // The random ids start from a point drawn from the recording itself: a recording made against a twin (whose
  // ids come from the same seed) must not have its ids drawn again. The same recording gives the same ids.
  const digest = createHash('sha256');
  for (const e of exchanges) digest.update(`${e.method} ${e.url.href} ${e.status}\n`);
  const rng = digest.digest().readUInt32BE(0);
  return { doc: { ...base, state: seeded.state, ids: { rng, seq, draws: (base.ids.draws ?? 0) + 1 } }, notes: seeded.notes };
}
