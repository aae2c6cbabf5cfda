/**
 * Keeping no more than needed: old delivered emails, closed rate-limit windows and old one-time
 * codes go; pending messages, recent ones and other towns' rows are left alone. Both engines.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTown, openTestDatabase, type TestTown } from '../../test/harness.ts';
import type { Database } from '../db/database.ts';
import { CODE_KEPT_SECONDS, purgeOldCodes } from '../modules/residents/codes.ts';
import { periodicTasks } from './periodic.ts';
import { purgeExpired, RETENTION_QUEUE } from './retention.ts';

let db: Database;
let a: TestTown;
let b: TestTown;
beforeAll(async () => {
  db = await openTestDatabase();
  a = await createTestTown(db, 'Alma');
  b = await createTestTown(db, 'Baie-Saint-Paul');
});
afterAll(() => db.close());

/** A message in `town`, `status`, finished (or made, when pending) `daysAgo` days ago. */
async function message(town: TestTown, status: 'pending' | 'sent' | 'failed', daysAgo: number): Promise<string> {
  const at = sql<Date>`now() - make_interval(days => ${daysAgo})`;
  const row = await db.withTenant(town.tenant.id, (trx) =>
    trx
      .insertInto('outbox')
      .values({
        tenant_id: town.tenant.id,
        dedupe_key: `retention-${crypto.randomUUID()}`,
        recipient: 'resident@example.ca',
        locale: 'fr',
        subject: 'Objet',
        body_text: 'Texte',
        status,
        created_at: at,
        sent_at: status === 'sent' ? at : null,
        last_attempt_at: status === 'pending' ? null : at,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

const remaining = (town: TestTown, ids: string[]) =>
  db.withTenant(town.tenant.id, (trx) => trx.selectFrom('outbox').select('id').where('id', 'in', ids).execute()).then((rows) => new Set(rows.map((r) => r.id)));

describe('retention', () => {
  it('removes emails delivered or given up on more than OUTBOX_RETENTION_DAYS ago, in every town, never pending ones', async () => {
    const oldSent = await message(a, 'sent', 91);
    const oldFailed = await message(a, 'failed', 120);
    const recentSent = await message(a, 'sent', 89);
    const oldPending = await message(a, 'pending', 200);
    const otherTown = await message(b, 'sent', 100);
    const result = await purgeExpired(db, { outboxRetentionDays: 90 }, [a.tenant.id, b.tenant.id]);
    expect(result.messages).toBe(3);
    expect(await remaining(a, [oldSent, oldFailed, recentSent, oldPending])).toEqual(new Set([recentSent, oldPending]));
    expect(await remaining(b, [otherTown])).toEqual(new Set());
    // A town that was not asked for is left alone.
    const kept = await message(b, 'sent', 100);
    expect((await purgeExpired(db, { outboxRetentionDays: 90 }, [a.tenant.id])).messages).toBe(0);
    expect(await remaining(b, [kept])).toEqual(new Set([kept]));
  });

  it('removes rate-limit counters whose window has closed', async () => {
    const closed = crypto.randomBytes(32).toString('hex');
    const open = crypto.randomBytes(32).toString('hex');
    await db.owner
      .insertInto('rate_limit_counters')
      .values([
        { key: closed, count: 3, reset_at: sql<Date>`now() - interval '1 minute'` },
        { key: open, count: 3, reset_at: sql<Date>`now() + interval '1 minute'` },
      ])
      .execute();
    expect((await purgeExpired(db, { outboxRetentionDays: 90 }, [])).rateLimitCounters).toBeGreaterThanOrEqual(1);
    const left = await db.owner.selectFrom('rate_limit_counters').select('key').where('key', 'in', [closed, open]).execute();
    expect(left.map((r) => r.key)).toEqual([open]);
  });

  it('removes one-time codes a day after they were made', async () => {
    const code = (town: TestTown, secondsAgo: number) =>
      db.withTenant(town.tenant.id, (trx) =>
        trx
          .insertInto('resident_codes')
          .values({
            tenant_id: town.tenant.id,
            purpose: 'signIn',
            email: 'code@example.ca',
            locale: 'en',
            code_hash: crypto.randomBytes(32).toString('hex'),
            created_at: sql<Date>`now() - make_interval(secs => ${secondsAgo})`,
            expires_at: sql<Date>`now() - make_interval(secs => ${secondsAgo - 600})`,
          })
          .returning('id')
          .executeTakeFirstOrThrow(),
      );
    const old = await code(a, CODE_KEPT_SECONDS + 60);
    const recent = await code(a, 60 * 60);
    expect(await purgeOldCodes(db, [a.tenant.id])).toBe(1);
    const left = await db.withTenant(a.tenant.id, (trx) => trx.selectFrom('resident_codes').select('id').where('id', 'in', [old.id, recent.id]).execute());
    expect(left.map((r) => r.id)).toEqual([recent.id]);
  });

  it('runs both as hourly jobs of the queue', () => {
    const byQueue = new Map(periodicTasks().map((t) => [t.queue, t.everySeconds]));
    expect(byQueue.get(RETENTION_QUEUE)).toBe(3600);
    expect(byQueue.get('resident-codes-purge')).toBe(3600);
  });
});
