/**
 * npm run bench:rush — registration day, measured.
 *
 * Seeds a town with 200 sessions × 20 places per phase and 10,000 signed-in residents, starts the
 * real server (the guichet command in a child process: PostgreSQL when DATABASE_URL is set, in a
 * fresh database made for the run on that server; else PGlite in a temporary folder), then drives
 * the booking flow over HTTP on loopback (hold a place, then confirm it; a free activity) with 100
 * and then 1,000 concurrent clients. Reports bookings per second, latencies, errors, and places
 * oversold as counted in the database afterwards, beside pgbench running the same statement on
 * the same database in the same run (on PGlite: against the local PostgreSQL, said in the report).
 *
 * Options: --clients 100,1000  --residents 10000  --sessions 200  --places 20  --max-seconds 120
 *          --pgbench-seconds 15  --pgbench-clients 16  --page-views 1000  --jobs true|false  --cpu-prof  --keep
 * Rate limits are lifted for the server under test (RATE_LIMIT_PER_MINUTE): every client comes
 * from 127.0.0.1, and the limits are not what is measured.
 * Never part of npm test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { fromPglite, fromPostgresUrl, type Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrator.ts';
import { openPgliteFolder } from '../src/db/pglite.ts';
import { sessionCookieName } from '../src/platform/auth/session.ts';
import { openPages, runPhase, type PageViews, type PhaseResult } from './rush/load.ts';
import { findPgbench, runPgbench, runPgliteReference, type InProcessResult, type PgbenchResult } from './rush/pgbench.ts';
import { account, rushTown, RUSH_HOST, seedActivities, seedPgbenchSessions, seedResidents, signIn, type Accounting, type RushActivity } from './rush/seed.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] && !process.argv[i + 1]!.startsWith('--') ? process.argv[i + 1]! : fallback;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

const o = {
  clients: option('clients', '100,1000').split(',').map(Number),
  residents: Number(option('residents', '10000')),
  sessions: Number(option('sessions', '200')),
  places: Number(option('places', '20')),
  maxSeconds: Number(option('max-seconds', '120')),
  pgbenchSeconds: Number(option('pgbench-seconds', '15')),
  pgbenchClients: Number(option('pgbench-clients', '16')),
  pageViews: Number(option('page-views', '1000')),
  jobs: option('jobs', 'true'),
  cpuProf: flag('cpu-prof'),
  keep: flag('keep'),
};

const log = (line: string) => console.log(`[rush] ${line}`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** A fresh database for the run on the server DATABASE_URL points at; dropped at the end unless --keep. */
async function createRunDatabase(baseUrl: string, label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `guichet_${label}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

interface Server {
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startServer(env: Record<string, string>, port: number): Promise<Server> {
  const profiles = path.join(os.tmpdir(), 'guichet-rush-profiles');
  if (o.cpuProf) log(`the server's CPU profile goes to ${profiles}`);
  const args = [...(o.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', profiles] : []), path.join(ROOT, 'bin/guichet.js'), 'start'];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => process.stderr.write(`[server] ${d.toString()}`));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const deadline = Date.now() + 120_000;
  while (!output.includes('Guichet is running at')) {
    if (child.exitCode !== null) throw new Error(`the server stopped at start:\n${output}`);
    if (Date.now() > deadline) throw new Error(`the server did not start in time:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`server up on 127.0.0.1:${port} (pid ${child.pid})`);
  return {
    child,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function table(rows: string[][]): string {
  return rows.map((r) => `| ${r.join(' | ')} |`).join('\n');
}

async function main() {
  const baseUrl = process.env.DATABASE_URL || undefined;
  const engine = baseUrl ? 'postgres' : 'pglite';
  const started = new Date();
  const loadAtStart = os.loadavg().map((l) => Math.round(l * 100) / 100);
  log(`engine: ${engine}; phases: ${o.clients.join(', ')} clients; ${o.sessions} sessions × ${o.places} places per phase; ${o.residents} residents`);

  // 1. The database and its data, before the server runs (PGlite allows one process at a time).
  const cleanups: Array<() => Promise<void>> = [];
  let runUrl: string | undefined;
  let dataDir: string | undefined;
  let db: Database;
  if (baseUrl) {
    const made = await createRunDatabase(baseUrl, 'rush');
    runUrl = made.url;
    if (!o.keep) cleanups.push(() => made.drop());
    db = fromPostgresUrl(runUrl, 10);
  } else {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-rush-'));
    if (!o.keep) cleanups.push(async () => fs.rmSync(dataDir!, { recursive: true, force: true }));
    const opened = await openPgliteFolder(dataDir);
    db = fromPglite(opened.pglite, () => opened.release());
  }
  const secret = crypto.randomBytes(32).toString('base64url');
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    SESSION_SECRET: secret,
    HOST: '127.0.0.1',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    JOBS: o.jobs,
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_SENSITIVE_PER_MINUTE: '1000000',
    PUBLIC_URL: `http://${RUSH_HOST}`,
    ...(runUrl ? { DATABASE_URL: runUrl } : { DATABASE_URL: '', GUICHET_DATA_DIR: dataDir! }),
  };
  const config = loadConfig(env);
  const cookieName = sessionCookieName(config);

  let t = Date.now();
  await migrate(db);
  const town = await rushTown(db);
  const residentIds = await seedResidents(db, town.id, o.residents);
  const phases: Array<{ clients: number; activities: RushActivity[] }> = [];
  for (const clients of o.clients) phases.push({ clients, activities: await seedActivities(db, town.id, `rush${clients}`, o.sessions, o.places) });
  log(`seeded the town, ${o.residents} residents and ${phases.length} × ${o.sessions} sessions in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  t = Date.now();
  const tokens = await signIn(db, town.id, residentIds);
  log(`signed ${tokens.length} residents in (session functions) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  await db.close();

  // 2. The real server, then the phases over HTTP.
  const port = await freePort();
  const server = await startServer({ ...env, PORT: String(port) }, port);
  const results: PhaseResult[] = [];
  let pageViews: PageViews | undefined;
  try {
    const opened = await openPages(port, RUSH_HOST, phases[0]!.activities[0]!.slug, cookieName, tokens, o.pageViews);
    pageViews = opened.pageViews;
    const residents = opened.residents;
    log(`${pageViews.views} residents opened an activity page (20 sessions, their household, the form) in ${pageViews.seconds} s = ${pageViews.perSecond}/s, p99 ${pageViews.latencyMs.p99} ms`);
    for (const phase of phases) {
      const sessions = phase.activities.flatMap((a) => a.sessionIds.map((sessionId) => ({ slug: a.slug, sessionId })));
      log(`phase: ${phase.clients} clients…`);
      const result = await runPhase({ port, host: RUSH_HOST, clients: phase.clients, sessions, residents, maxSeconds: o.maxSeconds });
      results.push(result);
      log(
        `  ${result.bookings} bookings in ${result.seconds} s = ${result.bookingsPerSecond}/s; booking p50 ${result.latencyMs.booking.p50} ms, ` +
          `p95 ${result.latencyMs.booking.p95} ms, p99 ${result.latencyMs.booking.p99} ms; hold p99 ${result.latencyMs.hold.p99} ms; ` +
          `full ${result.full}; errors ${result.errors} ${JSON.stringify(result.errorKinds)}; stopped by ${result.stoppedBy}`,
      );
    }
  } finally {
    await server.stop();
  }

  // 3. The numbers in the database, and the reference.
  let accounts: Accounting[];
  let pgbench: (PgbenchResult & { database: string }) | { skipped: string };
  let inPglite: InProcessResult | undefined;
  const binary = findPgbench();
  let pglite: Awaited<ReturnType<typeof openPgliteFolder>>['pglite'] | undefined;
  if (baseUrl) {
    db = fromPostgresUrl(runUrl!, 4);
  } else {
    const opened = await openPgliteFolder(dataDir!);
    pglite = opened.pglite;
    db = fromPglite(opened.pglite, () => opened.release());
  }
  try {
    accounts = [];
    for (const phase of phases) accounts.push(await account(db, town.id, phase.activities.map((a) => a.id)));
    if (pglite) {
      await seedPgbenchSessions(db, town.id, o.sessions);
      log(`the hold transaction in a loop on the same PGlite database (${o.pgbenchSeconds} s)…`);
      inPglite = await runPgliteReference(pglite, town.id, { seconds: o.pgbenchSeconds, residents: o.residents, sessions: o.sessions });
    }
    if (!binary) pgbench = { skipped: 'pgbench not found (install PostgreSQL client tools)' };
    else if (baseUrl) {
      await seedPgbenchSessions(db, town.id, o.sessions);
      log(`pgbench on the same database (${o.pgbenchClients} clients, ${o.pgbenchSeconds} s)…`);
      pgbench = { ...(await runPgbench(binary, runUrl!, town.id, { clients: o.pgbenchClients, threads: 2, seconds: o.pgbenchSeconds, residents: o.residents, sessions: o.sessions })), database: 'the same PostgreSQL database' };
    } else {
      pgbench = await pgliteReference(binary);
    }
  } finally {
    await db.close();
  }

  // 4. The report.
  const tps = 'tps' in pgbench ? pgbench.tps : undefined;
  const verdicts = results.map((r, i) => {
    const oversold = accounts[i]!.oversold === 0 && accounts[i]!.mismatched === 0;
    if (engine === 'pglite') return { clients: r.clients, oversoldOk: oversold, throughputOk: r.bookingsPerSecond >= 1000 };
    const ratio = tps ? r.bookingsPerSecond / tps : 0;
    return { clients: r.clients, oversoldOk: oversold, throughputOk: ratio >= 0.3, p99Ok: r.clients !== 100 || r.latencyMs.booking.p99 < 100 };
  });
  const met = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? 'met' : 'NOT met');
  const report = {
    benchmark: 'rush',
    engine,
    date: started.toISOString(),
    loadAverage: { atStart: loadAtStart, atEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) },
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memoryGb: Math.round(os.totalmem() / 1e9), node: process.version, platform: `${os.type()} ${os.release()}` },
    setup: {
      residents: o.residents,
      sessionsPerPhase: o.sessions,
      placesPerSession: o.places,
      flow: 'POST /fr/activities/:slug (hold, participant self, free activity) then POST /fr/bookings/:id/confirm; each resident books one place',
      server: `guichet start in a child process, NODE_ENV=production, JOBS=${o.jobs}, pool of 10 connections on PostgreSQL`,
      rateLimits: 'lifted for the run: RATE_LIMIT_PER_MINUTE=1000000 and RATE_LIMIT_SENSITIVE_PER_MINUTE=1000000 (all clients are 127.0.0.1)',
      loadGenerator: 'the same machine, node:http with keep-alive, one socket per client',
      csrf: `${o.pageViews} residents open the activity page first (timed apart: pageViews); the others reuse one of their CSRF cookie and token pairs (a CSRF secret is not tied to the session)`,
    },
    pageViews,
    phases: results.map((r, i) => ({ ...r, database: accounts[i], verdict: verdicts[i] })),
    pgbench,
    ...(inPglite ? { pgliteReference: inPglite } : {}),
    targets: {
      postgresRatio: 'bookings/s ≥ 0.3 × pgbench tps, with p99 < 100 ms at 100 clients',
      pglite: '≥ 1,000 bookings/s',
      oversold: 0,
    },
  };
  const dir = path.join(ROOT, 'bench/results');
  fs.mkdirSync(dir, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  fs.writeFileSync(path.join(dir, `rush-${engine}-${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);

  const md = [
    `# Registration-day rush on ${engine === 'postgres' ? 'PostgreSQL' : 'PGlite'}`,
    '',
    `Run ${started.toISOString()} on ${report.machine.cpus} CPU cores (${report.machine.cpuModel}), Node.js ${process.version}; ` +
      `load average ${loadAtStart[0]} at the start, ${report.loadAverage.atEnd[0]} at the end (other work on the machine shows here). ` +
      `${o.residents} signed-in residents; per phase ${o.sessions} sessions × ${o.places} places of a free activity. ` +
      'A booking is the hold (the form POST) then the confirmation (POST), over HTTP on loopback, against the real server ' +
      `(guichet start, NODE_ENV=production, JOBS=${o.jobs}). Rate limits lifted for the run (every client is 127.0.0.1).`,
    '',
    table([
      ['clients', 'bookings', 'seconds', 'bookings/s', 'booking p50 ms', 'p95 ms', 'p99 ms', 'hold p99 ms', 'confirm p99 ms', '"full" answers', 'errors', 'oversold', 'counters off', tps ? 'vs pgbench' : ''],
      ['---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', tps ? '---:' : ''],
      ...results.map((r, i) => [
        String(r.clients),
        String(r.bookings),
        String(r.seconds),
        String(r.bookingsPerSecond),
        String(r.latencyMs.booking.p50),
        String(r.latencyMs.booking.p95),
        String(r.latencyMs.booking.p99),
        String(r.latencyMs.hold.p99),
        String(r.latencyMs.confirm.p99),
        String(r.full),
        String(r.errors),
        String(accounts[i]!.oversold),
        String(accounts[i]!.mismatched),
        tps ? `${((r.bookingsPerSecond / tps) * 100).toFixed(0)} %` : '',
      ]),
    ]),
    '',
    pageViews
      ? `Before the phases, ${pageViews.views} residents opened an activity page (20 sessions, their household, the form): ${pageViews.perSecond} pages/s, p50 ${pageViews.latencyMs.p50} ms, p99 ${pageViews.latencyMs.p99} ms (50 at once).`
      : '',
    '',
    'tps' in pgbench
      ? `pgbench (${pgbench.database}): ${pgbench.command} → **${pgbench.tps} tps** (average latency ${pgbench.latencyAverageMs} ms, ${pgbench.failed} failed), ` +
        'running the hold statement (conditional update + booking insert, as the application role with the town set).'
      : `pgbench: ${pgbench.skipped}`,
    '',
    inPglite
      ? `The same transaction on the same PGlite database (${inPglite.description}): **${inPglite.tps} per second** ` +
        `(${inPglite.transactions} in ${inPglite.seconds} s, ${inPglite.latencyAverageMs} ms each). ` +
        `The full flow reached ${results.map((r) => `${((r.bookingsPerSecond / inPglite.tps) * 100).toFixed(0)} % of it at ${r.clients} clients`).join(', ')}.`
      : '',
    '',
    engine === 'pglite'
      ? `Targets (issue 5): ≥ 1,000 bookings/s on PGlite — ${verdicts.map((v) => `${v.clients} clients: ${met(v.throughputOk)}`).join(', ')}; ` +
        `zero oversold — ${met(verdicts.every((v) => v.oversoldOk))}.`
      : `Targets (issue 5): ≥ 0.3 × pgbench — ${verdicts.map((v) => `${v.clients} clients: ${met(v.throughputOk)}`).join(', ')}; ` +
        `p99 < 100 ms at 100 clients — ${met(verdicts.find((v) => v.clients === 100)?.p99Ok)}; zero oversold — ${met(verdicts.every((v) => v.oversoldOk))}.`,
    '',
    `Full report: rush-${engine}-${stamp}.json`,
    '',
  ]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
  fs.writeFileSync(path.join(dir, `rush-${engine}.md`), md);
  console.log(`\n${md}`);
  for (const c of cleanups) await c().catch(() => {});
}

/** On PGlite, pgbench cannot reach the database: the reference runs on the local PostgreSQL, same schema and data shape. */
async function pgliteReference(binary: string): Promise<PgbenchResult & { database: string }> {
  const base = 'postgres://postgres@127.0.0.1:5432/postgres';
  log('pgbench reference on the local PostgreSQL (PGlite cannot be reached by pgbench)…');
  const made = await createRunDatabase(base, 'rush_pgbench');
  const db = fromPostgresUrl(made.url, 4);
  try {
    await migrate(db);
    const town = await rushTown(db);
    await seedResidents(db, town.id, o.residents);
    await seedPgbenchSessions(db, town.id, o.sessions);
    const result = await runPgbench(binary, made.url, town.id, { clients: o.pgbenchClients, threads: 2, seconds: o.pgbenchSeconds, residents: o.residents, sessions: o.sessions });
    return { ...result, database: 'the local PostgreSQL at 127.0.0.1:5432, a fresh database with the same schema (PGlite cannot be reached by pgbench)' };
  } finally {
    await db.close();
    await made.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
