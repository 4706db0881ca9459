import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpHandler } from 'msw';
import type { Listening } from '../adapters/node-http.js';
import { requireMsw } from '../adapters/msw.js';
import { emptyHar, harEntry, writeHar, type Har, type HarEntry, type HarPair } from './har.js';
import { createRedactor, type RedactOptions } from './redact.js';
import { TOOL_BODY_LIMIT, answerText, headerPairs, listenOn, readBytes } from './serve-http.js';

/**
 * Where recorded exchanges go: a HAR log kept in memory, redacted as each exchange arrives, and written to `out`
 * (when given) after every exchange, so that a session stopped at any point leaves a whole file.
 *
 * @example
 * const recording = createRecording({ out: 'fixtures/okta-session.har', redact: { keys: ['ssn'] } });
 */
export interface Recording {
  readonly har: Har;
  add(entry: HarEntry): void;
  /** Resolves when everything added so far is on disk. */
  flush(): Promise<void>;
}

/** What a recording keeps, and where. */
export interface RecordingOptions {
  /** The HAR file written after each exchange. */
  out?: string;
  redact?: RedactOptions;
  /** The version the HAR's creator field names. */
  version?: string;
}

/**
 * Starts an empty recording.
 *
 * @example
 * const recording = createRecording({ out: 'session.har' });
 * recording.add(entry);
 * await recording.flush();
 */
export function createRecording(options: RecordingOptions = {}): Recording {
  const har = emptyHar(options.version ?? '0.1.0');
  const redact = createRedactor(options.redact);
  let writing: Promise<void> = Promise.resolve();
  let pending = false;
  // One write at a time, and at most one queued behind it: a burst of exchanges costs two writes, not one each.
  const schedule = () => {
    if (!options.out || pending) return;
    pending = true;
    const out = options.out;
    writing = writing.then(() => {
      pending = false;
      return writeHar(out, har);
    });
  };
  return {
    har,
    add(entry) {
      har.log.entries.push(redact.entry(entry));
      schedule();
    },
    flush: () => writing,
  };
}

