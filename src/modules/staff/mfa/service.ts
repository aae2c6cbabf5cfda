/**
 * Two-step verification for staff (TOTP). After the right password, a person who uses it gets a
 * short-lived pending state (a cookie token whose hash is stored), not a session; the session, with
 * a new token, is created only once the code is right. An administrator who has not set it up is
 * sent to set it up first, with the same kind of pending state. A code is accepted once (its time
 * step must be later than the last one accepted); wrong codes count toward a lock with a wait;
 * ten single-use recovery codes (stored hashed) stand in for a lost phone. Everything is audited.
 */
import crypto from 'node:crypto';
import type { Database, Tx } from '../../../db/database.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { createSession, hashToken } from '../../../platform/auth/session.ts';
import type { SecretBox } from '../secret-box.ts';
import { checkPassword } from '../passwords.ts';
import * as staffRepo from '../repo.ts';
import * as repo from './repo.ts';
import { hashRecoveryCode, matchCode, newRecoveryCodes, newSecret, normalizeCode, normalizeRecoveryCode } from './totp.ts';

/** The code step must be finished within 10 minutes of the password step. */
export const PENDING_VERIFY_SECONDS = 10 * 60;
/** An administrator has 20 minutes to set up the app (install it, scan, type a code). */
export const PENDING_ENROL_SECONDS = 20 * 60;
/** Five wrong codes in a row lock the code step for 15 minutes. */
export const MAX_CODE_FAILURES = 5;
export const LOCK_SECONDS = 15 * 60;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const secretContext = (tenantId: string, staffId: string) => `totp:${tenantId}:${staffId}`;

export type PendingPurpose = 'verify' | 'enrol';

/** Inside the sign-in transaction: starts the pending state; returns the token for its cookie. */
export async function startPendingSignIn(trx: Tx, tenantId: string, staffId: string, purpose: PendingPurpose, next: string | null): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await repo.insertPending(trx, tenantId, {
    tokenHash: hashToken(token),
    staffId,
    purpose,
    nextPath: next,
    ttlSeconds: purpose === 'verify' ? PENDING_VERIFY_SECONDS : PENDING_ENROL_SECONDS,
  });
  return token;
}

/** Inside a transaction: whether this account has confirmed two-step verification. */
/**
 * For the administration's "reset two-step verification" (the person lost their phone), inside its
 * transaction, which has checked permission: removes the authenticator and the recovery codes.
 * Returns false when none was set up.
 */
export function resetMfaIn(trx: Tx, tenantId: string, staffId: string): Promise<boolean> {
  return repo.removeMfa(trx, tenantId, staffId);
}

export async function mfaEnabledIn(trx: Tx, tenantId: string, staffId: string): Promise<boolean> {
  const row = await repo.findMfa(trx, tenantId, staffId);
  return Boolean(row?.confirmed_at);
}

export interface PendingSignIn {
  staffId: string;
  email: string;
  purpose: PendingPurpose;
  next: string | null;
  /** The code step is locked after too many wrong codes. */
  locked: boolean;
}

/** The half-finished sign-in this cookie token stands for, if it is still live and the account usable. */
export async function findPendingSignIn(db: Database, tenantId: string, token: string | undefined): Promise<PendingSignIn | null> {
  if (!token || !TOKEN.test(token)) return null;
  return db.withTenant(tenantId, async (trx) => {
    const pending = await repo.findPending(trx, tenantId, hashToken(token));
    if (!pending) return null;
    const staff = await staffRepo.findById(trx, tenantId, pending.staff_id);
    if (!staff || staff.disabled_at !== null) return null;
    const mfa = await repo.findMfa(trx, tenantId, pending.staff_id);
    return { staffId: staff.id, email: staff.email, purpose: pending.purpose, next: pending.next_path, locked: mfa?.locked ?? false };
  });
}

export type CodeResult =
  | { ok: true; sessionToken: string; next: string | null; recoveryCodesLeft?: number }
  | { ok: false; reason: 'expired' | 'locked' }
  | { ok: false; reason: 'wrong' | 'replayed'; triesLeft: number };

