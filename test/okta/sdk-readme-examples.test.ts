/**
 * Every example of the @okta/okta-sdk-nodejs README (node_modules/@okta/okta-sdk-nodejs/README.md)
 * that touches users, groups, applications or sessions of a user, run exactly as the README writes it, with only the
 * orgUrl and token adapted (the `describeOkta` client). Sources:
 *  - [readme] node_modules/@okta/okta-sdk-nodejs/README.md, sections named in each test
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml (Okta's management OpenAPI document)
 */
import okta from '@okta/okta-sdk-nodejs';
import { expect, test } from 'vitest';
import { collect, describeOkta, type OktaTarget, sdkError } from '../support/okta.js';



/** README "Create a User", verbatim. */
async function readmeCreateUser(client: okta.Client) {
  const newUser = {
    profile: {
      firstName: 'Foo',
      lastName: 'Bar',
      email: 'foo@example.com',
      login: 'foo@example.com',
    },
    credentials: {
      password: {
        value: 'PasswordAbc123',
      },
    },
  };
  const user = await client.userApi.createUser({ body: newUser });
  return user;
}

/** README "Create An Application", verbatim. */
async function readmeCreateApplication(client: okta.Client) {
  const application = {
    name: 'template_basic_auth',
    label: 'Sample Basic Auth App',
    signOnMode: 'BASIC_AUTH',
    settings: {
      app: {
        url: 'https://example.com/auth.htm',
        authURL: 'https://example.com/login.html',
      },
    },
  };
  const createdApplication = await client.applicationApi.createApplication({ application: application as any });
  return createdApplication;
}

async function users(t: OktaTarget) {
  return (await t.control.requests).filter((r) => r.method === 'GET' && r.path === '/api/v1/users');
}

describeOkta('README "Usage guide": the client as the README builds it', (t) => {
  test.skipIf(t.transport === 'msw')('an orgUrl written with a trailing slash, as the README writes it, reaches the API (the SDK then asks for //api/v1/...)', async () => {
    // README: `orgUrl: 'https://dev-1234.oktapreview.com/'`. The SDK strips it from client.baseUrl but not from the
    // generated API's base server, so requests go to `{orgUrl}/` + `/api/v1/...`. Under MSW, the interceptor of
    // node's http module reads `//api/v1/...` as a host named "api" (https://api/v1/...), before any handler sees
    // it: only the HTTP transport can show what the twin does with such a path.
    const client = t.makeClient({ orgUrl: `${t.baseUrl}/` });
    const me = await client.userApi.getUser({ userId: 'me' });
    expect(me.profile?.login).toBe('admin@twin.test');
    const created = await readmeCreateUser(client);
    expect(created.status).toBe('ACTIVE');
  });
});

