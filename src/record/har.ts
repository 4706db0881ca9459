import { randomBytes } from 'node:crypto';
import { open, rename, writeFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { jsonDepthOver } from '../engine/pipeline.js';
import type { RecordedExchange } from './exchange.js';

/** A HAR name/value pair (headers, query parameters, cookies). */
export interface HarPair {
  name: string;
  value: string;
}

/** A recorded request, as HAR 1.2 lays it out. */
export interface HarRequest {
  method: string;
  url: string;
  httpVersion: string;
  cookies: HarPair[];
  headers: HarPair[];
  queryString: HarPair[];
  postData?: { mimeType: string; text: string };
  headersSize: number;
  bodySize: number;
}

/** A recorded answer, as HAR 1.2 lays it out; `content.encoding` is "base64" for a body that is not text. */
export interface HarResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  cookies: HarPair[];
  headers: HarPair[];
  content: { size: number; mimeType: string; text?: string; encoding?: string };
  redirectURL: string;
  headersSize: number;
  bodySize: number;
}

/** One exchange of a HAR 1.2 log. */
export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: HarRequest;
  response: HarResponse;
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  comment?: string;
}

/**
 * A HAR 1.2 document (the format browsers, Polly.js and WireMock read and write).
 *
 * @example
 * const har: Har = { log: { version: '1.2', creator: { name: 'twinverse', version: '0.1.0' }, entries: [] } };
 */
export interface Har {
  log: { version: string; creator: { name: string; version: string }; entries: HarEntry[]; comment?: string };
}

/** The largest HAR file read (recordings of long sessions run to tens of megabytes; a larger file is refused). */
export const HAR_MAX_BYTES = 256 * 1024 * 1024;

const pairs = { type: 'array', items: { type: 'object', required: ['name', 'value'], properties: { name: { type: 'string' }, value: { type: 'string' } } } };

