import { spawn, type ChildProcess } from 'node:child_process';
import type { JournalEntry } from '../engine/pipeline.js';
import type { PluginSpec } from '../plugins/builtins.js';
import type { InstalledPlugin, Plugin } from '../plugins/plugin.js';
import type { TwinExport } from '../state/store.js';
import { buildGoTwin } from './go-build.js';

/**
 * How to start a Go twin. The flags it is started with are those of `twinverse serve` (port, host, seed, data,
 * strict, clock, admin token); the rest say where the binary comes from and how long to wait for it.
 *
 * @example
 * const options: GoTwinOptions = { strict: true, clock: '2026-01-01T00:00:00.000Z' };
 */
export interface GoTwinOptions {
  /** The twin binary to run; default `$TWINVERSE_GO_BIN`, else one built from the package's Go sources. */
  binary?: string;
  /** Default 0: a free port, which the binary reports. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A state export (as GET /__twin/state gives it) to start from instead of the default seed. */
  seed?: string;
  /** Keep state in this JSON file across restarts. */
  data?: string;
  /** Check every response against the OpenAPI document (drift answers 500). */
  strict?: boolean;
  /** Start a fixed clock at this ISO-8601 instant instead of following the wall clock. */
  clock?: string;
  /** Required by the binary on its admin API as a bearer token; the handle sends it. */
  adminToken?: string;
  /** Refuse request bodies larger than this many bytes with 413 (default: the vendor's limit). */
  bodyLimit?: number;
  /** Built-in plugins to install at start, as `twinverse serve --plugin` takes them (`fault:fault=503,every=10`). */
  plugin?: string[];
  /** A JSON file of plugins to install at start, as `twinverse serve --plugins` takes it. */
  plugins?: string;
  /** How long the binary has, from spawn, to report its URL and answer /__twin/health. Default 10 s. */
  startTimeoutMs?: number;
  /** 'capture' (default) keeps the end of the binary's stderr for errors; 'forward' also writes it to this process's stderr. */
  stderr?: 'capture' | 'forward';
  /** Where built binaries are kept; default `$TWINVERSE_GO_CACHE`, else ~/.cache/twinverse/go. */
  cacheDir?: string;
  /** Told what the driver does that takes time (building the binary); default silent. */
  log?: (line: string) => void;
  /** A folder holding `twins/go.mod` and `twins/<service>/go` to build from; default this package's root. */
  sourceRoot?: string;
}

/**
 * A Go twin running in a child process: its URL and the control plane an in-process twin offers, under the same
 * names, each answered by the binary's admin API and so each a promise. Code that awaits them (`await twin.reset()`,
 * `await twin.requests`) works with either kind of twin.
 *
 * @example
 * const okta = await goTwin('okta', { clock: '2026-01-01T00:00:00.000Z' });
 * await fetch(`${okta.url}/api/v1/users/me`, { headers: { authorization: 'SSWS twin-okta-token' } });
 * console.log((await okta.requests).length); // 1
 * await okta.close();
 */
export interface GoTwin<S = unknown> {
  /** The service the binary serves, as its health check names it. */
  readonly name: string;
  /** The base URL it listens on, e.g. http://127.0.0.1:43123. */
  readonly url: string;
  /** The path of the binary that runs. */
  readonly binary: string;
  /** The child's process id. */
  readonly pid: number;
  /** Back to the seed; `{ plugins: true }` also removes the plugins added at runtime. */
  reset(options?: { plugins?: boolean }): Promise<void>;
  exportState(): Promise<TwinExport<S>>;
  importState(doc: unknown): Promise<void>;
  /** The requests served so far, oldest first (GET /__twin/requests), read afresh on each access. */
  readonly requests: Promise<JournalEntry[]>;
  /** The installed plugins, in the order they run (GET /__twin/plugins), read afresh on each access. */
  readonly plugins: Promise<InstalledPlugin[]>;
  /** Adds built-in plugins, given as specs or as what their factories return (`fault({ nth: 1 })`); a `when` predicate cannot cross to another process. */
  use(...plugins: Array<PluginSpec | Plugin>): Promise<InstalledPlugin[]>;
  /** Removes one plugin added at runtime; false when there is none with that id. */
  removePlugin(id: string): Promise<boolean>;
  /** Removes every plugin added at runtime. */
  resetPlugins(): Promise<void>;
  /** The last lines the binary wrote to stderr. */
  stderr(): string;
  /** Stops the binary (SIGTERM, then SIGKILL after 5 s) and resolves once it has exited. */
  close(): Promise<void>;
}

