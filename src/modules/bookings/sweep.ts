/**
 * Background housekeeping of bookings, in every town: holds that ran out give their places back
 * (to the waitlist first), and lottery sessions whose entries closed are drawn. The booking paths
 * already do the first lazily; the sweep makes sure it happens in quiet times too, and that an offer
 * that runs out moves on to the next person without anyone visiting the page.
 *
 * It is a periodic job of the queue (platform/periodic.ts): every process that works the queue
 * (JOBS=true) offers it every 30 seconds, and only one of them runs it at a time. Two sweeps at
 * once would still be safe (each lapsed hold is ended by one of them, a draw runs once per session);
 * one at a time keeps the work from being done N times over with N processes.
 */
import type { Database } from '../../db/database.ts';
import { registerPeriodicTask } from '../../platform/periodic.ts';
import { listTenants } from '../tenants/service.ts';
import { drawLottery } from './lottery.ts';
import { releaseLapsedHolds } from './places.ts';
import * as repo from './repo.ts';

export interface SweepResult {
  holdsEnded: number;
  draws: number;
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

/** How often the sweep runs: one job every 30 seconds, run by one process at a time. */
export const SWEEP_QUEUE = 'bookings-sweep';
export const SWEEP_SECONDS = 30;

registerPeriodicTask({
  queue: SWEEP_QUEUE,
  everySeconds: SWEEP_SECONDS,
  run: ({ db, config }) => sweepBookings(db, config.publicUrl),
});
