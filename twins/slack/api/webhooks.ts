import { WebhookError } from '../errors.js';
import { jsonArray } from '../model/args.js';
import { authorFields, messageContent, postMessage } from '../model/messages.js';
import type { Ctx, SlackHandlers } from '../types.js';

const TEXT = { 'content-type': 'text/plain; charset=utf-8' };

/** The payload of a webhook call: a JSON body, or the JSON text of a form's `payload` field. */
function payloadOf(ctx: Ctx): Record<string, any> {
  if (typeof ctx.body?.payload !== 'string') return ctx.body ?? {};
  try {
    const payload: unknown = JSON.parse(ctx.body.payload);
    if (payload && typeof payload === 'object' && !Array.isArray(payload)) return payload as Record<string, any>;
  } catch {
    // Refused below, as hooks.slack.com refuses it.
  }
  throw new WebhookError(400, 'invalid_payload');
}

/**
 * An incoming webhook: posts the payload into the webhook's channel as its app's bot and answers "ok"; the errors
 * are plain-text words with 4xx statuses (docs.slack.dev/messaging/sending-messages-using-incoming-webhooks).
 */
function postIncomingWebhook(ctx: Ctx) {
  const { teamId, botId, secret } = ctx.params;
  const hook = Object.hasOwn(ctx.state.webhooks, secret) ? ctx.state.webhooks[secret] : undefined;
  if (!hook || hook.url_path !== `${teamId}/${botId}/${secret}`) throw new WebhookError(404, 'no_service');
  const payload = payloadOf(ctx);
  if (jsonArray(payload.blocks) === 'invalid') throw new WebhookError(400, 'invalid_blocks');
  if (!payload.text && !payload.blocks?.length && !payload.attachments?.length) throw new WebhookError(400, 'no_text');
  const conversation = ctx.state.conversations[hook.channel];
  if (!conversation) throw new WebhookError(404, 'channel_not_found');
  if (conversation.is_archived) throw new WebhookError(410, 'channel_is_archived');
  const app = ctx.state.apps[hook.app_id];
  const bot = ctx.state.bots[app.bot_id];
  // A webhook's message is a bot_message of the app's bot, without a user (docs.slack.dev/reference/events/message/bot_message).
  const { user: _user, ...botFields } = authorFields(ctx.state, { token: '', type: 'bot', user_id: app.bot_user_id, app_id: app.id, bot_id: bot.id, scopes: [] });
  const author = { ...botFields, subtype: 'bot_message', username: app.name };
  postMessage(ctx, conversation, author, messageContent(payload), { thread_ts: payload.thread_ts });
  return { status: 200, headers: TEXT, body: 'ok' };
}

/** The incoming-webhook URL. */
export const webhookHandlers = { postIncomingWebhook } satisfies SlackHandlers;
