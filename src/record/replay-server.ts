import type { HttpHandler } from 'msw';
import type { Listening } from '../adapters/node-http.js';
import { requireMsw } from '../adapters/msw.js';
import type { Har } from './har.js';
import { createReplayer, type MatchOptions, type ReplayAnswer, type Replayer } from './replay.js';
import { TOOL_BODY_LIMIT, answerText, listenOn, readBytes } from './serve-http.js';

/** Where the replay server listens, and how it matches. */
export interface ReplayServerOptions extends MatchOptions {
  port?: number;
  host?: string;
}

/**
 * Serves a recording over HTTP: each request gets the recorded answer it matches (see MatchOptions), and a request
 * with no match gets 404 with a plain-text account of the closest recorded request and how it differs.
 *
 * @example
 * const replay = await startReplayServer(await readHar('fixtures/okta-session.har'), { port: 4010 });
 * // point the SDK at replay.url
 * await replay.close();
 */
export async function startReplayServer(har: Har, options: ReplayServerOptions = {}): Promise<Listening & { replayer: Replayer; misses: ReplayAnswer[] }> {
  const replayer = createReplayer(har, options);
  const misses: ReplayAnswer[] = [];
  let self = '';
  const listening = await listenOn(
    (req, res) => {
      readBytes(req, TOOL_BODY_LIMIT).then(
        (body) => {
          if (body === undefined) return answerText(res, 413, `[twinverse] the request body is over the replay server's limit of ${TOOL_BODY_LIMIT} bytes\n`, { connection: 'close' });
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
          const answer = replayer.answer({ method: req.method ?? 'GET', url: new URL(req.url ?? '/', self).href, headers, body: body.length ? body.toString('utf8') : undefined }, self);
          if (!answer.matched) misses.push(answer);
          res.writeHead(answer.status, [...answer.headers, ['content-length', String(answer.body.length)]].flat());
          res.end(answer.body);
        },
        () => res.destroy(),
      );
    },
    options.port ?? 0,
    options.host ?? '127.0.0.1',
  );
  self = listening.url;
  return { ...listening, replayer, misses };
}

/**
 * MSW handlers that answer from a recording, in process: requests to the recording's own origins (or to `baseUrl`
 * instead, when the suite's client points elsewhere) get the recorded answers; a request with no match gets the
 * 404 account of the closest recorded request.
 *
 * @example
 * const server = setupServer(...createReplayHandlers(await readHar('fixtures/okta-session.har')));
 * server.listen({ onUnhandledRequest: 'error' });
 */
export function createReplayHandlers(har: Har, options: MatchOptions & { baseUrl?: string } = {}): HttpHandler[] {
  const { http, HttpResponse } = requireMsw();
  const replayer = createReplayer(har, options);
  const recordedOrigin = replayer.origins[0];
  const origins = options.baseUrl ? [new URL(options.baseUrl).origin] : replayer.origins;
  return origins.map((origin) => {
    const escaped = origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return http.all(new RegExp(`^${escaped}(?:[/?#].*)?$`), async ({ request }) => {
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        headers[name] = value;
      });
      const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.text();
      // With a baseUrl, the request is matched as if sent to the recorded host.
      const url = options.baseUrl && recordedOrigin ? request.url.replace(origin, recordedOrigin) : request.url;
      const answer = replayer.answer({ method: request.method, url, headers, body: body || undefined }, origin);
      const out = new Headers();
      for (const [name, value] of answer.headers) out.append(name, value);
      out.set('content-length', String(answer.body.length));
      return new HttpResponse(answer.body.length ? answer.body : null, { status: answer.status, headers: out });
    });
  });
}
