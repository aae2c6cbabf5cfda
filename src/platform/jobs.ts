/**
 * Background jobs: pg-boss 12 on the owner pool, on PostgreSQL and on PGlite alike.
 *
 * Every process that writes to the outbox starts the queue (`startJobs`), because a job is
 * enqueued in the same transaction as the change that causes it. Only processes with JOBS=true
 * (the default) also work the queue: deliver emails in batches with retries and backoff, run
 * pg-boss's maintenance, and sweep the outbox for pending messages that have no job (written while
 * no queue was running in the process, e.g. by a command-line task). Several processes may work
 * one PostgreSQL database side by side: pg-boss hands each job to one worker at a time.
 *
 * server.ts:
 *   const jobs = await startJobs({ config, db, logger: app.log });   // after migrate, before listen
 *   ...on shutdown: await app.close(); await jobs.stop(); await db.close();
 */
import type pg from 'pg';
import { CompiledQuery, sql } from 'kysely';
import { PgBoss, type Db as BossDb, type JobInsert } from 'pg-boss';
import type { Config } from '../config.ts';
import { afterCommit, type Database, type Tx } from '../db/database.ts';
import { createMailer, type MailerTimeouts } from './outbox/mailer.ts';
import * as outboxRepo from './outbox/repo.ts';
import { startPeriodicTasks } from './periodic.ts';
// Registers the hourly removal of old emails and rate-limit counters as a periodic job.
import './retention.ts';
import { listTenants } from '../modules/tenants/service.ts';
import { deliverBatch, EMAIL_QUEUE, type DeliveryContext, type EmailJobData, type JobsLogger } from './outbox/worker.ts';

export type { JobsLogger } from './outbox/worker.ts';

export interface JobsOptions {
  /** The PostgreSQL schema pg-boss keeps its tables in. */
  schema: string;
  /** Work the queue in this process; defaults to config.jobs (JOBS). */
  work: boolean;
  /** Jobs fetched per poll: one-at-a-time polling tops out near 20 jobs a second on PGlite. */
  batchSize: number;
  /** Messages of one batch sent at the same time. */
  concurrency: number;
  /** Seconds between polls when the queue is idle (pg-boss minimum 0.5). */
  pollingIntervalSeconds: number;
  /** Attempts after the first before a message is marked failed. */
  retryLimit: number;
  /** First delay between attempts, in seconds; it doubles each time (with jitter) up to retryDelayMaxSeconds. */
  retryDelaySeconds: number;
  retryDelayMaxSeconds: number;
  /** A job running longer than this is taken back and retried; SMTP timeouts stay well below it. */
  expireInSeconds: number;
  /**
   * How often a worker re-enqueues pending outbox messages that have no job (also once at start);
   * 0 turns the automatic sweep off.
   */
  sweepIntervalSeconds: number;
  mailerTimeouts: MailerTimeouts | undefined;
}

/**
 * Production defaults: attempts after 30 s, 1, 2, 4, 8, 16, 32 min, then hourly, 20 in all, so an
 * SMTP outage of more than half a day passes without losing a message.
 */
export const DEFAULT_JOBS_OPTIONS: JobsOptions = {
  schema: 'pgboss',
  work: true,
  batchSize: 20,
  concurrency: 5,
  pollingIntervalSeconds: 1,
  retryLimit: 20,
  retryDelaySeconds: 30,
  retryDelayMaxSeconds: 3600,
  expireInSeconds: 300,
  sweepIntervalSeconds: 300,
  mailerTimeouts: undefined,
};

