/**
 * SQL for the Open311 read side (modules/requests/public.ts): requests as anyone may see them,
 * never the contact columns. Filters are parameterized; the list is capped by the caller.
 */
import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { RequestStatus } from '../../../db/schema.ts';

const PUBLIC_COLUMNS = [
  'r.id',
  'r.reference',
  'r.type_id',
  'r.department_id',
  'r.status',
  'r.lat',
  'r.lng',
  'r.address',
  'r.description',
  'r.requested_at',
  'r.updated_at',
  'r.closed_at',
  'r.merged_into',
] as const;

function base(trx: Tx, tenantId: string) {
  return trx
    .selectFrom('requests as r')
    .innerJoin('request_types as t', (j) => j.onRef('t.tenant_id', '=', 'r.tenant_id').onRef('t.id', '=', 'r.type_id'))
    .leftJoin('requests as m', (j) => j.onRef('m.tenant_id', '=', 'r.tenant_id').onRef('m.id', '=', 'r.merged_into'))
    .select(PUBLIC_COLUMNS)
    .select(['t.service_code', 't.name as type_name', 't.target_hours', 'm.reference as merged_reference'])
    .where('r.tenant_id', '=', tenantId);
}

export type PublicRow = Awaited<ReturnType<typeof listPublic>>[number];

export interface PublicFilters {
  references?: string[];
  ids?: string[];
  typeCode?: string;
  from?: Date;
  to?: Date;
  statuses?: RequestStatus[];
}

/** Newest first; `limit` rows from `offset`. */
export function listPublic(trx: Tx, tenantId: string, f: PublicFilters, limit: number, offset: number) {
  let q = base(trx, tenantId);
  if (f.references) q = q.where('r.reference', 'in', f.references.length > 0 ? f.references : ['']);
  if (f.ids) q = q.where('r.id', 'in', f.ids.length > 0 ? f.ids : ['00000000-0000-0000-0000-000000000000']);
  if (f.typeCode) q = q.where('t.service_code', '=', f.typeCode);
  if (f.from) q = q.where('r.requested_at', '>=', f.from);
  if (f.to) q = q.where('r.requested_at', '<=', f.to);
  if (f.statuses) q = q.where('r.status', 'in', f.statuses);
  return q.orderBy('r.requested_at', 'desc').orderBy('r.id').limit(limit).offset(offset).execute();
}

/** The latest public note written on each request (a reply, a status change with a note, the closure). */
export async function latestPublicNotes(trx: Tx, tenantId: string, requestIds: readonly string[]): Promise<Map<string, string>> {
  if (requestIds.length === 0) return new Map();
  const rows = await trx
    .selectFrom('request_events')
    .select(['request_id', 'body'])
    .distinctOn('request_id')
    .where('tenant_id', '=', tenantId)
    .where('request_id', 'in', requestIds)
    .where('public', '=', true)
    .where('body', 'is not', null)
    .where('kind', 'in', ['public_reply', 'status_changed', 'closed'])
    .orderBy('request_id')
    .orderBy('created_at', 'desc')
    .execute();
  return new Map(rows.map((r) => [r.request_id, r.body ?? '']));
}

/** The first public photo of each request's report (not of a later event). */
export async function firstPublicPhotos(trx: Tx, tenantId: string, requestIds: readonly string[]): Promise<Map<string, string>> {
  if (requestIds.length === 0) return new Map();
  const rows = await trx
    .selectFrom('request_photos')
    .select(['request_id', 'id'])
    .distinctOn('request_id')
    .where('tenant_id', '=', tenantId)
    .where('request_id', 'in', requestIds)
    .where('public', '=', true)
    .where('event_id', 'is', null)
    .orderBy('request_id')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return new Map(rows.map((r) => [r.request_id, r.id]));
}

/** Median seconds to close, per type, over recent closures (the expected date of open requests). */
export async function typeDurations(trx: Tx, tenantId: string, typeIds: readonly string[], since: Date): Promise<Map<string, number[]>> {
  if (typeIds.length === 0) return new Map();
  const rows = await trx
    .selectFrom('requests')
    .select(['type_id', sql<number>`extract(epoch from (closed_at - requested_at))::float8`.as('seconds')])
    .where('tenant_id', '=', tenantId)
    .where('type_id', 'in', typeIds)
    .where('closed_at', 'is not', null)
    .where('merged_into', 'is', null)
    .where('closed_at', '>=', since)
    .orderBy('closed_at', 'desc')
    .limit(2000)
    .execute();
  const out = new Map<string, number[]>();
  for (const r of rows) {
    const list = out.get(r.type_id) ?? [];
    if (list.length < 30) list.push(Number(r.seconds));
    out.set(r.type_id, list);
  }
  return out;
}

/** An API client's earlier request by its idempotency key. */
export function idByIdempotencyKey(trx: Tx, tenantId: string, key: string) {
  return trx
    .selectFrom('requests')
    .select(['id', 'reference', 'requested_at'])
    .where('tenant_id', '=', tenantId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}
