import { JiraError, fieldErrors } from '../errors.js';
import { isAdfDocument } from '../model/adf.js';
import { expansions, now, offsetPage } from '../model/format.js';
import { commentJson, requireIssue } from '../model/issues.js';
import type { AdfNode, Ctx, JiraComment, JiraHandlers, JiraIssue, JiraVisibility } from '../types.js';

/** The ADF body of a comment request, or Jira's 400 under `comment`. */
function commentBody(ctx: Ctx): AdfNode {
  const body = ctx.body?.body;
  if (body === undefined || body === null || (isAdfDocument(body) && body.content!.length === 0)) throw fieldErrors({ comment: 'Comment body can not be empty!' });
  if (!isAdfDocument(body)) throw fieldErrors({ comment: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' });
  return body;
}

/**
 * The request's visibility restriction, if it gives one: Jira answers the comment with it (addComment's example).
 * An empty object lifts a restriction on update.
 */
function visibilityOf(ctx: Ctx): JiraVisibility | undefined {
  const visibility = ctx.body?.visibility as JiraVisibility | undefined;
  if (!visibility || visibility.type === undefined) return undefined;
  return { type: visibility.type, ...(visibility.value !== undefined ? { value: visibility.value } : {}), ...(visibility.identifier !== undefined ? { identifier: visibility.identifier } : {}) };
}

function requireComment(issue: JiraIssue, id: string) {
  const comment = issue.comments.find((c) => c.id === id);
  if (!comment) throw new JiraError(404, { messages: [`Can not find a comment for the id: ${id}.`] });
  return comment;
}

/** Issue comments: list (paged), add, get, update and delete; bodies are ADF documents. */
export const commentHandlers = {
  getComments(ctx) {
    const issue = requireIssue(ctx, ctx.params.issueIdOrKey);
    const ordered = ctx.query.orderBy === '-created' ? [...issue.comments].reverse() : issue.comments;
    const { items, page } = offsetPage(ordered, ctx.query.startAt, ctx.query.maxResults, 5000);
    const rendered = expansions(ctx.query.expand).has('renderedBody');
    return { body: { startAt: page.startAt, maxResults: page.maxResults, total: page.total, comments: items.map((c) => commentJson(ctx, issue, c, rendered)) } };
  },

  addComment(ctx) {
    const issue = requireIssue(ctx, ctx.params.issueIdOrKey);
    const body = commentBody(ctx);
    const stamp = now(ctx);
    const visibility = visibilityOf(ctx);
    const comment: JiraComment = { id: String(ctx.ids.sequence('comment', 10000)), authorId: ctx.auth.accountId, updateAuthorId: ctx.auth.accountId, body, created: stamp, updated: stamp };
    if (visibility) comment.visibility = visibility;
    issue.comments.push(comment);
    issue.updated = stamp;
    return { status: 201, body: commentJson(ctx, issue, comment, expansions(ctx.query.expand).has('renderedBody')) };
  },

  getComment(ctx) {
    const issue = requireIssue(ctx, ctx.params.issueIdOrKey);
    return { body: commentJson(ctx, issue, requireComment(issue, ctx.params.id), expansions(ctx.query.expand).has('renderedBody')) };
  },

  updateComment(ctx) {
    const issue = requireIssue(ctx, ctx.params.issueIdOrKey);
    const comment = requireComment(issue, ctx.params.id);
    comment.body = commentBody(ctx);
    if (ctx.body?.visibility !== undefined) {
      const visibility = visibilityOf(ctx);
      if (visibility) comment.visibility = visibility;
      else delete comment.visibility;
    }
    comment.updated = now(ctx);
    comment.updateAuthorId = ctx.auth.accountId;
    issue.updated = comment.updated;
    return { body: commentJson(ctx, issue, comment, expansions(ctx.query.expand).has('renderedBody')) };
  },

  deleteComment(ctx) {
    const issue = requireIssue(ctx, ctx.params.issueIdOrKey);
    const comment = requireComment(issue, ctx.params.id);
    issue.comments = issue.comments.filter((c) => c !== comment);
    issue.updated = now(ctx);
    return { status: 204 };
  },
} satisfies JiraHandlers;