interface CodeInput {
  /** The pending state's cookie token. */
  token: string | undefined;
  code: string;
  ip: string | null;
  userAgent?: string;
}

async function failCode(trx: Tx, tenantId: string, staffId: string, reason: string, ip: string | null): Promise<CodeResult> {
  const { failures, locked } = await repo.countFailure(trx, tenantId, staffId, MAX_CODE_FAILURES, LOCK_SECONDS);
  await recordAudit(trx, {
    tenantId,
    actor: { kind: 'anonymous' },
    action: 'staff.mfaFailed',
    subject: { kind: 'staff', id: staffId },
    ip,
    details: { reason, locked },
  });
  if (locked) return { ok: false, reason: 'locked' };
  return { ok: false, reason: reason === 'replayedCode' ? 'replayed' : 'wrong', triesLeft: MAX_CODE_FAILURES - failures };
}

/** Opens the pending state and the account's MFA row for the code step, or says why it cannot go on. */
async function codeStep(trx: Tx, tenantId: string, token: string | undefined, ip: string | null) {
  if (!token || !TOKEN.test(token)) return { stop: { ok: false, reason: 'expired' } as CodeResult };
  const pending = await repo.findPending(trx, tenantId, hashToken(token));
  if (!pending || pending.purpose !== 'verify') return { stop: { ok: false, reason: 'expired' } as CodeResult };
  const staff = await staffRepo.findById(trx, tenantId, pending.staff_id);
  const mfa = await repo.findMfa(trx, tenantId, pending.staff_id);
  if (!staff || staff.disabled_at !== null || !mfa?.confirmed_at) {
    await repo.removePending(trx, tenantId, hashToken(token));
    return { stop: { ok: false, reason: 'expired' } as CodeResult };
  }
  if (mfa.locked) {
    await recordAudit(trx, { tenantId, actor: { kind: 'anonymous' }, action: 'staff.mfaFailed', subject: { kind: 'staff', id: staff.id }, ip, details: { reason: 'locked', locked: true } });
    return { stop: { ok: false, reason: 'locked' } as CodeResult };
  }
  return { pending, staff, mfa };
}

async function finishSignIn(trx: Tx, tenantId: string, token: string, staffId: string, method: string, input: { ip: string | null; userAgent?: string | undefined }): Promise<string> {
  await repo.removePending(trx, tenantId, hashToken(token));
  const sessionToken = await createSession(trx, tenantId, staffId, input.userAgent === undefined ? {} : { userAgent: input.userAgent });
  await recordAudit(trx, { tenantId, actor: { kind: 'staff', id: staffId }, action: 'staff.signIn', ip: input.ip, details: { method } });
  return sessionToken;
}

/** The code step of sign-in: the six digits from the app. */
export async function verifySignInCode(db: Database, box: SecretBox, tenantId: string, input: CodeInput): Promise<CodeResult> {
  return db.withTenant(tenantId, async (trx) => {
    const step = await codeStep(trx, tenantId, input.token, input.ip);
    if ('stop' in step) return step.stop!;
    const { staff, mfa, pending } = step;
    const code = normalizeCode(input.code);
    const secret = box.open(mfa.secret_sealed, secretContext(tenantId, staff.id));
    if (secret === null) return failCode(trx, tenantId, staff.id, 'secretUnreadable', input.ip);
    const matched = code === null ? null : matchCode(secret, code);
    if (matched === null) return failCode(trx, tenantId, staff.id, 'wrongCode', input.ip);
    if (!(await repo.acceptStep(trx, tenantId, staff.id, matched))) return failCode(trx, tenantId, staff.id, 'replayedCode', input.ip);
    const sessionToken = await finishSignIn(trx, tenantId, input.token!, staff.id, 'password+totp', input);
    return { ok: true, sessionToken, next: pending.next_path };
  });
}

