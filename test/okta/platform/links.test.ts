/**
 * The links Okta puts on a user resolve. Source:
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml
 */
import { expect, test } from 'vitest';
import { describeOkta, person, type OktaTarget } from '../../support/okta.js';

const PASSWORD = 'Tr0ub4dor-Horse9';

function activeUser(t: OktaTarget, first: string, last: string, profile: Record<string, unknown> = {}) {
  return t.client.userApi.createUser({ body: { profile: person(`${first} ${last}`, profile), credentials: { password: { value: PASSWORD } } } });
}

describeOkta('Story: a client follows the links Okta puts on a user', (t) => {
  test('the type and schema links of a user resolve (GET /api/v1/meta/types/user/{id}, /api/v1/meta/schemas/user/default)', async () => {
    const user = await activeUser(t, 'Link', 'Follower');
    const raw = await (await t.fetch(`/api/v1/users/${user.id}`)).json();
    // [spec getUserType] GET /api/v1/meta/types/user/{typeId} → 200 UserType; [spec getUserSchema] GET /api/v1/meta/schemas/user/{schemaId} → 200 UserSchema.
    const type = await t.fetch(raw._links.type.href.slice(t.baseUrl.length));
    expect(type.status).toBe(200);
    expect(await type.json()).toMatchObject({ id: raw.type.id, default: true });
    const schema = await t.fetch(raw._links.schema.href.slice(t.baseUrl.length));
    expect(schema.status).toBe(200);
    expect((await schema.json()).definitions.base.properties).toHaveProperty('login');
  });

  test('the changePassword link works: the user changes their password with the old one (SDK changePassword)', async () => {
    const user = await activeUser(t, 'Change', 'Password');
    const raw = await (await t.fetch(`/api/v1/users/${user.id}`)).json();
    expect(raw._links.changePassword.href).toBe(`${t.baseUrl}/api/v1/users/${user.id}/credentials/change_password`);
    // [spec changePassword] POST /api/v1/users/{userId}/credentials/change_password → 200 UserCredentials.
    const credentials = await t.client.userApi.changePassword({
      userId: user.id!,
      changePasswordRequest: { oldPassword: { value: PASSWORD }, newPassword: { value: 'N3w-Horse-Battery' } },
    });
    expect(credentials.password).toEqual({});
    expect(credentials.provider).toMatchObject({ type: 'OKTA', name: 'OKTA' });
  });
});
