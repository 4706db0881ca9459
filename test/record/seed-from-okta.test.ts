/** Seeding the Okta twin from a recording of the Management API, then reading and writing the recorded org through @okta/okta-sdk-nodejs. */
import okta from '@okta/okta-sdk-nodejs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RecordedExchange, TwinDefinition } from '../../src/index.js';
import { createOktaTwin, oktaTwin, type OktaState, type Twin } from '../../twins/index.js';
import { totpCode } from '../../twins/okta/model/totp.js';
import { seedFromRecording } from '../../twins/okta/recording.js';

const ORIGIN = 'https://dev-123.okta.com';
const CLOCK = '2026-01-01T00:00:00.000Z';

/** A GET to the real org and its JSON answer. */
function get(path: string, body: unknown): RecordedExchange {
  return { method: 'GET', url: new URL(path, ORIGIN), requestHeaders: { accept: 'application/json' }, status: 200, responseHeaders: { 'content-type': 'application/json' }, responseBody: body };
}

// Modeled on the example responses of Okta's Management API reference (Users, Groups, Applications, Group Rules, Factors, Authorization Servers).
const link = (href: string) => ({ self: { href: `${ORIGIN}${href}` } });
const isaac = {
  id: '00ub0oNGTSWTBKOLGLNR', status: 'ACTIVE', created: '2013-06-24T16:39:18.000Z', activated: '2013-06-24T16:39:19.000Z', statusChanged: '2013-06-24T16:39:19.000Z',
  lastLogin: '2013-06-24T17:39:19.000Z', lastUpdated: '2013-06-27T16:35:28.000Z', passwordChanged: '2013-06-24T16:39:19.000Z', type: { id: 'otytwindefault000001' },
  profile: { firstName: 'Isaac', lastName: 'Brock', email: 'isaac.brock@example.com', login: 'isaac.brock@example.com', mobilePhone: '555-415-1337' },
  credentials: { password: {}, recovery_question: { question: "Who's a major player in the cowboy scene?" }, provider: { type: 'OKTA', name: 'OKTA' } },
  _links: link('/api/v1/users/00ub0oNGTSWTBKOLGLNR'),
};
const kath = { ...isaac, id: '00u1f96ECLNVOKVMUSEA', profile: { firstName: 'Kath', lastName: 'Ferguson', email: 'kath@example.com', login: 'kath@example.com' }, _links: link('/api/v1/users/00u1f96ECLNVOKVMUSEA') };
const westCoast = {
  id: '00g1emaKYZTWRYYRRTSK', created: '2015-02-06T10:11:28.000Z', lastUpdated: '2015-10-05T19:16:43.000Z', lastMembershipUpdated: '2015-11-28T19:15:32.000Z', objectClass: ['okta:user_group'], type: 'OKTA_GROUP',
  profile: { name: 'West Coast Users', description: 'All Users West of The Rockies' }, _links: link('/api/v1/groups/00g1emaKYZTWRYYRRTSK'),
};
const bookmark = {
  id: '0oabkvBLDEKCNXBGYUAS', name: 'bookmark', label: 'Sample Bookmark App', status: 'ACTIVE', lastUpdated: '2013-10-01T06:28:03.000Z', created: '2013-10-01T06:25:37.000Z',
  accessibility: { selfService: false, errorRedirectUrl: null, loginRedirectUrl: null }, visibility: { autoSubmitToolbar: false, hide: { iOS: false, web: false }, appLinks: { login: true } }, features: [], signOnMode: 'BOOKMARK',
  credentials: { userNameTemplate: { template: '${source.login}', type: 'BUILT_IN' }, signing: {} }, settings: { app: { requestIntegration: false, url: 'https://example.com/bookmark.htm' } }, _links: link('/api/v1/apps/0oabkvBLDEKCNXBGYUAS'),
};
const webApp = {
  id: '0oa1gjh63g214q0Hq0g4', name: 'oidc_client', label: 'Sample Client', status: 'ACTIVE', lastUpdated: '2020-01-09T16:59:16.000Z', created: '2020-01-09T16:59:16.000Z',
  accessibility: { selfService: false, errorRedirectUrl: null, loginRedirectUrl: null }, visibility: { autoSubmitToolbar: false, hide: { iOS: true, web: true }, appLinks: { oidc_client_link: true } }, features: [], signOnMode: 'OPENID_CONNECT',
  credentials: { userNameTemplate: { template: '${source.login}', type: 'BUILT_IN' }, signing: { kid: 'SIMcCQNY3uwXoW3y0vf6VxiBb5n9pf8L2fK8d-FIbm4' }, oauthClient: { autoKeyRotation: true, client_id: '0oa1gjh63g214q0Hq0g4', client_secret: '**redacted**', token_endpoint_auth_method: 'client_secret_basic' } },
  settings: { app: {}, notifications: { vpn: { network: { connection: 'DISABLED' }, message: null, helpUrl: null } }, oauthClient: { redirect_uris: ['https://example.com/oauth2/callback'], response_types: ['code'], grant_types: ['authorization_code'], application_type: 'web', consent_method: 'REQUIRED', issuer_mode: 'ORG_URL' } },
};
const rule = {
  type: 'group_rule', id: '0pr3f7zMZZHPgUoWO0g4', status: 'ACTIVE', name: 'Engineering group rule', created: '2016-12-01T14:40:04.000Z', lastUpdated: '2016-12-01T14:40:04.000Z',
  conditions: { people: { users: { exclude: [] }, groups: { exclude: [] } }, expression: { value: 'user.role=="Engineer"', type: 'urn:okta:expression:1.0' } },
  actions: { assignUserToGroups: { groupIds: ['00g1emaKYZTWRYYRRTSK'] } },
};
const server = {
  id: 'ausain6z9zIedDCxB0h7', name: 'Sample Authorization Server', description: 'Sample Authorization Server description', audiences: ['api://default'], issuer: `${ORIGIN}/oauth2/ausain6z9zIedDCxB0h7`, issuerMode: 'ORG_URL', status: 'ACTIVE',
  created: '2017-05-17T22:25:57.000Z', lastUpdated: '2017-05-17T22:25:57.000Z', credentials: { signing: { rotationMode: 'AUTO', lastRotated: '2017-05-17T22:25:57.000Z', nextRotation: '2017-08-15T22:25:57.000Z', kid: 'ZcOFX0FbDZO9Qf5oNxcqDjo2sUsc3wFQMP_Vy_gl0TE' } },
};
const sms = { id: 'mbl1nz9JHJGHWRKMTLHP', factorType: 'sms', provider: 'OKTA', vendorName: 'OKTA', status: 'ACTIVE', created: '2014-06-27T20:27:26.000Z', lastUpdated: '2014-06-27T20:27:26.000Z', profile: { phoneNumber: '+1-555-415-1337' } };
const totp = { id: 'ostf1fmaMGJLMNGNLIVG', factorType: 'token:software:totp', provider: 'OKTA', vendorName: 'OKTA', status: 'ACTIVE', created: '2014-07-16T16:13:56.000Z', lastUpdated: '2014-08-06T00:31:07.000Z', profile: { credentialId: 'isaac.brock@example.com' } };

