/** Seeding the Jira twin from a recording of the REST and Agile APIs, then reading and writing the recorded site through jira.js. */
import { AgileClient, Version3Client } from 'jira.js';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RecordedExchange, TwinDefinition } from '../../src/index.js';
import { createJiraTwin, jiraTwin, type JiraState, type Twin } from '../../twins/index.js';
import { seedFromRecording } from '../../twins/jira/recording.js';

const ORIGIN = 'https://your-domain.atlassian.net';

function get(path: string, body: unknown): RecordedExchange {
  return { method: 'GET', url: new URL(path, ORIGIN), requestHeaders: { accept: 'application/json' }, status: 200, responseHeaders: { 'content-type': 'application/json' }, responseBody: body };
}

// Modeled on the example responses of the Jira Cloud platform REST API v3 and the Jira Software Agile API.
const mia = { accountId: '5b10a2844c20165700ede21g', accountType: 'atlassian', active: true, displayName: 'Mia Krystof', emailAddress: 'mia@example.com', timeZone: 'Australia/Sydney' };
const emma = { accountId: '5b10ac8d82e05b22cc7d4ef5', accountType: 'atlassian', active: true, displayName: 'Emma Richards', timeZone: 'Australia/Sydney' };
const project = { id: '10000', key: 'PROJ', name: 'Example', projectTypeKey: 'software', simplified: false };
const task = { id: '10001', name: 'Task', description: 'A task that needs to be done.', subtask: false, hierarchyLevel: 0 };
const toDo = { id: '10000', name: 'To Do', description: '', statusCategory: { id: 2, key: 'new', name: 'To Do' } };
const inProgress = { id: '3', name: 'In Progress', description: 'This issue is being actively worked on.', statusCategory: { id: 4, key: 'indeterminate', name: 'In Progress' } };
const done = { id: '10001', name: 'Done', description: '', statusCategory: { id: 3, key: 'done', name: 'Done' } };
const doc = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const comment = { id: '10000', author: mia, updateAuthor: mia, body: doc('Lorem ipsum dolor sit amet.'), created: '2021-01-17T12:34:00.000+0000', updated: '2021-01-18T23:45:00.000+0000' };
const sprint37 = { id: 37, self: `${ORIGIN}/rest/agile/1.0/sprint/37`, state: 'active', name: 'sprint 1', startDate: '2015-04-11T15:22:00.000Z', endDate: '2015-04-20T01:22:00.000Z', originBoardId: 84, goal: 'sprint 1 goal' };
const issue7 = {
  id: '10010', key: 'PROJ-7', self: `${ORIGIN}/rest/api/3/issue/10010`,
  fields: {
    summary: 'Search engine returns stale results', description: doc('Main order flow broken'), project, issuetype: task, status: inProgress, priority: { id: '2', name: 'High' },
    assignee: mia, reporter: emma, creator: emma, labels: ['search'], created: '2021-01-10T09:00:00.000+0000', updated: '2021-01-18T23:45:00.000+0000', statuscategorychangedate: '2021-01-12T09:00:00.000+0000',
    resolution: null, resolutiondate: null, duedate: null, watches: { watchCount: 1, isWatching: false },
    comment: { comments: [comment], maxResults: 1, total: 1, startAt: 0 },
    issuelinks: [{ id: '10001', type: { id: '10000', name: 'Dependent', inward: 'depends on', outward: 'is depended by' }, outwardIssue: { id: '10011', key: 'PROJ-8' } }],
    customfield_10020: [{ id: 37, name: 'sprint 1', state: 'active', boardId: 84, goal: 'sprint 1 goal', startDate: '2015-04-11T15:22:00.000Z', endDate: '2015-04-20T01:22:00.000Z' }],
    customfield_10099: 'a select the twin does not emulate',
  },
};
const issue8 = { id: '10011', key: 'PROJ-8', fields: { ...issue7.fields, summary: 'Index the archive', status: toDo, assignee: null, comment: { comments: [] }, issuelinks: [], customfield_10020: null, customfield_10099: null } };

