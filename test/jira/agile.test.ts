/**
 * The Agile API through jira.js's AgileClient: the TWIN scrum board, its issues and backlog, sprints from future to
 * active to closed, and moving issues between sprints and the backlog.
 */
import { expect, test } from 'vitest';
import { clientError, describeJira, newIssue, refused, sendJson, type JiraTarget } from '../support/jira.js';

const keys = (page: { issues?: { key?: string }[] }) => (page.issues ?? []).map((i) => i.key).sort();

async function threeIssues(t: JiraTarget) {
  for (const summary of ['one', 'two', 'three']) await newIssue(t, summary);
}

describeJira('boards', (t) => {
  test('the seed has one scrum board on TWIN', async () => {
    const page = await t.agile.board.getAllBoards();
    expect([page.total, page.isLast]).toEqual([1, true]);
    const [board] = page.values;
    expect(board).toMatchObject({ id: 1, name: 'TWIN board', type: 'scrum', self: `${t.baseUrl}/rest/agile/1.0/board/1`, location: { projectKey: 'TWIN', projectId: 10000 } });
    expect((await t.agile.board.getBoard({ boardId: 1 })).name).toBe('TWIN board');
    expect((await t.agile.board.getAllBoards({ type: 'kanban' })).values).toEqual([]);
  });

  test('a board lists its project\'s issues, filtered by JQL, with their sprint field', async () => {
    await threeIssues(t);
    const page = await t.agile.board.getIssuesForBoard({ boardId: 1, jql: 'summary ~ t*' });
    expect([page.total, keys(page)]).toEqual([2, ['TWIN-2', 'TWIN-3']]);
    expect(page.issues?.[0].fields).toMatchObject({ sprint: null, closedSprints: [] });
  });

  test('an unknown board is 404', async () => {
    const error = await clientError(t.agile.board.getBoard({ boardId: 42 }));
    expect(error).toMatchObject({ status: 404, body: { errorMessages: ['Board does not exist or you do not have permission to see it.'] } });
  });
});

