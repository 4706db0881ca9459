import { notFound } from '../errors.js';
import type { OktaAuthenticator, OktaState, OktaUser, RequestCtx } from '../types.js';
import { authenticatorKey, factorEnrollment } from './policies.js';

/**
 * The org's authenticator with this id, or Okta's 404.
 *
 * @example
 * const authenticator = requireAuthenticator(ctx.state, ctx.params.authenticatorId);
 */
export function requireAuthenticator(state: OktaState, id: string): OktaAuthenticator {
  const authenticator = Object.hasOwn(state.authenticators ?? {}, id) ? state.authenticators![id] : undefined;
  if (!authenticator) throw notFound(id, 'Authenticator');
  return authenticator;
}

/**
 * Whether the org has the authenticator a factor belongs to active. An org without authenticators in its state (an
 * older export) has every factor enabled.
 *
 * @example
 * if (!factorEnabled(ctx.state, 'sms', 'OKTA')) throw enrollRefused('Factor not enabled.');
 */
export function factorEnabled(state: OktaState, factorType: string, provider: string): boolean {
  if (!state.authenticators) return true;
  const key = authenticatorKey(factorType, provider);
  return Object.values(state.authenticators).some((a) => a.key === key && a.status === 'ACTIVE');
}

/**
 * Why a user may not enroll a factor, in Okta's words, or null: its authenticator is inactive ("Factor not enabled."),
 * or the MFA enrollment policy that governs the user does not allow it.
 *
 * @example
 * const refusal = enrollmentRefusal(ctx.state, user, 'sms', 'OKTA');
 * if (refusal) throw enrollRefused(refusal);
 */
export function enrollmentRefusal(state: OktaState, user: OktaUser, factorType: string, provider: string): string | null {
  if (!factorEnabled(state, factorType, provider)) return 'Factor not enabled.';
  if (factorEnrollment(state, user, factorType, provider) === 'NOT_ALLOWED') return 'Factor not allowed for the user based on the Multifactor policy.';
  return null;
}

/**
 * An authenticator as Okta returns it, with the lifecycle link its status allows.
 *
 * @example
 * return ok(authenticatorJson(ctx, authenticator));
 */
export function authenticatorJson(ctx: RequestCtx, authenticator: OktaAuthenticator): Record<string, unknown> {
  const self = `${ctx.baseUrl}/api/v1/authenticators/${authenticator.id}`;
  const lifecycle = authenticator.status === 'ACTIVE' ? 'deactivate' : 'activate';
  return {
    type: authenticator.type,
    id: authenticator.id,
    key: authenticator.key,
    status: authenticator.status,
    name: authenticator.name,
    created: authenticator.created,
    lastUpdated: authenticator.lastUpdated,
    ...(authenticator.settings ? { settings: { ...authenticator.settings } } : {}),
    _links: {
      self: { href: self, hints: { allow: ['GET', 'PUT'] } },
      [lifecycle]: { href: `${self}/lifecycle/${lifecycle}`, hints: { allow: ['POST'] } },
    },
  };
}
