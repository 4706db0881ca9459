/**
 * Credentials and the engine's refusals in Jira's envelope: Basic auth with the seeded email and API token, Jira's
 * 401 for anything else (Bearer tokens included), and Jira's statuses for unknown paths, wrong methods, malformed
 * bodies, wrong content types and schema violations. None of them is ever a 500.
 */
import { Version3Client } from 'jira.js';
import { expect, test } from 'vitest';
import { clientError, describeJira, refused, sendJson } from '../support/jira.js';

const NOT_AUTHENTICATED = ['Client must be authenticated to access this resource.'];

describeJira('authentication', (t) => {
  test('a wrong API token, an unknown email, no credentials and a Bearer token all get Jira\'s 401', async () => {
    const basic = (pair: string) => `Basic ${Buffer.from(pair).toString('base64')}`;
    for (const authorization of [basic('admin@twin.test:wrong'), basic('nobody@twin.test:twin-jira-token'), 'Bearer twin-jira-token', 'Basic %%%']) {
      expect((await refused(await t.fetch('/rest/api/3/myself', { headers: { authorization } }), 401)).errorMessages).toEqual(NOT_AUTHENTICATED);
    }
    const anonymous = await fetch(`${t.baseUrl}/rest/api/3/myself`);
    expect((await refused(anonymous, 401)).errorMessages).toEqual(NOT_AUTHENTICATED);
  });

  test('the email is matched whatever its case; jira.js with a wrong token gets an HttpException 401', async () => {
    const upper = `Basic ${Buffer.from('ADMIN@twin.test:twin-jira-token').toString('base64')}`;
    expect((await t.fetch('/rest/api/3/myself', { headers: { authorization: upper } })).status).toBe(200);
    const wrong = new Version3Client({ host: t.baseUrl, authentication: { basic: { email: 'admin@twin.test', apiToken: 'nope' } } });
    expect(await clientError(wrong.myself.getCurrentUser())).toMatchObject({ status: 401, body: { errorMessages: NOT_AUTHENTICATED, errors: {} } });
  });
});

describeJira('refusals', (t) => {
  test('an unknown path is 404 naming it; a wrong method is 405 with Allow', async () => {
    expect((await refused(await t.fetch('/rest/api/3/nothing/here'), 404)).errorMessages[0]).toContain('/rest/api/3/nothing/here');
    const res = await t.fetch('/rest/api/3/issue/TWIN-1', { method: 'PATCH' });
    expect(res.headers.get('allow')).toBe('GET, PUT, DELETE, HEAD');
    expect((await refused(res, 405)).errorMessages[0]).toContain('PATCH');
  });

  test('malformed JSON is 400, another content type 415, a schema violation 400 naming the field', async () => {
    const broken = await t.fetch('/rest/api/3/issue', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"fields":' });
    expect((await refused(broken, 400)).errorMessages).toEqual(['The request body is not well-formed JSON.']);
    const xml = await t.fetch('/rest/api/3/issue', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<issue/>' });
    await refused(xml, 415);
    expect((await refused(await sendJson(t, '/rest/api/3/issue', { fields: 'summary' }))).errors).toEqual({ fields: 'fields must be object' });
    expect((await refused(await t.fetch('/rest/agile/1.0/board/abc'))).errorMessages).toEqual(["The path parameter 'boardId' must be integer."]);
    expect((await refused(await t.fetch('/rest/api/3/search/jql?jql=project%3DTWIN&maxResults=many'))).errorMessages).toEqual(["The query parameter 'maxResults' must be integer."]);
  });

  test('names every object has (__proto__, constructor, toString) are unknown like any other name, never a 500', async () => {
    await sendJson(t, '/rest/api/3/issue', { fields: { project: { key: 'TWIN' }, issuetype: { name: 'Task' }, summary: 'x' } });
    for (const name of ['__proto__', 'constructor', 'toString']) {
      expect((await t.fetch(`/rest/api/3/issue/${name}`)).status).toBe(404);
      expect((await t.fetch(`/rest/api/3/project/${name}`)).status).toBe(404);
      expect((await t.fetch(`/rest/api/3/issueLink/${name}`)).status).toBe(404);
      expect((await t.fetch(`/rest/api/3/user?accountId=${name}`)).status).toBe(404);
      expect((await t.fetch(`/rest/api/3/issue/TWIN-1/comment/${name}`)).status).toBe(404);
      for (const jql of [`${name} = 1`, `key = ${name}`, `project = ${name}`, `assignee = ${name}()`, `project = TWIN ORDER BY ${name}`]) {
        expect((await sendJson(t, '/rest/api/3/search/jql', { jql })).status).toBe(400);
      }
      const body = `{"fields":{"${name}":1},"update":{"${name}":[{"set":1}]}}`;
      const edit = await t.fetch('/rest/api/3/issue/TWIN-1', { method: 'PUT', headers: { 'content-type': 'application/json' }, body });
      expect((await refused(edit)).errors).toEqual({ [name]: `Field '${name}' cannot be set in both 'fields' and 'update'.` });
      const create = await t.fetch('/rest/api/3/issue', { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"fields":{"project":{"key":"TWIN"},"issuetype":{"name":"Task"},"summary":"x","${name}":1}}` });
      expect(Object.keys((await refused(create)).errors)).toEqual([name]);
    }
  });

  test('a body without a required part is refused by the document, never a 500', async () => {
    for (const [path, body] of [
      ['/rest/api/3/issue/bulk', {}],
      ['/rest/api/3/issueLink', { type: { name: 'Blocks' } }],
      ['/rest/api/3/project', {}],
      ['/rest/agile/1.0/sprint', {}],
    ] as const) {
      expect((await sendJson(t, path, body)).status).toBe(400);
    }
    expect((await sendJson(t, '/rest/api/3/issue/TWIN-1/assignee', undefined, 'PUT')).status).toBe(400);
  });
});
