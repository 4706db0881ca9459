/**
 * What real clients found in round two, each through the client path that found it: nulls the SDK sends, empty
 * relay states, phone numbers in national form, factor errors in Okta's words, the resend body Okta documents,
 * the RFC 8414 metadata location, and "not emulated" answers instead of a 405 or an id-404. Sources:
 *  - [apps] Okta Applications API examples (OIDC `client_uri`/`logo_uri` null; SAML `signOn.defaultRelayState: null`)
 *  - [factors] Okta Factors API (enrollFactor with `profile.phoneNumber`; errorCauses "Invalid Provider.",
 *    "Factor not enabled."; resendEnrollFactor body `{ factorType, provider, profile: { phoneNumber } }`)
 *  - [sdk] okta-sdk-nodejs integration tests (SMS factors enrolled with `phoneNumber: '162 840 01133'`; resend with `{}`)
 *  - [rfc8414] RFC 8414 §3 (`/.well-known/oauth-authorization-server` followed by the issuer's path)
 */
import { expect, test } from 'vitest';
import { get } from '../support/okta-oauth.js';
import { describeOkta, person, refused, sdkError, sendJson, stateOf, type OktaTarget } from '../support/okta.js';

async function activeUser(t: OktaTarget, name: string) {
  return t.client.userApi.createUser({ body: { profile: person(name), credentials: { password: { value: 'Abcd-1234-xyz' } } }, activate: true });
}

describeOkta('Round two: apps take the nulls Okta sends', (t) => {
  test('an OIDC app with client_uri and logo_uri null is created through the SDK and returns them null', async () => {
    const app: any = await t.client.applicationApi.createApplication({
      application: {
        name: 'oidc_client',
        label: 'Nulls App',
        signOnMode: 'OPENID_CONNECT',
        credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_basic' } },
        settings: {
          oauthClient: {
            client_uri: null,
            logo_uri: null,
            policy_uri: null,
            tos_uri: null,
            initiate_login_uri: null,
            redirect_uris: ['https://nulls.example.com/callback'],
            response_types: ['code'],
            grant_types: ['authorization_code'],
            application_type: 'web',
          },
        },
      } as any,
    });
    expect(app.settings.oauthClient).toMatchObject({ client_uri: null, logo_uri: null, policy_uri: null, tos_uri: null, initiate_login_uri: null });
  });

  test('a SAML app\'s empty defaultRelayState comes back null', async () => {
    const app: any = await t.client.applicationApi.createApplication({
      application: {
        label: 'Relay App',
        signOnMode: 'SAML_2_0',
        settings: {
          signOn: {
            defaultRelayState: '',
            ssoAcsUrl: 'https://relay.example.com/sso/saml',
            audience: 'https://relay.example.com',
            recipient: 'https://relay.example.com/sso/saml',
            destination: 'https://relay.example.com/sso/saml',
            subjectNameIdTemplate: '${user.userName}',
            subjectNameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
          },
        },
      } as any,
    });
    expect(app.settings.signOn.defaultRelayState).toBeNull();
    expect(app.settings.signOn.ssoAcsUrl).toBe('https://relay.example.com/sso/saml');
    const read: any = await t.client.applicationApi.getApplication({ appId: app.id });
    expect(read.settings.signOn.defaultRelayState).toBeNull();
  });

  test('empty notes and redirect URLs come back null, as Okta\'s examples show them', async () => {
    const app: any = await t.client.applicationApi.createApplication({
      application: { name: 'bookmark', label: 'Empty Strings', signOnMode: 'BOOKMARK', accessibility: { selfService: false, errorRedirectUrl: '', loginRedirectUrl: '' }, settings: { app: { url: 'https://example.com/b' }, notes: { admin: '', enduser: '' } } } as any,
    });
    expect(app.accessibility).toEqual({ selfService: false, errorRedirectUrl: null, loginRedirectUrl: null });
    expect(app.settings.notes).toEqual({ admin: null, enduser: null });
  });
});

