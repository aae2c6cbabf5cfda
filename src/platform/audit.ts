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
  'staff.mfaReset',
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
  // modules/bookings: passes, the door scanner, calendar feeds
  'booking.checkedIn',
  'checkin.listDownloaded',
  'passKey.rotated',
  'calendar.feedReset',
  // modules/bookings/staff: staff manage the catalogue, sessions, bookings and residency
  'activity.updated',
  'session.capacityChanged',
  'session.cancelled',
  'booking.moved',
  'booking.cancelledByStaff',
  'booking.markedPaid',
  'booking.refunded',
  'residency.requested',
  'residency.approved',
  'residency.refused',
  // modules/requests: service requests (311)
  'request.submitted',
  'request.followed',
  'request.statusChanged',
  'request.replied',
  'request.closed',
  'request.reopened',
  // modules/requests/staff: the staff queue and case page; modules/open311: API keys
  'requestCase.assigned',
  'requestCase.noteAdded',
  'requestCase.retyped',
  'requestCase.departmentChanged',
  'requestCase.merged',
  'apiKey.created',
  'apiKey.revoked',
  // modules/applications: services and their forms, residents' applications
  'applicationService.created',
  'applicationService.updated',
  'applicationService.published',
  'application.started',
  'application.draftSaved',
  'application.fileAdded',
  'application.fileRemoved',
  'application.submitted',
  // modules/applications/review: staff review, decisions, issued documents, renewal reminders
  'application.reviewed',
  'application.assigned',
  'application.infoRequested',
  'application.infoProvided',
  'application.approved',
  'application.refused',
  'application.noteAdded',
  'application.messageSent',
  'application.interviewScheduled',
  'document.issued',
  'document.revoked',
  'document.downloaded',
  'document.renewalReminded',
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
