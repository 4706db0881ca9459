import { readFile } from 'node:fs/promises';
import { listen, type Listening } from '../adapters/node-http.js';
import { createTwinRuntime, type TwinRuntime } from '../engine/twin-runtime.js';
import type { TwinDefinition } from '../engine/types.js';
import type { DataFile } from '../state/file-persistence.js';

/** What `twinverse serve` was asked for. */
interface ServeOptions {
  port: number;
  host: string;
  data?: string;
  seed?: string[];
  strict?: boolean;
  clock?: string;
}

/** A service being served: its name, URL and instance. */
interface Served {
  name: string;
  url: string;
  twin: TwinRuntime;
  definition: TwinDefinition<any, any>;
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
 * Starts each service on its own port, counting up from `port` (0 gives each a free port). Nothing is
 * left listening if any of them fails to start.
 */
export async function serve(services: string[], registry: Record<string, TwinDefinition<any, any>>, options: ServeOptions): Promise<{ served: Served[]; close(): Promise<void> }> {
  const unknown = services.filter((s) => !registry[s]);
  if (unknown.length) throw new UsageError(`[twinverse] unknown service ${unknown.map((s) => `"${s}"`).join(', ')}; known services: ${Object.keys(registry).join(', ')}`);
  if (new Set(services).size !== services.length) throw new UsageError('[twinverse] a service is named twice; each service is served once');
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new UsageError(`[twinverse] --port must be a whole number from 0 to 65535, not ${options.port}`);

  const seeds = new Map<string, unknown>();
  for (const file of options.seed ?? []) {
    const { twin, doc } = await readSeed(file);
    if (!services.includes(twin)) throw new UsageError(`[twinverse] seed file ${file} is for the ${twin} twin, which is not being served (serving: ${services.join(', ')})`);
    seeds.set(twin, doc);
  }

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
      const twin = createTwinRuntime(definition, {
        strict: options.strict,
        clock: options.clock ?? 'system',
        persist: dataFile ? (doc) => dataFile!.save(doc) : undefined,
      });
      try {
        if (seeds.has(name)) twin.reseed(seeds.get(name));
        const saved = dataFile?.load(name);
        if (saved) twin.importState(saved);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      await twin.ready();
      const port = options.port === 0 ? 0 : options.port + i;
      try {
        listening.push(await listen(twin, port, options.host));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new UsageError(`[twinverse] port ${port} on ${options.host} is in use (wanted for ${name}); choose another with --port, or 0 for free ports`);
        if (code === 'EACCES') throw new UsageError(`[twinverse] not allowed to listen on port ${port} of ${options.host}; choose a port above 1023`);
        if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`[twinverse] cannot listen on host ${options.host}: no such local address`);
        throw error;
      }
      served.push({ name, url: listening[listening.length - 1].url, twin, definition });
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return { served, close: closeAll };
}
