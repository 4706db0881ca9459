/**
 * Identity providers through identityProviderApi: CRUD and lifecycle. Sources:
 *  - [idp] Okta Management API, IdentityProvider tag (createIdentityProvider examples CreateGenericOidcIdPRequest and
 *    GoogleIdPResponse: `0oa` ids, the default policy, the authorize and clientRedirectUri links; IdentityProviderType
 *    and the protocol each type speaks)
 */
import { expect, test } from 'vitest';
import { collect, describeOkta, refused, sdkError, sendJson } from '../../support/okta.js';

const GOOGLE = {
  type: 'GOOGLE',
  name: 'Google',
  protocol: { type: 'OIDC', scopes: ['profile', 'email', 'openid'], credentials: { client: { client_id: 'google-client', client_secret: 'google-secret' } } },
};

const GENERIC_OIDC = {
  type: 'OIDC',
  name: 'Partner IdP',
  protocol: {
    type: 'OIDC',
    endpoints: { authorization: { url: 'https://idp.example.com/authorize', binding: 'HTTP-REDIRECT' }, token: { url: 'https://idp.example.com/token', binding: 'HTTP-POST' } },
    issuer: { url: 'https://idp.example.com' },
    scopes: ['openid', 'email'],
    credentials: { client: { client_id: 'partner-client', client_secret: 'partner-secret' } },
  },
};

