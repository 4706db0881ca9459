import { defineTwin, rateLimit } from '../../src/index.js';
import { appHandlers } from './apps.js';
import { authenticateOkta, type OktaAuth } from './auth.js';
import { renderOktaError } from './errors.js';
import { factorHandlers } from './factors.js';
import { groupRuleHandlers } from './group-rules.js';
import { groupHandlers } from './groups.js';
import { oauthHandlers } from './oauth.js';
import { oktaRateLimits, oktaResponseHeaders } from './rate-limit.js';
import { schemaHandlers } from './schemas.js';
import seed from './seed.json' with { type: 'json' };
import { sessionHandlers } from './sessions.js';
import type { OktaState } from './state.js';
import { userTypeHandlers } from './user-types.js';
import { userHandlers } from './users.js';

/**
 * The Okta twin: Management API (users, groups, applications) and OAuth 2.0 / OIDC authorization servers.
 *
 * @example
 * import { createTwin, oktaTwin } from 'twinverse';
 * const okta = createTwin(oktaTwin);
 * const { url, close } = await okta.listen(0);
 */
export const oktaTwin = defineTwin<OktaState, OktaAuth>({
  name: 'okta',
  openapi: new URL('../../openapi/okta.yaml', import.meta.url),
  seed: seed as unknown as OktaState,
  authenticate: authenticateOkta,
  handlers: { ...userHandlers, ...factorHandlers, ...sessionHandlers, ...schemaHandlers, ...userTypeHandlers, ...groupHandlers, ...groupRuleHandlers, ...appHandlers, ...oauthHandlers },
  renderError: renderOktaError,
  onResponse: oktaResponseHeaders,
  rateLimits: oktaRateLimits,
  // Okta reports its limits on every response; the twin does not refuse over them unless a test installs rateLimit().
  plugins: [rateLimit({ enforce: false })],
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

export type { OktaState } from './state.js';
export type { OktaAuth } from './auth.js';
