/**
 * Passes, door check-ins and calendar feeds: all the SQL of pass_signing_keys, booking_checkins
 * and calendar_feeds, and the reads of bookings and sessions that the door scanner and the feed need.
 */
import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';

// ---- the town's signing keys --------------------------------------------------------------------

export function findSigningKey(trx: Tx, tenantId: string) {
  return trx
    .selectFrom('pass_signing_keys')
    .select(['kid', 'public_key', 'private_key_sealed', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('replaced_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

/** Inserts the town's signing key unless another request just did; returns it if this one won. */
export function insertSigningKey(trx: Tx, tenantId: string, key: { kid: string; publicKey: string; privateKeySealed: string }) {
  return trx
    .insertInto('pass_signing_keys')
    .values({ tenant_id: tenantId, kid: key.kid, public_key: key.publicKey, private_key_sealed: key.privateKeySealed })
    .onConflict((oc) => oc.doNothing())
    .returning(['kid'])
    .executeTakeFirst();
}

/** The keys that still verify passes (the signer and the keys it replaced), newest first. */
export function listVerifyingKeys(trx: Tx, tenantId: string) {
  return trx
    .selectFrom('pass_signing_keys')
    .select(['kid', 'public_key', 'created_at', 'replaced_at'])
    .where('tenant_id', '=', tenantId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
}

/** The signer stops signing (its passes still verify); returns its key id. */
export function replaceSigningKey(trx: Tx, tenantId: string) {
  return trx
    .updateTable('pass_signing_keys')
    .set({ replaced_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('replaced_at', 'is', null)
    .where('revoked_at', 'is', null)
    .returning(['kid'])
    .executeTakeFirst();
}

// ---- the door: sessions of the day, their passes and arrivals -------------------------------------

/** Sessions running at some point between from and to (not cancelled), with their counts. */
export function sessionsBetween(trx: Tx, tenantId: string, from: Date, to: Date, day: string) {
  return trx
    .selectFrom('activity_sessions as s')
    .innerJoin('activities as a', (j) => j.onRef('a.tenant_id', '=', 's.tenant_id').onRef('a.id', '=', 's.activity_id'))
    .select([
      's.id',
      's.starts_at',
      's.ends_at',
      's.capacity',
      'a.name',
      'a.slug',
      sql<number>`(select count(*) from bookings b where b.tenant_id = s.tenant_id and b.session_id = s.id and b.status = 'confirmed')::int`.as('confirmed'),
      sql<number>`(select count(*) from booking_checkins c where c.tenant_id = s.tenant_id and c.session_id = s.id and c.day = ${day}::date)::int`.as('arrived'),
    ])
    .where('s.tenant_id', '=', tenantId)
    .where('s.cancelled_at', 'is', null)
    .where('s.starts_at', '<', to)
    .where('s.ends_at', '>', from)
    .orderBy('s.starts_at')
    .orderBy('a.slug')
    .limit(200)
    .execute();
}

/** The confirmed bookings of these sessions: who each pass is for. */
export function confirmedBookingsIn(trx: Tx, tenantId: string, sessionIds: readonly string[]) {
  if (sessionIds.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('bookings')
    .select(['id', 'session_id', 'resident_id', 'participant_name'])
    .where('tenant_id', '=', tenantId)
    .where('session_id', 'in', sessionIds)
    .where('status', '=', 'confirmed')
    .orderBy('participant_name')
    .limit(20000)
    .execute();
}

/** The arrivals recorded in these sessions on a day. */
export function checkinsIn(trx: Tx, tenantId: string, sessionIds: readonly string[], day: string) {
  if (sessionIds.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('booking_checkins')
    .select(['booking_id', 'session_id', 'checked_in_at'])
    .where('tenant_id', '=', tenantId)
    .where('session_id', 'in', sessionIds)
    .where('day', '=', day)
    .execute();
}

/** A booking as the door sees it: its state, its session (now) and who it is for. */
export function findBookingForDoor(trx: Tx, tenantId: string, bookingId: string) {
  return trx
    .selectFrom('bookings as b')
    .innerJoin('activity_sessions as s', (j) => j.onRef('s.tenant_id', '=', 'b.tenant_id').onRef('s.id', '=', 'b.session_id'))
    .innerJoin('activities as a', (j) => j.onRef('a.tenant_id', '=', 's.tenant_id').onRef('a.id', '=', 's.activity_id'))
    .select(['b.id', 'b.status', 'b.session_id', 'b.resident_id', 'b.participant_name', 's.starts_at', 's.ends_at', 's.cancelled_at', 'a.name'])
    .where('b.tenant_id', '=', tenantId)
    .where('b.id', '=', bookingId)
    .executeTakeFirst();
}

export interface NewCheckin {
  bookingId: string;
  sessionId: string;
  day: string;
  clientId: string;
  checkedInAt: Date;
  method: 'camera' | 'typed';
  offline: boolean;
  staffId: string;
}

/** Records an arrival; undefined when this booking already arrived that day or this client id was sent before. */
export function insertCheckin(trx: Tx, tenantId: string, c: NewCheckin) {
  return trx
    .insertInto('booking_checkins')
    .values({
      tenant_id: tenantId,
      booking_id: c.bookingId,
      session_id: c.sessionId,
      day: c.day,
      client_id: c.clientId,
      checked_in_at: c.checkedInAt,
      method: c.method,
      offline: c.offline,
      staff_id: c.staffId,
    })
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'checked_in_at'])
    .executeTakeFirst();
}

/** The arrival already recorded for this client id, or for this booking, session and day. */
export function findCheckin(trx: Tx, tenantId: string, by: { clientId: string; bookingId: string; sessionId: string; day: string }) {
  return trx
    .selectFrom('booking_checkins')
    .select(['id', 'booking_id', 'client_id', 'checked_in_at'])
    .where('tenant_id', '=', tenantId)
    .where((eb) =>
      eb.or([
        eb('client_id', '=', by.clientId),
        eb.and([eb('booking_id', '=', by.bookingId), eb('session_id', '=', by.sessionId), eb('day', '=', by.day)]),
      ]),
    )
    .orderBy('recorded_at')
    .executeTakeFirst();
}

/** One arrival with whom and what it was for. */
export function findCheckinById(trx: Tx, tenantId: string, id: string) {
  return trx
    .selectFrom('booking_checkins as c')
    .innerJoin('bookings as b', (j) => j.onRef('b.tenant_id', '=', 'c.tenant_id').onRef('b.id', '=', 'c.booking_id'))
    .innerJoin('activity_sessions as s', (j) => j.onRef('s.tenant_id', '=', 'c.tenant_id').onRef('s.id', '=', 'c.session_id'))
    .innerJoin('activities as a', (j) => j.onRef('a.tenant_id', '=', 's.tenant_id').onRef('a.id', '=', 's.activity_id'))
    .select(['c.id', 'c.session_id', 'c.checked_in_at', 'b.resident_id', 'b.participant_name', 'a.name'])
    .where('c.tenant_id', '=', tenantId)
    .where('c.id', '=', id)
    .executeTakeFirst();
}

// ---- calendar feeds -----------------------------------------------------------------------------

export function findFeedOf(trx: Tx, tenantId: string, residentId: string) {
  return trx.selectFrom('calendar_feeds').select(['token_sealed', 'created_at']).where('tenant_id', '=', tenantId).where('resident_id', '=', residentId).executeTakeFirst();
}

export function findFeedByHash(trx: Tx, tenantId: string, tokenHash: string) {
  return trx.selectFrom('calendar_feeds').select(['resident_id']).where('tenant_id', '=', tenantId).where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Sets the resident's feed token (a new one replaces the former, which then leads nowhere). */
export function upsertFeed(trx: Tx, tenantId: string, residentId: string, tokenHash: string, tokenSealed: string) {
  return trx
    .insertInto('calendar_feeds')
    .values({ tenant_id: tenantId, resident_id: residentId, token_hash: tokenHash, token_sealed: tokenSealed })
    .onConflict((oc) => oc.columns(['tenant_id', 'resident_id']).doUpdateSet({ token_hash: tokenHash, token_sealed: tokenSealed, created_at: sql<Date>`now()` }))
    .execute();
}

/** The resident's confirmed bookings that end after `since`, soonest first (what the feed lists). */
export function confirmedBookingsOf(trx: Tx, tenantId: string, residentId: string, since: Date) {
  return trx
    .selectFrom('bookings as b')
    .innerJoin('activity_sessions as s', (j) => j.onRef('s.tenant_id', '=', 'b.tenant_id').onRef('s.id', '=', 'b.session_id'))
    .innerJoin('activities as a', (j) => j.onRef('a.tenant_id', '=', 's.tenant_id').onRef('a.id', '=', 's.activity_id'))
    .select(['b.id', 'b.participant_name', 'b.confirmed_at', 's.starts_at', 's.ends_at', 'a.name', 'a.slug'])
    .where('b.tenant_id', '=', tenantId)
    .where('b.resident_id', '=', residentId)
    .where('b.status', '=', 'confirmed')
    .where('s.ends_at', '>', since)
    .orderBy('s.starts_at')
    .limit(500)
    .execute();
}