const exchanges: RecordedExchange[] = [
  get('/api/v1/users?limit=200', [isaac, kath]),
  get('/api/v1/groups', [westCoast]),
  get('/api/v1/groups/00g1emaKYZTWRYYRRTSK/users', [isaac]),
  // The newest answer wins: Isaac's profile as a later GET showed it.
  get('/api/v1/users/00ub0oNGTSWTBKOLGLNR', { ...isaac, profile: { ...isaac.profile, nickName: 'issac' } }),
  get('/api/v1/users/kath@example.com/groups', [westCoast]),
  get('/api/v1/apps', [bookmark, webApp]),
  get('/api/v1/apps/0oabkvBLDEKCNXBGYUAS/users', [{ id: '00u1f96ECLNVOKVMUSEA', externalId: null, created: '2014-06-24T15:27:59.000Z', lastUpdated: '2014-06-24T15:28:14.000Z', scope: 'USER', status: 'ACTIVE', statusChanged: '2014-06-24T15:28:14.000Z', passwordChanged: null, syncState: 'DISABLED', credentials: { userName: 'kath@example.com' }, profile: {} }]),
  get('/api/v1/apps/0oabkvBLDEKCNXBGYUAS/groups', [{ id: '00g1emaKYZTWRYYRRTSK', lastUpdated: '2013-10-02T07:38:20.000Z', priority: 0, profile: {} }]),
  get('/api/v1/groups/rules', [rule]),
  get('/api/v1/authorizationServers', [server]),
  get('/api/v1/users/00ub0oNGTSWTBKOLGLNR/factors', [sms, totp]),
  get('/api/v1/users/00ub0oNGTSWTBKOLGLNR/factors/ostf1fmaMGJLMNGNLIVG', { ...totp, _links: { self: { href: '' } } }),
  get('/api/v1/users/00ub0oNGTSWTBKOLGLNR/factors', [sms, totp, { id: 'fwf1nz9JHJGHWRKMTLHQ', factorType: 'webauthn', provider: 'FIDO', vendorName: 'FIDO', status: 'ACTIVE', created: '2020-01-01T00:00:00.000Z', lastUpdated: '2020-01-01T00:00:00.000Z', profile: {} }]),
  get('/api/v1/logs?since=2026-01-01T00:00:00Z', []),
  // A write's answer is not read into the state.
  { ...get('/api/v1/users?activate=true', { ...kath, id: '00u1createdinsession0' }), method: 'POST' },
];

