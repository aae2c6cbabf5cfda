/**
 * Keeping no more than is needed (Law 25): every hour, one process removes what has served its
 * purpose, in every town.
 * - Emails delivered or given up on more than OUTBOX_RETENTION_DAYS ago (90 by default): their
 *   addresses and text go; the audit trail keeps what happened. Pending messages are never removed.
 * - Rate-limit counters whose window has closed.
 * Modules purge their own tables the same way (residents: one-time codes).
 */
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { listTenants } from '../modules/tenants/service.ts';
import * as outboxRepo from './outbox/repo.ts';
import { registerPeriodicTask } from './periodic.ts';
import { purgeExpiredRateLimits } from './rate-limit/store.ts';

const BATCH = 500;

export interface RetentionResult {
  messages: number;
  rateLimitCounters: number;
}

/** One pass over every town (or the towns given). */
export async function purgeExpired(db: Database, config: Pick<Config, 'outboxRetentionDays'>, tenantIds?: readonly string[]): Promise<RetentionResult> {
  const result: RetentionResult = { messages: 0, rateLimitCounters: await purgeExpiredRateLimits(db.owner) };
  const towns = (await listTenants(db)).filter((t) => !tenantIds || tenantIds.includes(t.id));
  for (const town of towns) {
    // In batches, so that a large backlog never holds a long transaction.
    for (;;) {
      const removed = await db.withTenant(town.id, (trx) => outboxRepo.removeFinishedBefore(trx, town.id, config.outboxRetentionDays, BATCH));
      result.messages += removed;
      if (removed < BATCH) break;
    }
  }
  return result;
}

export const RETENTION_QUEUE = 'retention';

registerPeriodicTask({
  queue: RETENTION_QUEUE,
  everySeconds: 60 * 60,
  run: ({ db, config }) => purgeExpired(db, config),
});
