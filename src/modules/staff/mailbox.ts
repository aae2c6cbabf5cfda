/**
 * The development mailbox: staff read what the town's site sent. A message holds a resident's
 * data, so opening one is audited. In production only administrators may read it.
 */
import type { Database } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import type { StaffPrincipal } from '../../platform/http.ts';
import { ensure } from '../../platform/permissions.ts';
import { staffPrincipal } from '../departments/service.ts';
import { getOutboxMessage, listOutbox, type OutboxSummary } from '../../platform/outbox/index.ts';

export type MailStatus = 'pending' | 'sent' | 'failed';

export interface MailSummary {
  id: string;
  recipient: string;
  subject: string;
  status: MailStatus;
  createdAt: Date;
}

export interface MailMessage extends MailSummary {
  locale: 'fr' | 'en';
  /** "devMailbox" when no SMTP server is configured: the message exists only on this page. */
  deliveredVia: 'smtp' | 'devMailbox' | null;
  bodyText: string;
  /** Set when the text was removed after delivery because it held a code or a link. */
  bodyRemovedAt: Date | null;
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
}

export const MAIL_PAGE_SIZE = 20;

export interface MailboxAccess {
  production: boolean;
}

function toSummary(m: OutboxSummary): MailSummary {
  return { id: m.id, recipient: m.recipient, subject: m.subject, status: m.status, createdAt: m.createdAt };
}

/** The one permission check (refusals are audited): any staff member outside production, administrators in production. */
async function allowed(db: Database, tenantId: string, staff: StaffPrincipal, access: MailboxAccess, id: string | null, ip: string | null) {
  const principal = await staffPrincipal(db, tenantId, staff);
  const caller = { db, principal, ip };
  // Listing shows addresses and subjects: held to the same rule as opening a message.
  await ensure(caller, 'mail.list');
  await ensure(caller, 'mail.view', { kind: 'outboxMessage', tenantId, id: id ?? 'list', production: access.production });
}

export async function listMail(
  db: Database,
  tenantId: string,
  staff: StaffPrincipal,
  access: MailboxAccess,
  page: number,
): Promise<{ messages: MailSummary[]; page: number; pages: number }> {
  await allowed(db, tenantId, staff, access, null, null);
  const result = await listOutbox(db, tenantId, { page, pageSize: MAIL_PAGE_SIZE });
  return { page: result.page, pages: result.pages, messages: result.items.map(toSummary) };
}

export async function viewMail(
  db: Database,
  tenantId: string,
  staff: StaffPrincipal,
  access: MailboxAccess,
  id: string,
  ip: string | null,
): Promise<MailMessage> {
  await allowed(db, tenantId, staff, access, id, ip);
  const m = await getOutboxMessage(db, tenantId, id);
  if (!m) throw new AppError('notFound', 'no such message');
  await db.withTenant(tenantId, (trx) =>
    recordAudit(trx, { tenantId, actor: { kind: 'staff', id: staff.id }, action: 'mail.viewed', subject: { kind: 'outbox', id }, ip }),
  );
  return {
    ...toSummary(m),
    locale: m.locale,
    deliveredVia: m.deliveredVia,
    bodyText: m.bodyText,
    bodyRemovedAt: m.bodyRemovedAt,
    attempts: m.attempts,
    lastError: m.lastError,
    sentAt: m.sentAt,
  };
}
