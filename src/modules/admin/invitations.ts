/**
 * Inviting staff: the account exists at once, without a password (so nobody can sign in with it),
 * and the invitee receives a single-use link, valid 7 days, whose token is stored only as a hash.
 * Opening it lets them choose their password; then they sign in like everyone else (an
 * administrator sets up two-step verification at that first sign-in).
 */
import crypto from 'node:crypto';
import type { Database, Tx } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { formatDateTime, translator, type Locale } from '../../platform/i18n.ts';
import { enqueueEmail } from '../../platform/outbox/index.ts';
import { ensure } from '../../platform/permissions.ts';
import { isUuid, setStaffDepartments } from '../departments/service.ts';
import { hashPassword, PASSWORD_MAX, PASSWORD_MIN } from '../staff/service.ts';
import { actorOf, isUniqueViolation, Refused, ROLES, statusOf, townOf, type AdminCaller, type StaffRole } from './common.ts';
import * as repo from './repo/staff.ts';

export const INVITATION_VALID_SECONDS = 7 * 24 * 60 * 60;

function invitationLink(baseUrl: string, locale: Locale, token: string): string {
  return `${baseUrl}/${locale}/staff/invitation?token=${token}`;
}

function newToken(): { token: string; hash: string } {
  const token = crypto.randomBytes(32).toString('base64url');
  return { token, hash: hashInvitationToken(token) };
}

export function hashInvitationToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** Writes a fresh invitation (withdrawing older ones) and its email, in `trx`. */
async function sendInvitation(
  trx: Tx,
  caller: AdminCaller,
  account: { id: string; name: string; email: string; role: StaffRole; locale: Locale },
): Promise<Date> {
  const tenantId = caller.tenant.id;
  const { token, hash } = newToken();
  await repo.removePending(trx, tenantId, account.id);
  const invitation = await repo.insertInvitation(trx, tenantId, {
    staffId: account.id,
    tokenHash: hash,
    invitedBy: actorOf(caller).id,
    validSeconds: INVITATION_VALID_SECONDS,
  });
  const t = translator(account.locale);
  const town = caller.tenant.name[account.locale];
  const inviter = caller.principal.kind === 'staff' ? ((await inviterName(trx, tenantId, caller.principal.id)) ?? town) : town;
  await enqueueEmail(trx, {
    tenantId,
    dedupeKey: `staff-invitation:${invitation.id}`,
    to: account.email,
    locale: account.locale,
    subject: t('admin.mail.invitation.subject', { town }),
    text: t('admin.mail.invitation.body', {
      name: account.name,
      inviter,
      town,
      role: t(`admin.roles.${account.role}`),
      link: invitationLink(caller.baseUrl, account.locale, token),
      expires: formatDateTime(account.locale, caller.tenant.timeZone, invitation.expires_at),
    }),
    secret: true,
  });
  return invitation.expires_at;
}

async function inviterName(trx: Tx, tenantId: string, id: string): Promise<string | undefined> {
  return (await repo.findById(trx, tenantId, id))?.name;
}

export interface InviteInput {
  email: string;
  name: string;
  role: StaffRole;
  locale: Locale;
  departmentIds: string[];
}

export type InviteErrors = Partial<{ email: 'taken'; departments: 'required' | 'unknown' }>;
export type InviteResult = { ok: true; id: string } | { ok: false; errors: InviteErrors };

/**
 * Invites someone: their account exists at once (no password, so no sign-in) with its role and
 * departments, and they receive a single-use link, valid 7 days, to choose their password.
 */
export async function inviteStaff(caller: AdminCaller, input: InviteInput): Promise<InviteResult> {
  await ensure(caller, 'staff.invite');
  const tenantId = townOf(caller);
  const email = input.email.trim();
  const name = input.name.trim();
  if (!ROLES.includes(input.role)) throw new AppError('badRequest', 'role is checked by the form');
  if (input.role === 'agent' && input.departmentIds.length === 0) return { ok: false, errors: { departments: 'required' } };
  try {
    return await caller.db.withTenant(tenantId, async (trx) => {
      if (await repo.findByEmail(trx, tenantId, email)) return { ok: false, errors: { email: 'taken' } } as const;
      const { id } = await repo.insertInvited(trx, tenantId, { email, name, role: input.role, locale: input.locale });
      const departments = await setStaffDepartments(trx, tenantId, id, input.departmentIds);
      if (!departments.ok) throw new Refused<InviteResult>({ ok: false, errors: { departments: 'unknown' } });
      await sendInvitation(trx, caller, { id, name, email, role: input.role, locale: input.locale });
      await recordAudit(trx, {
        tenantId,
        actor: actorOf(caller),
        action: 'staff.invited',
        subject: { kind: 'staff', id },
        ip: caller.ip,
        details: { role: input.role, departments: departments.added, locale: input.locale },
      });
      return { ok: true, id } as const;
    });
  } catch (err) {
    if (err instanceof Refused) return err.result as InviteResult;
    // Two administrators inviting the same address at the same moment: the unique index decides.
    if (isUniqueViolation(err)) return { ok: false, errors: { email: 'taken' } };
    throw err;
  }
}

