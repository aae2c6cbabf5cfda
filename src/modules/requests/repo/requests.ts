/** SQL on requests (one row per request) and the counts read with them. */
import { sql, type Insertable } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { RequestStatus, RequestsTable } from '../../../db/schema.ts';

const REQUEST_COLUMNS = [
  'r.id',
  'r.reference',
  'r.type_id',
  'r.department_id',
  'r.status',
  'r.lat',
  'r.lng',
  'r.address',
  'r.description',
  'r.answers',
  'r.channel',
  'r.resident_id',
  'r.contact_email',
  'r.contact_name',
  'r.contact_phone',
  'r.locale',
  'r.tracking_token_hash',
  'r.assignee_id',
  'r.requested_at',
  'r.updated_at',
  'r.closed_at',
  'r.reopened',
  'r.reopened_at',
  'r.merged_into',
  'r.idempotency_key',
  'r.created_by',
] as const;

/** Inserts the request unless its idempotency key (or, rarely, its reference) is taken; returns it or undefined. */
export function insertOnce(trx: Tx, row: Insertable<RequestsTable>) {
  return trx
    .insertInto('requests')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'reference', 'requested_at'])
    .executeTakeFirst();
}

function base(trx: Tx, tenantId: string) {
  return trx
    .selectFrom('requests as r')
    .innerJoin('request_types as t', (j) => j.onRef('t.tenant_id', '=', 'r.tenant_id').onRef('t.id', '=', 'r.type_id'))
    .leftJoin('requests as m', (j) => j.onRef('m.tenant_id', '=', 'r.tenant_id').onRef('m.id', '=', 'r.merged_into'))
    .select(REQUEST_COLUMNS)
    .select(['t.service_code', 't.name as type_name', 't.target_hours', 'm.reference as merged_reference'])
    .select((eb) =>
      eb
        .selectFrom('request_followers as f')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('f.tenant_id', '=', 'r.tenant_id')
        .whereRef('f.request_id', '=', 'r.id')
        .as('followers'),
    )
    .where('r.tenant_id', '=', tenantId);
}

export type RequestRow = NonNullable<Awaited<ReturnType<typeof findById>>>;

export function findById(trx: Tx, tenantId: string, id: string) {
  return base(trx, tenantId).where('r.id', '=', id).executeTakeFirst();
}

export function findByReference(trx: Tx, tenantId: string, reference: string) {
  return base(trx, tenantId).where('r.reference', '=', reference).executeTakeFirst();
}

export function findByIdempotencyKey(trx: Tx, tenantId: string, key: string) {
  return base(trx, tenantId).where('r.idempotency_key', '=', key).executeTakeFirst();
}

/** Locks the request for a change of state (status, closure, reopening). */
export function lockForUpdate(trx: Tx, tenantId: string, id: string) {
  return trx
    .selectFrom('requests')
    .select(['id', 'status', 'closed_at', 'merged_into', 'department_id', 'resident_id'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function setStatus(
  trx: Tx,
  tenantId: string,
  id: string,
  changes: { status: RequestStatus; closedAt?: Date | null; reopened?: boolean; reopenedAt?: Date | null },
) {
  await trx
    .updateTable('requests')
    .set({
      status: changes.status,
      ...(changes.closedAt !== undefined ? { closed_at: changes.closedAt } : {}),
      ...(changes.reopened !== undefined ? { reopened: changes.reopened } : {}),
      ...(changes.reopenedAt !== undefined ? { reopened_at: changes.reopenedAt } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function touch(trx: Tx, tenantId: string, id: string) {
  await trx.updateTable('requests').set({ updated_at: sql<Date>`now()` }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

/**
 * Open requests of one type inside a box, at most `limit`, newest first. The box is a prefilter on
 * the (tenant_id, type_id, lat, lng) partial index; the caller keeps those within its radius.
 */
export function openInBox(
  trx: Tx,
  tenantId: string,
  typeId: string,
  box: { minLat: number; maxLat: number; minLng: number; maxLng: number },
  limit: number,
) {
  return trx
    .selectFrom('requests as r')
    .select(['r.id', 'r.reference', 'r.address', 'r.lat', 'r.lng', 'r.status', 'r.description', 'r.requested_at'])
    .select((eb) =>
      eb
        .selectFrom('request_followers as f')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('f.tenant_id', '=', 'r.tenant_id')
        .whereRef('f.request_id', '=', 'r.id')
        .as('followers'),
    )
    .where('r.tenant_id', '=', tenantId)
    .where('r.type_id', '=', typeId)
    .where('r.status', '<>', 'closed')
    .where('r.lat', '>=', box.minLat)
    .where('r.lat', '<=', box.maxLat)
    .where('r.lng', '>=', box.minLng)
    .where('r.lng', '<=', box.maxLng)
    .orderBy('r.requested_at', 'desc')
    .limit(limit)
    .execute();
}

/** How long the last closures of a type took, in seconds (merged duplicates left out). */
export async function recentDurations(trx: Tx, tenantId: string, typeId: string, since: Date, limit: number): Promise<number[]> {
  const rows = await trx
    .selectFrom('requests')
    .select(sql<number>`extract(epoch from (closed_at - requested_at))::float8`.as('seconds'))
    .where('tenant_id', '=', tenantId)
    .where('type_id', '=', typeId)
    .where('closed_at', 'is not', null)
    .where('merged_into', 'is', null)
    .where('closed_at', '>=', since)
    .orderBy('closed_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.seconds));
}

/** A resident's own requests and those they follow, newest first. */
export function listForResident(trx: Tx, tenantId: string, residentId: string, limit: number) {
  return trx
    .selectFrom('requests as r')
    .innerJoin('request_types as t', (j) => j.onRef('t.tenant_id', '=', 'r.tenant_id').onRef('t.id', '=', 'r.type_id'))
    .select(['r.id', 'r.reference', 'r.status', 'r.address', 'r.requested_at', 'r.updated_at', 'r.resident_id', 't.service_code', 't.name as type_name'])
    .where('r.tenant_id', '=', tenantId)
    .where((eb) =>
      eb.or([
        eb('r.resident_id', '=', residentId),
        eb.exists(
          eb
            .selectFrom('request_followers as f')
            .select('f.id')
            .whereRef('f.tenant_id', '=', 'r.tenant_id')
            .whereRef('f.request_id', '=', 'r.id')
            .where('f.resident_id', '=', residentId),
        ),
      ]),
    )
    .orderBy('r.requested_at', 'desc')
    .limit(limit)
    .execute();
}

/** Open requests of one type that have an address typed in, newest first (to match an address without a pin). */
export function openWithAddress(trx: Tx, tenantId: string, typeId: string, limit: number) {
  return trx
    .selectFrom('requests as r')
    .select(['r.id', 'r.reference', 'r.address', 'r.lat', 'r.lng', 'r.status', 'r.description', 'r.requested_at'])
    .select((eb) =>
      eb
        .selectFrom('request_followers as f')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('f.tenant_id', '=', 'r.tenant_id')
        .whereRef('f.request_id', '=', 'r.id')
        .as('followers'),
    )
    .where('r.tenant_id', '=', tenantId)
    .where('r.type_id', '=', typeId)
    .where('r.status', '<>', 'closed')
    .where('r.address', 'is not', null)
    .orderBy('r.requested_at', 'desc')
    .limit(limit)
    .execute();
}
