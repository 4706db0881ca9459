/**
 * Custom authorization servers through authorizationServerApi, and tokens minted by a new server verified with jose
 * against its own JWKS. Sources:
 *  - [as] Okta Management API, AuthorizationServer* tags (servers, scopes, claims, policies, rules, keys, keyRotate;
 *    examples CreateAuthServerResponse, AuthorizationServerPolicyRule, ListAuthorizationServerKeys, InvalidRotateUse)
 *  - [policy] support.okta.com "Tokens not issued with lifetime configured in access rule": a rule that does not cover
 *    every requested scope is skipped; no matching rule is "Policy evaluation failed for this request, please check
 *    the policy configurations."
 *  - [aam] developer.okta.com API Access Management troubleshooting: access tokens live 5 minutes to 1 day.
 */
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { expect, test } from 'vitest';
import { basic, employee, jwksFor, postForm, signIn, webApp } from '../../support/okta-oauth.js';
import { collect, describeOkta, refused, sdkError, sendJson, type OktaTarget } from '../../support/okta.js';

/** A service app (client_credentials with a secret) made through the SDK. */
async function serviceApp(t: OktaTarget, label = 'Orders sync') {
  const app: any = await t.client.applicationApi.createApplication({
    application: {
      name: 'oidc_client',
      label,
      signOnMode: 'OPENID_CONNECT',
      credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_basic' } },
      settings: { oauthClient: { application_type: 'service', grant_types: ['client_credentials'], response_types: ['token'] } },
    } as any,
  });
  return { id: app.id as string, auth: basic(app.credentials.oauthClient.client_id, app.credentials.oauthClient.client_secret) };
}

async function ordersServer(t: OktaTarget) {
  return (await t.client.authorizationServerApi.createAuthorizationServer({
    authorizationServer: { name: 'Orders', description: 'Orders API', audiences: ['api://orders'] },
  })) as any;
}

function servicePolicy(t: OktaTarget, serverId: string, clients = ['ALL_CLIENTS']) {
  return t.client.authorizationServerApi.createAuthorizationServerPolicy({
    authServerId: serverId,
    policy: { type: 'OAUTH_AUTHORIZATION_POLICY', name: 'Services', description: 'Machine clients', conditions: { clients: { include: clients } } } as any,
  }) as Promise<any>;
}

function rule(t: OktaTarget, serverId: string, policyId: string, body: Record<string, any>) {
  return t.client.authorizationServerApi.createAuthorizationServerPolicyRule({
    authServerId: serverId,
    policyId,
    policyRule: { type: 'RESOURCE_ACCESS', name: 'Rule', conditions: { people: { groups: { include: ['EVERYONE'] } }, grantTypes: { include: ['client_credentials'] }, scopes: { include: ['*'] } }, ...body } as any,
  }) as Promise<any>;
}

