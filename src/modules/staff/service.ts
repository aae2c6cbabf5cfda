/**
 * Staff accounts and sign-in. Passwords are hashed with argon2id; a failed sign-in never tells
 * whether the email exists (a missing account is checked against a dummy hash so both take the
 * same time). Every sign-in, failure and sign-out is audited.
 */
import crypto from 'node:crypto';
import { hash, verify, type Options } from '@node-rs/argon2';
import type { Database, Tx } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { createSession, endSession } from '../../platform/auth/session.ts';
import type { StaffPrincipal } from '../../platform/http.ts';
import type { Locale } from '../../platform/i18n.ts';
import * as repo from './repo.ts';

export type StaffRole = StaffPrincipal['role'];
export const STAFF_ROLES: readonly StaffRole[] = ['agent', 'manager', 'admin'];
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 1024;

export interface Staff extends StaffPrincipal {
  disabled: boolean;
}

type Row = NonNullable<Awaited<ReturnType<typeof repo.findById>>>;

function toStaff(row: Row): Staff {
  return { id: row.id, email: row.email, name: row.name, role: row.role, locale: row.locale, disabled: row.disabled_at !== null };
}

function toPrincipal(row: Row): StaffPrincipal {
  return { id: row.id, email: row.email, name: row.name, role: row.role, locale: row.locale };
}

// OWASP's baseline for argon2id: 19 MiB, 2 passes, 1 lane. Algorithm 2 is Argon2id.
const ARGON2: Options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

let dummyHash: Promise<string> | undefined;
/** A hash of a random password, checked when the account does not exist so the answer takes as long. */
function dummy(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomBytes(24).toString('base64url'));
  return dummyHash;
}

/** Computes the dummy hash ahead of the first sign-in, so that one takes no longer than the others. */
export async function prepareSignIn(): Promise<void> {
  await dummy();
}

export class StaffInputError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
  }
}

const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/;

export interface NewStaff {
  email: string;
  name: string;
  role: StaffRole;
  locale?: Locale;
  password: string;
}

export interface Actor {
  kind: 'staff' | 'system';
  id?: string | null;
}

/** Creates a staff account. Operator act (command line, demo seed), or an admin's. */
export async function createStaff(db: Database, tenantId: string, input: NewStaff, actor: Actor = { kind: 'system' }): Promise<Staff> {
  const email = input.email.trim();
  const name = input.name.trim();
  if (email.length > 254 || !EMAIL.test(email)) throw new StaffInputError('email', `"${email}" is not an email address`);
  if (name.length < 1 || name.length > 200) throw new StaffInputError('name', 'is required (at most 200 characters)');
  if (!STAFF_ROLES.includes(input.role)) throw new StaffInputError('role', `must be one of ${STAFF_ROLES.join(', ')}`);
  const locale = input.locale ?? 'fr';
  if (locale !== 'fr' && locale !== 'en') throw new StaffInputError('locale', 'must be fr or en');
  if ([...input.password].length < PASSWORD_MIN) throw new StaffInputError('password', `must be at least ${PASSWORD_MIN} characters long`);
  if ([...input.password].length > PASSWORD_MAX) throw new StaffInputError('password', `must be at most ${PASSWORD_MAX} characters long`);
  const passwordHash = await hashPassword(input.password);
  return db.withTenant(tenantId, async (trx) => {
    if (await repo.findByEmail(trx, tenantId, email)) throw new StaffInputError('email', `a staff account with this email already exists in this town`);
    const row = await repo.insert(trx, tenantId, { email, name, role: input.role, locale, passwordHash });
    await recordAudit(trx, {
      tenantId,
      actor: { kind: actor.kind, id: actor.id ?? null },
      action: 'staff.created',
      subject: { kind: 'staff', id: row.id },
      details: { role: row.role },
    });
    return toStaff(row);
  });
}

export async function findStaffByEmail(db: Database, tenantId: string, email: string): Promise<Staff | undefined> {
  const row = await db.withTenant(tenantId, (trx) => repo.findByEmail(trx, tenantId, email));
  return row && toStaff(row);
}

/** Operator act: a disabled account cannot sign in and its sessions stop working at once. */
export async function setStaffDisabled(db: Database, tenantId: string, staffId: string, disabled: boolean): Promise<boolean> {
  return db.withTenant(tenantId, (trx) => repo.setDisabled(trx, tenantId, staffId, disabled));
}

/** For the session hook: the person behind a live session, if the account still exists and is enabled. */
export async function principalForSession(trx: Tx, tenantId: string, staffId: string): Promise<StaffPrincipal | null> {
  const row = await repo.findById(trx, tenantId, staffId);
  if (!row || row.disabled_at !== null) return null;
  return toPrincipal(row);
}

export type SignInResult =
  | { ok: true; staff: StaffPrincipal; token: string }
  | { ok: false; reason: 'invalid' | 'disabled' };

export interface SignInInput {
  email: string;
  password: string;
  ip: string | null;
  /** The token of the session the browser already holds, ended so sign-in always starts a new one. */
  previousToken?: string | undefined;
}

export async function signIn(db: Database, tenantId: string, input: SignInInput): Promise<SignInResult> {
  const row = await db.withTenant(tenantId, (trx) => repo.findByEmail(trx, tenantId, input.email.trim()));
  // Verify outside any transaction: hashing takes tens of milliseconds and must not hold a connection.
  let passwordOk = false;
  try {
    passwordOk = await verify(row?.password_hash ?? (await dummy()), input.password);
  } catch {
    passwordOk = false;
  }
  if (!row || !row.password_hash) passwordOk = false;
  return db.withTenant(tenantId, async (trx) => {
    if (!row || !passwordOk || row.disabled_at !== null) {
      const reason = !row ? 'unknownEmail' : !passwordOk ? 'wrongPassword' : 'disabled';
      await recordAudit(trx, {
        tenantId,
        actor: { kind: 'anonymous' },
        action: 'staff.signInFailed',
        ...(row ? { subject: { kind: 'staff', id: row.id } } : {}),
        ip: input.ip,
        details: { reason },
      });
      // Only someone who knows the password learns that the account is disabled.
      return { ok: false, reason: reason === 'disabled' ? 'disabled' : 'invalid' } as const;
    }
    if (input.previousToken) await endSession(trx, tenantId, input.previousToken);
    const token = await createSession(trx, tenantId, row.id);
    await recordAudit(trx, { tenantId, actor: { kind: 'staff', id: row.id }, action: 'staff.signIn', ip: input.ip });
    return { ok: true, staff: toPrincipal(row), token } as const;
  });
}

/** Ends the session; audited when it was a live one. */
export async function signOut(db: Database, tenantId: string, token: string, ip: string | null): Promise<void> {
  await db.withTenant(tenantId, async (trx) => {
    const staffId = await endSession(trx, tenantId, token);
    if (staffId) await recordAudit(trx, { tenantId, actor: { kind: 'staff', id: staffId }, action: 'staff.signOut', ip });
  });
}