describeOkta('Story: an admin connects social and enterprise identity providers', (t) => {
  test('create, read, list (q and type), replace, deactivate, activate and delete identity providers', async () => {
    const google: any = await t.client.identityProviderApi.createIdentityProvider({ identityProvider: GOOGLE as any });
    expect(google.id).toMatch(/^0oa[0-9A-Za-z]{17}$/);
    expect(google).toMatchObject({ type: 'GOOGLE', name: 'Google', status: 'ACTIVE', protocol: { type: 'OIDC', scopes: ['profile', 'email', 'openid'] } });
    // [idp GoogleIdPResponse] Okta fills in the default policy.
    expect(google.policy).toMatchObject({ provisioning: { action: 'AUTO', groups: { action: 'NONE' } }, accountLink: { action: 'AUTO' }, subject: { matchType: 'USERNAME' }, maxClockSkew: 0 });
    expect(google._links.authorize.href).toContain(`${t.baseUrl}/oauth2/v1/authorize?idp=${google.id}`);
    expect(google._links.clientRedirectUri.href).toBe(`${t.baseUrl}/oauth2/v1/authorize/callback`);
    const partner: any = await t.client.identityProviderApi.createIdentityProvider({ identityProvider: GENERIC_OIDC as any });
    const saml: any = await t.client.identityProviderApi.createIdentityProvider({
      identityProvider: { type: 'SAML2', name: 'Corp ADFS', protocol: { type: 'SAML2', endpoints: { sso: { url: 'https://adfs.example.com/sso', binding: 'HTTP-POST' } } } } as any,
    });
    expect(saml.policy.subject.userNameTemplate.template).toBe('idpuser.subjectNameId');

    expect((await collect(await t.client.identityProviderApi.listIdentityProviders())).map((i: any) => i.name)).toEqual(['Google', 'Partner IdP', 'Corp ADFS']);
    expect((await collect(await t.client.identityProviderApi.listIdentityProviders({ type: 'SAML2' }))).map((i: any) => i.id)).toEqual([saml.id]);
    expect((await collect(await t.client.identityProviderApi.listIdentityProviders({ q: 'part' }))).map((i: any) => i.id)).toEqual([partner.id]);

    const replaced: any = await t.client.identityProviderApi.replaceIdentityProvider({ idpId: google.id, identityProvider: { ...GOOGLE, name: 'Google Workspace' } as any });
    expect(replaced).toMatchObject({ name: 'Google Workspace', created: google.created });

    expect(await t.client.identityProviderApi.deactivateIdentityProvider({ idpId: google.id })).toMatchObject({ status: 'INACTIVE' });
    expect(await t.client.identityProviderApi.getIdentityProvider({ idpId: google.id })).toMatchObject({ status: 'INACTIVE' });
    expect(await t.client.identityProviderApi.activateIdentityProvider({ idpId: google.id })).toMatchObject({ status: 'ACTIVE' });

    await t.client.identityProviderApi.deleteIdentityProvider({ idpId: google.id });
    const events = await (await t.fetch(`/api/v1/logs?filter=${encodeURIComponent(`target.id eq "${google.id}"`)}`)).json();
    expect(events.map((e: any) => e.eventType)).toEqual(['system.idp.lifecycle.create', 'system.idp.lifecycle.update', 'system.idp.lifecycle.deactivate', 'system.idp.lifecycle.activate', 'system.idp.lifecycle.delete']);
    expect(await sdkError(t.client.identityProviderApi.getIdentityProvider({ idpId: google.id }))).toMatchObject({ status: 404, errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${google.id} (IdentityProvider)` });
  });

  test('the list pages by limit and after with Link headers, as the SDK follows them; type and q still apply; 20 a page by default, at most 200', async () => {
    const made: any[] = [];
    for (let i = 1; i <= 23; i++) made.push(await t.client.identityProviderApi.createIdentityProvider({ identityProvider: { ...GOOGLE, name: `Google ${String(i).padStart(2, '0')}` } as any }));
    const saml: any = await t.client.identityProviderApi.createIdentityProvider({
      identityProvider: { type: 'SAML2', name: 'Corp ADFS', protocol: { type: 'SAML2', endpoints: { sso: { url: 'https://adfs.example.com/sso', binding: 'HTTP-POST' } } } } as any,
    });
    const ids = made.map((i) => i.id);

    // The SDK's collection follows each next link to the end.
    expect((await collect(await t.client.identityProviderApi.listIdentityProviders({ limit: 5 }))).map((i: any) => i.id)).toEqual([...ids, saml.id]);
    expect((await collect(await t.client.identityProviderApi.listIdentityProviders({ type: 'GOOGLE', limit: 10 }))).map((i: any) => i.id)).toEqual(ids);
    expect((await collect(await t.client.identityProviderApi.listIdentityProviders({ q: 'google 1', limit: 3 }))).map((i: any) => i.name)).toEqual(
      ['10', '11', '12', '13', '14', '15', '16', '17', '18', '19'].map((n) => `Google ${n}`),
    );

    // [idp] queryLimit: 20 by default; the next link carries the cursor and the page size.
    const first = await t.fetch('/api/v1/idps');
    expect((await first.json()).map((i: any) => i.id)).toEqual(ids.slice(0, 20));
    expect(first.headers.get('link')).toBe(`<${t.baseUrl}/api/v1/idps>; rel="self", <${t.baseUrl}/api/v1/idps?after=${ids[19]}&limit=20>; rel="next"`);
    const second = await t.fetch(`/api/v1/idps?after=${ids[19]}&limit=20`);
    expect((await second.json()).map((i: any) => i.id)).toEqual([...ids.slice(20), saml.id]);
    expect(second.headers.get('link')).toBe(`<${t.baseUrl}/api/v1/idps?after=${ids[19]}&limit=20>; rel="self"`);
    const typed = await t.fetch('/api/v1/idps?type=GOOGLE&limit=22');
    expect((await typed.json()).length).toBe(22);
    expect(typed.headers.get('link')).toContain(`<${t.baseUrl}/api/v1/idps?type=GOOGLE&limit=22&after=${ids[21]}>; rel="next"`);

    // At most 200 a page; a limit below 1 is refused, as the document's minimum says.
    const capped = await t.fetch('/api/v1/idps?limit=500');
    expect((await capped.json()).length).toBe(24);
    expect(capped.headers.get('link')).toBe(`<${t.baseUrl}/api/v1/idps?limit=500>; rel="self"`);
    for (const limit of ['0', '-1']) expect((await refused(await t.fetch(`/api/v1/idps?limit=${limit}`))).errorCode).toBe('E0000001');

    // A cursor that names no listed IdP ends the listing.
    const gone = await t.fetch('/api/v1/idps?after=0oanosuchidp00000000');
    expect(await gone.json()).toEqual([]);
  });

  test('bad input: no name, an unknown type, a protocol the type does not speak, a missing client id or endpoint are E0000001; the type cannot change', async () => {
    const causes = async (body: Record<string, unknown>) => (await refused(await sendJson(t, '/api/v1/idps', body))).causes;
    expect(await causes({ ...GOOGLE, name: '' })).toEqual(['name: The field cannot be left blank']);
    expect(await causes({ ...GOOGLE, type: 'MYSPACE' })).toEqual([expect.stringMatching(/^type: Must be one of AMAZON, APPLE, /)]);
    expect(await causes({ ...GOOGLE, protocol: { ...GOOGLE.protocol, type: 'SAML2' } })).toEqual(['protocol.type: An identity provider of type GOOGLE uses the OIDC protocol.']);
    expect(await causes({ ...GOOGLE, protocol: { type: 'OIDC' } })).toEqual(['protocol.credentials.client.client_id: The field cannot be left blank']);
    expect(await causes({ ...GENERIC_OIDC, protocol: { ...GENERIC_OIDC.protocol, endpoints: {} } })).toEqual([
      'protocol.endpoints.authorization.url: The field cannot be left blank',
      'protocol.endpoints.token.url: The field cannot be left blank',
    ]);
    expect(await causes({ type: 'SAML2', name: 'S', protocol: { type: 'SAML2' } })).toEqual(['protocol.endpoints.sso.url: The field cannot be left blank']);
    expect(await causes({ name: 'N', type: 'GOOGLE' })).toEqual(['protocol: The field cannot be left blank']);
    expect(await collect(await t.client.identityProviderApi.listIdentityProviders())).toEqual([]);

    const google: any = await t.client.identityProviderApi.createIdentityProvider({ identityProvider: GOOGLE as any });
    expect((await sdkError(t.client.identityProviderApi.replaceIdentityProvider({ idpId: google.id, identityProvider: { ...GOOGLE, type: 'FACEBOOK', protocol: { ...GOOGLE.protocol, type: 'OAUTH2' } } as any }))).causes).toEqual([
      'type: The type of an identity provider cannot be changed.',
    ]);
    expect((await sdkError(t.client.identityProviderApi.activateIdentityProvider({ idpId: '0oanope' }))).status).toBe(404);
  });
});
