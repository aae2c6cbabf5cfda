/**
 * The sweep of lapsed holds is a periodic job of the queue: with two processes working one database,
 * only one sweep job exists at a time (the other's offer is dropped), and whichever process fetches
 * it gives the places back. Runs on PGlite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTown, openTestDatabase, testConfig } from '../../../test/harness.ts';
import type { Database } from '../../db/database.ts';
import { startJobs, type Jobs } from '../../platform/jobs.ts';
import { periodicTasks, startPeriodicTasks, type Periodic } from '../../platform/periodic.ts';
import { createActivity } from './catalogue.ts';
import { holdPlace } from './service.ts';
import { SWEEP_QUEUE } from './sweep.ts';
import { callerFor, lapseHolds, makeResidents, newKey, placeAccounting } from './testing.ts';

const silent = { info() {}, warn() {}, error() {}, debug() {} };
const HOUR = 3_600_000;

let db: Database;
let a: Jobs;
let b: Jobs;

beforeAll(async () => {
  db = await openTestDatabase();
  const config = testConfig();
  const schema = `pgboss_${Math.random().toString(36).slice(2, 10)}`;
  // Two processes on one database: two queues, neither working on its own (the test drives them).
  a = await startJobs({ config, db, logger: silent, options: { schema, work: false, sweepIntervalSeconds: 0 } });
  b = await startJobs({ config, db, logger: silent, options: { schema, work: false, sweepIntervalSeconds: 0 } });
});
afterAll(async () => {
  await a.stop();
  await b.stop();
  await db.close();
});

describe('the bookings sweep on the job queue', () => {
  it('is registered as a periodic task', () => {
    expect(periodicTasks().map((t) => t.queue)).toContain(SWEEP_QUEUE);
  });

  it('runs in one process at a time and gives lapsed holds back', async () => {
    const deps = { db, config: testConfig(), logger: silent };
    const options = { work: false, timers: false, pollingIntervalSeconds: 1 };
    const pa: Periodic = await startPeriodicTasks(a.boss, deps, options);
    const pb: Periodic = await startPeriodicTasks(b.boss, deps, options);

    const town = await createTestTown(db, 'Lévis');
    const made = await createActivity(db, town.tenant.id, {
      slug: 'bain-libre',
      kind: 'activity',
      name: { fr: 'Bain libre', en: 'Public swim' },
      opensAt: new Date(Date.now() - HOUR),
      sessions: [{ startsAt: new Date(Date.now() + 48 * HOUR), endsAt: new Date(Date.now() + 49 * HOUR), capacity: 3 }],
    });
    const sessionId = made!.sessionIds[0]!;
    const people = await makeResidents(db, town.tenant.id, 3);
    for (const p of people) await holdPlace(callerFor(db, town.tenant, p), { sessionId, participant: 'self', idempotencyKey: newKey() });
    expect(await lapseHolds(db, town.tenant.id)).toBe(3);
    expect((await placeAccounting(db, town.tenant.id))[0]).toMatchObject({ taken: 3 });

    // Both processes offer the job at the same moment: one job only.
    const offered = await Promise.all([pa.tick(SWEEP_QUEUE), pb.tick(SWEEP_QUEUE)]);
    expect(offered.flat()).toEqual([SWEEP_QUEUE]);
    expect(await pb.tick(SWEEP_QUEUE)).toEqual([]);

    // Whichever fetches it runs it; the other finds nothing.
    const ran = await Promise.all([pb.drain(SWEEP_QUEUE), pa.drain(SWEEP_QUEUE)]);
    expect(ran[0] + ran[1]).toBe(1);
    expect((await placeAccounting(db, town.tenant.id))[0]).toMatchObject({ taken: 0, live: 0 });

    // Once done, the next period's job can be offered.
    expect(await pa.tick(SWEEP_QUEUE)).toEqual([SWEEP_QUEUE]);
    expect((await pa.drain(SWEEP_QUEUE)) + (await pb.drain(SWEEP_QUEUE))).toBe(1);
    await pa.stop();
    await pb.stop();
  });
});
