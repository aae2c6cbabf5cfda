/**
 * Delivery of outbox messages, one pg-boss job per message (the job's id is the outbox id). A job
 * reads its row in its town, sends it, and marks it sent; a failed send throws the job back to
 * pg-boss, which retries it with exponential backoff. A message that is no longer pending (already
 * sent, or given up) is never sent again, which is what makes a retried or duplicated job harmless.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { JobResult, JobWithMetadata } from 'pg-boss';
import type { Database } from '../../db/database.ts';
import { describeSendError, sendErrorDetail, type Mailer } from './mailer.ts';
import * as repo from './repo.ts';

export const EMAIL_QUEUE = 'outbox-email';

export interface EmailJobData {
  tenantId: string;
  outboxId: string;
}

export type JobsLogger = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error' | 'debug'>;

export interface DeliveryContext {
  db: Database;
  mailer: Mailer;
  logger: JobsLogger;
}

export type DeliveryOutcome = 'sent' | 'skipped' | 'retry' | 'failed';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isEmailJobData(data: unknown): data is EmailJobData {
  const d = data as Partial<EmailJobData> | null;
  return typeof d?.tenantId === 'string' && UUID.test(d.tenantId) && typeof d.outboxId === 'string' && UUID.test(d.outboxId);
}

/**
 * One delivery attempt. Sending happens outside any transaction: a slow SMTP server must not hold
 * a database connection (on PGlite, the only one). `final` is the last attempt pg-boss will make:
 * a failure then marks the message failed for staff to see.
 */
export async function deliverOne(ctx: DeliveryContext, data: EmailJobData, final: boolean): Promise<DeliveryOutcome> {
  const { db, mailer, logger } = ctx;
  const { tenantId, outboxId } = data;
  const row = await db.withTenant(tenantId, (trx) => repo.findById(trx, tenantId, outboxId));
  if (!row || row.status !== 'pending') return 'skipped';
  try {
    await mailer.send({
      id: row.id,
      to: row.recipient,
      replyTo: row.reply_to,
      locale: row.locale,
      subject: row.subject,
      text: row.body_text,
    });
  } catch (err) {
    await db.withTenant(tenantId, (trx) => repo.markAttemptFailed(trx, tenantId, outboxId, sendErrorDetail(err), final));
    logger.warn({ outboxId, tenantId, error: describeSendError(err), final }, final ? 'email given up' : 'email send failed, will retry');
    return final ? 'failed' : 'retry';
  }
  await db.withTenant(tenantId, (trx) => repo.markSent(trx, tenantId, outboxId, mailer.kind));
  logger.debug({ outboxId, tenantId, via: mailer.kind }, 'email delivered');
  return 'sent';
}

/** Runs `fn` over `items` with at most `limit` at a time, keeping the order of results. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function lane() {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** Delivers a batch of jobs a few at a time and tells pg-boss the outcome of each. */
export async function deliverBatch(
  ctx: DeliveryContext,
  jobs: ReadonlyArray<JobWithMetadata<unknown>>,
  concurrency = 5,
): Promise<JobResult[]> {
  return mapLimited(jobs, concurrency, async (job): Promise<JobResult> => {
    if (!isEmailJobData(job.data)) {
      ctx.logger.error({ jobId: job.id }, 'email job with malformed data');
      return { id: job.id, status: 'deadletter', output: { error: 'malformed job data' } };
    }
    try {
      const outcome = await deliverOne(ctx, job.data, job.retryCount >= job.retryLimit);
      if (outcome === 'retry' || outcome === 'failed') return { id: job.id, status: 'failed', output: { error: 'send failed' } };
      return { id: job.id, status: 'completed', output: { outcome } };
    } catch (err) {
      // A database error: let pg-boss retry the job; the row is still pending.
      ctx.logger.error({ err, jobId: job.id }, 'email job failed');
      return { id: job.id, status: 'failed', output: { error: 'internal error' } };
    }
  });
}
