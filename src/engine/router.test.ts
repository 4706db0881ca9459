import { expect, test } from 'vitest';
import { createRouter } from './router.js';

test('literal segments win over parameters, with backtracking into the parameter branch', () => {
  const router = createRouter<string>();
  router.add('/oauth2/v1/keys', 'GET', 'orgKeys');
  router.add('/oauth2/{authServerId}/v1/keys', 'GET', 'customKeys');
  router.add('/users/me', 'GET', 'me');
  router.add('/users/{id}', 'GET', 'user');
  expect(router.match('/oauth2/v1/keys')?.methods.get('GET')).toBe('orgKeys');
  expect(router.match('/oauth2/default/v1/keys')).toMatchObject({ params: { authServerId: 'default' } });
  expect(router.match('/users/me')?.methods.get('GET')).toBe('me');
  expect(router.match('/users/00u1')?.params).toEqual({ id: '00u1' });
});

test('parameters are percent-decoded; empty segments and unknown paths do not match', () => {
  const router = createRouter<string>();
  router.add('/users/{id}', 'GET', 'user');
  expect(router.match('/users/a%40b.test')?.params.id).toBe('a@b.test');
  expect(router.match('/users/')).toBeUndefined();
  expect(router.match('/users/x/y')).toBeUndefined();
  expect(router.match('/groups')).toBeUndefined();
});

test('paths may name the same position differently, as vendor documents do', () => {
  const router = createRouter<string>();
  router.add('/users/{id}', 'GET', 'getUser');
  router.add('/users/{userId}/factors', 'GET', 'listFactors');
  expect(router.match('/users/00u1')?.params).toEqual({ id: '00u1' });
  expect(router.match('/users/00u1/factors')?.params).toEqual({ userId: '00u1' });
});

test('the same path twice under other parameter names is refused at compile time', () => {
  const router = createRouter<string>();
  router.add('/users/{id}', 'GET', 'a');
  expect(() => router.add('/users/{userId}', 'POST', 'b')).toThrow(/\[twinverse\]/);
});

test('a parameter with a literal suffix (a Google custom method) beats a bare parameter, and only matches with its suffix', () => {
  const router = createRouter<string>();
  router.add('/v1/documents/{documentId}', 'GET', 'get');
  router.add('/v1/documents/{documentId}:batchUpdate', 'POST', 'batchUpdate');
  expect(router.match('/v1/documents/doc%201:batchUpdate')).toMatchObject({ template: '/v1/documents/{documentId}:batchUpdate', params: { documentId: 'doc 1' } });
  expect(router.match('/v1/documents/doc1')).toMatchObject({ template: '/v1/documents/{documentId}', params: { documentId: 'doc1' } });
  expect(router.match('/v1/documents/:batchUpdate')?.template).toBe('/v1/documents/{documentId}');
  expect(router.match('/v1/documents/doc1:other')).toMatchObject({ template: '/v1/documents/{documentId}', params: { documentId: 'doc1:other' } });
});
