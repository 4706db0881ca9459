/**
 * The package entry: twinverse's library API and the catalog of the twins it ships.
 */
import { createTwin, type CreateTwinOptions, type Twin, type TwinDefinition } from '../src/index.js';
import { gdocsTwin, type GdocsState } from './gdocs/index.js';
import { jiraTwin, type JiraState } from './jira/index.js';
import { oktaTwin, type OktaState } from './okta/index.js';
import { slackTwin, type SlackState } from './slack/index.js';

export * from '../src/index.js';

/**
 * Every twin twinverse ships, by the service name the CLI takes. A new twin is one line here.
 *
 * @example
 * Object.keys(twinCatalog); // ['okta']
 * const okta = createTwin(twinCatalog.okta);
 */
export const twinCatalog: Record<string, TwinDefinition<any, any>> = {
  okta: oktaTwin,
  gdocs: gdocsTwin,
  jira: jiraTwin,
  slack: slackTwin,
};

/**
 * Creates an Okta twin: Management API and OAuth 2.0 / OIDC, seeded with admin@twin.test and the API
 * token `twin-okta-token`.
 *
 * @example
 * const okta = createOktaTwin({ plugins: [rateLimit({ limit: 10 })] });
 * const { url } = await okta.listen();
 */
export function createOktaTwin(options: CreateTwinOptions = {}): Twin<OktaState> {
  return createTwin(oktaTwin, options);
}

export { oktaTwin };
export type { OktaState };

/**
 * Creates a Jira Cloud twin: platform REST API v3 and Agile 1.0, seeded with the project TWIN (and its scrum board)
 * and Basic auth `admin@twin.test` / `twin-jira-token`. `legacySearch: true` brings back the removed
 * /rest/api/3/search (startAt, maxResults, total) instead of its 410 Gone, across resets.
 *
 * @example
 * const jira = createJiraTwin();
 * const { url } = await jira.listen();
 * const client = new Version3Client({ host: url, authentication: { basic: { email: 'admin@twin.test', apiToken: 'twin-jira-token' } } });
 */
export function createJiraTwin(options: CreateTwinOptions & { legacySearch?: boolean } = {}): Twin<JiraState> {
  const { legacySearch, ...twinOptions } = options;
  const twin = createTwin(jiraTwin, twinOptions);
  if (legacySearch) {
    const doc = twin.exportState();
    doc.state.settings.legacySearch = true;
    twin.reseed(doc);
  }
  return twin;
}

export { jiraTwin };
export type { JiraState };

/**
 * Creates a Google Docs twin: Docs API v1 and the Drive v3 file methods at one base URL, seeded with no documents
 * and the access token `twin-google-token` of admin@twin.test.
 *
 * @example
 * const gdocs = createGdocsTwin();
 * const { url } = await gdocs.listen();
 * const client = new auth.OAuth2(); // from @googleapis/docs
 * client.setCredentials({ access_token: 'twin-google-token' });
 * const api = docs({ version: 'v1', rootUrl: url + '/', auth: client });
 */
export function createGdocsTwin(options: CreateTwinOptions = {}): Twin<GdocsState> {
  return createTwin(gdocsTwin, options);
}

export { gdocsTwin };
export type { GdocsState };

/**
 * Creates a Slack twin: the Web API, incoming webhooks and Events API deliveries, seeded with the workspace Twin, the
 * bot token `xoxb-twin-bot-token` and the user token `xoxp-twin-user-token`.
 *
 * @example
 * const slack = createSlackTwin();
 * const { url } = await slack.listen();
 * const web = new WebClient('xoxb-twin-bot-token', { slackApiUrl: `${url}/api/` });
 */
export function createSlackTwin(options: CreateTwinOptions = {}): Twin<SlackState> {
  return createTwin(slackTwin, options);
}

export { slackTwin };
export type { SlackState };
