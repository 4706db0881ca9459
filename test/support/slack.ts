import { LogLevel, WebClient, type Logger, type WebClientOptions } from '@slack/web-api';
import { createSlackTwin, type SlackState } from '../../twins/index.js';
import { describeTwin, TEST_CLOCK, type TwinTarget } from './describe-twin.js';

export { TEST_CLOCK };
export const MSW_BASE_URL = 'https://slack.com';
export const BOT_TOKEN = 'xoxb-twin-bot-token';
export const USER_TOKEN = 'xoxp-twin-user-token';
export const TEAM = 'T0TWIN0001';
export const ADMIN = 'U0TWADMIN1';
export const BOT_USER = 'U0TWINBOT1';
export const BOT = 'B0TWINBOT1';
export const APP = 'A0TWINAPP1';
export const GENERAL = 'C0GENERAL1';
export const RANDOM = 'C0RANDOM01';
export const SIGNING_SECRET = 'twin-slack-signing-secret';
export const WEBHOOK_PATH = '/services/T0TWIN0001/B0TWINBOT1/twinwebhooksecret0000001';
/** The bot token's scopes, as the seed grants them. */
export const BOT_SCOPES = ['chat:write', 'channels:read', 'channels:history', 'channels:manage', 'groups:read', 'im:write', 'reactions:read', 'reactions:write', 'users:read', 'users:read.email', 'files:read', 'files:write', 'pins:read', 'pins:write'];

/** The SDK logs Slack's response_metadata messages and warnings; the tests assert on them instead. */
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };

/** What a test body sees of the Slack twin, whichever transport serves it. */
export interface SlackTarget extends TwinTarget<SlackState> {
  /** @slack/web-api with the bot token, pointed at the twin; it does not retry unless a test asks. */
  readonly bot: WebClient;
  /** @slack/web-api with the user token (admin). */
  readonly user: WebClient;
  /** A WebClient with another token or options. */
  makeClient(token?: string, options?: WebClientOptions): WebClient;
}

/**
 * Runs one test body over node:http, express and MSW with the official WebClient at hand; each test starts from the
 * default seed with a fixed clock, in strict mode.
 */
export function describeSlack(title: string, body: (t: SlackTarget) => void): void {
  describeTwin(
    title,
    {
      create: (defaults) => (defaults ? createSlackTwin() : createSlackTwin({ strict: true, clock: TEST_CLOCK })),
      mswBaseUrl: MSW_BASE_URL,
      defaultHeaders: { authorization: `Bearer ${BOT_TOKEN}` },
    },
    (target) => {
      const makeClient = (token?: string, options: WebClientOptions = {}) =>
        new WebClient(token, { slackApiUrl: `${target.baseUrl}/api/`, retryConfig: { retries: 0 }, logger: quiet, ...options });
      const slackTarget = Object.setPrototypeOf(
        {
          makeClient,
          get bot() {
            return makeClient(BOT_TOKEN);
          },
          get user() {
            return makeClient(USER_TOKEN);
          },
        },
        target,
      ) as SlackTarget;
      body(slackTarget);
    },
  );
}

/** The Slack error code a WebClient call fails with (its `data`); fails the test when the call succeeds. */
export async function slackError(call: Promise<unknown>): Promise<{ code: string; error: string; data: Record<string, any> }> {
  try {
    await call;
  } catch (error: any) {
    return { code: error.code, error: error.data?.error, data: error.data ?? {} };
  }
  throw new Error('the call was expected to fail');
}

/** A raw form POST to a method, as any HTTP client could send it. */
export function form(t: SlackTarget, method: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return t.fetch(`/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });
}
