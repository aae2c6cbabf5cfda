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

const OWNER = 'guichet_test_owner';

export default async function setup(project: TestProject) {
  const base = process.env.DATABASE_URL;
  if (base) {
    const name = `guichet_test_${Date.now()}_${process.pid}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    // Like production: the application connects as a login role that owns the tables but is not a
    // superuser, so the forced row-level policies apply even if code switched back to it.
    for (const statement of [
      `create role ${OWNER} login nosuperuser createrole`,
      'create role guichet_app nologin noinherit',
    ]) {
      await admin.query(statement).catch((err: { code?: string }) => {
        if (err.code !== '42710') throw err; // duplicate_object: made by an earlier run
      });
    }
    await admin.query(`grant guichet_app to ${OWNER} with admin option`);
    await admin.query(`create database ${name} owner ${OWNER}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    url.username = OWNER;
    url.password = '';
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
