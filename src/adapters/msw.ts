import { http, HttpResponse, type HttpHandler } from 'msw';
import type { TwinRuntime } from '../engine/twin-runtime.js';

/**
 * MSW handlers that serve a twin at a base URL, for `setupServer` from msw/node: the unmodified SDK is
 * answered in-process, with no port.
 *
 * @example
 * const server = setupServer(...createMswHandlers(twin, 'https://api.example.test'));
 * server.listen({ onUnhandledRequest: 'error' });
 */
export function createMswHandlers(twin: TwinRuntime<any>, baseUrl: string): HttpHandler[] {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new Error(`[twinverse] createMswHandlers: "${baseUrl}" is not an absolute URL; pass the base URL your client uses, e.g. https://api.example.test`);
  }
  const root = base.origin + base.pathname.replace(/\/$/, '');
  const serve = async ({ request }: { request: Request }) => {
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const body = hasBody ? await request.text() : '';
    // The twin sees its own paths: a base URL's path is where it is mounted, as with express.
    const url = new URL(request.url);
    url.pathname = url.pathname.slice(base.pathname.replace(/\/$/, '').length) || '/';
    const response = await twin.handle({ method: request.method, url: url.href, headers, body: body || undefined, baseUrl: root });
    const out = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      for (const v of Array.isArray(value) ? value : [value]) out.append(name, v);
    }
    return new HttpResponse(response.body ?? null, { status: response.status, headers: out });
  };
  // A RegExp rather than `${root}/*`: MSW's path patterns do not match paths with empty segments, which a
  // fetch-based client given a base URL ending in "/" sends (`//api/...`).
  const escaped = root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [http.all(new RegExp(`^${escaped}(?:[/?#].*)?$`), serve)];
}
