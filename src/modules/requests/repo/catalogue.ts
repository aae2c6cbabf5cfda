/** SQL on request_types, request_type_questions and town_areas. */
import type { Insertable } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { RequestTypeQuestionsTable, RequestTypesTable, TownAreasTable } from '../../../db/schema.ts';

const TYPE_COLUMNS = [
  'id',
  'service_code',
  'name',
  'description',
  'group_name',
  'keywords',
  'department_id',
  'target_hours',
  'allow_anonymous',
  'active',
  'position',
] as const;

export function listTypes(trx: Tx, tenantId: string, activeOnly: boolean) {
  let q = trx.selectFrom('request_types').select(TYPE_COLUMNS).where('tenant_id', '=', tenantId);
  if (activeOnly) q = q.where('active', '=', true);
  return q.orderBy('position').orderBy('service_code').execute();
}

export function findTypeByCode(trx: Tx, tenantId: string, code: string) {
  return trx.selectFrom('request_types').select(TYPE_COLUMNS).where('tenant_id', '=', tenantId).where('service_code', '=', code).executeTakeFirst();
}

export function findTypeById(trx: Tx, tenantId: string, id: string) {
  return trx.selectFrom('request_types').select(TYPE_COLUMNS).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export function questionsOf(trx: Tx, tenantId: string, typeIds: readonly string[]) {
  if (typeIds.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('request_type_questions')
    .select(['id', 'type_id', 'code', 'datatype', 'required', 'position', 'label', 'help', 'values'])
    .where('tenant_id', '=', tenantId)
    .where('type_id', 'in', typeIds)
    .where('active', '=', true)
    .orderBy('position')
    .orderBy('code')
    .execute();
}

/** Creates or updates a type by its code (demo content, administration); returns its id. */
export async function upsertType(trx: Tx, row: Insertable<RequestTypesTable>) {
  const { tenant_id: _t, service_code: _c, ...changes } = row;
  const saved = await trx
    .insertInto('request_types')
    .values(row)
    .onConflict((oc) => oc.columns(['tenant_id', 'service_code']).doUpdateSet({ ...changes, updated_at: new Date() }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return saved.id;
}

export async function upsertQuestion(trx: Tx, row: Insertable<RequestTypeQuestionsTable>) {
  const { tenant_id: _t, type_id: _ty, code: _c, ...changes } = row;
  await trx
    .insertInto('request_type_questions')
    .values(row)
    .onConflict((oc) => oc.columns(['tenant_id', 'type_id', 'code']).doUpdateSet(changes))
    .execute();
}

export function findArea(trx: Tx, tenantId: string) {
  return trx
    .selectFrom('town_areas')
    .select(['min_lat', 'min_lng', 'max_lat', 'max_lng', 'polygon', 'center_lat', 'center_lng', 'zoom'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

export async function saveArea(trx: Tx, row: Insertable<TownAreasTable>) {
  const { tenant_id: _t, ...changes } = row;
  await trx
    .insertInto('town_areas')
    .values(row)
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ ...changes, updated_at: new Date() }))
    .execute();
}
