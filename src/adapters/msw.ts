import type { HttpHandler } from 'msw';
import type { TwinRuntime } from '../engine/twin-runtime.js';
import type { TwinRequest } from '../engine/types.js';

type Msw = typeof import('msw');

/** What loading the project's msw gave: the module and its version, or why there is none. */
export interface MswFound {
  msw?: Msw;
  /** The installed msw's package.json version; absent when msw failed to load or hides its package.json. */
  version?: string;
  /** The error importing msw threw. */
  error?: unknown;
}

// msw is a peer dependency: the handlers must come from the msw the user's suite runs, since another copy's
// handlers break its server (msw 3's server.close() calls handler.dispose(), which msw 2's handlers lack).
// Loaded here, once and without failing, so that the package imports without msw; createMswHandlers throws.
// The twinverse command serves over HTTP only and says so before it loads the library (see twins/cli.ts): it is
// spared the fifth of a second msw takes to load.
const found: MswFound = (globalThis as Record<symbol, unknown>)[Symbol.for('twinverse.httpOnly')] ? {} : await loadMsw();

async function loadMsw(): Promise<MswFound> {
  let msw: Msw;
  try {
    msw = await import('msw');
  } catch (error) {
    return { error };
  }
  try {
    // Through the same resolver as the module itself, so the version is that of the copy just loaded.
    const pkg = (await import('msw/package.json', { with: { type: 'json' } })) as { default: { version: string } };
    return { msw, version: pkg.default.version };
  } catch {
    return { msw };
  }
}

/**
 * Why the found msw cannot serve a twin, as the one-line error createMswHandlers throws, or undefined when it
 * can: msw 2 on Node 20 and newer, msw 3 on Node 22.12 and newer (its own `engines`; on older Node its
 * interceptors fail on the first request).
 *
 * @example
 * mswProblem({ error: notFound }, '22.12.0'); // '[twinverse] MSW handlers need msw 2 (Node 20+) or msw 3 (Node 22.12+) in your project, and msw is not installed; fix: npm i -D msw (on Node older than 22.12: npm i -D msw@2)'
 */
export function mswProblem(found: MswFound, nodeVersion: string): string | undefined {
  const need = '[twinverse] MSW handlers need msw 2 (Node 20+) or msw 3 (Node 22.12+) in your project';
  const fix = 'fix: npm i -D msw (on Node older than 22.12: npm i -D msw@2)';
  if (!found.msw) {
    const error = found.error as { code?: string; message?: string } | undefined;
    const message = String(error?.message ?? error).split('\n')[0];
    const missing = error?.code === 'ERR_MODULE_NOT_FOUND' ? /['"]msw['"]/.test(message) : /(find|resolve)[^'"]*['"]msw['"]/i.test(message);
    return missing ? `${need}, and msw is not installed; ${fix}` : `${need}, and importing msw failed on Node ${nodeVersion} (${message}); ${fix}`;
  }
  const major = Number(/^(\d+)\./.exec(found.version ?? '')?.[1]);
  if (major !== 2 && major !== 3) return `${need}, and ${found.version ? `msw ${found.version}` : 'an msw of unknown version'} is installed; ${fix}`;
  const [nodeMajor, nodeMinor] = nodeVersion.split('.').map(Number);
  if (major === 3 && (nodeMajor < 22 || (nodeMajor === 22 && nodeMinor < 12))) {
    return `${need}, and msw ${found.version} is installed on Node ${nodeVersion}; fix: npm i -D msw@2, or run Node 22.12+`;
  }
  return undefined;
}

/**
 * The project's msw, for code that builds handlers; throws the one-line error naming the fix when there is no
 * usable one (see mswProblem).
 *
 * @example
 * const { http, HttpResponse } = requireMsw();
 */
export function requireMsw(): Msw {
  const problem = mswProblem(found, process.versions.node);
  if (problem || !found.msw) throw new Error(problem);
  return found.msw;
}

/**
 * The body's text, or undefined once it passes `limit` bytes: a declared length over the limit is not read at
 * all, a streamed body is cancelled as soon as it passes it.
 */
async function readLimited(request: Request, limit: number): Promise<string | undefined> {
  if (Number(request.headers.get('content-length') ?? 0) > limit) return undefined;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Not awaited: the interceptor's stream may settle its cancellation only once the response is sent.
      reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * MSW handlers that serve a twin at a base URL, for `setupServer` from msw/node: the unmodified SDK is
 * answered in-process, with no port. They are built with the msw your project installs (msw 2 on Node 20+,
 * msw 3 on Node 22.12+), a peer dependency; without a supported one this throws, naming the fix.
 *
 * @example
 * const server = setupServer(...createMswHandlers(twin, 'https://api.example.test'));
 * server.listen({ onUnhandledRequest: 'error' });
 */
export function createMswHandlers(twin: TwinRuntime<any>, baseUrl: string): HttpHandler[] {
  const { http, HttpResponse } = requireMsw();
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
    const body = hasBody ? await readLimited(request, twin.bodyLimit) : '';
    // The twin sees its own paths: a base URL's path is where it is mounted, as with express.
    const url = new URL(request.url);
    url.pathname = url.pathname.slice(base.pathname.replace(/\/$/, '').length) || '/';
    const twinRequest: TwinRequest = { method: request.method, url: url.href, headers, body: body || undefined, baseUrl: root };
    if (body === undefined) twinRequest.bodyTooLarge = true;
    const response = await twin.handle(twinRequest);
    // A plugin's transport fault: a dropped connection is a network error for the client; an unanswered request
    // stays pending until the client aborts it.
    if (response.fault === 'hang') await new Promise((resolve) => (request.signal.aborted ? resolve(undefined) : request.signal.addEventListener('abort', resolve, { once: true })));
    if (response.fault) return HttpResponse.error();
    const out = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      for (const v of Array.isArray(value) ? value : [value]) out.append(name, v);
    }
    // A body of known length says so, as msw's HttpResponse.json() and .text() do: msw 3's interceptors keep
    // every node:http(s) socket answered in chunks (no Content-Length) alive for good, about 30 KB a request.
    if (response.body !== undefined && !out.has('content-length') && !out.has('transfer-encoding')) {
      out.set('content-length', String(Buffer.byteLength(response.body)));
    }
    return new HttpResponse(response.body ?? null, { status: response.status, headers: out });
  };
  // A RegExp rather than `${root}/*`: MSW's path patterns do not match paths with empty segments, which a
  // fetch-based client given a base URL ending in "/" sends (`//api/...`).
  const escaped = root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [http.all(new RegExp(`^${escaped}(?:[/?#].*)?$`), serve)];
}
