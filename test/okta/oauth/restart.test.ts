/**
 * Tokens across a restart of a twin on the wall clock (as `twinverse serve okta` runs without --data): a fresh process
 * starts from the same seed, ids and signing keys, and draws the same token ids in the same order. A token from the
 * earlier process, revoked there, must not come back to life when the new process issues its own.
 */
import { decodeJwt } from 'jose';
import { expect, test } from 'vitest';
import { createOktaTwin, type Twin } from '../../../twins/index.js';

const ORG = 'https://dev-123.okta.com';
const SERVICE = `Basic ${Buffer.from('0oatwinservice000001:twin-okta-client-secret').toString('base64')}`;

const form = (twin: Twin<unknown>, path: string, fields: Record<string, string>) =>
  twin.handle({ method: 'POST', url: ORG + path, headers: { authorization: SERVICE, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: new URLSearchParams(fields).toString() });
const issue = async (twin: Twin<unknown>) => JSON.parse((await form(twin, '/oauth2/default/v1/token', { grant_type: 'client_credentials', scope: 'api:read' })).body!).access_token as string;
const introspect = async (twin: Twin<unknown>, token: string) => JSON.parse((await form(twin, '/oauth2/default/v1/introspect', { token })).body!).active as boolean;

test('an access token revoked before a restart stays dead after it, though the new process reuses its jti', async () => {
  const before = createOktaTwin();
  const old = await issue(before);
  await form(before, '/oauth2/default/v1/revoke', { token: old });
  expect(await introspect(before, old)).toBe(false);

  const after = createOktaTwin();
  after.clock.advance(1000);
  const fresh = await issue(after);
  expect(decodeJwt(fresh).jti).toBe(decodeJwt(old).jti);
  expect(await introspect(after, fresh)).toBe(true);
  expect(await introspect(after, old)).toBe(false);
  await form(after, '/oauth2/default/v1/revoke', { token: old });
  expect(await introspect(after, fresh)).toBe(true);
});
