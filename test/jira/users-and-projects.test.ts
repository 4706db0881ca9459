/**
 * The caller, users and projects through jira.js: myself as the seeded "Admin Twin", user lookups by accountId and
 * query, and projects listed, searched, read, created and deleted, with Jira's errors for bad input.
 */
import { expect, test } from 'vitest';
import { ADA_ID, ADMIN_ID, clientError, describeJira, newIssue, refused, sendJson } from '../support/jira.js';

describeJira('myself and users', (t) => {
  test('myself is Admin Twin, with an accountId in Jira Cloud\'s format and a self link on the site called', async () => {
    const me = await t.client.myself.getCurrentUser();
    expect(me).toMatchObject({ accountId: ADMIN_ID, accountType: 'atlassian', displayName: 'Admin Twin', emailAddress: 'admin@twin.test', active: true, timeZone: 'Etc/UTC' });
    expect(me.accountId).toMatch(/^712020:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(me.self).toBe(`${t.baseUrl}/rest/api/3/user?accountId=712020%3A7a1d2c3e-4b5f-4a6b-8c7d-9e0f1a2b3c4d`);
  });

  test('a user is read by accountId; an unknown one is 404; none is 400', async () => {
    expect((await t.client.users.getUser({ accountId: ADA_ID })).displayName).toBe('Ada Lovelace');
    const missing = await clientError(t.client.users.getUser({ accountId: '712020:00000000-0000-0000-0000-000000000000' }));
    expect(missing).toMatchObject({ status: 404, body: { errorMessages: ['Specified user does not exist or you do not have required permissions'], errors: {} } });
    expect((await refused(await t.fetch('/rest/api/3/user'))).errorMessages).toHaveLength(1);
  });

  test('users are found by the start of a name or an email; all users are listed', async () => {
    expect((await t.client.userSearch.findUsers({ query: 'hop' })).map((u) => u.displayName)).toEqual(['Grace Hopper']);
    expect((await t.client.userSearch.findUsers({ query: 'ada@' })).map((u) => u.accountId)).toEqual([ADA_ID]);
    expect((await t.client.users.getAllUsers()).map((u) => u.displayName)).toEqual(['Admin Twin', 'Ada Lovelace', 'Grace Hopper']);
    expect((await refused(await t.fetch('/rest/api/3/user/search'))).errorMessages[0]).toContain('query');
  });

  test('assignable users of a project or an issue are found by query; an unknown project is 404', async () => {
    expect((await t.client.userSearch.findAssignableUsers({ project: 'TWIN', query: 'grace' })).map((u) => u.displayName)).toEqual(['Grace Hopper']);
    expect((await t.client.userSearch.findAssignableUsers({ project: 'TWIN' })).length).toBe(3);
    expect((await clientError(t.client.userSearch.findAssignableUsers({ project: 'NOPE' }))).status).toBe(404);
    expect((await clientError(t.client.userSearch.findAssignableUsers({ issueKey: 'TWIN-9' }))).status).toBe(404);
  });
});

describeJira('projects', (t) => {
  test('the seed has TWIN, a software project with five issue types', async () => {
    const project = await t.client.projects.getProject({ projectIdOrKey: 'TWIN' });
    expect(project).toMatchObject({ id: '10000', key: 'TWIN', name: 'Twin', projectTypeKey: 'software', lead: { accountId: ADMIN_ID }, self: `${t.baseUrl}/rest/api/3/project/10000` });
    expect(project.issueTypes?.map((it) => it.name)).toEqual(['Task', 'Bug', 'Story', 'Epic', 'Subtask']);
    expect(project.issueTypes?.find((it) => it.name === 'Subtask')?.subtask).toBe(true);
    const list = await (await t.fetch('/rest/api/3/project')).json();
    expect(list.map((p: { key: string }) => p.key)).toEqual(['TWIN']);
  });

  test('a project is created with key, name, lead and type, found by search, and deleted with its issues', async () => {
    const created = await t.client.projects.createProject({ key: 'OPS', name: 'Operations', leadAccountId: ADA_ID, projectTypeKey: 'software', projectTemplateKey: 'com.pyxis.greenhopper.jira:gh-simplified-scrum-classic' });
    expect(created).toEqual({ self: `${t.baseUrl}/rest/api/3/project/${created.id}`, id: expect.any(Number), key: 'OPS' });
    const page = await t.client.projects.searchProjects({ query: 'oper' });
    expect([page.total, page.isLast, page.values.map((p) => p.key)]).toEqual([1, true, ['OPS']]);
    expect((await newIssue(t, 'Runbook', { project: { key: 'OPS' } })).key).toBe('OPS-1');
    const boards = await t.agile.board.getAllBoards({ projectKeyOrId: 'OPS' });
    expect(boards.values.map((b) => b.type)).toEqual(['scrum']);
    await t.client.projects.deleteProject({ projectIdOrKey: 'OPS' });
    expect((await clientError(t.client.projects.getProject({ projectIdOrKey: 'OPS' }))).body.errorMessages).toEqual(["No project could be found with key 'OPS'."]);
    expect((await clientError(t.client.issues.getIssue({ issueIdOrKey: 'OPS-1' }))).status).toBe(404);
  });

  test('project search pages with startAt and nextPage', async () => {
    for (const key of ['AAA', 'BBB']) await t.client.projects.createProject({ key, name: key, leadAccountId: ADMIN_ID, projectTypeKey: 'business' });
    const first = await t.client.projects.searchProjects({ maxResults: 2 });
    expect([first.total, first.isLast, first.values.map((p) => p.key)]).toEqual([3, false, ['AAA', 'BBB']]);
    expect(first.nextPage).toBe(`${t.baseUrl}/rest/api/3/project/search?maxResults=2&startAt=2`);
    const second = await t.client.projects.searchProjects({ startAt: 2, maxResults: 2 });
    expect([second.isLast, second.values.map((p) => p.key)]).toEqual([true, ['TWIN']]);
  });

  test('bad project input is refused under Jira\'s field names', async () => {
    const body = await refused(await sendJson(t, '/rest/api/3/project', { key: 'twin-2', name: 'Twin', projectTypeKey: 'software' }));
    expect(body.errors).toEqual({
      projectKey: 'Project keys must start with an uppercase letter, followed by one or more uppercase alphanumeric characters.',
      projectName: 'A project with that name already exists.',
      projectLead: 'You must specify a valid project lead.',
    });
    expect((await refused(await sendJson(t, '/rest/api/3/project', { key: 'TWIN', name: 'Other', leadAccountId: ADMIN_ID, projectTypeKey: 'software' }))).errors).toEqual({ projectKey: "Project 'Twin' uses this project key." });
    expect((await refused(await sendJson(t, '/rest/api/3/project', { key: 'ABCDEFGHIJK', name: 'Long', leadAccountId: ADMIN_ID, projectTypeKey: 'software' }))).errors.projectKey).toContain('10 characters');
    expect((await refused(await sendJson(t, '/rest/api/3/project', { name: 'No key' }))).errors).toHaveProperty('key');
    expect((await refused(await t.fetch('/rest/api/3/project/NOPE'), 404)).errorMessages).toEqual(["No project could be found with key 'NOPE'."]);
    expect((await refused(await t.fetch('/rest/api/3/project/99999'), 404)).errorMessages).toEqual(["No project could be found with id '99999'."]);
  });

  test('issue types, statuses, categories and priorities are listed', async () => {
    expect((await t.client.issueTypes.getIssueAllTypes()).map((it) => it.name)).toEqual(['Task', 'Bug', 'Story', 'Epic', 'Subtask']);
    expect((await t.client.workflowStatuses.getStatuses()).map((s) => `${s.name}/${s.statusCategory?.key}`)).toEqual(['To Do/new', 'In Progress/indeterminate', 'Done/done']);
    expect((await t.client.workflowStatusCategories.getStatusCategories()).map((c) => c.key)).toEqual(['undefined', 'new', 'done', 'indeterminate']);
    expect((await t.client.issuePriorities.getPriorities()).map((p) => p.name)).toEqual(['Highest', 'High', 'Medium', 'Low', 'Lowest']);
  });
});