let twin: Twin<OktaState>;
let url: string;
let close: () => Promise<void>;
let notes: string[];
let client: okta.Client;

beforeAll(async () => {
  const seeded = seedFromRecording(exchanges, structuredClone(oktaTwin.seed));
  notes = seeded.notes;
  twin = createOktaTwin({ strict: true, clock: CLOCK });
  twin.importState({ twinverse: 1, twin: 'okta', state: seeded.state, ids: twin.exportState().ids });
  ({ url, close } = await twin.listen());
  client = new okta.Client({ orgUrl: url, token: 'twin-okta-token', cacheMiddleware: null });
});
afterAll(() => close());

async function all<T>(collection: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of collection) items.push(item);
  return items;
}

const authn = (username: string, password: string) =>
  fetch(`${url}/api/v1/authn`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ username, password }) });

test('recorded users, groups and members are there under their recorded ids; the newest answer wins', async () => {
  const user = await client.userApi.getUser({ userId: '00ub0oNGTSWTBKOLGLNR' });
  expect(user.profile).toMatchObject({ login: 'isaac.brock@example.com', nickName: 'issac' });
  expect(user.credentials?.provider).toMatchObject({ type: 'OKTA', name: 'OKTA' });
  expect((await all(await client.userApi.listUsers({}))).map((u) => u?.id)).toEqual(expect.arrayContaining(['00ub0oNGTSWTBKOLGLNR', '00u1f96ECLNVOKVMUSEA']));
  expect((await client.groupApi.getGroup({ groupId: '00g1emaKYZTWRYYRRTSK' })).profile?.name).toBe('West Coast Users');
  // Members from the group's listing and from Kath's list of groups.
  expect((await all(await client.groupApi.listGroupUsers({ groupId: '00g1emaKYZTWRYYRRTSK' }))).map((u) => u?.id)).toEqual(['00ub0oNGTSWTBKOLGLNR', '00u1f96ECLNVOKVMUSEA']);
  expect((await all(await client.userApi.listUserGroups({ userId: '00u1f96ECLNVOKVMUSEA' }))).map((g) => g?.profile?.name)).toEqual(expect.arrayContaining(['Everyone', 'West Coast Users']));
});

