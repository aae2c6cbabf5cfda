/** Server-side sessions: all the SQL of the sessions table. Only token hashes are stored. */
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { principalsChanged } from './session-cache.ts';

/** Whose session it is: a staff member or a resident, never both. */
export type SessionOwner = { kind: 'staff'; id: string } | { kind: 'resident'; id: string };

/** Idle time-out in seconds, per kind of person. */
export interface IdleLimits {
  staff: number;
  resident: number;
}

const ownerColumn = (owner: SessionOwner) => (owner.kind === 'staff' ? 'staff_id' : 'resident_id');

export function insert(trx: Tx, tenantId: string, tokenHash: string, owner: SessionOwner, absoluteSeconds: number, userAgent: string | null) {
  return trx
    .insertInto('sessions')
    .values({
      tenant_id: tenantId,
      token_hash: tokenHash,
      staff_id: owner.kind === 'staff' ? owner.id : null,
      resident_id: owner.kind === 'resident' ? owner.id : null,
      user_agent: userAgent,
      expires_at: sql<Date>`now() + make_interval(secs => ${absoluteSeconds})`,
    })
    .execute();
}

/** The live session with this hash: not past its absolute expiry, not idle for longer than its kind allows. */
export function findLive(trx: Tx, tenantId: string, tokenHash: string, idle: IdleLimits, touchAfterSeconds: number) {
  return trx
    .selectFrom('sessions')
    .select([
      'staff_id',
      'resident_id',
      'user_agent',
      'expires_at',
      sql<boolean>`last_seen_at < now() - make_interval(secs => ${touchAfterSeconds})`.as('stale'),
    ])
    .where('tenant_id', '=', tenantId)
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', sql<Date>`now()`)
    .where((eb) =>
      eb.or([
        eb.and([eb('staff_id', 'is not', null), eb('last_seen_at', '>', sql<Date>`now() - make_interval(secs => ${idle.staff})`)]),
        eb.and([eb('resident_id', 'is not', null), eb('last_seen_at', '>', sql<Date>`now() - make_interval(secs => ${idle.resident})`)]),
      ]),
    )
    .executeTakeFirst();
}

/** Marks the session as seen now; records the browser's summary if none was recorded at sign-in. */
export function touch(trx: Tx, tenantId: string, tokenHash: string, userAgent: string) {
  return trx
    .updateTable('sessions')
    .set({ last_seen_at: sql<Date>`now()`, user_agent: sql<string>`coalesce(user_agent, ${userAgent})` })
    .where('tenant_id', '=', tenantId)
    .where('token_hash', '=', tokenHash)
    .execute();
}

export async function remove(trx: Tx, tenantId: string, tokenHash: string) {
  principalsChanged(trx);
  return trx
    .deleteFrom('sessions')
    .where('tenant_id', '=', tenantId)
    .where('token_hash', '=', tokenHash)
    .returning(['staff_id', 'resident_id'])
    .executeTakeFirst();
}

/** Housekeeping at sign-in: a person's expired or idle sessions are of no use to anyone. */
export function removeDead(trx: Tx, tenantId: string, owner: SessionOwner, idleSeconds: number) {
  return trx
    .deleteFrom('sessions')
    .where('tenant_id', '=', tenantId)
    .where(ownerColumn(owner), '=', owner.id)
    .where((eb) =>
      eb.or([
        eb('expires_at', '<=', sql<Date>`now()`),
        eb('last_seen_at', '<=', sql<Date>`now() - make_interval(secs => ${idleSeconds})`),
      ]),
    )
    .execute();
}

/** A person's live sessions, the most recently used first. */
export function listLive(trx: Tx, tenantId: string, owner: SessionOwner, idleSeconds: number) {
  return trx
    .selectFrom('sessions')
    .select(['id', 'token_hash', 'user_agent', 'created_at', 'last_seen_at'])
    .where('tenant_id', '=', tenantId)
    .where(ownerColumn(owner), '=', owner.id)
    .where('expires_at', '>', sql<Date>`now()`)
    .where('last_seen_at', '>', sql<Date>`now() - make_interval(secs => ${idleSeconds})`)
    .orderBy('last_seen_at', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
}

/** Ends one of a person's sessions by its handle, never the one holding `keepHash`; true if one ended. */
export async function removeById(trx: Tx, tenantId: string, owner: SessionOwner, id: string, keepHash: string): Promise<boolean> {
  principalsChanged(trx);
  const result = await trx
    .deleteFrom('sessions')
    .where('tenant_id', '=', tenantId)
    .where(ownerColumn(owner), '=', owner.id)
    .where('id', '=', id)
    .where('token_hash', '<>', keepHash)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Ends all of a person's sessions but the one holding `keepHash`; returns how many ended. */
/** Ends every session of one person in the town (account disabled, password reset). */
export async function removeAll(trx: Tx, tenantId: string, owner: SessionOwner): Promise<number> {
  principalsChanged(trx);
  const result = await trx.deleteFrom('sessions').where('tenant_id', '=', tenantId).where(ownerColumn(owner), '=', owner.id).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function removeOthers(trx: Tx, tenantId: string, owner: SessionOwner, keepHash: string): Promise<number> {
  principalsChanged(trx);
  const result = await trx
    .deleteFrom('sessions')
    .where('tenant_id', '=', tenantId)
    .where(ownerColumn(owner), '=', owner.id)
    .where('token_hash', '<>', keepHash)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Tells every process listening (session-cache.ts) that a session or a person changed, naming the
 * town (the transaction's); delivered at commit, not at all on rollback.
 */
export async function notifyPrincipalsChanged(trx: Tx): Promise<void> {
  await sql`select pg_notify('guichet_principals', coalesce(current_setting('app.tenant_id', true), ''))`.execute(trx);
}
