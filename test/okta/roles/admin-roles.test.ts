/**
 * Admin roles of users and groups (SDK roleAssignmentApi), their targets (SDK roleTargetApi), and their enforcement:
 * an API token acts with its user's roles, and a call no role covers is 403 E0000006. Sources: the management spec
 * (listAssignedRolesForUser, assignRoleToUser 201, getUserAssignedRole, unassignRoleFromUser, the group equivalents,
 * the RoleTarget operations; examples.ErrorAccessDenied) and Okta's "Administrators" role comparison.
 */
import { expect, test } from 'vitest';
import { collect, describeOkta, refused, sdkError, sendJson, stateOf, changeState, type OktaTarget } from '../../support/okta.js';

const ADMIN_ID = '00uadmintwin00000001';

async function person(t: OktaTarget, first: string, groupIds: string[] = []) {
  const login = `${first.toLowerCase()}.role@example.com`;
  return t.client.userApi.createUser({ body: { profile: { firstName: first, lastName: 'Role', email: login, login }, credentials: { password: { value: 'Tr0ub4dor-Horse9' } }, groupIds } });
}

/** An SDK client with an API token of this user (as the user would make one in the Admin Console). */
async function clientOf(t: OktaTarget, userId: string) {
  const token = `token-of-${userId}`;
  await changeState(t, (state) => {
    state.apiTokens.push({ token, userId, name: 'test token' });
  });
  return t.makeClient({ token });
}

function assign(t: OktaTarget, userId: string, type: string) {
  return t.client.roleAssignmentApi.assignRoleToUser({ userId, assignRoleRequest: { type } as any }) as Promise<any>;
}

describeOkta('Admin roles: assignments', (t) => {
  test('the seeded admin is a super admin; a role assigned to a user is listed, read and unassigned', async () => {
    const mine: any[] = await collect(await t.client.roleAssignmentApi.listAssignedRolesForUser({ userId: ADMIN_ID }));
    expect(mine.map((r) => [r.type, r.label, r.assignmentType])).toEqual([['SUPER_ADMIN', 'Super Administrator', 'USER']]);
    const uma = await person(t, 'Uma');
    const created = await assign(t, uma.id!, 'USER_ADMIN');
    expect(created).toMatchObject({ type: 'USER_ADMIN', label: 'User Administrator', status: 'ACTIVE', assignmentType: 'USER' });
    const raw = await (await t.fetch(`/api/v1/users/${uma.id}/roles/${created.id}`)).json();
    expect(raw._links.assignee.href).toBe(`${t.baseUrl}/api/v1/users/${uma.id}`);
    expect((await t.client.roleAssignmentApi.getUserAssignedRole({ userId: uma.id!, roleId: created.id })).type).toBe('USER_ADMIN');
    await t.client.roleAssignmentApi.unassignRoleFromUser({ userId: uma.id!, roleId: created.id });
    expect(await collect(await t.client.roleAssignmentApi.listAssignedRolesForUser({ userId: uma.id! }))).toEqual([]);
    expect((await stateOf(t)).systemLog!.filter((e) => e.eventType.startsWith('user.account.privilege.')).map((e) => e.eventType)).toEqual(['user.account.privilege.grant', 'user.account.privilege.revoke']);
  });

  test('group roles: listed, read and unassigned; the members hold them', async () => {
    const group: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'Auditors' } } });
    const created: any = await t.client.roleAssignmentApi.assignRoleToGroup({ groupId: group.id, assignRoleRequest: { type: 'READ_ONLY_ADMIN' } as any });
    expect(created).toMatchObject({ type: 'READ_ONLY_ADMIN', assignmentType: 'GROUP' });
    expect((await collect(await t.client.roleAssignmentApi.listGroupAssignedRoles({ groupId: group.id }))).map((r: any) => r.id)).toEqual([created.id]);
    expect((await t.client.roleAssignmentApi.getGroupAssignedRole({ groupId: group.id, roleId: created.id })).type).toBe('READ_ONLY_ADMIN');
    const ann = await person(t, 'Ann', [group.id]);
    const ann$ = await clientOf(t, ann.id!);
    expect((await ann$.userApi.getUser({ userId: ADMIN_ID })).id).toBe(ADMIN_ID);
    expect(await sdkError(ann$.groupApi.createGroup({ group: { profile: { name: 'Nope' } } }))).toMatchObject({ status: 403, errorCode: 'E0000006' });
    await t.client.roleAssignmentApi.unassignRoleFromGroup({ groupId: group.id, roleId: created.id });
    expect((await sdkError(ann$.userApi.getUser({ userId: ADMIN_ID }))).status).toBe(403);
  });
});

