/**
 * Linked objects: definitions through linkedObjectApi and values through userApi. Sources:
 *  - [lo] Okta Management API, LinkedObject tag (a definition is read and deleted by either relationship name; its
 *    self link names the primary) and UserLinkedObject tag (setLinkedObjectForUser: an associated user has one primary
 *    user per relationship; listLinkedObjectsForUser: links to the related users)
 */
import { expect, test } from 'vitest';
import { collect, describeOkta, people, refused, sdkError, sendJson } from '../../support/okta.js';

const MANAGER = {
  primary: { name: 'manager', title: 'Manager', description: 'Manager of the user', type: 'USER' },
  associated: { name: 'subordinate', title: 'Subordinate', description: 'Reports of the user', type: 'USER' },
};

describeOkta('Story: HR records who manages whom', (t) => {
  test('a manager relationship: define it, link two reports to a manager, read both directions, unlink, delete the definition', async () => {
    const created: any = await t.client.linkedObjectApi.createLinkedObjectDefinition({ linkedObject: MANAGER as any });
    expect(created).toMatchObject(MANAGER);
    expect(created._links.self.href).toBe(`${t.baseUrl}/api/v1/meta/schemas/user/linkedObjects/manager`);
    expect(await t.client.linkedObjectApi.getLinkedObjectDefinition({ linkedObjectName: 'subordinate' })).toMatchObject({ primary: { name: 'manager' } });
    expect((await collect(await t.client.linkedObjectApi.listLinkedObjectDefinitions())).length).toBe(1);

    const [boss, ann, bob] = await people(t, 3);
    for (const report of [ann, bob]) await t.client.userApi.setLinkedObjectForUser({ associatedUserId: report.id, primaryRelationshipName: 'manager', primaryUserId: boss.id });
    const hrefs = (links: any[]) => links.map((l) => l._links.self.href);
    expect(hrefs(await collect(await t.client.userApi.listLinkedObjectsForUser({ userId: ann.id, relationshipName: 'manager' })))).toEqual([`${t.baseUrl}/api/v1/users/${boss.id}`]);
    expect(hrefs(await collect(await t.client.userApi.listLinkedObjectsForUser({ userId: boss.id, relationshipName: 'subordinate' })))).toEqual([
      `${t.baseUrl}/api/v1/users/${ann.id}`,
      `${t.baseUrl}/api/v1/users/${bob.id}`,
    ]);

    // One primary per relationship: linking Bob to Ann moves him.
    await t.client.userApi.setLinkedObjectForUser({ associatedUserId: bob.id, primaryRelationshipName: 'manager', primaryUserId: ann.id });
    expect(hrefs(await collect(await t.client.userApi.listLinkedObjectsForUser({ userId: boss.id, relationshipName: 'subordinate' })))).toEqual([`${t.baseUrl}/api/v1/users/${ann.id}`]);
    await t.client.userApi.deleteLinkedObjectForUser({ userId: ann.id, relationshipName: 'manager' });
    expect(await collect(await t.client.userApi.listLinkedObjectsForUser({ userId: ann.id, relationshipName: 'manager' }))).toEqual([]);

    await t.client.linkedObjectApi.deleteLinkedObjectDefinition({ linkedObjectName: 'subordinate' });
    expect(await sdkError(t.client.linkedObjectApi.getLinkedObjectDefinition({ linkedObjectName: 'manager' }))).toMatchObject({ status: 404, errorSummary: 'Not found: Resource not found: manager (LinkedObject)' });
    expect((await sdkError(collect(await t.client.userApi.listLinkedObjectsForUser({ userId: ann.id, relationshipName: 'manager' })))).status).toBe(404);
  });

  test('bad input: missing sides, bad names, names in use and the same name twice are E0000001; unknown users are E0000007', async () => {
    await t.client.linkedObjectApi.createLinkedObjectDefinition({ linkedObject: MANAGER as any });
    const causes = async (body: Record<string, unknown>) => (await refused(await sendJson(t, '/api/v1/meta/schemas/user/linkedObjects', body))).causes;
    expect(await causes({ primary: MANAGER.primary })).toEqual(['associated: The field cannot be left blank']);
    expect(await causes({ primary: { ...MANAGER.primary, name: '9lives' }, associated: { ...MANAGER.associated, name: 'x', type: 'GROUP' } })).toEqual([
      'primary.name: The name must start with a letter and contain only letters, digits and underscores.',
      'associated.type: Must be USER.',
    ]);
    expect(await causes({ primary: { ...MANAGER.primary, name: 'mentor' }, associated: { ...MANAGER.associated, name: 'mentor' } })).toEqual(['associated.name: The primary and associated names must differ.']);
    expect(await causes(MANAGER)).toEqual([
      'primary.name: An object with this field already exists in the current organization',
      'associated.name: An object with this field already exists in the current organization',
    ]);
    const [user] = await people(t, 1);
    expect((await sdkError(t.client.userApi.setLinkedObjectForUser({ associatedUserId: user.id, primaryRelationshipName: 'manager', primaryUserId: '00unope' }))).status).toBe(404);
    expect((await sdkError(t.client.userApi.setLinkedObjectForUser({ associatedUserId: user.id, primaryRelationshipName: 'nosuch', primaryUserId: user.id }))).status).toBe(404);
  });
});
