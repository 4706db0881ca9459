import { EngineError } from '../engine/engine-error.js';
import type { RequestContext } from '../engine/types.js';
import { parseInstant } from '../state/instant.js';
import type { Plugin, PluginTarget } from './plugin.js';

/**
 * Options of the expiring-credentials plugin: which credential (all by default), and when it stops working.
 *
 * @example
 * const options: ExpireCredentialsOptions = { credential: 'twin-okta-token', afterCalls: 3 };
 */
export interface ExpireCredentialsOptions extends PluginTarget {
  /** The credential (a token, as the request carries it) that stops working; every credential when left out. */
  credential?: string;
  /** It stops working at this instant of the twin's clock (ISO-8601). */
  at?: string;
  /** It stops working after this many calls (the first `afterCalls` succeed). */
  afterCalls?: number;
  /** Refuse it as revoked rather than expired, where the vendor tells them apart. */
  revoked?: boolean;
}

/** The credential of the Authorization header: what follows the scheme (Bearer, SSWS, Basic). */
function authorizationCredential(ctx: RequestContext<any>): string | undefined {
  const header = ctx.headers.authorization;
  return header ? header.trim().split(/\s+/).slice(1).join(' ') || undefined : undefined;
}

/**
 * Credentials that stop working: at an instant, or after n calls, refused with the vendor's own error for an
 * expired (or revoked) credential, rendered by the twin from the `unauthorized` refusal.
 *
 * @example
 * okta.use(expireCredentials({ credential: 'twin-okta-token', afterCalls: 2 }));
 * // the third call with that token answers 401 E0000011
 */
export function expireCredentials(options: ExpireCredentialsOptions): Plugin {
  const { credential, at, afterCalls, revoked, ...target } = options;
  const atMs = at === undefined ? undefined : parseInstant(at);
  if (at !== undefined && atMs === undefined) throw new Error(`[twinverse] expire-credentials: at "${at}" is not an ISO-8601 instant`);
  if (atMs === undefined && afterCalls === undefined) throw new Error('[twinverse] expire-credentials: give `at` (an instant) or `afterCalls` (a number of calls)');
  const reason = revoked ? 'revoked' : 'expired';
  return {
    name: 'expire-credentials',
    options: { ...options },
    ...target,
    before(ctx, scope) {
      const carried = (scope.twin.credentialOf ?? authorizationCredential)(ctx);
      if (carried === undefined || (credential !== undefined && carried !== credential)) return;
      const calls: Map<string, number> = scope.memory.get('calls') ?? scope.memory.set('calls', new Map()).get('calls');
      const n = (calls.get(carried) ?? 0) + 1;
      calls.set(carried, n);
      const timeUp = atMs !== undefined && ctx.clock.nowMs() >= atMs;
      const usedUp = afterCalls !== undefined && n > afterCalls;
      if (!timeUp && !usedUp) return;
      scope.note(`refused the credential as ${reason}: ${timeUp ? `the clock passed ${at}` : `call ${n}, after ${afterCalls} allowed`}`);
      throw new EngineError('unauthorized', `The credential was ${reason}`, [], undefined, { reason });
    },
  };
}
