/** All SQL on contact_messages. */
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';

export interface NewContactRow {
  tenantId: string;
  reference: string;
  idempotencyKey: string;
  name: string;
  email: string;
  locale: 'fr' | 'en';
  message: string;
}

/**
 * Inserts the message unless its idempotency key (or, rarely, its reference) is already taken in
 * the town; returns the new row or undefined.
 */
export function insertOnce(trx: Tx, row: NewContactRow) {
  return trx
    .insertInto('contact_messages')
    .values({
      tenant_id: row.tenantId,
      reference: row.reference,
      idempotency_key: row.idempotencyKey,
      name: row.name,
      email: row.email,
      locale: row.locale,
      message: row.message,
    })
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'reference', 'created_at'])
    .executeTakeFirst();
}

export function findByIdempotencyKey(trx: Tx, tenantId: string, key: string) {
  return trx
    .selectFrom('contact_messages')
    .select(['id', 'reference'])
    .where('tenant_id', '=', tenantId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

export function findByReference(trx: Tx, tenantId: string, reference: string) {
  return trx
    .selectFrom('contact_messages')
    .select(['id', 'reference'])
    .where('tenant_id', '=', tenantId)
    .where('reference', '=', reference)
    .executeTakeFirst();
}

/** Messages sent from one email address, newest first (for the resident's "My file"). */
export function listByEmail(trx: Tx, tenantId: string, email: string, limit: number) {
  return trx
    .selectFrom('contact_messages')
    .select(['id', 'reference', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

const messageColumns = ['id', 'reference', 'name', 'email', 'locale', 'message', 'created_at'] as const;

/** One page of the town's messages, newest first (the staff list). */
export function listPage(trx: Tx, tenantId: string, limit: number, offset: number) {
  return trx
    .selectFrom('contact_messages')
    .select(messageColumns)
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function count(trx: Tx, tenantId: string): Promise<number> {
  const row = await trx.selectFrom('contact_messages').select(sql<number>`count(*)::int`.as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
  return row.n;
}

export function findById(trx: Tx, tenantId: string, id: string) {
  return trx.selectFrom('contact_messages').select(messageColumns).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}
