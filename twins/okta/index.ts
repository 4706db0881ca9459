import { defineTwin } from '../../src/engine/define-twin.js';
import { appHandlers } from './apps.js';
import { authenticateOkta, type OktaAuth } from './auth.js';
import { renderOktaError } from './errors.js';
import { factorHandlers } from './factors.js';
import { groupRuleHandlers } from './group-rules.js';
import { groupHandlers } from './groups.js';
import { oauthHandlers } from './oauth.js';
import { rateLimitHeaders } from './rate-limit.js';
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
  openapi: 'openapi/okta.yaml',
  seed: seed as unknown as OktaState,
  authenticate: authenticateOkta,
  handlers: { ...userHandlers, ...factorHandlers, ...sessionHandlers, ...schemaHandlers, ...userTypeHandlers, ...groupHandlers, ...groupRuleHandlers, ...appHandlers, ...oauthHandlers },
  renderError: renderOktaError,
  onResponse: rateLimitHeaders,
  credentials: {
    lines: [
      'Authorization: SSWS twin-okta-token   (super admin API token of admin@twin.test)',
      'OAuth client 0oatwinservice000001 / twin-okta-client-secret   (client_credentials)',
    ],
  },
});

export type { OktaState } from './state.js';
export type { OktaAuth } from './auth.js';
