/** The embedded database: PGlite in a data folder, locked so that only one process opens it. */
import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';

export const pgliteExtensions = { pg_trgm, unaccent, btree_gist } as const;

export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `The data folder ${dataDir} is already in use by another Guichet process. ` +
        'Stop that process first, or set GUICHET_DATA_DIR to another folder. ' +
        '(The embedded database can only be opened by one process at a time; use PostgreSQL to run several.)',
    );
    this.name = 'DataDirLockedError';
  }
}

export interface OpenedPglite {
  pglite: PGlite;
  release(): Promise<void>;
}

/** Opens (and creates if needed) the PGlite database in `dataDir`, holding a lock on the folder. */
export async function openPgliteFolder(dataDir: string): Promise<OpenedPglite> {
  fs.mkdirSync(dataDir, { recursive: true });
  let unlock: () => Promise<void>;
  try {
    unlock = await lockfile.lock(dataDir, {
      lockfilePath: path.join(dataDir, '.guichet.lock'),
      stale: 15_000,
      update: 5_000,
      realpath: false,
      onCompromised: (err) => {
        // Another process took the folder: stop writing rather than corrupt it.
        console.error(`Lost the lock on ${dataDir}: ${err.message}`);
        process.exit(70);
      },
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') throw new DataDirLockedError(dataDir);
    throw err;
  }
  try {
    const pglite = await PGlite.create(path.join(dataDir, 'pgdata'), { extensions: pgliteExtensions });
    return {
      pglite,
      async release() {
        await pglite.close();
        await unlock();
      },
    };
  } catch (err) {
    await unlock();
    throw err;
  }
}

/** An in-memory PGlite, optionally loaded from a dump (tests clone a migrated database this way). */
export async function openPgliteMemory(loadDataDir?: Blob): Promise<PGlite> {
  const options: PGliteOptions = { extensions: pgliteExtensions };
  if (loadDataDir) options.loadDataDir = loadDataDir;
  return PGlite.create(options);
}
