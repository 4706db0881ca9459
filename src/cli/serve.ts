import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Listening } from '../adapters/node-http.js';
import type { TwinDefinition } from '../define-twin.js';
import { parsePluginArgument, pluginFromSpec, type PluginSpec } from '../plugins/builtins.js';
import type { Plugin } from '../plugins/plugin.js';
import type { DataFile } from '../state/file-persistence.js';
import { createTwin, type Twin } from '../twin.js';

/** What `twinverse serve` was asked for. */
interface ServeOptions {
  port: number;
  host: string;
  data?: string;
  seed?: string[];
  /** `--seed-from [service=]file.har`: start from what a recording's answers show. */
  seedFrom?: string[];
  strict?: boolean;
  clock?: string;
  /** Modules declaring twins of the user's own (`--twin ./my-twin.js`). */
  twin?: string[];
  /** `--plugin name:key=value,...`, each. */
  plugin?: string[];
  /** `--plugins file.json`: an array of { name, options }. */
  plugins?: string;
  /** Required on the admin API as a bearer token; required itself off loopback. */
  adminToken?: string;
  bodyLimit?: number;
  /** Serve each service's Go twin binary (through the driver) instead of the TypeScript twin. */
  go?: boolean;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/** A service being served: its name, URL, and what the CLI prints of its twin (credentials, plugins). */
interface Served {
  name: string;
  url: string;
  twin: Pick<Twin<unknown>, 'definition' | 'plugins'>;
}

/** A mistake the user can fix; the CLI prints its message alone and exits non-zero. */
export class UsageError extends Error {}

async function readSeed(file: string): Promise<{ twin: string; doc: unknown }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`[twinverse] cannot read seed file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let doc: { twin?: unknown };
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`[twinverse] seed file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!doc || typeof doc.twin !== 'string') {
    throw new UsageError(`[twinverse] seed file ${file} is not a twinverse state export (GET /__twin/state gives one): it names no "twin"`);
  }
  return { twin: doc.twin, doc };
}

/**
 * A state export built from a recording (`--seed-from [service=]file.har`): the service named, or the only one
 * served.
 */
