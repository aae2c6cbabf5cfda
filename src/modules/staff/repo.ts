/** Staff accounts: all the SQL of the staff_users table. Functions take the transaction handle. */
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { principalsChanged } from '../../platform/auth/session-cache.ts';

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

/** An enabled account's address, name and language, for an email from another module; nothing else. */
export function findContact(trx: Tx, tenantId: string, id: string) {
  return trx
    .selectFrom('staff_users')
    .select(['email', 'name', 'locale'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
}

/** Enabled accounts of the town, by name (for other modules' pickers, e.g. assigning a reviewer). */
export function listEnabled(trx: Tx, tenantId: string) {
  return trx.selectFrom('staff_users').select(['id', 'name', 'role']).where('tenant_id', '=', tenantId).where('disabled_at', 'is', null).orderBy('name').execute();
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
  principalsChanged(trx);
  const result = await trx
    .updateTable('staff_users')
    .set({ disabled_at: disabled ? sql<Date>`now()` : null })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * The account behind a session, with what the session check needs to know: whether two-step
 * verification is on, and whether the account has signed in through the town's single sign-on.
 */
export function findForSession(trx: Tx, tenantId: string, id: string) {
  return trx
    .selectFrom('staff_users as s')
    .select([
      's.id',
      's.email',
      's.name',
      's.role',
      's.locale',
      's.disabled_at',
      (eb) =>
        eb
          .exists(eb.selectFrom('staff_mfa as m').select('m.staff_id').whereRef('m.tenant_id', '=', 's.tenant_id').whereRef('m.staff_id', '=', 's.id').where('m.confirmed_at', 'is not', null))
          .as('mfa'),
      (eb) =>
        eb
          .exists(eb.selectFrom('staff_identities as i').select('i.staff_id').whereRef('i.tenant_id', '=', 's.tenant_id').whereRef('i.staff_id', '=', 's.id'))
          .as('sso'),
    ])
    .where('s.tenant_id', '=', tenantId)
    .where('s.id', '=', id)
    .executeTakeFirst();
}

export async function setRole(trx: Tx, tenantId: string, id: string, role: 'agent' | 'manager' | 'admin'): Promise<void> {
  principalsChanged(trx);
  await trx.updateTable('staff_users').set({ role }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

// staff_identities: who signed in through the town's single sign-on, by issuer and subject.

export function findIdentity(trx: Tx, tenantId: string, issuer: string, subject: string) {
  return trx
    .selectFrom('staff_identities')
    .select(['staff_id'])
    .where('tenant_id', '=', tenantId)
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .executeTakeFirst();
}

/** The subject this account is linked to at this issuer, if any. */
export function findIdentityOfStaff(trx: Tx, tenantId: string, issuer: string, staffId: string) {
  return trx
    .selectFrom('staff_identities')
    .select(['subject'])
    .where('tenant_id', '=', tenantId)
    .where('issuer', '=', issuer)
    .where('staff_id', '=', staffId)
    .executeTakeFirst();
}

export async function linkIdentity(trx: Tx, tenantId: string, issuer: string, subject: string, staffId: string): Promise<void> {
  await trx
    .insertInto('staff_identities')
    .values({ tenant_id: tenantId, issuer, subject, staff_id: staffId })
    .onConflict((oc) => oc.columns(['tenant_id', 'issuer', 'subject']).doUpdateSet({ last_sign_in_at: sql<Date>`now()` }))
    .execute();
}
