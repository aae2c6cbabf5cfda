/**
 * Online applications: the resident's use cases (start, fill page by page as a draft, attach
 * files, check the answers, submit once, read their own applications). Services and their forms
 * are defined in builder.ts; the form engine (pure TypeScript) is in engine/.
 *
 * FOR THE REVIEW SIDE (staff queue, decisions, messages, issued documents), use:
 * - domain types: Application, ApplicationFile, ApplicationEvent, ApplicationService, FormVersion,
 *   ApplicationStatus, OPEN_STATUSES (domain.ts), and the mappers toApplication, toFile, toEvent;
 * - repo (inside this module only): selectApplications (the base query with the service and form
 *   joined), findApplication, listFiles, findFile, insertFile (uploadedByKind 'staff' or a file
 *   attached to a message with messageId), insertEvent / listEvents (the timeline: public or
 *   internal), changeStatus (conditional transition, sets decided_at on approved/refused);
 * - engine: visiblePages / visibility (which answers to show), fieldMessage, formatMoney,
 *   and `answerText` below to print an answer for people;
 * - `recordEvent` below to write a timeline event; `fileForResident` / `applicationForResident` show
 *   how the resident's side checks ownership (another resident's id is a 404).
 * Permissions: staff read with 'record.view' and act with 'record.update' on a residentRecord
 * resource { id, residentId, departmentId } (src/platform/permissions.ts), like other modules.
 */
import crypto from 'node:crypto';
import type { Database, Tx } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import type { Locale } from '../../platform/i18n.ts';
import { paymentProvider } from '../../platform/payments.ts';
import { ensure, type Caller } from '../../platform/permissions.ts';
import { withFreshReference } from '../../platform/reference.ts';
import { residentPrincipal, type ResidentCaller } from '../residents/service.ts';
import type { Tenant } from '../tenants/service.ts';
import { todayIn, toApplication, toEvent, toFile, toService, toVersion, type Application, type ApplicationEvent, type ApplicationFile, type ApplicationService, type FormVersion } from './domain.ts';
import {
  checkFile,
  computeFee,
  findQuestion,
  validateAnswers,
  visibility,
  type FieldError,
  type FileContentType,
  type FileMeta,
  type RawAnswer,
  type RawAnswers,
} from './engine/index.ts';
import { mailReceipt } from './mail.ts';
import * as repo from './repo.ts';

export * from './domain.ts';
export { answerText } from './answers.ts';

/** A signed-in resident; links in emails start with publicUrl. */
export interface ApplicationCaller extends ResidentCaller {
  publicUrl: string;
}

/** The form's random key (`_idem`): base64url, 128 bits or more. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{22,64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function newIdempotencyKey(): string {
  return crypto.randomBytes(18).toString('base64url');
}

const callerOf = (c: ResidentCaller): Caller => ({ db: c.db, principal: residentPrincipal(c.tenant.id, c.resident), ip: c.ip });
const actorOf = (c: ResidentCaller) => ({ kind: 'resident' as const, id: c.resident.id });

/** The first line of every use case on one's own application. */
function ensureOwn(c: ResidentCaller, id: string, action: 'record.view' | 'record.submit') {
  return ensure(callerOf(c), action, { kind: 'residentRecord', tenantId: c.tenant.id, id, residentId: c.resident.id, departmentId: null });
}

/** The application if it is this resident's, else "not found" (another's id looks like no id). */
async function own(trx: Tx, c: ResidentCaller, id: string): Promise<Application> {
  const row = UUID.test(id) ? await repo.findApplication(trx, c.tenant.id, id) : undefined;
  if (!row || row.resident_id !== c.resident.id) throw new AppError('notFound', 'application');
  return toApplication(row);
}

/** Writes one timeline event (review side too). */
export async function recordEvent(trx: Tx, tenantId: string, event: repo.NewEvent): Promise<void> {
  await repo.insertEvent(trx, tenantId, event);
}

// ---- the catalogue -----------------------------------------------------------------------------

export interface OpenService {
  service: ApplicationService;
  /** The latest published version: what a new application is filled with. */
  form: FormVersion;
}

/** Services residents may apply for: active, with a published form. Public. */
export async function listOpenServices(db: Database, tenant: Tenant): Promise<OpenService[]> {
  return db.withTenant(tenant.id, async (trx) => {
    const out: OpenService[] = [];
    for (const s of await repo.listServices(trx, tenant.id, true)) {
      const v = await repo.latestPublished(trx, tenant.id, s.id);
      if (v) out.push({ service: toService(s), form: toVersion(v) });
    }
    return out;
  });
}

