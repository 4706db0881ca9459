/**
 * The JQL parser and evaluator as tables: what each query parses to, which issues it selects, and the 400 Jira
 * answers for each kind of mistake. Run on the twin directly (no transport): the transports are covered elsewhere.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { createJiraTwin } from '../../twins/index.js';
import { parseJql, type Condition, type Operand } from '../../twins/jira/model/jql-parser.js';
import { ADA_ID, BASIC, GRACE_ID } from '../support/jira.js';

const operand = (o: Operand): string =>
  o.kind === 'value' ? o.text : o.kind === 'empty' ? 'EMPTY' : o.kind === 'function' ? `${o.name}(${o.args.join(',')})` : `(${o.items.map(operand).join(',')})`;
const show = (c: Condition | undefined): string =>
  !c ? '-' : c.kind === 'clause' ? `${c.field} ${c.operator} ${operand(c.operand)}` : c.kind === 'not' ? `NOT [${show(c.part)}]` : `${c.kind}[${c.parts.map(show).join('; ')}]`;

describe('JQL parser', () => {
  test.each([
    ['project = TWIN', 'project = TWIN', ''],
    ['project=TWIN and status!="In Progress"', 'and[project = TWIN; status != In Progress]', ''],
    ['a = 1 OR b = 2 AND c = 3', 'or[a = 1; and[b = 2; c = 3]]', ''],
    ['(a = 1 OR b = 2) AND c = 3', 'and[or[a = 1; b = 2]; c = 3]', ''],
    ['NOT a = 1 AND !b = 2', 'and[NOT [a = 1]; NOT [b = 2]]', ''],
    ['a = 1 && b = 2 || c = 3', 'or[and[a = 1; b = 2]; c = 3]', ''],
    ["status IN ('To Do', Done) AND labels NOT IN (x)", 'and[status in (To Do,Done); labels not in (x)]', ''],
    ['assignee IS EMPTY and reporter is not null', 'and[assignee is EMPTY; reporter is not EMPTY]', ''],
    ['assignee = currentUser()', 'assignee = currentUser()', ''],
    ['created >= -7d AND updated < startOfDay(-1)', 'and[created >= -7d; updated < startOfDay(-1)]', ''],
    ['summary ~ "login bug" and description !~ crash', 'and[summary ~ login bug; description !~ crash]', ''],
    ['"Story point estimate" > 3 AND cf[10016] <= 8', 'and[Story point estimate > 3; cf[10016] <= 8]', ''],
    ['key = TWIN-1', 'key = TWIN-1', ''],
    ['ORDER BY key', '-', 'key asc'],
    ['project = TWIN order by priority DESC, created', 'project = TWIN', 'priority desc, created asc'],
  ])('%s', (jql, where, order) => {
    const query = parseJql(jql);
    expect(show(query.where)).toBe(where);
    expect(query.orderBy.map((o) => `${o.field} ${o.direction}`).join(', ')).toBe(order);
  });

  test.each([
    ['project TWIN', "Expecting operator but got 'TWIN'.", 9],
    ['project = ', "Expecting either a value, list or function but got 'EOF'.", 11],
    ['project = TWIN AND', "Expecting a field name but got 'EOF'.", 19],
    ['(project = TWIN', "Expecting ')' but got 'EOF'.", 16],
    ['project = TWIN TWIN', "Expecting either 'OR' or 'AND' but got 'TWIN'.", 16],
    ['summary ~ "open', "The quoted string 'open' has not been completed.", 11],
    ['status in Done', "Expecting '(' but got 'Done'.", 11],
    ['project = TWIN ORDER key', "Expecting 'by' but got 'key'.", 22],
  ])('%s is a syntax error', (jql, message, character) => {
    expect(() => parseJql(jql)).toThrow(expect.objectContaining({ status: 400, messages: [expect.stringContaining(`Error in the JQL Query: ${message}`)] }));
    expect(() => parseJql(jql)).toThrow(`(line 1, character ${character})`);
  });
});

describe('JQL evaluator', () => {
  const jira = createJiraTwin({ clock: '2026-01-01T00:00:00.000Z' });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await jira.handle({ method, url: `https://twin.atlassian.net${path}`, headers: { authorization: BASIC, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: res.body ? JSON.parse(res.body) : undefined };
  };
  const search = async (jql: string) => {
    const res = await call('POST', '/rest/api/3/search/jql', { jql: /order by/i.test(jql) ? jql : `${jql} ORDER BY key ASC`, fields: ['summary'], maxResults: 100 });
    if (res.status !== 200) throw new Error(res.body.errorMessages.join(' '));
    return res.body.issues.map((i: { key: string }) => i.key).join(' ');
  };
  const issue = (summary: string, fields: Record<string, unknown> = {}) => call('POST', '/rest/api/3/issue', { fields: { project: { key: 'TWIN' }, issuetype: { name: 'Task' }, summary, ...fields } });

  beforeAll(async () => {
    const doc = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
    await issue('Login page crashes', { issuetype: { name: 'Bug' }, priority: { name: 'Highest' }, labels: ['ui', 'auth'], assignee: { accountId: ADA_ID }, description: doc('Crash on submit') });
    jira.clock.advance(86_400_000);
    await issue('Add dark mode', { issuetype: { name: 'Story' }, customfield_10016: 5, labels: ['ui'], duedate: '2026-01-10' });
    jira.clock.advance(86_400_000);
    await issue('Upgrade dependencies', { priority: { name: 'Low' }, assignee: { accountId: GRACE_ID }, customfield_10016: 2 });
    await issue('Dark theme colours', { issuetype: { name: 'Subtask' }, parent: { key: 'TWIN-2' } });
    await call('POST', '/rest/api/3/issue/TWIN-3/transitions', { transition: { id: '31' } });
    await call('POST', '/rest/api/3/issue/TWIN-1/transitions', { transition: { id: '21' } });
    jira.clock.advance(86_400_000);
  });

  test.each([
    ['project = TWIN', 'TWIN-1 TWIN-2 TWIN-3 TWIN-4'],
    ['project in (TWIN, 10000) AND issuetype != Subtask', 'TWIN-1 TWIN-2 TWIN-3'],
    ['key = TWIN-2 OR id = TWIN-3', 'TWIN-2 TWIN-3'],
    ['key > TWIN-2', 'TWIN-3 TWIN-4'],
    ['key <= TWIN-2', 'TWIN-1 TWIN-2'],
    ['status = "In Progress"', 'TWIN-1'],
    ['status != "To Do"', 'TWIN-1 TWIN-3'],
    ['statusCategory = done', 'TWIN-3'],
    ['statusCategory in ("To Do", indeterminate)', 'TWIN-1 TWIN-2 TWIN-4'],
    ['assignee = "Ada Lovelace"', 'TWIN-1'],
    ['assignee in (ada@twin.test, currentUser()) OR assignee IS EMPTY', 'TWIN-1 TWIN-2 TWIN-4'],
    ['assignee != ada@twin.test', 'TWIN-3'],
    ['reporter = currentUser() AND creator = currentUser()', 'TWIN-1 TWIN-2 TWIN-3 TWIN-4'],
    ['type = Bug', 'TWIN-1'],
    ['labels = ui', 'TWIN-1 TWIN-2'],
    ['labels != auth', 'TWIN-2'],
    ['labels in (auth, nothing)', 'TWIN-1'],
    ['labels not in (auth)', 'TWIN-2'],
    ['labels IS EMPTY', 'TWIN-3 TWIN-4'],
    ['priority = Highest', 'TWIN-1'],
    ['priority > Medium', 'TWIN-1'],
    ['priority <= Medium', 'TWIN-2 TWIN-3 TWIN-4'],
    ['summary ~ dark', 'TWIN-2 TWIN-4'],
    ['summary ~ "dark mode"', 'TWIN-2'],
    ['summary ~ depend*', 'TWIN-3'],
    ['summary !~ dark', 'TWIN-1 TWIN-3'],
    ['description ~ submit', 'TWIN-1'],
    ['description IS EMPTY', 'TWIN-2 TWIN-3 TWIN-4'],
    ['text ~ crash', 'TWIN-1'],
    ['created >= "2026-01-02"', 'TWIN-2 TWIN-3 TWIN-4'],
    ['created < 2026/01/02', 'TWIN-1'],
    ['created >= -2d', 'TWIN-2 TWIN-3 TWIN-4'],
    ['created > "-1d 1h"', 'TWIN-3 TWIN-4'],
    ['created >= startOfDay(-1d) AND created <= endOfDay(-1d)', 'TWIN-3 TWIN-4'],
    ['updated > startOfMonth() AND created < now()', 'TWIN-1 TWIN-2 TWIN-3 TWIN-4'],
    ['updated < startOfWeek()', 'TWIN-1 TWIN-2 TWIN-3 TWIN-4'],
    ['created >= startOfWeek(-1w)', 'TWIN-1 TWIN-2 TWIN-3 TWIN-4'],
    ['resolution = Unresolved', 'TWIN-1 TWIN-2 TWIN-4'],
    ['resolution = Done', 'TWIN-3'],
    ['resolved IS NOT EMPTY', 'TWIN-3'],
    ['due = 2026-01-10', 'TWIN-2'],
    ['parent = TWIN-2', 'TWIN-4'],
    ['"Story point estimate" >= 3', 'TWIN-2'],
    ['cf[10016] IS NOT EMPTY AND cf[10016] < 3', 'TWIN-3'],
    ['NOT (labels = ui OR parent IS NOT EMPTY)', 'TWIN-3'],
    ['project = TWIN AND NOT status = Done AND (type = Bug OR labels IS EMPTY)', 'TWIN-1 TWIN-4'],
  ])('%s', async (jql, keys) => {
    expect(await search(jql)).toBe(keys);
  });

  test.each([
    ['nosuchfield = 1', "Field 'nosuchfield' does not exist or you do not have permission to view it."],
    ['project = NOPE', "The value 'NOPE' does not exist for the field 'project'."],
    ['status = Blocked', "The value 'Blocked' does not exist for the field 'status'."],
    ['assignee = nobody', "The value 'nobody' does not exist for the field 'assignee'."],
    ['key = TWIN-99', "An issue with key 'TWIN-99' does not exist for field 'key'."],
    ['summary = "Add dark mode"', "The operator '=' is not supported by the 'summary' field."],
    ['project ~ TWIN', "The operator '~' is not supported by the 'project' field."],
    ['created > yesterday', "Date value 'yesterday' for field 'created' is invalid."],
    ['assignee = whoever()', "Unable to find JQL function 'whoever()'."],
    ['status = currentUser()', "The function 'currentUser' is not supported by the 'status' field."],
    ['project = TWIN ORDER BY nonsense', "Not able to sort using field 'nonsense'."],
  ])('%s is refused', async (jql, message) => {
    await expect(search(jql)).rejects.toThrow(message);
  });
});
