/**
 * Staff accounts and sign-in. Passwords are hashed with argon2id; a failed sign-in never tells
 * whether the email exists (a missing account is checked against a dummy hash so both take the
 * same time). Every sign-in, failure and sign-out is audited. After the password, a person who uses
 * two-step verification, or an administrator who must set it up, goes through mfa/ before any
 * session exists.
 */
import type { Database, Tx } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { createSession, endSession } from '../../platform/auth/session.ts';
import type { StaffPrincipal } from '../../platform/http.ts';
import type { Locale } from '../../platform/i18n.ts';
import { checkPassword, hashPassword } from './passwords.ts';
import { mfaEnabledIn, startPendingSignIn } from './mfa/service.ts';
import * as repo from './repo.ts';

export { hashPassword, prepareSignIn } from './passwords.ts';

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

function toPrincipal(row: Pick<Row, 'id' | 'email' | 'name' | 'role' | 'locale'>): StaffPrincipal {
  return { id: row.id, email: row.email, name: row.name, role: row.role, locale: row.locale };
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

/**
 * For the session hook: the person behind a live session, if the account still exists and is
 * enabled. An administrator without two-step verification (say, just promoted) has no usable
 * session until it is set up, unless the account signs in through the town's single sign-on (where
 * the town's provider enforces its own second factor).
 */
export async function principalForSession(trx: Tx, tenantId: string, staffId: string): Promise<StaffPrincipal | null> {
  const row = await repo.findForSession(trx, tenantId, staffId);
  if (!row || row.disabled_at !== null) return null;
  if (row.role === 'admin' && !row.mfa && !row.sso) return null;
  return toPrincipal(row);
}

/**
 * For another module's emails to a colleague, inside its transaction: the staff member's address
 * and language, or null when the account is gone or disabled.
 */
export async function staffContact(trx: Tx, tenantId: string, staffId: string): Promise<{ email: string; name: string; locale: Locale } | null> {
  return (await repo.findContact(trx, tenantId, staffId)) ?? null;
}

/**
 * For other modules' use cases, inside their transaction (they have checked permission): the
 * enabled staff of the town with their role, by name.
 */
export async function enabledStaffIn(trx: Tx, tenantId: string): Promise<Array<{ id: string; name: string; role: StaffRole }>> {
  return repo.listEnabled(trx, tenantId);
}

export type SignInResult =
  | { ok: true; step: 'session'; staff: StaffPrincipal; token: string }
  /** The password was right; the code step (or, for an administrator, setting up the app) comes next. */
  | { ok: true; step: 'code' | 'enrol'; pendingToken: string }
  | { ok: false; reason: 'invalid' | 'disabled' };

export interface SignInInput {
  email: string;
  password: string;
  ip: string | null;
  /** The token of the session the browser already holds, ended so sign-in always starts a new one. */
  previousToken?: string | undefined;
  /** Where to go once signed in (a checked local path), kept across the code step. */
  next?: string | undefined;
  userAgent?: string;
}

export async function signIn(db: Database, tenantId: string, input: SignInInput): Promise<SignInResult> {
  const row = await db.withTenant(tenantId, (trx) => repo.findByEmail(trx, tenantId, input.email.trim()));
  // Verify outside any transaction: hashing takes tens of milliseconds and must not hold a connection.
  const passwordOk = await checkPassword(row?.password_hash, input.password);
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
    if (await mfaEnabledIn(trx, tenantId, row.id)) {
      return { ok: true, step: 'code', pendingToken: await startPendingSignIn(trx, tenantId, row.id, 'verify', input.next ?? null) } as const;
    }
    if (row.role === 'admin') {
      return { ok: true, step: 'enrol', pendingToken: await startPendingSignIn(trx, tenantId, row.id, 'enrol', input.next ?? null) } as const;
    }
    const token = await createSession(trx, tenantId, row.id, input.userAgent === undefined ? {} : { userAgent: input.userAgent });
    await recordAudit(trx, { tenantId, actor: { kind: 'staff', id: row.id }, action: 'staff.signIn', ip: input.ip, details: { method: 'password' } });
    return { ok: true, step: 'session', staff: toPrincipal(row), token } as const;
  });
}

/** Ends the session; audited when it was a live one. */
export async function signOut(db: Database, tenantId: string, token: string, ip: string | null): Promise<void> {
  await db.withTenant(tenantId, async (trx) => {
    const staffId = await endSession(trx, tenantId, token);
    if (staffId) await recordAudit(trx, { tenantId, actor: { kind: 'staff', id: staffId }, action: 'staff.signOut', ip });
  });
}

export interface Identity {
  /** The provider's issuer URL and its stable id for the person (the ID token's iss and sub). */
  issuer: string;
  subject: string;
  /** Already checked by the caller: verified by the provider, or in one of the town's domains. */
  email: string;
  name: string;
  role: StaffRole;
  locale: Locale;
}

export type IdentityResult =
  | { ok: true; staff: StaffPrincipal; created: boolean; previousRole: StaffRole | null }
  | { ok: false; reason: 'disabled' | 'subjectMismatch' | 'invalidProfile'; staffId: string | null };

/**
 * Single sign-on, inside the caller's transaction: the staff account of a person the town's
 * provider vouched for. Found by the identity's link first, then by email (and linked); created
 * without a password when there is none. The role follows the provider's claim at every sign-in.
 * An account already linked to another person at this provider is refused (the address was reused).
 */
export async function staffForIdentity(trx: Tx, tenantId: string, identity: Identity): Promise<IdentityResult> {
  const linked = await repo.findIdentity(trx, tenantId, identity.issuer, identity.subject);
  let row = linked ? await repo.findById(trx, tenantId, linked.staff_id) : await repo.findByEmail(trx, tenantId, identity.email);
  let created = false;
  if (row && !linked) {
    const other = await repo.findIdentityOfStaff(trx, tenantId, identity.issuer, row.id);
    if (other && other.subject !== identity.subject) return { ok: false, reason: 'subjectMismatch', staffId: row.id };
  }
  if (!row) {
    const email = identity.email.trim();
    const name = identity.name.trim().slice(0, 200) || email;
    if (email.length > 254 || !EMAIL.test(email)) return { ok: false, reason: 'invalidProfile', staffId: null };
    row = await repo.insert(trx, tenantId, { email, name, role: identity.role, locale: identity.locale, passwordHash: null });
    created = true;
    await recordAudit(trx, {
      tenantId,
      actor: { kind: 'system' },
      action: 'staff.created',
      subject: { kind: 'staff', id: row.id },
      details: { role: row.role, via: 'sso' },
    });
  }
  if (row.disabled_at !== null) return { ok: false, reason: 'disabled', staffId: row.id };
  await repo.linkIdentity(trx, tenantId, identity.issuer, identity.subject, row.id);
  const previousRole = row.role !== identity.role ? row.role : null;
  if (previousRole) await repo.setRole(trx, tenantId, row.id, identity.role);
  return { ok: true, staff: toPrincipal({ ...row, role: identity.role }), created, previousRole };
}
