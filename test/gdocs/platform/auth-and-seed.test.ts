import { expect, test } from 'vitest';
import { clientError, describeGdocs, refused, TOKEN } from '../../support/gdocs.js';

const INVALID = 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

describeGdocs('default seed and credentials', (t) => {
  test('the seed has no documents and one user, admin@twin.test, whose token is twin-google-token', async () => {
    expect((await t.drive.files.list()).data.files).toEqual([]);
    expect(t.twin.state.tokens).toEqual([{ token: TOKEN, email: 'admin@twin.test' }]);
    const id = (await t.docs.documents.create({ requestBody: { title: 'Mine' } })).data.documentId!;
    expect((await t.drive.files.get({ fileId: id, fields: 'owners(emailAddress,displayName)' })).data.owners).toEqual([{ emailAddress: 'admin@twin.test', displayName: 'Twin Admin' }]);
  });

  test('any other token is Google\'s 401 UNAUTHENTICATED with a Bearer challenge, through the official clients', async () => {
    const other = t.makeClients({ token: 'ya29.not-the-twins' });
    for (const call of [other.docs.documents.create({ requestBody: { title: 'x' } }), other.drive.files.list()]) {
      const { status, error, headers } = await clientError(call);
      expect(status).toBe(401);
      expect(error).toEqual({ code: 401, message: INVALID, errors: [{ message: INVALID, domain: 'global', reason: 'authError', location: 'Authorization', locationType: 'header' }], status: 'UNAUTHENTICATED' });
      expect(headers['www-authenticate']).toBe('Bearer realm="https://accounts.google.com/", error="invalid_token"');
    }
  });

  test('no credentials at all is 401 with Google\'s "missing" message; the access_token query parameter is accepted', async () => {
    const error = await refused(await t.fetch('/drive/v3/files', { headers: { authorization: '' } }), 401);
    expect(error.message).toMatch(/^Request is missing required authentication credential\./);
    expect(error.errors[0]).toMatchObject({ reason: 'required', location: 'Authorization' });
    const res = await fetch(`${t.baseUrl}/drive/v3/files?access_token=${TOKEN}`);
    expect(res.status).toBe(200);
  });

  test('paths and methods that are not Google\'s are 404 NOT_FOUND in the envelope', async () => {
    expect(await refused(await t.fetch('/v2/documents'), 404)).toMatchObject({ code: 404, status: 'NOT_FOUND', message: 'The requested URL /v2/documents was not found on this server.' });
    expect((await refused(await t.fetch('/drive/v3/files', { method: 'PUT' }), 404)).message).toBe('Method not found: PUT /drive/v3/files.');
  });

  test('a body that breaks the schema is 400 INVALID_ARGUMENT naming the field', async () => {
    const res = await t.fetch('/v1/documents', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 7 }) });
    expect(await refused(res, 400)).toMatchObject({ status: 'INVALID_ARGUMENT', message: "Invalid value at 'title': must be string", errors: [{ reason: 'invalid', location: 'title' }] });
    const broken = await t.fetch('/v1/documents', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":' });
    expect((await refused(broken, 400)).message).toMatch(/^Invalid JSON payload received\./);
  });
});
