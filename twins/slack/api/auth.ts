import { ok, slackMethods } from '../model/methods.js';
import type { Ctx, SlackHandlers } from '../types.js';

/** auth.test: who the token is (docs.slack.dev/reference/methods/auth.test); bot tokens also name their bot. */
function authTest(ctx: Ctx) {
  const token = ctx.auth.token!;
  const { team } = ctx.state;
  return ok({
    url: `https://${team.domain}.slack.com/`,
    team: team.name,
    user: ctx.state.users[token.user_id].name,
    team_id: team.id,
    user_id: token.user_id,
    ...(token.bot_id ? { bot_id: token.bot_id } : {}),
    is_enterprise_install: false,
  });
}

/** auth.* methods. */
export const authHandlers = slackMethods({ authTest }) satisfies SlackHandlers;