describeOkta('Admin roles: enforcement', (t) => {
  test('a token of a user without a role is 403 E0000006, but reads its own record; a USER_ADMIN manages users but not apps', async () => {
    const bob = await person(t, 'Bob');
    const bob$ = await clientOf(t, bob.id!);
    expect(await sdkError(bob$.userApi.listUsers().then(collect))).toMatchObject({ status: 403, errorCode: 'E0000006', errorSummary: 'You do not have permission to perform the requested action' });
    expect((await bob$.userApi.getUser({ userId: 'me' })).id).toBe(bob.id);
    expect((await bob$.userApi.getUser({ userId: bob.id! })).id).toBe(bob.id);

    await assign(t, bob.id!, 'USER_ADMIN');
    expect((await collect(await bob$.userApi.listUsers())).length).toBeGreaterThan(1);
    const carl = await bob$.userApi.createUser({ body: { profile: { firstName: 'Carl', lastName: 'Role', email: 'carl@example.com', login: 'carl@example.com' } }, activate: false });
    expect(carl.status).toBe('STAGED');
    expect((await sdkError(bob$.applicationApi.listApplications().then(collect))).errorCode).toBe('E0000006');
    expect((await sdkError(bob$.roleAssignmentApi.assignRoleToUser({ userId: bob.id!, assignRoleRequest: { type: 'SUPER_ADMIN' } as any }))).errorCode).toBe('E0000006');
    // The seeded admin's token keeps working throughout.
    expect((await collect(await t.client.applicationApi.listApplications())).length).toBeGreaterThan(0);
  });

  test('a USER_ADMIN limited to a group manages only that group and its members', async () => {
    const west: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'West' } } });
    const east: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'East' } } });
    const wes = await person(t, 'Wes', [west.id]);
    const eve = await person(t, 'Eve', [east.id]);
    const hal = await person(t, 'Hal');
    const role = await assign(t, hal.id!, 'USER_ADMIN');
    await t.client.roleTargetApi.assignGroupTargetToUserRole({ userId: hal.id!, roleId: role.id, groupId: west.id });
    const targets: any[] = await collect(await t.client.roleTargetApi.listGroupTargetsForRole({ userId: hal.id!, roleId: role.id }));
    expect(targets.map((g) => g.profile.name)).toEqual(['West']);
    const hal$ = await clientOf(t, hal.id!);
    expect((await hal$.userApi.getUser({ userId: wes.id! })).id).toBe(wes.id);
    expect((await sdkError(hal$.userApi.getUser({ userId: eve.id! }))).errorCode).toBe('E0000006');
    expect((await hal$.groupApi.getGroup({ groupId: west.id })).id).toBe(west.id);
    expect((await sdkError(hal$.groupApi.getGroup({ groupId: east.id }))).errorCode).toBe('E0000006');

    await t.client.roleTargetApi.assignGroupTargetToUserRole({ userId: hal.id!, roleId: role.id, groupId: east.id });
    expect((await hal$.userApi.getUser({ userId: eve.id! })).id).toBe(eve.id);
    await t.client.roleTargetApi.unassignGroupTargetFromUserAdminRole({ userId: hal.id!, roleId: role.id, groupId: east.id });
    expect((await sdkError(hal$.userApi.getUser({ userId: eve.id! }))).status).toBe(403);
    // The last target stays: removing it would widen the role to every group.
    const last = await sdkError(t.client.roleTargetApi.unassignGroupTargetFromUserAdminRole({ userId: hal.id!, roleId: role.id, groupId: west.id }));
    expect(last).toMatchObject({ status: 400, errorCode: 'E0000001' });
  });

  test('an APP_ADMIN limited to one app manages that app only', async () => {
    const make = (label: string) =>
      t.client.applicationApi.createApplication({ application: { name: 'bookmark', label, signOnMode: 'BOOKMARK', settings: { app: { requestIntegration: false, url: `https://example.com/${label}` } } } as any }) as Promise<any>;
    const wiki = await make('Wiki');
    const blog = await make('Blog');
    const ada = await person(t, 'Ada');
    const role = await assign(t, ada.id!, 'APP_ADMIN');
    await t.client.roleTargetApi.assignAppInstanceTargetToAppAdminRoleForUser({ userId: ada.id!, roleId: role.id, appName: 'bookmark', applicationId: wiki.id });
    const apps: any[] = await collect(await t.client.roleTargetApi.listApplicationTargetsForApplicationAdministratorRoleForUser({ userId: ada.id!, roleId: role.id }));
    expect(apps.map((a) => [a.name, a.displayName])).toEqual([['bookmark', 'Wiki']]);
    const ada$ = await clientOf(t, ada.id!);
    expect((await ada$.applicationApi.getApplication({ appId: wiki.id })).id).toBe(wiki.id);
    expect((await sdkError(ada$.applicationApi.getApplication({ appId: blog.id }))).errorCode).toBe('E0000006');
    await t.client.roleTargetApi.assignAppTargetToAdminRoleForUser({ userId: ada.id!, roleId: role.id, appName: 'bookmark' });
    expect((await ada$.applicationApi.getApplication({ appId: blog.id })).id).toBe(blog.id);
  });

  test('group role targets for apps: a group APP_ADMIN limited to an app, then to the whole catalog app, then the targets removed', async () => {
    const app: any = await t.client.applicationApi.createApplication({ application: { name: 'bookmark', label: 'Intranet', signOnMode: 'BOOKMARK', settings: { app: { requestIntegration: false, url: 'https://example.com/intranet' } } } as any });
    const admins: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'App admins' } } });
    const role: any = await t.client.roleAssignmentApi.assignRoleToGroup({ groupId: admins.id, assignRoleRequest: { type: 'APP_ADMIN' } as any });
    const ids = { groupId: admins.id, roleId: role.id };
    await t.client.roleTargetApi.assignAppInstanceTargetToAppAdminRoleForGroup({ ...ids, appName: 'bookmark', applicationId: app.id });
    await t.client.roleTargetApi.assignAppTargetToAdminRoleForGroup({ ...ids, appName: 'oidc_client' });
    const listed = async () => (await collect(await t.client.roleTargetApi.listApplicationTargetsForApplicationAdministratorRoleForGroup(ids))).map((a: any) => [a.name, a.id ?? null]);
    expect(await listed()).toEqual([['bookmark', app.id], ['oidc_client', null]]);
    await t.client.roleTargetApi.unassignAppInstanceTargetToAppAdminRoleForGroup({ ...ids, appName: 'bookmark', applicationId: app.id });
    expect(await listed()).toEqual([['oidc_client', null]]);
    // The last target stays (400); a user's app targets come off the same way.
    expect((await sdkError(t.client.roleTargetApi.unassignAppTargetToAdminRoleForGroup({ ...ids, appName: 'oidc_client' }))).status).toBe(400);
    const ada = await person(t, 'Ada');
    const mine = await assign(t, ada.id!, 'APP_ADMIN');
    const userIds = { userId: ada.id!, roleId: mine.id };
    await t.client.roleTargetApi.assignAppTargetToAdminRoleForUser({ ...userIds, appName: 'oidc_client' });
    await t.client.roleTargetApi.assignAppInstanceTargetToAppAdminRoleForUser({ ...userIds, appName: 'bookmark', applicationId: app.id });
    await t.client.roleTargetApi.unassignAppInstanceTargetFromAdminRoleForUser({ ...userIds, appName: 'bookmark', applicationId: app.id });
    expect((await sdkError(t.client.roleTargetApi.unassignAppTargetFromAppAdminRoleForUser({ ...userIds, appName: 'oidc_client' }))).status).toBe(400);
  });

  test('group role targets: a group HELP_DESK_ADMIN limited to a group', async () => {
    const desk: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'Help desk' } } });
    const served: any = await t.client.groupApi.createGroup({ group: { profile: { name: 'Served' } } });
    const role: any = await t.client.roleAssignmentApi.assignRoleToGroup({ groupId: desk.id, assignRoleRequest: { type: 'HELP_DESK_ADMIN' } as any });
    await t.client.roleTargetApi.assignGroupTargetToGroupAdminRole({ groupId: desk.id, roleId: role.id, targetGroupId: served.id });
    expect((await collect(await t.client.roleTargetApi.listGroupTargetsForGroupRole({ groupId: desk.id, roleId: role.id }))).map((g: any) => g.id)).toEqual([served.id]);
    const customer = await person(t, 'Cy', [served.id]);
    const other = await person(t, 'Oz');
    const agent = await person(t, 'Hank', [desk.id]);
    const agent$ = await clientOf(t, agent.id!);
    // A help desk admin unlocks users, but only those of its target groups.
    await agent$.userApi.unlockUser({ userId: customer.id! });
    expect((await agent$.userApi.getUser({ userId: customer.id! })).id).toBe(customer.id);
    expect((await sdkError(agent$.userApi.unlockUser({ userId: other.id! }))).errorCode).toBe('E0000006');
    expect((await sdkError(agent$.userApi.getUser({ userId: other.id! }))).errorCode).toBe('E0000006');
    await t.client.roleTargetApi.assignGroupTargetToGroupAdminRole({ groupId: desk.id, roleId: role.id, targetGroupId: '00geveryonetwin00001' });
    expect((await agent$.userApi.getUser({ userId: other.id! })).id).toBe(other.id);
    await t.client.roleTargetApi.unassignGroupTargetFromGroupAdminRole({ groupId: desk.id, roleId: role.id, targetGroupId: '00geveryonetwin00001' });
    expect((await sdkError(agent$.userApi.getUser({ userId: other.id! }))).status).toBe(403);
  });
});

