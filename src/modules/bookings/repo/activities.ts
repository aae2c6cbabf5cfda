/** Activities, their sessions, residency proofs, and the place accounting. */
import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { Bilingual } from '../../../db/schema.ts';

/** What the uniqueness rules compare a missing household member with (the account holder). */
export const NO_MEMBER = '00000000-0000-0000-0000-000000000000';

// ---- activities and sessions --------------------------------------------------------------------

export interface NewActivityRow {
  slug: string;
  kind: 'facility' | 'activity';
  name: Bilingual;
  description: Bilingual;
  minAge: number | null;
  maxAge: number | null;
  residentPriceCents: number;
  nonresidentPriceCents: number;
  residentsOnly: boolean;
  mode: 'fcfs' | 'lottery';
  opensAt: Date;
  residentsOpenAt: Date | null;
  lotteryClosesAt: Date | null;
  cancelHoursBefore: number;
  holdMinutes: number;
  offerHours: number;
}

export function insertActivity(trx: Tx, tenantId: string, row: NewActivityRow) {
  return trx
    .insertInto('activities')
    .values({
      tenant_id: tenantId,
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
    })
    .onConflict((oc) => oc.doNothing())
    .returning(['id'])
    .executeTakeFirst();
}

export function insertSessions(trx: Tx, tenantId: string, activityId: string, rows: Array<{ startsAt: Date; endsAt: Date; capacity: number }>) {
  return trx
    .insertInto('activity_sessions')
    .values(rows.map((r) => ({ tenant_id: tenantId, activity_id: activityId, starts_at: r.startsAt, ends_at: r.endsAt, capacity: r.capacity })))
    .returning(['id'])
    .execute();
}

export const activityColumns = [
  'a.id',
  'a.slug',
  'a.kind',
  'a.name',
  'a.description',
  'a.min_age',
  'a.max_age',
  'a.resident_price_cents',
  'a.nonresident_price_cents',
  'a.residents_only',
  'a.booking_mode',
  'a.opens_at',
  'a.residents_open_at',
  'a.lottery_closes_at',
  'a.cancel_hours_before',
  'a.hold_minutes',
  'a.offer_hours',
] as const;

export function findActivityBySlug(trx: Tx, tenantId: string, slug: string) {
  return trx
    .selectFrom('activities as a')
    .select(activityColumns)
    .where('a.tenant_id', '=', tenantId)
    .where('a.slug', '=', slug)
    .where('a.published', '=', true)
    .executeTakeFirst();
}

export interface ActivityFilter {
  /** Sessions starting at or after this instant... */
  from: Date;
  /** ...and before this one, when given. */
  to: Date | null;
  /** Only activities open to this age. */
  age: number | null;
  limit: number;
}

/** Published activities with a session in the period, soonest first, with their next session's start. */
export function listActivities(trx: Tx, tenantId: string, filter: ActivityFilter) {
  let query = trx
    .selectFrom('activities as a')
    .select(activityColumns)
    .select((eb) => {
      let first = eb
        .selectFrom('activity_sessions as s')
        .select((e) => e.fn.min('s.starts_at').as('first'))
        .whereRef('s.tenant_id', '=', 'a.tenant_id')
        .whereRef('s.activity_id', '=', 'a.id')
        .where('s.cancelled_at', 'is', null)
        .where('s.starts_at', '>=', filter.from);
      if (filter.to) first = first.where('s.starts_at', '<', filter.to);
      return first.as('next_start');
    })
    .where('a.tenant_id', '=', tenantId)
    .where('a.published', '=', true);
  if (filter.age !== null) {
    const age = filter.age;
    query = query
      .where((eb) => eb.or([eb('a.min_age', 'is', null), eb('a.min_age', '<=', age)]))
      .where((eb) => eb.or([eb('a.max_age', 'is', null), eb('a.max_age', '>=', age)]));
  }
  return trx
    .selectFrom(query.as('x'))
    .selectAll()
    .where('x.next_start', 'is not', null)
    .orderBy('x.next_start')
    .orderBy('x.slug')
    .limit(filter.limit)
    .execute();
}

