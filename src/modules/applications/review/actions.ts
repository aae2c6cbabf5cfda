/**
 * The reviewer's actions, one use case each: assign, request information (the clock pauses),
 * approve with conditions, refuse with reasons, issue the document, add an internal note, write to
 * the applicant, schedule an interview. Each one checks permission first (record.update: the
 * application's department), changes the status only from the statuses it allows (a second
 * approval is a conflict, not a second event), writes its timeline event and audit event, and
 * emails the applicant in their language in the same transaction (notes and assignments excepted).
 */
import type { Tx } from '../../../db/database.ts';
import { recordAudit, type AuditAction } from '../../../platform/audit.ts';
import { AppError } from '../../../platform/errors.ts';
import { formatDateTime } from '../../../platform/i18n.ts';
import { departmentIdsByStaff } from '../../departments/service.ts';
import { residentForSession, residentPostalAddress } from '../../residents/service.ts';
import { enabledStaffIn } from '../../staff/service.ts';
import { answerText } from '../answers.ts';
import type { Application, ApplicationStatus } from '../domain.ts';
import { addYears, dayIn, issueDocumentIn, liveDocumentIn, revokeDocumentIn, type IssuedDocument } from '../documents/service.ts';
import * as appsRepo from '../repo.ts';
import { findApplicationIn, loadFor, staffActor, type ReviewCaller } from './common.ts';
import { mailApplicant } from './mail.ts';
import * as repo from './repo.ts';

/** A reviewer's input the use case refuses (shown at the field, status 422). */
export class ReviewInputError extends Error {
  constructor(
    readonly field: string,
    readonly code: 'notReviewer' | 'required' | 'invalidValidity' | 'invalidDate' | 'invalidTime' | 'interviewPast',
  ) {
    super(`${field}: ${code}`);
  }
}

const DECIDABLE: readonly ApplicationStatus[] = ['submitted', 'in_review'];
const OPEN: readonly ApplicationStatus[] = ['submitted', 'in_review', 'info_requested'];

/** Runs `fn` on the application, locked, after the permission check; a status outside `allowed` is a conflict. */
async function act<T>(c: ReviewCaller, id: string, allowed: readonly ApplicationStatus[] | null, fn: (trx: Tx, a: Application) => Promise<T>): Promise<T> {
  await loadFor(c, id);
  return c.db.withTenant(c.tenant.id, async (trx) => {
    await repo.lockApplication(trx, c.tenant.id, id);
    const a = (await findApplicationIn(trx, c.tenant.id, id))!;
    if (allowed && !allowed.includes(a.status)) throw new AppError('conflict', `application is ${a.status}`);
    return fn(trx, a);
  });
}

async function audit(trx: Tx, c: ReviewCaller, action: AuditAction, a: Application, details: Record<string, unknown> = {}) {
  await recordAudit(trx, { tenantId: c.tenant.id, actor: staffActor(c), action, subject: { kind: 'application', id: a.id }, ip: c.ip, details });
}

/** Moves the status and records the step on the timeline; returns the event's id. */
async function transition(trx: Tx, c: ReviewCaller, a: Application, to: ApplicationStatus, kind: string, body: string | null, details: Record<string, unknown> = {}): Promise<string> {
  const moved = await appsRepo.changeStatus(trx, c.tenant.id, a.id, [a.status], to);
  if (!moved) throw new AppError('conflict');
  const event = await appsRepo.insertEvent(trx, c.tenant.id, {
    applicationId: a.id,
    kind,
    public: true,
    authorKind: 'staff',
    authorId: c.principal.id,
    fromStatus: a.status,
    toStatus: to,
    body,
    bodyLocale: body === null ? null : a.locale,
    details,
  });
  return event.id;
}

/** Sets (or clears, with null) the reviewer: a staff member who may review the application's department. */
export async function assignReviewer(c: ReviewCaller, id: string, assigneeId: string | null): Promise<void> {
  await act(c, id, ['submitted', 'in_review', 'info_requested', 'approved'], async (trx, a) => {
    if (assigneeId !== null) {
      const staff = await enabledStaffIn(trx, c.tenant.id);
      const memberships = await departmentIdsByStaff(trx, c.tenant.id, [assigneeId]);
      const s = staff.find((x) => x.id === assigneeId);
      const ok = s && (s.role !== 'agent' || (a.departmentId !== null && (memberships.get(assigneeId) ?? []).includes(a.departmentId)));
      if (!ok) throw new ReviewInputError('assignee', 'notReviewer');
    }
    if (!(await repo.setAssignee(trx, c.tenant.id, a.id, assigneeId))) throw new AppError('conflict');
    const started = a.status === 'submitted';
    await appsRepo.insertEvent(trx, c.tenant.id, {
      applicationId: a.id,
      kind: 'assigned',
      public: started,
      authorKind: 'staff',
      authorId: c.principal.id,
      fromStatus: started ? 'submitted' : null,
      toStatus: started ? 'in_review' : null,
      details: { assigneeId },
    });
    await audit(trx, c, 'application.assigned', a, { assigneeId });
  });
}

