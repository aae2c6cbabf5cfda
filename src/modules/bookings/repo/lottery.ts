/** Lotteries: entries, the record of each draw, and the sessions due for one. */
import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import { activityColumns } from './activities.ts';
import type { EntryRow } from './waitlist.ts';

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

