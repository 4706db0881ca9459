import type { TwinDefinition } from '../define-twin.js';
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
