/** Staff at the desk: rosters, a booking with its person, moving, cancelling, payments. */
import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';

/** A session's roster: every booking that is not a lapsed hold, with the person's contact. */
export function rosterOf(trx: Tx, tenantId: string, sessionId: string) {
  return trx
    .selectFrom('bookings as b')
    .innerJoin('residents as r', (j) => j.onRef('r.tenant_id', '=', 'b.tenant_id').onRef('r.id', '=', 'b.resident_id'))
    .select([
      'b.id',
      'b.status',
      'b.participant_name',
      'b.member_id',
      'b.rate',
      'b.price_cents',
      'b.payment_method',
      'b.payment_status',
      'b.source',
      'b.created_at',
      'r.name as resident_name',
      'r.email as resident_email',
      'r.phone as resident_phone',
      sql<boolean>`b.status = 'held' and b.hold_expires_at <= now()`.as('lapsed'),
    ])
    .where('b.tenant_id', '=', tenantId)
    .where('b.session_id', '=', sessionId)
    .where('b.status', 'in', ['held', 'confirmed', 'cancelled'])
    .orderBy(sql`case b.status when 'confirmed' then 0 when 'held' then 1 else 2 end`)
    .orderBy(sql`lower(coalesce(b.participant_name, r.name, r.email))`)
    .limit(5000)
    .execute();
}

function staffBooking(trx: Tx, tenantId: string, bookingId: string) {
  return trx
    .selectFrom('bookings as b')
    .innerJoin('activity_sessions as s', (j) => j.onRef('s.tenant_id', '=', 'b.tenant_id').onRef('s.id', '=', 'b.session_id'))
    .innerJoin('activities as a', (j) => j.onRef('a.tenant_id', '=', 's.tenant_id').onRef('a.id', '=', 's.activity_id'))
    .innerJoin('residents as r', (j) => j.onRef('r.tenant_id', '=', 'b.tenant_id').onRef('r.id', '=', 'b.resident_id'))
    .select([
      'b.id',
      'b.status',
      'b.session_id',
      'b.resident_id',
      'b.member_id',
      'b.participant_name',
      'b.source',
      'b.rate',
      'b.price_cents',
      'b.payment_method',
      'b.payment_status',
      'b.paid_at',
      'b.refunded_at',
      'b.refunded_cents',
      'b.created_at',
      'b.confirmed_at',
      'b.cancelled_at',
      'b.hold_expires_at',
      'b.moved_from',
      sql<boolean>`b.status = 'held' and b.hold_expires_at <= now()`.as('lapsed'),
      's.activity_id',
      's.starts_at',
      's.ends_at',
      'a.name',
      'a.slug',
      'r.name as resident_name',
      'r.email as resident_email',
      'r.locale as resident_locale',
    ])
    .where('b.tenant_id', '=', tenantId)
    .where('b.id', '=', bookingId);
}

export function findStaffBooking(trx: Tx, tenantId: string, bookingId: string) {
  return staffBooking(trx, tenantId, bookingId).executeTakeFirst();
}

/** The same, locked for a change. */
export function lockStaffBooking(trx: Tx, tenantId: string, bookingId: string) {
  return staffBooking(trx, tenantId, bookingId).forUpdate('b').executeTakeFirst();
}

/** The other sessions of an activity a booking may move to: not cancelled, not started. */
export function moveTargets(trx: Tx, tenantId: string, activityId: string, exceptSessionId: string) {
  return trx
    .selectFrom('activity_sessions')
    .select(['id', 'starts_at', 'ends_at', 'capacity', 'taken'])
    .where('tenant_id', '=', tenantId)
    .where('activity_id', '=', activityId)
    .where('id', '<>', exceptSessionId)
    .where('cancelled_at', 'is', null)
    .where('starts_at', '>', sql<Date>`now()`)
    .orderBy('starts_at')
    .limit(200)
    .execute();
}

/**
 * Takes a place in the target session (the conditional update: never over capacity) if it belongs
 * to the activity, is not cancelled and has not started. True when the place was taken.
 */
export async function takePlaceIn(trx: Tx, tenantId: string, sessionId: string, activityId: string): Promise<boolean> {
  const row = await trx
    .updateTable('activity_sessions')
    .set({ taken: sql<number>`taken + 1` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', sessionId)
    .where('activity_id', '=', activityId)
    .where('cancelled_at', 'is', null)
    .where('starts_at', '>', sql<Date>`now()`)
    .where(sql<boolean>`taken < capacity`)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Does the person (or this member) already hold a place in the session? */
export async function holdsPlaceIn(trx: Tx, tenantId: string, sessionId: string, residentId: string, memberId: string | null): Promise<boolean> {
  const row = await trx
    .selectFrom('bookings')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('session_id', '=', sessionId)
    .where('resident_id', '=', residentId)
    .where(sql<boolean>`coalesce(member_id, '00000000-0000-0000-0000-000000000000'::uuid) = coalesce(${memberId}::uuid, '00000000-0000-0000-0000-000000000000'::uuid)`)
    .where('status', 'in', ['held', 'confirmed'])
    .executeTakeFirst();
  return row !== undefined;
}

export function setBookingSession(trx: Tx, tenantId: string, bookingId: string, from: string, to: string) {
  return trx
    .updateTable('bookings')
    .set({ session_id: to, moved_from: from })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', bookingId)
    .where('session_id', '=', from)
    .where('status', 'in', ['held', 'confirmed'])
    .returning('id')
    .executeTakeFirst();
}

/** Cancels a live booking by staff; undefined when it was not live. */
export function cancelByStaff(trx: Tx, tenantId: string, bookingId: string, staffId: string) {
  return trx
    .updateTable('bookings')
    .set({ status: 'cancelled', cancelled_at: sql<Date>`now()`, cancelled_by: staffId })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', bookingId)
    .where('status', 'in', ['held', 'confirmed'])
    .returning(['session_id'])
    .executeTakeFirst();
}

/** A confirmed booking whose amount is due becomes paid. */
export function markPaid(trx: Tx, tenantId: string, bookingId: string) {
  return trx
    .updateTable('bookings')
    .set({ payment_status: 'paid', paid_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', bookingId)
    .where('payment_status', '=', 'due')
    .where('status', '=', 'confirmed')
    .returning('id')
    .executeTakeFirst();
}

/** A paid, cancelled booking is refunded (the whole amount). */
export function markRefunded(trx: Tx, tenantId: string, bookingId: string, cents: number) {
  return trx
    .updateTable('bookings')
    .set({ payment_status: 'refunded', refunded_at: sql<Date>`now()`, refunded_cents: cents })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', bookingId)
    .where('payment_status', '=', 'paid')
    .where('status', '=', 'cancelled')
    .returning('id')
    .executeTakeFirst();
}

/** Locks sessions' rows in id order (a fixed order: two transactions never wait for each other in a circle). */
export async function lockSessionsInOrder(trx: Tx, tenantId: string, sessionIds: string[]): Promise<void> {
  await trx
    .selectFrom('activity_sessions')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', sessionIds)
    .orderBy('id')
    .forUpdate()
    .execute();
}