export async function findOpenService(db: Database, tenant: Tenant, slug: string): Promise<OpenService | null> {
  return db.withTenant(tenant.id, async (trx) => {
    const s = await repo.findServiceBySlug(trx, tenant.id, slug);
    if (!s || !s.active) return null;
    const v = await repo.latestPublished(trx, tenant.id, s.id);
    return v ? { service: toService(s), form: toVersion(v) } : null;
  });
}

// ---- starting and filling -----------------------------------------------------------------------

export type StartResult = { ok: true; applicationId: string; created: boolean } | { ok: false; reason: 'unknownService' };

/** Starts a draft with the latest published form. The same key starts one application (double click). */
export async function startApplication(c: ApplicationCaller, slug: string, input: { idempotencyKey: string; locale: Locale }): Promise<StartResult> {
  await ensure(callerOf(c), 'application.start');
  if (!IDEMPOTENCY_KEY.test(input.idempotencyKey)) throw new AppError('badRequest', 'idempotency key');
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    const existing = await repo.findApplicationByKey(trx, tenantId, input.idempotencyKey);
    if (existing) {
      if (existing.resident_id !== c.resident.id) throw new AppError('conflict', 'key used');
      return { ok: true as const, applicationId: existing.id, created: false };
    }
    const service = await repo.findServiceBySlug(trx, tenantId, slug);
    const form = service?.active ? await repo.latestPublished(trx, tenantId, service.id) : undefined;
    if (!service || !form) return { ok: false as const, reason: 'unknownService' as const };
    const row = await withFreshReference((reference) =>
      repo.insertApplication(trx, tenantId, {
        reference,
        serviceId: service.id,
        formVersionId: form.id,
        residentId: c.resident.id,
        departmentId: service.department_id,
        locale: input.locale,
        idempotencyKey: input.idempotencyKey,
      }),
    );
    if (!row) throw new AppError('conflict', 'application not created');
    await recordEvent(trx, tenantId, { applicationId: row.id, kind: 'started', public: true, authorKind: 'resident', authorId: c.resident.id, toStatus: 'draft' });
    await recordAudit(trx, { tenantId, actor: actorOf(c), action: 'application.started', subject: { kind: 'application', id: row.id }, ip: c.ip, details: { service: slug, version: form.version } });
    return { ok: true as const, applicationId: row.id, created: true };
  });
}

export interface ApplicationView {
  application: Application;
  files: ApplicationFile[];
  /** The public timeline. */
  events: ApplicationEvent[];
}

export async function applicationForResident(c: ResidentCaller, id: string): Promise<ApplicationView> {
  await ensureOwn(c, id, 'record.view');
  return c.db.withTenant(c.tenant.id, async (trx) => {
    const application = await own(trx, c, id);
    const files = (await repo.listFiles(trx, c.tenant.id, id)).map(toFile);
    const events = (await repo.listEvents(trx, c.tenant.id, id, true)).map(toEvent);
    return { application, files, events };
  });
}

export async function listMyApplications(c: ResidentCaller): Promise<Application[]> {
  await ensure(callerOf(c), 'resident.viewProfile', { kind: 'residentProfile', tenantId: c.tenant.id, residentId: c.resident.id });
  return c.db.withTenant(c.tenant.id, async (trx) => (await repo.listForResident(trx, c.tenant.id, c.resident.id)).map(toApplication));
}

const metaOf = (files: ApplicationFile[]): FileMeta[] => files.filter((f) => f.messageId === null).map((f) => ({ questionCode: f.questionCode, contentType: f.contentType, size: f.size }));

export type SaveResult = { ok: true; application: Application } | { ok: false; application: Application; errors: FieldError[] };

/**
 * Saves one page of a draft ("next" and "save as draft" both come here): the page's answers are
 * merged into the draft whatever they hold, then checked; errors come back for the page to show.
 * Fields not on the page are not touched; unknown fields are ignored.
 */
