/**
 * JQL search through jira.js: /rest/api/3/search/jql paged by nextPageToken (isLast, no total, issues with only their
 * id unless fields are asked for), the approximate count, Jira's 400s for bad JQL, and the removed /search: 410 Gone,
 * or the old startAt/total pages when the legacy option is on.
 */
import { expect, test } from 'vitest';
import { createJiraTwin } from '../../twins/index.js';
import { ADA_ID, BASIC, clientError, describeJira, newIssue, refused, sendJson, type JiraTarget } from '../support/jira.js';

/** Five issues: TWIN-1..5, one a minute apart; TWIN-2 and TWIN-4 are Bugs assigned to Ada; TWIN-5 is Done. */
async function fiveIssues(t: JiraTarget) {
  for (let i = 1; i <= 5; i++) {
    const bug = i % 2 === 0;
    await newIssue(t, `Issue number ${i}`, { issuetype: { name: bug ? 'Bug' : 'Task' }, ...(bug ? { assignee: { accountId: ADA_ID } } : {}), labels: i <= 2 ? ['early'] : [] });
    t.twin.clock.advance(60_000);
  }
  await t.client.issues.doTransition({ issueIdOrKey: 'TWIN-5', transition: { id: '31' } });
}

const keysOf = (issues: { key?: string }[] | undefined) => (issues ?? []).map((i) => i.key!);

