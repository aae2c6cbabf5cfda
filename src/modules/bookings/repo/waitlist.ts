/** Waitlists: people waiting for a full session, first come first served. */
import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';

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

