/** Bookings: holding a place, confirming, cancelling, and the holds that run out. */
import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import { NO_MEMBER } from './activities.ts';

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

