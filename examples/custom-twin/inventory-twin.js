import { defineTwin, EngineError, TwinError } from 'twinverse';

/** The inventory service's own error: a status and a code. */
class InventoryError extends TwinError {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// How the engine's own refusals read in this service's envelope.
const REFUSALS = { route_not_found: [404, 'not_found'], method_not_allowed: [405, 'method_not_allowed'], invalid_request: [400, 'invalid'], malformed_body: [400, 'invalid_json'], payload_too_large: [413, 'too_large'], unsupported_media_type: [415, 'unsupported_media_type'], rate_limited: [429, 'too_many_requests'], unavailable: [503, 'unavailable'], unauthorized: [401, 'unauthorized'] };

export const inventoryTwin = defineTwin({
  name: 'inventory',
  openapi: new URL('./inventory.yaml', import.meta.url),
  seed: { items: { 'SKU-1': { sku: 'SKU-1', quantity: 3 } } },
  authenticate: (ctx) => {
    if (ctx.headers.authorization !== 'Bearer inventory-token') throw new InventoryError(401, 'unauthorized', 'a valid bearer token is required');
  },
  handlers: {
    listItems: (ctx) => ({ body: Object.values(ctx.state.items) }),
    getItem: (ctx) => {
      const item = ctx.state.items[ctx.params.sku];
      if (!item) throw new InventoryError(404, 'not_found', `no item ${ctx.params.sku}`);
      return { body: item };
    },
    createItem: (ctx) => {
      if (ctx.state.items[ctx.body.sku]) throw new InventoryError(409, 'conflict', `item ${ctx.body.sku} exists`);
      const item = { sku: ctx.body.sku, quantity: ctx.body.quantity ?? 0 };
      ctx.state.items[item.sku] = item;
      return { status: 201, body: item };
    },
  },
  renderError: (error) => {
    if (error instanceof InventoryError) return { status: error.status, body: { error: { code: error.code, message: error.message } } };
    const [status, code] = (error instanceof EngineError && REFUSALS[error.kind]) || [500, 'internal'];
    return { status, body: { error: { code, message: error instanceof Error ? error.message : 'internal error' } } };
  },
  credentials: { lines: ['Authorization: Bearer inventory-token'] },
});
