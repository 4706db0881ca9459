/**
 * Applications API: OIDC (web, service, browser), basic-auth and bookmark apps; listing, replacing, their lifecycle and
 * assignments, and Okta's refusals; the SDK README's application examples. Sources:
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml
 *  - [sdk] node_modules/@okta/okta-sdk-nodejs README.md and src/
 */
import { expect, test } from 'vitest';
import { collect, describeOkta, person, sdkError, sendJson, TEST_CLOCK, stateOf, type OktaTarget } from '../../support/okta.js';

const SERVICE_APP = '0oatwinservice000001';
const ADMIN = '00uadmintwin00000001';

const webApp = (label = 'Sample web app') => ({
  name: 'oidc_client',
  label,
  signOnMode: 'OPENID_CONNECT',
  credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_basic' } },
  settings: {
    oauthClient: {
      redirect_uris: ['https://app.example.com/callback'],
      response_types: ['code'],
      grant_types: ['authorization_code', 'refresh_token'],
      application_type: 'web',
    },
  },
});

const bookmark = (label: string) => ({ name: 'bookmark', label, signOnMode: 'BOOKMARK', settings: { app: { url: 'https://example.com/bookmark.html' } } });

async function createApp(t: OktaTarget, application: Record<string, unknown>, activate?: boolean): Promise<any> {
  return t.client.applicationApi.createApplication({ application: application as never, ...(activate === undefined ? {} : { activate }) });
}

/** A raw JSON request's status and parsed body. */
async function postJson(t: OktaTarget, path: string, body: unknown, method = 'POST') {
  const response = await sendJson(t, path, body, method);
  return { status: response.status, body: (await response.json()) as any };
}

async function createUser(t: OktaTarget, login: string) {
  return t.client.userApi.createUser({
    body: { profile: { firstName: 'Ada', lastName: 'Lovelace', email: login, login }, credentials: { password: { value: 'Tr0ub4dor&3-horse' } } },
    activate: true,
  });
}

const PASSWORD = 'Tr0ub4dor-Horse9';

function newUser(t: OktaTarget, first: string, last: string, extra: Record<string, unknown> = {}) {
  return t.client.userApi.createUser({ body: { profile: person(`${first} ${last}`), credentials: { password: { value: PASSWORD } }, ...extra } });
}

