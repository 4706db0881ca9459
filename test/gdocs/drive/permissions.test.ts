import { expect, test } from 'vitest';
import { clientError, describeGdocs, newDocument } from '../../support/gdocs.js';

describeGdocs('Drive v3 permissions', (t) => {
  test('a new document has its owner\'s permission; permissions.create shares it and permissions.list shows both', async () => {
    const id = await newDocument(t, 'Shared');
    const { data: created } = await t.drive.permissions.create({ fileId: id, requestBody: { type: 'user', role: 'writer', emailAddress: 'bob@example.com' }, sendNotificationEmail: false });
    expect(created).toEqual({ kind: 'drive#permission', id: expect.stringMatching(/^\d{20}$/), type: 'user', role: 'writer' });
    const { data } = await t.drive.permissions.list({ fileId: id, fields: 'permissions(id,type,role,emailAddress)' });
    expect(data.permissions).toEqual([
      { id: '04780522167209614830', type: 'user', role: 'owner', emailAddress: 'admin@twin.test' },
      { id: created.id, type: 'user', role: 'writer', emailAddress: 'bob@example.com' },
    ]);
    expect((await t.drive.files.get({ fileId: id, fields: 'shared' })).data.shared).toBe(true);
  });

  test('sharing with anyone makes the anyoneWithLink permission; owner needs transferOwnership; a user permission needs an email', async () => {
    const id = await newDocument(t, 'Public');
    const { data } = await t.drive.permissions.create({ fileId: id, requestBody: { type: 'anyone', role: 'reader' }, fields: '*' });
    expect(data).toEqual({ kind: 'drive#permission', id: 'anyoneWithLink', type: 'anyone', role: 'reader', allowFileDiscovery: false });
    const owner = await clientError(t.drive.permissions.create({ fileId: id, requestBody: { type: 'user', role: 'owner', emailAddress: 'bob@example.com' } }));
    expect(owner).toMatchObject({ status: 403, error: { message: "The transferOwnership parameter must be enabled when the permission role is 'owner'." } });
    expect((await clientError(t.drive.permissions.create({ fileId: id, requestBody: { type: 'user', role: 'reader' } }))).status).toBe(400);
    expect((await clientError(t.drive.permissions.list({ fileId: 'missing' }))).status).toBe(404);
  });
});
