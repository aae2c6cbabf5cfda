/** Two-step verification: all the SQL of staff_mfa, staff_recovery_codes and staff_mfa_pending. */
import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import { principalsChanged } from '../../../platform/auth/session-cache.ts';

// staff_mfa ------------------------------------------------------------------------------------

export function findMfa(trx: Tx, tenantId: string, staffId: string) {
  return trx
    .selectFrom('staff_mfa')
    .select([
      'secret_sealed',
      'confirmed_at',
      'last_step',
      'failed_count',
      'locked_until',
      sql<boolean>`coalesce(locked_until > now(), false)`.as('locked'),
    ])
    .where('tenant_id', '=', tenantId)
    .where('staff_id', '=', staffId)
    .executeTakeFirst();
}

/** Starts (or restarts) an enrolment with a new sealed secret; any earlier unconfirmed one is replaced. */
export async function startEnrolment(trx: Tx, tenantId: string, staffId: string, secretSealed: string): Promise<void> {
  await trx
    .insertInto('staff_mfa')
    .values({ tenant_id: tenantId, staff_id: staffId, secret_sealed: secretSealed })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'staff_id']).doUpdateSet({ secret_sealed: secretSealed, confirmed_at: null, last_step: 0, failed_count: 0, locked_until: null, created_at: sql<Date>`now()` }),
    )
    .execute();
}

/** Confirms the enrolment and records the step of the first code, so it cannot be used again. */
export async function confirm(trx: Tx, tenantId: string, staffId: string, step: number): Promise<boolean> {
  const res = await trx
    .updateTable('staff_mfa')
    .set({ confirmed_at: sql<Date>`now()`, last_step: step, failed_count: 0, locked_until: null })
    .where('tenant_id', '=', tenantId)
    .where('staff_id', '=', staffId)
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/**
 * Accepts a code's time step only if it is later than the last one accepted: atomic, so two
 * requests carrying the same code cannot both succeed. Clears the failure counter.
 */
export async function acceptStep(trx: Tx, tenantId: string, staffId: string, step: number): Promise<boolean> {
  const res = await trx
    .updateTable('staff_mfa')
    .set({ last_step: step, failed_count: 0, locked_until: null })
    .where('tenant_id', '=', tenantId)
    .where('staff_id', '=', staffId)
    .where('confirmed_at', 'is not', null)
    .where('last_step', '<', String(step))
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** Counts a wrong code; at `max` failures the account's code step is locked for `lockSeconds`. Returns the new count. */
export async function countFailure(trx: Tx, tenantId: string, staffId: string, max: number, lockSeconds: number): Promise<{ failures: number; locked: boolean }> {
  const row = await trx
    .updateTable('staff_mfa')
    .set({
      failed_count: sql<number>`case when failed_count + 1 >= ${max} then 0 else failed_count + 1 end`,
      locked_until: sql<Date | null>`case when failed_count + 1 >= ${max} then now() + make_interval(secs => ${lockSeconds}) else locked_until end`,
    })
    .where('tenant_id', '=', tenantId)
    .where('staff_id', '=', staffId)
    .returning(['failed_count', sql<boolean>`coalesce(locked_until > now(), false)`.as('locked')])
    .executeTakeFirst();
  return { failures: row?.failed_count ?? 0, locked: row?.locked ?? false };
}

export async function resetFailures(trx: Tx, tenantId: string, staffId: string): Promise<void> {
  await trx.updateTable('staff_mfa').set({ failed_count: 0, locked_until: null }).where('tenant_id', '=', tenantId).where('staff_id', '=', staffId).execute();
}

export async function removeMfa(trx: Tx, tenantId: string, staffId: string): Promise<boolean> {
  principalsChanged(trx);
  const res = await trx.deleteFrom('staff_mfa').where('tenant_id', '=', tenantId).where('staff_id', '=', staffId).executeTakeFirst();
  await trx.deleteFrom('staff_recovery_codes').where('tenant_id', '=', tenantId).where('staff_id', '=', staffId).execute();
  return res.numDeletedRows > 0n;
}

/** Test helper support: forget the last accepted step, so a test may sign in twice within 30 seconds. */
export async function forgetLastStep(trx: Tx, tenantId: string, staffId: string): Promise<void> {
  await trx.updateTable('staff_mfa').set({ last_step: 0 }).where('tenant_id', '=', tenantId).where('staff_id', '=', staffId).execute();
}

// staff_recovery_codes -------------------------------------------------------------------------

export async function replaceRecoveryCodes(trx: Tx, tenantId: string, staffId: string, hashes: string[]): Promise<void> {
  await trx.deleteFrom('staff_recovery_codes').where('tenant_id', '=', tenantId).where('staff_id', '=', staffId).execute();
  await trx
    .insertInto('staff_recovery_codes')
    .values(hashes.map((code_hash) => ({ tenant_id: tenantId, staff_id: staffId, code_hash })))
    .execute();
}

/** Uses a recovery code: true once, false for an unknown or already used one. */
export async function useRecoveryCode(trx: Tx, tenantId: string, staffId: string, hash: string): Promise<boolean> {
  const res = await trx
    .updateTable('staff_recovery_codes')
    .set({ used_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('staff_id', '=', staffId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

export async function countUnusedRecoveryCodes(trx: Tx, tenantId: string, staffId: string): Promise<number> {
  const row = await trx
    .selectFrom('staff_recovery_codes')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('tenant_id', '=', tenantId)
    .where('staff_id', '=', staffId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.n;
}

// staff_mfa_pending ----------------------------------------------------------------------------

export async function insertPending(
  trx: Tx,
  tenantId: string,
  row: { tokenHash: string; staffId: string; purpose: 'verify' | 'enrol'; nextPath: string | null; ttlSeconds: number },
): Promise<void> {
  // Housekeeping: this person's earlier half-finished sign-ins, and anyone's expired ones.
  await trx
    .deleteFrom('staff_mfa_pending')
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb('staff_id', '=', row.staffId), eb('expires_at', '<=', sql<Date>`now()`)]))
    .execute();
  await trx
    .insertInto('staff_mfa_pending')
    .values({
      tenant_id: tenantId,
      token_hash: row.tokenHash,
      staff_id: row.staffId,
      purpose: row.purpose,
      next_path: row.nextPath,
      expires_at: sql<Date>`now() + make_interval(secs => ${row.ttlSeconds})`,
    })
    .execute();
}

export function findPending(trx: Tx, tenantId: string, tokenHash: string) {
  return trx
    .selectFrom('staff_mfa_pending')
    .select(['staff_id', 'purpose', 'next_path'])
    .where('tenant_id', '=', tenantId)
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
}

export async function removePending(trx: Tx, tenantId: string, tokenHash: string): Promise<void> {
  await trx.deleteFrom('staff_mfa_pending').where('tenant_id', '=', tenantId).where('token_hash', '=', tokenHash).execute();
}
