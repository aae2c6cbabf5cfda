/** Staff side of the catalogue: activities (published or not), their sessions, capacity and cancellation. */
import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import { activityColumns, type NewActivityRow } from './activities.ts';

export interface StaffActivityRow extends NewActivityRow {
  published: boolean;
}

const staffActivityColumns = [...activityColumns, 'a.published', 'a.updated_at'] as const;

const values = (row: StaffActivityRow) => ({
  slug: row.slug,
  kind: row.kind,
  name: JSON.stringify(row.name),
  description: JSON.stringify(row.description),
  min_age: row.minAge,
  max_age: row.maxAge,
  resident_price_cents: row.residentPriceCents,
  nonresident_price_cents: row.nonresidentPriceCents,
  residents_only: row.residentsOnly,
  booking_mode: row.mode,
  opens_at: row.opensAt,
  residents_open_at: row.residentsOpenAt,
  lottery_closes_at: row.lotteryClosesAt,
  cancel_hours_before: row.cancelHoursBefore,
  hold_minutes: row.holdMinutes,
  offer_hours: row.offerHours,
  published: row.published,
});

/** Every activity of the town with its upcoming sessions' count, by name. */
export function listAllActivities(trx: Tx, tenantId: string) {
  return trx
    .selectFrom('activities as a')
    .select(staffActivityColumns)
    .select(
      sql<number>`(select count(*) from activity_sessions s where s.tenant_id = a.tenant_id and s.activity_id = a.id
        and s.ends_at > now() and s.cancelled_at is null)::int`.as('upcoming'),
    )
    .where('a.tenant_id', '=', tenantId)
    .orderBy('a.created_at', 'desc')
    .limit(500)
    .execute();
}

export function findActivityById(trx: Tx, tenantId: string, id: string) {
  return trx.selectFrom('activities as a').select(staffActivityColumns).where('a.tenant_id', '=', tenantId).where('a.id', '=', id).executeTakeFirst();
}

/** Inserts an activity; undefined when the slug is taken. A key already used returns that activity's id. */
export async function insertStaffActivity(trx: Tx, tenantId: string, row: StaffActivityRow, key: string) {
  const existing = await trx
    .selectFrom('activities')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('created_key', '=', key)
    .executeTakeFirst();
  if (existing) return { id: existing.id, created: false };
  const made = await trx
    .insertInto('activities')
    .values({ tenant_id: tenantId, created_key: key, ...values(row) })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return made ? { id: made.id, created: true } : undefined;
}

