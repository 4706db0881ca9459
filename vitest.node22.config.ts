/**
 * The MSW paths on Node 22 with msw 3, as most users now run them: `npm run test:node22`
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
    // What differs on Node 22 with msw 3 is how MSW intercepts each official SDK's HTTP stack (node-fetch for Okta,
    // axios for jira.js and @slack/web-api, gaxios for Google) and the library's own MSW handlers (twins, record,
    // replay): the examples, the adapters, recordings, the conformance suite and, per twin, the stories of its SDK's
    // main path and of its retry paths (plugins) run here through MSW. The twins' behavior is the same code on either
    // Node and is covered in full by the Node 20 run; running every story twice would take the suite past ten minutes.
    env: { TWINVERSE_EXPECTED_MSW_MAJOR: '3', TWINVERSE_TRANSPORTS: 'msw' },
    include: [
      'examples/**/*.test.ts',
      'src/adapters/*.test.ts',
      'test/record/**/*.test.ts',
      'test/engine/msw-readme-pattern.test.ts',
      'test/engine/two-twins-in-one-process.test.ts',
      'test/conformance/engine-promises.test.ts',
      'test/conformance/cases.test.ts',
      'test/okta/users/create-and-read.test.ts',
      'test/okta/oauth/flows.test.ts',
      'test/okta/plugins.test.ts',
      'test/okta/sdk-readme-examples.test.ts',
      'test/jira/issues.test.ts',
      'test/jira/plugins.test.ts',
      'test/slack/messages.test.ts',
      'test/slack/events-api.test.ts',
      'test/slack/plugins.test.ts',
      'test/gdocs/documents/create-and-get.test.ts',
      'test/gdocs/platform/default-hosts-through-msw.test.ts',
      'test/gdocs/platform/plugins.test.ts',
    ],
    exclude: ['**/node_modules/**'],
  },
});
