import { defineTwin } from '../../src/index.js';
import { appHandlers } from './api/apps.js';
import { authHandlers } from './api/auth.js';
import { botHandlers } from './api/bots.js';
import { chatHandlers } from './api/chat.js';
import { conversationHandlers } from './api/conversations.js';
import { fileHandlers } from './api/files.js';
import { pinHandlers } from './api/pins.js';
import { reactionHandlers } from './api/reactions.js';
import { teamHandlers } from './api/team.js';
import { userHandlers } from './api/users.js';
import { webhookHandlers } from './api/webhooks.js';
import { authenticateSlack, slackResponseHeaders, tokenOf } from './auth.js';
import { renderSlackError } from './errors.js';
import { slackLists } from './model/lists.js';
import { slackRateLimits } from './rate-limit.js';
import { seedFromRecording } from './recording.js';
import seed from './seed.json' with { type: 'json' };
import type { SlackAuth, SlackOperationId, SlackState } from './types.js';

/**
 * The Slack twin: the Web API (auth, team, bots, users, conversations, chat, reactions, pins, files, and the App
 * Manifest API's update and export), incoming webhooks, and Events API deliveries to the seeded app. The handler map must cover every operationId of
 * openapi/slack.yaml (SlackOperationId): a missing handler is a compile error here.
 *
 * @example
 * import { WebClient } from '@slack/web-api';
 * import { createTwin, slackTwin } from 'twinverse';
 * const slack = createTwin(slackTwin);
 * const { url } = await slack.listen(0);
 * const web = new WebClient('xoxb-twin-bot-token', { slackApiUrl: `${url}/api/` });
 * await web.chat.postMessage({ channel: 'C0GENERAL1', text: 'hello' });
 */
export const slackTwin = defineTwin<SlackState, SlackAuth, SlackOperationId>({
  name: 'slack',
  openapi: new URL('../../openapi/slack.yaml', import.meta.url),
  seed: seed as unknown as SlackState,
  authenticate: authenticateSlack,
  handlers: {
    ...appHandlers,
    ...authHandlers,
    ...teamHandlers,
    ...botHandlers,
    ...userHandlers,
    ...conversationHandlers,
    ...chatHandlers,
    ...reactionHandlers,
    ...pinHandlers,
    ...fileHandlers,
    ...webhookHandlers,
  },
  renderError: renderSlackError,
  onResponse: slackResponseHeaders,
  rateLimits: slackRateLimits,
  lists: slackLists,
  credentialOf: tokenOf,
  seedFromRecording,
  // Slack's own secrets: the `token` argument, app secrets, request signatures, tokens by their prefixes (xoxb-,
  // xoxp-, xoxa-, xoxe-, xoxr-, xoxs-, app-level xapp-) and the secret last segment of an incoming-webhook URL.
  secrets: {
    headers: ['x-slack-signature'],
    keys: ['token', 'signing_secret', 'verification_token'],
    patterns: [/\bxox[abeoprs]-[A-Za-z0-9.-]+/g, /\bxapp-[A-Za-z0-9-]+/g, /(\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/)[A-Za-z0-9]+/g],
  },
  probes: {
    headers: { authorization: 'Bearer xoxb-twin-bot-token', accept: 'application/json' },
    read: '/api/auth.test',
    write: {
      method: 'POST',
      path: '/api/conversations.create',
      body: { name: 'conformance' },
      invalid: { name: 42 },
    },
  },
  credentials: {
    lines: [
      'Authorization: Bearer xoxb-twin-bot-token   (bot token of twinbot, app A0TWINAPP1)',
      'Authorization: Bearer xoxp-twin-user-token   (user token of admin, admin@twin.test)',
      'Authorization: Bearer xoxe.xoxp-1-twin-config-token   (app configuration token of admin: apps.manifest.*)',
      'Signing secret twin-slack-signing-secret   (Events API deliveries of app A0TWINAPP1)',
      'Incoming webhook /services/T0TWIN0001/B0TWINBOT1/twinwebhooksecret0000001   (posts to #general)',
    ],
  },
});

export type { SlackAuth, SlackOperationId, SlackState } from './types.js';