/** The code step with a recovery code instead: each works once. */
export async function verifyRecoveryCode(db: Database, tenantId: string, input: CodeInput): Promise<CodeResult> {
  return db.withTenant(tenantId, async (trx) => {
    const step = await codeStep(trx, tenantId, input.token, input.ip);
    if ('stop' in step) return step.stop!;
    const { staff, pending } = step;
    const code = normalizeRecoveryCode(input.code);
    if (code === null || !(await repo.useRecoveryCode(trx, tenantId, staff.id, hashRecoveryCode(code)))) {
      return failCode(trx, tenantId, staff.id, 'wrongRecoveryCode', input.ip);
    }
    await repo.resetFailures(trx, tenantId, staff.id);
    const left = await repo.countUnusedRecoveryCodes(trx, tenantId, staff.id);
    await recordAudit(trx, { tenantId, actor: { kind: 'staff', id: staff.id }, action: 'staff.mfaRecoveryUsed', subject: { kind: 'staff', id: staff.id }, ip: input.ip, details: { left } });
    const sessionToken = await finishSignIn(trx, tenantId, input.token!, staff.id, 'password+recoveryCode', input);
    return { ok: true, sessionToken, next: pending.next_path, recoveryCodesLeft: left };
  });
}

// Enrolment ------------------------------------------------------------------------------------

export type Enrolment = { enrolled: true } | { enrolled: false; secret: string };

/**
 * The secret being set up for this person: the same one until it is confirmed (reloading the page
 * does not change the QR code), a new one when none is pending or the stored one cannot be opened.
 */
export async function enrolmentSecret(db: Database, box: SecretBox, tenantId: string, staffId: string): Promise<Enrolment> {
  return db.withTenant(tenantId, async (trx) => {
    const mfa = await repo.findMfa(trx, tenantId, staffId);
    if (mfa?.confirmed_at) return { enrolled: true } as const;
    const existing = mfa ? box.open(mfa.secret_sealed, secretContext(tenantId, staffId)) : null;
    if (existing) return { enrolled: false, secret: existing } as const;
    const secret = newSecret();
    await repo.startEnrolment(trx, tenantId, staffId, box.seal(secret, secretContext(tenantId, staffId)));
    return { enrolled: false, secret } as const;
  });
}

export type EnrolResult =
  | { ok: true; recoveryCodes: string[]; sessionToken?: string; next?: string | null }
  | { ok: false; reason: 'wrong' | 'expired' | 'already' };

/**
 * Confirms the enrolment with a first code; returns the ten recovery codes (shown once). With the
 * pending state of an administrator's sign-in, the session starts now, with a new token.
 */
export async function confirmEnrolment(
  db: Database,
  box: SecretBox,
  tenantId: string,
  staffId: string,
  input: { code: string; ip: string | null; pendingToken?: string | undefined; userAgent?: string },
): Promise<EnrolResult> {
  return db.withTenant(tenantId, async (trx) => {
    const mfa = await repo.findMfa(trx, tenantId, staffId);
    if (!mfa) return { ok: false, reason: 'expired' } as const;
    if (mfa.confirmed_at) return { ok: false, reason: 'already' } as const;
    const secret = box.open(mfa.secret_sealed, secretContext(tenantId, staffId));
    const code = normalizeCode(input.code);
    const step = secret === null || code === null ? null : matchCode(secret, code);
    if (step === null) return { ok: false, reason: 'wrong' } as const;
    await repo.confirm(trx, tenantId, staffId, step);
    const recoveryCodes = newRecoveryCodes();
    await repo.replaceRecoveryCodes(trx, tenantId, staffId, recoveryCodes.map((c) => hashRecoveryCode(normalizeRecoveryCode(c)!)));
    await recordAudit(trx, { tenantId, actor: { kind: 'staff', id: staffId }, action: 'staff.mfaEnrolled', subject: { kind: 'staff', id: staffId }, ip: input.ip });
    if (input.pendingToken && TOKEN.test(input.pendingToken)) {
      const pending = await repo.findPending(trx, tenantId, hashToken(input.pendingToken));
      if (pending && pending.purpose === 'enrol' && pending.staff_id === staffId) {
        const sessionToken = await finishSignIn(trx, tenantId, input.pendingToken, staffId, 'password+totpEnrolment', input);
        return { ok: true, recoveryCodes, sessionToken, next: pending.next_path } as const;
      }
    }
    return { ok: true, recoveryCodes } as const;
  });
}

