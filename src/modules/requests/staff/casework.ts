/**
 * The staff case page's use cases: read a case (everything, internal notes included), write an
 * internal note (never shown to the requester or followers), assign, change the type or the
 * department. Each starts with the permission check on the case and writes its audit event.
 * Public replies, status changes and closing are the lifecycle's (../lifecycle.ts); merging is merge.ts.
 */
import type { Tx } from '../../../db/database.ts';
import type { Bilingual } from '../../../db/schema.ts';
import { recordAudit, type AuditAction } from '../../../platform/audit.ts';
import { AppError } from '../../../platform/errors.ts';
import type { Locale } from '../../../platform/i18n.ts';
import { ensure, type Action } from '../../../platform/permissions.ts';
import { parseReference } from '../../../platform/reference.ts';
import { departmentIdsByStaff, departmentsIn } from '../../departments/service.ts';
import { typeByCode } from '../catalogue.ts';
import { expectationIn } from '../expected.ts';
import { toEvent, toPhoto, toRequest } from '../map.ts';
import * as casework from '../repo/casework.ts';
import * as catalogueRepo from '../repo/catalogue.ts';
import * as queue from '../repo/queue.ts';
import * as repo from '../repo/requests.ts';
import * as timeline from '../repo/timeline.ts';
import type { Expectation, PhotoInfo, Question, RequestEvent, RequestsCaller, ServiceRequest } from '../types.ts';

export const INTERNAL_NOTE_MAX = 4000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface StaffCase {
  request: ServiceRequest;
  /** Every event, internal ones included, oldest first. */
  events: RequestEvent[];
  photos: PhotoInfo[];
  questions: Question[];
  expected: Expectation | null;
  dueAt: Date;
  /** Names of the staff members the page mentions (authors, assignee, creator). */
  staffNames: Record<string, string>;
  /** Who may be given this case: managers, administrators, and agents of its department. */
  assignable: Array<{ id: string; name: string }>;
  departments: Array<{ id: string; name: Bilingual; active: boolean }>;
  types: Array<{ code: string; name: Bilingual; active: boolean }>;
}

export type CaseError = 'required' | 'tooLong' | 'closed' | 'unknownAssignee' | 'unknownType' | 'sameType' | 'unknownDepartment' | 'sameDepartment';
export type CaseResult = { ok: true } | { ok: false; error: CaseError };

/** The case by reference (XXXX-XXXX) or id, as the permission check sees it; notFound otherwise. */
export async function caseResource(c: RequestsCaller, refOrId: string) {
  const tenantId = c.tenant.id;
  const stored = UUID.test(refOrId) ? null : parseReference(refOrId);
  if (!UUID.test(refOrId) && !stored) throw new AppError('notFound');
  const row = await c.db.withTenant(tenantId, (trx) => (stored ? repo.findByReference(trx, tenantId, stored) : repo.findById(trx, tenantId, refOrId.toLowerCase())));
  if (!row) throw new AppError('notFound');
  return { row, resource: { kind: 'serviceRequest' as const, tenantId, id: row.id, residentId: row.resident_id, departmentId: row.department_id } };
}

/** Checks the permission on the case; another department's or town's case is "not found" to the caller. */
export async function authorize(c: RequestsCaller, refOrId: string, action: Extract<Action, 'request.view' | 'request.update'>) {
  const found = await caseResource(c, refOrId);
  await ensure(c, action, found.resource);
  return found.row;
}

const staffIdOf = (c: RequestsCaller) => (c.principal.kind === 'staff' ? c.principal.id : null);

async function record(trx: Tx, c: RequestsCaller, requestId: string, action: AuditAction, details: Record<string, unknown>) {
  await recordAudit(trx, { tenantId: c.tenant.id, actor: { kind: 'staff', id: staffIdOf(c) }, action, subject: { kind: 'request', id: requestId }, ip: c.ip, details });
}

async function staffEvent(trx: Tx, c: RequestsCaller, requestId: string, kind: 'internal_note' | 'assigned' | 'type_changed' | 'department_changed', body: string | null, locale: Locale | null, details: Record<string, unknown>) {
  await timeline.insertEvent(trx, {
    tenant_id: c.tenant.id,
    request_id: requestId,
    kind,
    public: false,
    author_kind: 'staff',
    author_id: staffIdOf(c),
    body,
    body_locale: body ? locale : null,
    details: JSON.stringify(details),
  });
}

/** Who may hold a case of this department: managers and administrators, agents of the department. */
async function assignableFor(trx: Tx, tenantId: string, departmentId: string | null) {
  const staff = await queue.assignableStaff(trx, tenantId);
  const agents = staff.filter((s) => s.role === 'agent').map((s) => s.id);
  const memberships = await departmentIdsByStaff(trx, tenantId, agents);
  return staff.filter((s) => s.role !== 'agent' || (departmentId !== null && (memberships.get(s.id) ?? []).includes(departmentId)));
}

