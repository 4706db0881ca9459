import { Ajv, type ValidateFunction } from 'ajv';
import { expireCredentials } from './expire-credentials.js';
import { fault } from './fault.js';
import { lag } from './lag.js';
import { latency } from './latency.js';
import { paginationQuirks } from './pagination.js';
import type { Plugin } from './plugin.js';
import { rateLimit } from './rate-limit.js';

/**
 * A plugin as data: a built-in plugin's name and its options, as `POST /__twin/plugins`, `--plugin` and
 * `--plugins file.json` take them.
 *
 * @example
 * const spec: PluginSpec = { name: 'fault', options: { fault: 503, nth: 2, operationId: 'getUser' } };
 */
export interface PluginSpec {
  name: string;
  options?: Record<string, unknown>;
}

const oneOrMany = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
const targetProperties = { operationId: oneOrMany, method: oneOrMany, path: oneOrMany };
const scheduleProperties = { nth: { type: 'integer', minimum: 1 }, every: { type: 'integer', minimum: 1 }, probability: { type: 'number', minimum: 0, maximum: 1 } };
const ms = { type: 'number', minimum: 0 };

const BUILT_IN: Record<string, { summary: string; properties: Record<string, object>; create(options: any): Plugin }> = {
  'rate-limit': {
    summary: "the vendor's rate limits, enforced: its headers on every response and its 429 over the limit",
    properties: { limit: { type: 'integer', minimum: 0 }, limits: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } }, windowSeconds: { type: 'integer', minimum: 1 }, enforce: { type: 'boolean' } },
    create: rateLimit,
  },
  fault: {
    summary: 'a vendor-shaped 500 or 503, a dropped connection or a request that never answers, on the nth call, every nth call or with a probability',
    properties: { fault: { enum: [500, 503, '500', '503', 'drop', 'hang'] }, retryAfterSeconds: { type: 'integer', minimum: 0 }, ...scheduleProperties },
    create: (options) => fault({ ...options, ...(/^\d+$/.test(String(options.fault)) ? { fault: Number(options.fault) } : {}) }),
  },
  latency: {
    summary: 'delays answers: fixed (ms), uniform (min, max) or long-tailed (median, p99)',
    properties: { ms, min: ms, max: ms, median: ms, p99: ms },
    create: latency,
  },
  lag: {
    summary: 'eventual consistency: writes stay out of lists and searches for ms',
    properties: { ms },
    create: lag,
  },
  'expire-credentials': {
    summary: "a credential stops working at an instant or after n calls, with the vendor's error",
    properties: { credential: { type: 'string' }, at: { type: 'string', format: 'date-time' }, afterCalls: { type: 'integer', minimum: 0 }, revoked: { type: 'boolean' } },
    create: expireCredentials,
  },
  pagination: {
    summary: 'short pages that still link to the next, and an empty page before the last',
    properties: { shortPage: { type: 'integer', minimum: 1 }, emptyBeforeLast: { type: 'boolean' } },
    create: paginationQuirks,
  },
};

const ajv = new Ajv({ allErrors: true, coerceTypes: true, strict: false, validateFormats: false });
const validators = new Map<string, ValidateFunction>();
const validatorOf = (name: string) => {
  let fn = validators.get(name);
  if (!fn) validators.set(name, (fn = ajv.compile({ type: 'object', properties: { ...BUILT_IN[name].properties, ...targetProperties }, additionalProperties: false })));
  return fn;
};

/**
 * The built-in plugins by name, each with a line saying what it does (for `--help` and the admin API's errors).
 *
 * @example
 * Object.keys(builtInPlugins()); // ['rate-limit', 'fault', 'latency', 'lag', 'expire-credentials', 'pagination']
 */
export function builtInPlugins(): Record<string, string> {
  return Object.fromEntries(Object.entries(BUILT_IN).map(([name, entry]) => [name, entry.summary]));
}

/**
 * Makes a built-in plugin from data, checking its options (strings are coerced, as a command line gives them);
 * throws a [twinverse] error naming what is wrong.
 *
 * @example
 * twin.use(pluginFromSpec({ name: 'latency', options: { ms: 100 } }));
 */
export function pluginFromSpec(spec: PluginSpec): Plugin {
  if (!spec || typeof spec !== 'object' || typeof spec.name !== 'string') {
    throw new Error(`[twinverse] a plugin is given as { "name": "<built-in plugin>", "options": {...} }; built-in plugins: ${Object.keys(BUILT_IN).join(', ')}`);
  }
  const entry = Object.hasOwn(BUILT_IN, spec.name) ? BUILT_IN[spec.name] : undefined;
  if (!entry) throw new Error(`[twinverse] no built-in plugin is named "${spec.name}"; built-in plugins: ${Object.keys(BUILT_IN).join(', ')}`);
  const options = structuredClone(spec.options ?? {});
  const validate = validatorOf(spec.name);
  if (!validate(options)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath.slice(1) || 'options'} ${e.message}${e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : ''}`);
    throw new Error(`[twinverse] plugin ${spec.name}: ${problems.join('; ')}`);
  }
  return entry.create(options);
}

/**
 * Parses the CLI's `--plugin name:key=value,key=value` (a value with `|` is a list: `operationId=getUser|listUsers`).
 *
 * @example
 * parsePluginArgument('fault:fault=503,nth=2'); // { name: 'fault', options: { fault: '503', nth: '2' } }
 */
export function parsePluginArgument(text: string): PluginSpec {
  const [name, rest = ''] = text.split(/:(.*)/s, 2);
  const options: Record<string, unknown> = {};
  for (const pair of rest.split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`[twinverse] --plugin ${text}: "${pair}" is not key=value`);
    const value = pair.slice(eq + 1);
    options[pair.slice(0, eq)] = value.includes('|') ? value.split('|') : value;
  }
  return { name, options };
}
