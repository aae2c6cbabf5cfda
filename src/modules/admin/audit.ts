/**
 * The audit trail for administrators: search it and export it as CSV. Looking at the trail is
 * itself recorded in it (who searched or exported, with which filters).
 */
import type { Bilingual } from '../../db/schema.ts';
import { recordAudit } from '../../platform/audit.ts';
import { ensure } from '../../platform/permissions.ts';
import * as audit from './repo/audit.ts';
import * as staffRepo from './repo/staff.ts';
import type { AdminCaller } from './service.ts';

export const AUDIT_PAGE_SIZE = 50;
/** The most rows one export holds; past it, the administrator narrows the filters. */
export const AUDIT_EXPORT_MAX = 50_000;

export const ACTOR_KINDS = ['staff', 'resident', 'system', 'anonymous'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** Filters as the form sends them, already checked ('' means any). */
export interface AuditFilters {
  /** YYYY-MM-DD, in the town's time zone, both days included. */
  from: string;
  to: string;
  /** '', 'kind:<actor kind>' or 'staff:<uuid>'. */
  actor: string;
  action: string;
  /** A subject's id, or a staff member's email address. */
  subject: string;
}

export const NO_FILTERS: AuditFilters = { from: '', to: '', actor: '', action: '', subject: '' };

export interface AuditEntry {
  id: string;
  at: Date;
  actor: { kind: ActorKind; id: string | null; name: string | null };
  action: string;
  /** `name` for a staff member, `names` for a department (in both languages). */
  subject: { kind: string; id: string; name: string | null; names: Bilingual | null } | null;
  ip: string | null;
  details: Record<string, unknown>;
}

export interface StaffName {
  id: string;
  name: string;
  email: string;
}

type Row = Awaited<ReturnType<typeof audit.search>>[number];

function toEntry(row: Row): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: { kind: row.actor_kind, id: row.actor_id, name: row.actor_name },
    action: row.action,
    subject:
      row.subject_kind && row.subject_id
        ? { kind: row.subject_kind, id: row.subject_id, name: row.subject_name, names: row.department_name }
        : null,
    ip: row.ip,
    details: row.details,
  };
}

function query(filters: AuditFilters, timeZone: string, staff: StaffName[]): audit.AuditQuery {
  const q: audit.AuditQuery = { timeZone };
  if (filters.from) q.from = filters.from;
  if (filters.to) q.to = filters.to;
  if (filters.actor.startsWith('kind:')) q.actorKind = filters.actor.slice(5) as ActorKind;
  if (filters.actor.startsWith('staff:')) {
    q.actorKind = 'staff';
    q.actorId = filters.actor.slice(6);
  }
  if (filters.action) q.action = filters.action;
  if (filters.subject) {
    // An email address names a staff member of the town; anything else is a subject's id as recorded.
    const byEmail = filters.subject.includes('@') ? staff.find((s) => s.email.toLowerCase() === filters.subject.toLowerCase()) : undefined;
    q.subjectId = byEmail ? byEmail.id : filters.subject;
  }
  return q;
}

/** The filters worth keeping in the trail: only those set. */
const setFilters = (filters: AuditFilters) => Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== ''));

/** The town's staff, to choose an actor in the filters. */
export async function auditStaffNames(caller: AdminCaller): Promise<StaffName[]> {
  await ensure(caller, 'audit.search');
  const tenantId = caller.tenant.id;
  return caller.db.withTenant(tenantId, (trx) => staffRepo.listNames(trx, tenantId));
}

export interface AuditPage {
  entries: AuditEntry[];
  staff: StaffName[];
  page: number;
  pages: number;
  total: number;
}

/** One page of matching events, newest first. Recorded as 'audit.viewed'. */
export async function searchAudit(caller: AdminCaller, filters: AuditFilters, page: number): Promise<AuditPage> {
  await ensure(caller, 'audit.search');
  const tenantId = caller.tenant.id;
  return caller.db.withTenant(tenantId, async (trx) => {
    const staff = await staffRepo.listNames(trx, tenantId);
    const q = query(filters, caller.tenant.timeZone, staff);
    const total = await audit.count(trx, tenantId, q);
    const pages = Math.max(Math.ceil(total / AUDIT_PAGE_SIZE), 1);
    const current = Math.min(Math.max(Math.trunc(page) || 1, 1), pages);
    const rows = await audit.search(trx, tenantId, q, AUDIT_PAGE_SIZE, (current - 1) * AUDIT_PAGE_SIZE);
    await recordAudit(trx, {
      tenantId,
      actor: { kind: 'staff', id: caller.principal.kind === 'staff' ? caller.principal.id : null },
      action: 'audit.viewed',
      ip: caller.ip,
      details: { filters: setFilters(filters), page: current },
    });
    return { entries: rows.map(toEntry), staff, page: current, pages, total };
  });
}

export type AuditExport = { ok: true; entries: AuditEntry[] } | { ok: false; error: 'tooMany'; max: number };

/** Every matching event, newest first, for a CSV file. Recorded as 'audit.exported'. */
export async function exportAudit(caller: AdminCaller, filters: AuditFilters): Promise<AuditExport> {
  await ensure(caller, 'audit.export');
  const tenantId = caller.tenant.id;
  return caller.db.withTenant(tenantId, async (trx) => {
    const staff = await staffRepo.listNames(trx, tenantId);
    const rows = await audit.search(trx, tenantId, query(filters, caller.tenant.timeZone, staff), AUDIT_EXPORT_MAX + 1);
    if (rows.length > AUDIT_EXPORT_MAX) return { ok: false, error: 'tooMany', max: AUDIT_EXPORT_MAX } as const;
    await recordAudit(trx, {
      tenantId,
      actor: { kind: 'staff', id: caller.principal.kind === 'staff' ? caller.principal.id : null },
      action: 'audit.exported',
      ip: caller.ip,
      details: { filters: setFilters(filters), rows: rows.length },
    });
    return { ok: true, entries: rows.map(toEntry) } as const;
  });
}
