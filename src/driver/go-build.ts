import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where a service's Go twin is built from: the Go module (`<root>/twins`, holding go.mod) and the package of the
 * service's main program inside it (`./<service>/go`).
 *
 * @example
 * const sources: GoSources | undefined = goSources('okta'); // { module: '/repo/twins', pkg: './okta/go' }
 */
export interface GoSources {
  module: string;
  pkg: string;
}

/**
 * The root of the twinverse package this file belongs to: the nearest folder above it whose package.json names
 * `twinverse`. The same walk works from the sources (src/driver), from the build (dist/src/driver) and from an
 * installed package (node_modules/twinverse/dist/src/driver).
 *
 * @example
 * packageRoot(); // '/home/me/project/node_modules/twinverse'
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'twinverse') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('[twinverse] cannot find the twinverse package root (no package.json naming "twinverse" above the driver); pass { sourceRoot } or { binary }');
    dir = parent;
  }
}

/**
 * The Go sources of a service's twin under `root` (a folder holding `twins/go.mod`), when the package has them:
 * `twins/<service>/go` with at least one .go file.
 *
 * @example
 * goSources('okta', '/repo'); // { module: '/repo/twins', pkg: './okta/go' }
 * goSources('jira', '/repo'); // undefined while Jira has no Go twin
 */
export function goSources(service: string, root: string = packageRoot()): GoSources | undefined {
  const module = join(root, 'twins');
  const pkgDir = join(module, service, 'go');
  if (!/^[a-z][a-z0-9-]*$/.test(service) || !existsSync(join(module, 'go.mod')) || !existsSync(pkgDir)) return undefined;
  if (!readdirSync(pkgDir).some((file) => file.endsWith('.go'))) return undefined;
  return { module, pkg: `./${service}/go` };
}

/**
 * The services whose Go twin is in the package, by name.
 *
 * @example
 * goServices(); // ['okta']
 */
export function goServices(root: string = packageRoot()): string[] {
  const module = join(root, 'twins');
  if (!existsSync(module)) return [];
  return readdirSync(module, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && goSources(entry.name, root) !== undefined)
    .map((entry) => entry.name)
    .sort();
}

/** Every file of the Go module that a build may read, as paths relative to it, sorted: all but the TypeScript twins beside it. */
async function moduleFiles(module: string, dir = module): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await moduleFiles(module, path)));
    else if (entry.isFile() && !entry.name.endsWith('.ts')) files.push(relative(module, path).split(sep).join('/'));
  }
  return files.sort();
}

/**
 * A hash of everything a build of the module may read: each file's path and bytes (the .ts files beside the Go ones
 * excepted, so that editing a TypeScript twin does not rebuild the Go one), and the platform the binary is for.
 *
 * @example
 * await sourceHash('/repo/twins'); // '3f1c...' (64 hex digits)
 */
export async function sourceHash(module: string): Promise<string> {
  const hash = createHash('sha256').update(`${process.platform}-${process.arch}\0`);
  for (const file of await moduleFiles(module)) hash.update(`${file}\0`).update(await readFile(join(module, file))).update('\0');
  return hash.digest('hex');
}

/**
 * The folder built binaries are kept in: `$TWINVERSE_GO_CACHE`, else the user's cache folder
 * (`$XDG_CACHE_HOME/twinverse/go`, by default `~/.cache/twinverse/go`).
 *
 * @example
 * defaultCacheDir(); // '/home/me/.cache/twinverse/go'
 */
export function defaultCacheDir(): string {
  if (process.env.TWINVERSE_GO_CACHE) return process.env.TWINVERSE_GO_CACHE;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'twinverse', 'go');
}

/** The output of a command, or the error execFile gives (ENOENT when the command is not installed). */
function run(command: string, args: string[], cwd?: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr }));
      else resolve({ stdout, stderr });
    });
  });
}

/**
 * Whether a Go toolchain answers as `go` on the PATH.
 *
 * @example
 * if (!(await hasGoToolchain())) console.log('set TWINVERSE_GO_BIN instead');
 */
export async function hasGoToolchain(): Promise<boolean> {
  try {
    await run('go', ['version']);
    return true;
  } catch {
    return false;
  }
}

/**
 * How a binary was found: built now, or taken from the cache.
 *
 * @example
 * const { binary, built }: GoBuild = await buildGoTwin('okta');
 */
export interface GoBuild {
  binary: string;
  built: boolean;
}

const isFile = (path: string) => stat(path).then((s) => s.isFile(), () => false);

/**
 * Whether a build lock was left by a process that is gone: its pid file names no live process, or it has none and is
 * older than any pause between taking the lock and writing the file.
 */
async function staleLock(lock: string): Promise<boolean> {
  const pid = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => ''));
  if (!pid) return (await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0)) > 10_000;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * The binary of a service's Go twin, built with `go build` into the cache unless a binary of the same sources is
 * there already. One process builds at a time (a lock folder beside the binary; the others wait for its result, and
 * a lock whose process died is taken over), and the build writes to a file of its own renamed into place, which is
 * atomic: a reader never sees half a binary.
 *
 * @example
 * const { binary } = await buildGoTwin('okta', { cacheDir: '/tmp/twinverse-go' });
 */
export async function buildGoTwin(service: string, options: { sourceRoot?: string; cacheDir?: string; log?: (line: string) => void } = {}): Promise<GoBuild> {
  const root = options.sourceRoot ?? packageRoot();
  const sources = goSources(service, root);
  if (!sources) {
    if (!(await hasGoToolchain())) throw new Error(noWayToRun(service));
    const known = goServices(root);
    throw new Error(`[twinverse] there is no Go twin of ${service} in ${root} (Go twins: ${known.length ? known.join(', ') : 'none'}); set TWINVERSE_GO_BIN to a binary of one, or serve the TypeScript twin`);
  }
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const binary = join(cacheDir, `twinverse-${service}-${(await sourceHash(sources.module)).slice(0, 24)}${process.platform === 'win32' ? '.exe' : ''}`);
  const lock = `${binary}.lock`;
  for (;;) {
    if (await isFile(binary)) return { binary, built: false };
    await mkdir(cacheDir, { recursive: true });
    try {
      await mkdir(lock);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Another process is building these sources: wait for its binary, or take over a lock it left behind.
      if (await staleLock(lock)) await rm(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    try {
      await writeFile(join(lock, 'pid'), String(process.pid));
      if (await isFile(binary)) return { binary, built: false };
      options.log?.(`[twinverse] building the Go ${service} twin from ${sources.module} into ${cacheDir} (once for each change of its sources)`);
      const partial = `${binary}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
      try {
        await run('go', ['build', '-trimpath', '-o', partial, sources.pkg], sources.module);
        await rename(partial, binary);
      } catch (error) {
        await rm(partial, { force: true });
        const e = error as NodeJS.ErrnoException & { stderr?: string };
        if (e.code === 'ENOENT') throw new Error(noWayToRun(service));
        throw new Error(`[twinverse] go build of the ${service} twin failed (in ${sources.module}): ${(e.stderr || e.message).trim()}`);
      }
      return { binary, built: true };
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
}

/**
 * The one line said when a Go twin can neither be run nor built, naming both ways out.
 *
 * @example
 * throw new Error(noWayToRun('okta'));
 */
export function noWayToRun(service: string): string {
  return `[twinverse] cannot run the Go ${service} twin: no binary was given and no Go toolchain is installed; set TWINVERSE_GO_BIN to a built twin binary (or pass { binary }), or install Go (https://go.dev/dl) to build it from this package's sources`;
}
