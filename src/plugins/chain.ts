import type { HandlerResult, OperationContext, PipelinePlugins, PluginNote, RequestContext, ResponseDraft, TransportFault } from '../engine/types.js';
import type { TwinDefinition } from '../define-twin.js';
import type { InstalledPlugin, Plugin, PluginScope, PluginTarget } from './plugin.js';

/**
 * A twin's plugins in force, in order: those added at runtime first (in the order added: they are the
 * per-test overrides), then those given when the twin was created, then the twin's own. Before and on-error
 * phases run in that order (the first answer wins); after phases run in the reverse order, so the plugin that
 * saw the request first is the last to touch its response.
 *
 * @example
 * const chain = createPluginChain(oktaTwin, [latency({ ms: 50 })], 1);
 * chain.use(fault({ status: 503, nth: 1 }));
 * chain.resetPlugins(); // the fault is gone, the latency stays
 */
export interface PluginChain extends PipelinePlugins {
  /** Adds per-test plugins; returns them as installed (with their ids). */
  use(...plugins: Plugin[]): InstalledPlugin[];
  /** Removes one installed plugin by id; false when there is none. */
  remove(id: string): boolean;
  /** Removes every plugin added at runtime; those given at creation and the twin's own stay. */
  resetPlugins(): void;
  /** Every installed plugin, in the order the chain runs them. */
  list(): InstalledPlugin[];
}

interface Installation {
  id: string;
  plugin: Plugin;
  origin: InstalledPlugin['origin'];
  random: () => number;
  memory: Map<string, any>;
  seed: number;
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const asList = (value: string | string[] | undefined) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);
// Parameter names differ between documents ({id}, {userId}); a target's template matches on its shape.
const shape = (template: string) => template.replace(/\{[^}]*\}/g, '{}');

/**
 * Whether a request is one a target picks.
 *
 * @example
 * if (targets({ operationId: 'listUsers' }, ctx)) hideRecentWrites(ctx);
 */
export function targets(plugin: PluginTarget, ctx: RequestContext<any>): boolean {
  const operationIds = asList(plugin.operationId);
  if (operationIds && (!ctx.operation || !operationIds.includes(ctx.operation.operationId))) return false;
  const methods = asList(plugin.method);
  if (methods && !methods.some((m) => m.toUpperCase() === ctx.request.method)) return false;
  const paths = asList(plugin.path);
  if (paths && (!ctx.operation || !paths.some((p) => shape(p) === shape(ctx.operation!.path)))) return false;
  return plugin.when ? plugin.when(ctx) : true;
}

type BeforeAnswer = HandlerResult | { fault: TransportFault } | undefined;

/**
 * The before phases from `from` on, in order, until one answers. Synchronous until a phase returns a promise (a
 * delay): the rest then run after it settles.
 */
function runBefore(inForce: Installation[], from: number, ctx: OperationContext<any, any>, notes: PluginNote[], scopeFor: (inst: Installation, notes: PluginNote[]) => PluginScope): BeforeAnswer | Promise<BeforeAnswer> {
  for (let i = from; i < inForce.length; i++) {
    const inst = inForce[i];
    if (!inst.plugin.before || !targets(inst.plugin, ctx)) continue;
    const answer = inst.plugin.before(ctx, scopeFor(inst, notes));
    if (answer instanceof Promise) return answer.then((settled) => (settled ? (settled as BeforeAnswer) : runBefore(inForce, i + 1, ctx, notes, scopeFor)));
    if (answer) return answer as BeforeAnswer;
  }
  return undefined;
}

/**
 * Creates the plugin chain of one twin instance. `seed` makes the plugins' randomness repeatable.
 *
 * @example
 * const chain = createPluginChain(exampleTwin, [], 1);
 */
export function createPluginChain(twin: TwinDefinition<any, any>, given: Plugin[], seed: number): PluginChain {
  let count = 0;
  const install = (plugin: Plugin, origin: Installation['origin']): Installation => {
    if (!plugin || typeof plugin.name !== 'string' || !plugin.name) {
      throw new Error('[twinverse] a plugin is an object with a name and optional before/after/onError phases, e.g. { name: "slow", before: (ctx) => ctx.clock.sleep(100) }');
    }
    const id = `p${++count}`;
    // Seeded from what the plugin is, not when it was installed: a test that adds it gets the same draws whether it
    // runs alone or after others.
    let installSeed = seed >>> 0;
    for (const c of plugin.name + JSON.stringify(plugin.options ?? {})) installSeed = Math.imul(installSeed ^ c.charCodeAt(0), 16777619) >>> 0;
    return { id, plugin, origin, seed: installSeed, random: mulberry32(installSeed), memory: new Map() };
  };
  // Installed in this order: the twin's own, those given at creation, then runtime ones as they are added.
  const own = (twin.plugins ?? []).map((p) => install(p, 'twin'));
  const base = [...given.map((p) => install(p, 'options')), ...own];
  let runtime: Installation[] = [];
  let inForce: Installation[] = [];

  // Of plugins sharing a key, the one installed last is in force.
  const recompute = () => {
    const winner = new Map<string, Installation>();
    for (const inst of [...own, ...base.slice(0, base.length - own.length), ...runtime]) if (inst.plugin.key) winner.set(inst.plugin.key, inst);
    inForce = [...runtime, ...base].filter((inst) => !inst.plugin.key || winner.get(inst.plugin.key) === inst);
  };
  recompute();

  const scopeFor = (inst: Installation, notes: PluginNote[]): PluginScope => ({
    id: inst.id,
    twin,
    random: inst.random,
    memory: inst.memory,
    note: (action: string) => notes.push({ id: inst.id, name: inst.plugin.name, action }),
  });
  const listing = (inst: Installation): InstalledPlugin => ({
    id: inst.id,
    name: inst.plugin.name,
    options: inst.plugin.options ?? {},
    origin: inst.origin,
    inForce: inForce.includes(inst),
  });

  return {
    active: () => inForce.length > 0,
    before(ctx: OperationContext<any, any>, notes: PluginNote[]) {
      return runBefore(inForce, 0, ctx, notes, scopeFor);
    },
    onError(ctx: RequestContext<any>, error: unknown, notes: PluginNote[]) {
      for (const inst of inForce) {
        if (!inst.plugin.onError || !targets(inst.plugin, ctx)) continue;
        const answer = inst.plugin.onError(ctx, error, scopeFor(inst, notes));
        if (answer) return answer;
      }
      return undefined;
    },
    after(ctx: RequestContext<any>, response: ResponseDraft, notes: PluginNote[]) {
      let current = response;
      for (let i = inForce.length - 1; i >= 0; i--) {
        const inst = inForce[i];
        if (!inst.plugin.after || !targets(inst.plugin, ctx)) continue;
        current = inst.plugin.after(ctx, current, scopeFor(inst, notes)) ?? current;
      }
      return current;
    },
    reset() {
      for (const inst of [...runtime, ...base]) {
        inst.memory.clear();
        inst.random = mulberry32(inst.seed);
      }
    },
    use(...plugins: Plugin[]) {
      const added = plugins.map((p) => install(p, 'runtime'));
      runtime = [...runtime, ...added];
      recompute();
      return added.map(listing);
    },
    remove(id: string) {
      const before = runtime.length;
      runtime = runtime.filter((inst) => inst.id !== id);
      recompute();
      return runtime.length !== before;
    },
    resetPlugins() {
      runtime = [];
      recompute();
    },
    list: () => [...runtime, ...base].map(listing),
  };
}
