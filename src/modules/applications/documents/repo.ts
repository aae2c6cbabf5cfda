/** Issued documents and their numbering: all the SQL of modules/applications/documents. */
import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { Bilingual } from '../../../db/schema.ts';

/** The next number of the year in this town (the counter row is locked until the transaction ends). */
export async function nextNumber(trx: Tx, tenantId: string, year: number): Promise<number> {
  const row = await trx
    .insertInto('issued_document_counters')
    .values({ tenant_id: tenantId, year, last_value: 1 })
    .onConflict((oc) => oc.columns(['tenant_id', 'year']).doUpdateSet({ last_value: sql`issued_document_counters.last_value + 1` }))
    .returning('last_value')
    .executeTakeFirstOrThrow();
  return row.last_value;
}

export interface NewDocumentRow {
  number: string;
  applicationId: string;
  residentId: string;
  holderName: string;
  holderAddress: string;
  locale: 'fr' | 'en';
  title: Bilingual;
  conditions: string;
  validFrom: string;
  validUntil: string | null;
  remindDaysBefore: number | null;
  issuedAt: Date;
  issuedBy: string | null;
  verifyToken: string;
  pdf: Buffer;
}

export function insert(trx: Tx, tenantId: string, row: NewDocumentRow) {
  return trx
    .insertInto('issued_documents')
    .values({
      tenant_id: tenantId,
      number: row.number,
      application_id: row.applicationId,
      resident_id: row.residentId,
      holder_name: row.holderName,
      holder_address: row.holderAddress,
      locale: row.locale,
      title: JSON.stringify(row.title),
      conditions: row.conditions,
      valid_from: row.validFrom,
      valid_until: row.validUntil,
      remind_days_before: row.remindDaysBefore,
      issued_at: row.issuedAt,
      issued_by: row.issuedBy,
      verify_token: row.verifyToken,
      pdf: row.pdf,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
}

const SUMMARY = [
  'id',
  'number',
  'application_id',
  'resident_id',
  'holder_name',
  'locale',
  'title',
  'valid_from',
  'valid_until',
  'issued_at',
  'revoked_at',
  'revoked_reason',
  'verify_token',
] as const;

export function findByToken(trx: Tx, tenantId: string, token: string) {
  return trx.selectFrom('issued_documents').select(SUMMARY).where('tenant_id', '=', tenantId).where('verify_token', '=', token).executeTakeFirst();
}

/** The live (not revoked) document of an application, if any. */
export function findLiveForApplication(trx: Tx, tenantId: string, applicationId: string) {
  return trx
    .selectFrom('issued_documents')
    .select(SUMMARY)
    .where('tenant_id', '=', tenantId)
    .where('application_id', '=', applicationId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export function listForApplication(trx: Tx, tenantId: string, applicationId: string) {
  return trx
    .selectFrom('issued_documents')
    .select(SUMMARY)
    .where('tenant_id', '=', tenantId)
    .where('application_id', '=', applicationId)
    .orderBy('issued_at', 'desc')
    .execute();
}

export function findById(trx: Tx, tenantId: string, id: string) {
  return trx.selectFrom('issued_documents').select(SUMMARY).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export async function pdfOf(trx: Tx, tenantId: string, id: string): Promise<Buffer | null> {
  const row = await trx.selectFrom('issued_documents').select('pdf').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return row ? row.pdf : null;
}

export async function revoke(trx: Tx, tenantId: string, id: string, reason: string, at: Date): Promise<boolean> {
  const res = await trx
    .updateTable('issued_documents')
    .set({ revoked_at: at, revoked_reason: reason })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * Live documents whose reminder is due on `today` (YYYY-MM-DD): valid_until - remind_days_before
 * reached, not yet ended, not yet reminded.
 */
export function dueForReminder(trx: Tx, tenantId: string, today: string, limit: number) {
  return trx
    .selectFrom('issued_documents')
    .select(['id', 'number', 'resident_id', 'holder_name', 'locale', 'title', 'valid_until', 'application_id'])
    .where('tenant_id', '=', tenantId)
    .where('revoked_at', 'is', null)
    .where('reminded_at', 'is', null)
    .where('remind_days_before', 'is not', null)
    .where('valid_until', 'is not', null)
    .where('valid_until', '>=', today)
    .where(sql<boolean>`valid_until - remind_days_before <= ${today}::date`)
    .orderBy('valid_until')
    .limit(limit)
    .execute();
}

/** Marks a reminder sent; false when another worker did it first. */
export async function markReminded(trx: Tx, tenantId: string, id: string, at: Date): Promise<boolean> {
  const res = await trx
    .updateTable('issued_documents')
    .set({ reminded_at: at })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('reminded_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
