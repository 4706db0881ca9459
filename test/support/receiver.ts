import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request a receiver got. */
export interface Received {
  method: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** What the receiver answers: a status and body, or null to leave the request hanging until close. */
export type Reply = { status: number; body?: string } | null;

/**
 * A loopback server standing in for a twin's outbound target (an Okta event hook, a Slack app's request URL): it
 * records every request and answers with `answer`, given the request and how many have come (1 for the first).
 *
 * @example
 * const hook = await startReceiver('/okta/events', () => ({ status: 200 }));
 * await hook.count(1);
 * await hook.close();
 */
export async function startReceiver(path: string, answer: (req: Received, n: number) => Reply) {
  const received: Received[] = [];
  const waiters: (() => void)[] = [];
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const request = { method: req.method!, headers: req.headers, body };
      received.push(request);
      const reply = answer(request, received.length);
      if (reply) res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body ?? '');
      else hanging.push(res);
      waiters.splice(0).forEach((wake) => wake());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    received,
    /** Resolves once `n` requests have arrived. */
    async count(n: number) {
      while (received.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        hanging.forEach((res) => res.destroy());
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
