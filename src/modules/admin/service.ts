/**
 * Administrators manage their town's staff accounts: list them, set their role and departments,
 * disable and turn back on an account (invitations are in invitations.ts). Each use case starts
 * with the permission check, records what changed in the audit trail and tells the person by
 * email (in their language, through the outbox, in the same transaction). A town always keeps one
 * active administrator: the last one can be neither demoted nor disabled.
 */
import crypto from 'node:crypto';
import type { Tx } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { formatDateTime, translator, type Locale } from '../../platform/i18n.ts';
import { endAllSessions } from '../../platform/auth/session.ts';
import { enqueueEmail } from '../../platform/outbox/index.ts';
import { ensure } from '../../platform/permissions.ts';
import { departmentIdsByStaff, departmentsIn, isUuid, setStaffDepartments, type Department } from '../departments/service.ts';
import { actorOf, Refused, ROLES, selfIdOf, statusOf, townOf, type AccountRow, type AdminCaller, type StaffRole, type StaffStatus } from './common.ts';
import * as repo from './repo/staff.ts';
import { mfaEnabledIn, resetMfaIn } from '../staff/mfa/service.ts';

export { ROLES, type AdminCaller, type StaffRole, type StaffStatus } from './common.ts';
export { acceptInvitation, checkInvitation, inviteStaff, resendInvitation, type InvitationState, type InviteInput } from './invitations.ts';

export const STAFF_PAGE_SIZE = 50;

export interface StaffAccount {
  id: string;
  name: string;
  email: string;
  role: StaffRole;
  locale: Locale;
  status: StaffStatus;
  departmentIds: string[];
  /** When the pending invitation expires, for an invited account. */
  invitationExpiresAt: Date | null;
  /** The administrator looking at their own account. */
  isSelf: boolean;
  /** Two-step verification is set up. */
  mfa: boolean;
}

function toAccount(row: AccountRow, departmentIds: string[], selfId: string, mfa = false): StaffAccount {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    locale: row.locale,
    status: statusOf(row),
    departmentIds,
    invitationExpiresAt: row.invitation_expires_at === null ? null : new Date(row.invitation_expires_at),
    isSelf: row.id === selfId,
    mfa,
  };
}

/**
 * Tells a staff member, in their language, what an administrator changed on their account: the
 * email `admin.mail.<kind>` with their name, the town, the date and a link to `path`.
 */
async function tellStaff(trx: Tx, caller: AdminCaller, row: AccountRow, kind: 'accessChanged' | 'disabled' | 'enabled' | 'mfaReset', path: string, extra: Record<string, string> = {}) {
  const t = translator(row.locale);
  const town = caller.tenant.name[row.locale];
  await enqueueEmail(trx, {
    tenantId: townOf(caller),
    dedupeKey: `staff-${kind}:${row.id}:${crypto.randomUUID()}`,
    to: row.email,
    locale: row.locale,
    subject: t(`admin.mail.${kind}.subject`, { town }),
    text: t(`admin.mail.${kind}.body`, {
      name: row.name,
      town,
      date: formatDateTime(row.locale, caller.tenant.timeZone, new Date()),
      link: `${caller.baseUrl}/${row.locale}${path}`,
      ...extra,
    }),
  });
}

/** The way into the administration pages: administrators only (others are refused, and it is recorded). */
export async function enterAdministration(caller: AdminCaller): Promise<void> {
  await ensure(caller, 'staff.list');
}

export interface StaffPage {
  accounts: StaffAccount[];
  departments: Department[];
  page: number;
  pages: number;
  total: number;
}

/** One page of the town's staff accounts, by name, with the town's departments to name theirs. */
export async function listStaffAccounts(caller: AdminCaller, page: number): Promise<StaffPage> {
  await ensure(caller, 'staff.list');
  const tenantId = townOf(caller);
  return caller.db.withTenant(tenantId, async (trx) => {
    const total = await repo.count(trx, tenantId);
    const pages = Math.max(Math.ceil(total / STAFF_PAGE_SIZE), 1);
    const current = Math.min(Math.max(Math.trunc(page) || 1, 1), pages);
    const rows = await repo.listPage(trx, tenantId, STAFF_PAGE_SIZE, (current - 1) * STAFF_PAGE_SIZE);
    const memberships = await departmentIdsByStaff(trx, tenantId, rows.map((r) => r.id));
    return {
      accounts: rows.map((r) => toAccount(r, memberships.get(r.id) ?? [], selfIdOf(caller))),
      departments: await departmentsIn(trx, tenantId),
      page: current,
      pages,
      total,
    };
  });
}

