import type { SlackHandler } from '../types.js';

/**
 * A handler map with every method also under its GET operationId (`chatPostMessage` and `chatPostMessageGet`).
 *
 * @example
 * type TeamHandlers = WithGet<{ teamInfo: SlackHandler }>; // { teamInfo: SlackHandler; teamInfoGet: SlackHandler }
 */
export type WithGet<T> = { [K in keyof T & string as K | `${K}Get`]: SlackHandler };

/**
 * One handler per Web API method, served for both of its operations: POST (form or JSON body) and GET (query
 * string), which the document describes apart because their arguments arrive apart.
 *
 * @example
 * export const teamHandlers = slackMethods({ teamInfo }) satisfies SlackHandlers;
 */
export function slackMethods<T extends Record<string, SlackHandler>>(handlers: T): WithGet<T> {
  const out: Record<string, SlackHandler> = {};
  for (const [name, handler] of Object.entries(handlers)) {
    out[name] = handler;
    out[`${name}Get`] = handler;
  }
  return out as WithGet<T>;
}

/**
 * A successful Slack answer: HTTP 200 and `ok: true` with the method's fields.
 *
 * @example
 * return ok({ channel: view });
 */
export function ok(fields: Record<string, unknown> = {}): { body: Record<string, unknown> } {
  return { body: { ok: true, ...fields } };
}
