import { expect, test } from 'vitest';
import { createClock } from '../state/clock.js';
import { createIdSource } from '../state/ids.js';
import { createRecord } from '../state/store.js';
import { findIssuedToken, findToken, isLiveToken, revokeToken, revokeTokensWhere, secretToken, tokenFingerprint, tokenRecord, type TokenStore } from './token-records.js';

const grant = { server: 'main', clientId: 'c1', userId: 'u1', scopes: ['read'], authTime: 100 };

test('a record is live until it expires or is revoked', () => {
  const record = tokenRecord(grant, 'access_token', 1000, 60, null);
  expect(record).toMatchObject({ type: 'access_token', server: 'main', issuedAt: 1000, expiresAt: 1060, revoked: false, refreshToken: null, authTime: 100 });
  expect(isLiveToken(record, 1059)).toBe(true);
  expect(isLiveToken(record, 1060)).toBe(false);
  expect(isLiveToken({ ...record, revoked: true }, 1000)).toBe(false);
  expect(isLiveToken(undefined, 1000)).toBe(false);
});

test('revoking a refresh token revokes the access tokens issued with it, and nothing else', () => {
  const store: TokenStore = createRecord();
  store.rt = tokenRecord(grant, 'refresh_token', 0, 600, null);
  store['AT.1'] = tokenRecord(grant, 'access_token', 0, 60, 'rt');
  store['AT.2'] = tokenRecord(grant, 'access_token', 0, 60, null);
  revokeToken(store, 'rt');
  expect([store.rt.revoked, store['AT.1'].revoked, store['AT.2'].revoked]).toEqual([true, true, false]);
  expect(findToken(store, undefined)).toBeUndefined();
});

test('revokeTokensWhere revokes every matching record', () => {
  const store: TokenStore = createRecord();
  store.a = tokenRecord(grant, 'access_token', 0, 60, null);
  store.b = tokenRecord({ ...grant, userId: 'u2' }, 'access_token', 0, 60, null);
  revokeTokensWhere(store, (record) => record.userId === 'u1');
  expect([store.a.revoked, store.b.revoked]).toEqual([true, false]);
});

test('a record with a fingerprint matches only the very token it was issued for', () => {
  const store: TokenStore = createRecord();
  store['AT.1'] = { ...tokenRecord(grant, 'access_token', 0, 60, null), fingerprint: tokenFingerprint('header.claims.signature') };
  expect(findIssuedToken(store, 'AT.1', 'header.claims.signature')).toBe(store['AT.1']);
  expect(findIssuedToken(store, 'AT.1', 'header.claims.other-signature')).toBeUndefined();
  store['AT.2'] = tokenRecord(grant, 'access_token', 0, 60, null);
  expect(findIssuedToken(store, 'AT.2', 'anything')).toBe(store['AT.2']);
});

test('secret tokens repeat on a fixed clock (a reproducible run) and never on the wall clock; the id sequence after them is the same', () => {
  const draw = (clock: string) => {
    const ids = createIdSource({ rng: 7, seq: {} });
    return { secret: secretToken({ ids, clock: createClock(clock) }), next: ids.token(10) };
  };
  expect(draw('2026-01-01T00:00:00.000Z')).toEqual(draw('2026-01-01T00:00:00.000Z'));
  const [a, b] = [draw('system'), draw('system')];
  expect(a.secret).not.toBe(b.secret);
  expect(a.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(a.next).toBe(b.next);
});
