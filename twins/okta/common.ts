import type { HandlerResult, RequestContext } from '../../src/engine/types.js';
import { OktaError } from './errors.js';
import type { OktaState, OktaUser } from './state.js';

/** A new Okta id: a 3-character type prefix and 17 base62 characters (00u user, 00g group, 0oa app). */
export function oktaId(ctx: RequestContext<OktaState>, prefix: string): string {
  return prefix + ctx.ids.token(17);
}

/** The twin clock's now, as Okta writes timestamps (ISO-8601 with milliseconds and Z). */
export function nowIso(ctx: RequestContext<OktaState>): string {
  return ctx.clock.now().toISOString();
}

/** Okta's 404 for a missing resource: `Not found: Resource not found: {id} ({Type})`. */
export function notFound(id: string, type: string): OktaError {
  return new OktaError('E0000007', { detail: `Resource not found: ${id} (${type})` });
}

/** The user with this login: logins that differ only in case are the same login (Okta's users API, "Okta login"). */
export function userByLogin(state: OktaState, login: string): OktaUser | undefined {
  const wanted = login.toLowerCase();
  return Object.values(state.users).find((user) => String(user.profile.login ?? '').toLowerCase() === wanted);
}

/** The user named by id or, failing that, by login. */
export function userByIdOrLogin(state: OktaState, ref: string): OktaUser | undefined {
  return state.users[ref] ?? userByLogin(state, ref);
}

/** The user a path or a request names by id or by login, or Okta's 404 for a missing User. */
export function requireUser(ctx: RequestContext<OktaState>, ref: string): OktaUser {
  const user = userByIdOrLogin(ctx.state, ref);
  if (!user) throw notFound(ref, 'User');
  return user;
}

/** The comma-separated values of an `expand` parameter. */
export function expansions(expand: unknown): string[] {
  return typeof expand === 'string' ? expand.split(',').map((e) => e.trim()).filter(Boolean) : [];
}

/**
 * One page of a list in Okta's cursor style: `after` is the id of the last item of the previous page, and the
 * `Link` header carries `rel="self"` and, when more items follow, `rel="next"` as absolute URLs on the twin's own
 * base URL (the SDK follows the next link exactly as given).
 */
export function paginate<T extends { id: string }>(
  ctx: RequestContext<OktaState>,
  items: T[],
  options: { limit: number; after?: string },
): { page: T[]; headers: Record<string, string[]> } {
  // An unknown cursor (its item deleted, or made up) ends the listing rather than starting it over.
  const start = options.after ? (items.findIndex((item) => item.id === options.after) + 1 || items.length) : 0;
  const page = items.slice(start, start + options.limit);
  const self = new URL(ctx.baseUrl + ctx.url.pathname);
  for (const [key, value] of ctx.url.searchParams) self.searchParams.append(key, value);
  const links = [`<${self.toString()}>; rel="self"`];
  if (start + options.limit < items.length && page.length > 0) {
    const next = new URL(self);
    next.searchParams.set('after', page[page.length - 1].id);
    next.searchParams.set('limit', String(options.limit));
    links.push(`<${next.toString()}>; rel="next"`);
  }
  return { page, headers: { link: links } };
}

/** A JSON 200 with the given body and extra headers. */
export function ok(body: unknown, headers: Record<string, string | string[]> = {}): HandlerResult {
  return { status: 200, headers, body };
}
