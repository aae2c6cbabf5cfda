/**
 * Administrators manage their town's staff accounts: list them, invite someone by email, set their
 * role and departments, disable and turn back on an account. Each use case starts with the
 * permission check, records what changed in the audit trail and tells the person by email (in
 * their language, through the outbox, in the same transaction). A town always keeps one active
 * administrator: the last one can be neither demoted nor disabled.
 */
import crypto from 'node:crypto';
import type { Database, Tx } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { formatDateTime, translator, type Locale } from '../../platform/i18n.ts';
import { removeOthers as removeSessionsOf } from '../../platform/auth/repo.ts';
import { enqueueEmail } from '../../platform/outbox/index.ts';
import { ensure, type Caller, type StaffRole } from '../../platform/permissions.ts';

export type { StaffRole };
import { departmentIdsByStaff, departmentsIn, isUuid, setStaffDepartments, type Department } from '../departments/service.ts';
import { hashPassword, PASSWORD_MAX, PASSWORD_MIN } from '../staff/service.ts';
import type { Tenant } from '../tenants/service.ts';
import * as repo from './repo/staff.ts';

export const STAFF_PAGE_SIZE = 50;
export const INVITATION_VALID_SECONDS = 7 * 24 * 60 * 60;
export const ROLES: readonly StaffRole[] = ['agent', 'manager', 'admin'];

/** An administrator at work: who, in which town, and the address the town's site answers on (for links in emails). */
export interface AdminCaller extends Caller {
  tenant: Tenant;
  /** e.g. "https://guichet.val-des-lacs.ca", no trailing slash. */
  baseUrl: string;
}

export type StaffStatus = 'active' | 'invited' | 'invitationExpired' | 'disabled';

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
}

type AccountRow = NonNullable<Awaited<ReturnType<typeof repo.findById>>>;

function statusOf(row: AccountRow): StaffStatus {
  if (row.disabled_at !== null) return 'disabled';
  if (!row.has_password && row.invitation_expires_at !== null) {
    return new Date(row.invitation_expires_at).getTime() > Date.now() ? 'invited' : 'invitationExpired';
  }
  return 'active';
}

function toAccount(row: AccountRow, departmentIds: string[], selfId: string): StaffAccount {
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
  };
}

const actorOf = (caller: Caller) => ({ kind: 'staff' as const, id: caller.principal.kind === 'staff' ? caller.principal.id : null });
const selfIdOf = (caller: Caller) => (caller.principal.kind === 'staff' ? caller.principal.id : '');

function townOf(caller: AdminCaller): string {
  if (caller.principal.tenantId !== caller.tenant.id) throw new AppError('forbidden', 'caller and town differ');
  return caller.tenant.id;
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
    return { account: toAccount(row, memberships.get(id) ?? [], selfIdOf(caller)), departments: await departmentsIn(trx, tenantId) };
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

/** Carries a refusal out of a transaction so that everything it wrote is rolled back. */
class Refused<T> extends Error {
  constructor(readonly result: T) {
    super('refused');
  }
}

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';

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
      const t = translator(row.locale);
      const town = caller.tenant.name[row.locale];
      await enqueueEmail(trx, {
        tenantId,
        dedupeKey: `staff-access:${id}:${crypto.randomUUID()}`,
        to: row.email,
        locale: row.locale,
        subject: t('admin.mail.accessChanged.subject', { town }),
        text: t('admin.mail.accessChanged.body', {
          name: row.name,
          town,
          date: formatDateTime(row.locale, caller.tenant.timeZone, new Date()),
          role: t(`admin.roles.${input.role}`),
          departments: await departmentNames(trx, tenantId, [...new Set(input.departmentIds.map((d) => d.toLowerCase()))], row.locale),
          link: `${caller.baseUrl}/${row.locale}/staff`,
        }),
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
    // (platform/auth's "all of a person's sessions but one"; no session token hash is empty.)
    const sessionsEnded = disabled ? await removeSessionsOf(trx, tenantId, { kind: 'staff', id }, '') : 0;
    await recordAudit(trx, {
      tenantId,
      actor: actorOf(caller),
      action: disabled ? 'staff.disabled' : 'staff.enabled',
      subject: { kind: 'staff', id },
      ip: caller.ip,
      ...(disabled ? { details: { sessionsEnded } } : {}),
    });
    const t = translator(row.locale);
    const town = caller.tenant.name[row.locale];
    const which = disabled ? 'disabled' : 'enabled';
    await enqueueEmail(trx, {
      tenantId,
      dedupeKey: `staff-${which}:${id}:${crypto.randomUUID()}`,
      to: row.email,
      locale: row.locale,
      subject: t(`admin.mail.${which}.subject`, { town }),
      text: t(`admin.mail.${which}.body`, {
        name: row.name,
        town,
        date: formatDateTime(row.locale, caller.tenant.timeZone, new Date()),
        link: `${caller.baseUrl}/${row.locale}/staff/sign-in`,
      }),
    });
    return { ok: true, changed: true } as const;
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