test('recorded apps with their assignments, group rules and authorization servers read back', async () => {
  const app: any = await client.applicationApi.getApplication({ appId: '0oabkvBLDEKCNXBGYUAS' });
  expect(app).toMatchObject({ label: 'Sample Bookmark App', signOnMode: 'BOOKMARK', settings: { app: { url: 'https://example.com/bookmark.htm' } } });
  // Kath directly, Isaac through West Coast Users.
  const appUsers = await all(await client.applicationApi.listApplicationUsers({ appId: '0oabkvBLDEKCNXBGYUAS' }));
  expect(appUsers.map((u) => [u?.id, u?.scope])).toEqual([['00u1f96ECLNVOKVMUSEA', 'USER'], ['00ub0oNGTSWTBKOLGLNR', 'GROUP']]);
  expect((await all(await client.applicationApi.listApplicationGroupAssignments({ appId: '0oabkvBLDEKCNXBGYUAS' }))).map((g) => g?.id)).toEqual(['00g1emaKYZTWRYYRRTSK']);
  const oidc: any = await client.applicationApi.getApplication({ appId: '0oa1gjh63g214q0Hq0g4' });
  expect(oidc.credentials.oauthClient.client_secret).toBeUndefined();
  expect((await client.groupApi.getGroupRule({ ruleId: '0pr3f7zMZZHPgUoWO0g4' })).status).toBe('ACTIVE');
  const found = await client.authorizationServerApi.getAuthorizationServer({ authServerId: 'ausain6z9zIedDCxB0h7' });
  expect(found).toMatchObject({ name: 'Sample Authorization Server', audiences: ['api://default'] });
  expect((await all(await client.authorizationServerApi.listOAuth2Scopes({ authServerId: 'ausain6z9zIedDCxB0h7' }))).map((s) => s?.name)).toEqual(expect.arrayContaining(['openid', 'profile', 'email']));
  const keys = await fetch(`${url}/oauth2/ausain6z9zIedDCxB0h7/v1/keys`).then((r) => r.json());
  expect(keys.keys).toHaveLength(1);
});

test('factors: the emulated ones are kept, a recorded TOTP factor verifies with the twin\'s secret, others are named in the notes', async () => {
  const factors = await all(await client.userFactorApi.listFactors({ userId: '00ub0oNGTSWTBKOLGLNR' }));
  expect(factors.map((f) => f?.id)).toEqual(['mbl1nz9JHJGHWRKMTLHP', 'ostf1fmaMGJLMNGNLIVG']);
  const secret = twin.state.factors!.ostf1fmaMGJLMNGNLIVG.sharedSecret!;
  const passCode = totpCode(secret, Math.floor(Date.parse(CLOCK) / 30_000));
  const verified: any = await client.userFactorApi.verifyFactor({ userId: '00ub0oNGTSWTBKOLGLNR', factorId: 'ostf1fmaMGJLMNGNLIVG', body: { passCode } });
  expect(verified.factorResult).toBe('SUCCESS');
  expect(notes).toEqual(expect.arrayContaining([expect.stringContaining('fwf1nz9JHJGHWRKMTLHQ: type webauthn/FIDO is not emulated'), expect.stringContaining('GET /api/v1/logs: not kept')]));
});

test('recorded users take writes; without a password they cannot sign in until an admin sets one', async () => {
  expect((await authn('kath@example.com', 'Passw0rd!2026')).status).toBe(401);
  await client.userApi.updateUser({ userId: '00u1f96ECLNVOKVMUSEA', user: { profile: { nickName: 'Kat' }, credentials: { password: { value: 'Passw0rd!2026' } } } });
  expect((await client.userApi.getUser({ userId: '00u1f96ECLNVOKVMUSEA' })).profile?.nickName).toBe('Kat');
  const signedIn = await authn('kath@example.com', 'Passw0rd!2026');
  expect(signedIn.status).toBe(200);
  expect((await signedIn.json()).status).toBe('SUCCESS');
  await client.groupApi.unassignUserFromGroup({ groupId: '00g1emaKYZTWRYYRRTSK', userId: '00u1f96ECLNVOKVMUSEA' });
  await client.groupApi.deactivateGroupRule({ ruleId: '0pr3f7zMZZHPgUoWO0g4' });
  await client.applicationApi.deactivateApplication({ appId: '0oabkvBLDEKCNXBGYUAS' });
  const created = await client.userApi.createUser({ body: { profile: { firstName: 'New', lastName: 'Person', email: 'new@example.com', login: 'new@example.com' } } });
  expect(Object.keys(twin.state.users)).toHaveLength(4);
  expect(twin.state.users['00u1createdinsession0']).toBeUndefined();
  expect(created.id).not.toBe('00ub0oNGTSWTBKOLGLNR');
});

test('the hook fits the twin definition\'s seedFromRecording, leaves the seed it is handed as it was, and gives the same state for the same recording', () => {
  const hook: NonNullable<TwinDefinition<OktaState>['seedFromRecording']> = seedFromRecording;
  const seed = structuredClone(oktaTwin.seed);
  const first = hook(exchanges, seed);
  expect(seed).toEqual(oktaTwin.seed);
  expect(hook(exchanges, seed)).toEqual(first);
});
