import { Version3Client } from 'jira.js';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createJiraTwin } from 'twinverse';

const jira = createJiraTwin();
let server: { url: string; close(): Promise<void> };
let client: Version3Client;

beforeAll(async () => {
  server = await jira.listen(0);
  client = new Version3Client({ host: server.url, authentication: { basic: { email: 'admin@twin.test', apiToken: 'twin-jira-token' } } });
});
afterAll(() => server.close());

test('an issue is created, moved to Done, and found by JQL', async () => {
  const created = await client.issues.createIssue({ fields: { project: { key: 'TWIN' }, issuetype: { name: 'Task' }, summary: 'Ship the release' } });
  expect(created.key).toBe('TWIN-1');

  const { transitions } = await client.issues.getTransitions({ issueIdOrKey: created.key });
  const done = transitions!.find((t) => t.name === 'Done')!;
  await client.issues.doTransition({ issueIdOrKey: created.key, transition: { id: done.id } });

  const found = await client.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql: 'project = TWIN AND status = Done', fields: ['summary'] });
  expect(found.issues!.map((issue) => issue.fields.summary)).toEqual(['Ship the release']);
});
