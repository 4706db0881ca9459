import { constants } from 'node:fs';
import { access, appendFile, readFile, rm, stat, truncate } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { IdState } from './ids.js';
import type { StatePersistence } from './persistence.js';
import type { TwinExport } from './store.js';
import type { StateChange } from './transaction.js';

interface DataFileContent {
  twinverse: 1;
  twins: Record<string, TwinExport>;
}

/** One line of the change log: a write's changes to one twin, and its id position after them. */
interface LogLine {
  twin: string;
  changes: StateChange[];
  ids: IdState;
}

/**
 * The state of one or more twins kept between runs (`twinverse serve --data file`): a JSON snapshot, written
 * atomically (lowdb writes a temporary file and renames it over the old one), and beside it a log of the changes
 * made since (`file.log`, one JSON line per write), so that a write costs what it changed, not the whole state.
 * Writes that arrive while one is being written go out together in the next append (group commit); each is
 * acknowledged once its line is written, which is what survives the process being killed. The log is folded into
 * the snapshot when it outgrows it.
 *
 * @example
 * const data = await openDataFile('state.json');
 * const twin = createTwin(exampleTwin, { persist: data });
 * const saved = data.load('example');
 * if (saved) twin.importState(saved);
 * await data.track('example', () => twin.exportState());
 */
export interface DataFile extends StatePersistence {
  readonly path: string;
  /** The saved state of a twin, if the file has one (the snapshot with the log's changes applied). */
  load(twin: string): TwinExport | undefined;
  /** How to read a twin's current state when the log is folded into the snapshot; a twin new to the file is saved whole. */
  track(twin: string, exportState: () => TwinExport): Promise<void>;
}

/** The log is folded into the snapshot once it is larger than this share of the snapshot (and at least 1 MiB). */
const COMPACT_MIN_BYTES = 1024 * 1024;

/**
 * Opens (without creating) a data file. A file that exists but cannot be read, is not JSON, or is not a
 * twinverse data file is refused with an error, and never overwritten; so is a folder that is missing or
 * not writable. A temporary file left by a killed write is removed; a log line cut short by a kill (a write
 * never acknowledged) is dropped.
 */