async function seedFromHar(spec: string, services: string[], registry: Record<string, TwinDefinition<any, any>>): Promise<[string, unknown]> {
  const named = /^([a-z][a-z0-9-]*)=(.+)$/.exec(spec);
  if (!named && services.length > 1) throw new UsageError(`[twinverse] --seed-from ${spec}: several services are served; name the one it seeds (--seed-from ${services[0]}=${spec})`);
  const twin = named ? named[1] : services[0];
  const file = named ? named[2] : spec;
  if (!services.includes(twin)) throw new UsageError(`[twinverse] --seed-from ${spec}: ${twin} is not being served (serving: ${services.join(', ')})`);
  const { readHar, recordedExchanges } = await import('../record/har.js');
  const { exportFromRecording } = await import('../record/seed.js');
  try {
    const { doc, notes } = exportFromRecording(registry[twin], recordedExchanges(await readHar(file)));
    for (const note of notes) console.error(`[twinverse] --seed-from ${file}: ${note}`);
    return [twin, doc];
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const isDefinition = (value: unknown): value is TwinDefinition<any, any> =>
  Boolean(value) && typeof value === 'object' && typeof (value as TwinDefinition).name === 'string' && typeof (value as TwinDefinition).renderError === 'function' && typeof (value as TwinDefinition).handlers === 'object';

/** The twins a user's module declares: its default export, or its named exports that are twin declarations. */
async function loadTwinModule(file: string): Promise<TwinDefinition<any, any>[]> {
  let mod: Record<string, unknown>;
  try {
    mod = await import(pathToFileURL(resolve(file)).href);
  } catch (error) {
    throw new UsageError(`[twinverse] cannot load the twin module ${file}: ${(error as Error).message}`);
  }
  const found = isDefinition(mod.default) ? [mod.default] : Object.values(mod).filter(isDefinition);
  if (found.length === 0) throw new UsageError(`[twinverse] ${file} exports no twin: export the value defineTwin({...}) returns (as default, or by name)`);
  return found;
}

/** The plugins --plugin and --plugins ask for, checked before anything starts. */
async function readPlugins(options: ServeOptions): Promise<Plugin[]> {
  const specs: PluginSpec[] = [];
  if (options.plugins) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(options.plugins, 'utf8'));
    } catch (error) {
      throw new UsageError(`[twinverse] cannot read --plugins ${options.plugins}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw new UsageError(`[twinverse] --plugins ${options.plugins} must hold a JSON array of { "name": ..., "options": {...} }`);
    specs.push(...(parsed as PluginSpec[]));
  }
  try {
    specs.push(...(options.plugin ?? []).map(parsePluginArgument));
    return specs.map(pluginFromSpec);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * Starts each service on its own port, counting up from `port` (0 gives each a free port). Nothing is
 * left listening if any of them fails to start.
 */
export async function serve(services: string[], catalog: Record<string, TwinDefinition<any, any>>, options: ServeOptions): Promise<{ served: Served[]; close(): Promise<void> }> {
  if (options.go && options.twin?.length) throw new UsageError('[twinverse] --twin cannot be used with --go: a twin of your own is a TypeScript module, served in process');
  const registry: Record<string, TwinDefinition<any, any>> = { ...catalog };
  for (const file of options.twin ?? []) {
    for (const definition of await loadTwinModule(file)) {
      registry[definition.name] = definition;
      if (!services.includes(definition.name)) services = [...services, definition.name];
    }
  }
  if (services.length === 0) throw new UsageError(`[twinverse] name a service to serve (${Object.keys(catalog).join(', ')}), or a module of your own with --twin`);
  const unknown = services.filter((s) => !Object.hasOwn(registry, s));
  if (unknown.length) throw new UsageError(`[twinverse] unknown service ${unknown.map((s) => `"${s}"`).join(', ')}; known services: ${Object.keys(registry).join(', ')}`);
  if (new Set(services).size !== services.length) throw new UsageError('[twinverse] a service is named twice; each service is served once');
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new UsageError(`[twinverse] --port must be a whole number from 0 to 65535, not ${options.port}`);

  if (!LOOPBACK_HOSTS.has(options.host) && !options.adminToken) {
    throw new UsageError(`[twinverse] --host ${options.host} is reachable from other machines: give --admin-token <secret> too, so that only you can reset, read or replace the twins' state`);
  }
  if (options.adminToken !== undefined && options.adminToken.length < 8) throw new UsageError('[twinverse] --admin-token must be at least 8 characters');

  const seeds = new Map<string, unknown>();
  for (const file of options.seed ?? []) {
    const { twin, doc } = await readSeed(file);
    if (!services.includes(twin)) throw new UsageError(`[twinverse] seed file ${file} is for the ${twin} twin, which is not being served (serving: ${services.join(', ')})`);
    seeds.set(twin, doc);
  }

  for (const spec of options.seedFrom ?? []) {
    const [twin, doc] = await seedFromHar(spec, services, registry);
    seeds.set(twin, doc);
  }

  if (options.go) return serveGo(services, registry, seeds, options);

  const plugins = await readPlugins(options);
  let dataFile: DataFile | undefined;
  if (options.data) {
    const { openDataFile } = await import('../state/file-persistence.js');
    try {
      dataFile = await openDataFile(options.data);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }

  const served: Served[] = [];
  const listening: Listening[] = [];
  const closeAll = () => Promise.all(listening.map((l) => l.close())).then(() => undefined);
  try {
    for (const [i, name] of services.entries()) {
      const definition = registry[name];
      let twin: Twin<unknown>;
      try {
        twin = createTwin(definition, {
          strict: options.strict,
          clock: options.clock ?? 'system',
          persist: dataFile,
          plugins,
          adminToken: options.adminToken,
          adminHosts: LOOPBACK_HOSTS.has(options.host) ? [] : [options.host],
          bodyLimit: options.bodyLimit,
        });
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      try {
        if (seeds.has(name)) twin.reseed(seeds.get(name));
        const saved = dataFile?.load(name);
        if (saved) twin.importState(saved);
      } catch (error) {
        throw new UsageError(dataFile ? `${(error as Error).message} (in data file ${dataFile.path})` : (error as Error).message);
      }
      await dataFile?.track(name, () => twin.exportState());
      await twin.ready();
      const port = options.port === 0 ? 0 : options.port + i;
      try {
        listening.push(await twin.listen(port, options.host));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new UsageError(`[twinverse] port ${port} on ${options.host} is in use (wanted for ${name}); choose another with --port, or 0 for free ports`);
        if (code === 'EACCES') throw new UsageError(`[twinverse] not allowed to listen on port ${port} of ${options.host}; choose a port above 1023`);
        if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`[twinverse] cannot listen on host ${options.host}: no such local address`);
        throw error;
      }
      served.push({ name, url: listening[listening.length - 1].url, twin });
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return { served, close: closeAll };
}

/**
 * `serve --go`: each service's Go twin binary, started through the driver with the same flags, on the same ports.
 * What the binaries do not take is refused before anything starts; nothing is left running if one fails to start.
 */
async function serveGo(services: string[], registry: Record<string, TwinDefinition<any, any>>, seeds: Map<string, unknown>, options: ServeOptions): Promise<{ served: Served[]; close(): Promise<void> }> {
  // Checked here, with the TypeScript engine's own checks, so a bad plugin is refused before any binary starts.
  await readPlugins(options);
  if (options.data && services.length > 1) throw new UsageError('[twinverse] --data with --go keeps one service in a file: serve one service per command, each with its own --data');
  const { goTwin } = await import('../driver/go-twin.js');
  // A binary takes its seed as a file: each starting state (from --seed or --seed-from) is written to one, read at start.
  const seedDir = seeds.size ? await mkdtemp(join(tmpdir(), 'twinverse-seeds-')) : undefined;
  const running: { close(): Promise<void> }[] = [];
  const closeAll = () => Promise.all(running.map((r) => r.close())).then(() => undefined);
  const served: Served[] = [];
  try {
    for (const [i, name] of services.entries()) {
      const seed = seedDir && seeds.has(name) ? join(seedDir, `${name}.json`) : undefined;
      if (seed) await writeFile(seed, JSON.stringify(seeds.get(name)));
      let twin;
      try {
        twin = await goTwin(name, {
          port: options.port === 0 ? 0 : options.port + i,
          host: options.host,
          seed,
          data: options.data,
          strict: options.strict,
          clock: options.clock,
          adminToken: options.adminToken,
          bodyLimit: options.bodyLimit,
          plugin: options.plugin,
          plugins: options.plugins,
          stderr: 'forward',
          log: (line) => console.error(line),
        });
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      running.push(twin);
      served.push({ name, url: twin.url, twin: { definition: registry[name], plugins: [] } });
    }
  } catch (error) {
    await closeAll();
    throw error;
  } finally {
    if (seedDir) await rm(seedDir, { recursive: true, force: true });
  }
  return { served, close: closeAll };
}
