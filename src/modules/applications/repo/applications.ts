/** Applications, their files and their timeline: the SQL of applications, application_files, application_events. */
import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { ApplicationFileType, ApplicationPaymentStatus, ApplicationStatus } from '../../../db/schema.ts';

/** An application with its service's slug, kind and name (what every page shows). */
export function selectApplications(trx: Tx, tenantId: string) {
  return trx
    .selectFrom('applications as a')
    .innerJoin('application_services as s', (j) => j.onRef('s.tenant_id', '=', 'a.tenant_id').onRef('s.id', '=', 'a.service_id'))
    .innerJoin('application_form_versions as v', (j) => j.onRef('v.tenant_id', '=', 'a.tenant_id').onRef('v.id', '=', 'a.form_version_id'))
    .select([
      'a.id',
      'a.reference',
      'a.service_id',
      'a.form_version_id',
      'a.resident_id',
      'a.department_id',
      'a.status',
      'a.answers',
      'a.current_page',
      'a.fee_cents',
      'a.payment_status',
      'a.payment_method',
      'a.locale',
      'a.assignee_id',
      'a.submitted_at',
      'a.due_at',
      'a.decided_at',
      'a.created_at',
      'a.updated_at',
      's.slug as service_slug',
      's.kind as service_kind',
      's.name as service_name',
      'v.version',
      'v.definition',
    ])
    .where('a.tenant_id', '=', tenantId);
}

export async function findApplication(trx: Tx, tenantId: string, id: string) {
  return selectApplications(trx, tenantId).where('a.id', '=', id).executeTakeFirst();
}

export async function findApplicationByKey(trx: Tx, tenantId: string, idempotencyKey: string) {
  return selectApplications(trx, tenantId).where('a.idempotency_key', '=', idempotencyKey).executeTakeFirst();
}

export async function listForResident(trx: Tx, tenantId: string, residentId: string) {
  return selectApplications(trx, tenantId).where('a.resident_id', '=', residentId).orderBy('a.created_at', 'desc').limit(200).execute();
}

export interface NewApplication {
  reference: string;
  serviceId: string;
  formVersionId: string;
  residentId: string;
  departmentId: string | null;
  locale: 'fr' | 'en';
  idempotencyKey: string;
}

