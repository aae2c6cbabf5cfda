/**
 * The audit trail: a typed list of events, written in the same transaction as what they record.
 * The application role can insert and read audit rows, never change or delete them.
 */
import type { Tx } from '../db/database.ts';

export const AUDIT_ACTIONS = [
  'staff.signIn',
  'staff.signInFailed',
  'staff.signOut',
  'staff.created',
  'permission.denied',
  'mail.viewed',
  'contact.viewed',
  'contact.submitted',
  // modules/residents and platform/auth: residents' accounts, households, everyone's sessions
  'resident.codeRequested',
  'resident.codeThrottled',
  'resident.signIn',
  'resident.signInFailed',
  'resident.signOut',
  'resident.created',
  'resident.profileUpdated',
  'resident.emailChangeRequested',
  'resident.emailChanged',
  'resident.emailChangeFailed',
  'household.memberAdded',
  'household.memberUpdated',
  'household.memberRemoved',
  'session.ended',
  'session.endedOthers',
  // modules/staff (two-step verification) and modules/sso (single sign-on)
  'staff.mfaEnrolled',
  'staff.mfaDisabled',
  'staff.mfaFailed',
  'staff.mfaRecoveryUsed',
  'staff.mfaRecoveryCodesRenewed',
  'sso.signIn',
  'sso.refused',
  'sso.configured',
  'sso.removed',
  // modules/admin: staff accounts, departments and the audit trail itself
  'staff.invited',
  'staff.invitationResent',
  'staff.invitationAccepted',
  'staff.roleChanged',
  'staff.departmentsChanged',
  'staff.disabled',
  'staff.enabled',
  'department.created',
  'department.renamed',
  'department.deactivated',
  'department.activated',
  'audit.viewed',
  'audit.exported',
  // modules/bookings: activities, registrations, waitlists, draws
  'activity.created',
  'activity.sessionAdded',
  'booking.confirmed',
  'booking.cancelled',
  'waitlist.joined',
  'waitlist.offered',
  'lottery.drawn',
  'residency.recorded',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEvent {
  tenantId: string;
  actor: { kind: 'staff' | 'resident' | 'system' | 'anonymous'; id?: string | null };
  action: AuditAction;
  subject?: { kind: string; id: string };
  ip?: string | null;
  details?: Record<string, unknown>;
}

export async function recordAudit(trx: Tx, event: AuditEvent): Promise<void> {
  await trx
    .insertInto('audit_events')
    .values({
      tenant_id: event.tenantId,
      actor_kind: event.actor.kind,
      actor_id: event.actor.id ?? null,
      action: event.action,
      subject_kind: event.subject?.kind ?? null,
      subject_id: event.subject?.id ?? null,
      ip: event.ip ?? null,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}
