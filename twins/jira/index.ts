import { defineTwin, rateLimit } from '../../src/index.js';
import { agileHandlers } from './api/agile.js';
import { commentHandlers } from './api/issue-comments.js';
import { linkHandlers } from './api/issue-links.js';
import { searchHandlers } from './api/issue-search.js';
import { watcherHandlers } from './api/issue-watchers.js';
import { worklogHandlers } from './api/issue-worklogs.js';
import { issueHandlers } from './api/issues.js';
import { metadataHandlers } from './api/metadata.js';
import { projectHandlers } from './api/projects.js';
import { userHandlers } from './api/users.js';
import { authenticateJira, jiraCredentialOf } from './auth.js';
import { renderJiraError } from './errors.js';
import { jiraLists } from './model/lists.js';
import { jiraRateLimits } from './rate-limit.js';
import { seedFromRecording } from './recording.js';
import seed from './seed.json' with { type: 'json' };
import type { JiraAuth, JiraOperationId, JiraState } from './types.js';

const ADMIN_BASIC = `Basic ${Buffer.from('admin@twin.test:twin-jira-token').toString('base64')}`;

/**
 * The Jira Cloud twin: the platform REST API v3 (users, projects, issues, transitions, comments, JQL search, links,
 * watchers, worklogs) and the Agile REST API 1.0 (boards, sprints, backlog). The handler map must cover every
 * operationId of openapi/jira.yaml (JiraOperationId): a missing handler is a compile error here.
 *
 * @example
 * import { createTwin, jiraTwin } from 'twinverse';
 * const jira = createTwin(jiraTwin);
 * const { url, close } = await jira.listen(0);
 */
export const jiraTwin = defineTwin<JiraState, JiraAuth, JiraOperationId>({
  name: 'jira',
  openapi: new URL('../../openapi/jira.yaml', import.meta.url),
  seed: seed as unknown as JiraState,
  authenticate: authenticateJira,
  handlers: {
    ...userHandlers,
    ...projectHandlers,
    ...metadataHandlers,
    ...issueHandlers,
    ...commentHandlers,
    ...searchHandlers,
    ...linkHandlers,
    ...watcherHandlers,
    ...worklogHandlers,
    ...agileHandlers,
  },
  renderError: renderJiraError,
  rateLimits: jiraRateLimits,
  // Jira marks responses near their budget (X-RateLimit-NearLimit); the twin refuses only once a test installs rateLimit().
  plugins: [rateLimit({ enforce: false })],
  lists: jiraLists,
  credentialOf: jiraCredentialOf,
  seedFromRecording,
  probes: {
    headers: { authorization: ADMIN_BASIC, accept: 'application/json' },
    read: '/rest/api/3/myself',
    write: {
      method: 'POST',
      path: '/rest/api/3/issue',
      body: { fields: { project: { key: 'TWIN' }, issuetype: { name: 'Task' }, summary: 'Conformance' } },
      invalid: { fields: 42 },
    },
  },
  credentials: {
    lines: [
      'Basic auth: admin@twin.test / twin-jira-token   (email / API token of "Admin Twin")',
      'Project TWIN (software, scrum board 1); issue keys TWIN-1, TWIN-2, ...',
    ],
  },
});

export type { JiraAuth, JiraOperationId, JiraState } from './types.js';
