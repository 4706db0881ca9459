export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The serializable position of an id source: part of every snapshot, so a reset replays the same ids. */
export interface IdState {
  /** PRNG state (32-bit). */
  rng: number;
  /** Named counters for numeric ids. */
  seq: Record<string, number>;
}

/**
 * Deterministic ids: the same seed gives the same ids in the same order, in any process.
 *
 * @example
 * const ids = createIdSource({ rng: 1, seq: {} });
 * const userId = '00u' + ids.token(17); // an Okta-shaped 20-character id
 * const issueId = ids.sequence('issue', 10000); // 10000, 10001, ...
 */
export interface IdSource {
  /** A random-looking string of `length` characters drawn from `alphabet` (base62 by default). */
  token(length: number, alphabet?: string): string;
  /** The next integer of the named counter, starting at `start`. */
  sequence(name: string, start?: number): number;
  /** The current position, for snapshots. */
  save(): IdState;
  restore(state: IdState): void;
}

export function createIdSource(initial: IdState): IdSource {
  let rng = initial.rng >>> 0;
  let seq = { ...initial.seq };
  // mulberry32: small, fast, and good enough to make ids that do not collide in practice.
  const next = () => {
    rng = (rng + 0x6d2b79f5) >>> 0;
    let t = rng;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    token(length, alphabet = BASE62) {
      let out = '';
      for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
      return out;
    },
    sequence(name, start = 1) {
      const value = seq[name] ?? start;
      seq[name] = value + 1;
      return value;
    },
    save: () => ({ rng, seq: { ...seq } }),
    restore(state) {
      rng = state.rng >>> 0;
      seq = { ...state.seq };
    },
  };
}
