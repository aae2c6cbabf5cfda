/**
 * The outbox: everything Guichet sends to the outside world is first written here, in the
 * transaction of the change that causes it; the job that will deliver it is created as soon as the
 * transaction commits (in a batch with other transactions' jobs, see jobs.ts sendJobInTransaction).
 * If the transaction rolls back, neither exists; if it commits, the message will be delivered
 * (retried while SMTP is down; a worker's sweep enqueues a committed message that has no job). A
 * dedupe key per town names the event, so an event sends one message, once.
 */
import type { Database, Tx } from '../../db/database.ts';
import type { Locale } from '../i18n.ts';
import { sendJobInTransaction } from '../jobs.ts';
import * as repo from './repo.ts';
import { EMAIL_QUEUE, type EmailJobData } from './worker.ts';

export interface EmailMessage {
  tenantId: string;
  /** Names the event, e.g. "contact:<id>:ack"; a second message with the same key is ignored. */
  dedupeKey: string;
  to: string;
  /** Where replies should go, when not to the sender. */
  replyTo?: string | null;
  locale: Locale;
  subject: string;
  text: string;
  /**
   * The text holds a credential (a sign-in code, an invitation link): it is removed from the
   * outbox once delivered over SMTP, so nobody reading the outbox later can use it.
   */
  secret?: boolean;
}

/**
 * Writes an email to the outbox in `trx` and enqueues its delivery once `trx` commits. Returns the outbox id,
 * or null when a message with this dedupe key already exists (nothing new is sent).
 */
export async function enqueueEmail(trx: Tx, msg: EmailMessage): Promise<string | null> {
  const id = await repo.insertOnce(trx, {
    tenantId: msg.tenantId,
    dedupeKey: msg.dedupeKey,
    recipient: msg.to,
    replyTo: msg.replyTo ?? null,
    locale: msg.locale,
    // Header values on one line: a subject never carries a line break into the message headers.
    subject: msg.subject.replace(/[\r\n]+/g, ' ').trim(),
    bodyText: msg.text,
    secret: msg.secret ?? false,
  });
  if (!id) return null;
  const data: EmailJobData = { tenantId: msg.tenantId, outboxId: id };
  await sendJobInTransaction(trx, EMAIL_QUEUE, data, { id });
  return id;
}

export type OutboxStatus = 'pending' | 'sent' | 'failed';

export interface OutboxSummary {
  id: string;
  dedupeKey: string;
  recipient: string;
  locale: Locale;
  subject: string;
  status: OutboxStatus;
  attempts: number;
  /** 'devMailbox' when no SMTP server is configured: the message only lives on the mailbox page. */
  deliveredVia: 'smtp' | 'devMailbox' | null;
  createdAt: Date;
  sentAt: Date | null;
}

export interface OutboxMessage extends OutboxSummary {
  replyTo: string | null;
  /** Empty once removed after delivery (secret messages); see bodyRemovedAt. */
  bodyText: string;
  bodyRemovedAt: Date | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
}

export interface OutboxPage {
  items: OutboxSummary[];
  page: number;
  pageSize: number;
  total: number;
  pages: number;
}

type SummaryRow = Awaited<ReturnType<typeof repo.listPage>>[number];
type MessageRow = NonNullable<Awaited<ReturnType<typeof repo.findById>>>;

function toSummary(row: SummaryRow): OutboxSummary {
  return {
    id: row.id,
    dedupeKey: row.dedupe_key,
    recipient: row.recipient,
    locale: row.locale,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    deliveredVia: row.delivered_via,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

function toMessage(row: MessageRow): OutboxMessage {
  return {
    ...toSummary(row),
    replyTo: row.reply_to,
    bodyText: row.body_text,
    bodyRemovedAt: row.body_removed_at,
    lastError: row.last_error,
    lastAttemptAt: row.last_attempt_at,
  };
}

/**
 * One page of a town's outbox, newest first. For the staff development mailbox page: the caller
 * checks the staff member's permission and records the audit event.
 */
export async function listOutbox(
  db: Database,
  tenantId: string,
  { page, pageSize }: { page: number; pageSize: number },
): Promise<OutboxPage> {
  const size = Math.min(Math.max(Math.trunc(pageSize) || 20, 1), 100);
  const wanted = Math.max(Math.trunc(page) || 1, 1);
  return db.withTenant(tenantId, async (trx) => {
    const total = await repo.count(trx, tenantId);
    const pages = Math.max(Math.ceil(total / size), 1);
    const current = Math.min(wanted, pages);
    const rows = await repo.listPage(trx, tenantId, size, (current - 1) * size);
    return { items: rows.map(toSummary), page: current, pageSize: size, total, pages };
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One message of a town's outbox, or null when there is none with this id in the town. */
export async function getOutboxMessage(db: Database, tenantId: string, id: string): Promise<OutboxMessage | null> {
  if (!UUID.test(id)) return null;
  const row = await db.withTenant(tenantId, (trx) => repo.findById(trx, tenantId, id));
  return row ? toMessage(row) : null;
}
