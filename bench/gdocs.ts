/**
 * The Google Docs twin's document model, in process through twin.handle(): a batchUpdate of 100 insertText requests
 * and a documents.get, on a 1 MB document and, as the baseline measured in the same run, on a 1 KB one. An edit
 * should cost in proportion to the edit (the 1 MB batch within about twice the 1 KB one); a read of the whole
 * document in proportion to the document, measured against JSON.stringify of the body it returns. Also printed: the
 * bytes one batch appends to a data file's change log (`--data`), against the size of the document it edits.
 * Run alone with `node --expose-gc dist/bench/gdocs.js` after compiling bench/.
 */
import { fileURLToPath } from 'node:url';
import type { StateChange, StatePersistence } from '../src/index.js';
import { applyBatch } from '../twins/gdocs/model/batch-update.js';
import { renderDocument } from '../twins/gdocs/model/render.js';
import type { Ctx } from '../twins/gdocs/types.js';
import { createGdocsTwin, type GdocsState, type Twin, type TwinRequest } from '../twins/index.js';
import { fmtBytes, fmtFixed, fmtInt, fmtRatio, percentile, sortedCopy, table } from './stats.js';

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

/** A request through twin.handle(); the answer's body, unparsed (parsing a 3 MB answer is the client's cost, not the twin's). */
async function sendRaw(twin: Twin<GdocsState>, method: string, path: string, body?: unknown): Promise<string> {
  const request: TwinRequest = { method, url: BASE + path, headers: { ...AUTH }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
  const res = await twin.handle(request);
  if (res.status !== 200) throw new Error(`${method} ${path} answered ${res.status}: ${res.body?.slice(0, 300)}`);
  return res.body!;
}

const send = async (twin: Twin<GdocsState>, method: string, path: string, body?: unknown): Promise<any> => JSON.parse(await sendRaw(twin, method, path, body));

/** A document of about `bytes` of text, in paragraphs of ~100 characters, inserted by one batchUpdate. */
async function documentOf(bytes: number, persist?: StatePersistence): Promise<Doc> {
  const twin = createGdocsTwin({ clock: '2026-01-01T00:00:00.000Z', persist });
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
 * await gdocsSection('11');
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
  for (const doc of docs) gets.push(await timeMs(GET_SAMPLES, () => sendRaw(doc.twin, 'GET', `/v1/documents/${doc.id}`)));
  rows.push(['documents.get (the answer not parsed)', ...cells(gets)]);
  // The floor for a read of the whole document: serializing the body documents.get returns, and nothing else.
  const bodies = docs.map((doc) => renderDocument(doc.twin.state.documents[doc.id], { includeTabsContent: false, suggestionsViewMode: 'SUGGESTIONS_INLINE' }));
  const stringified = [];
  for (const body of bodies) stringified.push(await timeMs(GET_SAMPLES, async () => JSON.stringify(body)));
  rows.push(['  JSON.stringify of the body it returns, alone', ...cells(stringified)]);
  console.log(table(rows));
  const paragraphs = docs.map((d) => fmtInt((d.end - 2) / PARAGRAPH.length)).join(' and ');
  const pieces = docs.map((d) => fmtInt(d.twin.state.documents[d.id].body.pieces.length)).join(' and ');
  console.log(`   ${paragraphs} paragraphs in ${pieces} pieces; a batch copies the pieces it edits and shares the rest with the stored document, which is frozen, so a rollback puts the old one back without a copy`);
  console.log(`   documents.get of 1 MB ÷ JSON.stringify of its ${fmtBytes(Buffer.byteLength(JSON.stringify(bodies[1])))} body: ${fmtRatio(gets[1].p50 / stringified[1].p50)} (p50)`);
  // One batch on a 1 MB document kept in a data file: what its change-log line would hold.
  let appended = 0;
  const persist: StatePersistence = {
    append: async (twin: string, changes: StateChange[]) => void (appended = Buffer.byteLength(JSON.stringify({ twin, changes }))),
    replace: async () => undefined,
  };
  const kept = await documentOf(SIZES[1], persist);
  await send(kept.twin, 'POST', `/v1/documents/${kept.id}:batchUpdate`, batch(kept));
  console.log(`   with --data, a batch of ${BATCH_REQUESTS} insertText on 1 MB appends ${fmtBytes(appended)} to the change log (the document is ${fmtBytes(Buffer.byteLength(JSON.stringify(kept.twin.state.documents[kept.id])))} as stored)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await gdocsSection('11');
