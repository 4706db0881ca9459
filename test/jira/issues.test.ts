/**
 * Issues through jira.js: create (ADF descriptions, create metadata, Jira's field errors), bulk create, get with
 * fields and expand, edit with fields and update operations, assign, delete with subtasks.
 */
import { expect, test } from 'vitest';
import { ADA_ID, ADMIN_ID, adf, clientError, describeJira, newIssue, refused, sendJson } from '../support/jira.js';

describeJira('issues', (t) => {
  test('an issue is created with an ADF description and read back by key and by id, with Jira formats', async () => {
    const created = await newIssue(t, 'First issue', { description: adf('Steps to reproduce'), labels: ['ui'], priority: { name: 'High' } });
    expect(created).toEqual({ id: expect.stringMatching(/^\d+$/), key: 'TWIN-1', self: `${t.baseUrl}/rest/api/3/issue/${created.id}` });
    const issue = await t.client.issues.getIssue({ issueIdOrKey: 'TWIN-1' });
    expect(issue.id).toBe(created.id);
    expect(issue.fields.summary).toBe('First issue');
    expect(issue.fields.description).toEqual(adf('Steps to reproduce'));
    expect(issue.fields.status.name).toBe('To Do');
    expect(issue.fields.status.statusCategory?.key).toBe('new');
    expect(issue.fields.issuetype?.name).toBe('Task');
    expect(issue.fields.priority.name).toBe('High');
    expect(issue.fields.labels).toEqual(['ui']);
    expect(issue.fields.reporter?.accountId).toBe(ADMIN_ID);
    expect(issue.fields.assignee).toBeNull();
    expect(issue.fields.project.key).toBe('TWIN');
    expect(issue.fields.created).toBe('2026-01-01T00:00:00.000+0000');
    expect(issue.fields.resolution).toBeNull();
    expect(issue.fields.watches).toMatchObject({ watchCount: 1, isWatching: true });
    const byId = await t.client.issues.getIssue({ issueIdOrKey: created.id, fields: ['summary', 'status'] });
    expect(Object.keys(byId.fields).sort()).toEqual(['status', 'summary']);
  });

  test('keys follow creation order and are never reused after a delete', async () => {
    await newIssue(t, 'one');
    const two = await newIssue(t, 'two');
    await t.client.issues.deleteIssue({ issueIdOrKey: two.key });
    expect((await newIssue(t, 'three')).key).toBe('TWIN-3');
    expect((await clientError(t.client.issues.getIssue({ issueIdOrKey: 'TWIN-2' }))).status).toBe(404);
  });

  test('a missing summary, project and issue type are reported at once under their fields', async () => {
    const error = await clientError(t.client.issues.createIssue({ fields: { description: adf('x') } as any }));
    expect(error.status).toBe(400);
    expect(error.body).toEqual({
      errorMessages: [],
      errors: { project: 'Specify a valid project ID or key', issuetype: 'Specify an issue type', summary: 'You must specify a summary of the issue.' },
    });
  });

  test('invalid field values are refused with Jira\'s messages, and nothing is created', async () => {
    const res = await sendJson(t, '/rest/api/3/issue', {
      fields: { project: { key: 'TWIN' }, issuetype: { name: 'Task' }, summary: 'x', description: 'plain text', priority: { name: 'Urgent' }, labels: ['two words'], customfield_10016: 'five', foo: 1 },
    });
    const body = await refused(res);
    expect(body.errors).toEqual({
      description: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)',
      priority: 'The priority selected is invalid.',
      labels: "The label 'two words' contains spaces which is invalid.",
      customfield_10016: 'Operation value must be a number',
      foo: "Field 'foo' cannot be set. It is not on the appropriate screen, or unknown.",
    });
    expect(t.twin.state.issues).toEqual({});
  });

  test('an unknown project or issue type is a field error', async () => {
    expect((await clientError(newIssue(t, 'x', { project: { key: 'NOPE' } }))).body.errors).toEqual({ project: 'Specify a valid project ID or key' });
    expect((await clientError(newIssue(t, 'x', { issuetype: { name: 'Incident' } }))).body.errors).toEqual({ issuetype: 'The issue type selected is invalid.' });
  });

  test('create metadata lists the project\'s issue types and the fields of a create screen, custom ones included', async () => {
    const types = await t.client.issues.getCreateIssueMetaIssueTypes({ projectIdOrKey: 'TWIN' });
    expect(types.issueTypes?.map((type) => type.name)).toEqual(['Task', 'Bug', 'Story', 'Epic', 'Subtask']);
    const task = types.issueTypes!.find((type) => type.name === 'Task')!;
    const meta = await t.client.issues.getCreateIssueMetaIssueTypeId({ projectIdOrKey: 'TWIN', issueTypeId: task.id! });
    const byId = Object.fromEntries(meta.fields!.map((f) => [f.fieldId, f]));
    expect(byId.summary.required).toBe(true);
    expect(byId.description.required).toBe(false);
    expect(byId.customfield_10016.name).toBe('Story point estimate');
    expect(byId.labels.operations).toEqual(['add', 'set', 'remove']);
    expect((await clientError(t.client.issues.getCreateIssueMetaIssueTypes({ projectIdOrKey: 'NOPE' }))).status).toBe(404);
  });

  test('custom fields are set on create and listed by GET /field', async () => {
    const fields = await t.client.issueFields.getFields();
    expect(fields.find((f) => f.id === 'customfield_10016')).toMatchObject({ name: 'Story point estimate', custom: true, schema: { type: 'number', customId: 10016 } });
    await newIssue(t, 'pointed', { customfield_10016: 5, customfield_10030: 'Platform', customfield_10040: adf('Given, when, then') });
    const issue = await t.client.issues.getIssue({ issueIdOrKey: 'TWIN-1', fields: ['customfield_10016', 'customfield_10030', 'customfield_10040'] });
    expect(issue.fields).toEqual({ customfield_10016: 5, customfield_10030: 'Platform', customfield_10040: adf('Given, when, then') });
  });

  test('edit sets fields and applies labels add and remove; the changelog records each change', async () => {
    await newIssue(t, 'Before', { labels: ['a', 'b'] });
    t.twin.clock.advance(60_000);
    await t.client.issues.editIssue({ issueIdOrKey: 'TWIN-1', fields: { summary: 'After' }, update: { labels: [{ add: 'c' }, { remove: 'a' }] } });
    const issue = await t.client.issues.getIssue({ issueIdOrKey: 'TWIN-1', expand: 'changelog' });
    expect(issue.fields.summary).toBe('After');
    expect(issue.fields.labels).toEqual(['b', 'c']);
    expect(issue.fields.updated).toBe('2026-01-01T00:01:00.000+0000');
    const [history] = issue.changelog!.histories!;
    expect(history.author?.accountId).toBe(ADMIN_ID);
    expect(history.items).toEqual([
      { field: 'summary', fieldtype: 'jira', fieldId: 'summary', from: null, fromString: 'Before', to: null, toString: 'After' },
      { field: 'labels', fieldtype: 'jira', fieldId: 'labels', from: null, fromString: 'a b', to: null, toString: 'a b c' },
      { field: 'labels', fieldtype: 'jira', fieldId: 'labels', from: null, fromString: 'a b c', to: null, toString: 'b c' },
    ]);
  });

  test('a refused edit changes nothing; returnIssue answers 200 with the issue', async () => {
    await newIssue(t, 'Kept');
    const error = await clientError(t.client.issues.editIssue({ issueIdOrKey: 'TWIN-1', fields: { summary: 'Changed', status: { name: 'Done' } } as any }));
    expect(error.body.errors).toEqual({ status: "Field 'status' cannot be set. It is not on the appropriate screen, or unknown." });
    expect((await t.client.issues.getIssue({ issueIdOrKey: 'TWIN-1' })).fields.summary).toBe('Kept');
    const res = await sendJson(t, '/rest/api/3/issue/TWIN-1?returnIssue=true', { fields: { summary: 'Changed' } }, 'PUT');
    expect(res.status).toBe(200);
    expect((await res.json()).fields.summary).toBe('Changed');
  });

  test('assign and unassign through jira.js; an unknown account is refused', async () => {
    await newIssue(t, 'Work');
    await t.client.issues.assignIssue({ issueIdOrKey: 'TWIN-1', accountId: ADA_ID });
    expect((await t.client.issues.getIssue({ issueIdOrKey: 'TWIN-1' })).fields.assignee?.displayName).toBe('Ada Lovelace');
    await t.client.issues.assignIssue({ issueIdOrKey: 'TWIN-1', accountId: null as any });
    expect((await t.client.issues.getIssue({ issueIdOrKey: 'TWIN-1' })).fields.assignee).toBeNull();
    const error = await clientError(t.client.issues.assignIssue({ issueIdOrKey: 'TWIN-1', accountId: 'nobody' }));
    expect(error).toMatchObject({ status: 400, body: { errors: { assignee: "User 'nobody' does not exist." } } });
  });

  test('subtasks need a parent; an issue with subtasks is deleted only with deleteSubtasks', async () => {
    await newIssue(t, 'Parent');
    expect((await clientError(newIssue(t, 'Orphan', { issuetype: { name: 'Subtask' } }))).body.errors).toHaveProperty('parent');
    const child = await newIssue(t, 'Child', { issuetype: { name: 'Subtask' }, parent: { key: 'TWIN-1' } });
    const parent = await t.client.issues.getIssue({ issueIdOrKey: 'TWIN-1', fields: ['subtasks'] });
    expect(parent.fields.subtasks?.map((s) => s.key)).toEqual([child.key]);
    expect((await t.client.issues.getIssue({ issueIdOrKey: child.key, fields: ['parent'] })).fields.parent?.key).toBe('TWIN-1');
    const refusal = await clientError(t.client.issues.deleteIssue({ issueIdOrKey: 'TWIN-1' }));
    expect(refusal.status).toBe(400);
    expect(refusal.body.errorMessages[0]).toContain('deleteSubtasks');
    await t.client.issues.deleteIssue({ issueIdOrKey: 'TWIN-1', deleteSubtasks: true });
    expect((await clientError(t.client.issues.getIssue({ issueIdOrKey: child.key }))).status).toBe(404);
  });

  test('an epic parents stories, which are not its subtasks; a story cannot parent a story', async () => {
    const epic = await newIssue(t, 'Epic', { issuetype: { name: 'Epic' } });
    const story = await newIssue(t, 'Story', { issuetype: { name: 'Story' }, parent: { key: epic.key } });
    expect((await t.client.issues.getIssue({ issueIdOrKey: story.key, fields: ['parent'] })).fields.parent?.key).toBe(epic.key);
    expect((await t.client.issues.getIssue({ issueIdOrKey: epic.key, fields: ['subtasks'] })).fields.subtasks).toEqual([]);
    const search = await t.client.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql: `parent = ${epic.key}`, fields: ['summary'] });
    expect(search.issues?.map((i) => i.key)).toEqual([story.key]);
    expect((await clientError(newIssue(t, 'Nested', { issuetype: { name: 'Story' }, parent: { key: story.key } }))).body.errors).toEqual({ parent: 'Given parent work item does not belong to appropriate hierarchy.' });
  });

  test('bulk create creates the good ones and reports the failed by position', async () => {
    const result = await t.client.issues.createIssues({
      issueUpdates: [
        { fields: { project: { key: 'TWIN' }, issuetype: { name: 'Bug' }, summary: 'bulk one' } },
        { fields: { project: { key: 'TWIN' }, issuetype: { name: 'Bug' } } },
        { fields: { project: { key: 'TWIN' }, issuetype: { name: 'Story' }, summary: 'bulk three' } },
      ] as any,
    });
    expect(result.issues?.map((i) => i.key)).toEqual(['TWIN-1', 'TWIN-2']);
    expect(result.errors).toEqual([{ status: 400, elementErrors: { errorMessages: [], errors: { summary: 'You must specify a summary of the issue.' } }, failedElementNumber: 1 }]);
    const allFailed = await sendJson(t, '/rest/api/3/issue/bulk', { issueUpdates: [{ fields: {} }] });
    expect(allFailed.status).toBe(400);
    expect((await allFailed.json()).issues).toEqual([]);
  });

  test('an unknown issue is 404 with Jira\'s words on every issue path', async () => {
    for (const [path, method] of [['/rest/api/3/issue/TWIN-99', 'GET'], ['/rest/api/3/issue/99999', 'DELETE'], ['/rest/api/3/issue/TWIN-99/transitions', 'GET'], ['/rest/api/3/issue/TWIN-99/comment', 'GET']] as const) {
      const body = await refused(await t.fetch(path, { method }), 404);
      expect(body.errorMessages).toEqual(['Issue does not exist or you do not have permission to see it.']);
    }
  });

  test('renderedFields carry the description as HTML; names map field ids to names', async () => {
    await newIssue(t, 'Rendered', { description: adf('a < b') });
    const issue = await t.client.issues.getIssue({ issueIdOrKey: 'TWIN-1', fields: ['description', 'summary'], expand: 'renderedFields,names' });
    expect((issue.renderedFields as Record<string, unknown>).description).toBe('<p>a &lt; b</p>');
    expect(issue.names).toEqual({ summary: 'Summary', description: 'Description' });
  });
});