export async function saveDraft(c: ResidentCaller, id: string, input: { pageCode: string; answers: RawAnswers; nextPage: number; check: boolean }): Promise<SaveResult> {
  await ensureOwn(c, id, 'record.submit');
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    const application = await own(trx, c, id);
    if (application.status !== 'draft') throw new AppError('conflict', 'not a draft');
    const def = application.definition;
    const page = def.pages.find((p) => p.code === input.pageCode);
    if (!page) throw new AppError('badRequest', 'page');
    const answers = { ...(application.answers as RawAnswers) };
    for (const q of page.questions) {
      if (q.kind === 'file') continue;
      const given: RawAnswer | undefined = input.answers[q.code];
      if (given === undefined || (typeof given === 'string' && given === '') || (Array.isArray(given) && given.length === 0)) delete answers[q.code];
      else answers[q.code] = given;
    }
    const files = metaOf((await repo.listFiles(trx, tenantId, id)).map(toFile));
    const pageIndex = Math.max(0, Math.min(input.nextPage, def.pages.length));
    await repo.saveDraftAnswers(trx, tenantId, id, answers, pageIndex);
    await recordAudit(trx, { tenantId, actor: actorOf(c), action: 'application.draftSaved', subject: { kind: 'application', id }, ip: c.ip, details: { page: page.code } });
    const saved = { ...application, answers, currentPage: pageIndex };
    if (!input.check) return { ok: true as const, application: saved };
    const v = validateAnswers(def, answers, files, { today: todayIn(c.tenant.timeZone), only: new Set(page.questions.map((q) => q.code)) });
    return v.ok ? { ok: true as const, application: saved } : { ok: false as const, application: saved, errors: v.errors };
  });
}

export interface Review {
  application: Application;
  files: ApplicationFile[];
  /** Errors across the whole form (what submitting would refuse). */
  errors: FieldError[];
  /** The fee the answers lead to, in cents. */
  feeCents: number;
  visibleQuestions: Set<string>;
}

/** "Check your answers": the whole form validated as submitting would, and the fee. */
export async function reviewApplication(c: ResidentCaller, id: string): Promise<Review> {
  await ensureOwn(c, id, 'record.view');
  return c.db.withTenant(c.tenant.id, async (trx) => {
    const application = await own(trx, c, id);
    const files = (await repo.listFiles(trx, c.tenant.id, id)).map(toFile);
    const raw = application.answers as RawAnswers;
    const v = validateAnswers(application.definition, raw, metaOf(files), { today: todayIn(c.tenant.timeZone) });
    const feeCents = computeFee(application.definition.fee, v.answers);
    return { application, files, errors: v.errors, feeCents, visibleQuestions: visibility(application.definition, raw, metaOf(files)).questions };
  });
}

export type SubmitResult =
  | { ok: true; application: Application; created: boolean }
  | { ok: false; reason: 'invalid'; errors: FieldError[] }
  | { ok: false; reason: 'paymentMethod' | 'notDraft' };

/**
 * Submits a draft once: every rule of its form checked again here, hidden answers dropped, the fee
 * computed from the answers, the payment started, the receipt emailed. A second submit (double
 * click, other device) finds it submitted and returns it without doing anything again.
 */
export async function submitApplication(c: ApplicationCaller, id: string, input: { paymentMethod: string | null; submitKey: string }): Promise<SubmitResult> {
  await ensureOwn(c, id, 'record.submit');
  if (!IDEMPOTENCY_KEY.test(input.submitKey)) throw new AppError('badRequest', 'submit key');
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    const application = await own(trx, c, id);
    if (application.status !== 'draft') {
      return application.submittedAt ? { ok: true as const, application, created: false } : { ok: false as const, reason: 'notDraft' as const };
    }
    const files = (await repo.listFiles(trx, tenantId, id)).map(toFile);
    const v = validateAnswers(application.definition, application.answers as RawAnswers, metaOf(files), { today: todayIn(c.tenant.timeZone) });
    if (!v.ok) return { ok: false as const, reason: 'invalid' as const, errors: v.errors };
    // Files of questions now hidden are not part of the application.
    const shown = visibility(application.definition, application.answers as RawAnswers, metaOf(files)).questions;
    for (const f of files) if (f.questionCode !== null && f.messageId === null && !shown.has(f.questionCode)) await repo.deleteFile(trx, tenantId, id, f.id);
    const feeCents = computeFee(application.definition.fee, v.answers);
    let paymentStatus: 'none' | 'due' = 'none';
    let paymentMethod: 'counter' | null = null;
    if (feeCents > 0) {
      const provider = paymentProvider(input.paymentMethod ?? '');
      if (!provider) return { ok: false as const, reason: 'paymentMethod' as const };
      const outcome = provider.start({ tenantId, amountCents: feeCents, purpose: { kind: 'application', id } });
      paymentStatus = 'due';
      paymentMethod = outcome.method;
    }
    const done = await repo.markSubmitted(trx, tenantId, id, { answers: v.answers, feeCents, paymentStatus, paymentMethod, submitKey: input.submitKey, targetDays: application.definition.targetDays });
    if (!done) return { ok: true as const, application: await own(trx, c, id), created: false };
    await recordEvent(trx, tenantId, { applicationId: id, kind: 'submitted', public: true, authorKind: 'resident', authorId: c.resident.id, fromStatus: 'draft', toStatus: 'submitted', details: { feeCents } });
    await recordAudit(trx, { tenantId, actor: actorOf(c), action: 'application.submitted', subject: { kind: 'application', id }, ip: c.ip, details: { feeCents } });
    const submitted = await own(trx, c, id);
    await mailReceipt(trx, c.tenant, c.publicUrl, { email: c.resident.email, locale: submitted.locale }, submitted);
    return { ok: true as const, application: submitted, created: true };
  });
}