/** Inserts a draft; undefined when the reference or the key is taken (the caller looks which). */
export async function insertApplication(trx: Tx, tenantId: string, a: NewApplication) {
  return trx
    .insertInto('applications')
    .values({
      tenant_id: tenantId,
      reference: a.reference,
      service_id: a.serviceId,
      form_version_id: a.formVersionId,
      resident_id: a.residentId,
      department_id: a.departmentId,
      locale: a.locale,
      idempotency_key: a.idempotencyKey,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
}

/** Saves a draft's answers and page; false when it is no longer a draft. */
export async function saveDraftAnswers(trx: Tx, tenantId: string, id: string, answers: Record<string, unknown>, currentPage: number): Promise<boolean> {
  const r = await trx
    .updateTable('applications')
    .set({ answers: JSON.stringify(answers), current_page: currentPage, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export interface Submission {
  answers: Record<string, unknown>;
  feeCents: number;
  paymentStatus: ApplicationPaymentStatus;
  paymentMethod: 'counter' | null;
  submitKey: string;
  targetDays: number;
}

/** Draft → submitted, once: false when it was not a draft any more (a second click, another device). */
export async function markSubmitted(trx: Tx, tenantId: string, id: string, s: Submission): Promise<boolean> {
  const r = await trx
    .updateTable('applications')
    .set({
      status: 'submitted',
      answers: JSON.stringify(s.answers),
      fee_cents: s.feeCents,
      payment_status: s.paymentStatus,
      payment_method: s.paymentMethod,
      submit_key: s.submitKey,
      submitted_at: sql`now()`,
      due_at: sql`now() + make_interval(days => ${s.targetDays}::int)`,
      updated_at: sql`now()`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Moves an application between statuses if it is still in `from`; false otherwise. */
export async function changeStatus(trx: Tx, tenantId: string, id: string, from: readonly ApplicationStatus[], to: ApplicationStatus): Promise<boolean> {
  const r = await trx
    .updateTable('applications')
    .set({ status: to, updated_at: sql`now()`, ...(to === 'approved' || to === 'refused' ? { decided_at: sql`now()` } : {}) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

// ---- files ---------------------------------------------------------------------------------------

export interface NewFile {
  applicationId: string;
  questionCode: string | null;
  messageId: string | null;
  filename: string;
  contentType: ApplicationFileType;
  bytes: Buffer;
  uploadedByKind: 'resident' | 'staff';
  uploadedBy: string | null;
}

export async function insertFile(trx: Tx, tenantId: string, f: NewFile) {
  return trx
    .insertInto('application_files')
    .values({
      tenant_id: tenantId,
      application_id: f.applicationId,
      question_code: f.questionCode,
      message_id: f.messageId,
      filename: f.filename,
      content_type: f.contentType,
      bytes: f.bytes,
      size: f.bytes.length,
      uploaded_by_kind: f.uploadedByKind,
      uploaded_by: f.uploadedBy,
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
}

const FILE_META = ['id', 'application_id', 'question_code', 'message_id', 'filename', 'content_type', 'size', 'uploaded_by_kind', 'created_at'] as const;

export async function listFiles(trx: Tx, tenantId: string, applicationId: string) {
  return trx
    .selectFrom('application_files')
    .select(FILE_META)
    .where('tenant_id', '=', tenantId)
    .where('application_id', '=', applicationId)
    .orderBy('created_at')
    .execute();
}

/** One file with its bytes, only if it belongs to this application. */
export async function findFile(trx: Tx, tenantId: string, applicationId: string, fileId: string) {
  return trx
    .selectFrom('application_files')
    .select([...FILE_META, 'bytes'])
    .where('tenant_id', '=', tenantId)
    .where('application_id', '=', applicationId)
    .where('id', '=', fileId)
    .executeTakeFirst();
}

export async function deleteFile(trx: Tx, tenantId: string, applicationId: string, fileId: string): Promise<boolean> {
  const r = await trx.deleteFrom('application_files').where('tenant_id', '=', tenantId).where('application_id', '=', applicationId).where('id', '=', fileId).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

// ---- timeline ------------------------------------------------------------------------------------

export interface NewEvent {
  applicationId: string;
  kind: string;
  public: boolean;
  authorKind: 'resident' | 'staff' | 'system';
  authorId: string | null;
  fromStatus?: ApplicationStatus | null;
  toStatus?: ApplicationStatus | null;
  body?: string | null;
  bodyLocale?: 'fr' | 'en' | null;
  details?: Record<string, unknown>;
}

export async function insertEvent(trx: Tx, tenantId: string, e: NewEvent) {
  return trx
    .insertInto('application_events')
    .values({
      tenant_id: tenantId,
      application_id: e.applicationId,
      kind: e.kind,
      public: e.public,
      author_kind: e.authorKind,
      author_id: e.authorId,
      from_status: e.fromStatus ?? null,
      to_status: e.toStatus ?? null,
      body: e.body ?? null,
      body_locale: e.bodyLocale ?? null,
      details: JSON.stringify(e.details ?? {}),
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
}

export async function listEvents(trx: Tx, tenantId: string, applicationId: string, onlyPublic: boolean) {
  let q = trx
    .selectFrom('application_events')
    .select(['id', 'kind', 'public', 'author_kind', 'author_id', 'from_status', 'to_status', 'body', 'body_locale', 'details', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('application_id', '=', applicationId);
  if (onlyPublic) q = q.where('public', '=', true);
  return q.orderBy('created_at').orderBy('id').execute();
}
