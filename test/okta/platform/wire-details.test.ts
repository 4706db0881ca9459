/**
 * Wire details of the Management API: content types, empty 204 bodies, Link headers, unsupported methods, charsets.
 * Source: [errors] developer.okta.com/docs/reference/error-codes/ (E0000022 405 "The endpoint does not support the
 * provided HTTP method").
 */
import { expect, test } from 'vitest';
import { describeOkta, type OktaTarget } from '../../support/okta.js';

const PASSWORD = 'Plenty-0f-Entropy';

function create(t: OktaTarget, profile: Record<string, any>, activate = true) {
  return t.client.userApi.createUser({ body: { profile: profile as any, credentials: { password: { value: PASSWORD } } }, activate });
}

describeOkta('Wire details', (t) => {
  test('JSON answers say application/json; 204 answers have no body; lists carry a Link header', async () => {
    const user = await create(t, { firstName: 'Wire', lastName: 'Check', email: 'wire@example.com', login: 'wire@example.com' });
    const one = await t.fetch(`/api/v1/users/${user.id}`);
    expect(one.headers.get('content-type')).toMatch(/^application\/json/);
    const list = await t.fetch('/api/v1/users');
    expect(list.headers.get('content-type')).toMatch(/^application\/json/);
    expect(list.headers.get('link')).toMatch(/^<[^>]+>; rel="self"/);
    const group = await t.client.groupApi.createGroup({ group: { profile: { name: 'Wire group' } } });
    const put = await t.fetch(`/api/v1/groups/${group.id}/users/${user.id}`, { method: 'PUT' });
    expect(put.status).toBe(204);
    expect(await put.text()).toBe('');
    const missing = await t.fetch('/api/v1/users/00unotthere000000000');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Object.keys(await missing.json()).sort()).toEqual(['errorCauses', 'errorCode', 'errorId', 'errorLink', 'errorSummary']);
  });

  test('a method an endpoint does not support is 405 E0000022', async () => {
    for (const [method, path] of [['DELETE', '/api/v1/users'], ['PATCH', '/api/v1/users/me'], ['DELETE', '/api/v1/groups']] as const) {
      const res = await t.fetch(path, { method });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 405 });
      expect(await res.json()).toMatchObject({ errorCode: 'E0000022', errorSummary: 'The endpoint does not support the provided HTTP method' });
    }
  });

  test("a body over the twin's 10 MiB limit is refused with 413 E0000003 while the client is still sending it, and nothing is stored", async () => {
    const before = (await t.fetch('/api/v1/groups').then((res) => res.json())) as unknown[];
    const body = JSON.stringify({ profile: { name: 'x'.repeat(11 * 1024 * 1024) } });
    const res = await t.fetch('/api/v1/groups', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ errorCode: 'E0000003' });
    expect(await t.fetch('/api/v1/groups').then((res) => res.json())).toHaveLength(before.length);
  });

  test('a JSON body with a charset parameter is accepted', async () => {
    const res = await t.fetch('/api/v1/groups', { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ profile: { name: 'Charset' } }) });
    expect(res.status).toBe(200);
  });
});
