/**
 * The review's SQL on the applications' tables: the queue, the clock's events, the assignee, the
 * message thread, interviews. (Applications, files and events themselves: ../repo.ts.)
 */
import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { ApplicationStatus } from '../../../db/schema.ts';
import { selectApplications } from '../repo.ts';

export interface QueueFilter {
  serviceId: string | null;
  statuses: readonly ApplicationStatus[];
  /** 'none': unassigned; a staff id; null: anyone. */
  assignee: string | null;
  /** The departments the viewer reviews; null: every department (managers, administrators). */
  departmentIds: readonly string[] | null;
}

function visible(trx: Tx, tenantId: string, departmentIds: readonly string[] | null) {
  let q = selectApplications(trx, tenantId).where('a.status', '<>', 'draft');
  if (departmentIds !== null) {
    q = departmentIds.length === 0 ? q.where(sql<boolean>`false`) : q.where('a.department_id', 'in', departmentIds);
  }
  return q;
}

/** The applications matching the filter, oldest submission first (the caller sorts by time left). */
export function queue(trx: Tx, tenantId: string, f: QueueFilter, limit: number) {
  let q = visible(trx, tenantId, f.departmentIds).where('a.status', 'in', f.statuses);
  if (f.serviceId) q = q.where('a.service_id', '=', f.serviceId);
  if (f.assignee === 'none') q = q.where('a.assignee_id', 'is', null);
  else if (f.assignee) q = q.where('a.assignee_id', '=', f.assignee);
  return q.orderBy('a.submitted_at').limit(limit).execute();
}

/** How many applications the viewer may see, by status (drafts left out). */
export async function countsByStatus(trx: Tx, tenantId: string, departmentIds: readonly string[] | null, serviceId: string | null) {
  let q = trx
    .selectFrom('applications')
    .select(['status', sql<number>`count(*)::int`.as('n')])
    .where('tenant_id', '=', tenantId)
    .where('status', '<>', 'draft');
  if (departmentIds !== null) q = departmentIds.length === 0 ? q.where(sql<boolean>`false`) : q.where('department_id', 'in', departmentIds);
  if (serviceId) q = q.where('service_id', '=', serviceId);
  return q.groupBy('status').execute();
}

/** The status changes of these applications (what the clock is computed from). */
export function statusEvents(trx: Tx, tenantId: string, applicationIds: readonly string[]) {
  if (applicationIds.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('application_events')
    .select(['application_id', 'created_at', 'from_status', 'to_status'])
    .where('tenant_id', '=', tenantId)
    .where('application_id', 'in', applicationIds)
    .where('to_status', 'is not', null)
    .orderBy('created_at')
    .execute();
}

/** The services with the department that reviews them (for the queue's filter). */
export function services(trx: Tx, tenantId: string) {
  return trx.selectFrom('application_services').select(['id', 'name', 'department_id', 'position']).where('tenant_id', '=', tenantId).orderBy('position').orderBy('slug').execute();
}

/** Sets the reviewer; a submitted application moves to in_review. False when it is no longer open. */
export async function setAssignee(trx: Tx, tenantId: string, id: string, assigneeId: string | null): Promise<boolean> {
  const r = await trx
    .updateTable('applications')
    .set({
      assignee_id: assigneeId,
      status: sql`case when status = 'submitted' then 'in_review' else status end`,
      updated_at: sql`now()`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', 'in', ['submitted', 'in_review', 'info_requested', 'approved'])
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Locks the application's row until the transaction ends (two reviewers acting at once). */
export async function lockApplication(trx: Tx, tenantId: string, id: string) {
  return trx.selectFrom('applications').select(['id', 'status']).where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
}

// ---- messages ------------------------------------------------------------------------------------

export interface NewMessage {
  applicationId: string;
  authorKind: 'resident' | 'staff';
  authorId: string | null;
  body: string;
  locale: 'fr' | 'en';
  idempotencyKey: string | null;
}

/** Adds a message; undefined when a message with this key exists already (a retried post). */
export function insertMessage(trx: Tx, tenantId: string, m: NewMessage) {
  return trx
    .insertInto('application_messages')
    .values({
      tenant_id: tenantId,
      application_id: m.applicationId,
      author_kind: m.authorKind,
      author_id: m.authorId,
      body: m.body,
      locale: m.locale,
      idempotency_key: m.idempotencyKey,
    })
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'created_at'])
    .executeTakeFirst();
}

export function listMessages(trx: Tx, tenantId: string, applicationId: string) {
  return trx
    .selectFrom('application_messages')
    .select(['id', 'author_kind', 'author_id', 'body', 'locale', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('application_id', '=', applicationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

// ---- interviews ----------------------------------------------------------------------------------

export async function upsertInterview(trx: Tx, tenantId: string, applicationId: string, at: Date, place: string, by: string | null): Promise<void> {
  await trx
    .insertInto('application_interviews')
    .values({ tenant_id: tenantId, application_id: applicationId, at, place, scheduled_by: by })
    .onConflict((oc) => oc.columns(['tenant_id', 'application_id']).doUpdateSet({ at, place, scheduled_by: by, updated_at: sql`now()` }))
    .execute();
}

export function findInterview(trx: Tx, tenantId: string, applicationId: string) {
  return trx
    .selectFrom('application_interviews')
    .select(['at', 'place'])
    .where('tenant_id', '=', tenantId)
    .where('application_id', '=', applicationId)
    .executeTakeFirst();
}
