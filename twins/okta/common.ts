import type { HandlerResult, RequestContext } from '../../src/index.js';
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

// Logins that differ only in case or diacritical marks are one login (the spec's UserProfile.login).
const loginKey = (login: unknown) => String(login ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * Users by login, built once per state and kept current by
 * putUser and dropUser, so a create does not scan every user: creating stays flat as an org grows.
 */
function loginIndex(ctx: RequestContext<OktaState>): Map<string, string> {
  return ctx.memo('usersByLogin', () => new Map(Object.values(ctx.state.users).map((user) => [loginKey(user.profile.login), user.id])));
}

/** The user with this login, whatever its case. */
export function userByLogin(ctx: RequestContext<OktaState>, login: string): OktaUser | undefined {
  const id = loginIndex(ctx).get(loginKey(login));
  const user = id === undefined ? undefined : ctx.state.users[id];
  return user && loginKey(user.profile.login) === loginKey(login) ? user : undefined;
}

/** The user named by id or, failing that, by login. */
export function userByIdOrLogin(ctx: RequestContext<OktaState>, ref: string): OktaUser | undefined {
  return ctx.state.users[ref] ?? userByLogin(ctx, ref);
}

/** Stores a new or edited user; every write of a user goes through here to keep the login index true. */
export function putUser(ctx: RequestContext<OktaState>, user: OktaUser): void {
  const index = loginIndex(ctx);
  const previous = ctx.state.users[user.id];
  if (previous && index.get(loginKey(previous.profile.login)) === user.id) index.delete(loginKey(previous.profile.login));
  ctx.state.users[user.id] = user;
  index.set(loginKey(user.profile.login), user.id);
}

/** Deletes a user; like putUser, every delete goes through here to keep the login index true. */
export function dropUser(ctx: RequestContext<OktaState>, user: OktaUser): void {
  const index = loginIndex(ctx);
  if (index.get(loginKey(user.profile.login)) === user.id) index.delete(loginKey(user.profile.login));
  delete ctx.state.users[user.id];
}

/** The user a path or a request names by id or by login, or Okta's 404 for a missing User. */
export function requireUser(ctx: RequestContext<OktaState>, ref: string): OktaUser {
  const user = userByIdOrLogin(ctx, ref);
  if (!user) throw notFound(ref, 'User');
  return user;
}

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

export function ok(body: unknown, headers: Record<string, string | string[]> = {}): HandlerResult {
  return { status: 200, headers, body };
}
