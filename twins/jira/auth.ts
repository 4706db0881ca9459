import type { RequestContext, RoutedContext } from '../../src/index.js';
import { JiraError, NOT_AUTHENTICATED } from './errors.js';
import type { JiraAuth, JiraState } from './types.js';

/** The email and API token of a Basic Authorization header; undefined when the header is not Basic or not decodable. */
function basicCredentials(header: string | undefined): { email: string; token: string } | undefined {
  const match = header?.trim().match(/^basic\s+([A-Za-z0-9+/=_-]+)$/i);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { email: decoded.slice(0, colon), token: decoded.slice(colon + 1) };
}

/**
 * Authenticates a call the way a Jira Cloud site does for scripts: Basic auth with an account's email and one of its
 * API tokens (developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis). A Bearer token is refused: a
 * site answers OAuth 2.0 tokens only through the api.atlassian.com gateway, which the twin does not serve.
 *
 * @example
 * const jiraTwin = defineTwin<JiraState, JiraAuth, JiraOperationId>({ ..., authenticate: authenticateJira });
 */
export function authenticateJira(ctx: RoutedContext<JiraState>): JiraAuth {
  const credentials = basicCredentials(ctx.headers.authorization);
  const email = credentials?.email.toLowerCase();
  const token = credentials && ctx.state.apiTokens.find((t) => t.email.toLowerCase() === email && t.token === credentials.token);
  const user = token && ctx.state.users[token.accountId];
  if (!token || !user || !user.active) throw new JiraError(401, { messages: [NOT_AUTHENTICATED] });
  return { accountId: token.accountId };
}

/**
 * The credential a request carries, for the expiring-credentials plugin: the API token of a Basic header (so a test
 * names the token, `twin-jira-token`, not its base64 encoding), or whatever follows the scheme otherwise.
 *
 * @example
 * jira.use(expireCredentials({ credential: 'twin-jira-token', afterCalls: 2 }));
 */
export function jiraCredentialOf(ctx: RequestContext<JiraState>): string | undefined {
  const header = ctx.headers.authorization;
  if (!header) return undefined;
  return basicCredentials(header)?.token ?? (header.trim().split(/\s+/).slice(1).join(' ') || undefined);
}
