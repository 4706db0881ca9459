import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';

test('the README opens with the set-up command and the test command', async () => {
  const readme = await readFile('README.md', 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].trim());
  expect(blocks[0]).toBe('npm ci && npx twinverse serve okta');
  expect(blocks[1]).toBe('npm test');
});

test.each(['examples/msw-vitest.test.ts', 'examples/in-process-server.test.ts'])('the README shows %s exactly as the tests run it', async (file) => {
  const [readme, example] = await Promise.all([readFile('README.md', 'utf8'), readFile(file, 'utf8')]);
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  expect(blocks).toContain(example);
});