const exchanges: RecordedExchange[] = [
  get('/rest/api/3/myself', { ...mia, locale: 'en_AU' }),
  get('/rest/api/3/project/PROJ', { ...project, description: 'An example project', lead: emma, issueTypes: [task] }),
  get('/rest/api/3/project/PROJ/statuses', [{ id: '10001', name: 'Task', subtask: false, statuses: [toDo, inProgress, done] }]),
  get('/rest/api/3/search/jql?jql=project%3DPROJ&fields=*all', { issues: [issue7, issue8], isLast: true }),
  // A later search that asked for the summary only: it changes the summary and leaves the other fields as they were.
  get('/rest/api/3/search/jql?jql=key%3DPROJ-8&fields=summary', { issues: [{ id: '10011', key: 'PROJ-8', fields: { summary: 'Index the whole archive' } }], isLast: true }),
  get('/rest/api/3/issue/PROJ-7/comment', { comments: [{ ...comment, id: '10007', body: doc('Second thoughts.'), created: '2021-01-19T10:00:00.000+0000', updated: '2021-01-19T10:00:00.000+0000' }], maxResults: 50, startAt: 0, total: 2 }),
  get('/rest/api/3/issue/PROJ-7/watchers', { isWatching: false, watchCount: 1, watchers: [emma] }),
  get('/rest/agile/1.0/board/84', { id: 84, name: 'scrum board', type: 'scrum', location: { projectId: 10000, projectKey: 'PROJ' } }),
  get('/rest/agile/1.0/board/84/sprint', { maxResults: 50, startAt: 0, isLast: true, values: [sprint37, { ...sprint37, id: 72, state: 'future', name: 'sprint 2', startDate: undefined, endDate: undefined }] }),
  get('/rest/api/3/dashboard', { dashboards: [] }),
  // An issue recorded with a few fields only: the key names its project, the project's types and workflow give the rest.
  get('/rest/api/3/issue/PROJ-3?fields=summary,status', { id: '10003', key: 'PROJ-3', fields: { summary: 'Old bug', status: done, created: '2020-06-01T10:00:00.000+0000' } }),
  // jira.js searches with POST: a read all the same. A create is a write, and is not read into the state.
  { ...get('/rest/api/3/search/jql', { issues: [{ id: '10010', key: 'PROJ-7', fields: { labels: ['search', 'triaged'] } }] }), method: 'POST', requestBody: { jql: 'key = PROJ-7', fields: ['labels'] } },
  { ...get('/rest/api/3/issue', { id: '10020', key: 'PROJ-20', self: `${ORIGIN}/rest/api/3/issue/10020` }), method: 'POST', status: 201 },
];

let twin: Twin<JiraState>;
let close: () => Promise<void>;
let notes: string[];
let sequences: Record<string, number>;
let client: Version3Client;
let agile: AgileClient;

beforeAll(async () => {
  const seeded = seedFromRecording(exchanges, structuredClone(jiraTwin.seed));
  ({ notes, sequences } = seeded);
  twin = createJiraTwin({ strict: true, clock: '2026-01-01T00:00:00.000Z' });
  const ids = twin.exportState().ids;
  twin.importState({ twinverse: 1, twin: 'jira', state: seeded.state, ids: { ...ids, seq: { ...ids.seq, ...sequences } } });
  const listening = await twin.listen();
  close = listening.close;
  const config = { host: listening.url, authentication: { basic: { email: 'admin@twin.test', apiToken: 'twin-jira-token' } } };
  client = new Version3Client(config);
  agile = new AgileClient(config);
});
afterAll(() => close());

test('recorded issues read back under their recorded ids and keys, each field from the newest answer that showed it', async () => {
  const issue = await client.issues.getIssue({ issueIdOrKey: 'PROJ-7' });
  expect(issue.id).toBe('10010');
  expect(issue.fields).toMatchObject({ summary: 'Search engine returns stale results', status: { name: 'In Progress' }, assignee: { accountId: mia.accountId }, reporter: { displayName: 'Emma Richards' }, labels: ['search', 'triaged'] });
  expect(issue.fields.issuelinks?.[0]).toMatchObject({ id: '10001', outwardIssue: { key: 'PROJ-8' } });
  expect((await client.issues.getIssue({ issueIdOrKey: '10011' })).fields).toMatchObject({ summary: 'Index the whole archive', status: { name: 'To Do' } });
  const comments = await client.issueComments.getComments({ issueIdOrKey: 'PROJ-7' });
  expect(comments.comments?.map((c) => c.id)).toEqual(['10000', '10007']);
  expect((await client.issueWatchers.getIssueWatchers({ issueIdOrKey: 'PROJ-7' })).watchers?.map((w) => w.accountId)).toEqual([emma.accountId]);
  const found = await client.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql: 'project = PROJ AND status != Done ORDER BY key ASC', fields: ['summary'] });
  expect(found.issues?.map((i) => i.key)).toEqual(['PROJ-7', 'PROJ-8']);
});

