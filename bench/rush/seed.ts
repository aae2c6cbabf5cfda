/**
 * The rush's town: activities of 20-place sessions (free, first come first served, open now),
 * residents in bulk, and a signed-in session per resident, made directly with the session
 * functions (the cookie a browser would get at sign-in). Also the fixtures pgbench books against.
 */
import { sql } from 'kysely';
import type { Database } from '../../src/db/database.ts';
import { createResidentSession } from '../../src/platform/auth/session.ts';
import { createActivity } from '../../src/modules/bookings/catalogue.ts';
import { createTenant, findTenantBySlug, type Tenant } from '../../src/modules/tenants/service.ts';

export const RUSH_HOST = 'rush.guichet.test';
export const RUSH_SLUG = 'rush';

/** A resident's id the pgbench script can compute from a number: 00000000-0000-4000-8000-000000000042. */
export const residentUuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
/** The same for the sessions pgbench books (kept apart from the HTTP phases' sessions). */
export const pgbenchSessionUuid = (n: number) => `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;

export async function rushTown(db: Database): Promise<Tenant> {
  return (
    (await findTenantBySlug(db, RUSH_SLUG)) ??
    createTenant(db, { slug: RUSH_SLUG, name: { fr: 'Ville de Ruée', en: 'Town of Rush' }, hosts: [RUSH_HOST], timeZone: 'America/Toronto' })
  );
}

/** `residents` accounts with predictable ids (bench set-up only: real accounts come from signing in). */
export async function seedResidents(db: Database, tenantId: string, residents: number): Promise<string[]> {
  await db.withTenant(tenantId, async (trx) => {
    await sql`insert into residents (tenant_id, id, email, locale)
      select ${tenantId}::uuid, ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'rush-' || g || '@rush.test', 'fr'
      from generate_series(1, ${residents}::int) g
      on conflict do nothing`.execute(trx);
  });
  return Array.from({ length: residents }, (_, i) => residentUuid(i + 1));
}

/** One live session per resident; returns the cookie tokens in the residents' order. */
export async function signIn(db: Database, tenantId: string, residentIds: string[]): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < residentIds.length; i += 500) {
    const batch = residentIds.slice(i, i + 500);
    tokens.push(
      ...(await db.withTenant(tenantId, async (trx) => {
        const out: string[] = [];
        for (const id of batch) out.push(await createResidentSession(trx, tenantId, id, 'rush-bench'));
        return out;
      })),
    );
  }
  return tokens;
}

export interface RushActivity {
  slug: string;
  id: string;
  sessionIds: string[];
}

/**
 * `sessions` sessions of `places` places, spread over activities of `perActivity` sessions (a day
 * camp's weeks): free, first come first served, open since a minute ago.
 */
export async function seedActivities(db: Database, tenantId: string, label: string, sessions: number, places: number, perActivity = 20): Promise<RushActivity[]> {
  const out: RushActivity[] = [];
  const start = Date.now() + 7 * 24 * 3_600_000;
  for (let a = 0; a * perActivity < sessions; a++) {
    const count = Math.min(perActivity, sessions - a * perActivity);
    const slug = `${label}-${a + 1}`;
    const created = await createActivity(db, tenantId, {
      slug,
      kind: 'activity',
      name: { fr: `Camp de jour ${label} ${a + 1}`, en: `Day camp ${label} ${a + 1}` },
      opensAt: new Date(Date.now() - 60_000),
      holdMinutes: 10,
      sessions: Array.from({ length: count }, (_, i) => ({
        startsAt: new Date(start + (a * perActivity + i) * 3_600_000),
        endsAt: new Date(start + (a * perActivity + i) * 3_600_000 + 3_000_000),
        capacity: places,
      })),
    });
    if (!created) throw new Error(`activity ${slug} exists already`);
    out.push({ slug, id: created.id, sessionIds: created.sessionIds });
  }
  return out;
}

/**
 * pgbench's fixtures: an activity with `sessions` sessions whose ids it can compute, with room for
 * every transaction it will run (the statement is the same; only the capacity never runs out).
 */
export async function seedPgbenchSessions(db: Database, tenantId: string, sessions: number): Promise<void> {
  const created = await createActivity(db, tenantId, {
    slug: `pgbench-${Date.now().toString(36)}`,
    kind: 'activity',
    name: { fr: 'Référence pgbench', en: 'pgbench reference' },
    opensAt: new Date(Date.now() - 60_000),
    sessions: [],
  });
  if (!created) throw new Error('pgbench activity exists already');
  await db.withTenant(tenantId, async (trx) => {
    await sql`insert into activity_sessions (tenant_id, id, activity_id, starts_at, ends_at, capacity)
      select ${tenantId}::uuid, ('00000000-0000-4000-9000-' || lpad(g::text, 12, '0'))::uuid, ${created.id}::uuid,
             now() + make_interval(days => 7, hours => g), now() + make_interval(days => 7, hours => g + 1), 100000
      from generate_series(1, ${sessions}::int) g
      on conflict do nothing`.execute(trx);
  });
}

export interface Accounting {
  sessions: number;
  capacity: number;
  confirmed: number;
  held: number;
  /** Places counted beyond the capacity, or bookings holding places beyond it. */
  oversold: number;
  /** Sessions whose counter differs from the bookings that hold places. */
  mismatched: number;
}

/** Checks the activities in the database: nothing oversold, counters equal to the bookings. */
export async function account(db: Database, tenantId: string, activityIds: string[]): Promise<Accounting> {
  const rows = await db.withTenant(tenantId, async (trx) => {
    const { rows } = await sql<{ capacity: number; taken: number; confirmed: number; held: number }>`
      select s.capacity, s.taken,
        (select count(*) from bookings b where b.tenant_id = s.tenant_id and b.session_id = s.id and b.status = 'confirmed')::int as confirmed,
        (select count(*) from bookings b where b.tenant_id = s.tenant_id and b.session_id = s.id and b.status = 'held')::int as held
      from activity_sessions s
      where s.tenant_id = ${tenantId} and s.activity_id = any(${activityIds}::uuid[])`.execute(trx);
    return rows;
  });
  const result: Accounting = { sessions: rows.length, capacity: 0, confirmed: 0, held: 0, oversold: 0, mismatched: 0 };
  for (const r of rows) {
    result.capacity += r.capacity;
    result.confirmed += r.confirmed;
    result.held += r.held;
    result.oversold += Math.max(0, r.taken - r.capacity, r.confirmed + r.held - r.capacity);
    if (r.taken !== r.confirmed + r.held) result.mismatched += 1;
  }
  return result;
}