/**
 * An activity's sessions from `from` on, with the places anyone may take now: free places, plus
 * holds that ran out (given back at the next attempt) unless people wait for them on the waitlist.
 */
export function listSessions(trx: Tx, tenantId: string, activityId: string, from: Date) {
  return trx
    .selectFrom('activity_sessions as s')
    .select([
      's.id',
      's.starts_at',
      's.ends_at',
      's.capacity',
      's.taken',
      's.cancelled_at',
      sql<number>`(select count(*) from bookings b where b.tenant_id = s.tenant_id and b.session_id = s.id
        and b.status = 'held' and b.hold_expires_at <= now())::int`.as('lapsed_holds'),
      sql<number>`(select count(*) from waitlist_entries w where w.tenant_id = s.tenant_id and w.session_id = s.id
        and w.status = 'waiting')::int`.as('waiting'),
      sql<boolean>`exists (select 1 from lottery_draws d where d.tenant_id = s.tenant_id and d.session_id = s.id)`.as('drawn'),
    ])
    .where('s.tenant_id', '=', tenantId)
    .where('s.activity_id', '=', activityId)
    .where('s.ends_at', '>', from)
    .orderBy('s.starts_at')
    .limit(500)
    .execute();
}

/** What a booking attempt needs to know, in one query: the session, its activity, the person's residency, the draw. */
export function findSessionForBooking(trx: Tx, tenantId: string, sessionId: string, residentId: string, today: string) {
  return trx
    .selectFrom('activity_sessions as s')
    .innerJoin('activities as a', (j) => j.onRef('a.tenant_id', '=', 's.tenant_id').onRef('a.id', '=', 's.activity_id'))
    .select(activityColumns)
    .select([
      's.id as session_id',
      's.starts_at',
      's.ends_at',
      's.capacity',
      's.taken',
      's.cancelled_at',
      sql<boolean>`exists (select 1 from residency_proofs r where r.tenant_id = s.tenant_id and r.resident_id = ${residentId}
        and r.valid_until >= ${today}::date)`.as('is_resident'),
      sql<boolean>`exists (select 1 from lottery_draws d where d.tenant_id = s.tenant_id and d.session_id = s.id)`.as('drawn'),
      sql<Date>`now()`.as('now'),
    ])
    .where('s.tenant_id', '=', tenantId)
    .where('s.id', '=', sessionId)
    .where('a.published', '=', true)
    .executeTakeFirst();
}

/** Is the resident a town resident with a proof valid on `today`? */
export async function hasResidency(trx: Tx, tenantId: string, residentId: string, today: string): Promise<boolean> {
  const row = await trx
    .selectFrom('residency_proofs')
    .select('resident_id')
    .where('tenant_id', '=', tenantId)
    .where('resident_id', '=', residentId)
    .where('valid_until', '>=', today)
    .executeTakeFirst();
  return row !== undefined;
}

export function upsertResidency(trx: Tx, tenantId: string, residentId: string, validUntil: string, checkedBy: string | null) {
  return trx
    .insertInto('residency_proofs')
    .values({ tenant_id: tenantId, resident_id: residentId, valid_until: validUntil, checked_by: checkedBy })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'resident_id']).doUpdateSet({ valid_until: validUntil, checked_by: checkedBy, updated_at: sql<Date>`now()` }),
    )
    .execute();
}

// ---- accounting (tests, the rush benchmark, operators) ------------------------------------------

/** Per session: capacity, the counter, and the bookings that really hold a place now. */
export function placeAccounting(trx: Tx, tenantId: string, activityId: string | null) {
  let query = trx
    .selectFrom('activity_sessions as s')
    .select([
      's.id',
      's.capacity',
      's.taken',
      sql<number>`(select count(*) from bookings b where b.tenant_id = s.tenant_id and b.session_id = s.id
        and b.status in ('held', 'confirmed'))::int`.as('live'),
      sql<number>`(select count(*) from bookings b where b.tenant_id = s.tenant_id and b.session_id = s.id
        and b.status = 'confirmed')::int`.as('confirmed'),
    ])
    .where('s.tenant_id', '=', tenantId);
  if (activityId) query = query.where('s.activity_id', '=', activityId);
  return query.execute();
}
