/**
 * Background housekeeping of bookings, in every town: holds that ran out give their places back
 * (to the waitlist first), and lottery sessions whose entries closed are drawn. The booking paths
 * already do the first lazily; the sweep makes sure it happens in quiet times too, and that an offer
 * that runs out moves on to the next person without anyone visiting the page.
 *
 * It runs in every process that works the job queue (JOBS=true); several processes sweeping at
 * once is safe (each lapsed hold is ended by one of them, a draw runs once per session).
 */
import type { Database } from '../../db/database.ts';
import { listTenants } from '../tenants/service.ts';
import { drawLottery } from './lottery.ts';
import { releaseLapsedHolds } from './places.ts';
import * as repo from './repo.ts';

export interface SweepResult {
  holdsEnded: number;
  draws: number;
}

interface Logger {
  error(obj: object, msg: string): void;
}

/** One pass over every town (or the towns given). */
export async function sweepBookings(db: Database, publicUrl: string, tenantIds?: readonly string[]): Promise<SweepResult> {
  const towns = (await listTenants(db)).filter((t) => !tenantIds || tenantIds.includes(t.id));
  const result: SweepResult = { holdsEnded: 0, draws: 0 };
  for (const tenant of towns) {
    const town = { tenant, publicUrl };
    for (;;) {
      const ended = await db.withTenant(tenant.id, (trx) => releaseLapsedHolds(trx, town, null));
      result.holdsEnded += ended;
      if (ended === 0) break;
    }
    const due = await db.withTenant(tenant.id, (trx) => repo.sessionsDueForDraw(trx, tenant.id, 100));
    for (const session of due) {
      await drawLottery(db, town, session.id);
      result.draws += 1;
    }
  }
  return result;
}

/** Sweeps every `intervalMs` until stopped; a failed pass is logged and the next one runs as usual. */
export function startBookingSweeper(db: Database, publicUrl: string, logger: Logger, intervalMs = 30_000): { stop(): Promise<void> } {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = sweepBookings(db, publicUrl)
      .catch((err: unknown) => logger.error({ err }, 'bookings sweep failed'))
      .finally(() => {
        running = null;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
