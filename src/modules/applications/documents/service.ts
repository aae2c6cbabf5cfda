/**
 * Issued documents: numbering, the PDF, the public verification, revocation. The review use cases
 * (../review/service.ts) check permissions and call `issueDocumentIn` inside their transaction;
 * verification is public (the random token in the QR code is the only key).
 */
import crypto from 'node:crypto';
import type { Database, Tx } from '../../../db/database.ts';
import type { Bilingual } from '../../../db/schema.ts';
import type { Locale } from '../../../platform/i18n.ts';
import type { Tenant } from '../../tenants/service.ts';
import { renderDocumentPdf } from './pdf.ts';
import * as repo from './repo.ts';

export const VERIFY_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export type DocumentStatus = 'valid' | 'expired' | 'revoked' | 'notYetValid';

export interface IssuedDocument {
  id: string;
  number: string;
  applicationId: string;
  residentId: string;
  holderName: string;
  locale: Locale;
  title: Bilingual;
  validFrom: string;
  validUntil: string | null;
  issuedAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  verifyToken: string;
}

type Row = NonNullable<Awaited<ReturnType<typeof repo.findById>>>;

function toDocument(row: Row): IssuedDocument {
  return {
    id: row.id,
    number: row.number,
    applicationId: row.application_id,
    residentId: row.resident_id,
    holderName: row.holder_name,
    locale: row.locale,
    title: row.title,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    issuedAt: row.issued_at,
    revokedAt: row.revoked_at,
    revokedReason: row.revoked_reason,
    verifyToken: row.verify_token,
  };
}

/** Today's date (YYYY-MM-DD) in a time zone. */
export function dayIn(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Adds whole days to a calendar date (YYYY-MM-DD). */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Adds whole years to a calendar date; 29 February becomes 28 February in a common year. */
export function addYears(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y + years, m - 1, d));
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}

/** Where a document stands on a given day (in the town's time zone). */
export function statusOn(doc: Pick<IssuedDocument, 'revokedAt' | 'validFrom' | 'validUntil'>, today: string): DocumentStatus {
  if (doc.revokedAt) return 'revoked';
  if (today < doc.validFrom) return 'notYetValid';
  if (doc.validUntil !== null && today > doc.validUntil) return 'expired';
  return 'valid';
}

/** The verification page's address for a token, on the town's own host. */
export function verifyUrl(baseUrl: string, locale: Locale, token: string): string {
  return `${baseUrl}/${locale}/verify/${token}`;
}

export interface IssueInput {
  tenant: Tenant;
  /** The town's address as residents reach it (scheme and host), for the QR code. */
  baseUrl: string;
  applicationId: string;
  residentId: string;
  holderName: string;
  holderAddress: string;
  locale: Locale;
  title: Bilingual;
  conditions: string;
  validFrom: string;
  validUntil: string | null;
  remindDaysBefore: number | null;
  issuedBy: string | null;
  now: Date;
  /** Tests turn compression off to read the PDF's text back. */
  compress?: boolean;
}

/**
 * Numbers, renders and records a document in the caller's transaction. The caller has checked
 * that the application has no live document (the unique index is the second wall).
 */
export async function issueDocumentIn(trx: Tx, input: IssueInput): Promise<IssuedDocument> {
  const tenantId = input.tenant.id;
  const year = Number(dayIn(input.tenant.timeZone, input.now).slice(0, 4));
  const seq = await repo.nextNumber(trx, tenantId, year);
  const number = `${year}-${String(seq).padStart(5, '0')}`;
  const verifyToken = crypto.randomBytes(32).toString('base64url');
  const pdf = await renderDocumentPdf(
    {
      locale: input.locale,
      town: input.tenant.name,
      timeZone: input.tenant.timeZone,
      title: input.title,
      number,
      holderName: input.holderName,
      holderAddress: input.holderAddress,
      conditions: input.conditions,
      validFrom: input.validFrom,
      validUntil: input.validUntil,
      issuedAt: input.now,
      verifyUrl: verifyUrl(input.baseUrl, input.locale, verifyToken),
    },
    { compress: input.compress ?? true },
  );
  const { id } = await repo.insert(trx, tenantId, {
    number,
    applicationId: input.applicationId,
    residentId: input.residentId,
    holderName: input.holderName,
    holderAddress: input.holderAddress,
    locale: input.locale,
    title: input.title,
    conditions: input.conditions,
    validFrom: input.validFrom,
    validUntil: input.validUntil,
    remindDaysBefore: input.remindDaysBefore,
    issuedAt: input.now,
    issuedBy: input.issuedBy,
    verifyToken,
    pdf,
  });
  return toDocument((await repo.findById(trx, tenantId, id))!);
}

export async function liveDocumentIn(trx: Tx, tenantId: string, applicationId: string): Promise<IssuedDocument | null> {
  const row = await repo.findLiveForApplication(trx, tenantId, applicationId);
  return row ? toDocument(row) : null;
}

export async function documentsOfApplicationIn(trx: Tx, tenantId: string, applicationId: string): Promise<IssuedDocument[]> {
  return (await repo.listForApplication(trx, tenantId, applicationId)).map(toDocument);
}

export async function documentByIdIn(trx: Tx, tenantId: string, id: string): Promise<IssuedDocument | null> {
  const row = await repo.findById(trx, tenantId, id);
  return row ? toDocument(row) : null;
}

export function documentPdfIn(trx: Tx, tenantId: string, id: string): Promise<Buffer | null> {
  return repo.pdfOf(trx, tenantId, id);
}

export function revokeDocumentIn(trx: Tx, tenantId: string, id: string, reason: string, now: Date): Promise<boolean> {
  return repo.revoke(trx, tenantId, id, reason, now);
}

/** What the public verification page shows: no address, no conditions, no contact details. */
export interface Verification {
  status: DocumentStatus;
  title: Bilingual;
  number: string;
  holderName: string;
  validFrom: string;
  validUntil: string | null;
  revokedAt: Date | null;
}

/** The public check of a document by its token; null when no document of this town has it. */
export async function verifyDocument(db: Database, tenant: Tenant, token: string, now = new Date()): Promise<Verification | null> {
  if (!VERIFY_TOKEN.test(token)) return null;
  const row = await db.withTenant(tenant.id, (trx) => repo.findByToken(trx, tenant.id, token));
  if (!row) return null;
  const doc = toDocument(row);
  return {
    status: statusOn(doc, dayIn(tenant.timeZone, now)),
    title: doc.title,
    number: doc.number,
    holderName: doc.holderName,
    validFrom: doc.validFrom,
    validUntil: doc.validUntil,
    revokedAt: doc.revokedAt,
  };
}

