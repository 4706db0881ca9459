/**
 * The MSW and in-process stories on Node 22 with msw 3, as most users now run them: `npm run test:node22`
 * installs test/node22 (Node 22 from the registry, msw 3) and runs vitest under that Node with this file.
 * Every `msw` and `msw/*` import of the files vitest loads (tests, src, the built package the examples
 * import) resolves to test/node22's msw 3, while the project's own msw 2 serves the Node 20 run.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';
import base from './vitest.config.js';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  throw new Error(`[twinverse] vitest.node22.config.ts is for Node 22.12+ (msw 3's engines), not Node ${process.versions.node}: run npm run test:node22`);
}

const node22 = fileURLToPath(new URL('./test/node22/', import.meta.url));

function mswFromNode22(): Plugin {
  return {
    name: 'twinverse:msw-from-test-node22',
    enforce: 'pre',
    async resolveId(source, _importer, options) {
      if (source !== 'msw' && !source.startsWith('msw/')) return null;
      // Resolved as if imported from test/node22, so the package's exports map picks the file.
      const resolved = await this.resolve(source, `${node22}package.json`, { ...options, skipSelf: true });
      // Never the project's msw 2 (found by climbing out of test/node22 when its own is missing): this run
      // would then test nothing new.
      if (!resolved?.id.startsWith(`${node22}node_modules/`)) throw new Error(`[twinverse] ${source} is not installed in test/node22: npm ci --prefix test/node22`);
      return resolved;
    },
  };
}

export default defineConfig({
  plugins: [mswFromNode22()],
  test: {
    ...base.test,
    // Every story through MSW (msw 3), the way most suites on Node 22 run a twin; node:http and express are the same
    // code on either Node, covered by the Node 20 run (the examples and adapter tests here still listen on ports).
    env: { TWINVERSE_EXPECTED_MSW_MAJOR: '3', TWINVERSE_TRANSPORTS: 'msw' },
    include: ['examples/**/*.test.ts', 'src/adapters/*.test.ts', 'test/**/*.test.ts'],
    // The CLI's own tests spawn the built CLI; the README's test reads a file. Neither goes through MSW.
    exclude: ['**/node_modules/**', 'test/**/cli*.test.ts', 'test/**/cli/**', 'test/**/readme.test.ts'],
  },
});
