import type { TwinRequest, TwinResponse } from '../engine/types.js';
import { pluginFromSpec } from '../plugins/builtins.js';
import type { Twin } from '../twin.js';

const json = (status: number, body: unknown): TwinResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const ROUTES = 'GET /__twin/health, POST /__twin/reset, GET and PUT /__twin/state, GET /__twin/requests, GET, POST and DELETE /__twin/plugins, DELETE /__twin/plugins/{id}';

function parseJson(request: TwinRequest): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(request.body ?? '') };
  } catch {
    return { ok: false };
  }
}

/**
 * The control plane every twin serves under /__twin/: health, reset, state export and import, the journal of
 * requests, and plugins. Its errors are twinverse's own ({ error }), not a vendor's: no SDK calls these.
 *
 * @example
 * await fetch(`${url}/__twin/reset`, { method: 'POST' });
 * await fetch(`${url}/__twin/plugins`, { method: 'POST', body: JSON.stringify({ name: 'fault', options: { fault: 503, nth: 1 } }) });
 */
export async function handleAdmin(twin: Twin<any>, request: TwinRequest, url: URL): Promise<TwinResponse> {
  const route = `${request.method} ${url.pathname}`;
  const pluginId = /^\/__twin\/plugins\/([^/]+)$/.exec(url.pathname)?.[1];
  if (request.method === 'DELETE' && pluginId !== undefined) {
    return twin.removePlugin(pluginId) ? { status: 204, headers: {} } : json(404, { error: `[twinverse] no plugin ${pluginId} was added at runtime; GET /__twin/plugins lists them` });
  }
  switch (route) {
    case 'GET /__twin/health':
      try {
        await twin.ready();
        return json(200, { status: 'ok', twin: twin.name });
      } catch (error) {
        return json(503, { status: 'unavailable', twin: twin.name, error: (error as Error).message });
      }
    case 'POST /__twin/reset': {
      // ?plugins=true also removes the plugins added at runtime, as twin.reset({ plugins: true }) does.
      const plugins = url.searchParams.get('plugins') === 'true';
      twin.reset({ plugins });
      return json(200, { status: 'reset', twin: twin.name, plugins: plugins ? 'removed' : 'kept' });
    }
    case 'GET /__twin/state':
      return json(200, twin.exportState());
    case 'PUT /__twin/state': {
      const parsed = parseJson(request);
      if (!parsed.ok) return json(400, { error: '[twinverse] PUT /__twin/state takes a JSON state export, as GET /__twin/state returns it' });
      try {
        twin.importState(parsed.value);
      } catch (error) {
        return json(400, { error: (error as Error).message });
      }
      return json(200, { status: 'imported', twin: twin.name });
    }
    case 'GET /__twin/requests':
      return json(200, { requests: twin.requests });
    case 'GET /__twin/plugins':
      return json(200, { plugins: twin.plugins });
    case 'POST /__twin/plugins': {
      const parsed = parseJson(request);
      if (!parsed.ok) return json(400, { error: '[twinverse] POST /__twin/plugins takes JSON: { "name": "<built-in plugin>", "options": {...} }, or an array of them' });
      const specs = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
      let plugins;
      try {
        plugins = specs.map(pluginFromSpec);
      } catch (error) {
        return json(400, { error: (error as Error).message });
      }
      return json(201, { plugins: twin.use(...plugins) });
    }
    case 'DELETE /__twin/plugins':
      twin.resetPlugins();
      return { status: 204, headers: {} };
    default:
      return json(404, { error: `[twinverse] ${route} is not part of the admin API; it serves ${ROUTES}` });
  }
}
