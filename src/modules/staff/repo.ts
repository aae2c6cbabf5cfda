/** Staff accounts: all the SQL of the staff_users table. Functions take the transaction handle. */
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';

const columns = ['id', 'email', 'name', 'role', 'locale', 'password_hash', 'disabled_at'] as const;

export function findByEmail(trx: Tx, tenantId: string, email: string) {
  return trx
    .selectFrom('staff_users')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

export function findById(trx: Tx, tenantId: string, id: string) {
  return trx.selectFrom('staff_users').select(columns).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export interface NewStaffRow {
  email: string;
  name: string;
  role: 'agent' | 'manager' | 'admin';
  locale: 'fr' | 'en';
  passwordHash: string | null;
}

export function insert(trx: Tx, tenantId: string, row: NewStaffRow) {
  return trx
    .insertInto('staff_users')
    .values({
      tenant_id: tenantId,
      email: row.email,
      name: row.name,
      role: row.role,
      locale: row.locale,
      password_hash: row.passwordHash,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
}

export async function setDisabled(trx: Tx, tenantId: string, id: string, disabled: boolean): Promise<boolean> {
  const result = await trx
    .updateTable('staff_users')
    .set({ disabled_at: disabled ? sql<Date>`now()` : null })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
