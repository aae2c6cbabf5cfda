/**
 * SQL of the staff queue (modules/requests/staff): open cases filtered by department, type,
 * status, area, age and assignee, sorted by the time left before the type's target, paged; and
 * the counts per filter value (each facet counted with the other filters applied).
 */
import { sql, type ExpressionBuilder } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { DB, RequestStatus } from '../../../db/schema.ts';

export interface Box {
  minLat: number;
  maxLat: number;
  minLng: number;
  maxLng: number;
}

export interface QueueWhere {
  /** An agent's departments (cases without a department or of another are not theirs); null: all. */
  visibleDepartments: readonly string[] | null;
  statuses: RequestStatus[] | null;
  /** A department id, or 'none'. */
  department: string | null;
  typeId: string | null;
  /** A staff id, or 'none'. */
  assignee: string | null;
  /** A box, or 'none' for cases placed by address only. */
  area: Box | 'none' | null;
  requestedAfter: Date | null;
  requestedBefore: Date | null;
  overdue: boolean;
}

export type Facet = 'status' | 'department' | 'type' | 'assignee' | 'age' | 'area';

type Eb = ExpressionBuilder<DB & { r: DB['requests']; t: DB['request_types'] }, 'r' | 't'>;

const due = sql<Date>`r.requested_at + t.target_hours * interval '1 hour'`;

function conditions(eb: Eb, w: QueueWhere, except: Facet | null) {
  const all = [];
  if (w.visibleDepartments) all.push(eb('r.department_id', 'in', w.visibleDepartments.length > 0 ? [...w.visibleDepartments] : ['00000000-0000-0000-0000-000000000000']));
  if (except !== 'status' && w.statuses) all.push(eb('r.status', 'in', w.statuses));
  if (except !== 'department' && w.department) all.push(w.department === 'none' ? eb('r.department_id', 'is', null) : eb('r.department_id', '=', w.department));
  if (except !== 'type' && w.typeId) all.push(eb('r.type_id', '=', w.typeId));
  if (except !== 'assignee' && w.assignee) all.push(w.assignee === 'none' ? eb('r.assignee_id', 'is', null) : eb('r.assignee_id', '=', w.assignee));
  const area = except === 'area' ? null : w.area;
  if (area === 'none') all.push(eb('r.lat', 'is', null));
  else if (area) all.push(eb('r.lat', '>=', area.minLat), eb('r.lat', '<', area.maxLat), eb('r.lng', '>=', area.minLng), eb('r.lng', '<', area.maxLng));
  if (except !== 'age' && w.requestedAfter) all.push(eb('r.requested_at', '>=', w.requestedAfter));
  if (except !== 'age' && w.requestedBefore) all.push(eb('r.requested_at', '<', w.requestedBefore));
  if (w.overdue) all.push(eb(due, '<', sql<Date>`now()`), eb('r.status', '<>', 'closed'));
  return eb.and(all);
}

function base(trx: Tx, tenantId: string) {
  return trx
    .selectFrom('requests as r')
    .innerJoin('request_types as t', (j) => j.onRef('t.tenant_id', '=', 'r.tenant_id').onRef('t.id', '=', 'r.type_id'))
    .where('r.tenant_id', '=', tenantId);
}

/** One page of the queue: soonest target first (overdue ones on top), then the oldest. */
export function queuePage(trx: Tx, tenantId: string, w: QueueWhere, limit: number, offset: number) {
  return base(trx, tenantId)
    .where((eb) => conditions(eb, w, null))
    .select([
      'r.id',
      'r.reference',
      'r.type_id',
      'r.department_id',
      'r.status',
      'r.address',
      'r.lat',
      'r.lng',
      'r.requested_at',
      'r.closed_at',
      'r.assignee_id',
      'r.reopened',
      'r.merged_into',
      't.service_code',
      't.name as type_name',
      due.as('due_at'),
    ])
    .orderBy(sql`case when r.status = 'closed' then 1 else 0 end`)
    .orderBy(due)
    .orderBy('r.requested_at')
    .orderBy('r.id')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function queueCount(trx: Tx, tenantId: string, w: QueueWhere): Promise<number> {
  const row = await base(trx, tenantId)
    .where((eb) => conditions(eb, w, null))
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How many cases have each value of one filter, the other filters applied. */
export async function facetCounts(trx: Tx, tenantId: string, w: QueueWhere, facet: Facet, town: Box | null): Promise<Map<string, number>> {
  const [a1, a2] = town ? [town.minLat + (town.maxLat - town.minLat) / 3, town.minLat + (2 * (town.maxLat - town.minLat)) / 3] : [0, 0];
  const [b1, b2] = town ? [town.minLng + (town.maxLng - town.minLng) / 3, town.minLng + (2 * (town.maxLng - town.minLng)) / 3] : [0, 0];
  const key = {
    status: sql<string>`r.status`,
    department: sql<string>`coalesce(r.department_id::text, 'none')`,
    type: sql<string>`r.type_id::text`,
    assignee: sql<string>`coalesce(r.assignee_id::text, 'none')`,
    age: sql<string>`case when r.requested_at >= now() - interval '1 day' then 'day' when r.requested_at >= now() - interval '7 days' then 'week' when r.requested_at >= now() - interval '30 days' then 'month' else 'older' end`,
    area: town
      ? sql<string>`case when r.lat is null then 'none' else (case when r.lat >= ${a2} then 'n' when r.lat >= ${a1} then 'c' else 's' end) || (case when r.lng >= ${b2} then 'e' when r.lng >= ${b1} then 'c' else 'w' end) end`
      : sql<string>`case when r.lat is null then 'none' else 'cc' end`,
  }[facet];
  const rows = await base(trx, tenantId)
    .where((eb) => conditions(eb, w, facet))
    .select([key.as('k'), (eb) => eb.fn.countAll<string>().as('n')])
    // By position: the key may hold parameters, which would not match a repeated expression.
    .groupBy(sql`1`)
    .execute();
  return new Map(rows.map((r) => [r.k, Number(r.n)]));
}

/** Overdue open cases under the current filters (shown beside the list). */
export async function overdueCount(trx: Tx, tenantId: string, w: QueueWhere): Promise<number> {
  return queueCount(trx, tenantId, { ...w, overdue: true });
}

/**
 * Staff members of the town who may be given cases (enabled accounts), with their names. Read
 * here, beside the queue, for the assignee filter and the assign forms.
 */
export function assignableStaff(trx: Tx, tenantId: string) {
  return trx
    .selectFrom('staff_users')
    .select(['id', 'name', 'role'])
    .where('tenant_id', '=', tenantId)
    .where('disabled_at', 'is', null)
    .orderBy('name')
    .execute();
}
