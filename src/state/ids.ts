const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The serializable position of an id source, kept with every export so that a state loaded elsewhere goes
 * on with new ids rather than ones it already holds.
 */
export interface IdState {
  /** Starts at the twin's idSeed (by default a hash of the twin's name, so twins of two kinds draw different ids). */
  rng: number;
  /** Named counters for numeric ids. */
  seq: Record<string, number>;
  /** How many random draws led here: of two positions, the one with more draws is further along. */
  draws?: number;
}

/**
 * Deterministic ids: the same seed gives the same ids in the same order, in any process.
 *
 * @example
 * const ids = createIdSource({ rng: 1, seq: {} });
 * const itemId = 'itm' + ids.token(17); // a prefixed 20-character id
 * const issueId = ids.sequence('issue', 10000); // 10000, 10001, ...
 */
export interface IdSource {
  /** A random-looking string of `length` characters drawn from `alphabet` (base62 by default). */
  token(length: number, alphabet?: string): string;
  /** The next integer of the named counter, starting at `start`. */
  sequence(name: string, start?: number): number;
  save(): IdState;
  /**
   * Moves to a saved position, or stays where it is if that is further along: an id once given out is never
   * given out again by this source, whatever is restored (an SDK that caches by URL would otherwise read a
   * deleted resource's data under a new one).
   */
  advanceTo(state: IdState): void;
}

export function createIdSource(initial: IdState): IdSource {
  let rng = initial.rng >>> 0;
  let seq = { ...initial.seq };
  let draws = initial.draws ?? 0;
  // mulberry32: small, fast, and good enough to make ids that do not collide in practice.
  const next = () => {
    draws++;
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
    save: () => ({ rng, seq: { ...seq }, draws }),
    advanceTo(state) {
      if ((state.draws ?? 0) > draws) {
        rng = state.rng >>> 0;
        draws = state.draws ?? 0;
      }
      for (const [name, value] of Object.entries(state.seq)) seq[name] = Math.max(seq[name] ?? value, value);
    },
  };
}
