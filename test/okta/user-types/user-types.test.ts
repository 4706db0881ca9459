/**
 * User types through userTypeApi: create, update, replace, delete. Sources:
 *  - [ut] Okta Management API, UserType tag ("The name must start with A-Z or a-z and contain only A-Z, a-z, 0-9, or
 *    underscore (_) characters. This value becomes read-only after creation"; the default type cannot be deleted; a
 *    type's `schema` link; at most 10 types)
 */
import { expect, test } from 'vitest';
import { collect, describeOkta, refused, sdkError, sendJson } from '../../support/okta.js';

describeOkta('Story: an admin adds a Contractor user type', (t) => {
  test('a new type has its own schema; users can be created with it; update and replace change the display name; delete needs no users', async () => {
    const type: any = await t.client.userTypeApi.createUserType({ userType: { name: 'contractor', displayName: 'Contractor', description: 'Temporary staff' } });
    expect(type.id).toMatch(/^oty[0-9A-Za-z]{17}$/);
    expect(type).toMatchObject({ name: 'contractor', displayName: 'Contractor', description: 'Temporary staff', _default: false, createdBy: '00uadmintwin00000001' });
    const schema = await t.client.schemaApi.getUserSchema({ schemaId: type._links.schema.href.split('/').pop() });
    expect(schema.definitions!.base!.properties).toHaveProperty('login');
    expect((await collect(await t.client.userTypeApi.listUserTypes())).map((ut: any) => ut.name)).toEqual(['user', 'contractor']);

    const user: any = await t.client.userApi.createUser({ body: { profile: { firstName: 'Cara', lastName: 'Contractor', email: 'cara@example.com', login: 'cara@example.com' }, type: { id: type.id } }, activate: false });
    expect(user.type.id).toBe(type.id);
    expect(await sdkError(t.client.userTypeApi.deleteUserType({ typeId: type.id }))).toMatchObject({ status: 400, errorCode: 'E0000001' });

    expect(await t.client.userTypeApi.updateUserType({ typeId: type.id, userType: { displayName: 'Contractor (external)' } })).toMatchObject({ name: 'contractor', displayName: 'Contractor (external)', description: 'Temporary staff' });
    expect(await t.client.userTypeApi.replaceUserType({ typeId: type.id, userType: { name: 'contractor', displayName: 'Vendor', description: 'Vendors' } })).toMatchObject({ displayName: 'Vendor', description: 'Vendors' });

    await t.client.userApi.deleteUser({ userId: user.id });
    await t.client.userApi.deleteUser({ userId: user.id });
    await t.client.userTypeApi.deleteUserType({ typeId: type.id });
    expect(await sdkError(t.client.userTypeApi.getUserType({ typeId: type.id }))).toMatchObject({ status: 404, errorSummary: `Not found: Resource not found: ${type.id} (UserType)` });
  });

  test('bad input: a name with other characters, a taken name, no displayName, a renamed type and deleting the default type are E0000001', async () => {
    const causes = async (body: Record<string, unknown>) => (await refused(await sendJson(t, '/api/v1/meta/types/user', body))).causes;
    expect(await causes({ name: '1contractor', displayName: 'C' })).toEqual(['name: The name must start with a letter and contain only letters, digits and underscores.']);
    expect(await causes({ name: 'User', displayName: 'Again' })).toEqual(['name: An object with this field already exists in the current organization']);
    expect(await causes({ name: 'partner' })).toEqual(['displayName: The field cannot be left blank']);
    const type: any = await t.client.userTypeApi.createUserType({ userType: { name: 'partner', displayName: 'Partner' } });
    expect((await sdkError(t.client.userTypeApi.replaceUserType({ typeId: type.id, userType: { name: 'renamed', displayName: 'P', description: 'p' } }))).causes).toEqual(['name: The name of a user type cannot be changed.']);
    expect((await sdkError(t.client.userTypeApi.deleteUserType({ typeId: 'default' }))).causes).toEqual(['The default user type cannot be deleted.']);
    expect((await collect(await t.client.userTypeApi.listUserTypes())).length).toBe(2);
  });
});