/** One staff account, with the town's departments (to show and change theirs). Another town's id is not found. */
export async function getStaffAccount(caller: AdminCaller, id: string): Promise<{ account: StaffAccount; departments: Department[] }> {
  const tenantId = townOf(caller);
  await ensure(caller, 'staff.view', { kind: 'staffAccount', tenantId, id });
  if (!isUuid(id)) throw new AppError('notFound');
  return caller.db.withTenant(tenantId, async (trx) => {
    const row = await repo.findById(trx, tenantId, id);
    if (!row) throw new AppError('notFound');
    const memberships = await departmentIdsByStaff(trx, tenantId, [id]);
    const mfa = await mfaEnabledIn(trx, tenantId, id);
    return { account: toAccount(row, memberships.get(id) ?? [], selfIdOf(caller), mfa), departments: await departmentsIn(trx, tenantId) };
  });
}

/** What the invitation form offers: the town's departments. */
export async function invitationChoices(caller: AdminCaller): Promise<Department[]> {
  await ensure(caller, 'staff.invite');
  const tenantId = townOf(caller);
  return caller.db.withTenant(tenantId, (trx) => departmentsIn(trx, tenantId));
}

/** Departments named in the recipient's language, for an email. */
async function departmentNames(trx: Tx, tenantId: string, ids: readonly string[], locale: Locale): Promise<string> {
  const t = translator(locale);
  const names = (await departmentsIn(trx, tenantId))
    .filter((d) => ids.includes(d.id))
    .map((d) => d.name[locale])
    .sort((x, y) => x.localeCompare(y, locale));
  return names.length > 0 ? names.join(', ') : t('admin.mail.noDepartment');
}

/** True when taking this account out of the active administrators would leave the town without one. */
async function isLastActiveAdmin(trx: Tx, tenantId: string, id: string): Promise<boolean> {
  const admins = await repo.lockActiveAdmins(trx, tenantId);
  return admins.some((a) => a.id === id) && admins.length === 1;
}

export interface AccessInput {
  role: StaffRole;
  departmentIds: string[];
}

export type AccessErrors = Partial<{ role: 'lastAdmin'; departments: 'required' | 'unknown' }>;
export type AccessResult = { ok: true; changed: boolean } | { ok: false; errors: AccessErrors };

/** Sets a staff member's role and departments; tells them by email when anything changed. */
export async function changeStaffAccess(caller: AdminCaller, id: string, input: AccessInput): Promise<AccessResult> {
  const tenantId = townOf(caller);
  await ensure(caller, 'staff.changeAccess', { kind: 'staffAccount', tenantId, id });
  if (!isUuid(id)) throw new AppError('notFound');
  if (!ROLES.includes(input.role)) throw new AppError('badRequest', 'role is checked by the form');
  if (input.role === 'agent' && input.departmentIds.length === 0) return { ok: false, errors: { departments: 'required' } };
  try {
    return await caller.db.withTenant(tenantId, async (trx) => {
      const row = await repo.findById(trx, tenantId, id, true);
      if (!row) throw new AppError('notFound');
      if (row.role === 'admin' && input.role !== 'admin' && (await isLastActiveAdmin(trx, tenantId, id))) {
        return { ok: false, errors: { role: 'lastAdmin' } } as const;
      }
      const departments = await setStaffDepartments(trx, tenantId, id, input.departmentIds);
      if (!departments.ok) throw new Refused<AccessResult>({ ok: false, errors: { departments: 'unknown' } });
      const roleChanged = row.role !== input.role;
      const departmentsChanged = departments.added.length > 0 || departments.removed.length > 0;
      if (roleChanged) {
        await repo.setRole(trx, tenantId, id, input.role);
        await recordAudit(trx, {
          tenantId,
          actor: actorOf(caller),
          action: 'staff.roleChanged',
          subject: { kind: 'staff', id },
          ip: caller.ip,
          details: { from: row.role, to: input.role },
        });
      }
      if (departmentsChanged) {
        await recordAudit(trx, {
          tenantId,
          actor: actorOf(caller),
          action: 'staff.departmentsChanged',
          subject: { kind: 'staff', id },
          ip: caller.ip,
          details: { added: departments.added, removed: departments.removed },
        });
      }
      if (!roleChanged && !departmentsChanged) return { ok: true, changed: false } as const;
      await tellStaff(trx, caller, row, 'accessChanged', '/staff', {
        role: translator(row.locale)(`admin.roles.${input.role}`),
        departments: await departmentNames(trx, tenantId, [...new Set(input.departmentIds.map((d) => d.toLowerCase()))], row.locale),
      });
      return { ok: true, changed: true } as const;
    });
  } catch (err) {
    if (err instanceof Refused) return err.result as AccessResult;
    throw err;
  }
}