export async function getCase(c: RequestsCaller, refOrId: string): Promise<StaffCase> {
  const found = await authorize(c, refOrId, 'request.view');
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    const row = (await repo.findById(trx, tenantId, found.id))!;
    const photos = await timeline.photosOf(trx, tenantId, row.id, false);
    const events = (await timeline.eventsOf(trx, tenantId, row.id, false)).map((e) => toEvent(e, photos));
    const type = await typeByCode(trx, tenantId, row.service_code);
    const staff = await queue.assignableStaff(trx, tenantId);
    const assignable = await assignableFor(trx, tenantId, row.department_id);
    const open = row.status !== 'closed';
    const expected = open ? await expectationIn(trx, tenantId, { id: row.type_id, targetHours: row.target_hours }, row.requested_at) : null;
    const allTypes = await catalogueRepo.listTypes(trx, tenantId, false);
    return {
      request: toRequest(row),
      events,
      photos: photos.map(toPhoto),
      questions: type?.questions ?? [],
      expected,
      dueAt: new Date(row.requested_at.getTime() + row.target_hours * 3_600_000),
      staffNames: Object.fromEntries(staff.map((s) => [s.id, s.name])),
      assignable: assignable.map((s) => ({ id: s.id, name: s.name })),
      departments: (await departmentsIn(trx, tenantId)).map((d) => ({ id: d.id, name: d.name, active: d.active })),
      types: allTypes.map((t) => ({ code: t.service_code, name: t.name, active: t.active })),
    };
  });
}

/** A note for colleagues: on the case page only, never shown or sent to the requester or followers. */
export async function addInternalNote(c: RequestsCaller, refOrId: string, body: string, locale: Locale): Promise<CaseResult> {
  const row = await authorize(c, refOrId, 'request.update');
  const text = body.trim();
  if (!text) return { ok: false, error: 'required' };
  if ([...text].length > INTERNAL_NOTE_MAX) return { ok: false, error: 'tooLong' };
  await c.db.withTenant(c.tenant.id, async (trx) => {
    await staffEvent(trx, c, row.id, 'internal_note', text, locale, {});
    await repo.touch(trx, c.tenant.id, row.id);
    await record(trx, c, row.id, 'requestCase.noteAdded', { length: [...text].length });
  });
  return { ok: true };
}

/** Gives the case to a staff member (or to nobody: null). Closed cases keep their last assignee. */
export async function assignCase(c: RequestsCaller, refOrId: string, assigneeId: string | null): Promise<CaseResult> {
  const row = await authorize(c, refOrId, 'request.update');
  if (row.status === 'closed') return { ok: false, error: 'closed' };
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    if (assigneeId !== null) {
      const allowed = await assignableFor(trx, tenantId, row.department_id);
      if (!UUID.test(assigneeId) || !allowed.some((s) => s.id === assigneeId.toLowerCase())) return { ok: false, error: 'unknownAssignee' } as const;
    }
    const to = assigneeId?.toLowerCase() ?? null;
    if (to === row.assignee_id) return { ok: true } as const;
    await casework.setAssignee(trx, tenantId, row.id, to);
    await staffEvent(trx, c, row.id, 'assigned', null, null, { from: row.assignee_id, to });
    await record(trx, c, row.id, 'requestCase.assigned', { from: row.assignee_id, to });
    return { ok: true } as const;
  });
}

/** Another type (the department follows the new type's, when it has one). Answers are kept as they were. */
export async function changeType(c: RequestsCaller, refOrId: string, typeCode: string): Promise<CaseResult> {
  const row = await authorize(c, refOrId, 'request.update');
  if (row.status === 'closed') return { ok: false, error: 'closed' };
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    const type = await typeByCode(trx, tenantId, typeCode);
    if (!type || !type.active) return { ok: false, error: 'unknownType' } as const;
    if (type.id === row.type_id) return { ok: false, error: 'sameType' } as const;
    const department = type.departmentId ?? row.department_id;
    await casework.setTypeAndDepartment(trx, tenantId, row.id, type.id, department);
    const details = { fromType: row.service_code, toType: type.code, fromDepartment: row.department_id, toDepartment: department };
    await staffEvent(trx, c, row.id, 'type_changed', null, null, details);
    await record(trx, c, row.id, 'requestCase.retyped', details);
    return { ok: true } as const;
  });
}

/** Hands the case to another department (null: none). The caller may lose sight of it afterwards. */
export async function changeDepartment(c: RequestsCaller, refOrId: string, departmentId: string | null): Promise<CaseResult> {
  const row = await authorize(c, refOrId, 'request.update');
  if (row.status === 'closed') return { ok: false, error: 'closed' };
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    const to = departmentId?.toLowerCase() ?? null;
    if (to !== null) {
      const departments = await departmentsIn(trx, tenantId);
      if (!UUID.test(to) || !departments.some((d) => d.id === to && d.active)) return { ok: false, error: 'unknownDepartment' } as const;
    }
    if (to === row.department_id) return { ok: false, error: 'sameDepartment' } as const;
    await casework.setDepartment(trx, tenantId, row.id, to);
    const details = { from: row.department_id, to };
    await staffEvent(trx, c, row.id, 'department_changed', null, null, details);
    await record(trx, c, row.id, 'requestCase.departmentChanged', details);
    return { ok: true } as const;
  });
}

/** A photo of a case (public or not) for staff who may see the case; null otherwise. */
export async function getCasePhoto(c: RequestsCaller, photoId: string): Promise<{ contentType: string; bytes: Buffer } | null> {
  if (!UUID.test(photoId)) return null;
  const tenantId = c.tenant.id;
  const photo = await c.db.withTenant(tenantId, (trx) => timeline.photoBytes(trx, tenantId, photoId.toLowerCase()));
  if (!photo) return null;
  await authorize(c, photo.request_id, 'request.view');
  return { contentType: photo.content_type, bytes: photo.bytes };
}
