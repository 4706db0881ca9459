import { decodeJwt } from 'jose';
import { expect, test } from 'vitest';
import { collect, describeOkta, sendJson, stateOf, type OktaTarget } from '../../support/okta.js';
import { postForm, privateKeyServiceApp } from '../../support/okta-oauth.js';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const EVERYONE = '00geveryonetwin00001';
const ADMIN = '00uadmintwin00000001';
const PASSWORD = 'Correct-Horse-42';

function grant(t: OktaTarget, appId: string, scopeId: string) {
  return t.client.applicationApi.grantConsentToScope({ appId, oAuth2ScopeConsentGrant: { issuer: t.baseUrl, scopeId } as any });
}

function assignRole(t: OktaTarget, clientId: string, type: string) {
  return t.client.roleAssignmentApi.assignRoleToClient({ clientId, assignRoleRequest: { type } as any });
}

async function bearer(t: OktaTarget, path: string, accessToken: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  return t.fetch(path, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${accessToken}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
}

describeOkta('Okta API scope grants of an app', (t) => {
  test('granting a scope answers 201 with the grant; it lists, reads with expand=scope, and revokes with 204', async () => {
    const { app, clientId } = await privateKeyServiceApp(t, 'Directory sync');
    const created = await sendJson(t, `/api/v1/apps/${app.id}/grants`, { issuer: t.baseUrl, scopeId: 'okta.users.read' });
    expect(created.status).toBe(201);
    const granted = await created.json();
    expect(granted).toEqual({
      id: expect.stringMatching(/^oag[0-9A-Za-z]{17}$/),
      status: 'ACTIVE',
      created: expect.stringMatching(ISO_MS),
      createdBy: { id: ADMIN, type: 'User' },
      lastUpdated: expect.stringMatching(ISO_MS),
      issuer: t.baseUrl,
      clientId,
      scopeId: 'okta.users.read',
      source: 'ADMIN',
      _embedded: { scope: { id: 'okta.users.read' } },
      _links: {
        app: { href: `${t.baseUrl}/api/v1/apps/${app.id}`, title: 'Directory sync' },
        self: { href: `${t.baseUrl}/api/v1/apps/${app.id}/grants/${granted.id}`, hints: { allow: ['GET', 'DELETE'] } },
        client: { href: `${t.baseUrl}/oauth2/v1/clients/${clientId}`, title: 'Directory sync' },
      },
    });

    const second: any = await grant(t, app.id, 'okta.groups.manage');
    const listed = await collect(await t.client.applicationApi.listScopeConsentGrants({ appId: app.id }));
    expect(listed.map((g: any) => [g.id, g.scopeId])).toEqual([[granted.id, 'okta.users.read'], [second.id, 'okta.groups.manage']]);
    const plain = await (await t.fetch(`/api/v1/apps/${app.id}/grants/${granted.id}`)).json();
    expect(plain._embedded).toBeUndefined();
    const expanded: any = await t.client.applicationApi.getScopeConsentGrant({ appId: app.id, grantId: granted.id, expand: 'scope' });
    expect(expanded).toMatchObject({ id: granted.id, scopeId: 'okta.users.read', _embedded: { scope: { id: 'okta.users.read' } } });

    const revoked = await t.fetch(`/api/v1/apps/${app.id}/grants/${granted.id}`, { method: 'DELETE' });
    expect(revoked.status).toBe(204);
    expect(await revoked.text()).toBe('');
    const gone = await t.fetch(`/api/v1/apps/${app.id}/grants/${granted.id}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${granted.id} (OAuth2ScopeConsentGrant)` });
    expect((await collect(await t.client.applicationApi.listScopeConsentGrants({ appId: app.id }))).map((g: any) => g.scopeId)).toEqual(['okta.groups.manage']);
  });

  test('an unknown app is 404 E0000007 on every grants operation', async () => {
    const missing = '0oanosuchapp00000001';
    const responses = [
      await t.fetch(`/api/v1/apps/${missing}/grants`),
      await sendJson(t, `/api/v1/apps/${missing}/grants`, { issuer: t.baseUrl, scopeId: 'okta.users.read' }),
      await t.fetch(`/api/v1/apps/${missing}/grants/oagnosuchgrant0000001`),
      await t.fetch(`/api/v1/apps/${missing}/grants/oagnosuchgrant0000001`, { method: 'DELETE' }),
    ];
    for (const res of responses) {
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${missing} (AppInstance)` });
    }
    const { app } = await privateKeyServiceApp(t, 'Directory sync');
    const unknownGrant = await t.fetch(`/api/v1/apps/${app.id}/grants/oagnosuchgrant0000001`, { method: 'DELETE' });
    expect(unknownGrant.status).toBe(404);
    expect((await unknownGrant.json()).errorCode).toBe('E0000007');
  });

  test('a grant needs the org issuer and an Okta API scope, once; anything else is 400 E0000001', async () => {
    const { app } = await privateKeyServiceApp(t, 'Directory sync');
    const cases: [unknown, string][] = [
      [{ issuer: `${t.baseUrl}/oauth2/default`, scopeId: 'okta.users.read' }, 'issuer'],
      [{ issuer: 'https://elsewhere.example.com', scopeId: 'okta.users.read' }, 'issuer'],
      [{ issuer: t.baseUrl, scopeId: 'okta.nothing.read' }, 'scopeId'],
      [{ issuer: t.baseUrl, scopeId: 'openid' }, 'scopeId'],
      [{ issuer: t.baseUrl }, 'scopeId'],
      [{ scopeId: 'okta.users.read' }, 'issuer'],
    ];
    for (const [body, field] of cases) {
      const res = await sendJson(t, `/api/v1/apps/${app.id}/grants`, body);
      expect(res.status).toBe(400);
      const error = await res.json();
      expect(error).toMatchObject({ errorCode: 'E0000001', errorSummary: expect.stringContaining('Api validation failed') });
      expect(error.errorCauses.map((c: any) => c.errorSummary).join(' ')).toContain(field);
    }
    await grant(t, app.id, 'okta.users.read');
    const again = await sendJson(t, `/api/v1/apps/${app.id}/grants`, { issuer: `${t.baseUrl}/`, scopeId: 'okta.users.read' });
    expect(again.status).toBe(400);
    expect((await again.json()).errorCode).toBe('E0000001');
    expect(await collect(await t.client.applicationApi.listScopeConsentGrants({ appId: app.id }))).toHaveLength(1);
  });

  test('the org server issues an Okta API scope only while it is granted, and names the scopes it refuses', async () => {
    const { app, token } = await privateKeyServiceApp(t, 'Directory sync');
    const refused = await token('okta.users.read okta.groups.read');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'invalid_scope', error_description: 'The following scopes are not allowed for this request: [okta.users.read, okta.groups.read].' });

    const users: any = await grant(t, app.id, 'okta.users.read');
    const partly = await token('okta.users.read okta.groups.read');
    expect(await partly.json()).toEqual({ error: 'invalid_scope', error_description: 'The following scopes are not allowed for this request: [okta.groups.read].' });
    const ok = await token('okta.users.read');
    expect(ok.status).toBe(200);
    expect(decodeJwt((await ok.json()).access_token).scp).toEqual(['okta.users.read']);

    await t.client.applicationApi.revokeScopeConsentGrant({ appId: app.id, grantId: users.id });
    expect((await token('okta.users.read')).status).toBe(400);
  });

  test('a user flow on the org server also needs the Okta API scope granted to the app', async () => {
    const app: any = await t.client.applicationApi.createApplication({
      application: {
        name: 'oidc_client',
        label: 'Admin console',
        signOnMode: 'OPENID_CONNECT',
        credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_post' } },
        settings: { oauthClient: { application_type: 'web', grant_types: ['authorization_code', 'password'], redirect_uris: ['https://admin.example.com/cb'] } },
      } as any,
    });
    const user = await t.client.userApi.createUser({ body: { profile: { firstName: 'Ida', lastName: 'Admin', email: 'ida@example.com', login: 'ida@example.com' }, credentials: { password: { value: PASSWORD } } } });
    await t.client.applicationApi.assignUserToApplication({ appId: app.id, appUser: { id: user.id! } });
    const { client_id, client_secret } = app.credentials.oauthClient;
    const password = () => postForm(t, '/oauth2/v1/token', { grant_type: 'password', username: 'ida@example.com', password: PASSWORD, scope: 'openid okta.users.read', client_id, client_secret });

    const refused = await password();
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'invalid_scope', error_description: 'The following scopes are not allowed for this request: [okta.users.read].' });
    const authorize = await fetch(`${t.baseUrl}/oauth2/v1/authorize?${new URLSearchParams({ client_id, response_type: 'code', scope: 'openid okta.users.read', redirect_uri: 'https://admin.example.com/cb', state: 's1', login_hint: 'ida@example.com' })}`, { redirect: 'manual' });
    const location = new URL(authorize.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_scope');

    await grant(t, app.id, 'okta.users.read');
    const tokens = await (await password()).json();
    expect(tokens.scope).toBe('openid okta.users.read');
    // A user's token acts as that user: no client role is needed.
    expect((await bearer(t, `/api/v1/users/${user.id}`, tokens.access_token)).status).toBe(200);
  });

  test('deleting an app drops its grants and its client roles', async () => {
    const { app, clientId } = await privateKeyServiceApp(t, 'Directory sync');
    await grant(t, app.id, 'okta.users.read');
    await assignRole(t, clientId, 'READ_ONLY_ADMIN');
    await t.client.applicationApi.deactivateApplication({ appId: app.id });
    await t.client.applicationApi.deleteApplication({ appId: app.id });
    expect((await stateOf(t)).oauth.appGrants?.[app.id]).toBeUndefined();
    expect((await stateOf(t)).oauth.clientRoles?.[clientId]).toBeUndefined();
  });
});

describeOkta('Admin roles of an OAuth client', (t) => {
  test('assign (200), list, retrieve and unassign (204) a standard role through the SDK', async () => {
    const { clientId } = await privateKeyServiceApp(t, 'Directory sync');
    const role: any = await assignRole(t, clientId, 'SUPER_ADMIN');
    expect(role.id).toMatch(/^[A-Z2-7]{24}$/);
    expect(role).toMatchObject({ type: 'SUPER_ADMIN', label: 'Super Administrator', status: 'ACTIVE', assignmentType: 'CLIENT' });
    expect(role.created.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    const raw = await (await t.fetch(`/oauth2/v1/clients/${clientId}/roles/${role.id}`)).json();
    expect(raw._links).toEqual({ assignee: { href: `${t.baseUrl}/oauth2/v1/clients/${clientId}/roles` } });

    const help: any = await assignRole(t, clientId, 'HELP_DESK_ADMIN');
    const listed = await collect(await t.client.roleAssignmentApi.listRolesForClient({ clientId }));
    expect(listed.map((r: any) => r.type)).toEqual(['SUPER_ADMIN', 'HELP_DESK_ADMIN']);
    const one: any = await t.client.roleAssignmentApi.retrieveClientRole({ clientId, roleAssignmentId: help.id });
    expect(one).toMatchObject({ id: help.id, label: 'Help Desk Administrator' });

    const deleted = await t.fetch(`/oauth2/v1/clients/${clientId}/roles/${help.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    const gone = await t.fetch(`/oauth2/v1/clients/${clientId}/roles/${help.id}`);
    expect(gone.status).toBe(404);
    expect((await gone.json()).errorCode).toBe('E0000007');
  });

  test('bad role requests get the Management API envelope: 404 E0000007, 400 E0000001, 409 E0000090', async () => {
    const missing = await sendJson(t, '/oauth2/v1/clients/0oanosuchclient00001/roles', { type: 'SUPER_ADMIN' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: 0oanosuchclient00001 (Client)' });
    for (const path of ['/oauth2/v1/clients/0oanosuchclient00001/roles', '/oauth2/v1/clients/0oanosuchclient00001/roles/JBCUYUC7IRCVGS27IFCE2SKO']) {
      const res = await t.fetch(path);
      expect(res.status).toBe(404);
      expect((await res.json()).errorCode).toBe('E0000007');
    }

    const { clientId } = await privateKeyServiceApp(t, 'Directory sync');
    for (const body of [{}, [], { type: null }, { type: 'NOT_A_ROLE' }, { type: 42 }]) {
      const res = await sendJson(t, `/oauth2/v1/clients/${clientId}/roles`, body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ errorCode: 'E0000001', errorSummary: 'Api validation failed: type', errorCauses: [{ errorSummary: expect.stringContaining('type') }] });
    }
    const custom = await sendJson(t, `/oauth2/v1/clients/${clientId}/roles`, { type: 'CUSTOM', role: 'cr0nosuchrole', 'resource-set': 'iamnosuchset' });
    expect(custom.status).toBe(404);

    await assignRole(t, clientId, 'USER_ADMIN');
    const twice = await sendJson(t, `/oauth2/v1/clients/${clientId}/roles`, { type: 'USER_ADMIN' });
    expect(twice.status).toBe(409);
    expect(await twice.json()).toMatchObject({ errorCode: 'E0000090', errorId: expect.stringMatching(/^oae[A-Za-z0-9_-]{22}$/), errorCauses: [{ errorSummary: expect.any(String) }] });

    const malformed = await t.fetch(`/oauth2/v1/clients/${clientId}/roles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":' });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).errorCode).toBe('E0000003');

    const noAssignment = await t.fetch(`/oauth2/v1/clients/${clientId}/roles/JBCUYUC7IRCVGS27IFCE2SKO`, { method: 'DELETE' });
    expect(noAssignment.status).toBe(404);
    expect((await noAssignment.json()).errorCode).toBe('E0000007');
  });

  test('a service client without an admin role is refused with 403 E0000006 even with the right scope', async () => {
    const { app, clientId, token, sdk } = await privateKeyServiceApp(t, 'Directory sync');
    await grant(t, app.id, 'okta.users.read');
    const { access_token } = await (await token('okta.users.read')).json();
    const denied = await bearer(t, `/api/v1/users/${ADMIN}`, access_token);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ errorCode: 'E0000006', errorSummary: 'You do not have permission to perform the requested action' });

    await assignRole(t, clientId, 'READ_ONLY_ADMIN');
    expect((await bearer(t, `/api/v1/users/${ADMIN}`, access_token)).status).toBe(200);
    const bot = sdk(['okta.users.read']);
    expect((await bot.userApi.getUser({ userId: ADMIN })).profile?.login).toBe('admin@twin.test');
  });

  test('each role covers what its name says: a read-only admin reads, a group membership admin manages members only', async () => {
    const { app, clientId, token } = await privateKeyServiceApp(t, 'Directory sync');
    for (const scopeId of ['okta.users.manage', 'okta.groups.manage', 'okta.apps.manage']) await grant(t, app.id, scopeId);
    const { access_token } = await (await token('okta.users.manage okta.groups.manage okta.apps.manage')).json();
    const member = await t.client.userApi.createUser({ body: { profile: { firstName: 'Mo', lastName: 'Member', email: 'mo@example.com', login: 'mo@example.com' } }, activate: false });
    const group = await t.client.groupApi.createGroup({ group: { profile: { name: 'Readers' } } });
    const newUser = { profile: { firstName: 'New', lastName: 'Hire', email: 'new.hire@example.com', login: 'new.hire@example.com' } };

    const readOnly: any = await assignRole(t, clientId, 'READ_ONLY_ADMIN');
    expect((await bearer(t, '/api/v1/users', access_token)).status).toBe(200);
    expect((await bearer(t, `/api/v1/groups/${EVERYONE}`, access_token)).status).toBe(200);
    expect((await bearer(t, '/api/v1/apps', access_token)).status).toBe(200);
    expect((await bearer(t, '/api/v1/users', access_token, { method: 'POST', body: newUser })).status).toBe(403);
    expect((await bearer(t, `/api/v1/groups/${group.id}/users/${member.id}`, access_token, { method: 'PUT' })).status).toBe(403);
    await t.client.roleAssignmentApi.deleteRoleFromClient({ clientId, roleAssignmentId: readOnly.id });

    await assignRole(t, clientId, 'GROUP_MEMBERSHIP_ADMIN');
    expect((await bearer(t, `/api/v1/groups/${group.id}/users/${member.id}`, access_token, { method: 'PUT' })).status).toBe(204);
    expect((await bearer(t, '/api/v1/groups', access_token, { method: 'POST', body: { profile: { name: 'Nope' } } })).status).toBe(403);
    expect((await bearer(t, '/api/v1/users', access_token, { method: 'POST', body: newUser })).status).toBe(403);
    expect((await bearer(t, '/api/v1/apps', access_token)).status).toBe(403);

    await assignRole(t, clientId, 'USER_ADMIN');
    expect((await bearer(t, '/api/v1/users', access_token, { method: 'POST', body: newUser })).status).toBe(200);

    await assignRole(t, clientId, 'ORG_ADMIN');
    expect((await bearer(t, '/api/v1/groups', access_token, { method: 'POST', body: { profile: { name: 'Org admins may' } } })).status).toBe(200);
  });

  test('only a super admin client may grant Okta API scopes or assign roles', async () => {
    const { app, clientId, token } = await privateKeyServiceApp(t, 'Directory sync');
    for (const scopeId of ['okta.appGrants.manage', 'okta.roles.manage']) await grant(t, app.id, scopeId);
    const { access_token } = await (await token('okta.appGrants.manage okta.roles.manage')).json();
    const grantBody = { issuer: t.baseUrl, scopeId: 'okta.users.read' };

    await assignRole(t, clientId, 'ORG_ADMIN');
    expect((await bearer(t, `/api/v1/apps/${app.id}/grants`, access_token, { method: 'POST', body: grantBody })).status).toBe(403);
    expect((await bearer(t, `/oauth2/v1/clients/${clientId}/roles`, access_token, { method: 'POST', body: { type: 'SUPER_ADMIN' } })).status).toBe(403);

    await assignRole(t, clientId, 'SUPER_ADMIN');
    const granted = await bearer(t, `/api/v1/apps/${app.id}/grants`, access_token, { method: 'POST', body: grantBody });
    expect(granted.status).toBe(201);
    expect((await granted.json()).createdBy).toEqual({ id: clientId, type: 'Client' });
  });
});
