import { stat } from 'node:fs/promises';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { TwinExport } from './store.js';

interface DataFileContent {
  twinverse: 1;
  twins: Record<string, TwinExport>;
}

/**
 * A JSON file that keeps the state of one or more twins between runs (`twinverse serve --data file`),
 * written atomically (lowdb writes a temporary file and renames it over the old one).
 *
 * @example
 * const data = await openDataFile('state.json');
 * twin.importState(data.load('example') ?? twin.exportState());
 * await data.save(twin.exportState());
 */
export interface DataFile {
  readonly path: string;
  /** The saved state of a twin, if the file has one. */
  load(twin: string): TwinExport | undefined;
  save(doc: TwinExport): Promise<void>;
}

/**
 * Opens (without creating) a data file. A file that exists but cannot be read, is not JSON, or is not a
 * twinverse data file is refused with an error, and never overwritten.
 */
export async function openDataFile(path: string): Promise<DataFile> {
  const refuse = (why: string) => new Error(`[twinverse] data file ${path}: ${why}; refusing to use it, so it is left as it is (move it away or fix it)`);
  const db = new Low<DataFileContent>(new JSONFile<DataFileContent>(path), { twinverse: 1, twins: {} });
  let size = 0;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw refuse((error as Error).message);
  }
  if (size > 0) {
    try {
      await db.read();
    } catch (error) {
      throw refuse(error instanceof SyntaxError ? `not valid JSON (${error.message})` : (error as Error).message);
    }
    const content = db.data as Partial<DataFileContent> | null;
    if (!content || content.twinverse !== 1 || typeof content.twins !== 'object' || content.twins === null) {
      throw refuse('not a twinverse data file (expected { "twinverse": 1, "twins": { ... } })');
    }
  }
  return {
    path,
    load: (twin) => db.data.twins[twin],
    async save(doc) {
      db.data.twins[doc.twin] = doc;
      await db.write();
    },
  };
}