/** How much of the binary's stderr an error quotes. */
const STDERR_TAIL = 4096;
/** The line a binary prints on stdout once it accepts connections, e.g. `okta twin listening on http://127.0.0.1:4010` (decisions/0011-go-driver.md). */
const LISTENING = /\blistening on (https?:\/\/\S+?)\/?[ \t\r]*$/m;

/** The binary's flags: those of `twinverse serve`, and the one that ties its life to this process. */
function flags(options: GoTwinOptions): string[] {
  const args = ['--port', String(options.port ?? 0), '--host', options.host ?? '127.0.0.1', '--exit-on-stdin-close'];
  if (options.seed !== undefined) args.push('--seed', options.seed);
  if (options.data !== undefined) args.push('--data', options.data);
  if (options.strict) args.push('--strict');
  if (options.clock !== undefined) args.push('--clock', options.clock);
  if (options.adminToken !== undefined) args.push('--admin-token', options.adminToken);
  if (options.bodyLimit !== undefined) args.push('--body-limit', String(options.bodyLimit));
  if (options.plugins !== undefined) args.push('--plugins', options.plugins);
  for (const plugin of options.plugin ?? []) args.push('--plugin', plugin);
  return args;
}

/** The binary to run: given, named by TWINVERSE_GO_BIN, or built from the package's sources (which needs Go). */
async function binaryFor(service: string, options: GoTwinOptions): Promise<string> {
  const given = options.binary ?? process.env.TWINVERSE_GO_BIN;
  if (given) return given;
  return (await buildGoTwin(service, { sourceRoot: options.sourceRoot, cacheDir: options.cacheDir, log: options.log })).binary;
}

/** Resolves after `ms`. */
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Starts the Go twin of a service and resolves once it answers its health check; rejects with the binary's stderr
 * when it exits, fails or does not answer in time (the child is then stopped). The child exits with this process,
 * however it ends (even on SIGKILL): it holds a pipe from this process on its stdin and exits when the pipe closes.
 *
 * @example
 * import okta from '@okta/okta-sdk-nodejs';
 * import { goTwin } from 'twinverse';
 * const twin = await goTwin('okta', { strict: true });
 * const client = new okta.Client({ orgUrl: twin.url, token: 'twin-okta-token' });
 * await twin.close();
 */
