import { expect, test } from 'vitest';
import { clientError, describeGdocs, newDocument } from '../../support/gdocs.js';

describeGdocs('another user: what sharing lets them do, and 403 PERMISSION_DENIED for the rest', (t) => {
  test('a reader opens the shared document and finds it in Drive, but cannot edit, rename or delete it', async () => {
    t.twin.state.users['bob@twin.test'] = { displayName: 'Bob', emailAddress: 'bob@twin.test', permissionId: '11111111111111111111' };
    t.twin.state.tokens.push({ token: 'bob-token', email: 'bob@twin.test' });
    const id = await newDocument(t, 'For Bob', 'Read me');
    const bob = t.makeClients({ token: 'bob-token' });
    expect((await clientError(bob.docs.documents.get({ documentId: id }))).status).toBe(404);
    await t.drive.permissions.create({ fileId: id, requestBody: { type: 'user', role: 'reader', emailAddress: 'bob@twin.test' } });
    expect((await bob.docs.documents.get({ documentId: id })).data.title).toBe('For Bob');
    expect((await bob.drive.files.list({ fields: 'files(name,ownedByMe,capabilities/canEdit)' })).data.files).toEqual([{ name: 'For Bob', ownedByMe: false, capabilities: { canEdit: false } }]);
    const edit = await clientError(bob.docs.documents.batchUpdate({ documentId: id, requestBody: { requests: [{ insertText: { location: { index: 1 }, text: 'x' } }] } }));
    expect(edit).toMatchObject({ status: 403, error: { code: 403, status: 'PERMISSION_DENIED', message: 'The caller does not have permission' } });
    const rename = await clientError(bob.drive.files.update({ fileId: id, requestBody: { name: 'Mine now' } }));
    expect(rename).toMatchObject({ status: 403, error: { errors: [{ reason: 'insufficientFilePermissions' }] } });
    expect((await clientError(bob.drive.files.delete({ fileId: id }))).status).toBe(403);
  });
});
