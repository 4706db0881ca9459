/**
 * Inline hooks through inlineHookApi: CRUD and lifecycle, and `execute` against a loopback hook service. Sources:
 *  - [ih] Okta Management API, InlineHook tag (createInlineHook: "creates an inline hook for your org in an ACTIVE
 *    status", the URI "must begin with https://", at most 50 hooks; InlineHookMgmtCreateHTTPResponse: the auth scheme
 *    comes back without its value; deleteInlineHook: "only inline hooks with a status of INACTIVE are eligible for
 *    deletion"; executeInlineHook: three-second timeout, one retry on a timeout or an error response, 400 otherwise)
 *  - Okta's inline hooks concept: no one-time verification (that is an event hook's), unlike event hooks
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { afterEach, expect, test } from 'vitest';
import { authorize, basic, employee, postForm, REDIRECT_URI, webApp } from '../../support/okta-oauth.js';
import { collect, describeOkta, refused, sdkError, sendJson } from '../../support/okta.js';

const TOKEN_HOOK = {
  name: 'Token enrichment',
  type: 'com.okta.oauth2.tokens.transform',
  version: '1.0.0',
  channel: {
    type: 'HTTP',
    version: '1.0.0',
    config: { uri: 'https://hooks.example.com/token', headers: [{ key: 'x-any-key', value: 'my-header-value' }], method: 'POST', authScheme: { type: 'HEADER', key: 'Authorization', value: 'my-shared-secret' } },
  },
};

describeOkta('Story: a developer registers a token inline hook', (t) => {
  test('create (ACTIVE, no secret echoed), read, list by type, update, replace, deactivate, delete', async () => {
    const created: any = await t.client.inlineHookApi.createInlineHook({ inlineHook: TOKEN_HOOK as any });
    expect(created.id).toMatch(/^cal[0-9A-Za-z]{17}$/);
    expect(created).toMatchObject({ status: 'ACTIVE', name: 'Token enrichment', type: 'com.okta.oauth2.tokens.transform', version: '1.0.0' });
    expect(created.channel.config).toMatchObject({ uri: 'https://hooks.example.com/token', method: 'POST', headers: [{ key: 'x-any-key', value: 'my-header-value' }] });
    expect(JSON.stringify(created)).not.toContain('my-shared-secret');
    await t.client.inlineHookApi.createInlineHook({ inlineHook: { ...TOKEN_HOOK, name: 'Registration', type: 'com.okta.user.pre-registration' } as any });

    expect(await t.client.inlineHookApi.getInlineHook({ inlineHookId: created.id })).toMatchObject({ name: 'Token enrichment' });
    // An access rule of a custom server may name a token inline hook.
    const server: any = await t.client.authorizationServerApi.createAuthorizationServer({ authorizationServer: { name: 'Hooked', description: 'd', audiences: ['api://hooked'] } });
    const policy: any = await t.client.authorizationServerApi.createAuthorizationServerPolicy({ authServerId: server.id, policy: { name: 'P', description: 'd', conditions: { clients: { include: ['ALL_CLIENTS'] } } } as any });
    const rule = { name: 'R', conditions: { people: { groups: { include: ['EVERYONE'] } }, grantTypes: { include: ['client_credentials'] }, scopes: { include: ['*'] } } };
    const hooked: any = await t.client.authorizationServerApi.createAuthorizationServerPolicyRule({ authServerId: server.id, policyId: policy.id, policyRule: { ...rule, actions: { token: { inlineHook: { id: created.id } } } } as any });
    expect(hooked.actions.token.inlineHook).toEqual({ id: created.id });
    const registration = (await collect(await t.client.inlineHookApi.listInlineHooks({ type: 'com.okta.user.pre-registration' })))[0] as any;
    expect((await refused(await sendJson(t, `/api/v1/authorizationServers/${server.id}/policies/${policy.id}/rules`, { ...rule, actions: { token: { inlineHook: { id: registration.id } } } }))).causes).toEqual([
      'actions.token.inlineHook.id: The inline hook must be a token inline hook (com.okta.oauth2.tokens.transform).',
    ]);
    expect((await collect(await t.client.inlineHookApi.listInlineHooks())).length).toBe(2);
    expect((await collect(await t.client.inlineHookApi.listInlineHooks({ type: 'com.okta.user.pre-registration' }))).map((h: any) => h.name)).toEqual(['Registration']);

    const updated = await (await sendJson(t, `/api/v1/inlineHooks/${created.id}`, { name: 'Token enrichment v2' })).json();
    expect(updated).toMatchObject({ name: 'Token enrichment v2', channel: { config: { uri: 'https://hooks.example.com/token' } } });
    const replaced: any = await t.client.inlineHookApi.replaceInlineHook({ inlineHookId: created.id, inlineHook: { ...TOKEN_HOOK, channel: { ...TOKEN_HOOK.channel, config: { ...TOKEN_HOOK.channel.config, uri: 'https://hooks.example.com/v3' } } } as any });
    expect(replaced).toMatchObject({ name: 'Token enrichment', channel: { config: { uri: 'https://hooks.example.com/v3' } } });

    // [ih] only an INACTIVE hook can be deleted.
    expect(await sdkError(t.client.inlineHookApi.deleteInlineHook({ inlineHookId: created.id }))).toMatchObject({ status: 400, errorCode: 'E0000001' });
    expect(await t.client.inlineHookApi.deactivateInlineHook({ inlineHookId: created.id })).toMatchObject({ status: 'INACTIVE' });
    expect(await t.client.inlineHookApi.activateInlineHook({ inlineHookId: created.id })).toMatchObject({ status: 'ACTIVE' });
    await t.client.inlineHookApi.deactivateInlineHook({ inlineHookId: created.id });
    await t.client.inlineHookApi.deleteInlineHook({ inlineHookId: created.id });
    expect(await sdkError(t.client.inlineHookApi.getInlineHook({ inlineHookId: created.id }))).toMatchObject({ status: 404, errorSummary: `Not found: Resource not found: ${created.id} (InlineHook)` });
  });

  test('bad input: an unknown type, a plain-HTTP URI off loopback, no version and an auth scheme without a value are E0000001; nothing is created', async () => {
    const causes = async (body: Record<string, unknown>) => (await refused(await sendJson(t, '/api/v1/inlineHooks', body))).causes;
    expect(await causes({ ...TOKEN_HOOK, type: 'com.okta.nope' })).toEqual([expect.stringMatching(/^type: Must be one of com\.okta\.import\.transform, /)]);
    expect(await causes({ ...TOKEN_HOOK, channel: { ...TOKEN_HOOK.channel, config: { uri: 'http://hooks.example.com/token' } } })).toEqual(['channel.config.uri: The URI must begin with https:// and contain no white space.']);
    expect(await causes({ ...TOKEN_HOOK, version: '' })).toEqual(['version: The field cannot be left blank']);
    expect(await causes({ ...TOKEN_HOOK, channel: { ...TOKEN_HOOK.channel, config: { uri: 'https://h.example.com', authScheme: { type: 'HEADER', key: 'Authorization' } } } })).toEqual([
      'channel.config.authScheme.value: The field cannot be left blank',
    ]);
    expect(await collect(await t.client.inlineHookApi.listInlineHooks())).toEqual([]);
    const created: any = await t.client.inlineHookApi.createInlineHook({ inlineHook: TOKEN_HOOK as any });
    expect((await refused(await sendJson(t, `/api/v1/inlineHooks/${created.id}`, { type: 'com.okta.import.transform' }))).causes).toEqual(['type: The type of an inline hook cannot be changed.']);
  });
});

/** A loopback hook service: answers each request with `answer(n)` and records what Okta sent. */
async function hookService(answer: (n: number) => { status: number; body: unknown }) {
  const received: { headers: IncomingMessage['headers']; body: unknown }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(body) });
      const reply = answer(received.length);
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token-hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describeOkta('Story: a developer tries a token inline hook with execute', (t) => {
  const services: { close(): Promise<void> }[] = [];
  afterEach(async () => void (await Promise.all(services.splice(0).map((s) => s.close()))));

  test("execute sends the payload with the hook's headers and secret and answers with the hook's reply; a failing hook is retried once, then a 400", async () => {
    const commands = { commands: [{ type: 'com.okta.access.patch', value: [{ op: 'add', path: '/claims/extPatientId', value: '1234' }] }] };
    const service = await hookService((n) => (n === 1 ? { status: 200, body: commands } : { status: 500, body: {} }));
    services.push(service);
    const hook: any = await t.client.inlineHookApi.createInlineHook({ inlineHook: { ...TOKEN_HOOK, channel: { ...TOKEN_HOOK.channel, config: { ...TOKEN_HOOK.channel.config, uri: service.url } } } as any });
    const payload = { eventType: 'com.okta.oauth2.tokens.transform', data: { context: { protocol: { type: 'OAUTH2.0' } } } };
    // A twin under MSW reaches its hook only as the suite's onUnhandledRequest allows (msw 2 refuses a loopback
    // call under 'error', msw 3 lets it through): the HTTP transports cover the call itself.
    if (t.transport === 'msw') return;
    expect(await (await sendJson(t, `/api/v1/inlineHooks/${hook.id}/execute`, payload)).json()).toEqual(commands);
    expect(service.received[0]).toMatchObject({ body: payload, headers: { authorization: 'my-shared-secret', 'x-any-key': 'my-header-value', 'content-type': 'application/json' } });

    const failed = await refused(await sendJson(t, `/api/v1/inlineHooks/${hook.id}/execute`, payload));
    expect(failed).toMatchObject({ errorCode: 'E0000001', causes: ['The inline hook responded with HTTP 500.'] });
    expect(service.received).toHaveLength(3);
  });

  test('an OAuth 2.0 channel (client_secret_post): the twin gets a token at the channel\'s token URL and sends it as a Bearer token', async () => {
    const service = await hookService(() => ({ status: 200, body: { commands: [] } }));
    services.push(service);
    const oauthChannel = {
      type: 'OAUTH',
      version: '1.0.0',
      config: { uri: service.url, headers: [], method: 'POST', authType: 'client_secret_post', clientId: '0oatwinservice000001', clientSecret: 'twin-okta-client-secret', tokenUrl: `${t.baseUrl}/oauth2/default/v1/token`, scope: 'api:read' },
    };
    const hook = await (await sendJson(t, '/api/v1/inlineHooks', { ...TOKEN_HOOK, channel: oauthChannel })).json();
    expect(hook.channel).toMatchObject({ type: 'OAUTH', config: { authType: 'client_secret_post', clientId: '0oatwinservice000001', scope: 'api:read', authScheme: null } });
    expect(hook.channel.config).not.toHaveProperty('clientSecret');
    expect(hook._links.execute.href).toBe(`${t.baseUrl}/api/v1/inlineHooks/${hook.id}/execute`);

    const missing = await refused(await sendJson(t, '/api/v1/inlineHooks', { ...TOKEN_HOOK, channel: { ...oauthChannel, config: { uri: service.url, authType: 'client_secret_post', tokenUrl: 'nope' } } }));
    expect(missing.causes).toEqual([
      'channel.config.clientId: The field cannot be left blank',
      'channel.config.tokenUrl: The URI must begin with https:// and contain no white space.',
      'channel.config.clientSecret: The field cannot be left blank',
    ]);

    const res = await sendJson(t, `/api/v1/inlineHooks/${hook.id}/execute`, { data: {} });
    if (t.transport === 'msw') return; // see the first test of this story
    expect(res.status).toBe(200);
    expect(service.received[0].headers.authorization).toMatch(/^Bearer ey/);
  });

  test('a token inline hook named by an access rule patches the tokens it mints; an error answer stops them with server_error; a failing hook leaves them as they are', async () => {
    const service = await hookService((n) =>
      n === 1
        ? { status: 200, body: { commands: [{ type: 'com.okta.access.patch', value: [{ op: 'add', path: '/claims/tier', value: 'gold' }, { op: 'remove', path: '/claims/sub' }, { op: 'replace', path: '/token/lifetime/expiration', value: 600 }] }] } }
        : n === 2
          ? { status: 200, body: { error: { errorSummary: 'Orders service says no' } } }
          : { status: 500, body: {} },
    );
    services.push(service);
    const hook: any = await t.client.inlineHookApi.createInlineHook({ inlineHook: { ...TOKEN_HOOK, channel: { ...TOKEN_HOOK.channel, config: { ...TOKEN_HOOK.channel.config, uri: service.url } } } as any });
    const server: any = await t.client.authorizationServerApi.createAuthorizationServer({ authorizationServer: { name: 'Orders', description: 'd', audiences: ['api://orders'] } });
    await t.client.authorizationServerApi.createOAuth2Scope({ authServerId: server.id, oAuth2Scope: { name: 'orders:read' } as any });
    const policy: any = await t.client.authorizationServerApi.createAuthorizationServerPolicy({ authServerId: server.id, policy: { name: 'P', description: 'd', conditions: { clients: { include: ['ALL_CLIENTS'] } } } as any });
    const rule: any = await t.client.authorizationServerApi.createAuthorizationServerPolicyRule({
      authServerId: server.id,
      policyId: policy.id,
      policyRule: { name: 'R', conditions: { people: { groups: { include: ['EVERYONE'] } }, grantTypes: { include: ['client_credentials'] }, scopes: { include: ['*'] } }, actions: { token: { inlineHook: { id: hook.id } } } } as any,
    });
    const token = () => postForm(t, `/oauth2/${server.id}/v1/token`, { grant_type: 'client_credentials', scope: 'orders:read' }, { authorization: basic('0oatwinservice000001', 'twin-okta-client-secret') });

    const first = await token();
    expect(first.status).toBe(200);
    const body = await first.json();
    if (t.transport === 'msw') return; // see the first test of this story
    expect(body.expires_in).toBe(600);
    const claims = decodeJwt(body.access_token);
    // A hook may not touch reserved claims such as sub.
    expect(claims).toMatchObject({ tier: 'gold', sub: '0oatwinservice000001' });
    expect(claims.exp! - claims.iat!).toBe(600);
    expect(service.received[0].body).toMatchObject({
      eventType: 'com.okta.oauth2.tokens.transform',
      data: {
        context: { protocol: { type: 'OAUTH2.0', request: { grant_type: 'client_credentials', scope: 'orders:read' }, issuer: { uri: server.issuer } }, policy: { id: policy.id, rule: { id: rule.id } } },
        access: { claims: { aud: 'api://orders', cid: '0oatwinservice000001', scp: ['orders:read'] }, token: { lifetime: { expiration: 3600 } } },
      },
    });
    expect(service.received[0].headers.authorization).toBe('my-shared-secret');

    const refusedByHook = await token();
    expect(refusedByHook.status).toBe(400);
    expect(await refusedByHook.json()).toEqual({ error: 'server_error', error_description: 'Orders service says no' });

    const unchanged = await (await token()).json();
    expect(unchanged.expires_in).toBe(3600);
    expect(decodeJwt(unchanged.access_token)).not.toHaveProperty('tier');
  });

  test('the implicit flow at /authorize goes through the token hook too, and its error comes back on the redirect', async () => {
    const service = await hookService((n) =>
      n === 1
        ? { status: 200, body: { commands: [{ type: 'com.okta.identity.patch', value: [{ op: 'add', path: '/claims/patientId', value: '1234' }] }, { type: 'com.okta.access.patch', value: [{ op: 'replace', path: '/token/lifetime/expiration', value: 900 }] }] } }
        : { status: 200, body: { error: {} } },
    );
    services.push(service);
    const hook: any = await t.client.inlineHookApi.createInlineHook({ inlineHook: { ...TOKEN_HOOK, channel: { ...TOKEN_HOOK.channel, config: { ...TOKEN_HOOK.channel.config, uri: service.url } } } as any });
    const app = await webApp(t, { response_types: ['token', 'id_token'] }, ['implicit']);
    await employee(t, app);
    const server: any = await t.client.authorizationServerApi.createAuthorizationServer({ authorizationServer: { name: 'Patients', description: 'd', audiences: ['api://patients'] } });
    const policy: any = await t.client.authorizationServerApi.createAuthorizationServerPolicy({ authServerId: server.id, policy: { name: 'P', description: 'd', conditions: { clients: { include: ['ALL_CLIENTS'] } } } as any });
    await t.client.authorizationServerApi.createAuthorizationServerPolicyRule({
      authServerId: server.id,
      policyId: policy.id,
      policyRule: { name: 'R', conditions: { people: { groups: { include: ['EVERYONE'] } }, grantTypes: { include: ['implicit'] }, scopes: { include: ['*'] } }, actions: { token: { inlineHook: { id: hook.id } } } } as any,
    });
    const params = { client_id: app.clientId, response_type: 'id_token token', scope: 'openid', redirect_uri: REDIRECT_URI, state: 's1', nonce: 'n1', login_hint: 'kj@example.com' };
    const back = await authorize(t, params, `/oauth2/${server.id}`);
    if (t.transport === 'msw') return; // see the first test of this story
    expect(back.get('expires_in')).toBe('900');
    expect(decodeJwt(back.get('id_token')!)).toMatchObject({ patientId: '1234', nonce: 'n1' });
    expect(service.received[0].body).toMatchObject({ data: { context: { protocol: { request: { grant_type: 'implicit' } } } } });
    const denied = await authorize(t, params, `/oauth2/${server.id}`);
    expect([denied.get('error'), denied.get('error_description'), denied.get('state')]).toEqual(['server_error', 'The callback service returned an error', 's1']);
  });
});