// ---- files ---------------------------------------------------------------------------------------

export interface Upload {
  filename: string;
  /** The type found by reading the content (never the browser's claim). */
  contentType: FileContentType;
  bytes: Buffer;
}

export type AddFileResult = { ok: true; file: ApplicationFile } | { ok: false; error: FieldError };

/** Attaches a file to a draft's file question: type and size checked against the question. */
export async function addFile(c: ResidentCaller, id: string, questionCode: string, upload: Upload): Promise<AddFileResult> {
  await ensureOwn(c, id, 'record.submit');
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    const application = await own(trx, c, id);
    if (application.status !== 'draft') throw new AppError('conflict', 'not a draft');
    const q = findQuestion(application.definition, questionCode);
    if (!q || q.kind !== 'file') throw new AppError('badRequest', 'question');
    const bad = checkFile(q, { contentType: upload.contentType, size: upload.bytes.length });
    if (bad) return { ok: false as const, error: bad };
    const already = (await repo.listFiles(trx, tenantId, id)).filter((f) => f.question_code === q.code && f.message_id === null);
    if (already.length >= q.maxFiles) return { ok: false as const, error: { question: q.code, code: 'tooManyFiles' as const, params: { max: q.maxFiles } } };
    const filename = safeFilename(upload.filename);
    const row = await repo.insertFile(trx, tenantId, { applicationId: id, questionCode: q.code, messageId: null, filename, contentType: upload.contentType, bytes: upload.bytes, uploadedByKind: 'resident', uploadedBy: c.resident.id });
    await recordAudit(trx, { tenantId, actor: actorOf(c), action: 'application.fileAdded', subject: { kind: 'application', id }, ip: c.ip, details: { question: q.code, size: upload.bytes.length } });
    return { ok: true as const, file: { id: row.id, applicationId: id, questionCode: q.code, messageId: null, filename, contentType: upload.contentType, size: upload.bytes.length, uploadedByKind: 'resident' as const, createdAt: row.created_at } };
  });
}

export async function removeFile(c: ResidentCaller, id: string, fileId: string): Promise<void> {
  await ensureOwn(c, id, 'record.submit');
  const tenantId = c.tenant.id;
  await c.db.withTenant(tenantId, async (trx) => {
    const application = await own(trx, c, id);
    if (application.status !== 'draft') throw new AppError('conflict', 'not a draft');
    if (!UUID.test(fileId) || !(await repo.deleteFile(trx, tenantId, id, fileId))) throw new AppError('notFound', 'file');
    await recordAudit(trx, { tenantId, actor: actorOf(c), action: 'application.fileRemoved', subject: { kind: 'application', id }, ip: c.ip });
  });
}

/** One of the resident's files with its bytes; another's (or a guessed id) is "not found". */
export async function fileForResident(c: ResidentCaller, id: string, fileId: string): Promise<{ file: ApplicationFile; bytes: Buffer }> {
  await ensureOwn(c, id, 'record.view');
  return c.db.withTenant(c.tenant.id, async (trx) => {
    await own(trx, c, id);
    const row = UUID.test(fileId) ? await repo.findFile(trx, c.tenant.id, id, fileId) : undefined;
    if (!row) throw new AppError('notFound', 'file');
    return { file: toFile(row), bytes: row.bytes };
  });
}

/** A name safe to show and to send back in Content-Disposition: no path, no control characters. */
export function safeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = [...base].filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f && !'"<>|:*?'.includes(ch)).join('').trim().slice(0, 200);
  return cleaned === '' ? 'document' : cleaned;
}