/** Changes an activity; false when the slug is another activity's. */
export async function updateStaffActivity(trx: Tx, tenantId: string, id: string, row: StaffActivityRow): Promise<boolean> {
  const clash = await trx
    .selectFrom('activities')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('slug', '=', row.slug)
    .where('id', '<>', id)
    .executeTakeFirst();
  if (clash) return false;
  await trx
    .updateTable('activities')
    .set({ ...values(row), updated_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  return true;
}

/** Inserts sessions with their form keys; a key already used is skipped. Returns the ids made. */
export async function insertKeyedSessions(
  trx: Tx,
  tenantId: string,
  activityId: string,
  rows: Array<{ startsAt: Date; endsAt: Date; capacity: number; key: string }>,
): Promise<string[]> {
  if (rows.length === 0) return [];
  const made = await trx
    .insertInto('activity_sessions')
    .values(
      rows.map((r) => ({ tenant_id: tenantId, activity_id: activityId, starts_at: r.startsAt, ends_at: r.endsAt, capacity: r.capacity, created_key: r.key })),
    )
    .onConflict((oc) => oc.columns(['tenant_id', 'created_key']).where('created_key', 'is not', null).doNothing())
    .returning('id')
    .execute();
  return made.map((m) => m.id);
}

const sessionColumns = [
  's.id',
  's.activity_id',
  's.starts_at',
  's.ends_at',
  's.capacity',
  's.taken',
  's.cancelled_at',
  sql<number>`(select count(*) from bookings b where b.tenant_id = s.tenant_id and b.session_id = s.id and b.status = 'confirmed')::int`.as('confirmed'),
  sql<number>`(select count(*) from waitlist_entries w where w.tenant_id = s.tenant_id and w.session_id = s.id and w.status = 'waiting')::int`.as('waiting'),
  sql<number>`(select count(*) from lottery_entries e where e.tenant_id = s.tenant_id and e.session_id = s.id and e.status = 'entered')::int`.as('entries'),
  sql<boolean>`exists (select 1 from lottery_draws d where d.tenant_id = s.tenant_id and d.session_id = s.id)`.as('drawn'),
] as const;

/** An activity's sessions from 30 days ago on, soonest first. */
export function listActivitySessions(trx: Tx, tenantId: string, activityId: string) {
  return trx
    .selectFrom('activity_sessions as s')
    .select(sessionColumns)
    .where('s.tenant_id', '=', tenantId)
    .where('s.activity_id', '=', activityId)
    .where('s.ends_at', '>', sql<Date>`now() - interval '30 days'`)
    .orderBy('s.starts_at')
    .limit(500)
    .execute();
}

export function findStaffSession(trx: Tx, tenantId: string, sessionId: string) {
  return trx
    .selectFrom('activity_sessions as s')
    .select(sessionColumns)
    .select(sql<Date>`now()`.as('now'))
    .where('s.tenant_id', '=', tenantId)
    .where('s.id', '=', sessionId)
    .executeTakeFirst();
}

/** Sets a session's capacity unless fewer than the places taken; false when refused (or no such session). */
export async function setCapacity(trx: Tx, tenantId: string, sessionId: string, capacity: number): Promise<{ from: number } | undefined> {
  const before = await trx
    .selectFrom('activity_sessions')
    .select('capacity')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', sessionId)
    .forUpdate()
    .executeTakeFirst();
  if (!before) return undefined;
  const row = await trx
    .updateTable('activity_sessions')
    .set({ capacity })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', sessionId)
    // The same statement checks the places taken: a booking made meanwhile is never pushed out.
    .where(sql<boolean>`taken <= ${capacity}`)
    .returning('id')
    .executeTakeFirst();
  return row ? { from: before.capacity } : undefined;
}

/** Marks a session cancelled (once); its live bookings are cancelled with it. */
export async function cancelSession(trx: Tx, tenantId: string, sessionId: string, staffId: string) {
  const session = await trx
    .updateTable('activity_sessions')
    .set({ cancelled_at: sql<Date>`now()`, taken: 0 })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', sessionId)
    .where('cancelled_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!session) return null;
  const bookings = await trx
    .updateTable('bookings')
    .set({ status: 'cancelled', cancelled_at: sql<Date>`now()`, cancelled_by: staffId })
    .where('tenant_id', '=', tenantId)
    .where('session_id', '=', sessionId)
    .where('status', 'in', ['held', 'confirmed'])
    .returning(['id', 'resident_id', 'participant_name', 'status', 'price_cents', 'payment_status'])
    .execute();
  const waiting = await trx
    .updateTable('waitlist_entries')
    .set({ status: 'left', updated_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('session_id', '=', sessionId)
    .where('status', 'in', ['waiting', 'offered'])
    .returning(['id', 'resident_id', 'participant_name', 'status'])
    .execute();
  await trx
    .updateTable('lottery_entries')
    .set({ status: 'withdrawn' })
    .where('tenant_id', '=', tenantId)
    .where('session_id', '=', sessionId)
    .where('status', '=', 'entered')
    .execute();
  return { bookings, waiting: waiting.filter((w) => w.status === 'waiting') };
}

/** A lottery session's entries with who they are for (staff see the draw's result by name). */
export function lotteryEntriesOf(trx: Tx, tenantId: string, sessionId: string) {
  return trx
    .selectFrom('lottery_entries as e')
    .innerJoin('residents as r', (j) => j.onRef('r.tenant_id', '=', 'e.tenant_id').onRef('r.id', '=', 'e.resident_id'))
    .select(['e.id', 'e.status', 'e.participant_name', 'r.name as resident_name', 'r.email as resident_email'])
    .where('e.tenant_id', '=', tenantId)
    .where('e.session_id', '=', sessionId)
    .limit(5000)
    .execute();
}