describeJira('JQL search', (t) => {
  test('a search pages by nextPageToken until isLast; each page names its next, the last none', async () => {
    await fiveIssues(t);
    const seen: string[] = [];
    let nextPageToken: string | undefined;
    let pages = 0;
    for (;;) {
      // jira.js 5.4's result type leaves out the isLast that Jira sends.
      const page: { issues?: { key?: string }[]; nextPageToken?: string; isLast?: boolean } = await t.client.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql: 'project = TWIN ORDER BY key ASC', maxResults: 2, fields: ['summary'], nextPageToken });
      pages++;
      seen.push(...keysOf(page.issues));
      expect(page).not.toHaveProperty('total');
      if (page.isLast) {
        expect(page.nextPageToken).toBeUndefined();
        break;
      }
      nextPageToken = page.nextPageToken;
    }
    expect([pages, seen]).toEqual([3, ['TWIN-1', 'TWIN-2', 'TWIN-3', 'TWIN-4', 'TWIN-5']]);
  });

  test('without fields an issue carries only its id; fields and expand add what they name', async () => {
    await fiveIssues(t);
    const bare = await t.client.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql: 'key = TWIN-1' });
    expect(bare.issues).toEqual([{ id: t.twin.state.issueKeys['TWIN-1'] }]);
    const full = await t.client.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({ jql: 'key = TWIN-1', fields: ['summary', 'status'], expand: 'changelog' });
    expect(full.issues?.[0]).toMatchObject({ key: 'TWIN-1', fields: { summary: 'Issue number 1', status: { name: 'To Do' } }, changelog: { total: 0 } });
    const named = await t.client.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({ jql: 'key = TWIN-1', fields: ['summary'], expand: 'names' });
    expect(named.names).toEqual({ summary: 'Summary' });
    expect(named.issues?.[0]).not.toHaveProperty('names');
  });

  test('the default order is newest first; ORDER BY sorts by several keys', async () => {
    await fiveIssues(t);
    const search = async (jql: string) => keysOf((await t.client.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({ jql, fields: ['summary'] })).issues);
    expect(await search('project = TWIN')).toEqual(['TWIN-5', 'TWIN-4', 'TWIN-3', 'TWIN-2', 'TWIN-1']);
    expect(await search('project = TWIN ORDER BY issuetype ASC, key DESC')).toEqual(['TWIN-4', 'TWIN-2', 'TWIN-5', 'TWIN-3', 'TWIN-1']);
  });

  test('currentUser(), statusCategory, labels, text and relative dates select the expected issues', async () => {
    await fiveIssues(t);
    await t.client.issues.assignIssue({ issueIdOrKey: 'TWIN-3', accountId: '712020:7a1d2c3e-4b5f-4a6b-8c7d-9e0f1a2b3c4d' });
    const search = async (jql: string) => keysOf((await t.client.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql: `${jql} ORDER BY key`, fields: ['key'] as any })).issues);
    expect(await search('assignee = currentUser()')).toEqual(['TWIN-3']);
    expect(await search('project = TWIN AND statusCategory != Done AND labels = early')).toEqual(['TWIN-1', 'TWIN-2']);
    expect(await search('text ~ "number 4"')).toEqual(['TWIN-4']);
    expect(await search('created >= -3m')).toEqual(['TWIN-3', 'TWIN-4', 'TWIN-5']);
    expect(await search('resolution IS EMPTY AND (issuetype = Bug OR assignee IS NOT EMPTY)')).toEqual(['TWIN-2', 'TWIN-3', 'TWIN-4']);
  });

  test('the approximate count counts what the query matches', async () => {
    await fiveIssues(t);
    expect(await t.client.issueSearch.countIssues({ jql: 'project = TWIN AND issuetype = Bug' })).toEqual({ count: 2 });
    expect((await clientError(t.client.issueSearch.countIssues({ jql: '' }))).status).toBe(400);
  });

  test('bad JQL is Jira\'s 400 with the position of the problem', async () => {
    const error = await clientError(t.client.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql: 'project = TWIN AND status foo "Done"' }));
    expect(error).toMatchObject({
      status: 400,
      body: {
        errorMessages: [
          "Error in the JQL Query: Expecting operator but got 'foo'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. (line 1, character 27)",
        ],
        errors: {},
      },
    });
    const unknown = await clientError(t.client.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql: 'project = NOPE' }));
    expect(unknown.body.errorMessages).toEqual(["The value 'NOPE' does not exist for the field 'project'."]);
  });

  test('an unbounded query and a forged nextPageToken are refused', async () => {
    expect((await refused(await t.fetch('/rest/api/3/search/jql?jql=order%20by%20key'))).errorMessages).toEqual(['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.']);
    expect((await refused(await t.fetch('/rest/api/3/search/jql?jql=project%3DTWIN&nextPageToken=bogus'))).errorMessages).toEqual(['Invalid format of nextPageToken']);
  });

  test('the removed /rest/api/3/search answers 410 Gone with the migration message', async () => {
    const error = await clientError(t.client.issueSearch.searchForIssuesUsingJql({ jql: 'project = TWIN' }));
    expect(error.status).toBe(410);
    expect(error.body.errorMessages[0]).toMatch(/^The requested API has been removed\. Please migrate to the \/rest\/api\/3\/search\/jql API\..*CHANGE-2046$/);
    expect((await sendJson(t, '/rest/api/3/search', { jql: 'project = TWIN' })).status).toBe(410);
  });

  test('with the legacy option the old search pages by startAt with a total', async () => {
    await fiveIssues(t);
    t.twin.state.settings.legacySearch = true;
    const page = await t.client.issueSearch.searchForIssuesUsingJql({ jql: 'project = TWIN ORDER BY key', startAt: 1, maxResults: 2 });
    expect([page.startAt, page.maxResults, page.total, keysOf(page.issues)]).toEqual([1, 2, 5, ['TWIN-2', 'TWIN-3']]);
    expect(page.issues?.[0].fields.summary).toBe('Issue number 2');
  });
});

test('createJiraTwin({ legacySearch: true }) serves the old search, and a reset keeps it', async () => {
  const jira = createJiraTwin({ legacySearch: true, clock: '2026-01-01T00:00:00.000Z' });
  const ask = () => jira.handle({ method: 'GET', url: 'https://twin.atlassian.net/rest/api/3/search?jql=project%3DTWIN', headers: { authorization: BASIC } });
  expect(JSON.parse((await ask()).body!)).toEqual({ expand: 'names,schema', startAt: 0, maxResults: 50, total: 0, issues: [] });
  jira.reset();
  expect((await ask()).status).toBe(200);
});
