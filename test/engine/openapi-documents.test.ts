import SwaggerParser from '@apidevtools/swagger-parser';
import { expect, test } from 'vitest';
import { compileSpec } from '../../src/engine/compile-spec.js';
import { documentPath } from '../../src/engine/twin-runtime.js';
import { twinCatalog } from '../../twins/index.js';

const twins = Object.values(twinCatalog);

test.each(twins.map((t) => [t.name, t] as const))('%s: the OpenAPI document is a valid OpenAPI 3 document', async (_name, twin) => {
  await expect(SwaggerParser.validate(documentPath(twin.name, twin.openapi))).resolves.toBeTruthy();
});

test.each(twins.map((t) => [t.name, t] as const))('%s: every operation has a handler and every handler an operation', async (_name, twin) => {
  const spec = await compileSpec(documentPath(twin.name, twin.openapi));
  const operations = [...spec.operations.keys()].sort();
  expect(operations.filter((id) => !twin.handlers[id])).toEqual([]);
  expect(Object.keys(twin.handlers).filter((id) => !spec.operations.has(id))).toEqual([]);
});
