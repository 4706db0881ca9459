import { createHash, timingSafeEqual } from 'node:crypto';
import { MAX_JSON_DEPTH, jsonDepthOver } from '../engine/pipeline.js';
import type { TwinRequest, TwinResponse } from '../engine/types.js';
import { pluginFromSpec } from '../plugins/builtins.js';
import type { Twin } from '../twin.js';

/**
 * Who may use the control plane: the admin token it requires, if any, and the Host names it answers over HTTP
 * besides loopback ones and the address the connection arrived on.
 *
 * @example
 * const access: AdminAccess = { token: 'change-me', hosts: ['twins.internal'] };
 */
export interface AdminAccess {
  token?: string;
  hosts?: string[];
}

const json = (status: number, body: unknown): TwinResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const ROUTES = 'GET /__twin/health, POST /__twin/reset, GET and PUT /__twin/state, GET /__twin/requests, GET, POST and DELETE /__twin/plugins, DELETE /__twin/plugins/{id}, GET and POST /__twin/clock';

function parseJson(request: TwinRequest): { ok: true; value: unknown } | { ok: false } {
  // A state export nests a few levels more than the requests it was built from.
  if (jsonDepthOver(request.body ?? '', 2 * MAX_JSON_DEPTH)) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(request.body ?? '') };
  } catch {
    return { ok: false };
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** The host name of a Host header value (`[::1]:4010` → `::1`), lower case. */
function hostnameOf(host: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) return bracketed[1].toLowerCase();
  return host.replace(/:\d+$/, '').toLowerCase();
}

const isLoopback = (name: string) => name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127(?:\.\d{1,3}){3}$/.test(name);

/**
 * The control plane's guard against what reaches it besides its own user: a page in a browser on the same machine.
 * Over HTTP the Host must name this twin (a loopback name, the address the connection came in on, or a configured
 * name), so that a DNS-rebound page cannot read the state; an Origin must be this twin's own, so that a cross-site
 * form cannot reset or replace it; a body must be JSON, which a page can send cross-site only after a CORS
 * preflight that the twin never approves. With an admin token, nothing is served without it.
 */
function guard(request: TwinRequest, access: AdminAccess): TwinResponse | undefined {
  if (access.token !== undefined) {
    const given = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
    if (!timingSafeEqual(sha256(given), sha256(access.token))) {
      return { ...json(401, { error: '[twinverse] the admin API requires the admin token: Authorization: Bearer <--admin-token>' }), headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="twinverse admin"' } };
    }
  }
  const host = request.headers.host;
  if (request.localAddress !== undefined) {
    const name = host === undefined ? '' : hostnameOf(host);
    const known = isLoopback(name) || name === request.localAddress.toLowerCase() || (access.hosts ?? []).some((h) => h.toLowerCase() === name);
    if (!known) return json(403, { error: `[twinverse] the admin API answers only requests addressed to this twin (Host ${JSON.stringify(host ?? '')} is not one of its names)` });
  }
  const origin = request.headers.origin;
  if (origin !== undefined && (host === undefined || (origin !== `http://${host}` && origin !== `https://${host}`))) {
    return json(403, { error: `[twinverse] the admin API does not answer requests from other origins (Origin ${origin})` });
  }
  const contentType = request.headers['content-type'];
  if (request.method !== 'GET' && request.method !== 'HEAD' && contentType !== undefined && !/^application\/json\s*(;|$)/i.test(contentType)) {
    return json(415, { error: '[twinverse] the admin API takes JSON bodies only (Content-Type: application/json)' });
  }
  return undefined;
}

/**
 * The control plane every twin serves under /__twin/: health, reset, state export and import, the journal of
 * requests, plugins, and the clock. Its errors are twinverse's own ({ error }), not a vendor's: no SDK calls these.
 *
 * @example
 * await fetch(`${url}/__twin/reset`, { method: 'POST' });
 * await fetch(`${url}/__twin/plugins`, { method: 'POST', body: JSON.stringify({ name: 'fault', options: { fault: 503, nth: 1 } }) });
 */
export async function handleAdmin(twin: Twin<any>, request: TwinRequest, url: URL, access: AdminAccess = {}): Promise<TwinResponse> {
  const refused = guard(request, access);
  if (refused) return refused;
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
    case 'GET /__twin/clock':
      // pending: the delayed answers waiting on this clock, so that a test in another process can wait for one before moving it.
      return json(200, { now: twin.clock.now().toISOString(), fixed: twin.clock.fixed, pending: twin.clock.pending() });
    case 'POST /__twin/clock': {
      // Only a fixed clock is the test's to move; moving the wall clock would shift every later answer of a twin others use.
      if (!twin.clock.fixed) return json(409, { error: '[twinverse] POST /__twin/clock moves a fixed clock only, and this twin follows the system clock (start it with --clock <instant>)' });
      const parsed = parseJson(request);
      const value = parsed.ok && typeof parsed.value === 'object' && parsed.value !== null ? (parsed.value as { advanceMs?: unknown }).advanceMs : undefined;
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return json(400, { error: '[twinverse] POST /__twin/clock takes JSON: { "advanceMs": <non-negative integer> }' });
      twin.clock.advance(value);
      return json(200, { now: twin.clock.now().toISOString() });
    }
    default:
      return json(404, { error: `[twinverse] ${route} is not part of the admin API; it serves ${ROUTES}` });
  }
}
