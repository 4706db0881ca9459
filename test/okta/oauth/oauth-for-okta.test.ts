/**
 * OAuth for Okta with a service app, driven through the official SDK in PrivateKey mode. Sources:
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml and oauth-minimal.yaml
 *  - [sdk] node_modules/@okta/okta-sdk-nodejs README.md and src/
 *  - [o4o] developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/ (OAuth for Okta with a service app)
 */
import { expect, test } from 'vitest';
import { privateKeyServiceApp } from '../../support/okta-oauth.js';
import { collect, describeOkta } from '../../support/okta.js';

describeOkta('Story: OAuth for Okta with a service app (the SDK PrivateKey mode)', (t) => {
  test('the org server refuses an Okta scope that was never granted to the service app (invalid_scope)', async () => {
    // [o4o] "When a request is sent to the Okta Org Authorization Server's /token endpoint, it validates all of the requested
    // scopes in the request against the service app's grants collection. The scope is granted if the scope exists in the
    // service app's grants collection." (developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/create-serviceapp-grantscopes/)
    const { token } = await privateKeyServiceApp(t, 'Provisioning bot');
    const res = await token('okta.users.read');
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('invalid_scope');
  });

  test('the guide end to end: grant okta.users.read/manage (201 grants), assign an admin role, then the SDK in PrivateKey mode manages users', async () => {
    const { app, clientId, sdk } = await privateKeyServiceApp(t, 'Provisioning bot');
    // [spec grantConsentToScope] POST /api/v1/apps/{appId}/grants answers 201 with the grant.
    for (const scopeId of ['okta.users.read', 'okta.users.manage']) {
      const grant: any = await t.client.applicationApi.grantConsentToScope({ appId: app.id, oAuth2ScopeConsentGrant: { issuer: t.baseUrl, scopeId } as any });
      expect(grant).toMatchObject({ scopeId, issuer: t.baseUrl, status: 'ACTIVE' });
    }
    const grants = await collect(await t.client.applicationApi.listScopeConsentGrants({ appId: app.id }));
    expect(grants.map((g: any) => g.scopeId).sort()).toEqual(['okta.users.manage', 'okta.users.read']);
    // [o4o] "Assign admin roles to your service app" (spec assignRoleToClient: POST /oauth2/v1/clients/{clientId}/roles, 200).
    const role: any = await t.client.roleAssignmentApi.assignRoleToClient({ clientId, assignRoleRequest: { type: 'USER_ADMIN' } as any });
    expect(role).toMatchObject({ type: 'USER_ADMIN', status: 'ACTIVE', assignmentType: 'CLIENT' });

    const bot = sdk(['okta.users.read', 'okta.users.manage']);
    const hired = await bot.userApi.createUser({ body: { profile: { firstName: 'Bot', lastName: 'Hire', email: 'bot.hire@example.com', login: 'bot.hire@example.com' } }, activate: false });
    expect(hired.status).toBe('STAGED');
    const users = await collect(await bot.userApi.listUsers({ filter: 'profile.login eq "bot.hire@example.com"' }));
    expect(users.map((u) => u.id)).toEqual([hired.id]);
  });
});
