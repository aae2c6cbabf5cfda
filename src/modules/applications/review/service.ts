/**
 * The review's read side: the queue (by service, status, assignee and time left) and the review
 * screen of one application (answers as its form version asked them, documents, history with
 * internal notes, thread, interview, issued documents). State changes: ./actions.ts.
 */
import type { Bilingual } from '../../../db/schema.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { ensure } from '../../../platform/permissions.ts';
import { departmentIdsByStaff } from '../../departments/service.ts';
import { residentForSession } from '../../residents/service.ts';
import { enabledStaffIn } from '../../staff/service.ts';
import { toApplication, toEvent, toFile, type Application, type ApplicationEvent, type ApplicationFile, type ApplicationStatus } from '../domain.ts';
import { documentsOfApplicationIn, type IssuedDocument } from '../documents/service.ts';
import * as appsRepo from '../repo.ts';
import { computeClock, type Clock } from './clock.ts';
import { loadFor, staffActor, type ReviewCaller } from './common.ts';
import * as repo from './repo.ts';

export const QUEUE_STATUSES: readonly ApplicationStatus[] = ['submitted', 'in_review', 'info_requested', 'approved', 'refused', 'issued', 'withdrawn'];
/** What the queue shows when no status is picked: the applications still waiting for someone. */
export const OPEN_QUEUE: readonly ApplicationStatus[] = ['submitted', 'in_review', 'info_requested', 'approved'];
const QUEUE_LIMIT = 500;

export interface QueueFilterInput {
  serviceId: string | null;
  status: ApplicationStatus | null;
  /** 'me', 'none', a staff id, or null for anyone. */
  assignee: string | null;
  overdueOnly: boolean;
}

export interface QueueItem {
  application: Application;
  assigneeName: string | null;
  clock: Clock | null;
}

export interface Reviewer {
  id: string;
  name: string;
}

export interface Queue {
  items: QueueItem[];
  /** The viewer's applications by status (every status, whatever the filter). */
  counts: Partial<Record<ApplicationStatus, number>>;
  overdue: number;
  services: Array<{ id: string; name: Bilingual }>;
  reviewers: Reviewer[];
  truncated: boolean;
}

/** The departments a staff member reviews; null: all (managers and administrators). */
const departmentsOf = (c: ReviewCaller) => (c.principal.role === 'agent' ? c.principal.departmentIds : null);

/** Staff who may review applications of a department (null: only managers and administrators). */
function reviewersFor(staff: Array<{ id: string; name: string; role: string }>, memberships: Map<string, string[]>, departmentId: string | null): Reviewer[] {
  return staff
    .filter((s) => s.role !== 'agent' || (departmentId !== null && (memberships.get(s.id) ?? []).includes(departmentId)))
    .map((s) => ({ id: s.id, name: s.name }));
}

export async function listQueue(c: ReviewCaller, f: QueueFilterInput, now = new Date()): Promise<Queue> {
  await ensure(c, 'application.queue');
  const tenantId = c.tenant.id;
  const departmentIds = departmentsOf(c);
  return c.db.withTenant(tenantId, async (trx) => {
    const assignee = f.assignee === 'me' ? c.principal.id : f.assignee;
    const rows = await repo.queue(trx, tenantId, { serviceId: f.serviceId, statuses: f.status ? [f.status] : OPEN_QUEUE, assignee, departmentIds }, QUEUE_LIMIT + 1);
    const truncated = rows.length > QUEUE_LIMIT;
    const applications = rows.slice(0, QUEUE_LIMIT).map(toApplication);
    const events = await repo.statusEvents(trx, tenantId, applications.map((a) => a.id));
    const byApp = new Map<string, Array<{ createdAt: Date; fromStatus: ApplicationStatus | null; toStatus: ApplicationStatus | null }>>();
    for (const e of events) {
      const list = byApp.get(e.application_id) ?? [];
      list.push({ createdAt: e.created_at, fromStatus: e.from_status, toStatus: e.to_status });
      byApp.set(e.application_id, list);
    }
    const staff = await enabledStaffIn(trx, tenantId);
    const names = new Map(staff.map((s) => [s.id, s.name]));
    let items: QueueItem[] = applications.map((a) => ({
      application: a,
      assigneeName: a.assigneeId ? (names.get(a.assigneeId) ?? null) : null,
      clock: computeClock(a, byApp.get(a.id) ?? [], now),
    }));
    const overdue = items.filter((i) => i.clock?.overdue).length;
    if (f.overdueOnly) items = items.filter((i) => i.clock?.overdue);
    // Least time left first; paused and stopped clocks after the running ones.
    const rank = (i: QueueItem) => (!i.clock || i.clock.stopped ? 2 : i.clock.paused ? 1 : 0);
    items.sort((x, y) => rank(x) - rank(y) || (x.clock?.leftMs ?? 0) - (y.clock?.leftMs ?? 0));
    const counts: Partial<Record<ApplicationStatus, number>> = {};
    for (const r of await repo.countsByStatus(trx, tenantId, departmentIds, f.serviceId)) counts[r.status] = r.n;
    const services = (await repo.services(trx, tenantId))
      .filter((s) => departmentIds === null || (s.department_id !== null && departmentIds.includes(s.department_id)))
      .map((s) => ({ id: s.id, name: s.name }));
    const memberships = await departmentIdsByStaff(trx, tenantId, staff.map((s) => s.id));
    const reviewers = staff.filter((s) => s.role !== 'agent' || (memberships.get(s.id) ?? []).some((d) => departmentIds === null || departmentIds.includes(d)));
    return { items, counts, overdue, services, reviewers: reviewers.map((s) => ({ id: s.id, name: s.name })), truncated };
  });
}

