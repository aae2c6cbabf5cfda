/**
 * Profiles registration day's hot path in process (no HTTP, no load generator competing for the
 * CPU): builds the app on PostgreSQL (DATABASE_URL, a fresh database) or PGlite (in memory),
 * books `--bookings` places through app.inject with `--concurrency` at once (hold then confirm),
 * and writes a CPU profile of that loop only, with the heaviest functions and, on PGlite, the
 * statements one booking runs.
 *   tsx bench/rush/probe.ts [--bookings 400] [--concurrency 20]
 */
import fs from 'node:fs';
import inspector from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { fromPglite, fromPostgresUrl, type Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrator.ts';
import { openPgliteMemory } from '../../src/db/pglite.ts';
import { sessionCookieName } from '../../src/platform/auth/session.ts';
import { startJobs } from '../../src/platform/jobs.ts';
import { rushTown, RUSH_HOST, seedActivities, seedResidents, signIn } from './seed.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const BOOKINGS = arg('bookings', 400);
const CONCURRENCY = arg('concurrency', 20);
const OUT = path.join(os.tmpdir(), 'guichet-rush-profiles');

const statements: string[] = [];
/** Time spent inside PGlite per statement (all its protocol messages), in ms. */
const timings = new Map<string, number>();
let counting = false;
let db: Database;
let dropDb: (() => Promise<void>) | undefined;
const base = process.env.DATABASE_URL;
if (base) {
  const name = `guichet_probe_${Date.now()}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  db = fromPostgresUrl(url.toString(), 10);
  dropDb = async () => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
} else {
  const pglite = await openPgliteMemory();
  // Counts the statements the app sends (Parse or Query messages of the wire protocol).
  const target = pglite as unknown as { execProtocolStream: (msg: Uint8Array, ...rest: unknown[]) => unknown };
  const original = target.execProtocolStream.bind(pglite);
  let current = '';
  // Statement names of the prepared statements, to count and label their later executions (Bind).
  const names = new Map<string, string>();
  const cstring = (msg: Uint8Array, at: number) => Buffer.from(msg).toString('utf8', at, msg.indexOf(0, at));
  target.execProtocolStream = (msg: Uint8Array, ...rest: unknown[]) => {
    const kind = msg[0];
    if (kind === 0x50) {
      // Parse: name, then text.
      const name = cstring(msg, 5);
      const text = Buffer.from(msg).toString('utf8', 5 + Buffer.byteLength(name) + 1).replace(/\0/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 100);
      if (name) names.set(name, text);
      current = text;
    } else if (kind === 0x51) current = Buffer.from(msg).toString('utf8', 5).replace(/\0/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 100);
    let named = false;
    if (kind === 0x42) {
      // Bind: portal, then statement name; an unnamed statement was counted at its Parse.
      const statement = cstring(msg, 5 + Buffer.byteLength(cstring(msg, 5)) + 1);
      named = statement !== '';
      if (named) current = names.get(statement) ?? current;
    }
    if (counting && (kind === 0x51 || (kind === 0x50 && msg[5] === 0) || named)) statements.push(current);
    if (!counting) return original(msg, ...rest);
    const t0 = performance.now();
    const key = current.replace(/\$\d+/g, '?').slice(0, 70);
    const result = original(msg, ...rest) as Promise<unknown>;
    return result.then((r) => {
      timings.set(key, (timings.get(key) ?? 0) + performance.now() - t0);
      return r;
    });
  };
  db = fromPglite(pglite, () => pglite.close());
}
/** The PostgreSQL backends serving this process (same machine): their CPU time is the database's share. */
const backends = new Set<number>();
db.pool.on('connect', (client) => {
  const pid = (client as unknown as { processID?: number }).processID;
  if (pid) backends.add(pid);
});
const ticksPerMs = 100 / 1000;
function backendCpuMs(): number {
  let ticks = 0;
  for (const pid of backends) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the backend has ended
    }
  }
  return ticks / ticksPerMs;
}
await migrate(db);
const town = await rushTown(db);
const ids = await seedResidents(db, town.id, BOOKINGS);
const [activity] = await seedActivities(db, town.id, 'probe', 20, Math.ceil(BOOKINGS / 20), 20);
const tokens = await signIn(db, town.id, ids);
const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'probe-'.repeat(8), LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000', JOBS: 'false' });
const app = await buildApp({ config, db });
await app.ready();
const jobs = await startJobs({ config, db, logger: app.log });
const session = (i: number) => `${sessionCookieName(config)}=${tokens[i]}`;
const page = await app.inject({ url: `/fr/activities/${activity!.slug}`, headers: { host: RUSH_HOST, cookie: session(0) } });
const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
const csrfCookie = page.cookies.find((c) => c.name.endsWith('csrf'))!;
const form = (fields: Record<string, string>) => new URLSearchParams({ _csrf: csrf, ...fields }).toString();

const ins = new inspector.Session();
ins.connect();
await ins.post('Profiler.enable');
await ins.post('Profiler.start');
counting = true;
let next = 0;
let done = 0;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const backend0 = backendCpuMs();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    for (;;) {
      const i = next++;
      if (i >= BOOKINGS) return;
      const headers = { host: RUSH_HOST, cookie: `${session(i)}; ${csrfCookie.name}=${csrfCookie.value}`, 'content-type': 'application/x-www-form-urlencoded' };
      const hold = await app.inject({
        method: 'POST',
        url: `/fr/activities/${activity!.slug}`,
        headers,
        payload: form({ _idem: `probe-${i}-xxxxxxxxxxxxxxxxxxxx`, session: activity!.sessionIds[i % 20]!, participant: 'self', action: 'hold' }),
      });
      if (hold.statusCode !== 303) throw new Error(`hold ${hold.statusCode}`);
      const confirm = await app.inject({ method: 'POST', url: `${hold.headers.location as string}/confirm`, headers, payload: form({}) });
      if (confirm.statusCode !== 303) throw new Error(`confirm ${confirm.statusCode}`);
      done += 1;
    }
  }),
);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const backendMs = backendCpuMs() - backend0;
counting = false;
const { profile } = await ins.post('Profiler.stop');
fs.mkdirSync(OUT, { recursive: true });
const file = path.join(OUT, `probe-${base ? 'postgres' : 'pglite'}-${Date.now()}.cpuprofile`);
fs.writeFileSync(file, JSON.stringify(profile));
console.log(`${done} bookings in ${seconds.toFixed(2)} s = ${Math.round(done / seconds)} bookings/s in process (${CONCURRENCY} at once, ${base ? 'PostgreSQL' : 'PGlite in memory'})`);
// CPU time of this process per booking: steadier than the wall time when other work shares the machine.
console.log(`CPU time of this process: ${((cpu.user + cpu.system) / 1000 / done).toFixed(2)} ms per booking (load average ${os.loadavg()[0]!.toFixed(2)})`);
if (base) console.log(`CPU time of the PostgreSQL backends serving it: ${(backendMs / done).toFixed(2)} ms per booking (${backends.size} backends)`);

// The heaviest functions by self time, and by package.
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
const pkg = new Map<string, number>();
let total = 0;
profile.samples!.forEach((id, i) => {
  const dt = profile.timeDeltas![i] ?? 0;
  total += dt;
  const frame = byId.get(id)!.callFrame;
  const where = frame.url.replace(/.*node_modules\//, '').replace(/.*\/work\/main\//, '').replace(/^file:\/\/.*\/(src|bench)\//, '$1/');
  const key = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + dt);
  const p = where.startsWith('@') ? where.split('/').slice(0, 2).join('/') : where.split('/')[0] || frame.functionName;
  pkg.set(p, (pkg.get(p) ?? 0) + dt);
});
const top = (m: Map<string, number>, n: number) =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `  ${((v / total) * 100).toFixed(1).padStart(5)} %  ${k}`).join('\n');
console.log(`CPU profile (${file}):\n${top(self, 25)}\nby package:\n${top(pkg, 15)}`);
if (timings.size > 0) {
  const spent = [...timings.values()].reduce((a, b) => a + b, 0);
  console.log(`\ntime inside PGlite: ${(spent / done).toFixed(2)} ms per booking (${((spent / 1000 / seconds) * 100).toFixed(0)} % of the wall time), by statement:`);
  console.log([...timings].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `  ${(v / done).toFixed(2).padStart(6)} ms  ${k}`).join('\n'));
}
if (statements.length > 0) {
  console.log(`\n${(statements.length / done).toFixed(1)} statements per booking; the first booking's:`);
  const perBooking = Math.round(statements.length / done);
  console.log(statements.slice(0, perBooking).map((s) => `  ${s}`).join('\n'));
}
await app.close();
await jobs.stop();
await db.close();
await dropDb?.();