describeOkta('Story: a team adds an authorization server for its own API', (t) => {
  test('a new server has its own issuer, discovery and JWKS, mints no token before an access policy, then tokens that honor the rule, scopes and claims', async () => {
    const server = await ordersServer(t);
    expect(server.id).toMatch(/^aus[0-9A-Za-z]{17}$/);
    expect(server).toMatchObject({ name: 'Orders', audiences: ['api://orders'], status: 'ACTIVE', issuer: `${t.baseUrl}/oauth2/${server.id}`, issuerMode: 'ORG_URL' });
    expect(server.credentials.signing).toMatchObject({ rotationMode: 'AUTO', kid: expect.any(String), use: 'sig' });
    const logged = await (await t.fetch(`/api/v1/logs?filter=${encodeURIComponent('eventType eq "oauth2.as.created"')}`)).json();
    expect(logged.map((e: any) => [e.eventType, e.target[0].id, e.actor.id])).toEqual([['oauth2.as.created', server.id, '00uadmintwin00000001']]);

    const discovery = await (await fetch(`${t.baseUrl}/oauth2/${server.id}/.well-known/openid-configuration`)).json();
    expect(discovery).toMatchObject({ issuer: server.issuer, jwks_uri: `${server.issuer}/v1/keys`, token_endpoint: `${server.issuer}/v1/token` });
    const scope: any = await t.client.authorizationServerApi.createOAuth2Scope({ authServerId: server.id, oAuth2Scope: { name: 'orders:read', metadataPublish: 'ALL_CLIENTS', _default: true } });
    // The SDK's OAuth2Scope model spells `default` as `_default`.
    expect(scope).toMatchObject({ name: 'orders:read', system: false, consent: 'IMPLICIT', _default: true, id: expect.stringMatching(/^scp/) });
    const metadata = await (await fetch(`${t.baseUrl}/oauth2/${server.id}/.well-known/oauth-authorization-server`)).json();
    expect(metadata.scopes_supported).toContain('orders:read');
    await t.client.authorizationServerApi.createOAuth2Claim({
      authServerId: server.id,
      oAuth2Claim: { name: 'tier', claimType: 'RESOURCE', valueType: 'EXPRESSION', value: '"gold"', conditions: { scopes: ['orders:read'] } } as any,
    });

    const app = await serviceApp(t);
    // [as] a new server has no access policy: [policy] nothing lets the request through.
    const denied = await postForm(t, `/oauth2/${server.id}/v1/token`, { grant_type: 'client_credentials', scope: 'orders:read' }, { authorization: app.auth });
    expect(denied.status).toBe(400);
    expect(await denied.json()).toEqual({ error: 'access_denied', error_description: 'Policy evaluation failed for this request, please check the policy configurations.' });

    const policy = await servicePolicy(t, server.id, [app.id]);
    expect(policy).toMatchObject({ type: 'OAUTH_AUTHORIZATION_POLICY', status: 'ACTIVE', priority: 1, system: false, conditions: { clients: { include: [app.id] } } });
    const created = await rule(t, server.id, policy.id, { conditions: { people: { groups: { include: ['EVERYONE'] } }, grantTypes: { include: ['client_credentials'] }, scopes: { include: ['orders:read'] } }, actions: { token: { accessTokenLifetimeMinutes: 15 } } });
    expect(created.actions.token).toEqual({ accessTokenLifetimeMinutes: 15, refreshTokenLifetimeMinutes: 0, refreshTokenWindowMinutes: 10080 });

    const res = await postForm(t, `/oauth2/${server.id}/v1/token`, { grant_type: 'client_credentials' }, { authorization: app.auth });
    expect(res.status).toBe(200);
    const token = await res.json();
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'orders:read' });
    const { payload, protectedHeader } = await jwtVerify(token.access_token, await jwksFor(t, `/oauth2/${server.id}/v1/keys`), {
      issuer: server.issuer,
      audience: 'api://orders',
      currentDate: await t.control.now(),
    });
    expect(protectedHeader.kid).toBe(server.credentials.signing.kid);
    expect(payload).toMatchObject({ scp: ['orders:read'], tier: 'gold', cid: app.id, sub: app.id });
    expect(payload.exp! - payload.iat!).toBe(900);
    // Each server signs with keys of its own.
    await expect(jwtVerify(token.access_token, await jwksFor(t, '/oauth2/default/v1/keys'), { currentDate: await t.control.now() })).rejects.toThrow();

    // [policy] a scope the rule does not cover skips the rule.
    await t.client.authorizationServerApi.createOAuth2Scope({ authServerId: server.id, oAuth2Scope: { name: 'orders:write' } as any });
    const uncovered = await postForm(t, `/oauth2/${server.id}/v1/token`, { grant_type: 'client_credentials', scope: 'orders:read orders:write' }, { authorization: app.auth });
    expect(uncovered.status).toBe(400);
    expect((await uncovered.json()).error).toBe('access_denied');
    // Another client is not in the policy.
    const other = await serviceApp(t, 'Other client');
    expect((await postForm(t, `/oauth2/${server.id}/v1/token`, { grant_type: 'client_credentials', scope: 'orders:read' }, { authorization: other.auth })).status).toBe(400);
  });

  test('a user signs in through a new server: its rule governs the code flow, IDENTITY claims go in the ID token and GROUPS claims in the access token', async () => {
    const server = await ordersServer(t);
    const app = await webApp(t);
    await employee(t, app, { department: 'Engineering' });
    const group: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'Eng-Platform' } } });
    const user = (await collect(await t.client.userApi.listUsers({ q: 'kj@example.com' })))[0] as any;
    await t.client.groupApi.assignUserToGroup({ groupId: group.id, userId: user.id });
    await t.client.authorizationServerApi.createOAuth2Claim({ authServerId: server.id, oAuth2Claim: { name: 'department', claimType: 'IDENTITY', valueType: 'EXPRESSION', value: 'user.department', alwaysIncludeInToken: true, conditions: { scopes: [] } } as any });
    await t.client.authorizationServerApi.createOAuth2Claim({ authServerId: server.id, oAuth2Claim: { name: 'teams', claimType: 'RESOURCE', valueType: 'GROUPS', group_filter_type: 'STARTS_WITH', value: 'Eng', conditions: { scopes: [] } } as any });
    const policy = await servicePolicy(t, server.id);
    const webRule = await rule(t, server.id, policy.id, { name: 'Web sign-in', conditions: { people: { groups: { include: ['EVERYONE'] } }, grantTypes: { include: ['authorization_code'] }, scopes: { include: ['openid', 'profile'] } }, actions: { token: { accessTokenLifetimeMinutes: 30 } } });

    const tokens = await signIn(t, app, 'openid profile', 'kj@example.com', `/oauth2/${server.id}`);
    expect(tokens.expires_in).toBe(1800);
    const jwks = await jwksFor(t, `/oauth2/${server.id}/v1/keys`);
    const id = await jwtVerify(tokens.id_token, jwks, { issuer: server.issuer, audience: app.clientId, currentDate: await t.control.now() });
    expect(id.payload).toMatchObject({ department: 'Engineering', preferred_username: 'kj@example.com' });
    const access = await jwtVerify(tokens.access_token, jwks, { issuer: server.issuer, audience: 'api://orders', currentDate: await t.control.now() });
    expect(access.payload).toMatchObject({ teams: ['Eng-Platform'], uid: user.id, scp: ['openid', 'profile'] });
    expect(access.payload).not.toHaveProperty('department');
    const userinfo = await (await fetch(`${t.baseUrl}/oauth2/${server.id}/v1/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).json();
    expect(userinfo).toMatchObject({ sub: user.id, department: 'Engineering' });

    // A deactivated rule lets nothing through: /authorize sends access_denied back to the app.
    await t.client.authorizationServerApi.deactivateAuthorizationServerPolicyRule({ authServerId: server.id, policyId: policy.id, ruleId: webRule.id });
    const back = await fetch(`${t.baseUrl}/oauth2/${server.id}/v1/authorize?${new URLSearchParams({ client_id: app.clientId, response_type: 'code', scope: 'openid', redirect_uri: 'https://web.example.com/authorization-code/callback', state: 's', login_hint: 'kj@example.com' })}`, { redirect: 'manual' });
    const location = new URL(back.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('access_denied');

    // A deactivated server answers 404 on its OAuth endpoints, in Okta's envelope.
    await t.client.authorizationServerApi.deactivateAuthorizationServer({ authServerId: server.id });
    const gone = await fetch(`${t.baseUrl}/oauth2/${server.id}/.well-known/openid-configuration`);
    expect(gone.status).toBe(404);
    expect((await gone.json()).errorCode).toBe('E0000007');
    expect((await t.client.authorizationServerApi.getAuthorizationServer({ authServerId: server.id })).status).toBe('INACTIVE');
  });

  test("a rule's refresh token window and lifetime: a refresh token idle past the window or older than the lifetime stops working", async () => {
    const server = await ordersServer(t);
    const app = await webApp(t);
    await employee(t, app);
    const policy = await servicePolicy(t, server.id);
    await rule(t, server.id, policy.id, {
      conditions: { people: { groups: { include: ['EVERYONE'] } }, grantTypes: { include: ['authorization_code'] }, scopes: { include: ['*'] } },
      actions: { token: { accessTokenLifetimeMinutes: 5, refreshTokenWindowMinutes: 30, refreshTokenLifetimeMinutes: 60 } },
    });
    const refresh = (token: string) => postForm(t, `/oauth2/${server.id}/v1/token`, { grant_type: 'refresh_token', refresh_token: token }, { authorization: app.auth });
    const first = await signIn(t, app, 'openid offline_access', 'kj@example.com', `/oauth2/${server.id}`);
    expect(first.expires_in).toBe(300);
    await t.control.advanceClock(25 * 60_000);
    expect((await refresh(first.refresh_token)).status).toBe(200);
    await t.control.advanceClock(25 * 60_000);
    expect((await refresh(first.refresh_token)).status).toBe(200);
    // 65 minutes after the first issue: within the window, past the lifetime.
    await t.control.advanceClock(15 * 60_000);
    const late = await refresh(first.refresh_token);
    expect(late.status).toBe(400);
    expect((await late.json()).error).toBe('invalid_grant');

    const second = await signIn(t, app, 'openid offline_access', 'kj@example.com', `/oauth2/${server.id}`);
    await t.control.advanceClock(31 * 60_000);
    expect((await refresh(second.refresh_token)).status).toBe(400);
  });

  test('key rotation: the NEXT key signs from now on, the old one stays published as EXPIRED so earlier tokens still verify', async () => {
    const server = await ordersServer(t);
    const before = await collect(await t.client.authorizationServerApi.listAuthorizationServerKeys({ authServerId: server.id }));
    expect(before.map((k: any) => k.status)).toEqual(['ACTIVE', 'NEXT']);
    expect(before[0]).toMatchObject({ kid: server.credentials.signing.kid, kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(before[0]).not.toHaveProperty('d');
    const app = await serviceApp(t);
    const policy = await servicePolicy(t, server.id);
    await rule(t, server.id, policy.id, {});
    await t.client.authorizationServerApi.createOAuth2Scope({ authServerId: server.id, oAuth2Scope: { name: 'orders:read' } as any });
    const first = await (await postForm(t, `/oauth2/${server.id}/v1/token`, { grant_type: 'client_credentials', scope: 'orders:read' }, { authorization: app.auth })).json();

    const rotated = await collect(await t.client.authorizationServerApi.rotateAuthorizationServerKeys({ authServerId: server.id, use: { use: 'sig' } }));
    expect(rotated.map((k: any) => [k.kid, k.status])).toEqual([[before[0].kid, 'EXPIRED'], [before[1].kid, 'ACTIVE'], [expect.any(String), 'NEXT']]);
    expect((await t.client.authorizationServerApi.getAuthorizationServer({ authServerId: server.id })).credentials!.signing!.kid).toBe(before[1].kid);
    expect(await t.client.authorizationServerApi.getAuthorizationServerKey({ authServerId: server.id, keyId: before[1].kid! })).toMatchObject({ status: 'ACTIVE' });

    const second = await (await postForm(t, `/oauth2/${server.id}/v1/token`, { grant_type: 'client_credentials', scope: 'orders:read' }, { authorization: app.auth })).json();
    expect(decodeProtectedHeader(second.access_token).kid).toBe(before[1].kid);
    const jwks = await jwksFor(t, `/oauth2/${server.id}/v1/keys`);
    for (const token of [first.access_token, second.access_token]) await jwtVerify(token, jwks, { issuer: server.issuer, currentDate: await t.control.now() });

    // [as InvalidRotateUse]
    const bad = await refused(await sendJson(t, `/api/v1/authorizationServers/${server.id}/credentials/lifecycle/keyRotate`, { use: 'enc' }));
    expect(bad).toMatchObject({ errorCode: 'E0000001', errorSummary: 'Api validation failed: rotateKeys', causes: ["Invalid value specified for key 'use' parameter"] });
    expect((await sdkError(t.client.authorizationServerApi.getAuthorizationServerKey({ authServerId: server.id, keyId: 'nope' }))).status).toBe(404);
  });

  test('the seeded default server is listed with its Default Policy; deactivating its rule stops the tokens it issued to everyone', async () => {
    const servers = await collect(await t.client.authorizationServerApi.listAuthorizationServers());
    expect(servers.map((s: any) => s.id)).toEqual(['default']);
    expect(servers[0]).toMatchObject({ issuer: `${t.baseUrl}/oauth2/default`, audiences: ['api://default'] });
    const policies = await collect(await t.client.authorizationServerApi.listAuthorizationServerPolicies({ authServerId: 'default' }));
    expect(policies.map((p: any) => p.name)).toEqual(['Default Policy']);
    const rules = await collect(await t.client.authorizationServerApi.listAuthorizationServerPolicyRules({ authServerId: 'default', policyId: policies[0].id! }));
    expect(rules[0]).toMatchObject({ name: 'Default Policy Rule', conditions: { grantTypes: { include: ['implicit', 'client_credentials', 'authorization_code', 'password'] }, scopes: { include: ['*'] } }, actions: { token: { accessTokenLifetimeMinutes: 60 } } });
    const scopes = await collect(await t.client.authorizationServerApi.listOAuth2Scopes({ authServerId: 'default' }));
    expect(scopes.map((s: any) => s.name)).toContain('api:read');

    await t.client.authorizationServerApi.deactivateAuthorizationServerPolicy({ authServerId: 'default', policyId: policies[0].id! });
    const res = await postForm(t, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:read' }, { authorization: basic('0oatwinservice000001', 'twin-okta-client-secret') });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('access_denied');
    await t.client.authorizationServerApi.activateAuthorizationServerPolicy({ authServerId: 'default', policyId: policies[0].id! });
    expect((await postForm(t, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:read' }, { authorization: basic('0oatwinservice000001', 'twin-okta-client-secret') })).status).toBe(200);

    // The seeded server has one key; rotating it retires the seeded key and signs with a new one.
    const rotated = await collect(await t.client.authorizationServerApi.rotateAuthorizationServerKeys({ authServerId: 'default', use: { use: 'sig' } }));
    expect(rotated.map((k: any) => [k.kid === 'twin-okta-default-as-key-1', k.status])).toEqual([[true, 'EXPIRED'], [false, 'ACTIVE'], [false, 'NEXT']]);
    const after = await (await postForm(t, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:read' }, { authorization: basic('0oatwinservice000001', 'twin-okta-client-secret') })).json();
    expect(decodeProtectedHeader(after.access_token).kid).toBe((rotated[1] as any).kid);
    await jwtVerify(after.access_token, await jwksFor(t, '/oauth2/default/v1/keys'), { issuer: `${t.baseUrl}/oauth2/default`, currentDate: await t.control.now() });
  });

  test('CRUD round trips: replace a server, scope, claim, policy and rule; priorities stay 1..n; deleting a server ends its endpoints and tokens', async () => {
    const server = await ordersServer(t);
    const replaced: any = await t.client.authorizationServerApi.replaceAuthorizationServer({ authServerId: server.id, authorizationServer: { name: 'Orders v2', description: 'Second', audiences: ['api://orders2'] } });
    expect(replaced).toMatchObject({ name: 'Orders v2', audiences: ['api://orders2'] });
    expect((await collect(await t.client.authorizationServerApi.listAuthorizationServers({ q: 'orders2' }))).map((s: any) => s.id)).toEqual([server.id]);

    const scope: any = await t.client.authorizationServerApi.createOAuth2Scope({ authServerId: server.id, oAuth2Scope: { name: 'a:b' } as any });
    expect(await t.client.authorizationServerApi.replaceOAuth2Scope({ authServerId: server.id, scopeId: scope.id, oAuth2Scope: { name: 'a:b', description: 'changed', consent: 'REQUIRED' } as any })).toMatchObject({ description: 'changed', consent: 'REQUIRED' });
    expect(await t.client.authorizationServerApi.getOAuth2Scope({ authServerId: server.id, scopeId: scope.id })).toMatchObject({ consent: 'REQUIRED' });
    await t.client.authorizationServerApi.deleteOAuth2Scope({ authServerId: server.id, scopeId: scope.id });
    expect((await sdkError(t.client.authorizationServerApi.getOAuth2Scope({ authServerId: server.id, scopeId: scope.id }))).status).toBe(404);

    const claim: any = await t.client.authorizationServerApi.createOAuth2Claim({ authServerId: server.id, oAuth2Claim: { name: 'x', claimType: 'RESOURCE', valueType: 'EXPRESSION', value: 'user.login', conditions: { scopes: [] } } as any });
    expect(claim).toMatchObject({ status: 'ACTIVE', alwaysIncludeInToken: true, system: false });
    expect(await t.client.authorizationServerApi.replaceOAuth2Claim({ authServerId: server.id, claimId: claim.id, oAuth2Claim: { name: 'x', claimType: 'RESOURCE', valueType: 'EXPRESSION', value: 'user.email', status: 'INACTIVE', conditions: { scopes: [] } } as any })).toMatchObject({ value: 'user.email', status: 'INACTIVE' });
    expect((await collect(await t.client.authorizationServerApi.listOAuth2Claims({ authServerId: server.id }))).length).toBe(1);
    await t.client.authorizationServerApi.deleteOAuth2Claim({ authServerId: server.id, claimId: claim.id });

    const p1 = await servicePolicy(t, server.id);
    const p2: any = await t.client.authorizationServerApi.createAuthorizationServerPolicy({ authServerId: server.id, policy: { name: 'First', description: 'goes first', priority: 1, conditions: { clients: { include: ['ALL_CLIENTS'] } } } as any });
    const order = async () => (await collect(await t.client.authorizationServerApi.listAuthorizationServerPolicies({ authServerId: server.id }))).map((p: any) => [p.name, p.priority]);
    expect(await order()).toEqual([['First', 1], ['Services', 2]]);
    await t.client.authorizationServerApi.replaceAuthorizationServerPolicy({ authServerId: server.id, policyId: p2.id, policy: { name: 'First', description: 'now last', priority: 5, conditions: { clients: { include: ['ALL_CLIENTS'] } } } as any });
    expect(await order()).toEqual([['Services', 1], ['First', 2]]);
    const r = await rule(t, server.id, p1.id, {});
    expect(await t.client.authorizationServerApi.replaceAuthorizationServerPolicyRule({ authServerId: server.id, policyId: p1.id, ruleId: r.id, policyRule: { name: 'Renamed', conditions: { people: { users: { include: ['00uadmintwin00000001'] } }, grantTypes: { include: ['password'] }, scopes: { include: ['openid'] } } } as any })).toMatchObject({ name: 'Renamed', priority: 1 });
    await t.client.authorizationServerApi.deleteAuthorizationServerPolicyRule({ authServerId: server.id, policyId: p1.id, ruleId: r.id });
    await t.client.authorizationServerApi.deleteAuthorizationServerPolicy({ authServerId: server.id, policyId: p2.id });
    expect(await order()).toEqual([['Services', 1]]);

    await t.client.authorizationServerApi.deleteAuthorizationServer({ authServerId: server.id });
    expect((await sdkError(t.client.authorizationServerApi.getAuthorizationServer({ authServerId: server.id }))).status).toBe(404);
    expect((await fetch(`${t.baseUrl}/oauth2/${server.id}/v1/keys`)).status).toBe(404);
  });

  test('the server list pages by limit and after with Link headers, as the SDK follows them; q still applies; 200 a page by default and at most', async () => {
    const made: any[] = [];
    for (let i = 1; i <= 5; i++) {
      made.push(await t.client.authorizationServerApi.createAuthorizationServer({ authorizationServer: { name: `Team ${i}`, description: 'Team API', audiences: [`api://team${i}`] } }));
    }
    const ids = ['default', ...made.map((s) => s.id)];

    // The SDK's collection follows each next link to the end.
    expect((await collect(await t.client.authorizationServerApi.listAuthorizationServers({ limit: 2 }))).map((s: any) => s.id)).toEqual(ids);
    expect((await collect(await t.client.authorizationServerApi.listAuthorizationServers({ q: 'team', limit: 2 }))).map((s: any) => s.id)).toEqual(ids.slice(1));

    const first = await t.fetch('/api/v1/authorizationServers?limit=4');
    expect((await first.json()).map((s: any) => s.id)).toEqual(ids.slice(0, 4));
    expect(first.headers.get('link')).toBe(`<${t.baseUrl}/api/v1/authorizationServers?limit=4>; rel="self", <${t.baseUrl}/api/v1/authorizationServers?limit=4&after=${ids[3]}>; rel="next"`);
    const second = await t.fetch(`/api/v1/authorizationServers?limit=4&after=${ids[3]}`);
    expect((await second.json()).map((s: any) => s.id)).toEqual(ids.slice(4));
    expect(second.headers.get('link')).toBe(`<${t.baseUrl}/api/v1/authorizationServers?limit=4&after=${ids[3]}>; rel="self"`);

    // [as] limit: 200 by default and at most 200, so every server here is on one page.
    for (const query of ['', '?limit=500']) {
      const all = await t.fetch(`/api/v1/authorizationServers${query}`);
      expect((await all.json()).map((s: any) => s.id)).toEqual(ids);
      expect(all.headers.get('link')).toBe(`<${t.baseUrl}/api/v1/authorizationServers${query}>; rel="self"`);
    }
    // A page of no servers for a limit below 1, and the end of the listing for a cursor that names no server.
    for (const query of ['limit=0', 'limit=-1', 'after=ausnosuchserver00000']) {
      const empty = await t.fetch(`/api/v1/authorizationServers?${query}`);
      expect(await empty.json()).toEqual([]);
      expect(empty.headers.get('link')).toBe(`<${t.baseUrl}/api/v1/authorizationServers?${query}>; rel="self"`);
    }
  });

  test('bad input gets Okta E0000001 with causes and changes nothing; unknown ids get E0000007', async () => {
    const noAudience = await sdkError(t.client.authorizationServerApi.createAuthorizationServer({ authorizationServer: { name: 'X', description: 'd' } as any }));
    expect(noAudience).toMatchObject({ status: 400, errorCode: 'E0000001', errorSummary: 'Api validation failed: audiences', causes: ['audiences: The field cannot be left blank'] });
    const server = await ordersServer(t);
    expect((await sdkError(t.client.authorizationServerApi.createAuthorizationServer({ authorizationServer: { name: 'orders', audiences: ['a'] } as any }))).causes).toEqual(['name: An authorization server with this name already exists.']);
    expect((await collect(await t.client.authorizationServerApi.listAuthorizationServers())).length).toBe(2);

    const scopeCauses = async (body: Record<string, unknown>) => (await sdkError(t.client.authorizationServerApi.createOAuth2Scope({ authServerId: server.id, oAuth2Scope: body as any }))).causes;
    expect(await scopeCauses({ name: 'two words' })).toEqual(['name: The scope name cannot contain spaces.']);
    expect(await scopeCauses({ name: 'okta.users.read' })).toEqual(["name: Scope names cannot start with 'okta.'."]);
    expect(await scopeCauses({ name: 'openid' })).toEqual(['name: A scope with this name already exists.']);
    const openid = (await collect(await t.client.authorizationServerApi.listOAuth2Scopes({ authServerId: server.id }))).find((s: any) => s.name === 'openid') as any;
    expect(openid.system).toBe(true);
    expect((await sdkError(t.client.authorizationServerApi.deleteOAuth2Scope({ authServerId: server.id, scopeId: openid.id }))).status).toBe(403);

    const claimCauses = async (body: Record<string, unknown>) => (await sdkError(t.client.authorizationServerApi.createOAuth2Claim({ authServerId: server.id, oAuth2Claim: body as any }))).causes;
    expect(await claimCauses({ name: 'sub', claimType: 'RESOURCE', valueType: 'EXPRESSION', value: 'user.login' })).toEqual(["name: 'sub' is a reserved claim name."]);
    expect(await claimCauses({ name: 'c', claimType: 'RESOURCE', valueType: 'EXPRESSION', value: 'user.login ==' })).toEqual([expect.stringMatching(/^value: /)]);
    expect(await claimCauses({ name: 'c', claimType: 'RESOURCE', valueType: 'GROUPS', value: 'Eng' })).toEqual(['group_filter_type: Must be one of STARTS_WITH, EQUALS, CONTAINS, REGEX.']);
    expect(await claimCauses({ name: 'c', claimType: 'NOPE', value: 'user.login' })).toEqual(['claimType: Must be one of RESOURCE, IDENTITY.']);

    const policy = await servicePolicy(t, server.id);
    expect((await sdkError(t.client.authorizationServerApi.createAuthorizationServerPolicy({ authServerId: server.id, policy: { name: 'P' } as any }))).causes).toEqual([
      'description: The field cannot be left blank',
      'conditions.clients.include: The field cannot be left blank',
    ]);
    const ruleCauses = async (body: Record<string, unknown>) => (await sdkError(rule(t, server.id, policy.id, body))).causes;
    expect(await ruleCauses({ actions: { token: { accessTokenLifetimeMinutes: 2 } } })).toEqual(['actions.token.accessTokenLifetimeMinutes: The access token lifetime must be between 5 minutes and 1 day.']);
    expect(await ruleCauses({ conditions: { people: { groups: { include: ['EVERYONE'] } }, grantTypes: { include: ['magic'] }, scopes: { include: ['nope'] } } })).toEqual([
      'conditions.grantTypes.include: Invalid grant types: magic.',
      'conditions.scopes.include: One or more scopes are not configured for the authorization server resource.',
    ]);
    expect(await collect(await t.client.authorizationServerApi.listAuthorizationServerPolicyRules({ authServerId: server.id, policyId: policy.id }))).toEqual([]);

    const missing = await sdkError(t.client.authorizationServerApi.getAuthorizationServer({ authServerId: 'aus00000000000000000' }));
    expect(missing).toMatchObject({ status: 404, errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: aus00000000000000000 (AuthorizationServer)' });
    expect((await sdkError(t.client.authorizationServerApi.getAuthorizationServerPolicy({ authServerId: server.id, policyId: '00pnope' }))).status).toBe(404);
    const malformed = await t.fetch(`/api/v1/authorizationServers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).errorCode).toBe('E0000003');
  });
});