describeOkta('Round two: factor enrollment as Okta answers it', (t) => {
  test('sms and call numbers in national form, with spaces, are accepted and returned in E.164', async () => {
    const user = await activeUser(t, 'Phone National');
    const sms: any = await t.client.userFactorApi.enrollFactor({ userId: user.id!, body: { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: '415 555 0100' } } as any });
    expect(sms.profile.phoneNumber).toBe('+14155550100');
    const other = await activeUser(t, 'Phone Trunk');
    const call: any = await t.client.userFactorApi.enrollFactor({ userId: other.id!, body: { factorType: 'call', provider: 'OKTA', profile: { phoneNumber: '162 840 01133' } } as any });
    expect(call.profile.phoneNumber).toBe('+16284001133');
    // An international number is kept as written, as Okta's examples show it.
    const third = await activeUser(t, 'Phone International');
    const intl: any = await t.client.userFactorApi.enrollFactor({ userId: third.id!, body: { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: '+1 555 0100' } } as any });
    expect(intl.profile.phoneNumber).toBe('+1 555 0100');
    for (const phoneNumber of ['911 555 0100', '555 415 1337', '12345']) {
      const failure = await sdkError(t.client.userFactorApi.enrollFactor({ userId: third.id!, body: { factorType: 'call', provider: 'OKTA', profile: { phoneNumber } } as any }));
      expect(failure).toMatchObject({ status: 400, errorCode: 'E0000001', causes: ['Invalid Phone Number.'] });
    }
  });

  test('an unknown provider is "Invalid Provider."; a factor the org has not enabled is "Factor not enabled."', async () => {
    const user = await activeUser(t, 'Factor Errors');
    const provider = await sdkError(t.client.userFactorApi.enrollFactor({ userId: user.id!, body: { factorType: 'sms', provider: 'ACME', profile: { phoneNumber: '+14155550100' } } as any }));
    expect(provider).toMatchObject({ status: 400, errorCode: 'E0000001', errorSummary: 'Api validation failed: factorEnrollRequest', causes: ['Invalid Provider.'] });
    const yubico = await sdkError(t.client.userFactorApi.enrollFactor({ userId: user.id!, body: { factorType: 'token:hardware', provider: 'YUBICO', verify: { passCode: 'cccccceukngdfgkukfctkcvfidnetljjiknckkcjulji' } } as any }));
    expect(yubico).toMatchObject({ status: 400, errorCode: 'E0000001', causes: ['Factor not enabled.'] });
    const webauthn = await refused(await sendJson(t, `/api/v1/users/${user.id}/factors`, { factorType: 'webauthn', provider: 'FIDO' }), 400);
    expect(webauthn.causes).toEqual(['Factor not enabled.']);
  });

  test('resend takes the body Okta documents, or the SDK\'s empty one; a body naming another factor is refused', async () => {
    const user = await activeUser(t, 'Resend Body');
    const factor: any = await t.client.userFactorApi.enrollFactor({ userId: user.id!, body: { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: '415 555 0100' } } as any });
    const first = (await stateOf(t)).factorCodes![factor.id];
    const documented: any = await t.client.userFactorApi.resendEnrollFactor({ userId: user.id!, factorId: factor.id, resendUserFactor: { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: '+1 415 555 0100' } } as any });
    expect(documented).toMatchObject({ id: factor.id, status: 'PENDING_ACTIVATION' });
    expect((await stateOf(t)).factorCodes![factor.id]).not.toBe(first);
    const empty: any = await t.client.userFactorApi.resendEnrollFactor({ userId: user.id!, factorId: factor.id, resendUserFactor: {} as any });
    expect(empty.id).toBe(factor.id);
    const wrongType = await refused(await sendJson(t, `/api/v1/users/${user.id}/factors/${factor.id}/resend`, { factorType: 'call', provider: 'OKTA' }), 400);
    expect(wrongType.errorCode).toBe('E0000001');
    const wrongPhone = await refused(await sendJson(t, `/api/v1/users/${user.id}/factors/${factor.id}/resend`, { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: '+1 628 400 1133' } }), 400);
    expect(wrongPhone.causes[0]).toMatch(/^profile\.phoneNumber: /);
  });
});

describeOkta('Round two: discovery and what is not emulated', (t) => {
  test('the RFC 8414 location serves the default server\'s OAuth metadata; discovery names only served endpoints', async () => {
    const rfc = await get(t, '/.well-known/oauth-authorization-server/oauth2/default');
    expect(rfc.status).toBe(200);
    const doc = await rfc.json();
    expect(doc).toEqual(await (await get(t, '/oauth2/default/.well-known/oauth-authorization-server')).json());
    expect(doc.issuer).toBe(`${t.baseUrl}/oauth2/default`);
    for (const path of ['/.well-known/openid-configuration', '/oauth2/default/.well-known/openid-configuration', '/.well-known/oauth-authorization-server/oauth2/default']) {
      const metadata = await (await get(t, path)).json();
      expect(Object.keys(metadata)).not.toEqual(expect.arrayContaining(['registration_endpoint']));
      expect(metadata.device_authorization_endpoint).toBeUndefined();
      expect(metadata.pushed_authorization_request_endpoint).toBeUndefined();
      expect(metadata.grant_types_supported).not.toContain('urn:ietf:params:oauth:grant-type:device_code');
    }
    expect((await get(t, '/.well-known/oauth-authorization-server/oauth2/nosuchserver')).status).toBe(404);
  });

  test('a method Okta serves that the twin does not emulate is "not emulated", not 405; Okta\'s own 405s stay', async () => {
    const app: any = await t.client.applicationApi.createApplication({ application: { name: 'bookmark', label: 'Patchy', signOnMode: 'BOOKMARK', settings: { app: { url: 'https://example.com/b' } } } as any });
    const group = await t.client.groupApi.createGroup({ group: { profile: { name: 'Patchers' } } });
    const patch = await sdkError(t.client.applicationApi.updateGroupAssignmentToApplication({ appId: app.id, groupId: group.id!, jsonPatchOperation: [{ op: 'replace', path: '/priority', value: 1 }] as any }));
    expect(patch).toMatchObject({ status: 404, errorCode: 'E0000007', errorSummary: `Not found: Resource not found: PATCH /api/v1/apps/${app.id}/groups/${group.id} (not emulated by the twinverse Okta twin)` });
    const lacking = await refused(await t.fetch('/api/v1/users', { method: 'DELETE' }), 405);
    expect(lacking.errorCode).toBe('E0000022');
  });

  test('a fixed sub-path Okta has is "not emulated", not a 404 for an id', async () => {
    const simulate = await sdkError(t.client.policyApi.createPolicySimulation({ simulatePolicy: [{ policyTypes: ['OKTA_SIGN_ON'], appInstance: '0oa1' }] as any }));
    expect(simulate).toMatchObject({ status: 404, errorSummary: 'Not found: Resource not found: POST /api/v1/policies/simulate (not emulated by the twinverse Okta twin)' });
    const read = await refused(await t.fetch('/api/v1/policies/simulate'), 404);
    expect(read.errorSummary).toBe('Not found: Resource not found: GET /api/v1/policies/simulate (not emulated by the twinverse Okta twin)');
  });
});
