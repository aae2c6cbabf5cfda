/** Departments and agents' memberships: all the SQL of departments and staff_departments. */
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { Bilingual } from '../../db/schema.ts';

const columns = ['id', 'name', 'active', 'created_at'] as const;

/** Every department of the town, active ones first, then by French name; with how many staff are in each. */
export function list(trx: Tx, tenantId: string) {
  return trx
    .selectFrom('departments as d')
    .select(['d.id', 'd.name', 'd.active', 'd.created_at'])
    .select((eb) =>
      eb
        .selectFrom('staff_departments as sd')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('sd.tenant_id', '=', tenantId)
        .whereRef('sd.department_id', '=', 'd.id')
        .as('members'),
    )
    .where('d.tenant_id', '=', tenantId)
    .orderBy('d.active', 'desc')
    .orderBy(sql`lower(d.name->>'fr')`)
    .execute();
}

export function findById(trx: Tx, tenantId: string, id: string) {
  return trx.selectFrom('departments').select(columns).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export function findByIds(trx: Tx, tenantId: string, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return trx.selectFrom('departments').select(columns).where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();
}

/** The department (other than `exceptId`) already called this in French or in English, if any. */
export function findByName(trx: Tx, tenantId: string, name: Bilingual, exceptId?: string) {
  let query = trx
    .selectFrom('departments')
    .select(['id', sql<boolean>`lower(name->>'fr') = lower(${name.fr})`.as('sameFr'), sql<boolean>`lower(name->>'en') = lower(${name.en})`.as('sameEn')])
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb(sql`lower(name->>'fr')`, '=', name.fr.toLowerCase()), eb(sql`lower(name->>'en')`, '=', name.en.toLowerCase())]));
  if (exceptId) query = query.where('id', '<>', exceptId);
  return query.executeTakeFirst();
}

export function insert(trx: Tx, tenantId: string, name: Bilingual) {
  return trx
    .insertInto('departments')
    .values({ tenant_id: tenantId, name: JSON.stringify(name) })
    .returning(columns)
    .executeTakeFirstOrThrow();
}

export async function rename(trx: Tx, tenantId: string, id: string, name: Bilingual): Promise<void> {
  await trx.updateTable('departments').set({ name: JSON.stringify(name) }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

export async function setActive(trx: Tx, tenantId: string, id: string, active: boolean): Promise<void> {
  await trx.updateTable('departments').set({ active }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

/** The staff members of one department: ids, names and roles. */
export function members(trx: Tx, tenantId: string, departmentId: string) {
  return trx
    .selectFrom('staff_departments as sd')
    .innerJoin('staff_users as s', (join) => join.onRef('s.tenant_id', '=', 'sd.tenant_id').onRef('s.id', '=', 'sd.staff_id'))
    .select(['s.id', 's.name', 's.role', 's.disabled_at'])
    .where('sd.tenant_id', '=', tenantId)
    .where('sd.department_id', '=', departmentId)
    .orderBy(sql`lower(s.name)`)
    .execute();
}

/** The department ids of each of these staff members. */
export function membershipsOf(trx: Tx, tenantId: string, staffIds: readonly string[]) {
  if (staffIds.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('staff_departments')
    .select(['staff_id', 'department_id'])
    .where('tenant_id', '=', tenantId)
    .where('staff_id', 'in', staffIds)
    .execute();
}

export async function addMemberships(trx: Tx, tenantId: string, staffId: string, departmentIds: readonly string[]): Promise<void> {
  if (departmentIds.length === 0) return;
  await trx
    .insertInto('staff_departments')
    .values(departmentIds.map((id) => ({ tenant_id: tenantId, staff_id: staffId, department_id: id })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function removeMemberships(trx: Tx, tenantId: string, staffId: string, departmentIds: readonly string[]): Promise<void> {
  if (departmentIds.length === 0) return;
  await trx
    .deleteFrom('staff_departments')
    .where('tenant_id', '=', tenantId)
    .where('staff_id', '=', staffId)
    .where('department_id', 'in', departmentIds)
    .execute();
}