describeOkta('Admin roles: bad input', (t) => {
  test('an unknown role type is 400, CUSTOM 404 (no custom roles), a duplicate 409 E0000090, an unknown assignment 404', async () => {
    const zed = await person(t, 'Zed');
    expect((await refused(await sendJson(t, `/api/v1/users/${zed.id}/roles`, { type: 'KING' }))).causes).toEqual(["type: 'KING' is not a valid role type"]);
    expect((await refused(await sendJson(t, `/api/v1/users/${zed.id}/roles`, {}))).causes).toEqual(['type: The field cannot be left blank']);
    expect((await refused(await sendJson(t, `/api/v1/users/${zed.id}/roles`, { type: 'CUSTOM', role: 'cr0nope', 'resource-set': 'iamnope' }), 404)).errorCode).toBe('E0000007');
    await assign(t, zed.id!, 'ORG_ADMIN');
    expect(await sdkError(assign(t, zed.id!, 'ORG_ADMIN'))).toMatchObject({ status: 409, errorCode: 'E0000090' });
    expect((await refused(await t.fetch(`/api/v1/users/${zed.id}/roles/ra1nosuchassignment`), 404)).errorCode).toBe('E0000007');
    expect((await refused(await t.fetch('/api/v1/users/00unosuchuser0000001/roles'), 404)).errorCode).toBe('E0000007');
    expect((await refused(await t.fetch('/api/v1/groups/00gnosuchgroup000001/roles'), 404)).errorCode).toBe('E0000007');
  });

  test('targets: a role that takes none is 400; an unknown group or app is 404', async () => {
    const zed = await person(t, 'Zed');
    const org = await assign(t, zed.id!, 'ORG_ADMIN');
    expect((await refused(await sendJson(t, `/api/v1/users/${zed.id}/roles/${org.id}/targets/groups/00geveryonetwin00001`, undefined, 'PUT'))).causes).toEqual(['type: The role ORG_ADMIN does not take group targets.']);
    const users = await assign(t, zed.id!, 'USER_ADMIN');
    expect((await refused(await sendJson(t, `/api/v1/users/${zed.id}/roles/${users.id}/targets/groups/00gnosuchgroup000001`, undefined, 'PUT'), 404)).errorCode).toBe('E0000007');
    const apps = await assign(t, zed.id!, 'APP_ADMIN');
    expect((await refused(await sendJson(t, `/api/v1/users/${zed.id}/roles/${apps.id}/targets/catalog/apps/no_such_app`, undefined, 'PUT'), 404)).errorCode).toBe('E0000007');
    expect((await refused(await t.fetch(`/api/v1/users/${zed.id}/roles/${apps.id}/targets/catalog/apps/bookmark`, { method: 'DELETE' }), 404)).errorCode).toBe('E0000007');
  });
});
