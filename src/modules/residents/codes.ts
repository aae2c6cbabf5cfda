/**
 * One-time codes: six digits sent by email, valid 10 minutes, used once. Stored as an HMAC with a
 * key derived from the server's secret, so the table alone gives no code away. Five wrong tries
 * wear a code out; then the address waits 15 minutes before it can get a new one. An address gets
 * at most 5 codes in 15 minutes. None of this depends on whether the address has an account.
 * Codes are removed a day after they were made (every hour, a periodic job): every rule above looks
 * back 15 minutes at most.
 */
import crypto from 'node:crypto';
import type { Database, Tx } from '../../db/database.ts';
import { registerPeriodicTask } from '../../platform/periodic.ts';
import { listTenants } from '../tenants/service.ts';
import * as repo from './repo.ts';

export const CODE_TTL_SECONDS = 10 * 60;
export const MAX_WRONG_TRIES = 5;
export const ADDRESS_WINDOW_SECONDS = 15 * 60;
export const ADDRESS_MAX_CODES = 5;
export const LOCK_SECONDS = 15 * 60;

/** The HMAC key for codes, derived from the session secret (one secret to manage, separate uses). */
export function codeKey(sessionSecret: string): Buffer {
  return crypto.createHmac('sha256', sessionSecret).update('guichet resident one-time codes').digest();
}

export function newCode(): string {
  return String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
}

/** The six digits a person typed, spaces and dashes allowed ("123 456"); null if it is not that. */
export function normalizeCode(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

function hashCode(key: Buffer, id: string, code: string): string {
  return crypto.createHmac('sha256', key).update(`${id}\u0000${code}`).digest('hex');
}

export function hashLinkToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** A sign-in link's token as it appears in the link: 32 random bytes in base64url. */
export const LINK_TOKEN = /^[A-Za-z0-9_-]{43}$/;

const minutes = (seconds: number) => Math.max(1, Math.ceil(seconds / 60));

export type Throttle = { ok: true } | { ok: false; waitMinutes: number };

/** May this address get a new code now? */
export async function checkThrottle(trx: Tx, tenantId: string, email: string): Promise<Throttle> {
  const activity = await repo.addressActivity(trx, tenantId, email, ADDRESS_WINDOW_SECONDS, MAX_WRONG_TRIES, LOCK_SECONDS);
  if (activity.lockLeft > 0) return { ok: false, waitMinutes: minutes(activity.lockLeft) };
  if (activity.recent >= ADDRESS_MAX_CODES) return { ok: false, waitMinutes: minutes(activity.windowLeft) };
  return { ok: true };
}

export interface IssuedCode {
  id: string;
  code: string;
  /** The token of the sign-in link, when one was asked for. */
  linkToken: string | null;
}

/** Makes a new code (voiding the earlier live ones for the same purpose and address) in `trx`. */
export async function issueCode(
  trx: Tx,
  tenantId: string,
  key: Buffer,
  input: { purpose: repo.CodePurpose; email: string; residentId: string | null; locale: 'fr' | 'en'; withLink: boolean },
): Promise<IssuedCode> {
  await repo.purgeOldCodes(trx, tenantId);
  await repo.voidLiveCodes(trx, tenantId, input.purpose, input.email, input.residentId);
  const id = crypto.randomUUID();
  const code = newCode();
  const linkToken = input.withLink ? crypto.randomBytes(32).toString('base64url') : null;
  await repo.insertCode(trx, tenantId, {
    id,
    purpose: input.purpose,
    email: input.email,
    residentId: input.residentId,
    locale: input.locale,
    codeHash: hashCode(key, id, code),
    linkHash: linkToken ? hashLinkToken(linkToken) : null,
    ttlSeconds: CODE_TTL_SECONDS,
  });
  return { id, code, linkToken };
}

export type CodeRow = NonNullable<Awaited<ReturnType<typeof repo.findCode>>>;

export type Attempt =
  | { ok: true }
  | { ok: false; reason: 'expired' }
  | { ok: false; reason: 'wrong'; triesLeft: number }
  | { ok: false; reason: 'locked'; waitMinutes: number };

/** Why a code can no longer be used, if it cannot. */
function spent(row: CodeRow): Attempt | null {
  if (row.attempts >= MAX_WRONG_TRIES) {
    const since = row.last_attempt_at ? (Date.now() - row.last_attempt_at.getTime()) / 1000 : 0;
    return { ok: false, reason: 'locked', waitMinutes: minutes(LOCK_SECONDS - since) };
  }
  if (row.used_at || row.voided_at || row.expired) return { ok: false, reason: 'expired' };
  return null;
}

/** Checks a typed code against the stored one, counting a wrong try; uses the code when right. */
export async function tryCode(trx: Tx, tenantId: string, key: Buffer, row: CodeRow, typed: string): Promise<Attempt> {
  const refused = spent(row);
  if (refused) return refused;
  const expected = Buffer.from(row.code_hash, 'hex');
  const actual = Buffer.from(hashCode(key, row.id, typed), 'hex');
  if (!crypto.timingSafeEqual(expected, actual)) {
    const attempts = await repo.countWrongTry(trx, tenantId, row.id, MAX_WRONG_TRIES);
    if (attempts >= MAX_WRONG_TRIES) return { ok: false, reason: 'locked', waitMinutes: minutes(LOCK_SECONDS) };
    return { ok: false, reason: 'wrong', triesLeft: MAX_WRONG_TRIES - attempts };
  }
  // Two right answers at the same moment: only one uses the code.
  return (await repo.markCodeUsed(trx, tenantId, row.id)) ? { ok: true } : { ok: false, reason: 'expired' };
}

/** Uses the code through its sign-in link (the link's token was already matched). */
export async function useByLink(trx: Tx, tenantId: string, row: CodeRow): Promise<Attempt> {
  const refused = spent(row);
  if (refused) return refused;
  return (await repo.markCodeUsed(trx, tenantId, row.id)) ? { ok: true } : { ok: false, reason: 'expired' };
}

/** How long a one-time code is kept after it was made: far longer than any rule looks back. */
export const CODE_KEPT_SECONDS = 24 * 60 * 60;
const PURGE_BATCH = 500;

/** Removes the codes older than CODE_KEPT_SECONDS in every town (or the towns given); returns how many. */
export async function purgeOldCodes(db: Database, tenantIds?: readonly string[]): Promise<number> {
  let removed = 0;
  for (const town of (await listTenants(db)).filter((t) => !tenantIds || tenantIds.includes(t.id))) {
    for (;;) {
      const n = await db.withTenant(town.id, (trx) => repo.removeCodesBefore(trx, town.id, CODE_KEPT_SECONDS, PURGE_BATCH));
      removed += n;
      if (n < PURGE_BATCH) break;
    }
  }
  return removed;
}

registerPeriodicTask({ queue: 'resident-codes-purge', everySeconds: 60 * 60, run: ({ db }) => purgeOldCodes(db) });