export type DisableResult = { ok: true; changed: boolean } | { ok: false; error: 'lastAdmin' };

/**
 * Disables an account (it can no longer sign in and its sessions stop at once) or turns it back on.
 * The person is told by email either way.
 */
export async function setStaffAccountDisabled(caller: AdminCaller, id: string, disabled: boolean): Promise<DisableResult> {
  const tenantId = townOf(caller);
  await ensure(caller, 'staff.disable', { kind: 'staffAccount', tenantId, id });
  if (!isUuid(id)) throw new AppError('notFound');
  return caller.db.withTenant(tenantId, async (trx) => {
    const row = await repo.findById(trx, tenantId, id, true);
    if (!row) throw new AppError('notFound');
    if ((row.disabled_at !== null) === disabled) return { ok: true, changed: false } as const;
    if (disabled && row.role === 'admin' && (await isLastActiveAdmin(trx, tenantId, id))) return { ok: false, error: 'lastAdmin' } as const;
    await repo.setDisabled(trx, tenantId, id, disabled);
    // A disabled account's sessions already stop working (the session hook loads only enabled
    // accounts); removing them means turning the account back on does not revive them either.
    const sessionsEnded = disabled ? await endAllSessions(trx, tenantId, { kind: 'staff', id }) : 0;
    await recordAudit(trx, {
      tenantId,
      actor: actorOf(caller),
      action: disabled ? 'staff.disabled' : 'staff.enabled',
      subject: { kind: 'staff', id },
      ip: caller.ip,
      ...(disabled ? { details: { sessionsEnded } } : {}),
    });
    await tellStaff(trx, caller, row, disabled ? 'disabled' : 'enabled', '/staff/sign-in');
    return { ok: true, changed: true } as const;
  });
}

export type MfaResetResult = { ok: true; changed: boolean } | { ok: false; error: 'self' };

/**
 * Resets a colleague's two-step verification (a lost or replaced phone): their authenticator and
 * recovery codes are removed and their sessions end; at their next sign-in they set it up again
 * (administrators must). Audited, and the person is told by email in their language. An
 * administrator resets their own from their own two-step verification page, with their password.
 */
export async function resetStaffMfa(caller: AdminCaller, id: string): Promise<MfaResetResult> {
  const tenantId = townOf(caller);
  await ensure(caller, 'staff.resetMfa', { kind: 'staffAccount', tenantId, id });
  if (!isUuid(id)) throw new AppError('notFound');
  if (id === selfIdOf(caller)) return { ok: false, error: 'self' };
  return caller.db.withTenant(tenantId, async (trx) => {
    const row = await repo.findById(trx, tenantId, id, true);
    if (!row) throw new AppError('notFound');
    if (!(await resetMfaIn(trx, tenantId, id))) return { ok: true, changed: false } as const;
    const sessionsEnded = await endAllSessions(trx, tenantId, { kind: 'staff', id });
    await recordAudit(trx, { tenantId, actor: actorOf(caller), action: 'staff.mfaReset', subject: { kind: 'staff', id }, ip: caller.ip, details: { sessionsEnded } });
    await tellStaff(trx, caller, row, 'mfaReset', '/staff/sign-in');
    return { ok: true, changed: true } as const;
  });
}
