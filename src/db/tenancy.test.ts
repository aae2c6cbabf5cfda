/**
 * The second wall: row-level security keeps towns apart even when code forgets a tenant_id filter.
 * Runs on PGlite and, with DATABASE_URL, on PostgreSQL.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'kysely';
import { createTestTown, openTestDatabase, type TestTown } from '../../test/harness.ts';
import { fromPostgresUrl, NestedTransactionError, type Database } from './database.ts';

let db: Database;
const db_engine = () => (process.env.DATABASE_URL ? 'postgres' : 'pglite');
let a: TestTown;
let b: TestTown;

beforeAll(async () => {
  db = await openTestDatabase();
  a = await createTestTown(db, 'A');
  b = await createTestTown(db, 'B');
  for (const town of [a, b]) {
    await db.withTenant(town.tenant.id, (trx) =>
      trx
        .insertInto('staff_users')
        .values({ tenant_id: town.tenant.id, email: `clerk@${town.host}`, name: `Clerk ${town.tenant.slug}`, role: 'agent' })
        .execute(),
    );
  }
});
afterAll(() => db.close());

describe('row-level security', () => {
  it('runs as a role that is neither superuser nor table owner', async () => {
    const row = await db.withTenant(a.tenant.id, async (trx) =>
      (await sql<{ user: string; superuser: boolean; bypass: boolean }>`
        select current_user as user, rolsuper as superuser, rolbypassrls as bypass from pg_roles where rolname = current_user
      `.execute(trx)).rows[0],
    );
    expect(row).toEqual({ user: 'guichet_app', superuser: false, bypass: false });
  });

  it('shows nothing town-owned when no town is set', async () => {
    const rows = await db.withoutTenant((trx) => trx.selectFrom('staff_users').selectAll().execute());
    expect(rows).toEqual([]);
  });

  it('returns only the current town rows from a query that forgot the tenant_id filter', async () => {
    const rows = await db.withTenant(a.tenant.id, (trx) => trx.selectFrom('staff_users').select(['tenant_id', 'email']).execute());
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.tenant_id === a.tenant.id)).toBe(true);
    expect(rows.map((r) => r.email)).not.toContain(`clerk@${b.host}`);
  });

  it('cannot read another town rows even when asking for them by tenant_id', async () => {
    const rows = await db.withTenant(a.tenant.id, (trx) =>
      trx.selectFrom('staff_users').selectAll().where('tenant_id', '=', b.tenant.id).execute(),
    );
    expect(rows).toEqual([]);
  });

  it('cannot write a row into another town', async () => {
    await expect(
      db.withTenant(a.tenant.id, (trx) =>
        trx.insertInto('staff_users').values({ tenant_id: b.tenant.id, email: 'intruder@x.test', name: 'X', role: 'admin' }).execute(),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('cannot change or delete another town rows', async () => {
    const updated = await db.withTenant(a.tenant.id, (trx) =>
      trx.updateTable('staff_users').set({ role: 'admin' }).where('tenant_id', '=', b.tenant.id).executeTakeFirst(),
    );
    expect(Number(updated.numUpdatedRows)).toBe(0);
    const deleted = await db.withTenant(a.tenant.id, (trx) => trx.deleteFrom('staff_users').executeTakeFirst());
    expect(Number(deleted.numDeletedRows)).toBeGreaterThan(0);
    // Town B's clerk is still there: the unfiltered delete only reached town A.
    const left = await db.withTenant(b.tenant.id, (trx) => trx.selectFrom('staff_users').select('email').execute());
    expect(left.map((r) => r.email)).toContain(`clerk@${b.host}`);
  });

  it('cannot change the list of towns or their host names', async () => {
    await expect(db.withTenant(a.tenant.id, (trx) => trx.updateTable('tenants').set({ slug: 'taken' }).execute())).rejects.toThrow(
      /permission denied/,
    );
    await expect(
      db.withTenant(a.tenant.id, (trx) => trx.insertInto('tenant_hosts').values({ host: 'evil.test', tenant_id: a.tenant.id }).execute()),
    ).rejects.toThrow(/permission denied/);
  });

  it('keeps the audit trail append-only', async () => {
    await db.withTenant(a.tenant.id, (trx) =>
      trx.insertInto('audit_events').values({ tenant_id: a.tenant.id, actor_kind: 'system', action: 'staff.created' }).execute(),
    );
    await expect(db.withTenant(a.tenant.id, (trx) => trx.updateTable('audit_events').set({ action: 'x' }).execute())).rejects.toThrow(
      /permission denied/,
    );
    await expect(db.withTenant(a.tenant.id, (trx) => trx.deleteFrom('audit_events').execute())).rejects.toThrow(/permission denied/);
  });

  // PGlite is one embedded session that starts as its superuser, so switching roles back is
  // possible there; on PostgreSQL the application logs in as a non-superuser owner (as in production).
  it.runIf(db_engine() === 'postgres')('keeps towns apart even if code switches back to the login role', async () => {
    await expect(db.withTenant(a.tenant.id, (trx) => sql`set role postgres`.execute(trx))).rejects.toThrow(/permission denied/);
    const rows = await db.withTenant(a.tenant.id, async (trx) => {
      await sql`reset role`.execute(trx);
      return trx.selectFrom('staff_users').select('tenant_id').execute();
    });
    expect(rows.every((r) => r.tenant_id === a.tenant.id)).toBe(true);
  });
});

describe('transaction handle', () => {
  it('fails at once, instead of deadlocking, when code opens a transaction inside another', async () => {
    await expect(
      // eslint-disable-next-line no-restricted-syntax -- the mistake the lint rule forbids, on purpose
      db.withTenant(a.tenant.id, async () => db.withTenant(a.tenant.id, (trx) => trx.selectFrom('staff_users').selectAll().execute())),
    ).rejects.toBeInstanceOf(NestedTransactionError);
    // The database is still usable afterwards.
    const rows = await db.withTenant(a.tenant.id, (trx) => trx.selectFrom('staff_users').select('email').execute());
    expect(rows.length).toBeGreaterThanOrEqual(0);
  });
});

describe('opening a town\'s transaction', () => {
  it('gives every transaction its own town, many at once on few connections', async () => {
    const towns = [a, b];
    const seen = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        db.withTenant(towns[i % 2]!.tenant.id, async (trx) => {
          const first = await sql<{ town: string; role: string }>`select current_setting('app.tenant_id') as town, current_user as role`.execute(trx);
          const emails = await trx.selectFrom('staff_users').select('email').execute();
          return { i, town: first.rows[0]!.town, role: first.rows[0]!.role, emails: emails.map((e) => e.email) };
        }),
      ),
    );
    for (const r of seen) {
      const town = towns[r.i % 2]!;
      expect(r.town).toBe(town.tenant.id);
      expect(r.role).toBe('guichet_app');
      // Town A's clerk was deleted by a test above; B's is there. Never another town's rows.
      expect(r.emails.every((e) => e.endsWith(`@${town.host}`))).toBe(true);
      if (town === b) expect(r.emails).toContain(`clerk@${b.host}`);
    }
  });

  // On PostgreSQL the opening (BEGIN, role, town) is not waited for: it goes out with the first
  // statement. When it fails, its own error is the one reported, not "transaction aborted".
  it.skipIf(db_engine() !== 'postgres')('reports the opening\'s own error when the role cannot be taken (PostgreSQL)', async () => {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    const role = `guichet_outsider_${crypto.randomBytes(4).toString('hex')}`;
    await admin.query(`create role ${role} login`);
    const url = new URL(inject('databaseUrl')!);
    url.username = role;
    url.password = '';
    const outsider = fromPostgresUrl(url.toString(), 2);
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        await expect(outsider.withTenant(a.tenant.id, (trx) => trx.selectFrom('staff_users').select('email').execute())).rejects.toThrow(/permission denied to set role/);
        await expect(outsider.withTenant(a.tenant.id, async () => 'nothing run')).rejects.toThrow(/permission denied to set role/);
      }
    } finally {
      await outsider.close();
      await admin.query(`drop role ${role}`);
      await admin.end();
    }
  });
});

describe('schema rules every town-owned table follows', () => {
  const townTables = async () =>
    (
      await sql<{ table: string }>`
        select c.relname as table from pg_class c
        join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
        join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
        where c.relkind = 'r' and c.relname <> 'tenant_hosts'
        order by 1
      `.execute(db.owner)
    ).rows.map((r) => r.table);

  it('has row-level security on with a policy on every table holding tenant_id', async () => {
    const tables = await townTables();
    expect(tables).toEqual(expect.arrayContaining(['staff_users', 'sessions', 'audit_events', 'outbox']));
    const rows = (
      await sql<{ table: string; rls: boolean; forced: boolean; policies: number }>`
        select c.relname as table, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
          (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
        from pg_class c join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
        where c.relname = any(${tables})
      `.execute(db.owner)
    ).rows;
    expect(rows.length).toBe(tables.length);
    for (const row of rows) {
      expect({ table: row.table, rls: row.rls, forced: row.forced, hasPolicy: row.policies > 0 }).toEqual({
        table: row.table,
        rls: true,
        forced: true,
        hasPolicy: true,
      });
    }
  });

  it('leads every index of a town-owned table with tenant_id', async () => {
    const tables = await townTables();
    const rows = (
      await sql<{ index: string; first: string }>`
        select i.relname as index, a.attname as first
        from pg_index x
        join pg_class t on t.oid = x.indrelid
        join pg_class i on i.oid = x.indexrelid
        left join pg_attribute a on a.attrelid = t.oid and a.attnum = x.indkey[0]
        where t.relname = any(${tables})
      `.execute(db.owner)
    ).rows;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(`${row.index}: ${row.first}`).toBe(`${row.index}: tenant_id`);
  });
});
