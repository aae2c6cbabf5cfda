/**
 * The applications' domain types (what routes, views and the review side get) and the mapping from
 * rows. Row types stop here.
 */
import type { ApplicationFileType, ApplicationPaymentStatus, ApplicationServiceKind, ApplicationStatus, Bilingual } from '../../db/schema.ts';
import { definitionOf, type FormDefinition } from './engine/index.ts';
import type * as repo from './repo.ts';

export type { ApplicationFileType, ApplicationPaymentStatus, ApplicationServiceKind, ApplicationStatus };

export const APPLICATION_STATUSES: readonly ApplicationStatus[] = ['draft', 'submitted', 'in_review', 'info_requested', 'approved', 'refused', 'issued', 'withdrawn'];

/** The statuses staff work on (the queue); draft and withdrawn are not theirs. */
export const OPEN_STATUSES: readonly ApplicationStatus[] = ['submitted', 'in_review', 'info_requested'];

export interface ApplicationService {
  id: string;
  slug: string;
  kind: ApplicationServiceKind;
  name: Bilingual;
  summary: Bilingual;
  departmentId: string | null;
  targetDays: number;
  active: boolean;
  position: number;
}

export interface FormVersion {
  id: string;
  serviceId: string;
  version: number;
  definition: FormDefinition;
  /** null: the draft being edited. */
  publishedAt: Date | null;
  updatedAt: Date;
}

export interface Application {
  id: string;
  /** Stored form, 8 characters; show it with formatReference. */
  reference: string;
  service: { id: string; slug: string; kind: ApplicationServiceKind; name: Bilingual };
  formVersionId: string;
  /** The version number of the form it was filled with. */
  version: number;
  /** The form it was filled with (never a later one). */
  definition: FormDefinition;
  residentId: string;
  departmentId: string | null;
  status: ApplicationStatus;
  /** Raw answers while a draft; the engine's clean answers from submission on. */
  answers: Record<string, unknown>;
  currentPage: number;
  feeCents: number;
  paymentStatus: ApplicationPaymentStatus;
  paymentMethod: 'counter' | null;
  locale: 'fr' | 'en';
  assigneeId: string | null;
  submittedAt: Date | null;
  dueAt: Date | null;
  decidedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ApplicationFile {
  id: string;
  applicationId: string;
  questionCode: string | null;
  messageId: string | null;
  filename: string;
  contentType: ApplicationFileType;
  size: number;
  uploadedByKind: 'resident' | 'staff';
  createdAt: Date;
}

export interface ApplicationEvent {
  id: string;
  kind: string;
  public: boolean;
  authorKind: 'resident' | 'staff' | 'system';
  authorId: string | null;
  fromStatus: ApplicationStatus | null;
  toStatus: ApplicationStatus | null;
  body: string | null;
  bodyLocale: 'fr' | 'en' | null;
  details: Record<string, unknown>;
  createdAt: Date;
}

type ServiceRow = NonNullable<Awaited<ReturnType<typeof repo.findServiceById>>>;
type VersionRow = NonNullable<Awaited<ReturnType<typeof repo.findVersion>>>;
type ApplicationRow = NonNullable<Awaited<ReturnType<typeof repo.findApplication>>>;
type FileRow = Awaited<ReturnType<typeof repo.listFiles>>[number];
type EventRow = Awaited<ReturnType<typeof repo.listEvents>>[number];

export function toService(r: ServiceRow): ApplicationService {
  return {
    id: r.id,
    slug: r.slug,
    kind: r.kind,
    name: r.name,
    summary: r.summary,
    departmentId: r.department_id,
    targetDays: r.target_days,
    active: r.active,
    position: r.position,
  };
}

export function toVersion(r: VersionRow): FormVersion {
  return { id: r.id, serviceId: r.service_id, version: r.version, definition: definitionOf(r.definition), publishedAt: r.published_at, updatedAt: r.updated_at };
}

export function toApplication(r: ApplicationRow): Application {
  return {
    id: r.id,
    reference: r.reference,
    service: { id: r.service_id, slug: r.service_slug, kind: r.service_kind, name: r.service_name },
    formVersionId: r.form_version_id,
    version: r.version,
    definition: definitionOf(r.definition),
    residentId: r.resident_id,
    departmentId: r.department_id,
    status: r.status,
    answers: r.answers,
    currentPage: r.current_page,
    feeCents: r.fee_cents,
    paymentStatus: r.payment_status,
    paymentMethod: r.payment_method,
    locale: r.locale,
    assigneeId: r.assignee_id,
    submittedAt: r.submitted_at,
    dueAt: r.due_at,
    decidedAt: r.decided_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toFile(r: FileRow): ApplicationFile {
  return {
    id: r.id,
    applicationId: r.application_id,
    questionCode: r.question_code,
    messageId: r.message_id,
    filename: r.filename,
    contentType: r.content_type,
    size: r.size,
    uploadedByKind: r.uploaded_by_kind,
    createdAt: r.created_at,
  };
}

export function toEvent(r: EventRow): ApplicationEvent {
  return {
    id: r.id,
    kind: r.kind,
    public: r.public,
    authorKind: r.author_kind,
    authorId: r.author_id,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    body: r.body,
    bodyLocale: r.body_locale,
    details: r.details,
    createdAt: r.created_at,
  };
}

/** Today in the town's time zone, YYYY-MM-DD. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
