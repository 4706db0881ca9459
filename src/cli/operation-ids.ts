import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3 } from 'openapi-types';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * The TypeScript source of a union type of every operationId in an OpenAPI document, for a twin's handler map
 * to be checked by the compiler against its document (`twinverse operation-ids openapi/okta.yaml --type OktaOperationId`).
 *
 * @example
 * const source = await operationIdsSource('/path/to/openapi/example.yaml', 'ExampleOperationId', 'openapi/example.yaml');
 * // export type ExampleOperationId =\n  | 'createItem'\n  | 'getItem' ...
 */
export async function operationIdsSource(file: string, typeName: string, shownPath: string): Promise<string> {
  const doc = (await SwaggerParser.parse(file)) as OpenAPIV3.Document;
  const ids: string[] = [];
  for (const item of Object.values(doc.paths ?? {})) {
    for (const method of METHODS) {
      const id = item?.[method]?.operationId;
      if (id) ids.push(id);
    }
  }
  ids.sort();
  return [
    `// Generated from ${shownPath} by \`twinverse operation-ids\`; do not edit. A test fails when it is stale.`,
    '',
    '/** Every operationId of the document: the keys a handler map must have. */',
    `export type ${typeName} =`,
    ...ids.map((id, i) => `  | '${id}'${i === ids.length - 1 ? ';' : ''}`),
    '',
  ].join('\n');
}
