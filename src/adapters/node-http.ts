import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { TwinRuntime } from '../engine/twin-runtime.js';
import type { TwinRequest } from '../engine/types.js';

/**
 * A running server: its base URL and a way to stop it.
 *
 * @example
 * const { url, close }: Listening = await listen(twin);
 * await fetch(`${url}/items/1`);
 * await close();
 */
export interface Listening {
  url: string;
  close(): Promise<void>;
}

/** A body over the twin's limit: it was left unread. */
const TOO_LARGE = Symbol('body too large');
type Body = string | undefined | typeof TOO_LARGE;

/**
 * The raw body, or a promise of it while it streams in. A request with neither a length nor a transfer encoding has
 * none (RFC 9112 §6.3), and answering it needs no wait. A body over `limit` bytes is not read: a declared length
 * over it is refused before a byte arrives, a streamed one as soon as it passes the limit, and what was read is
 * dropped. An express body parser mounted before the twin has read the body already: its result is encoded back.
 */
function readBody(req: IncomingMessage & { body?: unknown }, limit: number): Body | Promise<Body> {
  if (req.readableEnded) {
    const parsed = req.body;
    if (parsed === undefined || parsed === null) return undefined;
    if (typeof parsed === 'string') return parsed;
    if (Buffer.isBuffer(parsed)) return parsed.toString('utf8');
    const form = (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
    return form ? new URLSearchParams(parsed as Record<string, string>).toString() : JSON.stringify(parsed);
  }
  const length = req.headers['content-length'];
  if ((length === undefined || length === '0') && req.headers['transfer-encoding'] === undefined) return undefined;
  if (length !== undefined && Number(length) > limit) return TOO_LARGE;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      chunks.length = 0;
      resolve(TOO_LARGE);
    };
    req.on('data', onData);
    req.on('end', () => resolve(chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined));
    req.on('error', reject);
  });
}

/** The engine's headers: node's own object, whose values are strings but for set-cookie (joined here, in a copy). */
function headersOf(req: IncomingMessage): Record<string, string> {
  const headers = req.headers;
  if (headers['set-cookie'] === undefined) return headers as Record<string, string>;
  const copy: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) copy[name] = Array.isArray(value) ? value.join(', ') : value;
  return copy;
}

// A Host header worth echoing into links: a DNS name or IPv4 address, or a bracketed IPv6 address, and a port.
const VALID_HOST = /^(?:[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?|\[[0-9a-f:.]{2,45}\])(?::\d{1,5})?$/i;

/** The address the connection was accepted on, an IPv4-mapped IPv6 address as plain IPv4. */
function localAddressOf(req: IncomingMessage): string {
  const local = req.socket.localAddress ?? '127.0.0.1';
  return local.startsWith('::ffff:') ? local.slice('::ffff:'.length) : local;
}

/**
 * Where the client reached the twin, for absolute links: its Host header when that is a valid host and port, else
 * the address the socket was accepted on. The Host header never decides what is served.
 */
function originOf(req: IncomingMessage, host: string | undefined): string {
  if (host !== undefined && VALID_HOST.test(host)) return `http://${host}`;
  const address = localAddressOf(req);
  return `http://${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort ?? 80}`;
}

/** The request target's path and query; an absolute-form target (`GET http://host/path`) gives its path too. */
function targetOf(url: string | undefined): string {
  if (!url) return '/';
  if (url.startsWith('/')) return url;
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return '/';
  }
}

/**
 * Converts a node:http request into the engine's request; `mountPath` is where an express app mounted the twin.
 * Routing uses the request target alone: a forged Host (`x/__twin/reset?`) must not change which endpoint is served.
 */
function toTwinRequest(req: IncomingMessage, body: Body, mountPath: string): TwinRequest {
  const headers = headersOf(req);
  const origin = originOf(req, headers.host);
  const request: TwinRequest = { method: req.method ?? 'GET', url: origin + targetOf(req.url), headers, body: body === TOO_LARGE ? undefined : body, baseUrl: origin + mountPath, localAddress: localAddressOf(req) };
  if (body === TOO_LARGE) request.bodyTooLarge = true;
  return request;
}

/**
 * A node:http request listener that serves a twin: the fastest way to put one on a port.
 *
 * @example
 * http.createServer(createRequestListener(twin)).listen(0);
 */
export function createRequestListener(twin: TwinRuntime<any>, mountPath: (req: IncomingMessage) => string = () => ''): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const body = readBody(req, twin.bodyLimit);
    let unread = false;
    const serve = (read: Body) => {
      unread = read === TOO_LARGE;
      return twin.handle(toTwinRequest(req, read, mountPath(req)));
    };
    (body instanceof Promise ? body.then(serve) : serve(body))
      .then((response) => {
        // A plugin's transport fault: close the connection with no answer, or leave it open until the client gives up
        // (the server's close() ends it too).
        if (response.fault === 'drop') return void req.socket.destroy();
        if (response.fault === 'hang') return;
        // A known length lets node send head and body in one write; without it the body goes chunked, in pieces. It
        // goes in the object writeHead takes: a header set apart first sends node down its slower merging path.
        if (response.body !== undefined && response.headers['content-length'] === undefined) response.headers['content-length'] = String(Buffer.byteLength(response.body));
        // The rest of an unread body is not drained: the connection closes once the refusal is sent.
        if (unread) response.headers['connection'] = 'close';
        res.writeHead(response.status, response.headers);
        res.end(response.body);
      })
      .catch((error: Error) => {
        if (res.headersSent) return res.destroy();
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: `[twinverse] ${error.message}` }));
      });
  };
}

/**
 * Serves a twin on a port of the loopback interface (0 picks a free one).
 *
 * @example
 * const { url, close } = await listen(twin, 0);
 */
export function listen(twin: TwinRuntime<any>, port = 0, host = '127.0.0.1'): Promise<Listening> {
  const server = createServer(createRequestListener(twin));
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${shownHost}:${actualPort}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}
