/**
 * Comments (ADF bodies), issue links and link types, watchers and worklogs through jira.js, with the bad input of
 * each family.
 */
import { expect, test } from 'vitest';
import { ADA_ID, ADMIN_ID, adf, clientError, describeJira, newIssue, refused, sendJson } from '../support/jira.js';

describeJira('comments', (t) => {
  test('comments are added, listed in pages, updated and deleted, with authors and Jira timestamps', async () => {
    await newIssue(t, 'Discuss');
    const first = await t.client.issueComments.addComment({ issueIdOrKey: 'TWIN-1', comment: adf('First') as any });
    t.twin.clock.advance(5000);
    await t.client.issueComments.addComment({ issueIdOrKey: 'TWIN-1', comment: adf('Second') as any });
    expect(first).toMatchObject({ id: expect.stringMatching(/^\d+$/), body: adf('First'), author: { accountId: ADMIN_ID }, created: '2026-01-01T00:00:00.000+0000' });
    expect(first.self).toBe(`${t.baseUrl}/rest/api/3/issue/${(await t.client.issues.getIssue({ issueIdOrKey: 'TWIN-1' })).id}/comment/${first.id}`);
    const page = await t.client.issueComments.getComments({ issueIdOrKey: 'TWIN-1', maxResults: 1 });
    expect([page.total, page.maxResults, page.comments?.map((c) => (c.body as any).content[0].content[0].text)]).toEqual([2, 1, ['First']]);
    const updated = await t.client.issueComments.updateComment({ issueIdOrKey: 'TWIN-1', id: first.id!, body: adf('Edited') as any });
    expect(updated).toMatchObject({ body: adf('Edited'), created: '2026-01-01T00:00:00.000+0000', updated: '2026-01-01T00:00:05.000+0000' });
    await t.client.issueComments.deleteComment({ issueIdOrKey: 'TWIN-1', id: first.id! });
    expect((await t.client.issueComments.getComments({ issueIdOrKey: 'TWIN-1' })).total).toBe(1);
    expect((await clientError(t.client.issueComments.getComment({ issueIdOrKey: 'TWIN-1', id: first.id! }))).status).toBe(404);
  });

  test('a comment restricted to a role is answered, read and listed with its visibility; an update can lift it', async () => {
    await newIssue(t, 'Restricted');
    const restricted = await t.client.issueComments.addComment({ issueIdOrKey: 'TWIN-1', comment: adf('Admins only') as any, visibility: { type: 'role', value: 'Administrators' } });
    expect(restricted.visibility).toEqual({ type: 'role', value: 'Administrators' });
    expect((await t.client.issueComments.getComment({ issueIdOrKey: 'TWIN-1', id: restricted.id as string })).visibility).toEqual({ type: 'role', value: 'Administrators' });
    const lifted = await t.client.issueComments.updateComment({ issueIdOrKey: 'TWIN-1', id: restricted.id as string, body: adf('Everyone') as any, visibility: {} as any });
    expect(lifted.visibility).toBeUndefined();
    const open = await t.client.issueComments.addComment({ issueIdOrKey: 'TWIN-1', comment: adf('Open') as any });
    expect(open.visibility).toBeUndefined();
  });

  test('a comment needs an ADF body', async () => {
    await newIssue(t, 'Discuss');
    expect((await refused(await sendJson(t, '/rest/api/3/issue/TWIN-1/comment', {}))).errors).toEqual({ comment: 'Comment body can not be empty!' });
    expect((await refused(await sendJson(t, '/rest/api/3/issue/TWIN-1/comment', { body: 'plain' }))).errors.comment).toContain('Atlassian Document');
  });
});