export interface Jobs {
  /** The pg-boss instance, for operators' tooling and tests. */
  readonly boss: PgBoss;
  /** Delivers every email job that is due now, batch after batch, in this call; returns how many jobs ran. */
  drain(): Promise<number>;
  /**
   * Enqueues a job for every pending outbox message that has none, in every town or in the towns
   * given; returns how many pending messages it looked at.
   */
  sweep(tenantIds?: readonly string[]): Promise<number>;
  /** Waits until the jobs of every transaction committed so far are in the queue (see sendJobInTransaction). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartJobsDeps {
  config: Config;
  db: Database;
  logger: JobsLogger;
  options?: Partial<JobsOptions>;
}

/**
 * pg-boss's statements on the owner pool. A statement that fails inside pg-boss's own
 * BEGIN ... COMMIT leaves its session in an aborted transaction; on PGlite the session outlives
 * the client, so it is rolled back before the connection goes back to the pool.
 */
function ownerPoolDb(pool: pg.Pool): BossDb {
  return {
    async executeSql(text, values) {
      const client = await pool.connect();
      let broken = false;
      try {
        // Several statements without parameters come back as an array of results; pg-boss unwraps them.
        return await client.query(text, values);
      } catch (err) {
        try {
          await client.query('rollback');
        } catch {
          broken = true;
        }
        throw err;
      } finally {
        client.release(broken);
      }
    },
  };
}

/**
 * pg-boss statements inside the caller's transaction, so a job commits or rolls back with the
 * change that caused it. The transaction runs as the application role, which has no rights on
 * pg-boss's schema: the job insert runs as the owner (SET LOCAL ROLE NONE returns to the session's
 * user), then the application role is restored for the rest of the transaction.
 */
export function transactionDb(trx: Tx): BossDb {
  return {
    async executeSql(text, values) {
      const { rows } = await sql<{ role: string }>`select current_user as role`.execute(trx);
      await sql`set local role none`.execute(trx);
      const result = await trx.executeQuery(CompiledQuery.raw(text, values ?? []));
      await sql`select set_config('role', ${rows[0]!.role}, true)`.execute(trx);
      return { rows: [...result.rows] };
    },
  };
}

/**
 * Puts the jobs of committed transactions into the queue, many at once: one insert for all the jobs
 * committed while the previous insert ran, on the owner pool. A job whose insert fails (the
 * database went away) is not lost: its outbox row is still pending, and a worker's sweep gives it
 * a job (the job's id is the outbox id, so a job is never made twice).
 */
class Dispatcher {
  private pending = new Map<string, JobInsert[]>();
  private running: Promise<void> | null = null;
  constructor(
    readonly boss: PgBoss,
    private readonly logger: JobsLogger,
  ) {}

  add(queue: string, job: JobInsert): void {
    const list = this.pending.get(queue);
    if (list) list.push(job);
    else this.pending.set(queue, [job]);
    this.running ??= this.run();
  }

