/**
 * The baselines of the HTTP benchmark, run as a child process: `node bare-servers.js express|node`.
 * Each serves the twin's own answers without any of its work (routing by OpenAPI, validation, auth,
 * state, journal): GET returns the body the twin gave for the admin user; POST returns the twin's
 * create answer with the new login's profile and a fresh id, so both write the same shape.
 * Prints its URL once listening on 127.0.0.1.
 */
import express from 'express';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { BareFixture } from './shared.js';

const fixture = JSON.parse(process.env.BENCH_FIXTURE ?? '') as BareFixture;
let seq = 0;

function createdUser(body: { profile?: Record<string, unknown> }): unknown {
  const now = new Date().toISOString();
  return { ...fixture.created, id: `00ubench${String(++seq).padStart(12, '0')}`, created: now, lastUpdated: now, profile: { ...fixture.created.profile, ...body.profile } };
}

function expressServer(): Server {
  const app = express();
  app.get('/api/v1/users/:id', (_req, res) => {
    res.json(fixture.user);
  });
  app.post('/api/v1/users', express.json(), (req, res) => {
    res.status(fixture.createdStatus).json(createdUser(req.body));
  });
  return createServer(app);
}

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function nodeServer(): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url?.split('?')[0] ?? '';
    if (req.method === 'GET' && path.startsWith('/api/v1/users/')) return send(res, 200, fixture.user);
    if (req.method === 'POST' && path === '/api/v1/users') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => send(res, fixture.createdStatus, createdUser(JSON.parse(Buffer.concat(chunks).toString('utf8')))));
      return;
    }
    send(res, 404, { error: 'not found' });
  });
}

const kind = process.argv[2];
if (kind !== 'express' && kind !== 'node') throw new Error('usage: bare-servers.js express|node');
const server = kind === 'express' ? expressServer() : nodeServer();
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  console.log(`http://127.0.0.1:${address.port}`);
});