export interface ThreadMessage {
  id: string;
  authorKind: 'resident' | 'staff';
  authorName: string | null;
  body: string;
  createdAt: Date;
  files: ApplicationFile[];
}

export interface Review {
  application: Application;
  applicant: { name: string | null; email: string | null };
  clock: Clock | null;
  assigneeName: string | null;
  reviewers: Reviewer[];
  /** Every event, internal notes included (staff only). */
  events: ApplicationEvent[];
  /** Files answering the form's questions. */
  files: ApplicationFile[];
  messages: ThreadMessage[];
  interview: { at: Date; place: string } | null;
  documents: IssuedDocument[];
  staffNames: Map<string, string>;
}

/** The review screen; opening it is recorded in the audit trail (who saw which application). */
export async function getReview(c: ReviewCaller, id: string, now = new Date()): Promise<Review> {
  const a = await loadFor(c, id);
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    const events = (await appsRepo.listEvents(trx, tenantId, a.id, false)).map(toEvent);
    const files = (await appsRepo.listFiles(trx, tenantId, a.id)).map(toFile);
    const staff = await enabledStaffIn(trx, tenantId);
    const staffNames = new Map(staff.map((s) => [s.id, s.name]));
    const memberships = await departmentIdsByStaff(trx, tenantId, staff.map((s) => s.id));
    const who = await residentForSession(trx, tenantId, a.residentId);
    const messages = await threadIn(trx, tenantId, a.id, files, staffNames, who?.name ?? who?.email ?? null);
    const interview = (await repo.findInterview(trx, tenantId, a.id)) ?? null;
    const documents = await documentsOfApplicationIn(trx, tenantId, a.id);
    await recordAudit(trx, { tenantId, actor: staffActor(c), action: 'application.reviewed', subject: { kind: 'application', id: a.id }, ip: c.ip });
    return {
      application: a,
      applicant: { name: who?.name ?? null, email: who?.email ?? null },
      clock: computeClock(a, events, now),
      assigneeName: a.assigneeId ? (staffNames.get(a.assigneeId) ?? null) : null,
      reviewers: reviewersFor(staff, memberships, a.departmentId),
      events,
      files: files.filter((f) => f.messageId === null),
      messages,
      interview,
      documents,
      staffNames,
    };
  });
}

/** The thread with each message's files, oldest first. */
export async function threadIn(
  trx: Parameters<typeof repo.listMessages>[0],
  tenantId: string,
  applicationId: string,
  files: ApplicationFile[],
  staffNames: Map<string, string>,
  applicantName: string | null,
): Promise<ThreadMessage[]> {
  const rows = await repo.listMessages(trx, tenantId, applicationId);
  return rows.map((m) => ({
    id: m.id,
    authorKind: m.author_kind,
    authorName: m.author_kind === 'staff' ? (m.author_id ? (staffNames.get(m.author_id) ?? null) : null) : applicantName,
    body: m.body,
    createdAt: m.created_at,
    files: files.filter((f) => f.messageId === m.id),
  }));
}
