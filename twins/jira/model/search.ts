import { badRequest } from '../errors.js';
import type { JiraIssue, RequestCtx } from '../types.js';
import { compileJql } from './jql.js';

const TOKEN_PREFIX = 'twin-page:';

/**
 * The opaque `nextPageToken` of the page that starts at `offset`.
 *
 * @example
 * pageToken(50); // 'dHdpbi1wYWdlOjUw'
 */
export function pageToken(offset: number): string {
  return Buffer.from(`${TOKEN_PREFIX}${offset}`).toString('base64url');
}

/**
 * Where a `nextPageToken` starts (0 for none); a token the twin did not give out is Jira's 400.
 *
 * @example
 * pageOffset(pageToken(50)); // 50
 */
export function pageOffset(token: unknown): number {
  if (token === undefined || token === null || token === '') return 0;
  const text = Buffer.from(String(token), 'base64url').toString('utf8');
  const offset = text.startsWith(TOKEN_PREFIX) ? Number(text.slice(TOKEN_PREFIX.length)) : NaN;
  if (!Number.isInteger(offset) || offset < 0) throw badRequest('Invalid format of nextPageToken');
  return offset;
}

/**
 * The issues a JQL query matches, in its order. `within` narrows the search first (a board's project); an
 * unbounded query (no condition, or none at all) is refused unless `allowUnbounded`, as /search/jql refuses it.
 *
 * @example
 * const issues = searchIssues(ctx, 'project = TWIN ORDER BY key', ctx.auth.accountId);
 */
export function searchIssues(ctx: RequestCtx, jql: string | undefined, accountId: string, options: { within?: (issue: JiraIssue) => boolean; allowUnbounded?: boolean } = {}): JiraIssue[] {
  const compiled = compileJql(ctx, jql ?? '', accountId);
  // /search/jql "requires a bounded query", one with a search restriction (Jira's reference, the jql parameter).
  if (!compiled.bounded && !options.allowUnbounded) throw badRequest('Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
  const { within } = options;
  const found: JiraIssue[] = [];
  for (const id in ctx.state.issues) {
    const issue = ctx.state.issues[id];
    if ((!within || within(issue)) && compiled.matches(issue)) found.push(issue);
  }
  return found.sort(compiled.compare);
}
