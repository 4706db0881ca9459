import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';

test('the README opens with the set-up command and the test command', async () => {
  const readme = await readFile('README.md', 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].trim());
  expect(blocks[0]).toBe('npm ci && npx twinverse serve okta');
  expect(blocks[1]).toBe('npm test');
});

const EXAMPLES = [
  'examples/msw-vitest.test.ts',
  'examples/in-process-server.test.ts',
  'examples/plugins/rate-limit.test.ts',
  'examples/plugins/fault.test.ts',
  'examples/plugins/latency.test.ts',
  'examples/plugins/lag.test.ts',
  'examples/plugins/expire-credentials.test.ts',
  'examples/plugins/pagination.test.ts',
  'examples/custom-plugin.test.ts',
  'examples/custom-twin/inventory-twin.js',
  'examples/custom-twin/inventory.test.ts',
  'examples/jira.test.ts',
  'examples/slack.test.ts',
  'examples/gdocs.test.ts',
  'examples/recordings.test.ts',
  'examples/go-twin.test.ts',
];

test.each(EXAMPLES)('the README shows %s exactly as the tests run it', async (file) => {
  const [readme, example] = await Promise.all([readFile('README.md', 'utf8'), readFile(file, 'utf8')]);
  const blocks = [...readme.matchAll(/```(?:ts|js)\n([\s\S]*?)```/g)].map((m) => m[1]);
  expect(blocks).toContain(example);
});

test('every example the tests run is shown in the README', async () => {
  const { readdir } = await import('node:fs/promises');
  const found = (await readdir('examples', { recursive: true })).filter((f) => /\.(test\.ts|js)$/.test(f)).map((f) => `examples/${f}`);
  expect(found.sort()).toEqual([...EXAMPLES].sort());
});
