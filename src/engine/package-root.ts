import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The folder of twinverse's own package.json, found from this file whether it runs from the sources or
 * from the built `dist/`: documents and seeds are addressed relative to it.
 *
 * @example
 * const specPath = packagePath('openapi/example.yaml');
 */
export function packagePath(relative: string): string {
  if (!root) {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'openapi'))) {
      const parent = dirname(dir);
      if (parent === dir) throw new Error('[twinverse] cannot find the twinverse package root (package.json beside openapi/) above ' + fileURLToPath(import.meta.url));
      dir = parent;
    }
    root = dir;
  }
  return resolve(root, relative);
}
