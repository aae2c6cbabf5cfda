/** Server-side sessions: all the SQL of the sessions table. Only token hashes are stored. */
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';

export function insert(trx: Tx, tenantId: string, tokenHash: string, staffId: string, absoluteSeconds: number) {
  return trx
    .insertInto('sessions')
    .values({
      tenant_id: tenantId,
      token_hash: tokenHash,
      staff_id: staffId,
      expires_at: sql<Date>`now() + make_interval(secs => ${absoluteSeconds})`,
    })
    .execute();
}

/** The live session with this hash: not past its absolute expiry, not idle for longer than allowed. */
export function findLive(trx: Tx, tenantId: string, tokenHash: string, idleSeconds: number, touchAfterSeconds: number) {
  return trx
    .selectFrom('sessions')
    .select(['staff_id', sql<boolean>`last_seen_at < now() - make_interval(secs => ${touchAfterSeconds})`.as('stale')])
    .where('tenant_id', '=', tenantId)
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', sql<Date>`now()`)
    .where('last_seen_at', '>', sql<Date>`now() - make_interval(secs => ${idleSeconds})`)
    .executeTakeFirst();
}

export function touch(trx: Tx, tenantId: string, tokenHash: string) {
  return trx
    .updateTable('sessions')
    .set({ last_seen_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('token_hash', '=', tokenHash)
    .execute();
}

export async function remove(trx: Tx, tenantId: string, tokenHash: string): Promise<string | null> {
  const row = await trx
    .deleteFrom('sessions')
    .where('tenant_id', '=', tenantId)
    .where('token_hash', '=', tokenHash)
    .returning('staff_id')
    .executeTakeFirst();
  return row ? (row.staff_id ?? null) : null;
}

/** Housekeeping at sign-in: a staff member's expired or idle sessions are of no use to anyone. */
export function removeDead(trx: Tx, tenantId: string, staffId: string, idleSeconds: number) {
  return trx
    .deleteFrom('sessions')
    .where('tenant_id', '=', tenantId)
    .where('staff_id', '=', staffId)
    .where((eb) =>
      eb.or([
        eb('expires_at', '<=', sql<Date>`now()`),
        eb('last_seen_at', '<=', sql<Date>`now() - make_interval(secs => ${idleSeconds})`),
      ]),
    )
    .execute();
}
