/**
 * Paging the policies list (SDK policyApi.listPolicies). Sources: the management spec's listPolicies, which takes
 * `limit` and `after` and points to Okta's cursor pagination (a `Link` header with `self` and, while more follow,
 * `next`); it gives no default page size.
 */
import { expect, test } from 'vitest';
import { collect, describeOkta, type OktaTarget } from '../../support/okta.js';

const DEFAULT_SIGN_ON = '00ptwinsignon0000001';

async function signOnPolicy(t: OktaTarget, name: string, priority: number): Promise<string> {
  const created: any = await t.client.policyApi.createPolicy({ policy: { type: 'OKTA_SIGN_ON', name, priority } as any });
  return created.id;
}

describeOkta('Policies API: paging the list', (t) => {
  test('with limit=1 the SDK follows the next links through every policy of the type, in priority order', async () => {
    const first = await signOnPolicy(t, 'Contractors', 1);
    const second = await signOnPolicy(t, 'Staff', 2);
    const listed: any[] = await collect(await t.client.policyApi.listPolicies({ type: 'OKTA_SIGN_ON', limit: '1' }));
    expect(listed.map((p) => p.id)).toEqual([first, second, DEFAULT_SIGN_ON]);
  });

  test('a full page links to the next one; the last page links only to itself; without a limit all are on one page', async () => {
    const first = await signOnPolicy(t, 'Contractors', 1);
    const second = await signOnPolicy(t, 'Staff', 2);
    const page = await t.fetch('/api/v1/policies?type=OKTA_SIGN_ON&limit=2');
    const next = `${t.baseUrl}/api/v1/policies?type=OKTA_SIGN_ON&limit=2&after=${second}`;
    expect(page.headers.get('link')).toBe(`<${t.baseUrl}/api/v1/policies?type=OKTA_SIGN_ON&limit=2>; rel="self", <${next}>; rel="next"`);
    expect((await page.json()).map((p: any) => p.id)).toEqual([first, second]);
    const last = await t.fetch(next.slice(t.baseUrl.length));
    expect(last.headers.get('link')).toBe(`<${next}>; rel="self"`);
    expect((await last.json()).map((p: any) => p.id)).toEqual([DEFAULT_SIGN_ON]);
    const whole = await t.fetch('/api/v1/policies?type=OKTA_SIGN_ON');
    expect(whole.headers.get('link')).toBe(`<${t.baseUrl}/api/v1/policies?type=OKTA_SIGN_ON>; rel="self"`);
    expect((await whole.json()).map((p: any) => p.id)).toEqual([first, second, DEFAULT_SIGN_ON]);
  });
});
