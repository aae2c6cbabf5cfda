/**
 * The applicant's side of the review: their follow-up page (what was asked, the decision with its
 * conditions or reasons, the interview, the thread, the issued document) and their answer to a
 * request for information (a message with new documents; the target clock resumes).
 * Another resident's application is "not found"; so is a guessed id.
 */
import { recordAudit } from '../../../platform/audit.ts';
import { AppError } from '../../../platform/errors.ts';
import { ensure, type Caller } from '../../../platform/permissions.ts';
import type { ApplicationFileType } from '../../../db/schema.ts';
import { enabledStaffIn } from '../../staff/service.ts';
import { toEvent, toFile, type Application, type ApplicationEvent, type ApplicationFile } from '../domain.ts';
import { documentByIdIn, documentPdfIn, documentsOfApplicationIn, type IssuedDocument } from '../documents/service.ts';
import * as appsRepo from '../repo.ts';
import { findApplicationIn, loadFor, type ApplicantCaller, type ReviewCaller } from './common.ts';
import { mailReviewer } from './mail.ts';
import * as repo from './repo.ts';
import { threadIn, type ThreadMessage } from './service.ts';

export interface FollowUp {
  application: Application;
  /** Public events only: internal notes never reach this page. */
  events: ApplicationEvent[];
  /** What the reviewer asked, while the application waits for the applicant. */
  openRequest: ApplicationEvent | null;
  messages: ThreadMessage[];
  interview: { at: Date; place: string } | null;
  documents: IssuedDocument[];
}

export async function followUp(c: ApplicantCaller, id: string): Promise<FollowUp> {
  const a = await loadFor(c, id);
  if (a.residentId !== c.principal.id) throw new AppError('notFound');
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    const events = (await appsRepo.listEvents(trx, tenantId, a.id, true)).map(toEvent);
    const files = (await appsRepo.listFiles(trx, tenantId, a.id)).map(toFile);
    const staffNames = new Map((await enabledStaffIn(trx, tenantId)).map((s) => [s.id, s.name]));
    const messages = await threadIn(trx, tenantId, a.id, files, staffNames, null);
    const openRequest = a.status === 'info_requested' ? ([...events].reverse().find((e) => e.kind === 'info_requested') ?? null) : null;
    return {
      application: a,
      events,
      openRequest,
      messages,
      interview: (await repo.findInterview(trx, tenantId, a.id)) ?? null,
      documents: await documentsOfApplicationIn(trx, tenantId, a.id),
    };
  });
}

export interface ReplyFile {
  filename: string;
  contentType: ApplicationFileType;
  bytes: Buffer;
}

/** The statuses in which the applicant may write: while the application is open. */
const CAN_REPLY = ['submitted', 'in_review', 'info_requested'] as const;

/**
 * The applicant writes (with documents, if any). While information was requested, this is the
 * answer: the application goes back to review and the clock runs again. A retried post with the
 * same key adds nothing.
 */
export async function reply(c: ApplicantCaller, id: string, input: { body: string; files: ReplyFile[]; idempotencyKey: string }): Promise<{ answered: boolean }> {
  const a = await loadFor(c, id);
  if (a.residentId !== c.principal.id) throw new AppError('notFound');
  const body = input.body.trim();
  if (body === '') throw new AppError('badRequest', 'empty reply');
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    await repo.lockApplication(trx, tenantId, id);
    const current = (await findApplicationIn(trx, tenantId, id))!;
    if (!(CAN_REPLY as readonly string[]).includes(current.status)) throw new AppError('conflict', `application is ${current.status}`);
    const m = await repo.insertMessage(trx, tenantId, { applicationId: id, authorKind: 'resident', authorId: c.principal.id, body, locale: current.locale, idempotencyKey: input.idempotencyKey });
    if (!m) return { answered: false };
    for (const f of input.files) {
      await appsRepo.insertFile(trx, tenantId, { applicationId: id, questionCode: null, messageId: m.id, filename: f.filename, contentType: f.contentType, bytes: f.bytes, uploadedByKind: 'resident', uploadedBy: c.principal.id });
    }
    const actor = { kind: 'resident' as const, id: c.principal.id };
    let answered = false;
    if (current.status === 'info_requested') {
      if (!(await appsRepo.changeStatus(trx, tenantId, id, ['info_requested'], 'in_review'))) throw new AppError('conflict');
      await appsRepo.insertEvent(trx, tenantId, {
        applicationId: id,
        kind: 'info_provided',
        public: true,
        authorKind: 'resident',
        authorId: c.principal.id,
        fromStatus: 'info_requested',
        toStatus: 'in_review',
        details: { messageId: m.id, files: input.files.length },
      });
      await recordAudit(trx, { tenantId, actor, action: 'application.infoProvided', subject: { kind: 'application', id }, ip: c.ip, details: { files: input.files.length } });
      answered = true;
    } else {
      await recordAudit(trx, { tenantId, actor, action: 'application.messageSent', subject: { kind: 'application', id }, ip: c.ip, details: { files: input.files.length } });
    }
    await mailReviewer(trx, c.tenant, c.baseUrl, current, m.id, answered);
    return { answered };
  });
}

/** A file of the application, for the review screen's preview (staff of its department). */
export async function fileForReviewer(c: ReviewCaller, id: string, fileId: string): Promise<{ file: ApplicationFile; bytes: Buffer }> {
  const a = await loadFor(c, id);
  return c.db.withTenant(c.tenant.id, async (trx) => {
    const row = /^[0-9a-f-]{36}$/i.test(fileId) ? await appsRepo.findFile(trx, c.tenant.id, a.id, fileId) : undefined;
    if (!row) throw new AppError('notFound', 'file');
    return { file: toFile(row), bytes: row.bytes };
  });
}

/** An issued document's PDF, for its holder or a reviewer of its department; the download is audited. */
export async function documentPdf(c: ReviewCaller | ApplicantCaller, id: string, documentId: string): Promise<{ document: IssuedDocument; pdf: Buffer }> {
  if (c.principal.tenantId !== c.tenant.id) throw new AppError('forbidden');
  const a = await c.db.withTenant(c.tenant.id, (trx) => findApplicationIn(trx, c.tenant.id, id));
  if (!a || a.status === 'draft') throw new AppError('notFound');
  const caller: Caller = { db: c.db, principal: c.principal, ip: c.ip };
  const resource = { kind: 'residentRecord' as const, tenantId: c.tenant.id, id: a.id, residentId: a.residentId, departmentId: a.departmentId };
  // Another resident's document looks like no document at all.
  if (c.principal.kind === 'resident' && a.residentId !== c.principal.id) throw new AppError('notFound');
  await ensure(caller, 'document.download', resource);
  return c.db.withTenant(c.tenant.id, async (trx) => {
    const doc = /^[0-9a-f-]{36}$/i.test(documentId) ? await documentByIdIn(trx, c.tenant.id, documentId) : null;
    if (!doc || doc.applicationId !== a.id) throw new AppError('notFound');
    const pdf = (await documentPdfIn(trx, c.tenant.id, doc.id))!;
    await recordAudit(trx, {
      tenantId: c.tenant.id,
      actor: { kind: c.principal.kind, id: c.principal.id },
      action: 'document.downloaded',
      subject: { kind: 'issued_document', id: doc.id },
      ip: c.ip,
    });
    return { document: doc, pdf };
  });
}
