import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { match, resolve, type Captures } from './conformance-match.js';

/**
 * A service's folder of cases (test/conformance/cases/<service>/): `service.json` says how to reach the twin, each
 * other .json file holds cases.
 *
 * @example
 * const service: ServiceCases = loadService('/repo/test/conformance/cases/okta');
 */
export interface ServiceCases {
  service: string;
  /** The vendor's host, where MSW answers for the twin. */
  mswBaseUrl: string;
  /** Headers of every request (credentials, accept); a step's own override them, and null removes one. */
  headers: Record<string, string>;
  files: { file: string; description: string; cases: Case[] }[];
}

/** One case: steps run in order against a twin fresh from its seed; values captured by a step are there for the next. */
export interface Case {
  name: string;
  steps: Step[];
}

/** A request and what its response must show. */
export interface Step {
  /** Says what the step shows, in failures. */
  name?: string;
  request: {
    method?: string;
    /** A path with query, appended to the backend's base URL (`${baseUrl}` is that URL). */
    path?: string;
    /** An absolute URL instead of a path, e.g. a `next` link captured from a Link header. */
    url?: string;
    headers?: Record<string, string | null>;
    /** A JSON body (sent with content-type application/json unless the headers name another). */
    body?: unknown;
    /** A body sent as it is written. */
    text?: string;
  };
  expect: {
    status: number;
    /** Header patterns by lower-case name (see conformance-match.ts). */
    headers?: Record<string, unknown>;
    /** A pattern of the JSON body. */
    body?: unknown;
    /** A pattern of the body's text. */
    text?: unknown;
  };
}

/**
 * Reads a service's cases, refusing a file that is not shaped as a case file (a mistake there would otherwise test
 * nothing).
 *
 * @example
 * loadService(new URL('../conformance/cases/okta', import.meta.url).pathname).files.length; // 6
 */
export function loadService(dir: string): ServiceCases {
  const service = dir.split(/[\\/]/).filter(Boolean).pop()!;
  const config = JSON.parse(readFileSync(join(dir, 'service.json'), 'utf8')) as { mswBaseUrl: string; headers?: Record<string, string> };
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'service.json')
    .sort()
    .map((file) => {
      const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { description?: string; cases?: Case[] };
      if (typeof doc.description !== 'string' || !Array.isArray(doc.cases) || doc.cases.length === 0) {
        throw new Error(`[twinverse] ${service}/${file} is not a case file: it needs a "description" and a non-empty "cases" array`);
      }
      for (const c of doc.cases) {
        if (typeof c.name !== 'string' || !Array.isArray(c.steps) || c.steps.some((s) => !s.request || typeof s.expect?.status !== 'number')) {
          throw new Error(`[twinverse] ${service}/${file}: case "${c.name}" needs a name and steps, each with a request and an expected status`);
        }
      }
      return { file, description: doc.description, cases: doc.cases };
    });
  return { service, mswBaseUrl: config.mswBaseUrl, headers: config.headers ?? {}, files };
}

/** What a backend answered, for a failure message. */
function describeResponse(response: Response, text: string): string {
  const headers = [...response.headers].filter(([name]) => !['date', 'connection', 'keep-alive', 'content-length'].includes(name)).map(([n, v]) => `${n}: ${v}`);
  return `${response.status}\n    ${headers.join('\n    ')}\n    ${text.slice(0, 2000)}`;
}

/**
 * Runs a case's steps against a backend at `baseUrl`, and throws at the first step whose response does not match, with
 * the step, every mismatch and the whole response.
 *
 * @example
 * await runCase(okta.files[0].cases[0], okta, 'http://127.0.0.1:4010');
 */
export async function runCase(c: Case, service: ServiceCases, baseUrl: string): Promise<void> {
  const captures: Captures = { baseUrl };
  for (const [i, step] of c.steps.entries()) {
    const request = resolve(step.request, captures) as Step['request'];
    const url = request.url ?? `${baseUrl}${request.path ?? ''}`;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries({ ...service.headers, ...(request.headers ?? {}) })) if (value !== null) headers[name.toLowerCase()] = value;
    let body: string | undefined = request.text;
    if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['content-type'] ??= 'application/json';
    }
    const method = request.method ?? 'GET';
    const response = await fetch(url, { method, headers, body, redirect: 'manual' });
    const text = await response.text();

    const problems: string[] = [];
    if (response.status !== step.expect.status) problems.push(`status: expected ${step.expect.status}, got ${response.status}`);
    for (const [name, pattern] of Object.entries(step.expect.headers ?? {})) {
      problems.push(...match(pattern, response.headers.get(name) ?? undefined, `header ${name}`, captures));
    }
    if (step.expect.text !== undefined) problems.push(...match(step.expect.text, text, 'text', captures));
    if (step.expect.body !== undefined) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        problems.push(`body: expected JSON, got ${JSON.stringify(text.slice(0, 200))}`);
      }
      if (json !== undefined) problems.push(...match(step.expect.body, json, '$', captures));
    }
    if (problems.length) {
      throw new Error(`step ${i + 1}${step.name ? ` (${step.name})` : ''}: ${method} ${url}\n  ${problems.join('\n  ')}\n  answered ${describeResponse(response, text)}`);
    }
  }
}
