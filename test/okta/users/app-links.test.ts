/**
 * A user's app links (UserResources listAppLinks) through the SDK over both transports, and the Users and Groups API
 * reference operations on app links and group rules. Source:
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml (listAppLinks and examples.ListAppLinks, createGroupRule, activateGroupRule)
 */
import okta from '@okta/okta-sdk-nodejs';
import { expect, test } from 'vitest';
import { bookmark, collect, describeOkta, people, person, refused, sdkError, type OktaTarget } from '../../support/okta.js';

const ADMIN = '00uadmintwin00000001';

function createUser(t: OktaTarget, name: string, extra: Record<string, unknown> = {}, activate = true) {
  return t.client.userApi.createUser({ body: { profile: person(name, extra), credentials: { password: { value: 'Tr0ub4dor&3-horse' } } }, activate });
}

async function createGroup(t: OktaTarget, name: string): Promise<string> {
  return (await t.client.groupApi.createGroup({ group: { profile: { name } } })).id!;
}

describeOkta('A user\'s app links (listAppLinks)', (t) => {
  function bookmark(label: string) {
    return t.client.applicationApi.createApplication({
      application: { name: 'bookmark', label, signOnMode: 'BOOKMARK', settings: { app: { requestIntegration: false, url: `https://example.com/${label}` } } } as any,
    }) as Promise<any>;
  }

  test('links of ACTIVE apps assigned directly or through a group, shaped like Okta\'s, in order; others are left out', async () => {
    const user = await createUser(t, 'Link User');
    const wiki = await bookmark('Wiki');
    const crm = await bookmark('CRM');
    const retired = await bookmark('Retired');
    await bookmark('Unassigned');
    await t.client.applicationApi.assignUserToApplication({ appId: wiki.id, appUser: { id: user.id! } });
    await t.client.applicationApi.assignUserToApplication({ appId: retired.id, appUser: { id: user.id! } });
    await t.client.applicationApi.deactivateApplication({ appId: retired.id });
    const group = await createGroup(t, 'CRM users');
    await t.client.groupApi.assignUserToGroup({ groupId: group, userId: user.id! });
    await t.client.applicationApi.assignGroupToApplication({ appId: crm.id, groupId: group, applicationGroupAssignment: {} });

    const links = await collect(await t.client.userApi.listAppLinks({ userId: user.id! }));
    expect(links[0]).toBeInstanceOf(okta.AssignedAppLink);
    expect(links.map((l) => l.label)).toEqual(['Wiki', 'CRM']);
    expect(links.map((l) => l.sortOrder)).toEqual([0, 1]);
    expect(links[0]).toMatchObject({
      id: user.id,
      label: 'Wiki',
      appName: 'bookmark',
      appInstanceId: wiki.id,
      credentialsSetup: false,
      hidden: false,
      linkUrl: wiki._links.appLinks[0].href,
      logoUrl: expect.stringMatching(/^https?:\/\/.+\.png$/),
    });
    expect(links[0].linkUrl).toBe(`${t.baseUrl}/home/bookmark/${wiki.id}/aln${wiki.id.slice(3)}`);
    expect(links[0].appAssignmentId).toMatch(/^0ua[0-9A-Za-z]{17}$/);
    const again = await (await t.fetch(`/api/v1/users/${user.id}/appLinks`)).json();
    expect(again.map((l: any) => l.appAssignmentId)).toEqual(links.map((l) => l.appAssignmentId));
  });

  test('me and a login name the user; an OIDC app\'s link is hidden; a user with no apps has no links', async () => {
    const oidc: any = await t.client.applicationApi.createApplication({
      application: {
        name: 'oidc_client',
        label: 'Portal',
        signOnMode: 'OPENID_CONNECT',
        settings: { oauthClient: { application_type: 'web', grant_types: ['authorization_code'], redirect_uris: ['https://portal.example.com/cb'] } },
      } as any,
    });
    await t.client.applicationApi.assignUserToApplication({ appId: oidc.id, appUser: { id: ADMIN } });
    const mine = await (await t.fetch('/api/v1/users/me/appLinks')).json();
    expect(mine.map((l: any) => [l.label, l.hidden, l.appName])).toContainEqual(['Portal', true, 'oidc_client']);
    const byLogin = await (await t.fetch('/api/v1/users/admin@twin.test/appLinks')).json();
    expect(byLogin).toEqual(mine);
    const loner = await createUser(t, 'Lone Ranger');
    expect(await collect(await t.client.userApi.listAppLinks({ userId: loner.id! }))).toEqual([]);
  });

  test('an unknown user is 404 User; no credentials is 403', async () => {
    const missing = await refused(await t.fetch('/api/v1/users/00unosuchuser0000001/appLinks'), 404);
    expect(missing).toMatchObject({ errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: 00unosuchuser0000001 (User)' });
    // The SDK returns a collection: the request, and so the error, comes with the first read.
    const sdk = await sdkError(t.client.userApi.listAppLinks({ userId: '00unosuchuser0000001' }).then((links) => collect(links)));
    expect(sdk).toMatchObject({ status: 404, errorCode: 'E0000007' });
    expect((await refused(await fetch(`${t.baseUrl}/api/v1/users/${ADMIN}/appLinks`), 403)).errorCode).toBe('E0000005');
  });
});

describeOkta('Users API: app links and group rules (Users and Groups API reference operations)', (t) => {
  test('listAppLinks lists a user\'s direct and group-sourced app links ([spec] listAppLinks, examples.ListAppLinks)', async () => {
    const [user] = await people(t, 1, 'links');
    const wiki = await bookmark(t, 'Wiki');
    const crm = await bookmark(t, 'CRM');
    await t.client.applicationApi.assignUserToApplication({ appId: wiki.id, appUser: { id: user.id } });
    const group: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'CRM users' } } });
    await t.client.groupApi.assignUserToGroup({ groupId: group.id, userId: user.id });
    await t.client.applicationApi.assignGroupToApplication({ appId: crm.id, groupId: group.id, applicationGroupAssignment: {} });
    const links: any[] = await collect(await t.client.userApi.listAppLinks({ userId: user.id }));
    expect(links.map((l) => l.label).sort()).toEqual(['CRM', 'Wiki']);
    for (const link of links) {
      expect(link).toMatchObject({ appName: 'bookmark', appInstanceId: expect.stringMatching(/^0oa/), linkUrl: expect.stringContaining('/home/bookmark/'), hidden: false });
    }
  });

  test('a group rule is created INACTIVE, then activated ([spec] createGroupRule / activateGroupRule)', async () => {
    const group: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'Engineers' } } });
    const rule: any = await t.client.groupApi.createGroupRule({
      groupRule: {
        type: 'group_rule',
        name: 'Engineering department',
        conditions: { expression: { value: 'user.department=="Engineering"', type: 'urn:okta:expression:1.0' } },
        actions: { assignUserToGroups: { groupIds: [group.id] } },
      } as any,
    });
    expect(rule).toMatchObject({ type: 'group_rule', status: 'INACTIVE', name: 'Engineering department' });
    await t.client.groupApi.activateGroupRule({ ruleId: rule.id });
    expect((await t.client.groupApi.getGroupRule({ ruleId: rule.id })).status).toBe('ACTIVE');
  });
});