// What a HAR must hold for twinverse to use it: the fields HAR 1.2 requires of an entry's request and response
// that replay and verify read. Fields HAR 1.2 also requires but nothing here reads (cookies, timings, sizes) are
// filled in when absent, so that files written by tools that leave them out still load.
const harSchema = {
  type: 'object',
  required: ['log'],
  properties: {
    log: {
      type: 'object',
      required: ['entries'],
      properties: {
        version: { type: 'string' },
        entries: {
          type: 'array',
          items: {
            type: 'object',
            required: ['request', 'response'],
            properties: {
              startedDateTime: { type: 'string' },
              request: {
                type: 'object',
                required: ['method', 'url', 'headers'],
                properties: {
                  method: { type: 'string', pattern: '^[A-Za-z]+$' },
                  url: { type: 'string' },
                  headers: pairs,
                  queryString: pairs,
                  postData: { type: 'object', properties: { mimeType: { type: 'string' }, text: { type: 'string' } } },
                },
              },
              response: {
                type: 'object',
                required: ['status', 'headers', 'content'],
                properties: {
                  status: { type: 'integer', minimum: 100, maximum: 599 },
                  statusText: { type: 'string' },
                  headers: pairs,
                  content: { type: 'object', properties: { text: { type: 'string' }, encoding: { type: 'string' }, mimeType: { type: 'string' } } },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

const validateHar = new Ajv({ allErrors: false }).compile(harSchema);

/** A recording that cannot be used; the CLI prints its message alone. */
export class HarError extends Error {}

/**
 * Parses a HAR document's text, checking the fields replay and verify read; throws a HarError naming the first
 * problem (the entry and field) otherwise.
 *
 * @example
 * const har = parseHar(await readFile('fixtures/okta-session.har', 'utf8'), 'fixtures/okta-session.har');
 */
export function parseHar(text: string, source = 'the recording'): Har {
  if (jsonDepthOver(text, 64)) throw new HarError(`[twinverse] ${source} nests JSON deeper than 64 levels: not a HAR file`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new HarError(`[twinverse] ${source} is not valid JSON: ${(error as Error).message}`);
  }
  if (!validateHar(doc)) {
    const [problem] = validateHar.errors ?? [];
    const where = problem?.instancePath.replace(/^\//, '').replaceAll('/', '.') || 'the document';
    throw new HarError(`[twinverse] ${source} is not a HAR 1.2 file: ${where} ${problem?.message ?? 'is invalid'}`);
  }
  const har = doc as Har;
  for (const [i, entry] of har.log.entries.entries()) {
    try {
      new URL(entry.request.url);
    } catch {
      throw new HarError(`[twinverse] ${source} is not a HAR 1.2 file: log.entries.${i}.request.url "${entry.request.url.slice(0, 100)}" is not an absolute URL`);
    }
    entry.request.queryString ??= [];
    entry.request.cookies ??= [];
    entry.response.cookies ??= [];
    entry.response.statusText ??= '';
    entry.response.content.size ??= 0;
    entry.response.content.mimeType ??= '';
  }
  har.log.version ??= '1.2';
  har.log.creator ??= { name: 'unknown', version: '' };
  return har;
}

/**
 * Reads a HAR file, bounded by HAR_MAX_BYTES.
 *
 * @example
 * const har = await readHar('fixtures/okta-session.har');
 */
export async function readHar(file: string, maxBytes = HAR_MAX_BYTES): Promise<Har> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new HarError(`[twinverse] cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw new HarError(`[twinverse] ${file} is ${size} bytes, over the ${maxBytes} bytes a recording may have`);
    return parseHar(await handle.readFile('utf8'), file);
  } finally {
    await handle.close();
  }
}

/**
 * Writes a HAR file whole, through a temporary file renamed over it, so that a reader never sees half of one.
 *
 * @example
 * await writeHar('fixtures/session.har', har);
 */
export async function writeHar(file: string, har: Har): Promise<void> {
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, `${JSON.stringify(har, null, 2)}\n`);
  await rename(temporary, file);
}

/**
 * An empty HAR 1.2 log written by twinverse.
 *
 * @example
 * const har = emptyHar('0.1.0');
 */
export function emptyHar(version: string): Har {
  return { log: { version: '1.2', creator: { name: 'twinverse', version }, entries: [] } };
}

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error' };

/** What one exchange was, as the recorder saw it. */
export interface ExchangeParts {
  method: string;
  url: string;
  requestHeaders: HarPair[];
  requestBody?: Buffer;
  status: number;
  statusText?: string;
  responseHeaders: HarPair[];
  responseBody: Buffer;
  started: Date;
  /** Milliseconds from the request's start to the answer's end. */
  time: number;
}

const headerValue = (headers: HarPair[], name: string) => headers.find((h) => h.name.toLowerCase() === name)?.value;

const isText = (mimeType: string) => mimeType === '' || /^text\/|[/+]json\b|[/+]xml\b|x-www-form-urlencoded|javascript/i.test(mimeType);

/**
 * A HAR entry for one exchange: text bodies kept as text, others as base64.
 *
 * @example
 * const entry = harEntry({ method: 'GET', url: 'https://dev-123.okta.com/api/v1/users', requestHeaders: [], status: 200, responseHeaders: [], responseBody: Buffer.from('[]'), started: new Date(), time: 12 });
 */
export function harEntry(parts: ExchangeParts): HarEntry {
  const url = new URL(parts.url);
  const requestType = headerValue(parts.requestHeaders, 'content-type') ?? '';
  const responseType = headerValue(parts.responseHeaders, 'content-type') ?? '';
  const content: HarResponse['content'] = { size: parts.responseBody.length, mimeType: responseType };
  if (parts.responseBody.length > 0) {
    if (isText(responseType)) content.text = parts.responseBody.toString('utf8');
    else {
      content.text = parts.responseBody.toString('base64');
      content.encoding = 'base64';
    }
  }
  const request: HarRequest = {
    method: parts.method,
    url: url.href,
    httpVersion: 'HTTP/1.1',
    cookies: [],
    headers: parts.requestHeaders,
    queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
    headersSize: -1,
    bodySize: parts.requestBody?.length ?? 0,
  };
  if (parts.requestBody && parts.requestBody.length > 0) request.postData = { mimeType: requestType, text: parts.requestBody.toString('utf8') };
  return {
    startedDateTime: parts.started.toISOString(),
    time: parts.time,
    request,
    response: {
      status: parts.status,
      statusText: parts.statusText ?? STATUS_TEXT[parts.status] ?? '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: parts.responseHeaders,
      content,
      redirectURL: headerValue(parts.responseHeaders, 'location') ?? '',
      headersSize: -1,
      bodySize: parts.responseBody.length,
    },
    cache: {},
    timings: { send: 0, wait: parts.time, receive: 0 },
  };
}

/**
 * The answer's body bytes of a HAR entry (base64 content decoded).
 *
 * @example
 * responseBytes(entry).toString('utf8');
 */
export function responseBytes(entry: HarEntry): Buffer {
  const { text, encoding } = entry.response.content;
  if (text === undefined) return Buffer.alloc(0);
  return encoding === 'base64' ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
}

/** A body decoded for reading: JSON parsed, a form as an object of strings, other text as it is. */
export function decodeBody(text: string | undefined, mimeType: string): unknown {
  if (text === undefined || text === '') return undefined;
  if (/x-www-form-urlencoded/i.test(mimeType)) return Object.fromEntries(new URLSearchParams(text));
  if (/json/i.test(mimeType) || mimeType === '' || /^\s*[[{]/.test(text)) {
    if (jsonDepthOver(text, 64)) return text;
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

const lowerHeaders = (headers: HarPair[]) => {
  const out: Record<string, string> = {};
  for (const { name, value } of headers) {
    const key = name.toLowerCase();
    out[key] = out[key] === undefined ? value : `${out[key]}, ${value}`;
  }
  return out;
};

/**
 * The exchanges of a HAR log, decoded for twins and tools (see RecordedExchange).
 *
 * @example
 * for (const exchange of recordedExchanges(har)) console.log(exchange.method, exchange.url.pathname, exchange.status);
 */
export function recordedExchanges(har: Har): RecordedExchange[] {
  return har.log.entries.map((entry) => {
    const responseType = entry.response.content.mimeType || (headerValue(entry.response.headers, 'content-type') ?? '');
    const exchange: RecordedExchange = {
      method: entry.request.method.toUpperCase(),
      url: new URL(entry.request.url),
      requestHeaders: lowerHeaders(entry.request.headers),
      status: entry.response.status,
      responseHeaders: lowerHeaders(entry.response.headers),
      responseBody: entry.response.content.encoding === 'base64' ? undefined : decodeBody(entry.response.content.text, responseType),
    };
    if (entry.request.postData) exchange.requestBody = decodeBody(entry.request.postData.text, entry.request.postData.mimeType);
    return exchange;
  });
}
