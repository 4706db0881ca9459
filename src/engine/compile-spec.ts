import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { OpenAPIV3 } from 'openapi-types';
import type { Diagnostic } from './engine-error.js';
import { createRouter, type Router } from './router.js';
import type { OperationInfo } from './types.js';

// ajv-formats is CommonJS with a default export; under NodeNext it arrives as the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** A declared parameter, as the validator needs it. */
interface CompiledParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  /** Query parameters of type array gather every occurrence. */
  isArray: boolean;
}

/** One operation, compiled once; its validators are built the first time it is called. */
export interface CompiledOperation {
  info: OperationInfo;
  parameters: CompiledParameter[];
  /** Validates and coerces { path, query, header } objects in place. */
  validateParameters(input: Record<'path' | 'query' | 'header', Record<string, unknown>>): Diagnostic[];
  /** Accepted request media types (lower case, without parameters); empty when the operation takes no body. */
  requestMediaTypes: string[];
  requestBodyRequired: boolean;
  validateBody(mediaType: string, body: unknown): Diagnostic[];
  /** Strict mode: checks a response against the document; undefined status means not documented. */
  validateResponse(status: number, mediaType: string | undefined, body: unknown): Diagnostic[];
}

export interface CompiledSpec {
  title: string;
  /** The path of the first server URL, stripped from request paths before routing. */
  prefix: string;
  router: Router<CompiledOperation>;
  operations: Map<string, CompiledOperation>;
}

const escapePointer = (segment: string) => encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));

function toDiagnostics(where: Diagnostic['in'], errors: ErrorObject[] | null | undefined, rootName = ''): Diagnostic[] {
  return (errors ?? []).map((e) => {
    const parts = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (e.keyword === 'required') parts.push((e.params as { missingProperty: string }).missingProperty);
    const name = [rootName, ...parts].filter(Boolean).join('.') || (where === 'body' ? 'body' : rootName);
    const message = e.keyword === 'required' ? 'is required' : e.keyword === 'enum' ? `${e.message}: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` : e.message ?? 'is invalid';
    return { in: where, name, message };
  });
}

function pathPrefix(doc: OpenAPIV3.Document): string {
  const server = doc.servers?.[0];
  if (!server) return '';
  const url = server.url.replace(/\{([^}]+)\}/g, (_, name: string) => server.variables?.[name]?.default ?? name);
  const pathname = new URL(url, 'http://twin.invalid').pathname;
  return pathname === '/' ? '' : pathname.replace(/\/$/, '');
}

const cache = new Map<string, Promise<CompiledSpec>>();

/**
 * Loads, validates and compiles an OpenAPI 3 document into a route table and lazily built validators.
 * Compiled specs are immutable and shared by every twin instance in the process that uses the same file.
 *
 * @example
 * const spec = await compileSpec('/path/to/openapi/example.yaml');
 * spec.router.match('/items/1');
 */
export function compileSpec(file: string): Promise<CompiledSpec> {
  let compiled = cache.get(file);
  if (!compiled) {
    compiled = load(file);
    cache.set(file, compiled);
    compiled.catch(() => cache.delete(file));
  }
  return compiled;
}

