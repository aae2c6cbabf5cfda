/**
 * The reference: pgbench running registration day's statement (the conditional update that takes a
 * place plus the booking insert, exactly as repo.holdPlaceStatement writes it, in a transaction as
 * the application role with the town set) against the same tables, with no HTTP, no Node.js, no
 * sign-in. Each pgbench client books for residents of its own, so two clients never race for the
 * same person's place (which the application answers, and pgbench would count as a failure).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { PGlite } from '@electric-sql/pglite';
import { residentUuid } from './seed.ts';

const run = promisify(execFile);

export function findPgbench(): string | undefined {
  const candidates = [
    ...(fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql').sort().reverse().map((v) => `/usr/lib/postgresql/${v}/bin/pgbench`) : []),
    ...(process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'pgbench')),
  ];
  return candidates.find((c) => fs.existsSync(c));
}

export interface PgbenchResult {
  command: string;
  clients: number;
  threads: number;
  seconds: number;
  transactions: number;
  tps: number;
  latencyAverageMs: number;
  failed: number;
}

/** The hold statement of src/modules/bookings/repo.ts holdPlaceStatement, with the session, resident and key given as SQL expressions. */
function holdStatement(tenantId: string, v: { session: string; resident: string; key: string }): string {
  return `WITH place AS (
  UPDATE activity_sessions s SET taken = s.taken + 1
  WHERE s.tenant_id = '${tenantId}' AND s.id = ${v.session}
    AND s.taken < s.capacity AND s.cancelled_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM bookings k WHERE k.tenant_id = '${tenantId}' AND k.idempotency_key = ${v.key})
    AND NOT EXISTS (SELECT 1 FROM bookings l WHERE l.tenant_id = '${tenantId}' AND l.session_id = s.id
          AND l.resident_id = ${v.resident}
          AND coalesce(l.member_id, '00000000-0000-0000-0000-000000000000'::uuid) = '00000000-0000-0000-0000-000000000000'::uuid
          AND (l.status = 'confirmed' OR (l.status = 'held' AND l.hold_expires_at > now())))
  RETURNING s.id
), booking AS (
  INSERT INTO bookings (tenant_id, session_id, resident_id, member_id, participant_name, status, hold_expires_at,
                        idempotency_key, source, rate, price_cents)
  SELECT '${tenantId}'::uuid, place.id, ${v.resident}, NULL, NULL, 'held',
         now() + make_interval(secs => 600), ${v.key}, 'direct', 'nonresident', 0
  FROM place
  ON CONFLICT DO NOTHING
  RETURNING id, hold_expires_at
)
SELECT (SELECT id FROM booking), (SELECT hold_expires_at FROM booking), EXISTS (SELECT 1 FROM place)`;
}

/** The ids seedPgbenchSessions gives its sessions (seedResidents: residentUuid). */
const sessionUuid = (n: number) => `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;

function script(tenantId: string, residentsPerClient: number, sessions: number): string {
  return `\\set r random(1, ${residentsPerClient}) + :client_id * ${residentsPerClient}
\\set s random(1, ${sessions})
\\set k random(1, 1000000000)
BEGIN;
SELECT set_config('role', 'guichet_app', true), set_config('app.tenant_id', '${tenantId}', true);
${holdStatement(tenantId, {
  session: `('00000000-0000-4000-9000-' || lpad((:s)::text, 12, '0'))::uuid`,
  resident: `('00000000-0000-4000-8000-' || lpad((:r)::text, 12, '0'))::uuid`,
  key: `'pgbench-' || :client_id || '-' || :k || '-' || :s`,
})};
END;
`;
}

export interface InProcessResult {
  transactions: number;
  seconds: number;
  tps: number;
  latencyAverageMs: number;
  description: string;
}

/**
 * PGlite's own reference: pgbench cannot reach it, so the same transaction (BEGIN, the role and the
 * town, the hold statement, COMMIT) runs in a loop on the PGlite database itself, in this process,
 * one at a time (PGlite has one connection), through PGlite's own API: no HTTP, no application.
 */
export async function runPgliteReference(
  pglite: PGlite,
  tenantId: string,
  o: { seconds: number; residents: number; sessions: number },
): Promise<InProcessResult> {
  const statement = holdStatement(tenantId, { session: '$1::uuid', resident: '$2::uuid', key: '$3' });
  const deadline = performance.now() + o.seconds * 1000;
  const started = performance.now();
  let done = 0;
  while (performance.now() < deadline) {
    const n = done;
    await pglite.transaction(async (tx) => {
      await tx.query(`SELECT set_config('role', 'guichet_app', true), set_config('app.tenant_id', $1, true)`, [tenantId]);
      await tx.query(statement, [sessionUuid(1 + (n % o.sessions)), residentUuid(1 + (n % o.residents)), `pglite-reference-${String(n).padStart(10, "0")}`]);
    });
    done += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    transactions: done,
    seconds: Math.round(seconds * 100) / 100,
    tps: Math.round(done / seconds),
    latencyAverageMs: Math.round((seconds * 1000 * 1000) / done) / 1000,
    description: 'the hold transaction (BEGIN, role and town, the hold statement, COMMIT) in a loop on the same PGlite database, in one process, one at a time, through PGlite\'s own API',
  };
}

/** Runs pgbench against `databaseUrl` for `seconds`; the residents are numbered 1..residents. */
export async function runPgbench(
  binary: string,
  databaseUrl: string,
  tenantId: string,
  o: { clients: number; threads: number; seconds: number; residents: number; sessions: number },
): Promise<PgbenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-pgbench-'));
  const file = path.join(dir, 'hold.sql');
  fs.writeFileSync(file, script(tenantId, Math.floor(o.residents / (o.clients + 1)), o.sessions));
  const args = ['-n', '-f', file, '-c', String(o.clients), '-j', String(o.threads), '-T', String(o.seconds), databaseUrl];
  try {
    const { stdout } = await run(binary, args, { maxBuffer: 10 * 1024 * 1024 });
    const num = (re: RegExp) => Number(re.exec(stdout)?.[1] ?? NaN);
    return {
      command: `pgbench -n -f hold.sql -c ${o.clients} -j ${o.threads} -T ${o.seconds}`,
      clients: o.clients,
      threads: o.threads,
      seconds: o.seconds,
      transactions: num(/number of transactions actually processed: (\d+)/),
      tps: Math.round(num(/tps = ([\d.]+)/)),
      latencyAverageMs: num(/latency average = ([\d.]+) ms/),
      failed: num(/number of failed transactions: (\d+)/) || 0,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