describeOkta('README users: create, get, update, delete', (t) => {
  test('README "Create a User" → "Get a User" by id and by login → "Update a User" (nickName rob) → "Delete a User"', async () => {
    const client = t.client;
    const user: any = await readmeCreateUser(client);
    // [spec createUser]: activate defaults to true; a password makes the user ACTIVE.
    expect(user).toBeInstanceOf(okta.User);
    expect(user.status).toBe('ACTIVE');
    expect(user.profile.login).toBe('foo@example.com');
    expect(user.credentials.password).toEqual({});
    expect(user.credentials.provider).toEqual({ type: 'OKTA', name: 'OKTA' });

    // README "Get a User": `getUser({ userId: :id|:login })`.
    const byId = await client.userApi.getUser({ userId: user.id });
    const byLogin = await client.userApi.getUser({ userId: 'foo@example.com' });
    expect(byId.id).toBe(user.id);
    expect(byLogin.id).toBe(user.id);

    // README "Update a User", verbatim with the fetched user.
    const fetched: any = byLogin;
    fetched.profile.nickName = 'rob';
    await client.userApi.updateUser({
      userId: fetched.id,
      user: fetched,
    });
    const reread = await client.userApi.getUser({ userId: user.id });
    expect(reread.profile).toMatchObject({ nickName: 'rob', firstName: 'Foo', lastName: 'Bar', email: 'foo@example.com', login: 'foo@example.com' });
    expect(reread.status).toBe('ACTIVE');

    // README "Delete a User": deactivate, then delete.
    await client.userApi.deactivateUser({ userId: user.id });
    expect((await client.userApi.getUser({ userId: user.id })).status).toBe('DEPROVISIONED');
    await client.userApi.deleteUser({ userId: user.id });
    const gone = await sdkError(client.userApi.getUser({ userId: user.id }));
    expect(gone).toMatchObject({ status: 404, errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${user.id} (User)` });
    const goneByLogin = await sdkError(client.userApi.getUser({ userId: 'foo@example.com' }));
    expect(goneByLogin).toMatchObject({ status: 404, errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: foo@example.com (User)' });
    // The login is free again.
    const again: any = await readmeCreateUser(client);
    expect(again.id).not.toBe(user.id);
  });

  test('README "Update a User" also works on the very object createUser returned (Dates, _links and all)', async () => {
    const user: any = await readmeCreateUser(t.client);
    user.profile.nickName = 'rob';
    const updated: any = await t.client.userApi.updateUser({ userId: user.id, user });
    expect(updated.profile.nickName).toBe('rob');
    expect(updated.id).toBe(user.id);
    expect(updated.created.toISOString()).toBe(user.created.toISOString());
  });
});

describeOkta('README users: list and search', (t) => {
  test('README "List All Org Users": each() and for-await both visit every user once, admin included', async () => {
    for (const name of ['Ann', 'Bob', 'Cid']) {
      await t.client.userApi.createUser({ body: { profile: { firstName: name, lastName: 'Lister', email: `${name.toLowerCase()}@example.com`, login: `${name.toLowerCase()}@example.com` } } });
    }
    const viaEach: string[] = [];
    const collection = await t.client.userApi.listUsers();
    await collection.each((user) => {
      viaEach.push(user.profile!.login!);
    });
    const viaIterator: string[] = [];
    const collection2 = await t.client.userApi.listUsers();
    for await (const user of collection2) viaIterator.push(user!.profile!.login!);
    expect(viaEach.sort()).toEqual(['admin@twin.test', 'ann@example.com', 'bob@example.com', 'cid@example.com']);
    expect(viaIterator.sort()).toEqual(viaEach);
  });

  test('README "Search for Users": q "Robert", search profile.nickName eq "abc 1234", filter lastUpdated gt 2017', async () => {
    const robert = await t.client.userApi.createUser({ body: { profile: { firstName: 'Robert', lastName: 'Moses', email: 'robert@example.com', login: 'robert@example.com', nickName: 'abc 1234' } } });
    await t.client.userApi.createUser({ body: { profile: { firstName: 'Roberta', lastName: 'Flack', email: 'roberta@example.com', login: 'roberta@example.com', nickName: 'abc 12345' } } });
    await t.client.userApi.createUser({ body: { profile: { firstName: 'Alice', lastName: 'Robertson', email: 'alice@example.com', login: 'alice@example.com' } } });
    await t.client.userApi.createUser({ body: { profile: { firstName: 'Zed', lastName: 'Zulu', email: 'zed@example.com', login: 'zed@example.com' } } });

    let collection;
    const q: string[] = [];
    collection = await t.client.userApi.listUsers({
      q: 'Robert',
    });
    await collection.each((user) => {
      q.push(user.profile!.login!);
    });
    // [spec listUsers q]: a startsWith match on firstName, lastName or email.
    expect(q.sort()).toEqual(['alice@example.com', 'robert@example.com', 'roberta@example.com']);

    const searched: string[] = [];
    collection = await t.client.userApi.listUsers({
      search: 'profile.nickName eq "abc 1234"',
    });
    await collection.each((user) => {
      searched.push(user.id!);
    });
    expect(searched).toEqual([robert.id]);

    const filtered: string[] = [];
    collection = await t.client.userApi.listUsers({
      filter: 'lastUpdated gt "2017-06-05T23:00:00.000Z"',
    });
    await collection.each((user) => {
      filtered.push(user.profile!.login!);
    });
    expect(filtered).toHaveLength(5);
  });

  test('README "Collection": Promise.resolve(false) ends iteration; a rejected promise rejects each() with its reason', async () => {
    for (let i = 0; i < 3; i++) {
      await t.client.userApi.createUser({ body: { profile: { firstName: `U${i}`, lastName: 'Each', email: `u${i}@example.com`, login: `u${i}@example.com` } }, activate: false });
    }
    let visited = 0;
    const collection = await t.client.userApi.listUsers();
    await collection.each(() => {
      visited++;
      return Promise.resolve(false);
    });
    expect(visited).toBe(1);

    const collection2 = await t.client.userApi.listUsers();
    const reason = await collection2
      .each(() => Promise.reject('foo error'))
      .then(() => 'resolved', (err: unknown) => err);
    expect(reason).toBe('foo error');

    // Serial asynchronous work: each waits for the promise before the next item.
    const order: string[] = [];
    const collection3 = await t.client.userApi.listUsers({ limit: 2 });
    await collection3.each((user) => new Promise<void>((resolve) => setTimeout(() => {
      order.push(user.id!);
      resolve();
    }, 1)));
    expect(order).toHaveLength(4);
    expect(new Set(order).size).toBe(4);
    // With limit 2 the SDK follows two next links: three pages.
    expect((await users(t)).filter((r) => r.query.includes('limit=2'))).toHaveLength(2);
  });
});

describeOkta('README groups', (t) => {
  test('README "Create a Group" (name only) and "Assign a User to a Group"', async () => {
    const newGroup = {
      profile: {
        name: 'Admin Users Group',
      },
    };
    const group: any = await t.client.groupApi.createGroup({ group: newGroup });
    expect(group).toBeInstanceOf(okta.Group);
    expect(group.type).toBe('OKTA_GROUP');
    expect(group.profile.name).toBe('Admin Users Group');

    const user: any = await readmeCreateUser(t.client);
    const result = await t.client.groupApi.assignUserToGroup({ groupId: group.id, userId: user.id });
    expect(result).toBeUndefined();

    const members = await collect(await t.client.groupApi.listGroupUsers({ groupId: group.id }));
    expect(members.map((m) => m.id)).toEqual([user.id]);
    const groups = await collect(await t.client.userApi.listUserGroups({ userId: user.id }));
    expect(groups.map((g) => g.profile?.name).sort()).toEqual(['Admin Users Group', 'Everyone']);
    // Assigning twice is harmless (PUT is idempotent) and still 204.
    await t.client.groupApi.assignUserToGroup({ groupId: group.id, userId: user.id });
    expect(await collect(await t.client.groupApi.listGroupUsers({ groupId: group.id }))).toHaveLength(1);
  });
});

describeOkta('README applications', (t) => {
  test('README "Create An Application" (template_basic_auth) → "Assign a User" → "Assign a Group" with applicationGroupAssignment {}', async () => {
    const createdApplication: any = await readmeCreateApplication(t.client);
    expect(createdApplication).toBeInstanceOf(okta.BasicAuthApplication);
    expect(createdApplication).toMatchObject({
      name: 'template_basic_auth',
      label: 'Sample Basic Auth App',
      signOnMode: 'BASIC_AUTH',
      status: 'ACTIVE',
      settings: { app: { url: 'https://example.com/auth.htm', authURL: 'https://example.com/login.html' } },
    });
    expect(createdApplication.id).toMatch(/^0oa[0-9A-Za-z]{17}$/);

    const createdUser: any = await readmeCreateUser(t.client);
    const appUser: any = await t.client.applicationApi.assignUserToApplication({
      appId: createdApplication.id,
      appUser: {
        id: createdUser.id,
      },
    });
    expect(appUser).toBeInstanceOf(okta.AppUser);
    expect(appUser).toMatchObject({ id: createdUser.id, scope: 'USER', status: 'ACTIVE', credentials: { userName: 'foo@example.com' } });

    const createdGroup: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'Basic Auth Users' } } });
    const assignment: any = await t.client.applicationApi.assignGroupToApplication({
      appId: createdApplication.id,
      groupId: createdGroup.id,
      applicationGroupAssignment: {},
    });
    expect(assignment).toMatchObject({ id: createdGroup.id, priority: 0 });
    expect(assignment._links.group.href).toBe(`${t.baseUrl}/api/v1/groups/${createdGroup.id}`);
    expect(assignment._links.app.href).toBe(`${t.baseUrl}/api/v1/apps/${createdApplication.id}`);
  });

  test('README 7.x.x: a BookmarkApplication object literal creates a bookmark app; getApplication returns the typed model', async () => {
    const application: okta.BookmarkApplication = {
      name: 'bookmark',
      label: 'Bookmark app',
      signOnMode: 'BOOKMARK',
      settings: {
        app: {
          requestIntegration: false,
          url: 'https://example.com/bookmark.htm',
        },
      },
    } as okta.BookmarkApplication;
    // The README assigns the result straight to a BookmarkApplication; the SDK's typings need the cast.
    const createdApplication = (await t.client.applicationApi.createApplication({
      application,
    })) as okta.BookmarkApplication;
    expect(createdApplication).toBeInstanceOf(okta.BookmarkApplication);
    expect(createdApplication.settings?.app).toMatchObject({ requestIntegration: false, url: 'https://example.com/bookmark.htm' });
    const appId = createdApplication.id!;
    const read = await t.client.applicationApi.getApplication({ appId });
    expect(read).toBeInstanceOf(okta.BookmarkApplication);
    expect(read.label).toBe('Bookmark app');
  });

  test('README 7.x.x: getApplication of an OIDC app is an OpenIdConnectApplication with its oauthClient settings', async () => {
    const created: any = await t.client.applicationApi.createApplication({
      application: {
        name: 'oidc_client',
        label: 'Typed OIDC',
        signOnMode: 'OPENID_CONNECT',
        credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_basic' } },
        settings: { oauthClient: { application_type: 'web', grant_types: ['authorization_code'], response_types: ['code'], redirect_uris: ['https://app.example.com/cb'] } },
      } as any,
    });
    const oidcApp = (await t.client.applicationApi.getApplication({ appId: created.id })) as okta.OpenIdConnectApplication;
    expect(oidcApp).toBeInstanceOf(okta.OpenIdConnectApplication);
    expect(oidcApp.settings?.oauthClient?.redirect_uris).toEqual(['https://app.example.com/cb']);
    expect(oidcApp.credentials?.oauthClient?.client_id).toBe(created.id);
  });
});

describeOkta('README sessions of a user', (t) => {
  test('README "End all Sessions for a User": revokeUserSessions resolves for an ACTIVE user', async () => {
    const user: any = await readmeCreateUser(t.client);
    await expect(t.client.userApi.revokeUserSessions({ userId: user.id })).resolves.toBeUndefined();
  });
});

describeOkta('README rate limiting: header parsing on an OktaApiError', (t) => {
  test('README "Header parsing example": err.headers carries x-rate-limit-reset and date, giving a wait within the minute', async () => {
    const err: any = await t.client.userApi.getUser({ userId: 'nobody@example.com' }).catch((e: unknown) => e);
    expect(err.status).toBe(404);
    const retryEpochMs = parseInt(err.headers.get('x-rate-limit-reset'), 10) * 1000;
    const retryDate = new Date(retryEpochMs);
    const nowDate = new Date(err.headers.get('date'));
    const delayMs = retryDate.getTime() - nowDate.getTime() + 1000;
    expect(Number.isNaN(delayMs)).toBe(false);
    expect(delayMs).toBeGreaterThan(0);
    expect(delayMs).toBeLessThanOrEqual(61_000);
  });
});
