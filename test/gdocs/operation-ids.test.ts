import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { operationIdsSource } from '../../src/cli/operation-ids.js';

const DOCUMENT = 'openapi/gdocs.yaml';
const GENERATED = 'twins/gdocs/operation-ids.ts';
const REFRESH = `npm run build && node dist/twins/cli.js operation-ids ${DOCUMENT} --type GdocsOperationId --out ${GENERATED}`;

const repoFile = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

test('twins/gdocs/operation-ids.ts is what `twinverse operation-ids` writes from openapi/gdocs.yaml', async () => {
  const expected = await operationIdsSource(repoFile(DOCUMENT), 'GdocsOperationId', DOCUMENT);
  const committed = await readFile(repoFile(GENERATED), 'utf8');
  expect(committed, `${GENERATED} is stale: the handler map is checked against an old list of operationIds. Refresh it with\n  ${REFRESH}\n`).toBe(expected);
});
