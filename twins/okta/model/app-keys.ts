import { createHash, createPrivateKey, createPublicKey, createSign, type JsonWebKey } from 'node:crypto';
import { deriveSigningKey, opaqueToken, type SigningKey } from '../../../src/index.js';
import type { OktaApp, OktaAppKey, RequestCtx } from '../types.js';

// ---------- a minimal DER writer: just what a self-signed X.509 certificate needs ----------

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length = n < 0x80 ? Buffer.from([n]) : (() => {
    const bytes: number[] = [];
    for (let rest = n; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
    return Buffer.from([0x80 | bytes.length, ...bytes]);
  })();
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

const sequence = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));

function integer(bytes: Buffer): Buffer {
  return tlv(0x02, bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let v = arc >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

// RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}

function commonName(name: string): Buffer {
  return sequence(tlv(0x31, sequence(oid('2.5.4.3'), tlv(0x0c, Buffer.from(name)))));
}

const SHA256_WITH_RSA = sequence(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));

/**
 * A self-signed X.509 v3 certificate (DER) for an RSA key: what Okta wraps an app's key credential in. The signature
 * (PKCS #1 v1.5) is deterministic, so the same key and dates always give the same certificate.
 */
function selfSignedCertificate(key: SigningKey, subject: string, notBefore: Date, notAfter: Date): Buffer {
  const spki = createPublicKey({ key: { kty: 'RSA', n: key.n!, e: key.e! }, format: 'jwk' }).export({ type: 'spki', format: 'der' });
  const serial = createHash('sha256').update(key.n!).digest().subarray(0, 16);
  const name = commonName(subject);
  const tbs = sequence(tlv(0xa0, integer(Buffer.from([2]))), integer(serial), SHA256_WITH_RSA, name, sequence(time(notBefore), time(notAfter)), name, spki);
  const signature = createSign('RSA-SHA256').update(tbs).sign(createPrivateKey({ key: key as JsonWebKey, format: 'jwk' }));
  return sequence(tbs, SHA256_WITH_RSA, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
}

/** An app key credential for a key pair, valid from `created` for `years`. */
function keyCredential(key: SigningKey, subject: string, created: string, years: number): OktaAppKey {
  const start = new Date(created);
  const end = new Date(start);
  end.setUTCFullYear(end.getUTCFullYear() + years);
  const der = selfSignedCertificate(key, subject, start, end);
  const { kid, kty, n, e, d, p, q, dp, dq, qi } = key as unknown as Record<string, string>;
  return {
    kid,
    created,
    lastUpdated: created,
    expiresAt: end.toISOString(),
    x5c: [der.toString('base64')],
    'x5t#S256': createHash('sha256').update(der).digest('base64url'),
    e,
    n,
    privateJwk: { kty, kid, n, e, d, p, q, dp, dq, qi },
  };
}

/** The subject of an app's certificates: Okta names the app's org and label. */
function subjectOf(ctx: RequestCtx, app: OktaApp): string {
  return `${ctx.state.org.subdomain} ${String(app.label ?? app.name)}`;
}

/**
 * The app's key credentials: the key its `credentials.signing.kid` names when that is one of the org's signing keys
 * (OIDC apps are created with it), then the keys generated for the app.
 *
 * @example
 * appKeys(ctx, app).map(appKeyJson);
 */
export function appKeys(ctx: RequestCtx, app: OktaApp): OktaAppKey[] {
  const own = ctx.state.appKeys?.[app.id] ?? [];
  const kid: string | undefined = app.credentials?.signing?.kid;
  const orgKey = kid && !own.some((k) => k.kid === kid) ? ctx.state.oauth.signingKeys.find((k) => k.kid === kid) : undefined;
  return orgKey ? [keyCredential(orgKey, subjectOf(ctx, app), app.created, 10), ...own] : own;
}

/**
 * A new key credential for an app, valid for `years` from now: a key pair derived from the twin's id source (so a
 * reproducible run gets the same one) and its self-signed certificate.
 *
 * @example
 * const key = generateAppKey(ctx, app, 2);
 */
export function generateAppKey(ctx: RequestCtx, app: OktaApp, years: number): OktaAppKey {
  const kid = opaqueToken(ctx.ids);
  const pair = deriveSigningKey(`${ctx.state.org.id}/${app.id}/${kid}`, kid);
  return keyCredential(pair, subjectOf(ctx, app), ctx.clock.now().toISOString(), years);
}

/** A key credential as Okta returns it: the public key and its certificate, never the private key. */
export function appKeyJson(key: OktaAppKey): Record<string, unknown> {
  return { created: key.created, lastUpdated: key.lastUpdated, expiresAt: key.expiresAt, x5c: [...key.x5c], e: key.e, n: key.n, kid: key.kid, kty: 'RSA', use: 'sig', 'x5t#S256': key['x5t#S256'] };
}
