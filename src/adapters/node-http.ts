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

/** The raw body. An express body parser mounted before the twin has read it already: its result is encoded back. */
function readBody(req: IncomingMessage & { body?: unknown }): Promise<string | undefined> {
  if (req.readableEnded) {
    const parsed = req.body;
    if (parsed === undefined || parsed === null) return Promise.resolve(undefined);
    if (typeof parsed === 'string') return Promise.resolve(parsed);
    if (Buffer.isBuffer(parsed)) return Promise.resolve(parsed.toString('utf8'));
    const form = (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
    return Promise.resolve(form ? new URLSearchParams(parsed as Record<string, string>).toString() : JSON.stringify(parsed));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined));
    req.on('error', reject);
  });
}

/** Converts a node:http request into the engine's request; `mountPath` is where an express app mounted the twin. */
async function toTwinRequest(req: IncomingMessage, mountPath = ''): Promise<TwinRequest> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const origin = `http://${headers.host ?? 'localhost'}`;
  return { method: req.method ?? 'GET', url: origin + (req.url ?? '/'), headers, body: await readBody(req), baseUrl: origin + mountPath };
}

/**
 * A node:http request listener that serves a twin: the fastest way to put one on a port.
 *
 * @example
 * http.createServer(createRequestListener(twin)).listen(0);
 */
export function createRequestListener(twin: TwinRuntime<any>, mountPath: (req: IncomingMessage) => string = () => ''): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    toTwinRequest(req, mountPath(req))
      .then((request) => twin.handle(request))
      .then((response) => {
        // A plugin's transport fault: close the connection with no answer, or leave it open until the client gives up
        // (the server's close() ends it too).
        if (response.fault === 'drop') return void req.socket.destroy();
        if (response.fault === 'hang') return;
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
