import { createHash } from 'node:crypto';
import { copyJson } from '../../../src/index.js';
import { invalidFields, notFound, OktaError } from '../errors.js';
import type { OktaApp, RequestCtx } from '../types.js';

type Jwk = Record<string, any>;

/** Okta's limit on an OAuth 2.0 client's JSON Web Keys. */
const MAX_KEYS = 50;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The keys of a client's `settings.oauthClient.jwks`, where Okta keeps the public keys of a private_key_jwt client
 * and where client authentication reads them. Undefined for an app that is no OAuth 2.0 client.
 */
function jwksOf(app: OktaApp): Jwk[] | undefined {
  const settings = app.settings?.oauthClient;
  if (!settings || app.signOnMode !== 'OPENID_CONNECT') return undefined;
  return settings.jwks?.keys ?? [];
}

/**
 * A key's `pks` id. Keys added through this API carry theirs; keys sent inline with the app get one derived from the
 * key itself, so every read names them alike.
 */
function keyId(key: Jwk): string {
  if (typeof key.id === 'string') return key.id;
  const digest = createHash('sha256').update(`${key.kid ?? ''}/${key.n ?? key.x ?? ''}`).digest();
  let id = 'pks';
  for (let i = 0; i < 17; i++) id += BASE62[digest[i] % 62];
  return id;
}

/** The client's keys, each with its id. */
export function clientKeys(app: OktaApp): Jwk[] {
  const keys = jwksOf(app);
  if (!keys) throw new OktaError('E0000007', { detail: `Resource not found: ${app.id} (OAuth2Client)` });
  return keys;
}

/** The client's key with this id, or Okta's 404. */
export function requireClientKey(app: OktaApp, id: string): Jwk {
  const key = clientKeys(app).find((k) => keyId(k) === id);
  if (!key) throw notFound(id, 'JsonWebKey');
  return key;
}

/** A client key as Okta returns it: its id, status and dates, and the lifecycle links its status allows. */
export function clientKeyJson(ctx: RequestCtx, app: OktaApp, key: Jwk): Jwk {
  const id = keyId(key);
  const self = `${ctx.baseUrl}/api/v1/apps/${app.id}/credentials/jwks/${id}`;
  const status = key.status === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE';
  const lifecycle = status === 'ACTIVE' ? 'deactivate' : 'activate';
  return {
    ...copyJson(key),
    id,
    kid: key.kid ?? null,
    use: key.use ?? 'sig',
    status,
    created: key.created ?? app.created,
    lastUpdated: key.lastUpdated ?? app.lastUpdated,
    _links: {
      [lifecycle]: { href: `${self}/lifecycle/${lifecycle}`, hints: { allow: ['POST'] } },
      ...(status === 'INACTIVE' ? { delete: { href: self, hints: { allow: ['DELETE'] } } } : {}),
    },
  };
}

function text(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/**
 * A key to add, checked before anything is written, with Okta's causes (its ErrorClientJsonWebKey… examples): a public
 * RSA key of at least 2048 bits or an EC key, a `kid` unique among the client's keys (and present when keys already
 * exist), and room under the limit of 50 keys.
 *
 * @example
 * const key = checkNewKey(app, ctx.body); // throws Okta's E0000001 with its causes
 */
export function checkNewKey(app: OktaApp, body: Jwk): Jwk {
  const keys = clientKeys(app);
  const causes: string[] = [];
  if (body.kty === 'RSA') {
    if (!text(body.n) || !text(body.e)) causes.push("The 'jwks' RSA key must have the 'n' and 'e' parameters.");
    else if (Buffer.from(body.n, 'base64url').length * 8 < 2048) causes.push("RSA key length in the 'jwks' is less than '2,048' bits for the given key.");
  } else if (body.kty === 'EC') {
    if (!text(body.crv) || !text(body.x) || !text(body.y)) causes.push("The 'jwks' EC key must have the 'crv', 'x' and 'y' parameters.");
  } else causes.push("The 'kty' of a key in the 'jwks' must be RSA or EC.");
  if (['d', 'p', 'q', 'dp', 'dq', 'qi'].some((member) => member in body)) causes.push("The 'jwks' must contain only public keys.");
  if (body.use !== undefined && body.use !== 'sig' && body.use !== 'enc') causes.push("The 'use' of a key in the 'jwks' must be sig or enc.");
  if (keys.length && (!text(body.kid) || keys.some((k) => !text(k.kid)))) {
    causes.push('Each key should have a unique kid when adding multiple keys. Use the Apps API to update the JWKS to add a kid for the existing key, or delete the existing key and re-add the key with a kid using the JWKS APIs.');
  } else if (keys.some((k) => k.kid === body.kid)) causes.push("All keys in the 'jwks' must have a unique `kid`.");
  if (keys.length >= MAX_KEYS) causes.push(`You can't create a new key. You have reached the maximum number of keys allowed (${MAX_KEYS}). To add another key, you must first delete an existing one.`);
  if (causes.length) throw new OktaError('E0000001', { detail: 'JsonWebKey', causes });
  const { id: _id, created: _created, lastUpdated: _updated, _links, ...key } = copyJson(body);
  return { ...key, use: body.use ?? 'sig', status: body.status === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE' };
}

/** Adds a checked key to the client's jwks, with its id and dates. */
export function addClientKey(ctx: RequestCtx, app: OktaApp, key: Jwk, id: string): Jwk {
  const now = ctx.clock.now().toISOString();
  const stored = { ...key, id, created: now, lastUpdated: now };
  const settings = app.settings.oauthClient;
  settings.jwks = { keys: [...(settings.jwks?.keys ?? []), stored] };
  return stored;
}

/** Okta's E0000001 for a lifecycle change the key's status or use does not allow. */
export function invalidKeyStatus(message: string): OktaError {
  return invalidFields([['status', message]]);
}
