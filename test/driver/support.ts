import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGoTwin } from '../../src/driver/go-build.js';

/** A folder holding twins/go.mod and twins/okta/go: the stand-in's sources, laid out as the package's own. */
export const STAND_IN_ROOT = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * The stand-in binary, built once for every test file that needs it: the driver's cache keyed by its sources, in a
 * folder of the system's temporary one (the driver's own lock keeps two files from building it at once).
 */
export async function standInBinary(): Promise<string> {
  return (await buildGoTwin('okta', { sourceRoot: STAND_IN_ROOT, cacheDir: join(tmpdir(), 'twinverse-driver-tests') })).binary;
}

/** Whether a process is gone: no such pid, or a zombie (it has exited and waits only for its parent's wait()). */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  const stat = `/proc/${pid}/stat`;
  // The state is the field after the parenthesised command name.
  return existsSync(stat) && /\)\s+Z/.test(readFileSync(stat, 'utf8'));
}

/** Polls `done` every 10 ms until it holds, up to `limitMs`: for waiting on another process, which is the point. */
export async function eventually(done: () => boolean, limitMs: number): Promise<boolean> {
  for (let waited = 0; waited <= limitMs; waited += 10) {
    if (done()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return done();
}
