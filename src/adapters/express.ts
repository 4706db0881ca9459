import express, { type Express } from 'express';
import type { TwinRuntime } from '../engine/twin-runtime.js';
import { createRequestListener } from './node-http.js';

/**
 * An express app serving a twin: mount it in your own app, or hand it to supertest. The twin reads the
 * raw body itself, so mount it before any body parser.
 *
 * @example
 * const app = express();
 * app.use('/example', createExpressApp(twin));
 */
export function createExpressApp(twin: TwinRuntime<any>): Express {
  const app = express();
  app.disable('x-powered-by');
  const listener = createRequestListener(twin, (req) => (req as express.Request).baseUrl ?? '');
  app.use((req, res) => listener(req, res));
  return app;
}
