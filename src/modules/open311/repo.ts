/** SQL on api_keys (Open311 API keys). Only the key's sha256 is ever stored. */
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';

const COLUMNS = ['id', 'name', 'prefix', 'created_by', 'created_at', 'last_used_at', 'revoked_at', 'revoked_by'] as const;

export function insertKey(
  trx: Tx,
  row: { tenantId: string; name: string; prefix: string; keyHash: string; createdBy: string | null; idempotencyKey: string | null },
) {
  return trx
    .insertInto('api_keys')
    .values({
      tenant_id: row.tenantId,
      name: row.name,
      prefix: row.prefix,
      key_hash: row.keyHash,
      created_by: row.createdBy,
      idempotency_key: row.idempotencyKey,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'idempotency_key']).where('idempotency_key', 'is not', null).doNothing())
    .returning(COLUMNS)
    .executeTakeFirst();
}

export function findByIdempotencyKey(trx: Tx, tenantId: string, key: string) {
  return trx.selectFrom('api_keys').select(COLUMNS).where('tenant_id', '=', tenantId).where('idempotency_key', '=', key).executeTakeFirst();
}

export function listKeys(trx: Tx, tenantId: string) {
  return trx
    .selectFrom('api_keys as k')
    .leftJoin('staff_users as s', (j) => j.onRef('s.tenant_id', '=', 'k.tenant_id').onRef('s.id', '=', 'k.created_by'))
    .select(['k.id', 'k.name', 'k.prefix', 'k.created_by', 'k.created_at', 'k.last_used_at', 'k.revoked_at', 'k.revoked_by', 's.name as creator_name'])
    .where('k.tenant_id', '=', tenantId)
    .orderBy('k.created_at', 'desc')
    .orderBy('k.id')
    .execute();
}

export function findById(trx: Tx, tenantId: string, id: string) {
  return trx.selectFrom('api_keys').select(COLUMNS).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export function findByHash(trx: Tx, tenantId: string, keyHash: string) {
  return trx.selectFrom('api_keys').select(COLUMNS).where('tenant_id', '=', tenantId).where('key_hash', '=', keyHash).executeTakeFirst();
}

/** Revokes a key still in use; returns whether it changed. */
export async function revoke(trx: Tx, tenantId: string, id: string, by: string | null): Promise<boolean> {
  const res = await trx
    .updateTable('api_keys')
    .set({ revoked_at: sql<Date>`now()`, revoked_by: by })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Notes when a key was last used (at most once a minute per key, to spare writes). */
export async function touch(trx: Tx, tenantId: string, id: string): Promise<void> {
  await trx
    .updateTable('api_keys')
    .set({ last_used_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)]))
    .execute();
}