function required(text: string, field: string): string {
  const clean = text.trim();
  if (clean === '') throw new ReviewInputError(field, 'required');
  return clean;
}

/** Asks the applicant for more information: the target clock pauses until they answer. */
export async function requestInformation(c: ReviewCaller, id: string, request: string): Promise<void> {
  const body = required(request, 'request');
  await act(c, id, DECIDABLE, async (trx, a) => {
    const eventId = await transition(trx, c, a, 'info_requested', 'info_requested', body);
    await audit(trx, c, 'application.infoRequested', a);
    await mailApplicant(trx, c.tenant, c.baseUrl, a, { kind: 'infoRequested', eventId, text: body });
  });
}

/** Approves, with the conditions the document will state (may be empty). */
export async function approve(c: ReviewCaller, id: string, conditions: string): Promise<void> {
  const body = conditions.trim();
  await act(c, id, DECIDABLE, async (trx, a) => {
    const eventId = await transition(trx, c, a, 'approved', 'approved', body === '' ? null : body);
    await audit(trx, c, 'application.approved', a, { conditions: body !== '' });
    await mailApplicant(trx, c.tenant, c.baseUrl, a, { kind: 'approved', eventId, text: body });
  });
}

/** Refuses, with the reasons (required): the applicant reads them on their page and in the email. */
export async function refuse(c: ReviewCaller, id: string, reasons: string): Promise<void> {
  const body = required(reasons, 'reasons');
  await act(c, id, OPEN, async (trx, a) => {
    const eventId = await transition(trx, c, a, 'refused', 'refused', body);
    await audit(trx, c, 'application.refused', a);
    await mailApplicant(trx, c.tenant, c.baseUrl, a, { kind: 'refused', eventId, text: body });
  });
}

export interface Validity {
  /** YYYY-MM-DD */
  validFrom: string;
  validUntil: string | null;
}

/** The validity a document gets unless the reviewer changes it: from today, a year for permits and licences. */
export function defaultValidity(a: Pick<Application, 'service'>, today: string): Validity {
  return { validFrom: today, validUntil: a.service.kind === 'program' ? null : addYears(today, 1) };
}

/** Days before the end of a licence its holder is reminded to renew (the dog licence's yearly renewal). */
export const RENEWAL_REMINDER_DAYS = 28;

/** Issues the document of an approved application: numbered PDF in the applicant's language, QR code to verify it. */
export async function issueDocument(c: ReviewCaller, id: string, validity: Validity, options: { compress?: boolean } = {}): Promise<IssuedDocument> {
  const today = dayIn(c.tenant.timeZone, new Date());
  if (validity.validFrom < addYears(today, -1) || validity.validFrom > addYears(today, 2)) throw new ReviewInputError('validFrom', 'invalidValidity');
  if (validity.validUntil !== null && (validity.validUntil < validity.validFrom || validity.validUntil > addYears(validity.validFrom, 10))) {
    throw new ReviewInputError('validUntil', 'invalidValidity');
  }
  return act(c, id, ['approved'], async (trx, a) => {
    if (await liveDocumentIn(trx, c.tenant.id, a.id)) throw new AppError('conflict');
    const holder = await residentForSession(trx, c.tenant.id, a.residentId);
    const events = await appsRepo.listEvents(trx, c.tenant.id, a.id, true);
    const conditions = [...events].reverse().find((e) => e.kind === 'approved')?.body ?? '';
    const doc = await issueDocumentIn(trx, {
      tenant: c.tenant,
      baseUrl: c.baseUrl,
      applicationId: a.id,
      residentId: a.residentId,
      holderName: holder?.name ?? holder?.email ?? '—',
      holderAddress: addressOf(a) || ((await residentPostalAddress(trx, c.tenant.id, a.residentId)) ?? ''),
      locale: a.locale,
      title: a.service.name,
      conditions,
      validFrom: validity.validFrom,
      validUntil: validity.validUntil,
      remindDaysBefore: a.service.kind === 'licence' && validity.validUntil !== null ? RENEWAL_REMINDER_DAYS : null,
      issuedBy: c.principal.id,
      now: new Date(),
      ...(options.compress === undefined ? {} : { compress: options.compress }),
    });
    const eventId = await transition(trx, c, a, 'issued', 'issued', null, { documentId: doc.id, number: doc.number });
    await recordAudit(trx, { tenantId: c.tenant.id, actor: staffActor(c), action: 'document.issued', subject: { kind: 'issued_document', id: doc.id }, ip: c.ip, details: { applicationId: a.id, number: doc.number } });
    await mailApplicant(trx, c.tenant, c.baseUrl, a, { kind: 'issued', eventId, text: '', params: { number: doc.number } });
    return doc;
  });
}

