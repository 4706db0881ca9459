import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { beforeAll, expect, test } from 'vitest';
import { authenticateClient, type ClientAuthFailure, type ClientAuthOptions, type RegisteredClient } from './client-auth.js';

const AUDIENCE = 'https://twin.test/oauth/token';
const clients: Record<string, RegisteredClient<string>> = {
  web: { client: 'web app', active: true, method: 'client_secret_basic', secret: 's3cret' },
  spa: { client: 'spa', active: true, method: 'none' },
  off: { client: 'off', active: false, method: 'client_secret_post', secret: 'x' },
};
let used: Record<string, number>;
let privateKey: CryptoKey;

const options = (): ClientAuthOptions<string> => ({
  findClient: (id) => clients[id],
  audience: AUDIENCE,
  usedAssertions: () => used,
  refuse: (failure: ClientAuthFailure) => Object.assign(new Error(failure.kind), { failure }),
});
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: { failure: ClientAuthFailure }) => error.failure);

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  clients.svc = { client: 'service', active: true, method: 'private_key_jwt', jwks: [{ ...(await exportJWK(pair.publicKey)), kid: 'svc1' }] };
});

const assertion = (claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'svc1' }).sign(privateKey);

test('a secret in the Basic header or in the body authenticates its client', async () => {
  used = {};
  expect(await authenticateClient({ authorization: basic('web', 's3cret'), form: {} }, options())).toEqual({ client: 'web app', clientId: 'web', method: 'client_secret_basic' });
  expect(await authenticateClient({ form: { client_id: 'web', client_secret: 's3cret' } }, options())).toMatchObject({ method: 'client_secret_post' });
});

test('each way of failing is handed to the twin to word', async () => {
  used = {};
  expect(await failure(authenticateClient({ authorization: basic('web', 'nope'), form: {} }, options()))).toEqual({ kind: 'invalid_secret', presented: 'basic' });
  expect(await failure(authenticateClient({ authorization: basic('web', 's3cret'), form: { client_secret: 's3cret' } }, options()))).toMatchObject({ kind: 'multiple_credentials' });
  expect(await failure(authenticateClient({ authorization: basic('web', 's3cret'), form: { client_id: 'spa' } }, options()))).toMatchObject({ kind: 'client_id_mismatch' });
  expect(await failure(authenticateClient({ form: { client_id: 'off', client_secret: 'x' } }, options()))).toEqual({ kind: 'unknown_client', presented: 'post' });
  expect(await failure(authenticateClient({ form: { client_id: 'web' } }, options()))).toEqual({ kind: 'wrong_method', presented: 'none' });
  expect(await failure(authenticateClient({ form: {} }, options()))).toMatchObject({ kind: 'no_credentials' });
});

test('a public client names itself, in the body or where the endpoint allows in the query', async () => {
  expect(await authenticateClient({ form: { client_id: 'spa' } }, options())).toMatchObject({ clientId: 'spa', method: 'none' });
  expect(await authenticateClient({ form: {} }, { ...options(), queryClientId: 'spa' })).toMatchObject({ clientId: 'spa' });
});

test('a private_key_jwt assertion authenticates once, for its audience only', async () => {
  used = {};
  const now = Math.floor(Date.now() / 1000);
  const good = await assertion({ iss: 'svc', sub: 'svc', aud: AUDIENCE, iat: now, exp: now + 300, jti: 'j1' });
  const form = { client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: good };
  expect(await authenticateClient({ form }, options())).toMatchObject({ clientId: 'svc', method: 'private_key_jwt' });
  expect(await failure(authenticateClient({ form }, options()))).toMatchObject({ kind: 'assertion_replayed' });
  const elsewhere = await assertion({ iss: 'svc', sub: 'svc', aud: 'https://other.test', iat: now, exp: now + 300 });
  expect(await failure(authenticateClient({ form: { ...form, client_assertion: elsewhere } }, options()))).toEqual({ kind: 'assertion_audience', presented: 'assertion', audience: AUDIENCE });
  const long = await assertion({ iss: 'svc', sub: 'svc', aud: AUDIENCE, iat: now, exp: now + 7200 });
  expect(await failure(authenticateClient({ form: { ...form, client_assertion: long } }, options()))).toMatchObject({ kind: 'assertion_too_long' });
  expect(await failure(authenticateClient({ form: { ...form, client_assertion_type: 'other' } }, options()))).toMatchObject({ kind: 'invalid_assertion_type' });
});
