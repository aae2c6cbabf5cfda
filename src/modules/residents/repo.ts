/** Residents: all the SQL of the residents, resident_codes and household_members tables. */
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { principalsChanged } from '../../platform/auth/session-cache.ts';

// ---- residents ----------------------------------------------------------------------------------

const residentColumns = [
  'id',
  'email',
  'name',
  'phone',
  'locale',
  'address',
  'notify_updates',
  'notify_reminders',
  'notify_news',
  'birth_date',
  'created_at',
] as const;

export function findResidentById(trx: Tx, tenantId: string, id: string) {
  return trx.selectFrom('residents').select(residentColumns).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

/** The names of these residents (null where they have not given one), with their email addresses. */
export function findNamesByIds(trx: Tx, tenantId: string, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return trx.selectFrom('residents').select(['id', 'name', 'email']).where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();
}

export function findResidentByEmail(trx: Tx, tenantId: string, email: string) {
  return trx
    .selectFrom('residents')
    .select(residentColumns)
    .where('tenant_id', '=', tenantId)
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

/** Creates the account of an address unless one exists (two sign-ins at once); returns it either way. */
export async function insertResidentOnce(trx: Tx, tenantId: string, email: string, locale: 'fr' | 'en') {
  const created = await trx
    .insertInto('residents')
    .values({ tenant_id: tenantId, email, locale })
    .onConflict((oc) => oc.doNothing())
    .returning(residentColumns)
    .executeTakeFirst();
  if (created) return { row: created, created: true };
  const existing = await findResidentByEmail(trx, tenantId, email);
  if (!existing) throw new Error('resident vanished between insert and select');
  return { row: existing, created: false };
}

export interface ProfileRow {
  name: string | null;
  phone: string | null;
  locale: 'fr' | 'en';
  address: string | null;
  notify_updates: boolean;
  notify_reminders: boolean;
  notify_news: boolean;
  birth_date: string | null;
}

export function updateProfile(trx: Tx, tenantId: string, id: string, profile: ProfileRow) {
  principalsChanged(trx);
  return trx
    .updateTable('residents')
    .set({ ...profile, updated_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returning(residentColumns)
    .executeTakeFirst();
}

export function updateEmail(trx: Tx, tenantId: string, id: string, email: string) {
  principalsChanged(trx);
  return trx
    .updateTable('residents')
    .set({ email, updated_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

// ---- one-time codes -----------------------------------------------------------------------------

export type CodePurpose = 'signIn' | 'changeEmail';

const codeColumns = [
  'id',
  'purpose',
  'email',
  'resident_id',
  'locale',
  'code_hash',
  'attempts',
  'last_attempt_at',
  'used_at',
  'voided_at',
  sql<boolean>`expires_at <= now()`.as('expired'),
] as const;

/** What happened lately for an address: codes asked in the window, and a lock left by wrong tries. */
export async function addressActivity(trx: Tx, tenantId: string, email: string, windowSeconds: number, maxAttempts: number, lockSeconds: number) {
  const row = await trx
    .selectFrom('resident_codes')
    .select([
      sql<number>`count(*) filter (where created_at > now() - make_interval(secs => ${windowSeconds}))::int`.as('recent'),
      // Seconds until the oldest code of the window leaves it.
      sql<number | null>`ceil(extract(epoch from (min(created_at) filter (where created_at > now() - make_interval(secs => ${windowSeconds})) + make_interval(secs => ${windowSeconds}) - now())))::int`.as(
        'window_left',
      ),
      // Seconds left of the wait after the last code worn out by wrong tries.
      sql<number | null>`ceil(extract(epoch from (max(last_attempt_at) filter (where attempts >= ${maxAttempts}) + make_interval(secs => ${lockSeconds}) - now())))::int`.as(
        'lock_left',
      ),
    ])
    .where('tenant_id', '=', tenantId)
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .where('created_at', '>', sql<Date>`now() - make_interval(secs => ${Math.max(windowSeconds, lockSeconds) + 3600})`)
    .executeTakeFirstOrThrow();
  return { recent: row.recent, windowLeft: row.window_left ?? 0, lockLeft: Math.max(row.lock_left ?? 0, 0) };
}

/** A new code voids the earlier live codes for the same purpose and address (or resident). */
export function voidLiveCodes(trx: Tx, tenantId: string, purpose: CodePurpose, email: string, residentId: string | null) {
  let query = trx
    .updateTable('resident_codes')
    .set({ voided_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('voided_at', 'is', null);
  query = residentId ? query.where('resident_id', '=', residentId) : query.where(sql<string>`lower(email)`, '=', email.toLowerCase());
  return query.execute();
}

export interface NewCodeRow {
  id: string;
  purpose: CodePurpose;
  email: string;
  residentId: string | null;
  locale: 'fr' | 'en';
  codeHash: string;
  linkHash: string | null;
  ttlSeconds: number;
}

export function insertCode(trx: Tx, tenantId: string, row: NewCodeRow) {
  return trx
    .insertInto('resident_codes')
    .values({
      tenant_id: tenantId,
      id: row.id,
      purpose: row.purpose,
      email: row.email,
      resident_id: row.residentId,
      locale: row.locale,
      code_hash: row.codeHash,
      link_hash: row.linkHash,
      expires_at: sql<Date>`now() + make_interval(secs => ${row.ttlSeconds})`,
    })
    .execute();
}

/**
 * Codes older than a day have no use left (the throttle looks back at most a few hours), and they
 * hold an email address: the town's old codes go whenever a new one is made.
 */
export function purgeOldCodes(trx: Tx, tenantId: string) {
  return trx.deleteFrom('resident_codes').where('tenant_id', '=', tenantId).where('created_at', '<', sql<Date>`now() - interval '1 day'`).execute();
}

/**
 * The code rows below are read FOR UPDATE: parallel guesses at one code wait for each other, so
 * no more than the allowed number of wrong tries is ever checked.
 */
export function findCode(trx: Tx, tenantId: string, id: string) {
  return trx.selectFrom('resident_codes').select(codeColumns).where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findCodeByLink(trx: Tx, tenantId: string, linkHash: string) {
  return trx
    .selectFrom('resident_codes')
    .select(codeColumns)
    .where('tenant_id', '=', tenantId)
    .where('link_hash', '=', linkHash)
    .forUpdate()
    .executeTakeFirst();
}

/** The resident's latest email-change code, if any. */
export function findLatestEmailChangeCode(trx: Tx, tenantId: string, residentId: string) {
  return trx
    .selectFrom('resident_codes')
    .select(codeColumns)
    .where('tenant_id', '=', tenantId)
    .where('purpose', '=', 'changeEmail')
    .where('resident_id', '=', residentId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

/** Counts a wrong try (at most maxAttempts; the last one voids the code); returns the new count. */
export async function countWrongTry(trx: Tx, tenantId: string, id: string, maxAttempts: number): Promise<number> {
  const row = await trx
    .updateTable('resident_codes')
    .set({
      attempts: sql<number>`least(attempts + 1, ${maxAttempts})`,
      last_attempt_at: sql<Date>`now()`,
      voided_at: sql<Date>`case when attempts + 1 >= ${maxAttempts} then coalesce(voided_at, now()) else voided_at end`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returning('attempts')
    .executeTakeFirst();
  return row?.attempts ?? maxAttempts;
}

/** Uses the code once: true only for the one caller that found it live and unused. */
export async function markCodeUsed(trx: Tx, tenantId: string, id: string): Promise<boolean> {
  const result = await trx
    .updateTable('resident_codes')
    .set({ used_at: sql<Date>`now()`, last_attempt_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('voided_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

// ---- household ----------------------------------------------------------------------------------

const memberColumns = ['id', 'name', 'birth_date', 'relationship', 'created_at'] as const;

export interface MemberRow {
  name: string;
  birthDate: string;
  relationship: 'child' | 'spouse' | 'other';
}

/** The resident's household, oldest member first. */
export function listMembers(trx: Tx, tenantId: string, residentId: string) {
  return trx
    .selectFrom('household_members')
    .select(memberColumns)
    .where('tenant_id', '=', tenantId)
    .where('resident_id', '=', residentId)
    .orderBy('birth_date')
    .orderBy('created_at')
    .execute();
}

/** One member of this resident's household; another resident's member is not found. */
export function findMember(trx: Tx, tenantId: string, residentId: string, id: string) {
  return trx
    .selectFrom('household_members')
    .select(memberColumns)
    .where('tenant_id', '=', tenantId)
    .where('resident_id', '=', residentId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function insertMember(trx: Tx, tenantId: string, residentId: string, member: MemberRow) {
  return trx
    .insertInto('household_members')
    .values({ tenant_id: tenantId, resident_id: residentId, name: member.name, birth_date: member.birthDate, relationship: member.relationship })
    .returning(memberColumns)
    .executeTakeFirstOrThrow();
}

export function updateMember(trx: Tx, tenantId: string, residentId: string, id: string, member: MemberRow) {
  return trx
    .updateTable('household_members')
    .set({ name: member.name, birth_date: member.birthDate, relationship: member.relationship, updated_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('resident_id', '=', residentId)
    .where('id', '=', id)
    .returning(memberColumns)
    .executeTakeFirst();
}

export async function deleteMember(trx: Tx, tenantId: string, residentId: string, id: string): Promise<boolean> {
  const result = await trx
    .deleteFrom('household_members')
    .where('tenant_id', '=', tenantId)
    .where('resident_id', '=', residentId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Serializes changes to one resident's household (the member limits hold under concurrent posts). */
export async function lockResident(trx: Tx, tenantId: string, residentId: string): Promise<void> {
  await trx.selectFrom('residents').select('id').where('tenant_id', '=', tenantId).where('id', '=', residentId).forUpdate().execute();
}

/** Removes up to `limit` of the town's one-time codes made more than `seconds` ago; returns how many. */
export async function removeCodesBefore(trx: Tx, tenantId: string, seconds: number, limit: number): Promise<number> {
  const result = await trx
    .deleteFrom('resident_codes')
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('resident_codes as c')
        .select('c.id')
        .where('c.tenant_id', '=', tenantId)
        .where('c.created_at', '<', sql<Date>`now() - make_interval(secs => ${seconds})`)
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