export async function goTwin<S = unknown>(service: string, options: GoTwinOptions = {}): Promise<GoTwin<S>> {
  const binary = await binaryFor(service, options);
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  const label = `the Go ${service} twin (${binary})`;
  const started = Date.now();
  let child: ChildProcess;
  try {
    child = spawn(binary, flags(options), { stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(`[twinverse] cannot start ${label}: ${(error as Error).message}`);
  }
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL);
    if (options.stderr === 'forward') process.stderr.write(chunk);
  });
  // The pipe to the child's stdin stays open and silent for the child's whole life: its end is the signal to exit.
  child.stdin!.on('error', () => undefined);
  // 'close' rather than 'exit': it comes once stderr is read to its end, so an error quotes all of it.
  const exit = new Promise<string>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => resolve(`cannot be run: ${error.code === 'ENOENT' ? 'no such file' : error.code === 'EACCES' ? 'not executable' : error.message}`));
    child.once('close', (code, signal) => resolve(signal ? `was stopped by ${signal}` : `exited with code ${code}`));
  });
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const stopped = new Promise<void>((resolve) => {
    if (exited()) resolve();
    else child.once('exit', () => resolve());
  });
  let closed = false;
  const stop = async () => {
    closed = true;
    if (!exited() && child.pid !== undefined) {
      child.stdin!.end();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await stopped;
      clearTimeout(timer);
    }
  };
  const withStderr = (message: string) => {
    const tail = stderr.trim();
    return `[twinverse] ${label} ${message}${tail ? `; its stderr: ${tail}` : '; it wrote nothing to stderr'}`;
  };

  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      let waiting = true;
      const timer = setTimeout(() => reject(new Error(withStderr(`printed no "listening on <url>" line within ${timeoutMs} ms`))), timeoutMs);
      // Read to the end even after the line: a child writing to a full pipe nobody drains would block.
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        if (!waiting) return;
        out = (out + chunk).slice(-STDERR_TAIL);
        const match = LISTENING.exec(out);
        if (match) {
          waiting = false;
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      exit.then((how) => {
        clearTimeout(timer);
        if (how.startsWith('cannot')) reject(new Error(`[twinverse] ${label} ${how}`));
        else reject(new Error(withStderr(`${how} before listening${options.port ? ` (port ${options.port} of ${options.host ?? '127.0.0.1'})` : ''}`)));
      });
    });
    await waitHealthy(url, service, options.adminToken, started + timeoutMs, exit, withStderr);
  } catch (error) {
    await stop();
    throw error;
  }

  const admin = async (method: string, path: string, body?: unknown): Promise<Response> => {
    if (closed) throw new Error(`[twinverse] ${label} was closed; start another with goTwin('${service}')`);
    if (exited()) throw new Error(withStderr(`has exited (${await exit})`));
    const headers: Record<string, string> = {};
    if (options.adminToken !== undefined) headers.authorization = `Bearer ${options.adminToken}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  };
  const ok = async (response: Response, what: string): Promise<any> => {
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { error?: string }).error ?? text;
      } catch {
        // Not JSON: the text itself is the message.
      }
      throw new Error(message.startsWith('[twinverse]') ? message : `[twinverse] ${what} on the Go ${service} twin answered ${response.status}: ${message}`);
    }
    return text ? JSON.parse(text) : undefined;
  };
  const specOf = (plugin: PluginSpec | Plugin): PluginSpec => {
    if (typeof (plugin as Plugin).when === 'function') {
      throw new Error(`[twinverse] plugin ${plugin.name} has a when() predicate, which cannot reach the Go ${service} twin in another process; target it with operationId, method or path instead`);
    }
    return { name: plugin.name, options: plugin.options ?? {} };
  };

  return {
    name: service,
    url,
    binary,
    pid: child.pid!,
    async reset(resetOptions = {}) {
      await ok(await admin('POST', `/__twin/reset${resetOptions.plugins ? '?plugins=true' : ''}`), 'POST /__twin/reset');
    },
    async exportState() {
      return ok(await admin('GET', '/__twin/state'), 'GET /__twin/state');
    },
    async importState(doc) {
      await ok(await admin('PUT', '/__twin/state', doc), 'PUT /__twin/state');
    },
    get requests() {
      return admin('GET', '/__twin/requests').then((r) => ok(r, 'GET /__twin/requests')).then((body) => body.requests as JournalEntry[]);
    },
    get plugins() {
      return admin('GET', '/__twin/plugins').then((r) => ok(r, 'GET /__twin/plugins')).then((body) => body.plugins as InstalledPlugin[]);
    },
    async use(...plugins) {
      const specs = plugins.map(specOf);
      return ((await ok(await admin('POST', '/__twin/plugins', specs), 'POST /__twin/plugins')) as { plugins: InstalledPlugin[] }).plugins;
    },
    async removePlugin(id) {
      const response = await admin('DELETE', `/__twin/plugins/${encodeURIComponent(id)}`);
      if (response.status === 404) {
        await response.body?.cancel();
        return false;
      }
      await ok(response, `DELETE /__twin/plugins/${id}`);
      return true;
    },
    async resetPlugins() {
      await ok(await admin('DELETE', '/__twin/plugins'), 'DELETE /__twin/plugins');
    },
    stderr: () => stderr,
    close: stop,
  };
}

/**
 * Polls /__twin/health until it answers 200 for `service`, the binary exits, or the deadline passes. Each attempt
 * may take the time left, so that a binary that accepts connections and never answers is caught by the deadline.
 */
async function waitHealthy(url: string, service: string, adminToken: string | undefined, deadline: number, exit: Promise<string>, withStderr: (message: string) => string): Promise<void> {
  let gone: string | undefined;
  void exit.then((how) => (gone = how));
  let last = 'no answer';
  for (let attempt = 0; ; attempt++) {
    if (gone !== undefined) throw new Error(withStderr(`${gone} before its health check answered`));
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(withStderr(`did not answer GET ${url}/__twin/health in time (${last})`));
    try {
      const response = await fetch(`${url}/__twin/health`, {
        headers: adminToken === undefined ? {} : { authorization: `Bearer ${adminToken}` },
        signal: AbortSignal.timeout(left),
      });
      const text = await response.text();
      if (response.status === 200) {
        const twin = (JSON.parse(text) as { twin?: string }).twin;
        if (twin !== service) throw new Error(`[twinverse] ${url} is the Go ${twin ?? 'unnamed'} twin, not ${service}: give the ${service} twin's binary (TWINVERSE_GO_BIN or { binary })`);
        return;
      }
      last = `${response.status} ${text.slice(0, 200)}`;
    } catch (error) {
      if ((error as Error).message.startsWith('[twinverse]')) throw error;
      last = (error as Error).name === 'TimeoutError' ? 'the request timed out' : ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
    }
    // A binary reports its URL once it listens, so a refusal here is rare and brief: retry soon, a bounded number of times by the deadline.
    await pause(Math.min(10 * 2 ** Math.min(attempt, 5), 200));
  }
}
