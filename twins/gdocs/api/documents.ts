import { GoogleError } from '../errors.js';
import { applyBatch, mergeAgainst } from '../model/batch-update.js';
import { blankDocument, bumpRevision, currentRevisionId, documentFile, editsSince, findDocument, newFileId } from '../model/documents.js';
import { parseFields, select } from '../model/fields.js';
import { renderDocument } from '../model/render.js';
import type { Ctx, GdocsHandlers } from '../types.js';

/** The response body with the request's `fields` selector applied, as every Google method does. */
function partial(ctx: Ctx, body: unknown): unknown {
  return typeof ctx.query.fields === 'string' ? select(body, parseFields(ctx.query.fields)) : body;
}

// An editor sees suggestions inline unless they ask for another view (Document.suggestionsViewMode).
const viewMode = (ctx: Ctx) => (ctx.query.suggestionsViewMode && ctx.query.suggestionsViewMode !== 'DEFAULT_FOR_CURRENT_ACCESS' ? ctx.query.suggestionsViewMode : 'SUGGESTIONS_INLINE');

/** documents.create, documents.get and documents.batchUpdate. */
export const documentHandlers = {
  createDocument(ctx) {
    // Only the title is read; any content given is ignored (documents.create).
    const title = typeof ctx.body?.title === 'string' && ctx.body.title !== '' ? ctx.body.title : 'Untitled document';
    const documentId = newFileId(ctx);
    const doc = blankDocument(ctx, documentId, title);
    ctx.state.documents[documentId] = doc;
    ctx.state.files[documentId] = documentFile(ctx, documentId, title);
    return { body: partial(ctx, renderDocument(doc, { includeTabsContent: false, suggestionsViewMode: 'SUGGESTIONS_INLINE' })) };
  },

  getDocument(ctx) {
    const doc = findDocument(ctx, ctx.params.documentId);
    return { body: partial(ctx, renderDocument(doc, { includeTabsContent: ctx.query.includeTabsContent === true, suggestionsViewMode: viewMode(ctx) })) };
  },

  batchUpdateDocument(ctx) {
    const doc = findDocument(ctx, ctx.params.documentId);
    const file = ctx.state.files[doc.documentId];
    if (!file.permissions.some((p) => p.emailAddress === ctx.auth.email && (p.role === 'owner' || p.role === 'writer'))) {
      throw new GoogleError('PERMISSION_DENIED', 'The caller does not have permission');
    }
    const current = currentRevisionId(doc);
    const { requiredRevisionId, targetRevisionId } = ctx.body.writeControl ?? {};
    let requests: Record<string, any>[] = ctx.body.requests ?? [];
    if (requiredRevisionId !== undefined && targetRevisionId !== undefined) {
      throw new GoogleError('INVALID_ARGUMENT', 'Only one of writeControl.requiredRevisionId and writeControl.targetRevisionId may be set.');
    }
    if (requiredRevisionId !== undefined && requiredRevisionId !== current) {
      throw new GoogleError('FAILED_PRECONDITION', `The required revision ID ${requiredRevisionId} does not match the latest revision of the document.`);
    }
    if (targetRevisionId !== undefined && targetRevisionId !== current) {
      const since = editsSince(doc, targetRevisionId);
      if (!since) throw new GoogleError('INVALID_ARGUMENT', `The target revision ID ${targetRevisionId} is too far behind the latest revision of the document, or is not one of its revisions. Read the document again and retry.`);
      // Collaborators' changes since the target are merged: the requests' indexes move through them.
      requests = mergeAgainst(requests, since);
    }
    const result = applyBatch(ctx, doc, requests);
    let saved = doc;
    if (result.changed) {
      saved = bumpRevision(ctx, result.doc, result.edits);
      ctx.state.documents[doc.documentId] = saved;
      file.modifiedTime = ctx.clock.now().toISOString();
      file.version += 1;
    }
    const body: Record<string, unknown> = {};
    if (result.replies.length) body.replies = result.replies;
    body.writeControl = { requiredRevisionId: currentRevisionId(saved) };
    body.documentId = doc.documentId;
    return { body: partial(ctx, body) };
  },
} satisfies GdocsHandlers;
