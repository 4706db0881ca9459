import type { TwinRuntime } from '../engine/twin-runtime.js';
import type { TwinRequest, TwinResponse } from '../engine/types.js';

const json = (status: number, body: unknown): TwinResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/**
 * The control plane every twin serves under /__twin/: health, reset, state export and import, and the
 * journal of requests. Its errors are twinverse's own ({ error }), not a vendor's: no SDK calls these.
 *
 * @example
 * await fetch(`${url}/__twin/reset`, { method: 'POST' });
 */
export async function handleAdmin(twin: TwinRuntime<any>, request: TwinRequest, url: URL): Promise<TwinResponse> {
  const route = `${request.method} ${url.pathname}`;
  switch (route) {
    case 'GET /__twin/health':
      try {
        await twin.ready();
        return json(200, { status: 'ok', twin: twin.name });
      } catch (error) {
        return json(503, { status: 'unavailable', twin: twin.name, error: (error as Error).message });
      }
    case 'POST /__twin/reset':
      twin.reset();
      return json(200, { status: 'reset', twin: twin.name });
    case 'GET /__twin/state':
      return json(200, twin.exportState());
    case 'PUT /__twin/state': {
      let doc: unknown;
      try {
        doc = JSON.parse(request.body ?? '');
      } catch {
        return json(400, { error: '[twinverse] PUT /__twin/state takes a JSON state export, as GET /__twin/state returns it' });
      }
      try {
        twin.importState(doc);
      } catch (error) {
        return json(400, { error: (error as Error).message });
      }
      return json(200, { status: 'imported', twin: twin.name });
    }
    case 'GET /__twin/requests':
      return json(200, { requests: twin.requests });
    default:
      return json(404, {
        error: `[twinverse] ${route} is not part of the admin API; it serves GET /__twin/health, POST /__twin/reset, GET and PUT /__twin/state, GET /__twin/requests`,
      });
  }
}