describeOkta('Okta applications', (t) => {
  test('creating an OIDC web app returns an active OAuth client whose id is the client_id, with a generated secret', async () => {
    const app = await createApp(t, webApp());
    expect(app.id).toMatch(/^0oa[0-9A-Za-z]{17}$/);
    expect(app.status).toBe('ACTIVE');
    expect(app.name).toBe('oidc_client');
    expect(app.signOnMode).toBe('OPENID_CONNECT');
    expect(app.created.toISOString()).toBe(TEST_CLOCK);
    const client = app.credentials.oauthClient;
    expect(client.client_id).toBe(app.id);
    expect(client.client_secret).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(client.token_endpoint_auth_method).toBe('client_secret_basic');
    expect(client.autoKeyRotation).toBe(true);
    expect(app.settings.oauthClient.grant_types).toEqual(['authorization_code', 'refresh_token']);
    expect(app.settings.oauthClient.redirect_uris).toEqual(['https://app.example.com/callback']);
    expect(app._links.deactivate.href).toBe(`${t.baseUrl}/api/v1/apps/${app.id}/lifecycle/deactivate`);
    expect(app._links.users.href).toBe(`${t.baseUrl}/api/v1/apps/${app.id}/users`);

    const stored = (await stateOf(t)).apps[app.id];
    expect(stored.credentials.oauthClient.client_secret).toBe(client.client_secret);
    expect(stored.settings.oauthClient.application_type).toBe('web');
  });

  test('getting an app shows its OAuth client without the secret', async () => {
    const created = await createApp(t, webApp());
    const app: any = await t.client.applicationApi.getApplication({ appId: created.id });
    expect(app.label).toBe('Sample web app');
    expect(app.credentials.oauthClient.client_id).toBe(created.id);
    expect(app.credentials.oauthClient.client_secret).toBeUndefined();
  });

  test('the seeded service app is an OAuth client for the client credentials grant', async () => {
    const app: any = await t.client.applicationApi.getApplication({ appId: SERVICE_APP });
    expect(app.label).toBe('twinverse service app');
    expect(app.settings.oauthClient.application_type).toBe('service');
    expect(app.settings.oauthClient.grant_types).toEqual(['client_credentials']);
    expect(app.credentials.oauthClient.client_id).toBe(SERVICE_APP);
    expect((await stateOf(t)).apps[SERVICE_APP].credentials.oauthClient.client_secret).toBe('twin-okta-client-secret');
  });

  test('a service app gets client_credentials and response type token by default', async () => {
    const app = await createApp(t, { name: 'oidc_client', label: 'Backend', signOnMode: 'OPENID_CONNECT', settings: { oauthClient: { application_type: 'service' } } });
    expect(app.settings.oauthClient.grant_types).toEqual(['client_credentials']);
    expect(app.settings.oauthClient.response_types).toEqual(['token']);
    expect(app.credentials.oauthClient.client_secret).toBeDefined();
  });

  test('a service app created through the API gets tokens by client credentials until it is deactivated', async () => {
    const app = await createApp(t, { name: 'oidc_client', label: 'Worker', signOnMode: 'OPENID_CONNECT', settings: { oauthClient: { application_type: 'service', grant_types: ['client_credentials'] } } });
    const basic = Buffer.from(`${app.credentials.oauthClient.client_id}:${app.credentials.oauthClient.client_secret}`).toString('base64');
    const token = () =>
      fetch(`${t.baseUrl}/oauth2/default/v1/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&scope=api%3Aread',
      });
    const granted = await token();
    expect(granted.status).toBe(200);
    expect(((await granted.json()) as any).token_type).toBe('Bearer');

    await t.client.applicationApi.deactivateApplication({ appId: app.id });
    const refused = await token();
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as any).error).toBe('invalid_client');
  });

  test('a browser app is a public client: no secret, PKCE required', async () => {
    const app = await createApp(t, {
      name: 'oidc_client',
      label: 'SPA',
      signOnMode: 'OPENID_CONNECT',
      settings: { oauthClient: { application_type: 'browser', grant_types: ['authorization_code'], redirect_uris: ['http://localhost:3000/login/callback'] } },
    });
    expect(app.credentials.oauthClient.token_endpoint_auth_method).toBe('none');
    expect(app.credentials.oauthClient.pkce_required).toBe(true);
    expect(app.credentials.oauthClient.client_secret).toBeUndefined();
  });

  test('Okta refuses grant types an application type cannot use', async () => {
    const cases = [
      { application_type: 'service', grant_types: ['authorization_code'], redirect_uris: ['https://x.example.com/cb'] },
      { application_type: 'native', grant_types: ['client_credentials'] },
      { application_type: 'browser', grant_types: ['password'] },
      { application_type: 'web', grant_types: ['authorization_code'] },
    ];
    for (const oauthClient of cases) {
      const error = await sdkError(createApp(t, { name: 'oidc_client', label: 'Bad', signOnMode: 'OPENID_CONNECT', settings: { oauthClient } }));
      expect(error.status, JSON.stringify(oauthClient)).toBe(400);
      expect(error.errorCode).toBe('E0000001');
      expect(error.errorCauses.length).toBeGreaterThan(0);
    }
    const publicService = await sdkError(
      createApp(t, {
        name: 'oidc_client',
        label: 'Bad',
        signOnMode: 'OPENID_CONNECT',
        credentials: { oauthClient: { token_endpoint_auth_method: 'none' } },
        settings: { oauthClient: { application_type: 'service', grant_types: ['client_credentials'] } },
      }),
    );
    expect(publicService.errorCode).toBe('E0000001');
    expect(Object.keys((await stateOf(t)).apps)).toEqual([SERVICE_APP]);
  });

  test('listing apps finds them by q, filters by status, and pages by limit', async () => {
    const web = await createApp(t, webApp('Portal'));
    const inactive = await createApp(t, bookmark('Handbook'), false);
    await createApp(t, bookmark('Holidays'));
    const all = await collect(await t.client.applicationApi.listApplications({ limit: 2 }));
    expect(all.map((a) => a.label)).toEqual(['twinverse service app', 'Portal', 'Handbook', 'Holidays']);
    const byQ = await collect(await t.client.applicationApi.listApplications({ q: 'h' }));
    expect(byQ.map((a) => a.label)).toEqual(['Handbook', 'Holidays']);
    const byName = await collect(await t.client.applicationApi.listApplications({ q: 'oidc' }));
    expect(byName.map((a) => a.id)).toEqual([SERVICE_APP, web.id]);
    const inactiveOnly = await collect(await t.client.applicationApi.listApplications({ filter: 'status eq "INACTIVE"' }));
    expect(inactiveOnly.map((a) => a.id)).toEqual([inactive.id]);

    const first = await t.fetch('/api/v1/apps?limit=2');
    expect(((await first.json()) as unknown[]).length).toBe(2);
    expect(first.headers.get('link')).toMatch(/rel="next"/);
  });

  test('replacing an app changes its label and settings but keeps its id, client_id and secret', async () => {
    const app = await createApp(t, webApp());
    await t.control.advanceClock(5_000);
    const replaced: any = await t.client.applicationApi.replaceApplication({
      appId: app.id,
      application: {
        name: 'oidc_client',
        label: 'Renamed app',
        signOnMode: 'OPENID_CONNECT',
        settings: { oauthClient: { ...webApp().settings.oauthClient, redirect_uris: ['https://app.example.com/callback', 'https://app.example.com/other'] } },
      } as never,
    });
    expect(replaced.id).toBe(app.id);
    expect(replaced.label).toBe('Renamed app');
    expect(replaced.lastUpdated.toISOString()).toBe('2026-01-01T00:00:05.000Z');
    expect(replaced.credentials.oauthClient.client_id).toBe(app.id);
    expect(replaced.credentials.oauthClient.client_secret).toBe(app.credentials.oauthClient.client_secret);
    expect(replaced.settings.oauthClient.redirect_uris).toHaveLength(2);
  });

  test('an app read with the SDK can be sent back as is to replace it', async () => {
    const created = await createApp(t, webApp());
    const app: any = await t.client.applicationApi.getApplication({ appId: created.id });
    app.label = 'Round trip';
    const replaced: any = await t.client.applicationApi.replaceApplication({ appId: created.id, application: app });
    expect(replaced.label).toBe('Round trip');
    expect((await stateOf(t)).apps[created.id].credentials.oauthClient.client_secret).toBe(created.credentials.oauthClient.client_secret);
  });

  test('an ACTIVE app cannot be deleted (E0000056); once deactivated it can', async () => {
    const app = await createApp(t, webApp());
    const error = await sdkError(t.client.applicationApi.deleteApplication({ appId: app.id }));
    expect(error.status).toBe(403);
    expect(error.errorCode).toBe('E0000056');
    expect(error.errorSummary).toBe('Delete application forbidden.');
    expect(error.errorCauses).toEqual([{ errorSummary: 'The application must be deactivated before deletion.' }]);

    await t.client.applicationApi.deactivateApplication({ appId: app.id });
    const inactive: any = await t.client.applicationApi.getApplication({ appId: app.id });
    expect(inactive.status).toBe('INACTIVE');
    expect(inactive._links.activate.href).toBe(`${t.baseUrl}/api/v1/apps/${app.id}/lifecycle/activate`);
    await t.client.applicationApi.deleteApplication({ appId: app.id });
    const gone = await sdkError(t.client.applicationApi.getApplication({ appId: app.id }));
    expect(gone.status).toBe(404);
    expect(gone.errorCode).toBe('E0000007');
  });

  test('activate=false creates an INACTIVE app; activating answers {} and makes it ACTIVE', async () => {
    const app = await createApp(t, bookmark('Wiki'), false);
    expect(app.status).toBe('INACTIVE');
    const response = await t.fetch(`/api/v1/apps/${app.id}/lifecycle/activate`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect((await stateOf(t)).apps[app.id].status).toBe('ACTIVE');
  });

  test('assigning a user to an app makes an app user; it is listed, read, and unassigned', async () => {
    const app = await createApp(t, webApp());
    const user = await createUser(t, 'ada@example.com');
    const appUser: any = await t.client.applicationApi.assignUserToApplication({ appId: app.id, appUser: { id: user.id!, scope: 'USER' } as never });
    expect(appUser.id).toBe(user.id);
    expect(appUser.scope).toBe('USER');
    expect(appUser.status).toBe('ACTIVE');
    expect(appUser.credentials.userName).toBe('ada@example.com');
    expect(appUser.profile.email).toBe('ada@example.com');
    expect(appUser.profile.given_name).toBe('Ada');
    expect(appUser._links.app.href).toBe(`${t.baseUrl}/api/v1/apps/${app.id}`);

    const listed = await collect(await t.client.applicationApi.listApplicationUsers({ appId: app.id }));
    expect(listed.map((u) => u.id)).toEqual([user.id]);
    const read: any = await t.client.applicationApi.getApplicationUser({ appId: app.id, userId: user.id! });
    expect(read.credentials.userName).toBe('ada@example.com');
    const forUser = await collect(await t.client.applicationApi.listApplications({ filter: `user.id eq "${user.id}"` }));
    expect(forUser.map((a) => a.id)).toEqual([app.id]);

    await t.client.applicationApi.unassignUserFromApplication({ appId: app.id, userId: user.id! });
    expect(await collect(await t.client.applicationApi.listApplicationUsers({ appId: app.id }))).toEqual([]);
  });

  test('assigning a group makes its members app users with scope GROUP', async () => {
    const app = await createApp(t, webApp());
    const group = await t.client.groupApi.createGroup({ group: { profile: { name: 'App users' } } });
    const user = await createUser(t, 'grace@example.com');
    await t.client.groupApi.assignUserToGroup({ groupId: group.id!, userId: user.id! });
    const assignment: any = await t.client.applicationApi.assignGroupToApplication({ appId: app.id, groupId: group.id! });
    expect(assignment.id).toBe(group.id);
    expect(assignment.priority).toBe(0);
    expect(assignment._links.group.href).toBe(`${t.baseUrl}/api/v1/groups/${group.id}`);

    const assignments = await collect(await t.client.applicationApi.listApplicationGroupAssignments({ appId: app.id }));
    expect(assignments.map((a) => a.id)).toEqual([group.id]);
    const appUsers: any[] = await collect(await t.client.applicationApi.listApplicationUsers({ appId: app.id }));
    expect(appUsers.map((u) => [u.id, u.scope])).toEqual([[user.id, 'GROUP']]);
    const forGroup = await collect(await t.client.groupApi.listAssignedApplicationsForGroup({ groupId: group.id! }));
    expect(forGroup.map((a) => a.id)).toEqual([app.id]);
    const byGroup = await collect(await t.client.applicationApi.listApplications({ filter: `group.id eq "${group.id}"` }));
    expect(byGroup.map((a) => a.id)).toEqual([app.id]);

    const unassign = await sdkError(t.client.applicationApi.unassignUserFromApplication({ appId: app.id, userId: user.id! }));
    expect(unassign.status).toBe(403);
    await t.client.applicationApi.unassignApplicationFromGroup({ appId: app.id, groupId: group.id! });
    expect(await collect(await t.client.applicationApi.listApplicationUsers({ appId: app.id }))).toEqual([]);
  });

  test('unknown apps, users and groups are E0000007 on every app endpoint', async () => {
    const missing = '0oamissingmissing001';
    const cases: [string, string, unknown?][] = [
      ['GET', `/api/v1/apps/${missing}`],
      ['PUT', `/api/v1/apps/${missing}`, webApp()],
      ['DELETE', `/api/v1/apps/${missing}`],
      ['POST', `/api/v1/apps/${missing}/lifecycle/activate`],
      ['POST', `/api/v1/apps/${missing}/lifecycle/deactivate`],
      ['GET', `/api/v1/apps/${missing}/users`],
      ['POST', `/api/v1/apps/${missing}/users`, { id: ADMIN }],
      ['GET', `/api/v1/apps/${missing}/users/${ADMIN}`],
      ['DELETE', `/api/v1/apps/${missing}/users/${ADMIN}`],
      ['GET', `/api/v1/apps/${missing}/groups`],
      ['PUT', `/api/v1/apps/${missing}/groups/00geveryonetwin00001`],
      ['DELETE', `/api/v1/apps/${missing}/groups/00geveryonetwin00001`],
    ];
    for (const [method, path, body] of cases) {
      const response = await t.fetch(path, { method, ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
      expect(response.status, `${method} ${path}`).toBe(404);
      const error = (await response.json()) as any;
      expect(error.errorCode).toBe('E0000007');
      expect(error.errorSummary).toBe(`Not found: Resource not found: ${missing} (AppInstance)`);
    }
    const unknownUser = await postJson(t, `/api/v1/apps/${SERVICE_APP}/users`, { id: '00umissingmissing001', scope: 'USER' });
    expect(unknownUser.status).toBe(404);
    expect(unknownUser.body.errorSummary).toBe('Not found: Resource not found: 00umissingmissing001 (User)');
    for (const method of ['GET', 'DELETE']) {
      const response = await t.fetch(`/api/v1/apps/${SERVICE_APP}/users/${ADMIN}`, { method });
      expect(response.status).toBe(404);
      expect(((await response.json()) as any).errorSummary).toBe(`Not found: Resource not found: ${ADMIN} (AppUser)`);
    }
    const unknownGroup = await t.fetch(`/api/v1/apps/${SERVICE_APP}/groups/00gmissingmissing001`, { method: 'PUT' });
    expect(unknownGroup.status).toBe(404);
    const unassigned = await t.fetch(`/api/v1/apps/${SERVICE_APP}/groups/00geveryonetwin00001`, { method: 'DELETE' });
    expect(unassigned.status).toBe(404);
  });

  test('a BASIC_AUTH app vaults its credentials: scheme EDIT_USERNAME_AND_PASSWORD, password hidden; a bookmark has no scheme', async () => {
    const basicAuth = await createApp(t, { name: 'template_basic_auth', label: 'Intranet', signOnMode: 'BASIC_AUTH', settings: { app: { url: 'https://intranet.example.com/login.html', authURL: 'https://intranet.example.com/auth.html' } } });
    expect(basicAuth.credentials).toEqual({ scheme: 'EDIT_USERNAME_AND_PASSWORD', userNameTemplate: { template: '${source.login}', type: 'BUILT_IN' }, revealPassword: false, signing: {} });
    expect(basicAuth.visibility.appLinks).toEqual({ login: true });
    const bookmarkApp = await createApp(t, bookmark('Docs'));
    expect(bookmarkApp.credentials).toEqual({ userNameTemplate: { template: '${source.login}', type: 'BUILT_IN' }, signing: {} });
  });

  test('a shared-credentials app keeps its username and shows only that a password is set', async () => {
    const swa = await postJson(t, '/api/v1/apps', {
      name: 'template_swa',
      label: 'Shared vendor portal',
      signOnMode: 'BROWSER_PLUGIN',
      credentials: { scheme: 'SHARED_USERNAME_AND_PASSWORD', userName: 'ops@example.com', password: { value: 'Sh4red-Secret' }, revealPassword: true },
      settings: { app: { url: 'https://vendor.example.com/login', usernameField: 'user', passwordField: 'pass', buttonField: 'go' } },
    });
    expect(swa.status).toBe(200);
    expect(swa.body.credentials).toEqual({ scheme: 'SHARED_USERNAME_AND_PASSWORD', userNameTemplate: { template: '${source.login}', type: 'BUILT_IN' }, revealPassword: true, signing: {}, userName: 'ops@example.com', password: {} });
    expect(JSON.stringify((await stateOf(t)).apps[swa.body.id])).not.toContain('Sh4red-Secret');
    const fetched = await t.client.applicationApi.getApplication({ appId: swa.body.id });
    const replaced = await postJson(t, `/api/v1/apps/${swa.body.id}`, { ...JSON.parse(JSON.stringify(fetched)), credentials: { ...swa.body.credentials, userName: 'ops2@example.com', password: { value: 'N3w-Secret' } } }, 'PUT');
    expect(replaced.status).toBe(200);
    expect(replaced.body.credentials).toMatchObject({ scheme: 'SHARED_USERNAME_AND_PASSWORD', userName: 'ops2@example.com', password: {} });
    expect(JSON.stringify((await stateOf(t)).apps[swa.body.id])).not.toContain('N3w-Secret');
  });

  test('a BASIC_AUTH app needs its sign-in and auth URLs, and a scheme must be one of Okta\'s (E0000001)', async () => {
    const noAuthUrl = await postJson(t, '/api/v1/apps', { name: 'template_basic_auth', label: 'No auth URL', signOnMode: 'BASIC_AUTH', settings: { app: { url: 'https://example.com/login.html' } } });
    expect(noAuthUrl.status).toBe(400);
    expect(noAuthUrl.body).toMatchObject({ errorCode: 'E0000001', errorSummary: 'Api validation failed: settings.app.authURL', errorCauses: [{ errorSummary: 'settings.app.authURL: The field cannot be left blank' }] });
    const badScheme = await postJson(t, '/api/v1/apps', {
      name: 'template_basic_auth',
      label: 'Bad scheme',
      signOnMode: 'BASIC_AUTH',
      credentials: { scheme: 'TELEPATHY' },
      settings: { app: { url: 'https://example.com/login.html', authURL: 'https://example.com/auth.html' } },
    });
    expect(badScheme.status).toBe(400);
    expect(badScheme.body.errorCode).toBe('E0000001');
  });

  test('bad app bodies are E0000001 and malformed JSON is E0000003', async () => {
    const invalid: unknown[] = [
      { ...webApp(), signOnMode: 'MAGIC_LINK' },
      { name: 'oidc_client', signOnMode: 'OPENID_CONNECT', settings: webApp().settings },
      { name: 'oidc_client', label: 'No settings', signOnMode: 'OPENID_CONNECT' },
      { ...webApp(), name: 'my_client' },
      { ...webApp(), settings: { oauthClient: { ...webApp().settings.oauthClient, grant_types: ['authorization_code', 'magic'] } } },
      { ...webApp(), settings: { oauthClient: { ...webApp().settings.oauthClient, grant_types: [] } } },
      { ...webApp(), settings: { oauthClient: { ...webApp().settings.oauthClient, redirect_uris: ['https://app.example.com/cb#fragment'] } } },
      { ...webApp(), credentials: { oauthClient: { token_endpoint_auth_method: 'carrier_pigeon' } } },
      { name: 'bookmark', label: 'No URL', signOnMode: 'BOOKMARK' },
    ];
    for (const body of invalid) {
      const created = await postJson(t, '/api/v1/apps', body);
      expect(created.status, JSON.stringify(body)).toBe(400);
      expect(created.body.errorCode).toBe('E0000001');
    }
    const replaced = await postJson(t, `/api/v1/apps/${SERVICE_APP}`, { ...webApp(), signOnMode: 'BOOKMARK' }, 'PUT');
    expect(replaced.status).toBe(400);
    expect(replaced.body.errorCode).toBe('E0000001');
    for (const [method, path] of [['POST', '/api/v1/apps'], ['PUT', `/api/v1/apps/${SERVICE_APP}`], ['POST', `/api/v1/apps/${SERVICE_APP}/users`]]) {
      const response = await t.fetch(path, { method, headers: { 'content-type': 'application/json' }, body: '{"label":' });
      expect(response.status, `${method} ${path}`).toBe(400);
      expect(((await response.json()) as any).errorCode).toBe('E0000003');
    }
    expect(Object.keys((await stateOf(t)).apps)).toEqual([SERVICE_APP]);
  });

  test('bad assignment bodies and query parameters are E0000001', async () => {
    const noId = await postJson(t, `/api/v1/apps/${SERVICE_APP}/users`, { scope: 'USER' });
    expect(noId.status).toBe(400);
    expect(noId.body.errorCode).toBe('E0000001');
    const badScope = await postJson(t, `/api/v1/apps/${SERVICE_APP}/users`, { id: ADMIN, scope: 'EVERYBODY' });
    expect(badScope.status).toBe(400);
    const badPriority = await postJson(t, `/api/v1/apps/${SERVICE_APP}/groups/00geveryonetwin00001`, { priority: -1 }, 'PUT');
    expect(badPriority.status).toBe(400);
    for (const path of ['/api/v1/apps?limit=abc', `/api/v1/apps/${SERVICE_APP}/users?limit=0`, `/api/v1/apps/${SERVICE_APP}/groups?limit=x`]) {
      const response = await t.fetch(path);
      expect(response.status, path).toBe(400);
      expect(((await response.json()) as any).errorCode).toBe('E0000001');
    }
    for (const path of ['/api/v1/apps?filter=status%20sw%20%22ACT%22', '/api/v1/apps?filter=label%20eq%20%22x%22', '/api/v1/apps?filter=status%20eq']) {
      const response = await t.fetch(path);
      expect(response.status, path).toBe(400);
      expect(((await response.json()) as any).errorCode).toBe('E0000031');
    }
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