describeJira('links and watchers', (t) => {
  test('issues are linked by type name; both sides show the link; the link is read and deleted', async () => {
    await newIssue(t, 'Blocker');
    await newIssue(t, 'Blocked');
    const { issueLinkTypes } = await t.client.issueLinkTypes.getIssueLinkTypes();
    expect(issueLinkTypes?.map((lt) => lt.name)).toEqual(['Blocks', 'Cloners', 'Duplicate', 'Relates']);
    await t.client.issueLinks.linkIssues({ type: { name: 'Blocks' }, inwardIssue: { key: 'TWIN-2' }, outwardIssue: { key: 'TWIN-1' } });
    const blocked = await t.client.issues.getIssue({ issueIdOrKey: 'TWIN-2', fields: ['issuelinks'] });
    const [link] = blocked.fields.issuelinks!;
    expect([link.type?.outward, link.outwardIssue?.key]).toEqual(['blocks', 'TWIN-1']);
    const blocker = await t.client.issues.getIssue({ issueIdOrKey: 'TWIN-1', fields: ['issuelinks'] });
    expect(blocker.fields.issuelinks?.[0].inwardIssue?.key).toBe('TWIN-2');
    const read = await t.client.issueLinks.getIssueLink({ linkId: link.id! });
    expect([read.inwardIssue?.key, read.outwardIssue?.key, read.type?.name]).toEqual(['TWIN-2', 'TWIN-1', 'Blocks']);
    await t.client.issueLinks.deleteIssueLink({ linkId: link.id! });
    expect((await clientError(t.client.issueLinks.getIssueLink({ linkId: link.id! }))).status).toBe(404);
  });

  test('a link to an unknown issue or of an unknown type is refused', async () => {
    await newIssue(t, 'Alone');
    expect((await refused(await sendJson(t, '/rest/api/3/issueLink', { type: { name: 'Blocks' }, inwardIssue: { key: 'TWIN-1' }, outwardIssue: { key: 'TWIN-9' } }), 404)).errorMessages).toHaveLength(1);
    expect((await refused(await sendJson(t, '/rest/api/3/issueLink', { type: { name: 'Causes' }, inwardIssue: { key: 'TWIN-1' }, outwardIssue: { key: 'TWIN-1' } }), 404)).errorMessages[0]).toContain('Causes');
  });

  test('the reporter watches a new issue; watchers are added and removed by accountId', async () => {
    await newIssue(t, 'Watched');
    await t.client.issueWatchers.addWatcher({ issueIdOrKey: 'TWIN-1', accountId: ADA_ID });
    let watchers = await t.client.issueWatchers.getIssueWatchers({ issueIdOrKey: 'TWIN-1' });
    expect([watchers.isWatching, watchers.watchCount, watchers.watchers?.map((w) => w.displayName)]).toEqual([true, 2, ['Admin Twin', 'Ada Lovelace']]);
    await t.client.issueWatchers.removeWatcher({ issueIdOrKey: 'TWIN-1', accountId: ADMIN_ID });
    watchers = await t.client.issueWatchers.getIssueWatchers({ issueIdOrKey: 'TWIN-1' });
    expect([watchers.isWatching, watchers.watchCount]).toEqual([false, 1]);
    expect((await clientError(t.client.issueWatchers.addWatcher({ issueIdOrKey: 'TWIN-1', accountId: 'ghost' }))).status).toBe(400);
  });
});

describeJira('worklogs', (t) => {
  test('work is logged in Jira durations and listed', async () => {
    await newIssue(t, 'Effort');
    const worklog = await t.client.issueWorklogs.addWorklog({ issueIdOrKey: 'TWIN-1', timeSpent: '3h 20m', comment: adf('Pairing') as any, started: '2026-01-01T09:00:00.000+0000' });
    expect(worklog).toMatchObject({ timeSpent: '3h 20m', timeSpentSeconds: 12000, started: '2026-01-01T09:00:00.000+0000', author: { accountId: ADMIN_ID } });
    const page = await t.client.issueWorklogs.getIssueWorklog({ issueIdOrKey: 'TWIN-1' });
    expect([page.total, page.worklogs?.[0].id]).toEqual([1, worklog.id]);
    expect((await refused(await sendJson(t, '/rest/api/3/issue/TWIN-1/worklog', { timeSpent: 'a while' }))).errors).toEqual({ timeLogged: 'Invalid time duration entered.' });
  });
});
