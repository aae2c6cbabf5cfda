/** SQL of the staff case page (modules/requests/staff): assignment, type, department, merging. */
import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';

export async function setAssignee(trx: Tx, tenantId: string, id: string, assigneeId: string | null): Promise<void> {
  await trx.updateTable('requests').set({ assignee_id: assigneeId, updated_at: sql<Date>`now()` }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

export async function setTypeAndDepartment(trx: Tx, tenantId: string, id: string, typeId: string, departmentId: string | null): Promise<void> {
  await trx
    .updateTable('requests')
    .set({ type_id: typeId, department_id: departmentId, updated_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function setDepartment(trx: Tx, tenantId: string, id: string, departmentId: string | null): Promise<void> {
  await trx.updateTable('requests').set({ department_id: departmentId, updated_at: sql<Date>`now()` }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

/** Closes a duplicate and points it to the kept request. */
export async function markMerged(trx: Tx, tenantId: string, id: string, keptId: string): Promise<void> {
  await trx
    .updateTable('requests')
    .set({ status: 'closed', closed_at: sql<Date>`now()`, merged_into: keptId, updated_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}
