import { AgileClient, Version3Client } from 'jira.js';
import { expect } from 'vitest';
import { createJiraTwin, type JiraState } from '../../twins/index.js';
import { describeTwin, TEST_CLOCK, type TwinTarget } from './describe-twin.js';

export { TEST_CLOCK };
export const MSW_BASE_URL = 'https://twin.atlassian.net';
export const ADMIN_EMAIL = 'admin@twin.test';
export const ADMIN_TOKEN = 'twin-jira-token';
export const ADMIN_ID = '712020:7a1d2c3e-4b5f-4a6b-8c7d-9e0f1a2b3c4d';
export const ADA_ID = '712020:1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9';
export const GRACE_ID = '712020:9c8b7a6f-5e4d-4c3b-a2a1-f0e9d8c7b6a5';
export const BASIC = `Basic ${Buffer.from(`${ADMIN_EMAIL}:${ADMIN_TOKEN}`).toString('base64')}`;

/** What a test body sees of the Jira twin, whichever transport serves it. */
export interface JiraTarget extends TwinTarget<JiraState> {
  /** jira.js's platform client (REST v3), with the seeded email and API token. */
  readonly client: Version3Client;
  /** jira.js's Agile client. */
  readonly agile: AgileClient;
}

/**
 * Runs one test body over node:http, express and MSW (describeTwin) with jira.js at hand. Each test starts from the
 * default seed on a fixed clock, in strict mode.
 */
export function describeJira(title: string, body: (t: JiraTarget) => void): void {
  describeTwin(
    title,
    {
      create: () => createJiraTwin({ strict: true, clock: TEST_CLOCK }),
      mswBaseUrl: MSW_BASE_URL,
      defaultHeaders: { accept: 'application/json', authorization: BASIC },
    },
    (target) => {
      const clients = new Map<string, { client: Version3Client; agile: AgileClient }>();
      const forBase = () => {
        let made = clients.get(target.baseUrl);
        if (!made) {
          const config = { host: target.baseUrl, authentication: { basic: { email: ADMIN_EMAIL, apiToken: ADMIN_TOKEN } } };
          made = { client: new Version3Client(config), agile: new AgileClient(config) };
          clients.set(target.baseUrl, made);
        }
        return made;
      };
      const jiraTarget = Object.setPrototypeOf(
        {
          get client() {
            return forBase().client;
          },
          get agile() {
            return forBase().agile;
          },
        },
        target,
      ) as JiraTarget;
      body(jiraTarget);
    },
  );
}

/** Jira's error envelope. */
export interface JiraErrorBody {
  errorMessages: string[];
  errors: Record<string, string>;
}

/** The HttpException a jira.js call must throw: its status and Jira's envelope; fails the test when the call succeeds. */
export async function clientError(call: Promise<unknown>): Promise<{ status: number; body: JiraErrorBody; headers: Record<string, string> }> {
  try {
    await call;
  } catch (error: any) {
    const axiosResponse = error.cause?.response;
    return { status: error.status, body: error.response?.data, headers: axiosResponse?.headers ?? {} };
  }
  throw new Error('the call was expected to fail');
}

/** Asserts a raw response failed with `status` and returns its Jira error envelope. */
export async function refused(response: Response, status = 400): Promise<JiraErrorBody> {
  expect(response.status).toBe(status);
  const body = await response.json();
  expect(Object.keys(body).sort()).toEqual(['errorMessages', 'errors']);
  return body;
}

/** A raw JSON request to the twin with the admin's credentials, POST unless `method` says otherwise. */
export function sendJson(t: JiraTarget, path: string, body?: unknown, method = 'POST'): Promise<Response> {
  return t.fetch(path, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

/** An ADF document of one paragraph. */
export function adf(text: string) {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}

/** Creates an issue in TWIN through jira.js: a Task named `summary` unless `fields` says otherwise. */
export function newIssue(t: JiraTarget, summary: string, fields: Record<string, unknown> = {}) {
  return t.client.issues.createIssue({ fields: { project: { key: 'TWIN' }, issuetype: { name: 'Task' }, summary, ...fields } as any });
}
