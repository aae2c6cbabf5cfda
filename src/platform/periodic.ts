/**
 * Periodic tasks on the job queue (pg-boss): housekeeping that must run every so often, by one
 * process at a time, however many processes work the queue.
 *
 * Each task has a queue with the `exclusive` policy: at most one job of it is queued or running in
 * the whole database. Every process working the queue offers a job every `everySeconds`; while one
 * is waiting or running, the others' offers are dropped by pg-boss. Whichever worker fetches the
 * job runs the task. A process that dies mid-task leaves its job to expire and be retried.
 *
 * A module registers its task when it loads (before startJobs runs):
 *   registerPeriodicTask({ queue: 'bookings-sweep', everySeconds: 30, run: ({ db, config }) => ... });
 */
import type { PgBoss } from 'pg-boss';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { JobsLogger } from './outbox/worker.ts';

export interface PeriodicDeps {
  db: Database;
  config: Config;
  logger: JobsLogger;
}

export interface PeriodicTask {
  /** The queue's name: letters, digits, dashes. */
  queue: string;
  everySeconds: number;
  run(deps: PeriodicDeps): Promise<unknown>;
}

const tasks = new Map<string, PeriodicTask>();

/** Registers a task (once per queue name; a second registration replaces the first). */
export function registerPeriodicTask(task: PeriodicTask): void {
  if (!/^[a-z0-9-]{1,50}$/.test(task.queue)) throw new Error(`bad periodic queue name ${task.queue}`);
  tasks.set(task.queue, task);
}

export function periodicTasks(): PeriodicTask[] {
  return [...tasks.values()];
}

export interface Periodic {
  /** Offers one job of every task (or of one) now; returns the queues whose job was taken (none was waiting or running). */
  tick(queue?: string): Promise<string[]>;
  /** Runs, in this call, the jobs of every task (or of one) this process can fetch now; returns how many ran. */
  drain(queue?: string): Promise<number>;
  stop(): Promise<void>;
}

export interface PeriodicOptions {
  /** Work the tasks' queues in this process (poll and run). */
  work: boolean;
  /** Offer jobs on a timer (off in tests, which call tick). */
  timers: boolean;
  pollingIntervalSeconds: number;
}

async function runOne(task: PeriodicTask, deps: PeriodicDeps): Promise<void> {
  try {
    await task.run(deps);
  } catch (err) {
    deps.logger.error({ err, queue: task.queue }, 'periodic task failed');
    throw err;
  }
}

export async function startPeriodicTasks(boss: PgBoss, deps: PeriodicDeps, options: PeriodicOptions): Promise<Periodic> {
  const list = periodicTasks();
  for (const task of list) {
    const queueOptions = { retryLimit: 0, expireInSeconds: Math.max(60, task.everySeconds * 10) };
    await boss.createQueue(task.queue, { policy: 'exclusive', ...queueOptions });
    await boss.updateQueue(task.queue, queueOptions);
    if (options.work) {
      await boss.work(task.queue, { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds }, async () => {
        await runOne(task, deps);
      });
    }
  }

  const tasksOf = (queue?: string) => (queue ? list.filter((t) => t.queue === queue) : list);

  async function tick(queue?: string): Promise<string[]> {
    const taken: string[] = [];
    for (const task of tasksOf(queue)) {
      try {
        if (await boss.send(task.queue, {})) taken.push(task.queue);
      } catch (err) {
        deps.logger.error({ err, queue: task.queue }, 'periodic job not offered');
      }
    }
    return taken;
  }

  if (options.timers) await tick();
  const timers = options.timers
    ? list.map((task) => {
        const timer = setInterval(() => void tick(), task.everySeconds * 1000);
        timer.unref();
        return timer;
      })
    : [];

  return {
    tick,
    async drain(queue?: string) {
      let ran = 0;
      for (const task of tasksOf(queue)) {
        for (;;) {
          const [job] = await boss.fetch(task.queue, { batchSize: 1 });
          if (!job) break;
          try {
            await runOne(task, deps);
            await boss.complete(task.queue, job.id);
          } catch (err) {
            await boss.fail(task.queue, job.id, { message: err instanceof Error ? err.message : String(err) });
          }
          ran += 1;
        }
      }
      return ran;
    },
    async stop() {
      for (const timer of timers) clearInterval(timer);
      if (options.work) for (const task of list) await boss.offWork(task.queue);
    },
  };
}
