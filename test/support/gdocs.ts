import { auth, docs, type docs_v1 } from '@googleapis/docs';
import { drive, type drive_v3 } from '@googleapis/drive';
import { expect } from 'vitest';
import { createGdocsTwin, type GdocsState } from '../../twins/index.js';
import { describeTwin, TEST_CLOCK, type TwinTarget } from './describe-twin.js';

export { TEST_CLOCK };
/** The host the official clients call by default; MSW answers it in process. Drive's calls go to the same base URL as rootUrl. */
export const MSW_BASE_URL = 'https://docs.googleapis.com';
export const TOKEN = 'twin-google-token';
export const DOCUMENT_MIME_TYPE = 'application/vnd.google-apps.document';

/** Options of the official clients a test may change: another token, the retry configuration. */
export interface ClientOptions {
  token?: string;
  retryConfig?: Record<string, unknown>;
}

/** What a test body sees of the Google Docs twin, whichever transport serves it. */
export interface GdocsTarget extends TwinTarget<GdocsState> {
  /** The official Docs client (@googleapis/docs), its rootUrl the twin, authorized with the seed's token, retrying at once. */
  readonly docs: docs_v1.Docs;
  /** The official Drive client (@googleapis/drive), the same way. */
  readonly drive: drive_v3.Drive;
  /** Clients with other options. */
  makeClients(options?: ClientOptions): { docs: docs_v1.Docs; drive: drive_v3.Drive };
}

/**
 * Runs one test body over every transport (describeTwin) with the official Docs and Drive clients at hand. Each test
 * starts from the default seed (no documents) on a fixed clock, in strict mode. The clients retry as they ship, but
 * without waiting between tries (their own retryBackoff hook), so that tests never sleep.
 */
export function describeGdocs(title: string, body: (t: GdocsTarget) => void): void {
  describeTwin(
    title,
    {
      create: () => createGdocsTwin({ strict: true, clock: TEST_CLOCK }),
      mswBaseUrl: MSW_BASE_URL,
      defaultHeaders: { accept: 'application/json', authorization: `Bearer ${TOKEN}` },
    },
    (target) => {
      const makeClients = (options: ClientOptions = {}) => {
        const client = new auth.OAuth2();
        client.setCredentials({ access_token: options.token ?? TOKEN });
        const common = { rootUrl: target.baseUrl + '/', auth: client, retryConfig: { retryBackoff: () => Promise.resolve(), ...options.retryConfig } };
        return { docs: docs({ version: 'v1', ...common }), drive: drive({ version: 'v3', ...common }) };
      };
      let clients: { docs: docs_v1.Docs; drive: drive_v3.Drive } | undefined;
      let clientsFor = '';
      const current = () => {
        if (!clients || clientsFor !== target.baseUrl) {
          clients = makeClients();
          clientsFor = target.baseUrl;
        }
        return clients;
      };
      const gdocsTarget = Object.setPrototypeOf(
        {
          makeClients,
          get docs() {
            return current().docs;
          },
          get drive() {
            return current().drive;
          },
        },
        target,
      ) as GdocsTarget;
      body(gdocsTarget);
    },
  );
}

/** Google's error envelope as a client error or a raw response carries it. */
export interface GoogleErrorBody {
  code: number;
  message: string;
  status: string;
  errors: { message: string; domain: string; reason: string; location?: string; locationType?: string }[];
}

/** The GaxiosError an official client call must throw: its HTTP status, Google's envelope and the response headers. */
export async function clientError(call: Promise<unknown>): Promise<{ status: number; error: GoogleErrorBody; headers: Record<string, string> }> {
  try {
    await call;
  } catch (error: any) {
    if (!error?.response) throw error;
    const data = typeof error.response.data === 'string' ? JSON.parse(error.response.data) : error.response.data;
    const headers: Record<string, string> = {};
    const raw = error.response.headers;
    if (raw && typeof raw.forEach === 'function') raw.forEach((value: string, key: string) => (headers[key] = value));
    else Object.assign(headers, raw);
    return { status: error.response.status, error: data.error, headers };
  }
  throw new Error('the call was expected to fail');
}

/** Asserts a raw response failed with `status` and returns Google's envelope. */
export async function refused(response: Response, status = 400): Promise<GoogleErrorBody> {
  expect(response.status).toBe(status);
  return ((await response.json()) as { error: GoogleErrorBody }).error;
}

/** A raw batchUpdate of `requests` (and writeControl), as JSON. */
export function batchUpdate(t: GdocsTarget, documentId: string, requests: unknown[], writeControl?: unknown): Promise<Response> {
  return t.fetch(`/v1/documents/${documentId}:batchUpdate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ requests, ...(writeControl ? { writeControl } : {}) }) });
}

/** A new document through the official client, with `text` inserted at index 1 when given; returns its id. */
export async function newDocument(t: GdocsTarget, title = 'Notes', text?: string): Promise<string> {
  const { data } = await t.docs.documents.create({ requestBody: { title } });
  if (text) await t.docs.documents.batchUpdate({ documentId: data.documentId!, requestBody: { requests: [{ insertText: { location: { index: 1 }, text } }] } });
  return data.documentId!;
}

/** The body's text, read back through the official client (every run of every paragraph, table cells included). */
export async function bodyText(t: GdocsTarget, documentId: string): Promise<string> {
  const { data } = await t.docs.documents.get({ documentId });
  return textOf(data.body?.content ?? []);
}

/** The text of structural elements, in order. */
export function textOf(content: docs_v1.Schema$StructuralElement[]): string {
  return content
    .map((e) => (e.paragraph ? (e.paragraph.elements ?? []).map((x) => x.textRun?.content ?? '').join('') : e.table ? (e.table.tableRows ?? []).map((r) => (r.tableCells ?? []).map((c) => textOf(c.content ?? [])).join('')).join('') : ''))
    .join('');
}
