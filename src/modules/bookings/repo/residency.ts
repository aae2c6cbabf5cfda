/** Residency requests: residents ask, staff approve (a residency_proofs row) or refuse. */
import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';

export function insertResidencyRequest(trx: Tx, tenantId: string, row: { residentId: string; address: string; proof: string; key: string }) {
  return trx
    .insertInto('residency_requests')
    .values({ tenant_id: tenantId, resident_id: row.residentId, address: row.address, proof: row.proof, idempotency_key: row.key })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
}

/** The resident's latest request and their proof on file, if any. */
export async function residencyOf(trx: Tx, tenantId: string, residentId: string) {
  const request = await trx
    .selectFrom('residency_requests')
    .select(['id', 'status', 'address', 'proof', 'valid_until', 'reason', 'created_at', 'decided_at'])
    .where('tenant_id', '=', tenantId)
    .where('resident_id', '=', residentId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const proof = await trx
    .selectFrom('residency_proofs')
    .select(['valid_until'])
    .where('tenant_id', '=', tenantId)
    .where('resident_id', '=', residentId)
    .executeTakeFirst();
  return { request, proof };
}

const requestColumns = [
  'q.id',
  'q.resident_id',
  'q.address',
  'q.proof',
  'q.status',
  'q.valid_until',
  'q.reason',
  'q.created_at',
  'q.decided_at',
  'r.name as resident_name',
  'r.email as resident_email',
  'r.locale as resident_locale',
  'r.address as profile_address',
] as const;

/** Requests waiting for a decision (oldest first), then the latest decided ones. */
export function listResidencyRequests(trx: Tx, tenantId: string, status: 'pending' | 'decided', limit: number) {
  let query = trx
    .selectFrom('residency_requests as q')
    .innerJoin('residents as r', (j) => j.onRef('r.tenant_id', '=', 'q.tenant_id').onRef('r.id', '=', 'q.resident_id'))
    .select(requestColumns)
    .where('q.tenant_id', '=', tenantId);
  query = status === 'pending' ? query.where('q.status', '=', 'pending').orderBy('q.created_at') : query.where('q.status', '<>', 'pending').orderBy('q.decided_at', 'desc');
  return query.limit(limit).execute();
}

export function findResidencyRequest(trx: Tx, tenantId: string, id: string) {
  return trx
    .selectFrom('residency_requests as q')
    .innerJoin('residents as r', (j) => j.onRef('r.tenant_id', '=', 'q.tenant_id').onRef('r.id', '=', 'q.resident_id'))
    .select(requestColumns)
    .where('q.tenant_id', '=', tenantId)
    .where('q.id', '=', id)
    .executeTakeFirst();
}

/** Decides a pending request (once); undefined when it was already decided. */
export function decideResidencyRequest(
  trx: Tx,
  tenantId: string,
  id: string,
  decision: { status: 'approved'; validUntil: string } | { status: 'refused'; reason: string },
  staffId: string,
) {
  return trx
    .updateTable('residency_requests')
    .set({
      status: decision.status,
      valid_until: decision.status === 'approved' ? decision.validUntil : null,
      reason: decision.status === 'refused' ? decision.reason : null,
      decided_by: staffId,
      decided_at: sql<Date>`now()`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returning(['id', 'resident_id'])
    .executeTakeFirst();
}