// Hop-by-hop headers (RFC 9110 §7.6.1) and those the forwarding itself sets.
const NOT_FORWARDED = new Set(['host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'content-length', 'accept-encoding']);
// The forwarded answer's body is decoded by fetch, so it goes out with its own length and no encoding.
const NOT_RETURNED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-encoding', 'content-length']);

function upstreamOrigin(upstream: string): URL {
  let url: URL;
  try {
    url = new URL(upstream);
  } catch {
    throw new Error(`[twinverse] --upstream "${upstream}" is not an absolute URL; give the vendor's base URL, e.g. https://dev-123.okta.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`[twinverse] --upstream must be an http(s) URL, not ${url.protocol}`);
  return url;
}

/** The answer's headers as pairs, each Set-Cookie on its own. */
function responsePairs(headers: Headers): HarPair[] {
  const out: HarPair[] = [];
  headers.forEach((value, name) => {
    if (name !== 'set-cookie') out.push({ name, value });
  });
  for (const cookie of headers.getSetCookie()) out.push({ name: 'set-cookie', value: cookie });
  return out;
}

/** What the recording proxy needs. */
export interface RecordingProxyOptions extends RecordingOptions {
  /** The vendor's base URL, e.g. https://dev-123.okta.com. */
  upstream: string;
  port?: number;
  host?: string;
  /** The largest request body forwarded (10 MiB by default); a larger one is refused with 413. */
  bodyLimit?: number;
}

/**
 * A recording proxy: each request it receives goes to the upstream as it came (credentials included), the
 * answer goes back to the client, and the exchange, redacted, goes into the recording. Links and redirects that
 * name the upstream are rewritten to the proxy, so that a client paging through it stays on it.
 *
 * @example
 * const proxy = await startRecordingProxy({ upstream: 'https://dev-123.okta.com', out: 'okta-session.har', port: 4010 });
 * // point the SDK at proxy.url, run the session, then:
 * await proxy.close();
 */
export async function startRecordingProxy(options: RecordingProxyOptions): Promise<Listening & { recording: Recording }> {
  const upstream = upstreamOrigin(options.upstream);
  const base = upstream.href.replace(/\/$/, '');
  const recording = createRecording(options);
  const limit = options.bodyLimit ?? TOOL_BODY_LIMIT;
  let self = '';

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = new Date();
    const begun = performance.now();
    const body = await readBytes(req, limit);
    if (body === undefined) return answerText(res, 413, `[twinverse] the request body is over the recording proxy's limit of ${limit} bytes\n`, { connection: 'close' });
    const target = new URL(req.url ?? '/', 'http://proxy.invalid');
    const url = base + target.pathname + target.search;
    const requestHeaders = headerPairs(req);
    const forward = new Headers();
    for (const { name, value } of requestHeaders) if (!NOT_FORWARDED.has(name.toLowerCase())) forward.append(name, value);
    let answer: Response;
    try {
      const method = req.method ?? 'GET';
      answer = await fetch(url, { method, headers: forward, body: method === 'GET' || method === 'HEAD' || body.length === 0 ? undefined : new Uint8Array(body), redirect: 'manual' });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return answerText(res, 502, `[twinverse] the upstream ${upstream.origin} did not answer: ${cause?.code ?? cause?.message ?? (error as Error).message}\n`);
    }
    const responseBody = Buffer.from(await answer.arrayBuffer());
    const headers = responsePairs(answer.headers);
    recording.add(
      harEntry({
        method: req.method ?? 'GET',
        url,
        requestHeaders: requestHeaders.filter((h) => h.name.toLowerCase() !== 'host').concat({ name: 'host', value: upstream.host }),
        requestBody: body,
        status: answer.status,
        statusText: answer.statusText,
        responseHeaders: headers,
        responseBody,
        started,
        time: Math.round(performance.now() - begun),
      }),
    );
    const out: [string, string][] = [];
    for (const { name, value } of headers) {
      if (NOT_RETURNED.has(name)) continue;
      out.push([name, name === 'link' || name === 'location' ? value.replaceAll(upstream.origin, self) : value]);
    }
    out.push(['content-length', String(responseBody.length)]);
    res.writeHead(answer.status, answer.statusText, out.flat());
    res.end(responseBody);
  };

  const listening = await listenOn(
    (req, res) => {
      handle(req, res).catch((error: Error) => {
        if (!res.headersSent) answerText(res, 502, `[twinverse] recording failed: ${error.message}\n`);
        else res.destroy();
      });
    },
    options.port ?? 0,
    options.host ?? '127.0.0.1',
  );
  self = listening.url;
  return {
    url: listening.url,
    recording,
    close: async () => {
      await listening.close();
      await recording.flush();
    },
  };
}

/**
 * MSW handlers in record mode, for a test suite: each request to one of `origins` is passed through to the real
 * service (msw's `bypass`) and the exchange, redacted, is added to the recording.
 *
 * @example
 * const recording = createRecording({ out: 'fixtures/okta-session.har' });
 * const server = setupServer(...createRecordingHandlers(['https://dev-123.okta.com'], recording));
 * // ... run the suite against the real org, then: await recording.flush();
 */
export function createRecordingHandlers(origins: string[], recording: Recording): HttpHandler[] {
  const { http, bypass } = requireMsw();
  return origins.map((origin) => {
    const root = upstreamOrigin(origin).origin;
    const escaped = root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return http.all(new RegExp(`^${escaped}(?:[/?#].*)?$`), async ({ request }) => {
      const started = new Date();
      const begun = performance.now();
      const requestBody = request.method === 'GET' || request.method === 'HEAD' ? Buffer.alloc(0) : Buffer.from(await request.clone().arrayBuffer());
      const requestHeaders: HarPair[] = [];
      request.headers.forEach((value, name) => requestHeaders.push({ name, value }));
      const response = await fetch(bypass(request));
      const responseBody = Buffer.from(await response.clone().arrayBuffer());
      recording.add(
        harEntry({
          method: request.method,
          url: request.url,
          requestHeaders,
          requestBody,
          status: response.status,
          statusText: response.statusText,
          responseHeaders: responsePairs(response.headers),
          responseBody,
          started,
          time: Math.round(performance.now() - begun),
        }),
      );
      // fetch decoded the body: the client gets it as it is now, with its own length and no encoding.
      const headers = new Headers(response.headers);
      for (const name of NOT_RETURNED) headers.delete(name);
      return new Response(responseBody.length ? responseBody : null, { status: response.status, statusText: response.statusText, headers });
    });
  });
}
