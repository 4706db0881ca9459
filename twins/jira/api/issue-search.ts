import { JiraError } from '../errors.js';
import { expansions } from '../model/format.js';
import { issueJson, pickFields } from '../model/issues.js';
import { allFields } from '../model/meta.js';
import { pageOffset, pageToken, searchIssues } from '../model/search.js';
import type { Ctx, JiraHandlers } from '../types.js';

// /search/jql: up to 5000 issues a page when only ids are asked for, fewer with fields (Jira's page-size note).
const ID_PAGE_LIMIT = 5000;
const FIELD_PAGE_LIMIT = 100;
const LEGACY_PAGE_LIMIT = 100;

/** What a search request asks, from the query string (GET) or the body (POST). */
interface SearchRequest {
  jql?: string;
  nextPageToken?: string;
  startAt?: number;
  maxResults?: number;
  fields?: string[];
  expand?: string | string[];
}

/** A search's expansions for each issue, and the field names `expand=names` puts once at the top of the results. */
function searchExpand(ctx: Ctx, request: SearchRequest, fields: Set<string> | undefined): { expand: Set<string>; names?: Record<string, string> } {
  const expand = expansions(request.expand);
  if (!expand.delete('names')) return { expand };
  return { expand, names: Object.fromEntries(allFields(ctx).filter((f) => fields?.has(f.id)).map((f) => [f.id, f.name])) };
}

/** One page of /search/jql: `nextPageToken` and `isLast`, no total; issues carry only their id unless fields are asked for. */
function enhancedSearch(ctx: Ctx, request: SearchRequest) {
  const start = pageOffset(request.nextPageToken);
  const found = searchIssues(ctx, request.jql, ctx.auth.accountId);
  const fields = pickFields(ctx, request.fields, []);
  const limit = Math.min(Math.max(1, request.maxResults ?? 50), fields ? FIELD_PAGE_LIMIT : ID_PAGE_LIMIT);
  const page = found.slice(start, start + limit);
  const { expand, names } = searchExpand(ctx, request, fields);
  // `id` (the default) asks for ids alone; any other list (even one naming no field, such as `key`) for issues.
  const idsOnly = !fields && !expand.size && (request.fields ?? ['id']).every((f) => f === 'id');
  const issues = page.map((issue) => (idsOnly ? { id: issue.id } : issueJson(ctx, issue, { fields, expand })));
  const isLast = start + page.length >= found.length;
  const body: Record<string, unknown> = isLast ? { issues, isLast } : { issues, nextPageToken: pageToken(start + page.length), isLast };
  if (names) body.names = names;
  return { body };
}

/**
 * The removed /rest/api/3/search: 410 Gone with Jira Cloud's migration message (CHANGE-2046), unless the twin's
 * state turns `settings.legacySearch` on; then the old page with startAt, maxResults and total.
 */
function legacySearch(ctx: Ctx, request: SearchRequest) {
  if (!ctx.state.settings.legacySearch) {
    throw new JiraError(410, { messages: ['The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046'] });
  }
  const found = searchIssues(ctx, request.jql, ctx.auth.accountId, { allowUnbounded: true });
  const startAt = Math.max(0, request.startAt ?? 0);
  const maxResults = Math.min(Math.max(0, request.maxResults ?? 50), LEGACY_PAGE_LIMIT);
  const fields = pickFields(ctx, request.fields, ['*navigable']);
  const { expand, names } = searchExpand(ctx, request, fields);
  const issues = found.slice(startAt, startAt + maxResults).map((issue) => issueJson(ctx, issue, { fields, expand }));
  return { body: { expand: 'names,schema', startAt, maxResults, total: found.length, issues, ...(names ? { names } : {}) } };
}

/** Issue search: JQL search paged by token, the approximate count, and the removed offset search. */
export const searchHandlers = {
  searchAndReconsileIssuesUsingJql: (ctx) => enhancedSearch(ctx, ctx.query),
  searchAndReconsileIssuesUsingJqlPost: (ctx) => enhancedSearch(ctx, ctx.body ?? {}),
  countIssues: (ctx) => ({ body: { count: searchIssues(ctx, ctx.body?.jql, ctx.auth.accountId).length } }),
  searchForIssuesUsingJql: (ctx) => legacySearch(ctx, ctx.query),
  searchForIssuesUsingJqlPost: (ctx) => legacySearch(ctx, ctx.body ?? {}),
} satisfies JiraHandlers;