describeJira('sprints', (t) => {
  test('a sprint goes future → active → closed; issues move in, and back to the backlog when unfinished', async () => {
    await threeIssues(t);
    const sprint = await t.agile.sprint.createSprint({ name: '  Sprint 1 ', originBoardId: 1, goal: 'Ship it' });
    expect(sprint).toMatchObject({ id: expect.any(Number), state: 'future', name: 'Sprint 1', originBoardId: 1, goal: 'Ship it', self: `${t.baseUrl}/rest/agile/1.0/sprint/${sprint.id}` });
    await t.agile.sprint.moveIssuesToSprintAndRank({ sprintId: sprint.id!, issues: ['TWIN-1', 'TWIN-2'] });
    expect(keys(await t.agile.sprint.getIssuesForSprint({ sprintId: sprint.id! }))).toEqual(['TWIN-1', 'TWIN-2']);
    expect(keys(await t.agile.board.getIssuesForBacklog({ boardId: 1 }))).toEqual(['TWIN-3']);

    const started = await t.agile.sprint.partiallyUpdateSprint({ sprintId: sprint.id!, state: 'active', startDate: '2026-01-01T00:00:00.000Z', endDate: '2026-01-15T00:00:00.000Z' });
    expect([started.state, started.startDate, started.endDate]).toEqual(['active', '2026-01-01T00:00:00.000Z', '2026-01-15T00:00:00.000Z']);
    const inSprint = await t.client.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql: 'sprint in openSprints()', fields: ['summary'] });
    expect(inSprint.issues?.map((i) => i.key).sort()).toEqual(['TWIN-1', 'TWIN-2']);

    await t.client.issues.doTransition({ issueIdOrKey: 'TWIN-1', transition: { id: '31' } });
    t.twin.clock.advance(3_600_000);
    const closed = await t.agile.sprint.updateSprint({ sprintId: sprint.id!, name: 'Sprint 1', state: 'closed', startDate: started.startDate, endDate: started.endDate });
    expect([closed.state, closed.completeDate]).toEqual(['closed', '2026-01-01T01:00:00.000Z']);
    expect(keys(await t.agile.sprint.getIssuesForSprint({ sprintId: sprint.id! }))).toEqual(['TWIN-1']);
    expect(keys(await t.agile.board.getIssuesForBacklog({ boardId: 1 }))).toEqual(['TWIN-1', 'TWIN-2', 'TWIN-3']);
    const sprints = await t.agile.board.getAllSprints({ boardId: 1, state: 'closed' });
    expect(sprints.values.map((s) => s.name)).toEqual(['Sprint 1']);
  });

  test('starting a sprint needs dates; states move only forward; a closed sprint takes no change', async () => {
    const sprint = await t.agile.sprint.createSprint({ name: 'S', originBoardId: 1 });
    expect((await clientError(t.agile.sprint.partiallyUpdateSprint({ sprintId: sprint.id!, state: 'active' }))).body.errorMessages).toEqual(['A sprint must have a start date and an end date to start.']);
    expect((await clientError(t.agile.sprint.partiallyUpdateSprint({ sprintId: sprint.id!, state: 'closed' }))).body.errorMessages).toEqual(["A sprint cannot move from state 'future' to 'closed'."]);
    await t.agile.sprint.partiallyUpdateSprint({ sprintId: sprint.id!, state: 'active', startDate: '2026-01-01T00:00:00Z', endDate: '2026-01-08T00:00:00Z' });
    expect((await clientError(t.agile.sprint.partiallyUpdateSprint({ sprintId: sprint.id!, state: 'future' }))).status).toBe(400);
    await t.agile.sprint.partiallyUpdateSprint({ sprintId: sprint.id!, state: 'closed' });
    expect((await clientError(t.agile.sprint.partiallyUpdateSprint({ sprintId: sprint.id!, goal: 'late' }))).body.errorMessages).toEqual(['Cannot update a closed sprint.']);
    expect((await clientError(t.agile.sprint.moveIssuesToSprintAndRank({ sprintId: sprint.id!, issues: ['TWIN-1'] }))).status).toBe(400);
  });

  test('moving issues: at most 50, each known; the backlog takes them back; a deleted sprint frees its issues', async () => {
    await threeIssues(t);
    const sprint = await t.agile.sprint.createSprint({ name: 'S', originBoardId: 1 });
    const tooMany = Array.from({ length: 51 }, (_, i) => `TWIN-${i + 1}`);
    expect((await refused(await sendJson(t, `/rest/agile/1.0/sprint/${sprint.id}/issue`, { issues: tooMany }))).errorMessages).toEqual(['No more than 50 issues can be moved in one call.']);
    expect((await refused(await sendJson(t, `/rest/agile/1.0/sprint/${sprint.id}/issue`, { issues: ['TWIN-9'] }))).errorMessages[0]).toContain('TWIN-9');
    await t.agile.sprint.moveIssuesToSprintAndRank({ sprintId: sprint.id!, issues: ['TWIN-1', 'TWIN-2', 'TWIN-3'] });
    await t.agile.backlog.moveIssuesToBacklog({ issues: ['TWIN-3'] });
    expect(keys(await t.agile.sprint.getIssuesForSprint({ sprintId: sprint.id! }))).toEqual(['TWIN-1', 'TWIN-2']);
    await t.agile.sprint.deleteSprint({ sprintId: sprint.id! });
    expect(keys(await t.agile.board.getIssuesForBacklog({ boardId: 1 }))).toEqual(['TWIN-1', 'TWIN-2', 'TWIN-3']);
    expect((await clientError(t.agile.sprint.getSprint({ sprintId: sprint.id! }))).status).toBe(404);
  });

  test('a sprint needs a name and an existing board', async () => {
    expect((await refused(await sendJson(t, '/rest/agile/1.0/sprint', { name: ' ', originBoardId: 1 }))).errors).toEqual({ name: 'The sprint name cannot be empty.' });
    expect((await refused(await sendJson(t, '/rest/agile/1.0/sprint', { name: 'S', originBoardId: 9 }), 404)).errorMessages).toEqual(['Board does not exist or you do not have permission to see it.']);
    expect((await refused(await sendJson(t, '/rest/agile/1.0/sprint', { name: 'S' }))).errors).toHaveProperty('originBoardId');
  });
});
