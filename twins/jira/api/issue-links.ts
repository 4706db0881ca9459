import { JiraError, badRequest } from '../errors.js';
import { findIssue } from '../model/fields.js';
import { api } from '../model/format.js';
import { linkTypeJson } from '../model/issues.js';
import type { JiraHandlers, JiraIssue, RequestCtx } from '../types.js';

function requireLinkType(ctx: RequestCtx, ref: { id?: string; name?: string }) {
  const type = Object.values(ctx.state.linkTypes).find((t) => (ref.id !== undefined ? t.id === String(ref.id) : t.name.toLowerCase() === String(ref.name ?? '').toLowerCase()));
  if (!type) throw new JiraError(404, { messages: [`No issue link type with name '${ref.name ?? ref.id}' found.`] });
  return type;
}

/** The issue a link request names, or Jira's 404 for it. */
function linkedIssue(ctx: RequestCtx, ref: { id?: string; key?: string }): JiraIssue {
  const issue = findIssue(ctx, String(ref.key ?? ref.id ?? ''));
  if (!issue) throw new JiraError(404, { messages: [`Issue Does Not Exist`] });
  return issue;
}

const shortIssue = (ctx: RequestCtx, issue: JiraIssue) => ({
  id: issue.id,
  key: issue.key,
  self: `${api(ctx)}/issue/${issue.id}`,
  fields: { status: { name: ctx.state.statuses[issue.statusId].name, iconUrl: `${ctx.baseUrl}/images/icons/statuses/generic.png` } },
});

/** Issue links and issue link types. */
export const linkHandlers = {
  linkIssues(ctx) {
    const type = requireLinkType(ctx, ctx.body.type);
    const inward = linkedIssue(ctx, ctx.body.inwardIssue);
    const outward = linkedIssue(ctx, ctx.body.outwardIssue);
    if (inward.id === outward.id) throw badRequest('You cannot link an issue to itself.');
    const existing = Object.values(ctx.state.links).some((l) => l.typeId === type.id && l.inwardIssueId === inward.id && l.outwardIssueId === outward.id);
    if (!existing) {
      const id = String(ctx.ids.sequence('issueLink', 10000));
      ctx.state.links[id] = { id, typeId: type.id, inwardIssueId: inward.id, outwardIssueId: outward.id };
    }
    return { status: 201 };
  },

  getIssueLink(ctx) {
    const link = ctx.state.links[ctx.params.linkId];
    if (!link) throw new JiraError(404, { messages: [`No issue link with id '${ctx.params.linkId}' exists.`] });
    return {
      body: {
        id: link.id,
        self: `${api(ctx)}/issueLink/${link.id}`,
        type: linkTypeJson(ctx, ctx.state.linkTypes[link.typeId]),
        inwardIssue: shortIssue(ctx, ctx.state.issues[link.inwardIssueId]),
        outwardIssue: shortIssue(ctx, ctx.state.issues[link.outwardIssueId]),
      },
    };
  },

  deleteIssueLink(ctx) {
    if (!ctx.state.links[ctx.params.linkId]) throw new JiraError(404, { messages: [`No issue link with id '${ctx.params.linkId}' exists.`] });
    delete ctx.state.links[ctx.params.linkId];
    return { status: 204 };
  },

  getIssueLinkTypes: (ctx) => ({ body: { issueLinkTypes: Object.values(ctx.state.linkTypes).map((t) => linkTypeJson(ctx, t)) } }),

  getIssueLinkType(ctx) {
    const type = ctx.state.linkTypes[ctx.params.issueLinkTypeId];
    if (!type) throw new JiraError(404, { messages: [`No issue link type with id '${ctx.params.issueLinkTypeId}' exists.`] });
    return { body: linkTypeJson(ctx, type) };
  },
} satisfies JiraHandlers;
