/**
 * When a user's `activated` timestamp is set. Sources: the management spec's User schema (`activated`: when the user's
 * status became ACTIVE, nullable) and its examples: STAGED users (create-user-*-response) and a PROVISIONED one
 * (ListUsersSearchResponse) show `activated: null`; ACTIVE users show a timestamp. The reset of a PROVISIONED user's
 * password goes through the Authentication API, which the SDK lacks, so those calls are plain requests.
 */
import { expect, test } from 'vitest';
import { collect, describeOkta, person, type OktaTarget } from '../../support/okta.js';

const PASSWORD = 'Tr0ub4dor-Horse9';

function authn(t: OktaTarget, path: string, body: unknown): Promise<Response> {
  return fetch(`${t.baseUrl}/api/v1/authn${path}`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
}

describeOkta('Okta users: the activated timestamp', (t) => {
  test('a user created with activate=false is STAGED with no activated timestamp, on create, read and list', async () => {
    const created = await t.client.userApi.createUser({ body: { profile: person('Sam Staged'), credentials: { password: { value: PASSWORD } } }, activate: false });
    expect(created).toMatchObject({ status: 'STAGED', activated: null });
    expect((await t.client.userApi.getUser({ userId: created.id! })).activated).toBeNull();
    const listed = await collect(await t.client.userApi.listUsers({ search: 'status eq "STAGED"' }));
    expect(listed.map((u) => [u.id, u.activated])).toEqual([[created.id, null]]);
  });

  test('a user created active without a password is PROVISIONED and not yet activated', async () => {
    const created = await t.client.userApi.createUser({ body: { profile: person('Pia Provisioned') }, activate: true });
    expect(created).toMatchObject({ status: 'PROVISIONED', activated: null });
    const read = await t.client.userApi.getUser({ userId: created.id! });
    expect(read).toMatchObject({ status: 'PROVISIONED', activated: null });
  });

  test('activating a STAGED user without a password leaves it PROVISIONED with no activated timestamp; with a password it is ACTIVE from then', async () => {
    const noPassword = await t.client.userApi.createUser({ body: { profile: person('Nat Nopassword') }, activate: false });
    const withPassword = await t.client.userApi.createUser({ body: { profile: person('Wes Password'), credentials: { password: { value: PASSWORD } } }, activate: false });
    await t.control.advanceClock(60_000);
    await t.client.userApi.activateUser({ userId: noPassword.id!, sendEmail: true });
    await t.client.userApi.activateUser({ userId: withPassword.id!, sendEmail: true });
    expect(await t.client.userApi.getUser({ userId: noPassword.id! })).toMatchObject({ status: 'PROVISIONED', activated: null, statusChanged: new Date('2026-01-01T00:01:00.000Z') });
    expect(await t.client.userApi.getUser({ userId: withPassword.id! })).toMatchObject({ status: 'ACTIVE', activated: new Date('2026-01-01T00:01:00.000Z') });
  });

  test('a PROVISIONED user that sets its password through a reset link becomes ACTIVE, and activated is that moment', async () => {
    const created = await t.client.userApi.createUser({ body: { profile: person('Ren Reset') }, activate: true });
    await t.control.advanceClock(5 * 60_000);
    const { resetPasswordUrl } = (await t.client.userApi.generateResetPasswordToken({ userId: created.id!, sendEmail: false })) as { resetPasswordUrl: string };
    const recoveryToken = resetPasswordUrl.slice(resetPasswordUrl.lastIndexOf('/') + 1);
    const recovery = await authn(t, '/recovery/token', { recoveryToken });
    expect(recovery.status).toBe(200);
    const { status, stateToken } = await recovery.json();
    expect(status).toBe('PASSWORD_RESET');
    expect((await t.client.userApi.getUser({ userId: created.id! })).activated).toBeNull();
    const reset = await authn(t, '/credentials/reset_password', { stateToken, newPassword: PASSWORD });
    expect(reset.status).toBe(200);
    expect((await reset.json()).status).toBe('SUCCESS');
    expect(await t.client.userApi.getUser({ userId: created.id! })).toMatchObject({ status: 'ACTIVE', activated: new Date('2026-01-01T00:05:00.000Z') });
  });
});
