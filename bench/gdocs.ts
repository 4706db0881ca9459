/**
 * The Google Docs twin's document model, in process through twin.handle(): a batchUpdate of 100 insertText requests
 * and a documents.get, on a 1 MB document and, as the baseline measured in the same run, on a 1 KB one. An edit
 * should cost in proportion to the edit; a read of the whole document in proportion to the document.
 * Run alone with `node dist/bench/gdocs.js` after compiling bench/.
 */
import { fileURLToPath } from 'node:url';
import { applyBatch } from '../twins/gdocs/model/batch-update.js';
import type { Ctx } from '../twins/gdocs/types.js';
import { createGdocsTwin, type GdocsState, type Twin, type TwinRequest } from '../twins/index.js';
import { fmtFixed, fmtInt, fmtRatio, percentile, sortedCopy, table } from './stats.js';

const BASE = 'https://docs.googleapis.com';
const AUTH = { authorization: 'Bearer twin-google-token', accept: 'application/json', 'content-type': 'application/json' };
const PARAGRAPH = 'The quick brown fox jumps over the lazy dog, and the twin counts every UTF-16 unit of it: 😀 ✓.\n';
const SIZES = [1024, 1024 * 1024];
const BATCH_REQUESTS = 100;
const BATCH_SAMPLES = 60;
const GET_SAMPLES = 40;
const WARMUP = 5;

interface Doc {
  twin: Twin<GdocsState>;
  id: string;
  /** The body's end index when the document was made (it only grows). */
  end: number;
}

async function send(twin: Twin<GdocsState>, method: string, path: string, body?: unknown): Promise<any> {
  const request: TwinRequest = { method, url: BASE + path, headers: { ...AUTH }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
  const res = await twin.handle(request);
  if (res.status !== 200) throw new Error(`${method} ${path} answered ${res.status}: ${res.body?.slice(0, 300)}`);
  return JSON.parse(res.body!);
}

/** A document of about `bytes` of text, in paragraphs of ~100 characters, inserted by one batchUpdate. */
async function documentOf(bytes: number): Promise<Doc> {
  const twin = createGdocsTwin({ clock: '2026-01-01T00:00:00.000Z' });
  const { documentId } = await send(twin, 'POST', '/v1/documents', { title: `${bytes} bytes` });
  const text = PARAGRAPH.repeat(Math.max(1, Math.round(bytes / Buffer.byteLength(PARAGRAPH))));
  await send(twin, 'POST', `/v1/documents/${documentId}:batchUpdate`, { requests: [{ insertText: { location: { index: 1 }, text } }] });
  return { twin, id: documentId, end: 2 + text.length };
}

/** 100 one-character inserts spread evenly over the document. */
const batch = (doc: Doc) => ({ requests: Array.from({ length: BATCH_REQUESTS }, (_, k) => ({ insertText: { location: { index: 1 + Math.floor((k * (doc.end - 2)) / BATCH_REQUESTS) }, text: 'x' } })) });

async function timeMs(samples: number, run: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < WARMUP; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const sorted = sortedCopy(times);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/**
 * Prints the Docs section: batchUpdate and documents.get at 1 KB and 1 MB, p50 and p99 in ms, and the 1 MB ÷ 1 KB ratios.
 *
 * @example
 * await gdocsSection('10');
 */
export async function gdocsSection(number: string): Promise<void> {
  console.log(`${number}  Google Docs documents in process through twin.handle(): ${BATCH_SAMPLES} batchUpdates of ${BATCH_REQUESTS} insertText and ${GET_SAMPLES} documents.get, after ${WARMUP} warm-up, at 1 KB and 1 MB of text`);
  const docs = [];
  for (const size of SIZES) docs.push(await documentOf(size));
  const rows = [['', ...SIZES.map((s) => (s >= 1024 * 1024 ? '1 MB p50 / p99 ms' : '1 KB p50 / p99 ms')), '1 MB ÷ 1 KB (p50)']];
  const cells = (results: { p50: number; p99: number }[]) => [...results.map((r) => `${fmtFixed(r.p50, 2)} / ${fmtFixed(r.p99, 2)}`), fmtRatio(results[1].p50 / results[0].p50)];
  const batches = [];
  for (const doc of docs) batches.push(await timeMs(BATCH_SAMPLES, () => send(doc.twin, 'POST', `/v1/documents/${doc.id}:batchUpdate`, batch(doc))));
  rows.push([`batchUpdate, ${BATCH_REQUESTS} insertText`, ...cells(batches)]);
  // The document model alone, on the stored document outside any request: what the engine adds around it is the difference.
  const ids = { token: (n: number) => 'b'.repeat(n), sequence: () => 0 } as unknown as Ctx['ids'];
  const models = [];
  for (const doc of docs) models.push(await timeMs(BATCH_SAMPLES, async () => applyBatch({ ids } as Ctx, doc.twin.state.documents[doc.id], batch(doc).requests)));
  rows.push([`  the model alone (applyBatch, no engine)`, ...cells(models)]);
  const gets = [];
  for (const doc of docs) gets.push(await timeMs(GET_SAMPLES, () => send(doc.twin, 'GET', `/v1/documents/${doc.id}`)));
  rows.push(['documents.get', ...cells(gets)]);
  console.log(table(rows));
  const paragraphs = docs.map((d) => fmtInt((d.end - 2) / PARAGRAPH.length)).join(' and ');
  console.log(`   ${paragraphs} paragraphs; a batch is applied to a copy of the body's block list (copy-on-write blocks), so a failed one leaves the document as it was`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await gdocsSection('10');