/**
 * Revokes the application's document (issued in error, conditions not met, licence withdrawn): the
 * verification page says "revoked" from now on, the reason goes on the timeline and to the holder by
 * email, in their language. The application stays issued; a revoked document is not issued again.
 */
export async function revokeDocument(c: ReviewCaller, id: string, reason: string): Promise<void> {
  const body = required(reason, 'revokeReason');
  await act(c, id, ['issued'], async (trx, a) => {
    const doc = await liveDocumentIn(trx, c.tenant.id, a.id);
    if (!doc) throw new AppError('conflict', 'no live document');
    if (!(await revokeDocumentIn(trx, c.tenant.id, doc.id, body, new Date()))) throw new AppError('conflict');
    const event = await appsRepo.insertEvent(trx, c.tenant.id, {
      applicationId: a.id,
      kind: 'document_revoked',
      public: true,
      authorKind: 'staff',
      authorId: c.principal.id,
      body,
      bodyLocale: a.locale,
      details: { documentId: doc.id, number: doc.number },
    });
    await recordAudit(trx, { tenantId: c.tenant.id, actor: staffActor(c), action: 'document.revoked', subject: { kind: 'issued_document', id: doc.id }, ip: c.ip, details: { applicationId: a.id, number: doc.number } });
    await mailApplicant(trx, c.tenant, c.baseUrl, a, { kind: 'revoked', eventId: event.id, text: body, params: { number: doc.number } });
  });
}

/** The first address the applicant gave in the form (civic address and lot), for the document. */
function addressOf(a: Application): string {
  for (const page of a.definition.pages) {
    for (const q of page.questions) {
      if (q.kind !== 'address') continue;
      const text = answerText(q, a.answers[q.code], a.locale);
      if (text !== '') return text;
    }
  }
  return '';
}

/** An internal note: staff only, never shown or sent to the applicant. */
export async function addNote(c: ReviewCaller, id: string, note: string): Promise<void> {
  const body = required(note, 'note');
  await act(c, id, null, async (trx, a) => {
    await appsRepo.insertEvent(trx, c.tenant.id, { applicationId: a.id, kind: 'internal_note', public: false, authorKind: 'staff', authorId: c.principal.id, body, bodyLocale: null });
    await audit(trx, c, 'application.noteAdded', a);
  });
}

/** Writes to the applicant in the thread (a retried post with the same key writes once). */
export async function messageApplicant(c: ReviewCaller, id: string, text: string, idempotencyKey: string): Promise<void> {
  const body = required(text, 'message');
  await act(c, id, null, async (trx, a) => {
    const m = await repo.insertMessage(trx, c.tenant.id, { applicationId: a.id, authorKind: 'staff', authorId: c.principal.id, body, locale: a.locale, idempotencyKey });
    if (!m) return;
    await audit(trx, c, 'application.messageSent', a);
    await mailApplicant(trx, c.tenant, c.baseUrl, a, { kind: 'message', eventId: m.id, text: body });
  });
}

/** Records the interview's time and place on the application and tells the applicant. */
export async function scheduleInterview(c: ReviewCaller, id: string, at: Date, place: string): Promise<void> {
  const where = required(place, 'place');
  if (at.getTime() < Date.now() - 3_600_000) throw new ReviewInputError('interviewDate', 'interviewPast');
  await act(c, id, OPEN, async (trx, a) => {
    await repo.upsertInterview(trx, c.tenant.id, a.id, at, where, c.principal.id);
    const event = await appsRepo.insertEvent(trx, c.tenant.id, {
      applicationId: a.id,
      kind: 'interview_scheduled',
      public: true,
      authorKind: 'staff',
      authorId: c.principal.id,
      body: where,
      bodyLocale: a.locale,
      details: { at: at.toISOString(), place: where },
    });
    await audit(trx, c, 'application.interviewScheduled', a);
    const when = formatDateTime(a.locale, c.tenant.timeZone, at);
    await mailApplicant(trx, c.tenant, c.baseUrl, a, { kind: 'interview', eventId: event.id, text: '', params: { when, place: where } });
  });
}
