import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openTestDatabase } from '../../test/harness.ts';
import { listMigrations, migrate } from './migrator.ts';
import type { Database } from './database.ts';

let db: Database;
let dir: string;
const suffix = crypto.randomBytes(4).toString('hex');
const base = 9000 + Math.floor(Math.random() * 900) * 1;

beforeAll(async () => {
  db = await openTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-migrations-'));
});
afterAll(async () => {
  await sql.raw(`drop table if exists m_${suffix}`).execute(db.owner);
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(version: number, name: string, body: string) {
  fs.writeFileSync(path.join(dir, `${String(version).padStart(4, '0')}_${name}.sql`), body);
}

describe('migrator', () => {
  it('applies the real migrations, in order, and they are already applied in the test database', async () => {
    const real = listMigrations();
    expect(real.map((m) => m.version)).toEqual([...real.map((m) => m.version)].sort((x, y) => x - y));
    expect(real[0]?.name).toBe('platform');
    expect(await migrate(db)).toEqual([]);
  });

  it('applies new files once, even when two migrators run at the same time', async () => {
    write(base, `create_${suffix}`, `create table m_${suffix} (id int primary key);`);
    write(base + 1, `fill_${suffix}`, `insert into m_${suffix} values (1);`);
    const files = listMigrations(dir);
    const [first, second] = await Promise.all([migrate(db, files), migrate(db, files)]);
    expect([...first, ...second].map((m) => m.version).sort()).toEqual([base, base + 1]);
    expect(await migrate(db, files)).toEqual([]);
    const rows = await sql.raw<{ id: number }>(`select id from m_${suffix}`).execute(db.owner);
    expect(rows.rows).toEqual([{ id: 1 }]);
  });

  it('rolls a failing migration back whole and does not record it', async () => {
    write(base + 2, `broken_${suffix}`, `insert into m_${suffix} values (2); select no_such_function();`);
    await expect(migrate(db, listMigrations(dir))).rejects.toThrow(/no_such_function/);
    const rows = await sql.raw<{ id: number }>(`select id from m_${suffix} order by id`).execute(db.owner);
    expect(rows.rows).toEqual([{ id: 1 }]);
    const recorded = await sql<{ n: number }>`select count(*)::int as n from schema_migrations where version = ${base + 2}`.execute(db.owner);
    expect(recorded.rows[0]?.n).toBe(0);
    fs.rmSync(path.join(dir, `${base + 2}_broken_${suffix}.sql`));
  });

  it('refuses badly named or duplicate migration files', () => {
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-bad-'));
    fs.writeFileSync(path.join(bad, 'create-things.sql'), 'select 1');
    expect(() => listMigrations(bad)).toThrow(/0001_name\.sql/);
    fs.rmSync(path.join(bad, 'create-things.sql'));
    fs.writeFileSync(path.join(bad, '0001_a.sql'), 'select 1');
    fs.writeFileSync(path.join(bad, '0001_b.sql'), 'select 1');
    expect(() => listMigrations(bad)).toThrow(/share the number 0001/);
    fs.rmSync(bad, { recursive: true, force: true });
  });
});
