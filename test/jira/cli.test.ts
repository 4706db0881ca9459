/**
 * `twinverse serve jira` (the built CLI: `npm run build` first) answers jira.js with the seeded credentials, which
 * it prints.
 */
import { Version3Client } from 'jira.js';
import { expect, test } from 'vitest';
import { startCli, stopCli } from '../support/cli.js';
import { ADMIN_EMAIL, ADMIN_TOKEN } from '../support/jira.js';

test('twinverse serve jira prints the Basic credentials and serves jira.js', async () => {
  const { child, out, urls } = await startCli(['serve', 'jira', '--port', '0']);
  expect(out).toContain('admin@twin.test / twin-jira-token');
  const client = new Version3Client({ host: urls[0], authentication: { basic: { email: ADMIN_EMAIL, apiToken: ADMIN_TOKEN } } });
  expect((await client.myself.getCurrentUser()).displayName).toBe('Admin Twin');
  const created = await client.issues.createIssue({ fields: { project: { key: 'TWIN' }, issuetype: { name: 'Task' }, summary: 'From the CLI' } as any });
  expect(created.key).toBe('TWIN-1');
  expect(await stopCli(child)).toBe(0);
});
