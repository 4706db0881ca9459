import { copyJson } from '../../../src/index.js';
import { SlackError } from '../errors.js';
import { args } from '../model/args.js';
import { ok, slackMethods } from '../model/methods.js';
import type { Ctx, SlackHandlers } from '../types.js';

/** bots.info: a bot by id; bot_not_found otherwise (docs.slack.dev/reference/methods/bots.info). */
function botsInfo(ctx: Ctx) {
  const id = args(ctx).bot;
  const bot = typeof id === 'string' && Object.hasOwn(ctx.state.bots, id) ? ctx.state.bots[id] : undefined;
  if (!bot) throw new SlackError('bot_not_found');
  return ok({ bot: copyJson(bot) });
}

/** bots.* methods. */
export const botHandlers = slackMethods({ botsInfo }) satisfies SlackHandlers;