// Managing it once set up ------------------------------------------------------------------------

export interface MfaStatus {
  enabled: boolean;
  since: Date | null;
  recoveryCodesLeft: number;
  /** Accounts without a password (single sign-on only) cannot confirm changes with one. */
  hasPassword: boolean;
}

export async function mfaStatus(db: Database, tenantId: string, staffId: string): Promise<MfaStatus> {
  return db.withTenant(tenantId, async (trx) => {
    const mfa = await repo.findMfa(trx, tenantId, staffId);
    const staff = await staffRepo.findById(trx, tenantId, staffId);
    const enabled = Boolean(mfa?.confirmed_at);
    return {
      enabled,
      since: mfa?.confirmed_at ?? null,
      recoveryCodesLeft: enabled ? await repo.countUnusedRecoveryCodes(trx, tenantId, staffId) : 0,
      hasPassword: Boolean(staff?.password_hash),
    };
  });
}

/** Asks for the password again before a change to two-step verification; failures are audited. */
async function reauthenticate(db: Database, tenantId: string, staffId: string, password: string, ip: string | null, purpose: string): Promise<boolean> {
  const staff = await db.withTenant(tenantId, (trx) => staffRepo.findById(trx, tenantId, staffId));
  const ok = await checkPassword(staff?.password_hash, password);
  if (!ok) {
    await db.withTenant(tenantId, (trx) =>
      recordAudit(trx, { tenantId, actor: { kind: 'staff', id: staffId }, action: 'staff.mfaFailed', subject: { kind: 'staff', id: staffId }, ip, details: { reason: 'wrongPassword', purpose } }),
    );
  }
  return ok;
}

export type ManageResult = { ok: true } | { ok: false; reason: 'wrongPassword' | 'notEnabled' };

/** Turns two-step verification off (password required). An administrator then has to set it up again. */
export async function disableMfa(db: Database, tenantId: string, staffId: string, password: string, ip: string | null): Promise<ManageResult> {
  if (!(await reauthenticate(db, tenantId, staffId, password, ip, 'disable'))) return { ok: false, reason: 'wrongPassword' };
  return db.withTenant(tenantId, async (trx) => {
    if (!(await repo.removeMfa(trx, tenantId, staffId))) return { ok: false, reason: 'notEnabled' } as const;
    await recordAudit(trx, { tenantId, actor: { kind: 'staff', id: staffId }, action: 'staff.mfaDisabled', subject: { kind: 'staff', id: staffId }, ip });
    return { ok: true } as const;
  });
}

/** Ten new recovery codes (password required); the old ones stop working. */
export async function renewRecoveryCodes(
  db: Database,
  tenantId: string,
  staffId: string,
  password: string,
  ip: string | null,
): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false; reason: 'wrongPassword' | 'notEnabled' }> {
  if (!(await reauthenticate(db, tenantId, staffId, password, ip, 'renewRecoveryCodes'))) return { ok: false, reason: 'wrongPassword' };
  return db.withTenant(tenantId, async (trx) => {
    if (!(await mfaEnabledIn(trx, tenantId, staffId))) return { ok: false, reason: 'notEnabled' } as const;
    const recoveryCodes = newRecoveryCodes();
    await repo.replaceRecoveryCodes(trx, tenantId, staffId, recoveryCodes.map((c) => hashRecoveryCode(normalizeRecoveryCode(c)!)));
    await recordAudit(trx, { tenantId, actor: { kind: 'staff', id: staffId }, action: 'staff.mfaRecoveryCodesRenewed', subject: { kind: 'staff', id: staffId }, ip });
    return { ok: true, recoveryCodes } as const;
  });
}
