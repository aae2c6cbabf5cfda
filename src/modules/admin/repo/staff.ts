/**
 * Staff-account management: the SQL on staff_users that administrators' use cases need (list, role,
 * disable, password from an invitation), and all the SQL of staff_invitations. The staff module
 * keeps sign-in and account creation; this is the administration side of the same accounts.
 */
import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import { principalsChanged } from '../../../platform/auth/session-cache.ts';

type Role = 'agent' | 'manager' | 'admin';

/** An invitation not used yet (expired or not) keeps an account without a password in the "invited" state. */
const pendingInvitationExpiry = (tenantId: string) =>
  sql<Date | null>`(
    select max(i.expires_at) from staff_invitations i
    where i.tenant_id = ${tenantId} and i.staff_id = staff_users.id and i.used_at is null
  )`;

function selectAccounts(trx: Tx, tenantId: string) {
  return trx
    .selectFrom('staff_users')
    .select(['id', 'email', 'name', 'role', 'locale', 'disabled_at', 'created_at'])
    .select(sql<boolean>`password_hash is not null`.as('has_password'))
    .select(pendingInvitationExpiry(tenantId).as('invitation_expires_at'))
    .where('tenant_id', '=', tenantId);
}

export async function count(trx: Tx, tenantId: string): Promise<number> {
  const row = await trx
    .selectFrom('staff_users')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** One page of the town's staff accounts, by name. */
export function listPage(trx: Tx, tenantId: string, limit: number, offset: number) {
  return selectAccounts(trx, tenantId).orderBy(sql`lower(name)`).orderBy('id').limit(limit).offset(offset).execute();
}

/** One account, locked until the end of the transaction when `forUpdate` (two administrators editing it wait in turn). */
export function findById(trx: Tx, tenantId: string, id: string, forUpdate = false) {
  const query = selectAccounts(trx, tenantId).where('id', '=', id);
  return (forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

export function findByEmail(trx: Tx, tenantId: string, email: string) {
  return trx
    .selectFrom('staff_users')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

/**
 * The town's active administrators, locked: enabled, and not waiting on an invitation. Taking the
 * lock makes two administrators who demote or disable each other at the same moment go one after
 * the other, so the second sees the first's change and the town keeps an administrator.
 */
export function lockActiveAdmins(trx: Tx, tenantId: string) {
  return trx
    .selectFrom('staff_users')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .where((eb) =>
      eb.not(
        eb.and([
          eb('password_hash', 'is', null),
          eb.exists(
            eb
              .selectFrom('staff_invitations as i')
              .select(sql`1`.as('one'))
              .where('i.tenant_id', '=', tenantId)
              .whereRef('i.staff_id', '=', 'staff_users.id')
              .where('i.used_at', 'is', null),
          ),
        ]),
      ),
    )
    .orderBy('id')
    .forUpdate()
    .execute();
}

export interface NewAccountRow {
  email: string;
  name: string;
  role: Role;
  locale: 'fr' | 'en';
}

/** An invited account: no password until the invitation is accepted, so nobody can sign in with it. */
export function insertInvited(trx: Tx, tenantId: string, row: NewAccountRow) {
  return trx
    .insertInto('staff_users')
    .values({ tenant_id: tenantId, email: row.email, name: row.name, role: row.role, locale: row.locale, password_hash: null })
    .returning(['id'])
    .executeTakeFirstOrThrow();
}

export async function setRole(trx: Tx, tenantId: string, id: string, role: Role): Promise<void> {
  principalsChanged(trx);
  await trx.updateTable('staff_users').set({ role }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

export async function setDisabled(trx: Tx, tenantId: string, id: string, disabled: boolean): Promise<void> {
  principalsChanged(trx);
  await trx
    .updateTable('staff_users')
    .set({ disabled_at: disabled ? sql<Date>`now()` : null })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function setPasswordHash(trx: Tx, tenantId: string, id: string, passwordHash: string): Promise<void> {
  await trx.updateTable('staff_users').set({ password_hash: passwordHash }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

// staff_invitations

export function insertInvitation(trx: Tx, tenantId: string, row: { staffId: string; tokenHash: string; invitedBy: string | null; validSeconds: number }) {
  return trx
    .insertInto('staff_invitations')
    .values({
      tenant_id: tenantId,
      staff_id: row.staffId,
      token_hash: row.tokenHash,
      invited_by: row.invitedBy,
      expires_at: sql<Date>`now() + make_interval(secs => ${row.validSeconds})`,
    })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();
}

/** Withdraws the unused invitations of an account (a new one replaces them): their links stop working. */
export async function removePending(trx: Tx, tenantId: string, staffId: string): Promise<void> {
  await trx.deleteFrom('staff_invitations').where('tenant_id', '=', tenantId).where('staff_id', '=', staffId).where('used_at', 'is', null).execute();
}

/** The invitation holding this token hash, with the account it opens. */
export function findInvitation(trx: Tx, tenantId: string, tokenHash: string) {
  return trx
    .selectFrom('staff_invitations as i')
    .innerJoin('staff_users as s', (join) => join.onRef('s.tenant_id', '=', 'i.tenant_id').onRef('s.id', '=', 'i.staff_id'))
    .select(['i.id', 'i.staff_id', 'i.expires_at', 'i.used_at', 's.name', 's.email', 's.role', 's.locale', 's.disabled_at'])
    .select(sql<boolean>`i.expires_at <= now()`.as('expired'))
    .select(sql<boolean>`s.password_hash is not null`.as('has_password'))
    .where('i.tenant_id', '=', tenantId)
    .where('i.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Marks the invitation used if it still is unused and valid; false when it was not (used meanwhile, expired). */
export async function useInvitation(trx: Tx, tenantId: string, id: string): Promise<boolean> {
  const row = await trx
    .updateTable('staff_invitations')
    .set({ used_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Every account's id, name and email, by name: to pick a person in the audit trail's filters. */
export function listNames(trx: Tx, tenantId: string) {
  return trx.selectFrom('staff_users').select(['id', 'name', 'email']).where('tenant_id', '=', tenantId).orderBy(sql`lower(name)`).orderBy('id').execute();
}
