/** What the staff-account use cases share: the administrator at work, account status, small helpers. */
import { AppError } from '../../platform/errors.ts';
import type { Caller, StaffRole } from '../../platform/permissions.ts';
import type { Tenant } from '../tenants/service.ts';
import type * as repo from './repo/staff.ts';

export type { StaffRole };
export const ROLES: readonly StaffRole[] = ['agent', 'manager', 'admin'];

/** An administrator at work: who, in which town, and the address the town's site answers on (for links in emails). */
export interface AdminCaller extends Caller {
  tenant: Tenant;
  /** e.g. "https://guichet.val-des-lacs.ca", no trailing slash. */
  baseUrl: string;
}

export type StaffStatus = 'active' | 'invited' | 'invitationExpired' | 'disabled';

export type AccountRow = NonNullable<Awaited<ReturnType<typeof repo.findById>>>;

export function statusOf(row: AccountRow): StaffStatus {
  if (row.disabled_at !== null) return 'disabled';
  if (!row.has_password && row.invitation_expires_at !== null) {
    return new Date(row.invitation_expires_at).getTime() > Date.now() ? 'invited' : 'invitationExpired';
  }
  return 'active';
}

export const actorOf = (caller: Caller) => ({ kind: 'staff' as const, id: caller.principal.kind === 'staff' ? caller.principal.id : null });
export const selfIdOf = (caller: Caller) => (caller.principal.kind === 'staff' ? caller.principal.id : '');

export function townOf(caller: AdminCaller): string {
  if (caller.principal.tenantId !== caller.tenant.id) throw new AppError('forbidden', 'caller and town differ');
  return caller.tenant.id;
}

/** Carries a refusal out of a transaction so that everything it wrote is rolled back. */
export class Refused<T> extends Error {
  constructor(readonly result: T) {
    super('refused');
  }
}

export const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';