async function load(file: string): Promise<CompiledSpec> {
  let raw: OpenAPIV3.Document;
  try {
    raw = (await SwaggerParser.parse(file)) as OpenAPIV3.Document;
  } catch (error) {
    throw new Error(`[twinverse] cannot load the OpenAPI document ${file}: ${(error as Error).message}`);
  }
  if (typeof raw.openapi !== 'string' || !raw.openapi.startsWith('3.')) {
    throw new Error(`[twinverse] ${file} is not an OpenAPI 3.x document (openapi: ${String(raw.openapi)})`);
  }
  // The dereferenced copy is read for structure (operations, parameters); validators compile against the raw
  // document by JSON pointer, so recursive schemas stay references instead of endless objects.
  const doc = (await SwaggerParser.dereference(structuredClone(raw))) as OpenAPIV3.Document;

  const ajvOptions = { strict: false, allErrors: true, validateSchema: false, validateFormats: true } as const;
  const plain = new Ajv(ajvOptions);
  const coercing = new Ajv({ ...ajvOptions, coerceTypes: 'array', useDefaults: true });
  for (const ajv of [plain, coercing]) {
    addFormats(ajv);
    ajv.addSchema(raw as object, 'api');
  }
  const validator = (ajv: Ajv, schema: object): (() => ValidateFunction) => {
    let fn: ValidateFunction | undefined;
    return () => (fn ??= ajv.compile(schema));
  };

  /** Follows local $refs in the raw document; returns the JSON pointer of the object it lands on. */
  const resolve = (pointer: string): { node: any; pointer: string } => {
    let node: any = raw;
    for (const part of pointer.split('/').slice(1)) node = node?.[decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node && typeof node.$ref === 'string' && node.$ref.startsWith('#/')) {
      const target = '#' + node.$ref.slice(1).split('/').map((p: string) => escapePointer(decodeURIComponent(p).replace(/~1/g, '/').replace(/~0/g, '~'))).join('/');
      return resolve(target.slice(1));
    }
    return { node, pointer };
  };

  const router = createRouter<CompiledOperation>();
  const operations = new Map<string, CompiledOperation>();
  const docSecurity = doc.security ?? [];

  for (const [template, pathItem] of Object.entries(doc.paths ?? {})) {
    if (!pathItem) continue;
    const pathPointer = `/paths/${escapePointer(template)}`;
    for (const method of METHODS) {
      const op = pathItem[method];
      if (!op) continue;
      const opPointer = `${pathPointer}/${method}`;
      if (!op.operationId) throw new Error(`[twinverse] ${file}: ${method.toUpperCase()} ${template} has no operationId; every operation needs one to find its handler`);
      if (operations.has(op.operationId)) throw new Error(`[twinverse] ${file}: operationId ${op.operationId} is used twice`);

      // Path-level parameters apply unless the operation redefines them.
      const declared: { param: OpenAPIV3.ParameterObject; pointer: string }[] = [];
      const collect = (list: unknown[] | undefined, base: string) =>
        (list ?? []).forEach((_, i) => {
          const { node, pointer } = resolve(`${base}/parameters/${i}`);
          const existing = declared.findIndex((d) => d.param.name === node.name && d.param.in === node.in);
          if (existing >= 0) declared.splice(existing, 1);
          declared.push({ param: node, pointer });
        });
      collect(pathItem.parameters, pathPointer);
      collect(op.parameters, opPointer);

      const parameters: CompiledParameter[] = declared.map(({ param }) => ({
        name: param.in === 'header' ? param.name.toLowerCase() : param.name,
        in: param.in as CompiledParameter['in'],
        required: Boolean(param.required) || param.in === 'path',
        isArray: (param.schema as OpenAPIV3.SchemaObject | undefined)?.type === 'array',
      }));
      const groupSchema = (where: 'path' | 'query' | 'header') => {
        const props: Record<string, object> = {};
        const required: string[] = [];
        declared.forEach(({ param, pointer }, i) => {
          if (param.in !== where || !param.schema) return;
          // ajv applies a default only when it sits on the property itself, not behind the $ref.
          const fallback = (param.schema as OpenAPIV3.SchemaObject).default;
          props[parameters[i].name] = fallback === undefined ? { $ref: `api#${pointer}/schema` } : { $ref: `api#${pointer}/schema`, default: fallback };
          if (parameters[i].required) required.push(parameters[i].name);
        });
        return { type: 'object', properties: props, required };
      };
      // Only the groups the operation declares are checked: an empty group has nothing to refuse.
      const declaredGroups = (['path', 'query', 'header'] as const).filter((where) => parameters.some((p) => p.in === where));
      const paramValidators = {
        path: validator(coercing, groupSchema('path')),
        query: validator(coercing, groupSchema('query')),
        header: validator(coercing, groupSchema('header')),
      };

      const body = op.requestBody ? resolve(`${opPointer}/requestBody`) : undefined;
      const bodyContent: Record<string, OpenAPIV3.MediaTypeObject> = body?.node?.content ?? {};
      const bodyValidators = new Map<string, () => ValidateFunction>();
      for (const [mediaType, media] of Object.entries(bodyContent)) {
        if (!media.schema) continue;
        const schemaRef = { $ref: `api#${body!.pointer}/content/${escapePointer(mediaType)}/schema` };
        // Form fields arrive as strings: coerce them like parameters.
        bodyValidators.set(mediaType.toLowerCase(), validator(mediaType.includes('form') ? coercing : plain, schemaRef));
      }

      const responseValidators = new Map<string, { media: Map<string, () => ValidateFunction>; hasContent: boolean }>();
      for (const status of Object.keys(op.responses ?? {})) {
        const { node, pointer } = resolve(`${opPointer}/responses/${escapePointer(status)}`);
        const media = new Map<string, () => ValidateFunction>();
        for (const [mediaType, content] of Object.entries((node?.content ?? {}) as Record<string, OpenAPIV3.MediaTypeObject>)) {
          if (content.schema) media.set(mediaType.toLowerCase(), validator(plain, { $ref: `api#${pointer}/content/${escapePointer(mediaType)}/schema` }));
        }
        responseValidators.set(status.toUpperCase(), { media, hasContent: Object.keys(node?.content ?? {}).length > 0 });
      }

      const info: OperationInfo = {
        operationId: op.operationId,
        method: method.toUpperCase(),
        path: template,
        security: (op.security ?? docSecurity) as Record<string, string[]>[],
        tags: op.tags ?? [],
      };
      const compiledOp: CompiledOperation = {
        info,
        parameters,
        validateParameters(input) {
          const diagnostics: Diagnostic[] = [];
          for (const where of declaredGroups) {
            const fn = paramValidators[where]();
            if (!fn(input[where])) diagnostics.push(...toDiagnostics(where, fn.errors));
          }
          return diagnostics;
        },
        requestMediaTypes: [...Object.keys(bodyContent).map((m) => m.toLowerCase())],
        requestBodyRequired: Boolean(body?.node?.required),
        validateBody(mediaType, value) {
          const fn = (bodyValidators.get(mediaType) ?? bodyValidators.get('*/*'))?.();
          if (!fn || fn(value)) return [];
          return toDiagnostics('body', fn.errors);
        },
        validateResponse(status, mediaType, value) {
          const entry =
            responseValidators.get(String(status)) ?? responseValidators.get(`${String(status)[0]}XX`) ?? responseValidators.get('DEFAULT');
          if (!entry) return [{ in: 'response', name: 'status', message: `status ${status} is not documented for ${info.operationId}` }];
          if (value === undefined) return [];
          if (!entry.hasContent) return [{ in: 'response', name: 'body', message: `status ${status} of ${info.operationId} is documented without a body, but one was sent` }];
          const fn = (mediaType && entry.media.get(mediaType)) || (entry.media.size === 1 ? [...entry.media.values()][0] : undefined);
          if (!fn) return [];
          const check = fn();
          return check(value) ? [] : toDiagnostics('response', check.errors, 'body');
        },
      };
      operations.set(op.operationId, compiledOp);
      router.add(template, method, compiledOp);
    }
  }
  return { title: doc.info?.title ?? file, prefix: pathPrefix(doc), router, operations };
}
