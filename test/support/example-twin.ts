import { defineTwin, EngineError, TwinError, type RequestContext } from '../../src/index.js';

export interface ExampleState {
  items: Record<string, { id: string; name: string; note: string | null }>;
}

export class ExampleError extends TwinError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A small twin of a made-up service, for the engine's own tests: it knows nothing of any vendor. */
export const exampleTwin = defineTwin<ExampleState, { caller: string }>({
  name: 'example',
  openapi: new URL('../../fixtures/engine/example.yaml', import.meta.url),
  seed: { items: { it00000001: { id: 'it00000001', name: 'seeded', note: null } } },
  authenticate: (ctx) => {
    if (ctx.operation.security.length === 0) return { caller: 'anonymous' };
    if (ctx.headers.authorization !== 'Bearer good') throw new ExampleError(401, 'bad credentials');
    return { caller: 'tester' };
  },
  handlers: {
    listItems: (ctx) => ({ body: Object.values(ctx.state.items).slice(0, ctx.query.limit) }),
    createItem: (ctx) => {
      const id = 'it' + ctx.ids.token(8);
      const item = { id, name: ctx.body.name, note: ctx.body.note ?? null };
      ctx.state.items[id] = item;
      return { status: 201, body: item };
    },
    getItem: (ctx) => {
      const item = ctx.state.items[ctx.params.itemId];
      if (!item) throw new ExampleError(404, `no item ${ctx.params.itemId}`);
      return { body: item };
    },
    deleteItem: (ctx) => {
      delete ctx.state.items[ctx.params.itemId];
      return { status: 204 };
    },
    getSpecialItem: () => ({ body: { id: 'special', name: 'special' } }),
    issueToken: (ctx) => ({ body: { token: `tok-${ctx.auth.caller}`, ttl: ctx.body.ttl ?? 60 } }),
    drifting: () => ({ body: { id: 42 } }),
    getTree: () => ({ body: { name: 'root', children: [{ name: 'leaf', children: [] }] } }),
    boom: () => {
      throw new TypeError('a bug in a handler');
    },
    boomAfterWriting: (ctx) => {
      for (const item of Object.values(ctx.state.items)) item.name = 'overwritten';
      ctx.state.items.itHalfdone = { id: 'itHalfdone', name: 'half done', note: null };
      delete ctx.state.items.it00000001;
      throw new TypeError('a bug in a handler, after it wrote');
    },
  },
  renderError: (error: unknown, _ctx: RequestContext<ExampleState>) => {
    if (error instanceof ExampleError) return { status: error.status, body: { problem: error.message } };
    if (error instanceof EngineError) {
      const status = { route_not_found: 404, method_not_allowed: 405, malformed_body: 400, payload_too_large: 413, unsupported_media_type: 415, invalid_request: 400, not_implemented: 501, response_drift: 500, internal: 500, rate_limited: 429, unavailable: 503, server_error: 500, unauthorized: 401 }[error.kind];
      return { status, body: { problem: error.kind, details: error.diagnostics.map((d) => `${d.in} ${d.name} ${d.message}`) } };
    }
    return { status: 500, body: { problem: 'unknown' } };
  },
  credentials: { lines: ['Authorization: Bearer good'] },
});