/** Sends a new invitation link to an account still waiting for its first sign-in; older links stop working. */
export async function resendInvitation(caller: AdminCaller, id: string): Promise<{ ok: true } | { ok: false; error: 'notInvited' }> {
  const tenantId = townOf(caller);
  await ensure(caller, 'staff.changeAccess', { kind: 'staffAccount', tenantId, id });
  if (!isUuid(id)) throw new AppError('notFound');
  return caller.db.withTenant(tenantId, async (trx) => {
    const row = await repo.findById(trx, tenantId, id, true);
    if (!row) throw new AppError('notFound');
    const status = statusOf(row);
    if (status !== 'invited' && status !== 'invitationExpired') return { ok: false, error: 'notInvited' } as const;
    await sendInvitation(trx, caller, row);
    await recordAudit(trx, { tenantId, actor: actorOf(caller), action: 'staff.invitationResent', subject: { kind: 'staff', id }, ip: caller.ip });
    return { ok: true } as const;
  });
}

// Accepting an invitation: the invitee is not signed in; the token in the link is their proof.

export type InvitationState =
  | { status: 'valid'; name: string; email: string; locale: Locale }
  | { status: 'invalid' | 'expired' | 'used' };

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

async function findInvitation(trx: Tx, tenantId: string, token: string) {
  if (!TOKEN.test(token)) return undefined;
  return repo.findInvitation(trx, tenantId, hashInvitationToken(token));
}

function stateOf(row: Awaited<ReturnType<typeof repo.findInvitation>>): InvitationState {
  // A withdrawn account (disabled) or one that has a password already is no longer invited.
  if (!row || row.disabled_at !== null) return { status: 'invalid' };
  if (row.used_at !== null || row.has_password) return { status: 'used' };
  if (row.expired) return { status: 'expired' };
  return { status: 'valid', name: row.name, email: row.email, locale: row.locale };
}

/** What the invitation link leads to: a valid invitation (and whose), or why it no longer works. */
export async function checkInvitation(db: Database, tenantId: string, token: string): Promise<InvitationState> {
  await ensure({ db, principal: { kind: 'anonymous', tenantId }, ip: null }, 'staff.acceptInvitation');
  return db.withTenant(tenantId, async (trx) => stateOf(await findInvitation(trx, tenantId, token)));
}

/** Sets the invitee's password from a valid invitation, which is then used up. The caller checked the password's length. */
export async function acceptInvitation(
  db: Database,
  tenantId: string,
  input: { token: string; password: string; ip: string | null },
): Promise<InvitationState> {
  await ensure({ db, principal: { kind: 'anonymous', tenantId }, ip: input.ip }, 'staff.acceptInvitation');
  const before = await checkInvitation(db, tenantId, input.token);
  if (before.status !== 'valid') return before;
  const length = [...input.password].length;
  if (length < PASSWORD_MIN || length > PASSWORD_MAX) throw new AppError('badRequest', 'password length is checked by the form');
  // Hashing takes tens of milliseconds: outside the transaction, so it holds no connection.
  const passwordHash = await hashPassword(input.password);
  return db.withTenant(tenantId, async (trx) => {
    const row = await findInvitation(trx, tenantId, input.token);
    const state = stateOf(row);
    if (state.status !== 'valid' || !row) return state;
    // Single use, even when two browsers send the form at the same moment.
    if (!(await repo.useInvitation(trx, tenantId, row.id))) return { status: 'used' } as const;
    await repo.setPasswordHash(trx, tenantId, row.staff_id, passwordHash);
    await recordAudit(trx, {
      tenantId,
      actor: { kind: 'staff', id: row.staff_id },
      action: 'staff.invitationAccepted',
      subject: { kind: 'staff', id: row.staff_id },
      ip: input.ip,
    });
    return state;
  });
}
