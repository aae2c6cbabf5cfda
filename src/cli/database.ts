/** Commands that work on the database: open it (taking the data folder's lock), migrate, run, close. */
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { migrate, type Migration } from '../db/migrator.ts';
import { openDatabase } from '../server.ts';

export async function withDatabase<T>(
  config: Config,
  fn: (db: Database, applied: Migration[]) => Promise<T>,
): Promise<T> {
  const db = await openDatabase(config);
  try {
    const applied = await migrate(db);
    return await fn(db, applied);
  } finally {
    await db.close();
  }
}
