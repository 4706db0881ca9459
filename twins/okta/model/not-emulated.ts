import { EngineError } from '../../../src/index.js';

/**
 * Methods Okta's Management API serves on paths the twin serves only in part, by the twin's path template
 * (Okta's management API reference). Asked for one of these, the twin says it does not emulate it rather than
 * answering 405, which would claim Okta lacks it.
 */
const OKTA_ONLY_METHODS: Record<string, readonly string[]> = {
  '/api/v1/apps/{}/groups/{}': ['PATCH'],
  '/api/v1/authenticators': ['POST'],
  '/api/v1/authenticators/{}': ['PUT'],
  '/api/v1/users/{}/roles/{}/targets/catalog/apps': ['PUT'],
};

/**
 * Okta's fixed sub-paths that a templated path of the twin would otherwise take for an id (`/api/v1/policies/simulate`
 * is not the policy "simulate"): they are not emulated, and say so instead of a misleading 404 for an id.
 */
const OKTA_ONLY_PATHS: readonly string[] = ['/api/v1/policies/simulate'];

const template = (path: string) => path.replace(/\/+$/, '').split('/');

function matchesTemplate(path: string, pattern: string): boolean {
  const parts = template(path);
  const want = pattern.split('/');
  return parts.length === want.length && want.every((segment, i) => segment === '{}' || segment === parts[i]);
}

/**
 * Whether Okta supports this method on this path although the twin does not emulate it, for a request the router
 * refused with 405.
 *
 * @example
 * if (oktaSupportsMethod('PATCH', '/api/v1/apps/0oa1/groups/00g1')) return notEmulatedEnvelope();
 */
export function oktaSupportsMethod(method: string, path: string): boolean {
  if (OKTA_ONLY_PATHS.includes(path.replace(/\/+$/, ''))) return true;
  return Object.entries(OKTA_ONLY_METHODS).some(([pattern, methods]) => methods.includes(method) && matchesTemplate(path, pattern));
}

/**
 * Refuses a request for one of Okta's fixed sub-paths that the router matched to a templated path of the twin
 * (`matched`, the operation's path template), as the engine refuses a path it has no route for ("not emulated",
 * naming the method and path). Once the twin emulates the sub-path, the router matches it literally and it passes.
 *
 * @example
 * refuseOktaOnlyPath('GET', '/api/v1/policies/simulate', '/api/v1/policies/{policyId}'); // throws
 */
export function refuseOktaOnlyPath(method: string, path: string, matched: string): void {
  if (!matched.includes('{') || !OKTA_ONLY_PATHS.includes(path.replace(/\/+$/, ''))) return;
  throw new EngineError('route_not_found', `${method} ${path} is not emulated by the okta twin`);
}
