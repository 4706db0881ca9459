import { copyJson } from '../../../src/index.js';
import { ok, slackMethods } from '../model/methods.js';
import type { Ctx, SlackHandlers } from '../types.js';

/** team.info: the workspace (docs.slack.dev/reference/methods/team.info). */
function teamInfo(ctx: Ctx) {
  const team = ctx.state.team;
  return ok({ team: { ...copyJson(team), url: `https://${team.domain}.slack.com/`, is_verified: false } });
}

/** team.* methods. */
export const teamHandlers = slackMethods({ teamInfo }) satisfies SlackHandlers;
