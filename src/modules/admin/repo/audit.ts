/**
 * Reading the audit trail for administrators: search by date range, actor, action and subject,
 * newest first, with the names of the staff members involved. The trail itself is written by
 * platform/audit.ts; nothing here changes it (the application role could not anyway).
 */
import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';

export interface AuditQuery {
  /** Days in the town's time zone, YYYY-MM-DD, both included. */
  from?: string;
  to?: string;
  timeZone: string;
  actorKind?: 'staff' | 'resident' | 'system' | 'anonymous';
  actorId?: string;
  action?: string;
  subjectId?: string;
}

function filtered(trx: Tx, tenantId: string, q: AuditQuery) {
  let query = trx.selectFrom('audit_events as e').where('e.tenant_id', '=', tenantId);
  // Days start at midnight in the town's time zone.
  if (q.from) query = query.where('e.at', '>=', sql<Date>`(cast(${q.from} as date)::timestamp at time zone ${q.timeZone})`);
  if (q.to) query = query.where('e.at', '<', sql<Date>`((cast(${q.to} as date) + 1)::timestamp at time zone ${q.timeZone})`);
  if (q.actorKind) query = query.where('e.actor_kind', '=', q.actorKind);
  if (q.actorId) query = query.where('e.actor_id', '=', q.actorId);
  if (q.action) query = query.where('e.action', '=', q.action);
  if (q.subjectId) query = query.where('e.subject_id', '=', q.subjectId);
  return query;
}

export async function count(trx: Tx, tenantId: string, q: AuditQuery): Promise<number> {
  const row = await filtered(trx, tenantId, q).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return row.n;
}

/** Matching events, newest first, with the names of their actor and subject when they are staff or a department. */
export function search(trx: Tx, tenantId: string, q: AuditQuery, limit: number, offset = 0) {
  return filtered(trx, tenantId, q)
    .leftJoin('staff_users as actor', (join) =>
      join.onRef('actor.tenant_id', '=', 'e.tenant_id').onRef('actor.id', '=', 'e.actor_id').on('e.actor_kind', '=', 'staff'),
    )
    .leftJoin('staff_users as subject', (join) =>
      join
        .onRef('subject.tenant_id', '=', 'e.tenant_id')
        .on('e.subject_kind', '=', 'staff')
        .on(sql`subject.id::text`, '=', sql.ref('e.subject_id')),
    )
    .leftJoin('departments as department', (join) =>
      join
        .onRef('department.tenant_id', '=', 'e.tenant_id')
        .on('e.subject_kind', '=', 'department')
        .on(sql`department.id::text`, '=', sql.ref('e.subject_id')),
    )
    .select([
      sql<string>`e.id::text`.as('id'),
      'e.at',
      'e.actor_kind',
      'e.actor_id',
      'actor.name as actor_name',
      'e.action',
      'e.subject_kind',
      'e.subject_id',
      'subject.name as subject_name',
      'department.name as department_name',
      'e.ip',
      'e.details',
    ])
    .orderBy('e.at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}
