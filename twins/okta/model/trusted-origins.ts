import { copyJson } from '../../../src/index.js';
import { invalidFields, notFound } from '../errors.js';
import type { OktaState, OktaTrustedOrigin, RequestCtx } from '../types.js';

const SCOPE_TYPES = ['CORS', 'REDIRECT', 'IFRAME_EMBED'];

/** The trusted origin with this id, or Okta's 404. */
export function requireTrustedOrigin(ctx: RequestCtx, id: string): OktaTrustedOrigin {
  const origin = ctx.state.trustedOrigins?.[id];
  if (!origin) throw notFound(id, 'TrustedOrigin');
  return origin;
}

/** A trusted origin as Okta returns it: a self link and the lifecycle link its status allows. */
export function trustedOriginJson(ctx: RequestCtx, origin: OktaTrustedOrigin): Record<string, unknown> {
  const self = `${ctx.baseUrl}/api/v1/trustedOrigins/${origin.id}`;
  const lifecycle = origin.status === 'ACTIVE' ? 'deactivate' : 'activate';
  return {
    ...copyJson(origin),
    _links: {
      self: { href: self, hints: { allow: ['GET', 'PUT', 'DELETE'] } },
      [lifecycle]: { href: `${self}/lifecycle/${lifecycle}`, hints: { allow: ['POST'] } },
    },
  };
}

/** An origin is a scheme, a host and an optional port: nothing after them (Okta's Trusted Origins API). */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.replace(/\/$/, '') && !value.endsWith('/');
  } catch {
    return false;
  }
}

/**
 * A trusted origin body checked before anything is written: a name and an origin each unique in the org, an origin
 * that is only scheme, host and port, and at least one scope of a known type.
 *
 * @example
 * const sent = checkTrustedOriginBody(ctx.state, ctx.body);
 */
export function checkTrustedOriginBody(state: OktaState, body: Record<string, any>, except?: string): Pick<OktaTrustedOrigin, 'name' | 'origin' | 'scopes'> {
  const problems: [string, string][] = [];
  const others = Object.values(state.trustedOrigins ?? {}).filter((o) => o.id !== except);
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  if (!name) problems.push(['name', 'The field cannot be left blank']);
  else if (others.some((o) => o.name.toLowerCase() === name.toLowerCase())) problems.push(['name', 'An object with this field already exists in the current organization']);
  const origin = typeof body.origin === 'string' ? body.origin.trim() : '';
  if (!origin) problems.push(['origin', 'The field cannot be left blank']);
  else if (!isOrigin(origin)) problems.push(['origin', 'The origin must be a scheme, a host and an optional port, e.g. https://example.com.']);
  else if (others.some((o) => o.origin.toLowerCase() === origin.toLowerCase())) problems.push(['origin', 'An object with this field already exists in the current organization']);
  const scopes: unknown = body.scopes;
  if (!Array.isArray(scopes) || scopes.length === 0) problems.push(['scopes', 'The field cannot be left blank']);
  else if (scopes.some((s) => !s || typeof s !== 'object' || !SCOPE_TYPES.includes((s as { type?: string }).type ?? ''))) {
    problems.push(['scopes', `Each scope's type must be one of ${SCOPE_TYPES.join(', ')}.`]);
  }
  if (problems.length) throw invalidFields(problems);
  const cleanScopes = (scopes as Record<string, any>[]).map((s) => ({
    type: s.type,
    ...(s.type === 'IFRAME_EMBED' ? { allowedOktaApps: Array.isArray(s.allowedOktaApps) ? s.allowedOktaApps.filter((a: unknown) => typeof a === 'string') : [] } : {}),
  }));
  return { name, origin, scopes: cleanScopes };
}
