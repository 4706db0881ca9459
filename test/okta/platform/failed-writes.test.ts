/**
 * A write that cannot be kept changes nothing, indexes included: the twin answers Okta's 503 and the state, and
 * everything derived from it (the login index), is as it was.
 */
import { expect, test } from 'vitest';
import { createOktaTwin } from '../../../twins/index.js';

const ORG = 'https://dev-123.okta.com';
const HEADERS = { authorization: 'SSWS twin-okta-token', accept: 'application/json', 'content-type': 'application/json' };

test('a delete whose save fails is answered 503 E0000010 and taken back: the user is found by id and by login, and its login stays taken', async () => {
  let failing = false;
  const okta = createOktaTwin({
    clock: '2026-01-01T00:00:00.000Z',
    strict: true,
    persist: {
      append: async () => {
        if (failing) throw new Error('disk full');
      },
      replace: async () => undefined,
    },
  });
  const call = (method: string, path: string, body?: unknown) => okta.handle({ method, url: ORG + path, headers: HEADERS, body: body === undefined ? undefined : JSON.stringify(body) });
  const profile = { firstName: 'Dup', lastName: 'Licate', email: 'dup@example.com', login: 'dup@example.com' };
  const created = JSON.parse((await call('POST', '/api/v1/users?activate=false', { profile })).body!);
  expect((await call('POST', `/api/v1/users/${created.id}/lifecycle/deactivate`)).status).toBe(200);
  const before = JSON.stringify(okta.exportState().state);

  failing = true;
  const refused = await call('DELETE', `/api/v1/users/${created.id}`);
  expect(refused.status).toBe(503);
  expect(JSON.parse(refused.body!).errorCode).toBe('E0000010');
  failing = false;

  expect(JSON.stringify(okta.exportState().state)).toBe(before);
  expect((await call('GET', `/api/v1/users/${created.id}`)).status).toBe(200);
  expect((await call('GET', '/api/v1/users/dup@example.com')).status).toBe(200);
  const again = await call('POST', '/api/v1/users?activate=false', { profile });
  expect(again.status).toBe(400);
  expect(JSON.parse(again.body!).errorCauses[0].errorSummary).toMatch(/login: An object with this field already exists/);
});
