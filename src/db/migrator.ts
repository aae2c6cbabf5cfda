/** Runs the numbered SQL files of src/db/migrations, each in its own transaction, once. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './database.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const seen = new Set<number>();
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file) => {
      const match = FILE_PATTERN.exec(file);
      if (!match) throw new Error(`Migration file name must look like 0001_name.sql: ${file}`);
      const version = Number(match[1]);
      if (seen.has(version)) throw new Error(`Two migrations share the number ${match[1]}`);
      seen.add(version);
      return { version, name: match[2]!, sql: fs.readFileSync(path.join(dir, file), 'utf8') };
    });
}

/** Applies pending migrations; returns the ones applied. Safe to call from several processes at once. */
export async function migrate(db: Database, migrations = listMigrations()): Promise<Migration[]> {
  const applied: Migration[] = [];
  await db.owner.connection().execute(async (conn) => {
    // One migrator at a time across processes sharing a PostgreSQL database.
    await sql`select pg_advisory_lock(7426512)`.execute(conn);
    try {
      await sql`create table if not exists schema_migrations (
        version integer primary key,
        name text not null,
        applied_at timestamptz not null default now()
      )`.execute(conn);
      const done = new Set(
        (await sql<{ version: number }>`select version from schema_migrations`.execute(conn)).rows.map((r) => r.version),
      );
      for (const m of migrations) {
        if (done.has(m.version)) continue;
        await conn.transaction().execute(async (trx) => {
          await sql.raw(m.sql).execute(trx);
          await sql`insert into schema_migrations (version, name) values (${m.version}, ${m.name})`.execute(trx);
        });
        applied.push(m);
      }
    } finally {
      await sql`select pg_advisory_unlock(7426512)`.execute(conn);
    }
  });
  return applied;
}
