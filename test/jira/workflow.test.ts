/**
 * The TWIN workflow through jira.js: To Do → In Progress → Done, each transition named after its target, any
 * status reachable from any other; a transition changes the status (and the resolution entering or leaving Done)
 * and records a changelog history.
 */
import { expect, test } from 'vitest';
import { clientError, describeJira, newIssue, refused, sendJson } from '../support/jira.js';

describeJira('workflow', (t) => {
  test('transitions from To Do lead to In Progress and Done, named after their targets', async () => {
    await newIssue(t, 'Flow');
    const { transitions } = await t.client.issues.getTransitions({ issueIdOrKey: 'TWIN-1' });
    expect(transitions?.map((tr) => [tr.id, tr.name, tr.to?.name, tr.to?.statusCategory?.key])).toEqual([
      ['21', 'In Progress', 'In Progress', 'indeterminate'],
      ['31', 'Done', 'Done', 'done'],
    ]);
  });

  test('moving to Done sets the resolution and records status and resolution in the changelog; back to To Do clears it', async () => {
    await newIssue(t, 'Flow');
    t.twin.clock.advance(1000);
    await t.client.issues.doTransition({ issueIdOrKey: 'TWIN-1', transition: { id: '21' } });
    t.twin.clock.advance(1000);
    await t.client.issues.doTransition({ issueIdOrKey: 'TWIN-1', transition: { id: '31' } });
    let issue = await t.client.issues.getIssue({ issueIdOrKey: 'TWIN-1' });
    expect(issue.fields.status.name).toBe('Done');
    expect(issue.fields.resolution?.name).toBe('Done');
    expect(issue.fields.resolutiondate).toBe('2026-01-01T00:00:02.000+0000');
    expect(issue.fields.statuscategorychangedate).toBe('2026-01-01T00:00:02.000+0000');
    const changelog = await t.client.issues.getChangeLogs({ issueIdOrKey: 'TWIN-1' });
    expect(changelog.total).toBe(2);
    expect(changelog.values?.map((h) => [h.created, h.items?.map((i) => `${i.field}: ${i.fromString} -> ${i.toString}`)])).toEqual([
      ['2026-01-01T00:00:01.000+0000', ['status: To Do -> In Progress']],
      ['2026-01-01T00:00:02.000+0000', ['status: In Progress -> Done', 'resolution: null -> Done']],
    ]);
    await t.client.issues.doTransition({ issueIdOrKey: 'TWIN-1', transition: { id: '11' } });
    issue = await t.client.issues.getIssue({ issueIdOrKey: 'TWIN-1' });
    expect([issue.fields.status.name, issue.fields.resolution, issue.fields.resolutiondate]).toEqual(['To Do', null, null]);
  });

  test('a transition may set the resolution it takes; an unknown one is refused', async () => {
    await newIssue(t, 'Wont');
    await t.client.issues.doTransition({ issueIdOrKey: 'TWIN-1', transition: { id: '31' }, fields: { resolution: { name: "Won't Do" } } });
    expect((await t.client.issues.getIssue({ issueIdOrKey: 'TWIN-1' })).fields.resolution?.name).toBe("Won't Do");
    await t.client.issues.doTransition({ issueIdOrKey: 'TWIN-1', transition: { id: '11' } });
    const error = await clientError(t.client.issues.doTransition({ issueIdOrKey: 'TWIN-1', transition: { id: '31' }, fields: { resolution: { name: 'Fixed' } } }));
    expect(error.body.errors).toEqual({ resolution: 'The resolution selected is invalid.' });
  });

  test('an illegal transition id is Jira\'s 400; so is the transition to the current status; a missing id too', async () => {
    await newIssue(t, 'Flow');
    for (const id of ['99', '11']) {
      const error = await clientError(t.client.issues.doTransition({ issueIdOrKey: 'TWIN-1', transition: { id } }));
      expect(error).toEqual({ status: 400, body: { errorMessages: [`Transition id '${id}' is not valid for this issue.`], errors: {} }, headers: expect.anything() });
    }
    expect((await refused(await sendJson(t, '/rest/api/3/issue/TWIN-1/transitions', {}))).errorMessages).toEqual(["Missing 'transition' identifier"]);
    expect((await t.client.issues.getIssue({ issueIdOrKey: 'TWIN-1' })).fields.status.name).toBe('To Do');
  });

  test('expand=transitions on an issue lists what it can take now', async () => {
    await newIssue(t, 'Flow', {});
    await t.client.issues.doTransition({ issueIdOrKey: 'TWIN-1', transition: { id: '21' } });
    const issue = await t.client.issues.getIssue({ issueIdOrKey: 'TWIN-1', fields: ['status'], expand: 'transitions' });
    expect(issue.transitions?.map((tr) => tr.name)).toEqual(['To Do', 'Done']);
  });

  test('a create with a transition lands in its target status', async () => {
    const res = await sendJson(t, '/rest/api/3/issue', { fields: { project: { key: 'TWIN' }, issuetype: { name: 'Task' }, summary: 'Started' }, transition: { id: '21' } });
    expect(res.status).toBe(201);
    expect((await res.json()).transition).toEqual({ status: 200, errorCollection: { errorMessages: [], errors: {} } });
    expect((await t.client.issues.getIssue({ issueIdOrKey: 'TWIN-1' })).fields.status.name).toBe('In Progress');
  });
});
