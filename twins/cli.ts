#!/usr/bin/env node
// The `twinverse` command: the library's CLI, handed the catalog of shipped twins. It serves over HTTP only, so it
// tells the library not to load msw (a fifth of a second at every start) before importing it.
(globalThis as Record<symbol, unknown>)[Symbol.for('twinverse.httpOnly')] = true;
const [{ runCli }, { twinCatalog }] = await Promise.all([import('../src/cli/main.js'), import('./index.js')]);

await runCli(process.argv, twinCatalog);
