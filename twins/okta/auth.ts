import type { OperationInfo, RequestContext } from '../../src/index.js';
import { OktaError } from './errors.js';
import { verifyManagementAccessToken } from './oauth.js';
import type { OktaState } from './state.js';

/** Who is calling: the owner of an SSWS API token, an OAuth access token's subject and client, or nobody (open endpoints). */
export type OktaAuth =
  | { kind: 'apiToken'; userId: string }
  | { kind: 'accessToken'; userId: string | null; clientId: string; scopes: string[] }
  | { kind: 'none' };

/**
 * Authenticates Management API calls. Operations whose security is empty (the /oauth2 endpoints, which
 * authenticate clients and tokens in their own handlers and in OAuth's error shape) pass through.
 */
export async function authenticateOkta(ctx: RequestContext<OktaState> & { operation: OperationInfo }): Promise<OktaAuth> {
  if (ctx.operation.security.length === 0) return { kind: 'none' };
  const header = ctx.headers.authorization;
  // Okta answers a call without credentials with E0000005 "Invalid session" rather than E0000011.
  if (!header) throw new OktaError('E0000005');
  const [scheme, ...rest] = header.trim().split(/\s+/);
  const credential = rest.join(' ');
  if (/^ssws$/i.test(scheme)) {
    const token = ctx.state.apiTokens.find((t) => t.token === credential);
    const user = token && ctx.state.users[token.userId];
    if (!token || !user || user.status !== 'ACTIVE') throw new OktaError('E0000011');
    return { kind: 'apiToken', userId: token.userId };
  }
  if (/^bearer$/i.test(scheme) && credential) return verifyManagementAccessToken(ctx, credential);
  throw new OktaError('E0000011');
}
