/** All SQL on the outbox table. Functions take the transaction first. */
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';

export interface NewOutboxRow {
  tenantId: string;
  dedupeKey: string;
  recipient: string;
  replyTo: string | null;
  locale: 'fr' | 'en';
  subject: string;
  bodyText: string;
  secret: boolean;
}

/** Inserts a message unless one with the same dedupe key exists in the town; returns the new id or undefined. */
export async function insertOnce(trx: Tx, row: NewOutboxRow): Promise<string | undefined> {
  const inserted = await trx
    .insertInto('outbox')
    .values({
      tenant_id: row.tenantId,
      dedupe_key: row.dedupeKey,
      channel: 'email',
      recipient: row.recipient,
      reply_to: row.replyTo,
      locale: row.locale,
      subject: row.subject,
      body_text: row.bodyText,
      secret: row.secret,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'dedupe_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

const summaryColumns = [
  'id',
  'dedupe_key',
  'recipient',
  'locale',
  'subject',
  'status',
  'attempts',
  'delivered_via',
  'created_at',
  'sent_at',
] as const;

export function findById(trx: Tx, tenantId: string, id: string) {
  return trx
    .selectFrom('outbox')
    .select([...summaryColumns, 'reply_to', 'body_text', 'last_error', 'last_attempt_at', 'body_removed_at'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listPage(trx: Tx, tenantId: string, limit: number, offset: number) {
  return trx
    .selectFrom('outbox')
    .select(summaryColumns)
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function count(trx: Tx, tenantId: string): Promise<number> {
  const row = await trx
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks a pending message delivered; false when it was not pending any more (already sent or failed). */
export async function markSent(trx: Tx, tenantId: string, id: string, via: 'smtp' | 'devMailbox'): Promise<boolean> {
  const result = await trx
    .updateTable('outbox')
    .set({
      status: 'sent',
      delivered_via: via,
      sent_at: sql<Date>`now()`,
      last_attempt_at: sql<Date>`now()`,
      attempts: sql<number>`attempts + 1`,
      last_error: null,
      // A credential delivered by email no longer needs to be kept (the development mailbox is
      // where a developer reads it, so it stays there).
      body_text: via === 'smtp' ? sql<string>`case when secret then '' else body_text end` : sql<string>`body_text`,
      body_removed_at: via === 'smtp' ? sql<Date | null>`case when secret then now() else null end` : null,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Records a failed attempt; `final` gives up on the message (status failed). */
export async function markAttemptFailed(trx: Tx, tenantId: string, id: string, error: string, final: boolean): Promise<void> {
  await trx
    .updateTable('outbox')
    .set({
      status: final ? 'failed' : 'pending',
      last_attempt_at: sql<Date>`now()`,
      attempts: sql<number>`attempts + 1`,
      last_error: error,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

/** A town's pending messages, oldest first: the job queue's sweep gives each one a job. */
export async function listPending(trx: Tx, tenantId: string, limit: number): Promise<string[]> {
  const rows = await trx
    .selectFrom('outbox')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'pending')
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Removes up to `limit` of the town's messages delivered or given up on more than `days` days ago
 * (retention.ts); returns how many. Pending messages are never removed.
 */
export async function removeFinishedBefore(trx: Tx, tenantId: string, days: number, limit: number): Promise<number> {
  const result = await trx
    .deleteFrom('outbox')
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('outbox as o')
        .select('o.id')
        .where('o.tenant_id', '=', tenantId)
        .where('o.status', 'in', ['sent', 'failed'])
        .where(sql<Date>`coalesce(o.sent_at, o.last_attempt_at, o.created_at)`, '<', sql<Date>`now() - make_interval(days => ${days})`)
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
