/**
 * Residents write to the town. One submission saves the message, an acknowledgement to the
 * resident in the language of the page, and a notice to the town's contact address, all in one
 * transaction: either everything is recorded, or nothing is.
 */
import crypto from 'node:crypto';
import type { Database, Tx } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { formatDateTime, translator, type Locale } from '../../platform/i18n.ts';
import { enqueueEmail } from '../../platform/outbox/index.ts';
import { AppError } from '../../platform/errors.ts';
import { ensure, type Caller, type StaffPrincipalOf } from '../../platform/permissions.ts';
import { formatReference, newReference, parseReference } from '../../platform/reference.ts';
import type { Tenant } from '../tenants/service.ts';
import * as repo from './repo.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ContactSubmission {
  name: string;
  email: string;
  message: string;
  /** The language of the page the resident wrote from; the acknowledgement goes out in it. */
  locale: Locale;
  /** The form's random key: the same key never creates a second message. */
  idempotencyKey: string;
}

export interface ContactReceipt {
  /** The reference as people read it, e.g. "K7M4-Q9XA". */
  reference: string;
  /** False when this key had already created a message (a double click or a retried POST). */
  created: boolean;
}

/** The key the form carries in `_idem`. */
export function newIdempotencyKey(): string {
  return crypto.randomBytes(18).toString('base64url');
}

async function writeEmails(trx: Tx, tenant: Tenant, input: ContactSubmission, saved: { id: string; reference: string; createdAt: Date }) {
  const reference = formatReference(saved.reference);
  const t = translator(input.locale);
  const town = tenant.name[input.locale];
  // The acknowledgement repeats nothing the sender typed: the form cannot be used to send
  // someone else arbitrary text under the town's name.
  await enqueueEmail(trx, {
    tenantId: tenant.id,
    dedupeKey: `contact:${saved.id}:ack`,
    to: input.email,
    locale: input.locale,
    subject: t('mail.contactAck.subject', { town }),
    text: t('mail.contactAck.body', { town, reference, date: formatDateTime(input.locale, tenant.timeZone, saved.createdAt) }),
  });
  if (!tenant.contactEmail) return;
  const staffLocale = tenant.defaultLocale;
  const ts = translator(staffLocale);
  await enqueueEmail(trx, {
    tenantId: tenant.id,
    dedupeKey: `contact:${saved.id}:town`,
    to: tenant.contactEmail,
    replyTo: input.email,
    locale: staffLocale,
    subject: ts('mail.contactTown.subject', { reference }),
    text: ts('mail.contactTown.body', {
      reference,
      name: input.name,
      email: input.email,
      language: ts(`mail.language.${input.locale}`),
      date: formatDateTime(staffLocale, tenant.timeZone, saved.createdAt),
      message: input.message,
    }),
  });
}

/** Saves a resident's message and the emails it causes. Anyone may write to the town. */
export async function submitContactMessage(db: Database, tenant: Tenant, input: ContactSubmission): Promise<ContactReceipt> {
  return db.withTenant(tenant.id, async (trx) => {
    // A fresh reference collides about once in a trillion draws per town; draw again when it does.
    for (let attempt = 0; attempt < 5; attempt++) {
      const saved = await repo.insertOnce(trx, {
        tenantId: tenant.id,
        reference: newReference(),
        idempotencyKey: input.idempotencyKey,
        name: input.name,
        email: input.email,
        locale: input.locale,
        message: input.message,
      });
      if (saved) {
        await writeEmails(trx, tenant, input, { id: saved.id, reference: saved.reference, createdAt: saved.created_at });
        await recordAudit(trx, {
          tenantId: tenant.id,
          actor: { kind: 'anonymous' },
          action: 'contact.submitted',
          subject: { kind: 'contact_message', id: saved.id },
          details: { locale: input.locale },
        });
        return { reference: formatReference(saved.reference), created: true };
      }
      const existing = await repo.findByIdempotencyKey(trx, tenant.id, input.idempotencyKey);
      if (existing) return { reference: formatReference(existing.reference), created: false };
    }
    throw new Error('no free contact reference after 5 draws');
  });
}

/** The confirmation of a message, by its reference; null when the town has none with it. */
export async function findContactReceipt(db: Database, tenantId: string, reference: string): Promise<{ reference: string } | null> {
  const stored = parseReference(reference);
  if (!stored) return null;
  const row = await db.withTenant(tenantId, (trx) => repo.findByReference(trx, tenantId, stored));
  return row ? { reference: formatReference(row.reference) } : null;
}

export interface SentContactMessage {
  id: string;
  reference: string;
  createdAt: Date;
}

/**
 * The messages a resident sent the town from their email address, newest first (at most `limit`).
 * For the resident's own "My file": the caller passes the address the resident proved is theirs.
 * Only the reference and date: the page does not show what was written.
 */
export async function listContactMessagesFrom(db: Database, tenantId: string, email: string, limit = 100): Promise<SentContactMessage[]> {
  const rows = await db.withTenant(tenantId, (trx) => repo.listByEmail(trx, tenantId, email, limit));
  return rows.map((r) => ({ id: r.id, reference: formatReference(r.reference), createdAt: r.created_at }));
}

// ---- Staff: reading the messages -------------------------------------------------------------

export const INBOX_PAGE_SIZE = 25;

/** A staff member reading the messages. */
export type StaffCaller = Caller & { principal: StaffPrincipalOf };

/** A message as the staff pages show it. */
export interface ContactMessage {
  id: string;
  reference: string;
  name: string;
  email: string;
  locale: Locale;
  message: string;
  createdAt: Date;
}

const toMessage = (r: Awaited<ReturnType<typeof repo.listPage>>[number]): ContactMessage => ({
  id: r.id,
  reference: formatReference(r.reference),
  name: r.name,
  email: r.email,
  locale: r.locale,
  message: r.message,
  createdAt: r.created_at,
});

/** The town's messages, newest first, a page at a time: managers and administrators (refusals audited). */
export async function listContactMessages(caller: StaffCaller, page: number): Promise<{ messages: ContactMessage[]; page: number; pages: number; total: number }> {
  await ensure(caller, 'contact.list');
  const tenantId = caller.principal.tenantId;
  return caller.db.withTenant(tenantId, async (trx) => {
    const total = await repo.count(trx, tenantId);
    const pages = Math.max(1, Math.ceil(total / INBOX_PAGE_SIZE));
    const current = Math.min(Math.max(1, page), pages);
    const rows = await repo.listPage(trx, tenantId, INBOX_PAGE_SIZE, (current - 1) * INBOX_PAGE_SIZE);
    return { messages: rows.map(toMessage), page: current, pages, total };
  });
}

/** One message; opening it is audited (it holds a resident's words and address). Another town's id is not found. */
export async function viewContactMessage(caller: StaffCaller, id: string): Promise<ContactMessage> {
  const tenantId = caller.principal.tenantId;
  await ensure(caller, 'contact.view', { kind: 'contactMessage', tenantId, id, departmentId: null });
  if (!UUID.test(id)) throw new AppError('notFound');
  return caller.db.withTenant(tenantId, async (trx) => {
    const row = await repo.findById(trx, tenantId, id.toLowerCase());
    if (!row) throw new AppError('notFound');
    await recordAudit(trx, { tenantId, actor: { kind: 'staff', id: caller.principal.id }, action: 'contact.viewed', subject: { kind: 'contact_message', id: row.id }, ip: caller.ip });
    return toMessage(row);
  });
}
