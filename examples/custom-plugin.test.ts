import { afterAll, beforeAll, expect, test } from 'vitest';
import { setupServer } from 'msw/node';
import { createOktaTwin, type Plugin } from 'twinverse';

// A plugin of your own: a value with optional phases, picked by operationId, method, path template or a predicate.
const maintenanceBanner: Plugin = {
  name: 'maintenance-banner',
  method: 'GET',
  after(ctx, response, scope) {
    response.headers['x-maintenance'] = 'tonight 22:00 UTC';
    scope.note(`bannered ${ctx.operation?.operationId ?? 'an unrouted request'}`);
  },
};

const twin = createOktaTwin();
const server = setupServer(...twin.mswHandlers('https://dev-123.okta.com'));

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

test('every GET carries the banner while the plugin is in use', async () => {
  twin.use(maintenanceBanner);
  const res = await fetch('https://dev-123.okta.com/api/v1/users/me', { headers: { authorization: 'SSWS twin-okta-token' } });
  expect(res.headers.get('x-maintenance')).toBe('tonight 22:00 UTC');
  expect(twin.requests.at(-1)?.plugins).toEqual([{ id: expect.any(String), name: 'maintenance-banner', action: 'bannered getUser' }]);
  twin.resetPlugins();
});