test('the recorded project replaces the seed\'s under the same id, with its workflow; users, boards and sprints are there', async () => {
  const proj = await client.projects.getProject({ projectIdOrKey: 'PROJ' });
  expect(proj).toMatchObject({ id: '10000', key: 'PROJ', name: 'Example', description: 'An example project', lead: { accountId: emma.accountId } });
  expect((await client.users.getUser({ accountId: mia.accountId })).locale).toBe('en_AU');
  expect((await client.issues.getTransitions({ issueIdOrKey: 'PROJ-8' })).transitions?.map((t) => t.name)).toEqual(['In Progress', 'Done']);
  expect(await agile.board.getBoard({ boardId: 84 })).toMatchObject({ name: 'scrum board', location: { projectKey: 'PROJ' } });
  expect((await agile.sprint.getIssuesForSprint({ sprintId: 37 })).issues?.map((i) => i.key)).toEqual(['PROJ-7']);
  expect((await agile.board.getAllSprints({ boardId: 84 })).values.map((s) => [s.id, s.state])).toEqual([[37, 'active'], [72, 'future']]);
  expect(notes).toEqual(expect.arrayContaining([expect.stringContaining('customfield_10099'), expect.stringContaining('GET /rest/api/3/dashboard: not kept')]));
  expect((await client.issues.getIssue({ issueIdOrKey: 'PROJ-3' })).fields).toMatchObject({ summary: 'Old bug', project: { key: 'PROJ' }, issuetype: { name: 'Task' }, status: { name: 'Done' } });
  expect(notes).toContain('issue PROJ-3: no recorded answer shows all its fields; the twin gives it project PROJ (from its key), issue type Task');
});

test('writes: new issues, comments and sprints take ids past the recorded ones; recorded issues transition and edit', async () => {
  expect(sequences).toMatchObject({ issue: 10012, comment: 10008, issueLink: 10002, sprint: 73, board: 85 });
  const created = await client.issues.createIssue({ fields: { project: { key: 'PROJ' }, issuetype: { name: 'Task' }, summary: 'New work' } });
  expect([created.id, created.key]).toEqual(['10012', 'PROJ-9']);
  expect((await client.issues.getIssue({ issueIdOrKey: 'PROJ-9' })).fields.status?.name).toBe('To Do');
  const added = await client.issueComments.addComment({ issueIdOrKey: 'PROJ-7', comment: doc('Looking into it') });
  expect(added.id).toBe('10008');
  await client.issues.doTransition({ issueIdOrKey: 'PROJ-7', transition: { id: '31' } });
  await client.issues.editIssue({ issueIdOrKey: 'PROJ-8', fields: { summary: 'Index everything' } });
  expect((await client.issues.getIssue({ issueIdOrKey: 'PROJ-7' })).fields).toMatchObject({ status: { name: 'Done' }, resolution: { name: 'Done' } });
  expect((await client.issues.getIssue({ issueIdOrKey: 'PROJ-8' })).fields.summary).toBe('Index everything');
  expect((await agile.sprint.createSprint({ name: 'sprint 3', originBoardId: 84 })).id).toBe(73);
});

test('the hook fits the twin definition\'s seedFromRecording, leaves the seed it is handed as it was, and gives the same state for the same recording', () => {
  const hook: NonNullable<TwinDefinition<JiraState>['seedFromRecording']> = seedFromRecording;
  const seed = structuredClone(jiraTwin.seed);
  const first = hook(exchanges, seed);
  expect(seed).toEqual(jiraTwin.seed);
  expect(hook(exchanges, seed)).toEqual(first);
});
