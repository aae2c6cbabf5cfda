/**
 * Bookings: all the SQL of activities, activity_sessions, bookings, waitlist_entries,
 * lottery_entries, lottery_draws and residency_proofs.
 *
 * A place is taken in exactly one way: the conditional update `taken = taken + 1 ... where taken <
 * capacity`, in the statement (or transaction) that inserts the booking holding it. A place is
 * given back in exactly one way too: the statement that moves a booking out of held/confirmed
 * decrements `taken` in the same transaction (or hands the place to the waitlist's next person).
 */
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { Bilingual } from '../../db/schema.ts';

const NO_MEMBER = '00000000-0000-0000-0000-000000000000';

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

const activityColumns = [
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

// ---- holding a place ----------------------------------------------------------------------------

export interface NewHold {
  sessionId: string;
  residentId: string;
  memberId: string | null;
  participantName: string | null;
  idempotencyKey: string;
  source: 'direct' | 'waitlist' | 'lottery';
  rate: 'resident' | 'nonresident';
  priceCents: number;
  /** How long the hold lasts, in seconds. */
  holdSeconds: number;
}

/**
 * Registration day's statement. In one statement: takes a place with the conditional update, unless
 * the session is full, the form's key was already used, or the person already has a live place in
 * the session; then inserts the held booking for that place.
 *
 * - took and id: the place is held by the new booking.
 * - not took: nothing changed (full, key used, or already booked: the caller looks which).
 * - took without id: the insert met a booking made at the same moment with the same key or for the
 *   same person; the caller must roll the transaction back (the place would be counted twice).
 */
export async function holdPlaceStatement(trx: Tx, tenantId: string, hold: NewHold) {
  const { rows } = await sql<{ id: string | null; hold_expires_at: Date | null; took: boolean }>`
    with place as (
      update activity_sessions s set taken = s.taken + 1
      where s.tenant_id = ${tenantId} and s.id = ${hold.sessionId}
        and s.taken < s.capacity and s.cancelled_at is null
        and not exists (select 1 from bookings k where k.tenant_id = ${tenantId} and k.idempotency_key = ${hold.idempotencyKey})
        and not exists (select 1 from bookings l where l.tenant_id = ${tenantId} and l.session_id = ${hold.sessionId}
              and l.resident_id = ${hold.residentId}
              and coalesce(l.member_id, ${NO_MEMBER}::uuid) = coalesce(${hold.memberId}::uuid, ${NO_MEMBER}::uuid)
              and (l.status = 'confirmed' or (l.status = 'held' and l.hold_expires_at > now())))
      returning s.id
    ), booking as (
      insert into bookings (tenant_id, session_id, resident_id, member_id, participant_name, status, hold_expires_at,
                            idempotency_key, source, rate, price_cents)
      select ${tenantId}::uuid, place.id, ${hold.residentId}::uuid, ${hold.memberId}::uuid, ${hold.participantName}::text, 'held',
             now() + make_interval(secs => ${hold.holdSeconds}::int), ${hold.idempotencyKey}::text, ${hold.source}::text,
             ${hold.rate}::text, ${hold.priceCents}::int
      from place
      on conflict do nothing
      returning id, hold_expires_at
    )
    select (select id from booking) as id, (select hold_expires_at from booking) as hold_expires_at,
           exists (select 1 from place) as took`.execute(trx);
  return rows[0]!;
}

/** The conditional update alone: takes one place of the session if one is free. */
export async function takePlace(trx: Tx, tenantId: string, sessionId: string): Promise<boolean> {
  const row = await trx
    .updateTable('activity_sessions')
    .set({ taken: sql<number>`taken + 1` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', sessionId)
    .where(sql<boolean>`taken < capacity`)
    .where('cancelled_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Inserts a held booking whose place is already counted (a waitlist offer, a lottery win). */
export function insertHold(trx: Tx, tenantId: string, hold: NewHold) {
  return trx
    .insertInto('bookings')
    .values({
      tenant_id: tenantId,
      session_id: hold.sessionId,
      resident_id: hold.residentId,
      member_id: hold.memberId,
      participant_name: hold.participantName,
      status: 'held',
      hold_expires_at: sql<Date>`now() + make_interval(secs => ${hold.holdSeconds})`,
      idempotency_key: hold.idempotencyKey,
      source: hold.source,
      rate: hold.rate,
      price_cents: hold.priceCents,
    })
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'hold_expires_at'])
    .executeTakeFirst();
}

export function findByIdempotencyKey(trx: Tx, tenantId: string, key: string) {
  return trx
    .selectFrom('bookings')
    .select(['id', 'resident_id', 'session_id', 'status'])
    .where('tenant_id', '=', tenantId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

/** The person's live booking in a session (confirmed, or held and not run out), if any. */
export function findLiveBooking(trx: Tx, tenantId: string, sessionId: string, residentId: string, memberId: string | null) {
  return trx
    .selectFrom('bookings')
    .select(['id', 'status'])
    .where('tenant_id', '=', tenantId)
    .where('session_id', '=', sessionId)
    .where('resident_id', '=', residentId)
    .where(sql<string>`coalesce(member_id, ${NO_MEMBER}::uuid)`, '=', memberId ?? NO_MEMBER)
    .where(sql<boolean>`(status = 'confirmed' or (status = 'held' and hold_expires_at > now()))`)
    .executeTakeFirst();
}

// ---- confirming and cancelling ------------------------------------------------------------------

/**
 * Confirms a live hold of this resident, in one statement with what the confirmation email needs.
 * A paid booking gets the payment method, with the payment due; a free one is simply confirmed.
 */
export function confirmHold(trx: Tx, tenantId: string, bookingId: string, residentId: string, paidMethod: 'counter') {
  return trx
    .updateTable('bookings as b')
    .from(['activity_sessions as s', 'activities as a'])
    .set({
      status: 'confirmed',
      confirmed_at: sql<Date>`now()`,
      payment_method: sql<'free' | 'counter'>`case when b.price_cents = 0 then 'free' else ${paidMethod} end`,
      payment_status: sql<'none' | 'due'>`case when b.price_cents = 0 then 'none' else 'due' end`,
    })
    .whereRef('s.tenant_id', '=', 'b.tenant_id')
    .whereRef('s.id', '=', 'b.session_id')
    .whereRef('a.tenant_id', '=', 's.tenant_id')
    .whereRef('a.id', '=', 's.activity_id')
    .where('b.tenant_id', '=', tenantId)
    .where('b.id', '=', bookingId)
    .where('b.resident_id', '=', residentId)
    .where('b.status', '=', 'held')
    .where('b.hold_expires_at', '>', sql<Date>`now()`)
    .returning([
      'b.id',
      'b.session_id',
      'b.member_id',
      'b.participant_name',
      'b.source',
      'b.price_cents',
      'b.payment_method',
      'a.name',
      'a.slug',
      's.starts_at',
      's.ends_at',
    ])
    .executeTakeFirst();
}

const bookingColumns = [
  'b.id',
  'b.session_id',
  'b.resident_id',
  'b.member_id',
  'b.participant_name',
  'b.status',
  'b.hold_expires_at',
  'b.source',
  'b.rate',
  'b.price_cents',
  'b.payment_method',
  'b.payment_status',
  'b.created_at',
  'b.confirmed_at',
  'b.cancelled_at',
  's.starts_at',
  's.ends_at',
  'a.slug',
  'a.name',
  'a.kind',
  'a.cancel_hours_before',
  'a.offer_hours',
  sql<boolean>`b.status = 'held' and b.hold_expires_at <= now()`.as('lapsed'),
] as const;

function bookingsWithSession(trx: Tx) {
  return trx
    .selectFrom('bookings as b')
    .innerJoin('activity_sessions as s', (j) => j.onRef('s.tenant_id', '=', 'b.tenant_id').onRef('s.id', '=', 'b.session_id'))
    .innerJoin('activities as a', (j) => j.onRef('a.tenant_id', '=', 's.tenant_id').onRef('a.id', '=', 's.activity_id'));
}

/** One booking of this resident with its session and activity; another resident's is not found. */
export function findBookingOf(trx: Tx, tenantId: string, bookingId: string, residentId: string) {
  return bookingsWithSession(trx)
    .select(bookingColumns)
    .where('b.tenant_id', '=', tenantId)
    .where('b.id', '=', bookingId)
    .where('b.resident_id', '=', residentId)
    .executeTakeFirst();
}

/** The same, locked for a change (cancellation). */
export function lockBookingOf(trx: Tx, tenantId: string, bookingId: string, residentId: string) {
  return bookingsWithSession(trx)
    .select(bookingColumns)
    .where('b.tenant_id', '=', tenantId)
    .where('b.id', '=', bookingId)
    .where('b.resident_id', '=', residentId)
    .forUpdate('b')
    .executeTakeFirst();
}

/** The resident's bookings that still count or ended lately, the latest first. */
export function listBookingsOf(trx: Tx, tenantId: string, residentId: string, limit: number) {
  return bookingsWithSession(trx)
    .select(bookingColumns)
    .where('b.tenant_id', '=', tenantId)
    .where('b.resident_id', '=', residentId)
    .orderBy('b.created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Moves a live booking to cancelled; returns its session, or undefined when it was not live. */
export function markCancelled(trx: Tx, tenantId: string, bookingId: string) {
  return trx
    .updateTable('bookings')
    .set({ status: 'cancelled', cancelled_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', bookingId)
    .where('status', 'in', ['held', 'confirmed'])
    .returning(['session_id'])
    .executeTakeFirst();
}

// ---- giving places back -------------------------------------------------------------------------

/**
 * Moves holds that ran out to expired (of one session, or of the whole town), at most `limit`;
 * rows another transaction is handling are skipped. Returns the expired bookings.
 */
export function expireLapsedHolds(trx: Tx, tenantId: string, sessionId: string | null, limit: number) {
  let lapsed = trx
    .selectFrom('bookings')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'held')
    .where('hold_expires_at', '<=', sql<Date>`now()`);
  if (sessionId) lapsed = lapsed.where('session_id', '=', sessionId);
  return trx
    .updateTable('bookings')
    .set({ status: 'expired' })
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', lapsed.limit(limit).forUpdate().skipLocked())
    // Re-checked on the locked row: a hold confirmed meanwhile stays confirmed.
    .where('status', '=', 'held')
    .where('hold_expires_at', '<=', sql<Date>`now()`)
    .returning(['id', 'session_id', 'source'])
    .execute();
}

/** Gives `count` places of a session back to everyone. */
export function releasePlaces(trx: Tx, tenantId: string, sessionId: string, count: number) {
  return trx
    .updateTable('activity_sessions')
    .set({ taken: sql<number>`taken - ${count}` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', sessionId)
    .execute();
}

/** Takes `count` places of a locked session at once (a draw); false if they are not all free. */
export async function takePlaces(trx: Tx, tenantId: string, sessionId: string, count: number): Promise<boolean> {
  const row = await trx
    .updateTable('activity_sessions')
    .set({ taken: sql<number>`taken + ${count}` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', sessionId)
    .where(sql<boolean>`taken + ${count} <= capacity`)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

// ---- waitlist -----------------------------------------------------------------------------------

export interface EntryRow {
  sessionId: string;
  residentId: string;
  memberId: string | null;
  participantName: string | null;
}

export function insertWaitlistEntry(trx: Tx, tenantId: string, row: EntryRow) {
  return trx
    .insertInto('waitlist_entries')
    .values({ tenant_id: tenantId, session_id: row.sessionId, resident_id: row.residentId, member_id: row.memberId, participant_name: row.participantName })
    .onConflict((oc) => oc.doNothing())
    .returning(['id'])
    .executeTakeFirst();
}

/** The next people waiting for a session, first come first; rows another transaction holds are skipped. */
export function nextWaiting(trx: Tx, tenantId: string, sessionId: string, limit: number) {
  return trx
    .selectFrom('waitlist_entries')
    .select(['id', 'resident_id', 'member_id', 'participant_name'])
    .where('tenant_id', '=', tenantId)
    .where('session_id', '=', sessionId)
    .where('status', '=', 'waiting')
    .orderBy('seq')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Marks a waiting entry offered (with the hold made for it) or, when no hold could be made, left. */
export function setWaitlistStatus(trx: Tx, tenantId: string, entryId: string, status: 'offered' | 'left', bookingId: string | null) {
  return trx
    .updateTable('waitlist_entries')
    .set({ status, booking_id: bookingId, updated_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', entryId)
    .execute();
}

/** The offers whose hold ran out (or was let go) leave the list. */
export function closeOffers(trx: Tx, tenantId: string, bookingIds: string[], status: 'expired' | 'booked' | 'left') {
  if (bookingIds.length === 0) return Promise.resolve([]);
  return trx
    .updateTable('waitlist_entries')
    .set({ status, updated_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('booking_id', 'in', bookingIds)
    .where('status', '=', 'offered')
    .returning(['id'])
    .execute();
}

/** The resident's waitlist entries still open, with their place in the queue. */
export function listWaitlistOf(trx: Tx, tenantId: string, residentId: string) {
  return trx
    .selectFrom('waitlist_entries as w')
    .innerJoin('activity_sessions as s', (j) => j.onRef('s.tenant_id', '=', 'w.tenant_id').onRef('s.id', '=', 'w.session_id'))
    .innerJoin('activities as a', (j) => j.onRef('a.tenant_id', '=', 's.tenant_id').onRef('a.id', '=', 's.activity_id'))
    .select([
      'w.id',
      'w.session_id',
      'w.member_id',
      'w.participant_name',
      'w.status',
      'w.created_at',
      's.starts_at',
      'a.slug',
      'a.name',
      sql<number>`(select count(*) from waitlist_entries o where o.tenant_id = w.tenant_id and o.session_id = w.session_id
        and o.status = 'waiting' and o.seq <= w.seq)::int`.as('position'),
    ])
    .where('w.tenant_id', '=', tenantId)
    .where('w.resident_id', '=', residentId)
    .where('w.status', '=', 'waiting')
    .orderBy('s.starts_at')
    .execute();
}

export async function leaveWaitlist(trx: Tx, tenantId: string, entryId: string, residentId: string): Promise<boolean> {
  const result = await trx
    .updateTable('waitlist_entries')
    .set({ status: 'left', updated_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', entryId)
    .where('resident_id', '=', residentId)
    .where('status', '=', 'waiting')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

// ---- lottery ------------------------------------------------------------------------------------

export function insertLotteryEntry(trx: Tx, tenantId: string, row: EntryRow) {
  return trx
    .insertInto('lottery_entries')
    .values({ tenant_id: tenantId, session_id: row.sessionId, resident_id: row.residentId, member_id: row.memberId, participant_name: row.participantName })
    .onConflict((oc) => oc.doNothing())
    .returning(['id'])
    .executeTakeFirst();
}

export function listLotteryEntriesOf(trx: Tx, tenantId: string, residentId: string) {
  return trx
    .selectFrom('lottery_entries as e')
    .innerJoin('activity_sessions as s', (j) => j.onRef('s.tenant_id', '=', 'e.tenant_id').onRef('s.id', '=', 'e.session_id'))
    .innerJoin('activities as a', (j) => j.onRef('a.tenant_id', '=', 's.tenant_id').onRef('a.id', '=', 's.activity_id'))
    .select(['e.id', 'e.session_id', 'e.member_id', 'e.participant_name', 'e.status', 'e.created_at', 's.starts_at', 'a.slug', 'a.name', 'a.lottery_closes_at'])
    .where('e.tenant_id', '=', tenantId)
    .where('e.resident_id', '=', residentId)
    .where('e.status', '=', 'entered')
    .orderBy('s.starts_at')
    .execute();
}

function sessionWithActivity(trx: Tx, tenantId: string, sessionId: string) {
  return trx
    .selectFrom('activity_sessions as s')
    .innerJoin('activities as a', (j) => j.onRef('a.tenant_id', '=', 's.tenant_id').onRef('a.id', '=', 's.activity_id'))
    .select(activityColumns)
    .select(['s.id as session_id', 's.starts_at', 's.ends_at', 's.capacity', 's.taken', 's.cancelled_at', sql<Date>`now()`.as('now')])
    .where('s.tenant_id', '=', tenantId)
    .where('s.id', '=', sessionId);
}

/** A session with its activity's rules. */
export function findSession(trx: Tx, tenantId: string, sessionId: string) {
  return sessionWithActivity(trx, tenantId, sessionId).executeTakeFirst();
}

/** The same, locked: one draw of a session at a time. */
export function lockSessionForDraw(trx: Tx, tenantId: string, sessionId: string) {
  return sessionWithActivity(trx, tenantId, sessionId).forUpdate('s').executeTakeFirst();
}

export function listEntriesForDraw(trx: Tx, tenantId: string, sessionId: string) {
  return trx
    .selectFrom('lottery_entries')
    .select(['id', 'resident_id', 'member_id', 'participant_name'])
    .where('tenant_id', '=', tenantId)
    .where('session_id', '=', sessionId)
    .where('status', '=', 'entered')
    .execute();
}

export function setEntriesStatus(trx: Tx, tenantId: string, ids: string[], status: 'won' | 'lost') {
  if (ids.length === 0) return Promise.resolve();
  return trx.updateTable('lottery_entries').set({ status }).where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();
}

/** The residents with a proof valid on `today`, among these. */
export async function residentsAmong(trx: Tx, tenantId: string, residentIds: string[], today: string): Promise<Set<string>> {
  if (residentIds.length === 0) return new Set();
  const rows = await trx
    .selectFrom('residency_proofs')
    .select('resident_id')
    .where('tenant_id', '=', tenantId)
    .where('resident_id', 'in', residentIds)
    .where('valid_until', '>=', today)
    .execute();
  return new Set(rows.map((r) => r.resident_id));
}

export function insertDraw(
  trx: Tx,
  tenantId: string,
  row: { sessionId: string; algorithm: string; seed: string; entryIds: string[]; order: string[]; places: number; winners: number; drawnBy: string | null },
) {
  return trx
    .insertInto('lottery_draws')
    .values({
      tenant_id: tenantId,
      session_id: row.sessionId,
      algorithm: row.algorithm,
      seed: row.seed,
      entry_ids: JSON.stringify(row.entryIds),
      drawn_order: JSON.stringify(row.order),
      places: row.places,
      winners: row.winners,
      drawn_by: row.drawnBy,
    })
    .returning(['id', 'drawn_at'])
    .executeTakeFirstOrThrow();
}

export function findDraw(trx: Tx, tenantId: string, sessionId: string) {
  return trx
    .selectFrom('lottery_draws')
    .select(['id', 'session_id', 'algorithm', 'seed', 'entry_ids', 'drawn_order', 'places', 'winners', 'drawn_at'])
    .where('tenant_id', '=', tenantId)
    .where('session_id', '=', sessionId)
    .executeTakeFirst();
}

/** Sessions of lottery activities whose entries closed and that have no draw yet. */
export function sessionsDueForDraw(trx: Tx, tenantId: string, limit: number) {
  return trx
    .selectFrom('activity_sessions as s')
    .innerJoin('activities as a', (j) => j.onRef('a.tenant_id', '=', 's.tenant_id').onRef('a.id', '=', 's.activity_id'))
    .select('s.id')
    .where('s.tenant_id', '=', tenantId)
    .where('a.booking_mode', '=', 'lottery')
    .where('a.lottery_closes_at', '<=', sql<Date>`now()`)
    .where('s.cancelled_at', 'is', null)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('lottery_draws as d').select('d.id').whereRef('d.tenant_id', '=', 's.tenant_id').whereRef('d.session_id', '=', 's.id'))),
    )
    .limit(limit)
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
