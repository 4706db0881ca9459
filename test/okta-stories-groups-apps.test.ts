/**
 * End-to-end user stories for the Okta twin's Groups and Applications APIs and OAuth 2.0, written from Okta's developer
 * docs and driven through the official @okta/okta-sdk-nodejs client. Sources:
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml and oauth-minimal.yaml
 *  - [sdk] node_modules/@okta/okta-sdk-nodejs README.md and src/
 *  - [o4o] developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/ (OAuth for Okta with a service app)
 */
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { expect, test } from 'vitest';
import { collect, describeOkta, person, sdkError, TEST_CLOCK, type OktaTarget } from './support/okta.js';
import { basic, postForm, privateKeyServiceApp } from './support/okta-oauth.js';

const EVERYONE = '00geveryonetwin00001';
const PASSWORD = 'Tr0ub4dor-Horse9';
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function newUser(t: OktaTarget, first: string, last: string, extra: Record<string, unknown> = {}) {
  return t.client.userApi.createUser({ body: { profile: person(`${first} ${last}`), credentials: { password: { value: PASSWORD } }, ...extra } });
}

describeOkta('Story: a team lead manages a group', (t) => {
  test('create, find (q, filter, search), rename, add and remove a member, then delete the group', async () => {
    const group = await t.client.groupApi.createGroup({ group: { profile: { name: 'Platform', description: 'Platform team' } } });
    expect(group).toMatchObject({ type: 'OKTA_GROUP', objectClass: ['okta:user_group'], profile: { name: 'Platform', description: 'Platform team' } });
    expect(group.created?.toISOString()).toBe(TEST_CLOCK);

    // [spec listGroups]: q matches the name; filter takes type; search takes profile properties with sw/eq/co.
    expect((await collect(await t.client.groupApi.listGroups({ q: 'Plat' }))).map((g) => g.id)).toEqual([group.id]);
    const oktaGroups = await collect(await t.client.groupApi.listGroups({ filter: 'type eq "OKTA_GROUP"' }));
    expect(oktaGroups.map((g) => g.id)).toEqual([group.id]);
    const builtIn = await collect(await t.client.groupApi.listGroups({ filter: 'type eq "BUILT_IN"' }));
    expect(builtIn.map((g) => g.profile?.name)).toContain('Everyone');
    expect(builtIn.every((g) => g.type === 'BUILT_IN')).toBe(true);
    expect((await collect(await t.client.groupApi.listGroups({ search: 'profile.name sw "Plat"' }))).map((g) => g.id)).toEqual([group.id]);
    const all = await collect(await t.client.groupApi.listGroups());
    expect(all.map((g) => g.id)).toEqual(expect.arrayContaining([EVERYONE, group.id]));

    t.twin.clock.advance(60_000);
    const renamed = await t.client.groupApi.replaceGroup({ groupId: group.id!, group: { profile: { name: 'Platform Engineering', description: 'Platform team' } } });
    expect(renamed.profile?.name).toBe('Platform Engineering');
    expect(renamed.lastUpdated?.toISOString()).toBe('2026-01-01T00:01:00.000Z');

    const member = await newUser(t, 'Mem', 'Ber');
    t.twin.clock.advance(60_000);
    await t.client.groupApi.assignUserToGroup({ groupId: group.id!, userId: member.id! });
    expect((await collect(await t.client.groupApi.listGroupUsers({ groupId: group.id! }))).map((u) => u.id)).toEqual([member.id]);
    const memberGroups = await collect(await t.client.userApi.listUserGroups({ userId: member.id! }));
    expect(memberGroups.map((g) => g.id)).toEqual(expect.arrayContaining([EVERYONE, group.id]));
    // [spec schemas.Group]: lastMembershipUpdated tracks memberships; lastUpdated tracks the profile.
    const afterAdd = await t.client.groupApi.getGroup({ groupId: group.id! });
    expect(afterAdd.lastMembershipUpdated?.toISOString()).toBe('2026-01-01T00:02:00.000Z');
    expect(afterAdd.lastUpdated?.toISOString()).toBe('2026-01-01T00:01:00.000Z');

    await t.client.groupApi.unassignUserFromGroup({ groupId: group.id!, userId: member.id! });
    expect(await collect(await t.client.groupApi.listGroupUsers({ groupId: group.id! }))).toEqual([]);

    await t.client.groupApi.deleteGroup({ groupId: group.id! });
    const gone = await sdkError(t.client.groupApi.getGroup({ groupId: group.id! }));
    expect(gone.status).toBe(404);
    expect(gone.errorCode).toBe('E0000007');
    expect(gone.errorSummary).toContain(group.id!);
    // The member stays, only the membership went.
    expect((await t.client.userApi.getUser({ userId: member.id! })).status).toBe('ACTIVE');
  });

  test('membership and delete calls answer 204 with no body; add group answers 200', async () => {
    const created = await t.fetch('/api/v1/groups', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ profile: { name: 'Raw' } }) });
    expect(created.status).toBe(200);
    const group = await created.json();
    expect(group.id).toMatch(/^00g[0-9A-Za-z]{17}$/);
    for (const field of ['created', 'lastUpdated', 'lastMembershipUpdated']) expect(group[field]).toMatch(ISO_MS);
    expect(group._links.users.href).toBe(`${t.baseUrl}/api/v1/groups/${group.id}/users`);
    expect(group._links.apps.href).toBe(`${t.baseUrl}/api/v1/groups/${group.id}/apps`);
    const user = await newUser(t, 'Raw', 'Member');
    const put = await t.fetch(`/api/v1/groups/${group.id}/users/${user.id}`, { method: 'PUT' });
    expect(put.status).toBe(204);
    expect(await put.text()).toBe('');
    const del = await t.fetch(`/api/v1/groups/${group.id}/users/${user.id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    const delGroup = await t.fetch(`/api/v1/groups/${group.id}`, { method: 'DELETE' });
    expect(delGroup.status).toBe(204);
  });
});

describeOkta('Story: an IT admin rolls out applications (README examples)', (t) => {
  test('README "Create an Application": a BASIC_AUTH app comes back ACTIVE with its settings, links and credential scheme', async () => {
    const application = {
      name: 'template_basic_auth',
      label: 'Sample Basic Auth App',
      signOnMode: 'BASIC_AUTH',
      settings: { app: { url: 'https://example.com/auth.htm', authURL: 'https://example.com/login.html' } },
    };
    const app: any = await t.client.applicationApi.createApplication({ application: application as any });
    expect(app.id).toMatch(/^0oa[0-9A-Za-z]{17}$/);
    expect(app).toMatchObject({ name: 'template_basic_auth', label: 'Sample Basic Auth App', signOnMode: 'BASIC_AUTH', status: 'ACTIVE' });
    expect(app.settings.app).toMatchObject({ url: 'https://example.com/auth.htm', authURL: 'https://example.com/login.html' });
    expect(app._links.users.href).toBe(`${t.baseUrl}/api/v1/apps/${app.id}/users`);
    expect(app._links.groups.href).toBe(`${t.baseUrl}/api/v1/apps/${app.id}/groups`);
    expect(app._links.deactivate.href).toBe(`${t.baseUrl}/api/v1/apps/${app.id}/lifecycle/deactivate`);
    // [spec examples.BasicAuthResponseEx]: a Basic Auth app's credentials use the EDIT_USERNAME_AND_PASSWORD scheme, password hidden.
    expect(app.credentials).toMatchObject({ scheme: 'EDIT_USERNAME_AND_PASSWORD', revealPassword: false });
  });

  test('README "Assign a User / a Group to an Application": app users carry scope USER or GROUP', async () => {
    const app: any = await t.client.applicationApi.createApplication({
      application: { name: 'bookmark', label: 'Wiki', signOnMode: 'BOOKMARK', settings: { app: { requestIntegration: false, url: 'https://wiki.example.com' } } } as any,
    });
    const direct = await newUser(t, 'Direct', 'User');
    const appUser = await t.client.applicationApi.assignUserToApplication({ appId: app.id, appUser: { id: direct.id! } });
    expect(appUser.id).toBe(direct.id);
    expect(appUser.scope).toBe('USER');

    const group = await t.client.groupApi.createGroup({ group: { profile: { name: 'Wiki readers' } } });
    const viaGroup = await newUser(t, 'Group', 'Reader', { groupIds: [group.id!] });
    const assignment = await t.client.applicationApi.assignGroupToApplication({ appId: app.id, groupId: group.id!, applicationGroupAssignment: {} });
    expect(assignment.id).toBe(group.id);

    const users = await collect(await t.client.applicationApi.listApplicationUsers({ appId: app.id }));
    const scopes = Object.fromEntries(users.map((u: any) => [u.id, u.scope]));
    expect(scopes).toEqual({ [direct.id!]: 'USER', [viaGroup.id!]: 'GROUP' });
    const groups = await collect(await t.client.applicationApi.listApplicationGroupAssignments({ appId: app.id }));
    expect(groups.map((g) => g.id)).toEqual([group.id]);

    // [spec suspendUser]: "Suspended users can't sign in to Okta ... Their group and app assignments are retained."
    await t.client.userApi.suspendUser({ userId: viaGroup.id! });
    await t.client.userApi.suspendUser({ userId: direct.id! });
    expect((await collect(await t.client.groupApi.listGroupUsers({ groupId: group.id! }))).map((u) => u.id)).toEqual([viaGroup.id]);
    const stillAssigned = await collect(await t.client.applicationApi.listApplicationUsers({ appId: app.id }));
    expect(stillAssigned.map((u: any) => u.id).sort()).toEqual([direct.id, viaGroup.id].sort());
  });

  test('README 7.x bookmark app: listed, deactivated, then deleted; an ACTIVE app cannot be deleted', async () => {
    const app: any = await t.client.applicationApi.createApplication({
      application: { name: 'bookmark', label: 'Bookmark app', signOnMode: 'BOOKMARK', settings: { app: { requestIntegration: false, url: 'https://example.com/bookmark.htm' } } } as any,
    });
    expect(app).toMatchObject({ name: 'bookmark', signOnMode: 'BOOKMARK', status: 'ACTIVE', settings: { app: { url: 'https://example.com/bookmark.htm', requestIntegration: false } } });
    const listed = await collect(await t.client.applicationApi.listApplications());
    expect(listed.map((a) => a.id)).toContain(app.id);
    expect((await collect(await t.client.applicationApi.listApplications({ q: 'Bookmark' }))).map((a) => a.id)).toEqual([app.id]);

    // [spec deleteApplication]: "Deletes an inactive application".
    const refused = await sdkError(t.client.applicationApi.deleteApplication({ appId: app.id }));
    expect(refused.status).toBe(403);

    await t.client.applicationApi.deactivateApplication({ appId: app.id });
    const inactive: any = await t.client.applicationApi.getApplication({ appId: app.id });
    expect(inactive.status).toBe('INACTIVE');
    expect(inactive._links.activate.href).toBe(`${t.baseUrl}/api/v1/apps/${app.id}/lifecycle/activate`);
    const inactiveOnly = await collect(await t.client.applicationApi.listApplications({ filter: 'status eq "INACTIVE"' }));
    expect(inactiveOnly.map((a) => a.id)).toEqual([app.id]);

    await t.client.applicationApi.deleteApplication({ appId: app.id });
    const gone = await sdkError(t.client.applicationApi.getApplication({ appId: app.id }));
    expect(gone.status).toBe(404);
    expect(gone.errorCode).toBe('E0000007');
  });
});

describeOkta('Story: a backend service gets tokens from the default authorization server', (t) => {
  test('an OIDC service app created through the SDK gets a client_credentials token that jose verifies against the remote JWKS', async () => {
    const app: any = await t.client.applicationApi.createApplication({
      application: {
        name: 'oidc_client',
        label: 'Nightly sync',
        signOnMode: 'OPENID_CONNECT',
        credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_basic' } },
        settings: { oauthClient: { application_type: 'service', grant_types: ['client_credentials'], response_types: ['token'], redirect_uris: [] } },
      } as any,
    });
    expect(app.id).toMatch(/^0oa[0-9A-Za-z]{17}$/);
    expect(app).toMatchObject({ name: 'oidc_client', signOnMode: 'OPENID_CONNECT', status: 'ACTIVE' });
    // For OIDC apps the app id is the OAuth client_id; the secret comes back on create.
    const clientId: string = app.credentials.oauthClient.client_id;
    const secret: string = app.credentials.oauthClient.client_secret;
    expect(clientId).toBe(app.id);
    expect(secret).toEqual(expect.any(String));
    expect(app.credentials.oauthClient.token_endpoint_auth_method).toBe('client_secret_basic');
    expect(app.settings.oauthClient).toMatchObject({ application_type: 'service', grant_types: ['client_credentials'], response_types: ['token'] });

    const discovery = await (await fetch(`${t.baseUrl}/oauth2/default/.well-known/oauth-authorization-server`)).json();
    expect(discovery.issuer).toBe(`${t.baseUrl}/oauth2/default`);
    expect(discovery.token_endpoint).toBe(`${t.baseUrl}/oauth2/default/v1/token`);
    expect(discovery.grant_types_supported).toContain('client_credentials');

    const res = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:read' }, { authorization: basic(clientId, secret) });
    expect(res.status).toBe(200);
    const token = await res.json();
    // [oauth spec schemas.TokenResponse]: no refresh token and no ID token for client credentials.
    expect(token).toEqual({ token_type: 'Bearer', expires_in: 3600, access_token: expect.any(String), scope: 'api:read' });

    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const { payload, protectedHeader } = await jwtVerify(token.access_token, jwks, { issuer: discovery.issuer, audience: 'api://default', currentDate: t.twin.clock.now() });
    expect(protectedHeader.alg).toBe('RS256');
    expect(protectedHeader.kid).toEqual(expect.any(String));
    expect(payload).toMatchObject({ ver: 1, cid: clientId, sub: clientId, scp: ['api:read'], iss: discovery.issuer, aud: 'api://default' });
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(payload.jti).toMatch(/^AT\./);

    // A deactivated client gets no more tokens.
    await t.client.applicationApi.deactivateApplication({ appId: app.id });
    const refused = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:read' }, { authorization: basic(clientId, secret) });
    expect(refused.status).toBe(401);
    expect((await refused.json()).error).toBe('invalid_client');
  });

  test('a wrong secret is 401 invalid_client; an unknown scope is 400 invalid_scope; a missing grant_type is 400 invalid_request', async () => {
    const app: any = await t.client.applicationApi.createApplication({
      application: {
        name: 'oidc_client',
        label: 'Errors',
        signOnMode: 'OPENID_CONNECT',
        credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_basic' } },
        settings: { oauthClient: { application_type: 'service', grant_types: ['client_credentials'], response_types: ['token'] } },
      } as any,
    });
    const { client_id, client_secret } = app.credentials.oauthClient;
    const wrong = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:read' }, { authorization: basic(client_id, 'nope') });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client', error_description: expect.any(String) });
    const scope = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'no:such:scope' }, { authorization: basic(client_id, client_secret) });
    expect(scope.status).toBe(400);
    expect((await scope.json()).error).toBe('invalid_scope');
    const missing = await postForm(t, '/oauth2/default/v1/token', { scope: 'api:read' }, { authorization: basic(client_id, client_secret) });
    expect(missing.status).toBe(400);
    expect((await missing.json()).error).toBe('invalid_request');
  });
});

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
