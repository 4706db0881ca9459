/**
 * Trusted origins through trustedOriginApi. Sources:
 *  - [to] Okta Management API, TrustedOrigin tag (create, list with q/filter, replace, delete, lifecycle; scopes CORS,
 *    REDIRECT, IFRAME_EMBED; the origin is a scheme, a host and a port)
 */
import { expect, test } from 'vitest';
import { collect, describeOkta, refused, sdkError, sendJson } from '../../support/okta.js';

describeOkta('Story: an admin lets a single-page app call Okta from the browser', (t) => {
  test('create, read, list (q and filter), replace, deactivate, activate and delete a trusted origin', async () => {
    const created: any = await t.client.trustedOriginApi.createTrustedOrigin({
      trustedOrigin: { name: 'Expense SPA', origin: 'https://spa.example.com', scopes: [{ type: 'CORS' }, { type: 'REDIRECT' }] },
    });
    expect(created.id).toMatch(/^tos[0-9A-Za-z]{17}$/);
    expect(created).toMatchObject({
      name: 'Expense SPA',
      origin: 'https://spa.example.com',
      scopes: [{ type: 'CORS' }, { type: 'REDIRECT' }],
      status: 'ACTIVE',
      createdBy: '00uadmintwin00000001',
      lastUpdatedBy: '00uadmintwin00000001',
    });
    expect(created._links.deactivate.href).toBe(`${t.baseUrl}/api/v1/trustedOrigins/${created.id}/lifecycle/deactivate`);
    await t.client.trustedOriginApi.createTrustedOrigin({ trustedOrigin: { name: 'Portal', origin: 'http://localhost:8080', scopes: [{ type: 'IFRAME_EMBED', allowedOktaApps: ['OKTA_ENDUSER'] }] } });

    expect(await t.client.trustedOriginApi.getTrustedOrigin({ trustedOriginId: created.id })).toMatchObject({ name: 'Expense SPA' });
    expect((await collect(await t.client.trustedOriginApi.listTrustedOrigins())).map((o: any) => o.name)).toEqual(['Expense SPA', 'Portal']);
    expect((await collect(await t.client.trustedOriginApi.listTrustedOrigins({ q: 'port' }))).map((o: any) => o.name)).toEqual(['Portal']);
    expect((await collect(await t.client.trustedOriginApi.listTrustedOrigins({ filter: 'origin eq "https://spa.example.com"' }))).map((o: any) => o.id)).toEqual([created.id]);

    const replaced: any = await t.client.trustedOriginApi.replaceTrustedOrigin({ trustedOriginId: created.id, trustedOrigin: { ...created, name: 'Expense SPA v2', scopes: [{ type: 'CORS' }] } });
    expect(replaced).toMatchObject({ name: 'Expense SPA v2', scopes: [{ type: 'CORS' }], created: created.created });

    expect(await t.client.trustedOriginApi.deactivateTrustedOrigin({ trustedOriginId: created.id })).toMatchObject({ status: 'INACTIVE' });
    expect((await collect(await t.client.trustedOriginApi.listTrustedOrigins({ filter: 'status eq "INACTIVE"' }))).map((o: any) => o.id)).toEqual([created.id]);
    expect(await t.client.trustedOriginApi.activateTrustedOrigin({ trustedOriginId: created.id })).toMatchObject({ status: 'ACTIVE' });

    await t.client.trustedOriginApi.deleteTrustedOrigin({ trustedOriginId: created.id });
    expect(await sdkError(t.client.trustedOriginApi.getTrustedOrigin({ trustedOriginId: created.id }))).toMatchObject({
      status: 404,
      errorCode: 'E0000007',
      errorSummary: `Not found: Resource not found: ${created.id} (TrustedOrigin)`,
    });
  });

  test('the list pages by limit and after with Link headers, as the SDK follows them; q and filter still apply; 20 a page by default, at most 200', async () => {
    const made: any[] = [];
    for (let i = 1; i <= 22; i++) {
      const n = String(i).padStart(2, '0');
      made.push(await t.client.trustedOriginApi.createTrustedOrigin({ trustedOrigin: { name: `App ${n}`, origin: `https://app${n}.example.com`, scopes: [{ type: 'CORS' }] } }));
    }
    const ids = made.map((o) => o.id);
    await t.client.trustedOriginApi.deactivateTrustedOrigin({ trustedOriginId: ids[4] });

    // The SDK's collection follows each next link to the end.
    expect((await collect(await t.client.trustedOriginApi.listTrustedOrigins({ limit: 5 }))).map((o: any) => o.id)).toEqual(ids);
    expect((await collect(await t.client.trustedOriginApi.listTrustedOrigins({ q: 'https://app1', limit: 4 }))).map((o: any) => o.name)).toEqual(
      ['10', '11', '12', '13', '14', '15', '16', '17', '18', '19'].map((n) => `App ${n}`),
    );
    expect((await collect(await t.client.trustedOriginApi.listTrustedOrigins({ filter: 'status eq "ACTIVE"', limit: 7 }))).map((o: any) => o.id)).toEqual(ids.filter((_, i) => i !== 4));

    // [to] limit: 20 by default; the next link carries the cursor and the page size.
    const first = await t.fetch('/api/v1/trustedOrigins');
    expect((await first.json()).map((o: any) => o.id)).toEqual(ids.slice(0, 20));
    expect(first.headers.get('link')).toBe(`<${t.baseUrl}/api/v1/trustedOrigins>; rel="self", <${t.baseUrl}/api/v1/trustedOrigins?after=${ids[19]}&limit=20>; rel="next"`);
    const second = await t.fetch(`/api/v1/trustedOrigins?after=${ids[19]}&limit=20`);
    expect((await second.json()).map((o: any) => o.id)).toEqual(ids.slice(20));
    expect(second.headers.get('link')).toBe(`<${t.baseUrl}/api/v1/trustedOrigins?after=${ids[19]}&limit=20>; rel="self"`);

    // At most 200 a page; a limit below 1 gives a page of none, and a cursor that names no origin ends the listing.
    const capped = await t.fetch('/api/v1/trustedOrigins?limit=500');
    expect((await capped.json()).length).toBe(22);
    expect(capped.headers.get('link')).toBe(`<${t.baseUrl}/api/v1/trustedOrigins?limit=500>; rel="self"`);
    for (const query of ['limit=0', 'limit=-1', 'after=tosnosuchorigin00000']) {
      const empty = await t.fetch(`/api/v1/trustedOrigins?${query}`);
      expect(await empty.json()).toEqual([]);
      expect(empty.headers.get('link')).toBe(`<${t.baseUrl}/api/v1/trustedOrigins?${query}>; rel="self"`);
    }
  });

  test('bad input: a missing or duplicate name, an origin with a path, no scopes or an unknown scope type are E0000001, and nothing is created', async () => {
    await t.client.trustedOriginApi.createTrustedOrigin({ trustedOrigin: { name: 'Taken', origin: 'https://taken.example.com', scopes: [{ type: 'CORS' }] } });
    const causes = async (body: Record<string, unknown>) => (await refused(await sendJson(t, '/api/v1/trustedOrigins', body))).causes;
    expect(await causes({ origin: 'https://a.example.com', scopes: [{ type: 'CORS' }] })).toEqual(['name: The field cannot be left blank']);
    expect(await causes({ name: 'taken', origin: 'https://taken.example.com', scopes: [{ type: 'CORS' }] })).toEqual([
      'name: An object with this field already exists in the current organization',
      'origin: An object with this field already exists in the current organization',
    ]);
    expect(await causes({ name: 'Path', origin: 'https://a.example.com/callback', scopes: [{ type: 'CORS' }] })).toEqual(['origin: The origin must be a scheme, a host and an optional port, e.g. https://example.com.']);
    expect(await causes({ name: 'No scopes', origin: 'https://b.example.com', scopes: [] })).toEqual(['scopes: The field cannot be left blank']);
    expect(await causes({ name: 'Odd scope', origin: 'https://c.example.com', scopes: [{ type: 'POPUP' }] })).toEqual(["scopes: Each scope's type must be one of CORS, REDIRECT, IFRAME_EMBED."]);
    const summary = await refused(await sendJson(t, '/api/v1/trustedOrigins', { origin: 'ftp://x' }));
    expect(summary).toMatchObject({ errorCode: 'E0000001', errorSummary: 'Api validation failed: name, origin, scopes' });
    expect((await collect(await t.client.trustedOriginApi.listTrustedOrigins())).length).toBe(1);
    expect((await refused(await t.fetch('/api/v1/trustedOrigins?filter=name%20sw%20%22x%22'))).errorCode).toBe('E0000031');
    expect((await sdkError(t.client.trustedOriginApi.deactivateTrustedOrigin({ trustedOriginId: 'tosnope' }))).status).toBe(404);
  });
});