  /** Resolves once everything added before the call is in the queue (or has failed and was logged). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  private async run(): Promise<void> {
    // Let the other requests of this turn of the event loop commit theirs too.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (this.pending.size > 0) {
        const batches = [...this.pending];
        this.pending = new Map();
        for (const [queue, jobs] of batches) {
          for (let i = 0; i < jobs.length; i += 500) {
            try {
              await this.boss.insert(queue, jobs.slice(i, i + 500));
            } catch (err) {
              this.logger.error({ err, queue, jobs: jobs.length }, 'jobs not enqueued; the outbox sweep will enqueue them');
            }
          }
        }
      }
    } finally {
      this.running = null;
    }
  }
}

// The queue this process enqueues into. One process serves one database, so one queue is running
// at a time; enqueueing with none running leaves the outbox row pending for a worker's sweep.
let active: Dispatcher | null = null;

/**
 * Enqueues a job for a change made in the caller's transaction. Returns false when no queue runs in
 * this process (the job is then created later by a worker's sweep of the outbox).
 *
 * Inside withTenant/withoutTenant the job is created right after the transaction commits, in a batch
 * with the other transactions' jobs (Jobs.flush waits for it): nothing is created if the
 * transaction rolls back, and the transaction itself spends no statement on the queue. The outbox
 * row written in the transaction stays the record that a message is owed: if the process stops
 * between the commit and the batch, the sweep enqueues it. Elsewhere (a transaction of the owner
 * handle) the job is inserted in the transaction itself.
 */
export async function sendJobInTransaction(trx: Tx, queue: string, data: object, options: { id: string }): Promise<boolean> {
  const dispatcher = active;
  if (!dispatcher) return false;
  if (afterCommit(trx, () => dispatcher.add(queue, { id: options.id, data }))) return true;
  await dispatcher.boss.send(queue, data, { id: options.id, db: transactionDb(trx) });
  return true;
}

export async function startJobs({ config, db, logger, options }: StartJobsDeps): Promise<Jobs> {
  const o: JobsOptions = { ...DEFAULT_JOBS_OPTIONS, work: config.jobs, ...options };
  const boss = new PgBoss({
    db: ownerPoolDb(db.pool),
    backend: db.engine === 'pglite' ? 'pglite' : 'postgres',
    schema: o.schema,
    migrate: true,
    supervise: o.work,
    schedule: false,
  });
  // pg-boss's errors carry SQL and ids, never message contents.
  boss.on('error', (err) => logger.error({ err }, 'job queue error'));
  boss.on('warning', (warning) => logger.warn({ warning: warning.message }, 'job queue warning'));
  await boss.start();

  const queueOptions = {
    retryLimit: o.retryLimit,
    retryDelay: o.retryDelaySeconds,
    retryBackoff: true,
    retryDelayMax: o.retryDelayMaxSeconds,
    expireInSeconds: o.expireInSeconds,
  };
  await boss.createQueue(EMAIL_QUEUE, queueOptions);
  // createQueue leaves an existing queue alone: apply settings changed since it was made.
  await boss.updateQueue(EMAIL_QUEUE, queueOptions);

  const mailer = createMailer(config.smtp, o.mailerTimeouts);
  if (mailer.kind === 'devMailbox' && o.work) {
    const message = 'SMTP_URL is not set: emails are kept in the development mailbox, nobody receives them';
    if (config.env === 'production') logger.warn(message);
    else logger.info(message);
  }
  const ctx: DeliveryContext = { db, mailer, logger };
  const dispatcher = new Dispatcher(boss, logger);
  active = dispatcher;

  async function sweep(tenantIds?: readonly string[]): Promise<number> {
    const towns = tenantIds ?? (await listTenants(db)).map((t) => t.id);
    let seen = 0;
    for (const tenantId of towns) {
      const pending = await db.withTenant(tenantId, (trx) => outboxRepo.listPending(trx, tenantId, 500));
      if (pending.length === 0) continue;
      const jobs: JobInsert<EmailJobData>[] = pending.map((id) => ({ id, data: { tenantId, outboxId: id } }));
      // The job id is the outbox id: a message that still has its job is left as it is.
      await boss.insert(EMAIL_QUEUE, jobs);
      seen += pending.length;
    }
    return seen;
  }

  async function drain(): Promise<number> {
    await dispatcher.flush();
    let total = 0;
    for (;;) {
      const batch = await boss.fetch(EMAIL_QUEUE, { batchSize: o.batchSize, includeMetadata: true });
      if (batch.length === 0) return total;
      const results = await deliverBatch(ctx, batch, o.concurrency);
      for (const result of results) {
        if (result.status === 'completed') await boss.complete(EMAIL_QUEUE, result.id, result.output as object | undefined);
        else await boss.fail(EMAIL_QUEUE, result.id, result.output as object | undefined);
      }
      total += batch.length;
    }
  }

  let sweepTimer: NodeJS.Timeout | undefined;
  if (o.work) {
    if (o.sweepIntervalSeconds > 0) await sweep();
    await boss.work(
      EMAIL_QUEUE,
      {
        batchSize: o.batchSize,
        pollingIntervalSeconds: o.pollingIntervalSeconds,
        burstWhenBatchFull: true,
        includeMetadata: true,
        perJobResults: true,
      },
      (batch) => deliverBatch(ctx, batch, o.concurrency),
    );
    if (o.sweepIntervalSeconds > 0) {
      sweepTimer = setInterval(() => {
        sweep().catch((err: unknown) => logger.error({ err }, 'outbox sweep failed'));
      }, o.sweepIntervalSeconds * 1000);
      sweepTimer.unref();
    }
  }

  // Periodic tasks (platform/periodic.ts), e.g. the bookings sweep: one process at a time runs each.
  const periodic = await startPeriodicTasks(boss, { db, config, logger }, { work: o.work, timers: o.work && config.env !== 'test', pollingIntervalSeconds: 2 });

  let stopped = false;
  return {
    boss,
    drain,
    sweep,
    flush: () => dispatcher.flush(),
    async stop() {
      if (stopped) return;
      stopped = true;
      if (sweepTimer) clearInterval(sweepTimer);
      await periodic.stop();
      if (active === dispatcher) active = null;
      await dispatcher.flush();
      await boss.stop({ graceful: true, timeout: 10_000 });
      mailer.close();
    },
  };
}
