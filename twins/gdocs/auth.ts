import type { RequestContext, RoutedContext } from '../../src/index.js';
import { GoogleError, INVALID_CREDENTIALS, MISSING_CREDENTIALS } from './errors.js';
import type { GdocsAuth, GdocsState } from './types.js';

/**
 * The OAuth access token a request carries: `Authorization: Bearer {token}`, or the `access_token` query
 * parameter Google also accepts. Also what the expiring-credentials plugin expires.
 *
 * @example
 * accessTokenOf(ctx); // 'twin-google-token'
 */
export function accessTokenOf(ctx: RequestContext<any>): string | undefined {
  const header = ctx.headers.authorization;
  if (header) {
    const [scheme, ...rest] = header.trim().split(/\s+/);
    return /^bearer$/i.test(scheme) && rest.length ? rest.join(' ') : undefined;
  }
  return ctx.url.search ? ctx.url.searchParams.get('access_token') ?? undefined : undefined;
}

/**
 * Authenticates a Docs or Drive call: a Bearer access token the twin issued (the seed's `twin-google-token` is
 * admin@twin.test). No credentials and a wrong one are both Google's 401 UNAUTHENTICATED, with its two messages.
 *
 * @example
 * defineTwin<GdocsState, GdocsAuth, GdocsOperationId>({ ..., authenticate: authenticateGoogle });
 */
export function authenticateGoogle(ctx: RoutedContext<GdocsState>): GdocsAuth {
  const header = ctx.headers.authorization;
  const token = accessTokenOf(ctx);
  if (!header && token === undefined) {
    throw new GoogleError('UNAUTHENTICATED', MISSING_CREDENTIALS, { reason: 'required', location: 'Authorization', locationType: 'header' });
  }
  const known = token === undefined ? undefined : ctx.state.tokens.find((t) => t.token === token);
  if (!known || !ctx.state.users[known.email]) throw new GoogleError('UNAUTHENTICATED', INVALID_CREDENTIALS, { location: 'Authorization', locationType: 'header' });
  return { email: known.email };
}
