/**
 * Runs Guichet: opens the database (PostgreSQL with DATABASE_URL, else the embedded PGlite database
 * in the data folder, locked against a second process), applies migrations, seeds the demo town
 * when asked, listens, starts the background jobs, and shuts all of it down cleanly on SIGINT/SIGTERM.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { fromPglite, fromPostgresUrl, type Database } from './db/database.ts';
import { openPgliteFolder } from './db/pglite.ts';
import { migrate } from './db/migrator.ts';
import { seedDemo, type DemoSeed } from './modules/demo/seed.ts';
import { startJobs } from './platform/jobs.ts';

/** Opens the configured database. On PGlite this takes the folder's lock (DataDirLockedError if held). */
export async function openDatabase(config: Config): Promise<Database> {
  if (config.databaseUrl) return fromPostgresUrl(config.databaseUrl);
  const opened = await openPgliteFolder(config.dataDir);
  return fromPglite(opened.pglite, () => opened.release());
}

export function describeDatabase(config: Config): string {
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  }
  return `embedded PGlite database in ${config.dataDir}`;
}

export interface RunningServer {
  app: FastifyInstance;
  db: Database;
  /** The address people open, e.g. http://localhost:3000 */
  url: string;
  port: number;
  demo: DemoSeed | undefined;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Install SIGINT/SIGTERM handlers that stop the server and exit (the command line does). */
  handleSignals?: boolean;
  print?: (line: string) => void;
}

const LOOPBACK = new Set(['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost']);

function bannerLines(config: Config, url: string, demo: DemoSeed | undefined): string[] {
  const lines = [`Guichet is running at ${url}`, `  Database: ${describeDatabase(config)}`];
  if (config.publicUrl !== `http://localhost:${config.port}` && config.publicUrl !== url) {
    lines.push(`  Public address (PUBLIC_URL): ${config.publicUrl}`);
  }
  lines.push(`  Background jobs: ${config.jobs ? 'on' : 'off in this process (JOBS=false)'}`);
  if (!config.smtp.url) lines.push('  Email: no SMTP_URL, messages are kept in the development mailbox (staff area → Sent mail)');
  if (demo) {
    const base = demo.hosts.includes('localhost') ? url.replace(/\/\/[^:/]+/, '//localhost') : undefined;
    lines.push(
      '',
      `Demo town: ${demo.tenant.name.fr} / ${demo.tenant.name.en}${demo.hosts.length ? ` (hosts: ${demo.hosts.join(', ')})` : ''}`,
    );
    if (base) lines.push(`  Site:          ${base}/fr  ·  ${base}/en`, `  Staff sign-in: ${base}/fr/staff/sign-in`);
    for (const person of demo.staff) lines.push(`  ${person.role.padEnd(5)}  ${person.email}`);
    lines.push(
      `  Password for both: ${demo.password}`,
      '  DEMO ONLY: these accounts and their password are public. Set SEED_DEMO=false on a real deployment.',
    );
    if (base) lines.push(`  Resident sign-in: ${base}/fr/account/sign-in  (${demo.resident.email})`);
    else lines.push(`  Resident: ${demo.resident.email}`);
    lines.push(
      config.smtp.url
        ? '  Residents sign in with a code sent by email.'
        : '  Residents sign in with a code sent by email: read it in the staff area → Sent mail.',
    );
  }
  lines.push('', 'Press Ctrl+C to stop.');
  return lines;
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const print = options.print ?? ((line: string) => console.log(line));
  const db = await openDatabase(config);
  let app: FastifyInstance | undefined;
  let jobs: { stop(): Promise<void> } | undefined;
  let demo: DemoSeed | undefined;
  try {
    await migrate(db);
    if (config.seedDemo) demo = await seedDemo(db);
    app = await buildApp({ config, db });
    // Always started: outbox writes enqueue their job in the same transaction. With JOBS=false this
    // process only enqueues; another process works the queue.
    jobs = await startJobs({ config, db, logger: app.log });
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await app?.close().catch(() => {});
    await db.close().catch(() => {});
    throw err;
  }
  const port = (app.server.address() as AddressInfo).port;
  const shownHost = LOOPBACK.has(config.host) ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${shownHost}:${port}`;
  print(bannerLines(config, url, demo).join('\n'));

  const running = app;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await running.close();
      await jobs?.stop();
      await db.close();
    })();
    return stopping;
  };

  if (options.handleSignals) {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        print(`Second ${signal}: stopping now.`);
        process.exit(1);
      }
      signalled = true;
      print(`${signal} received: stopping Guichet...`);
      const force = setTimeout(() => {
        print('Shutdown took longer than 15 seconds: stopping now.');
        process.exit(1);
      }, 15_000);
      force.unref();
      stop().then(
        () => {
          print('Guichet stopped.');
          process.exit(0);
        },
        (err: unknown) => {
          print(`Error while stopping: ${err instanceof Error ? err.message : String(err)}`);
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }

  return { app: running, db, url, port, demo, stop };
}
