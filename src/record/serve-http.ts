import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Listening } from '../adapters/node-http.js';

/** The largest request body the recording proxy and the replay server read (10 MiB, as a twin's default). */
export const TOOL_BODY_LIMIT = 10 * 1024 * 1024;

/**
 * A request's body bytes, or undefined once it passes `limit` (a declared length over it is not read at all).
 *
 * @example
 * const body = await readBytes(req, TOOL_BODY_LIMIT);
 */
export function readBytes(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      resolve(undefined);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Plain-text answer of a tool's own (not a recorded or upstream one). */
export function answerText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/**
 * Listens with a request listener on `host:port` (0: a free port) and returns its URL and a close that also ends
 * idle keep-alive connections.
 *
 * @example
 * const { url, close } = await listenOn((req, res) => res.end('ok'), 0, '127.0.0.1');
 */
export async function listenOn(listener: (req: IncomingMessage, res: ServerResponse) => void, port: number, host: string): Promise<Listening> {
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The request's headers as HAR pairs, repeated headers kept as separate pairs. */
export function headerPairs(req: IncomingMessage): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) out.push({ name: req.rawHeaders[i], value: req.rawHeaders[i + 1] });
  return out;
}
