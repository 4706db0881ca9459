import { defineTwin, rateLimit } from '../../src/index.js';
import { appGrantHandlers } from './api/app-grants.js';
import { appKeyHandlers } from './api/app-keys.js';
import { appTokenHandlers } from './api/app-tokens.js';
import { appGroupHandlers } from './api/app-groups.js';
import { appUserHandlers } from './api/app-users.js';
import { appHandlers } from './api/apps.js';
import { authenticatorHandlers } from './api/authenticators.js';
import { authnHandlers } from './api/authn.js';
import { authorizationServerHandlers } from './api/authorization-servers.js';
import { clientRoleHandlers } from './api/client-roles.js';
import { eventHookHandlers } from './api/event-hooks.js';
import { groupRuleHandlers } from './api/group-rules.js';
import { groupHandlers } from './api/groups.js';
import { identityProviderHandlers } from './api/identity-providers.js';
import { inlineHookHandlers } from './api/inline-hooks.js';
import { linkedObjectHandlers } from './api/linked-objects.js';
import { oauthHandlers } from './api/oauth.js';
import { policyHandlers } from './api/policies.js';
import { roleHandlers } from './api/roles.js';
import { schemaHandlers } from './api/schemas.js';
import { sessionHandlers } from './api/sessions.js';
import { systemLogHandlers } from './api/system-log.js';
import { trustedOriginHandlers } from './api/trusted-origins.js';
import { userCredentialHandlers } from './api/user-credentials.js';
import { userFactorHandlers } from './api/user-factors.js';
import { userLifecycleHandlers } from './api/user-lifecycle.js';
import { userResourceHandlers } from './api/user-resources.js';
import { userSessionHandlers } from './api/user-sessions.js';
import { userTypeHandlers } from './api/user-types.js';
import { userHandlers } from './api/users.js';
import { authenticateOkta } from './auth.js';
import { renderOktaError } from './errors.js';
import { oktaRateLimits, oktaResponseHeaders } from './rate-limit.js';
import { seedFromRecording } from './recording.js';
import seed from './seed.json' with { type: 'json' };
import type { OktaAuth, OktaOperationId, OktaState } from './types.js';

/**
 * The Okta twin: Management API (users, groups, applications) and OAuth 2.0 / OIDC authorization servers.
 * The handler map must cover every operationId of openapi/okta.yaml (OktaOperationId): a missing handler is a
 * compile error here, a key that is no operationId one in its file under api/.
 *
 * @example
 * import { createTwin, oktaTwin } from 'twinverse';
 * const okta = createTwin(oktaTwin);
 * const { url, close } = await okta.listen(0);
 */
export const oktaTwin = defineTwin<OktaState, OktaAuth, OktaOperationId>({
  name: 'okta',
  openapi: new URL('../../openapi/okta.yaml', import.meta.url),
  seed: seed as unknown as OktaState,
  authenticate: authenticateOkta,
  handlers: {
    ...userHandlers,
    ...userLifecycleHandlers,
    ...userCredentialHandlers,
    ...userSessionHandlers,
    ...userResourceHandlers,
    ...userFactorHandlers,
    ...schemaHandlers,
    ...userTypeHandlers,
    ...groupHandlers,
    ...groupRuleHandlers,
    ...appHandlers,
    ...appUserHandlers,
    ...appGroupHandlers,
    ...appGrantHandlers,
    ...appKeyHandlers,
    ...appTokenHandlers,
    ...oauthHandlers,
    ...authorizationServerHandlers,
    ...identityProviderHandlers,
    ...trustedOriginHandlers,
    ...linkedObjectHandlers,
    ...inlineHookHandlers,
    ...clientRoleHandlers,
    ...authnHandlers,
    ...sessionHandlers,
    ...policyHandlers,
    ...authenticatorHandlers,
    ...roleHandlers,
    ...systemLogHandlers,
    ...eventHookHandlers,
  },
  renderError: renderOktaError,
  onResponse: oktaResponseHeaders,
  rateLimits: oktaRateLimits,
  // Okta reports its limits on every response; the twin does not refuse over them unless a test installs rateLimit().
  plugins: [rateLimit({ enforce: false })],
  seedFromRecording,
  // Okta's own secrets in its answers and requests: session, state, recovery and activation tokens and links, and
  // credentials (Authorization, OAuth tokens and passwords are redacted for every twin).
  secrets: { keys: ['sessionToken', 'stateToken', 'recoveryToken', 'activationToken', 'resetPasswordUrl', 'activationUrl', 'oldPassword', 'newPassword', 'answer', 'passCode', 'sharedSecret'] },
  probes: {
    headers: { authorization: 'SSWS twin-okta-token', accept: 'application/json' },
    read: '/api/v1/users/me',
    write: {
      method: 'POST',
      path: '/api/v1/groups',
      body: { profile: { name: 'Conformance' } },
      invalid: { profile: { name: 42 } },
    },
  },
  credentials: {
    lines: [
      'Authorization: SSWS twin-okta-token   (super admin API token of admin@twin.test)',
      'OAuth client 0oatwinservice000001 / twin-okta-client-secret   (client_credentials)',
    ],
  },
});

export type { OktaAuth, OktaOperationId, OktaState } from './types.js';