export async function openDataFile(path: string): Promise<DataFile> {
  const refuse = (why: string) => new Error(`[twinverse] data file ${path}: ${why}; refusing to use it, so it is left as it is (move it away or fix it)`);
  const folder = dirname(path);
  try {
    if (!(await stat(folder)).isDirectory()) throw new Error(`${folder} is not a folder`);
    await access(folder, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? `the folder ${folder} does not exist` : code === 'EACCES' ? `the folder ${folder} is not writable` : (error as Error).message;
    throw new Error(`[twinverse] data file ${path}: ${why}; create it or choose another path`);
  }
  await rm(join(folder, `.${basename(path)}.tmp`), { force: true });

  const db = new Low<DataFileContent>(new JSONFile<DataFileContent>(path), { twinverse: 1, twins: {} });
  let size = 0;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw refuse((error as Error).message);
  }
  if (size > 0) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw refuse((error as Error).message);
    }
    let content: Partial<DataFileContent> | null;
    try {
      content = JSON.parse(text);
    } catch (error) {
      throw refuse(`not valid JSON (${(error as Error).message})`);
    }
    if (!content || typeof content !== 'object' || content.twinverse !== 1 || typeof content.twins !== 'object' || content.twins === null || Array.isArray(content.twins)) {
      throw refuse('not a twinverse data file (expected { "twinverse": 1, "twins": { ... } })');
    }
    db.data = content as DataFileContent;
  }

  const logPath = `${path}.log`;
  await replayLog(logPath, db.data, refuse);

  const exporters = new Map<string, () => TwinExport>();
  type Task = { line: string; done: (error?: Error) => void } | { replace: TwinExport; done: (error?: Error) => void };
  let queue: Task[] = [];
  let writing: Promise<void> | undefined;
  let logBytes = 0;
  try {
    logBytes = (await stat(logPath)).size;
  } catch {
    logBytes = 0;
  }
  let snapshotBytes = size;

  // The snapshot is rewritten whole, then the log emptied: a kill in between replays changes already in the
  // snapshot, which sets the same values again.
  const compact = async () => {
    for (const [twin, exportState] of exporters) db.data.twins[twin] = exportState();
    await db.write();
    snapshotBytes = (await stat(path)).size;
    await truncate(logPath, 0).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    logBytes = 0;
  };

  // Everything is written by this one loop, in order: the lines queued while the last write ran go out in one
  // append; a whole-state save, and a fold of an outgrown log, happen between appends.
  const drain = async () => {
    while (queue.length) {
      const first = queue[0];
      if ('replace' in first) {
        queue.shift();
        db.data.twins[first.replace.twin] = first.replace;
        await compact().then(() => first.done(), (error: Error) => first.done(error));
        continue;
      }
      const cut = queue.findIndex((task) => 'replace' in task);
      const batch = (cut < 0 ? queue.splice(0) : queue.splice(0, cut)) as { line: string; done: (error?: Error) => void }[];
      const text = batch.map((b) => b.line).join('');
      try {
        await appendFile(logPath, text);
        logBytes += Buffer.byteLength(text);
        for (const b of batch) b.done();
      } catch (error) {
        for (const b of batch) b.done(error as Error);
      }
      if (logBytes > Math.max(COMPACT_MIN_BYTES, snapshotBytes)) await compact().catch(() => undefined);
    }
    writing = undefined;
  };
  const enqueue = (task: Omit<Task, 'done'>) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ ...task, done: (error?: Error) => (error ? reject(error) : resolve()) } as Task);
      writing ??= drain();
    });

  return {
    path,
    load: (twin) => (Object.hasOwn(db.data.twins, twin) ? db.data.twins[twin] : undefined),
    async track(twin, exportState) {
      exporters.set(twin, exportState);
      // The log holds changes to a snapshot: a twin the file has none of gets its starting state written first.
      if (!Object.hasOwn(db.data.twins, twin)) await enqueue({ replace: exportState() });
    },
    append(twin, changes, ids) {
      const line: LogLine = { twin, changes, ids };
      return enqueue({ line: JSON.stringify(line) + '\n' });
    },
    replace(doc) {
      return enqueue({ replace: doc });
    },
  };
}

/**
 * Applies the change log to the loaded snapshot. A last line without its newline was cut short by a kill before it
 * was acknowledged: it is dropped, and cut from the file so that later appends start on a line of their own.
 */
async function replayLog(logPath: string, data: DataFileContent, refuse: (why: string) => Error): Promise<void> {
  let text: string;
  try {
    text = await readFile(logPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw refuse(`its change log ${logPath}: ${(error as Error).message}`);
  }
  const complete = text.lastIndexOf('\n') + 1;
  const lines = text.slice(0, complete).split('\n').filter(Boolean);
  for (const [i, raw] of lines.entries()) {
    let line: LogLine;
    try {
      line = JSON.parse(raw);
    } catch {
      throw refuse(`line ${i + 1} of its change log ${logPath} is not JSON`);
    }
    const doc = Object.hasOwn(data.twins, line.twin) ? data.twins[line.twin] : undefined;
    if (!doc || !Array.isArray(line.changes)) continue;
    for (const change of line.changes) applyChange(doc.state as Record<string, unknown>, change);
    doc.ids = line.ids;
  }
  if (complete < Buffer.byteLength(text)) await truncate(logPath, Buffer.byteLength(text.slice(0, complete)));
}

/** Sets (or deletes) the value at a change's path; a path whose parent is gone is skipped. */
function applyChange(state: Record<string, unknown>, change: StateChange): void {
  let node: unknown = state;
  for (const part of change.path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = (node as Record<string, unknown>)[part];
  }
  if (node === null || typeof node !== 'object') return;
  const last = change.path[change.path.length - 1];
  if (change.deleted) delete (node as Record<string, unknown>)[last];
  else if (Array.isArray(node)) (node as unknown as Record<string, unknown>)[last] = change.value;
  // A key spelled __proto__ is data here, as it is in the twin's state.
  else Object.defineProperty(node, last, { value: change.value, enumerable: true, writable: true, configurable: true });
}
