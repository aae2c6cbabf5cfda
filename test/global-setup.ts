/**
 * Runs once per test run. On PostgreSQL (DATABASE_URL set): one new database for the run, migrated,
 * dropped at the end. On PGlite: one migrated database dumped to a file that every test file
 * loads into its own fresh in-memory copy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { fromPglite, fromPostgresUrl } from '../src/db/database.ts';
import { openPgliteMemory } from '../src/db/pglite.ts';
import { migrate } from '../src/db/migrator.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string | null;
    pgliteDump: string | null;
  }
}

export default async function setup(project: TestProject) {
  const base = process.env.DATABASE_URL;
  if (base) {
    const name = `guichet_test_${Date.now()}_${process.pid}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    const db = fromPostgresUrl(url.toString(), 2);
    await migrate(db);
    await db.close();
    project.provide('databaseUrl', url.toString());
    project.provide('pgliteDump', null);
    return async () => {
      const drop = new pg.Client({ connectionString: base });
      await drop.connect();
      await drop.query(`drop database if exists ${name} with (force)`);
      await drop.end();
    };
  }
  const pglite = await openPgliteMemory();
  const db = fromPglite(pglite);
  await migrate(db);
  const dump = await pglite.dumpDataDir('none');
  await db.close();
  await pglite.close();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-test-')), 'migrated.tar');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('databaseUrl', null);
  project.provide('pgliteDump', file);
  return async () => {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  };
}
