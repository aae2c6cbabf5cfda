/**
 * Departments of a town and the agents who work in them. An agent sees only the records of their
 * departments (see platform/permissions.ts); this module tells who is in which department, and
 * lets administrators create, rename, deactivate and turn back on departments. Every change is audited.
 */
import type { Database, Tx } from '../../db/database.ts';
import type { Bilingual } from '../../db/schema.ts';
import { recordAudit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import type { StaffPrincipal } from '../../platform/http.ts';
import { ensure, type Caller, type StaffPrincipalOf } from '../../platform/permissions.ts';
import * as repo from './repo.ts';

export const DEPARTMENT_NAME_MAX = 120;

export interface Department {
  id: string;
  name: Bilingual;
  active: boolean;
}

export interface DepartmentSummary extends Department {
  /** How many staff members belong to it. */
  members: number;
}

export interface DepartmentDetail extends Department {
  staff: Array<{ id: string; name: string; role: StaffPrincipal['role']; disabled: boolean }>;
}

type Row = NonNullable<Awaited<ReturnType<typeof repo.findById>>>;
const toDepartment = (row: Pick<Row, 'id' | 'name' | 'active'>): Department => ({ id: row.id, name: row.name, active: row.active });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);

/**
 * The signed-in staff member as the permission check sees them: with their town and, for an agent,
 * their departments (read in the same town, so another town's memberships never count).
 */
export async function staffPrincipal(db: Database, tenantId: string, staff: StaffPrincipal): Promise<StaffPrincipalOf> {
  const departmentIds =
    staff.role === 'agent'
      ? await db.withTenant(tenantId, async (trx) => (await repo.membershipsOf(trx, tenantId, [staff.id])).map((m) => m.department_id))
      : [];
  return { kind: 'staff', tenantId, id: staff.id, role: staff.role, departmentIds };
}

/** The town's departments, for the operator's commands (no signed-in caller: the command line is the operator). */
export async function departmentsOfTown(trx: Tx, tenantId: string): Promise<Department[]> {
  return (await repo.list(trx, tenantId)).map(toDepartment);
}

/** Every department of the caller's town with its number of members; any staff member may see the list. */
export async function listDepartments(caller: Caller): Promise<DepartmentSummary[]> {
  await ensure(caller, 'department.list');
  const tenantId = caller.principal.tenantId;
  const rows = await caller.db.withTenant(tenantId, (trx) => repo.list(trx, tenantId));
  return rows.map((r) => ({ ...toDepartment(r), members: r.members ?? 0 }));
}

/** Every department with its number of members, for the administrators' page (where they also create one). */
export async function listDepartmentsToManage(caller: Caller): Promise<DepartmentSummary[]> {
  await ensure(caller, 'department.create');
  const tenantId = caller.principal.tenantId;
  const rows = await caller.db.withTenant(tenantId, (trx) => repo.list(trx, tenantId));
  return rows.map((r) => ({ ...toDepartment(r), members: r.members ?? 0 }));
}

/** One department and its members, for the administrators' page. */
export async function getDepartment(caller: Caller, id: string): Promise<DepartmentDetail> {
  const tenantId = caller.principal.tenantId;
  await ensure(caller, 'department.manage', { kind: 'department', tenantId, id });
  if (!isUuid(id)) throw new AppError('notFound');
  return caller.db.withTenant(tenantId, async (trx) => {
    const row = await repo.findById(trx, tenantId, id);
    if (!row) throw new AppError('notFound');
    const staff = await repo.members(trx, tenantId, id);
    return { ...toDepartment(row), staff: staff.map((s) => ({ id: s.id, name: s.name, role: s.role, disabled: s.disabled_at !== null })) };
  });
}

export type DepartmentNameErrors = Partial<Record<'nameFr' | 'nameEn', 'taken'>>;
export type DepartmentResult = { ok: true; department: Department } | { ok: false; errors: DepartmentNameErrors };

function clean(name: Bilingual): Bilingual {
  const fr = name.fr.trim();
  const en = name.en.trim();
  if (!fr || !en || [...fr].length > DEPARTMENT_NAME_MAX || [...en].length > DEPARTMENT_NAME_MAX) {
    throw new AppError('badRequest', 'department names are checked by the form');
  }
  return { fr, en };
}

async function nameTaken(trx: Tx, tenantId: string, name: Bilingual, exceptId?: string): Promise<DepartmentNameErrors | null> {
  const clash = await repo.findByName(trx, tenantId, name, exceptId);
  if (!clash) return null;
  return { ...(clash.sameFr ? { nameFr: 'taken' as const } : {}), ...(clash.sameEn ? { nameEn: 'taken' as const } : {}) };
}

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';

export async function createDepartment(caller: Caller, input: Bilingual): Promise<DepartmentResult> {
  await ensure(caller, 'department.create');
  const name = clean(input);
  const tenantId = caller.principal.tenantId;
  try {
    return await caller.db.withTenant(tenantId, async (trx) => {
      const taken = await nameTaken(trx, tenantId, name);
      if (taken) return { ok: false, errors: taken } as const;
      const row = await repo.insert(trx, tenantId, name);
      await recordAudit(trx, {
        tenantId,
        actor: { kind: 'staff', id: caller.principal.kind === 'staff' ? caller.principal.id : null },
        action: 'department.created',
        subject: { kind: 'department', id: row.id },
        ip: caller.ip,
        details: { name },
      });
      return { ok: true, department: toDepartment(row) } as const;
    });
  } catch (err) {
    // Two administrators creating the same name at the same moment: the unique index decides.
    if (isUniqueViolation(err)) return { ok: false, errors: { nameFr: 'taken', nameEn: 'taken' } };
    throw err;
  }
}

export async function renameDepartment(caller: Caller, id: string, input: Bilingual): Promise<DepartmentResult> {
  const tenantId = caller.principal.tenantId;
  await ensure(caller, 'department.manage', { kind: 'department', tenantId, id });
  if (!isUuid(id)) throw new AppError('notFound');
  const name = clean(input);
  try {
    return await caller.db.withTenant(tenantId, async (trx) => {
      const row = await repo.findById(trx, tenantId, id);
      if (!row) throw new AppError('notFound');
      const taken = await nameTaken(trx, tenantId, name, id);
      if (taken) return { ok: false, errors: taken } as const;
      if (row.name.fr !== name.fr || row.name.en !== name.en) {
        await repo.rename(trx, tenantId, id, name);
        await recordAudit(trx, {
          tenantId,
          actor: { kind: 'staff', id: caller.principal.kind === 'staff' ? caller.principal.id : null },
          action: 'department.renamed',
          subject: { kind: 'department', id },
          ip: caller.ip,
          details: { from: row.name, to: name },
        });
      }
      return { ok: true, department: { ...toDepartment(row), name } } as const;
    });
  } catch (err) {
    if (isUniqueViolation(err)) return { ok: false, errors: { nameFr: 'taken', nameEn: 'taken' } };
    throw err;
  }
}

/** Deactivates a department (it keeps its history and members, takes no new ones) or turns it back on. */
export async function setDepartmentActive(caller: Caller, id: string, active: boolean): Promise<Department> {
  const tenantId = caller.principal.tenantId;
  await ensure(caller, 'department.manage', { kind: 'department', tenantId, id });
  if (!isUuid(id)) throw new AppError('notFound');
  return caller.db.withTenant(tenantId, async (trx) => {
    const row = await repo.findById(trx, tenantId, id);
    if (!row) throw new AppError('notFound');
    if (row.active !== active) {
      await repo.setActive(trx, tenantId, id, active);
      await recordAudit(trx, {
        tenantId,
        actor: { kind: 'staff', id: caller.principal.kind === 'staff' ? caller.principal.id : null },
        action: active ? 'department.activated' : 'department.deactivated',
        subject: { kind: 'department', id },
        ip: caller.ip,
      });
    }
    return { ...toDepartment(row), active };
  });
}

// For other modules' use cases, inside their transaction (they have checked permission already).

/** Every department of the town (active or not), by French name. */
export async function departmentsIn(trx: Tx, tenantId: string): Promise<Department[]> {
  return (await repo.list(trx, tenantId)).map(toDepartment);
}

/** The department ids of each staff member given (an empty list for those in none). */
export async function departmentIdsByStaff(trx: Tx, tenantId: string, staffIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(staffIds.map((id) => [id, []]));
  for (const m of await repo.membershipsOf(trx, tenantId, staffIds)) out.get(m.staff_id)?.push(m.department_id);
  return out;
}

/**
 * Sets a staff member's departments to exactly `wanted`. A department they are not in yet must exist
 * in the town and be active (else 'unknownDepartment'); one they stay in may be inactive.
 */
export async function setStaffDepartments(
  trx: Tx,
  tenantId: string,
  staffId: string,
  wanted: readonly string[],
): Promise<{ ok: true; added: string[]; removed: string[] } | { ok: false; error: 'unknownDepartment' }> {
  const unique = [...new Set(wanted.map((id) => id.toLowerCase()))];
  if (!unique.every(isUuid)) return { ok: false, error: 'unknownDepartment' };
  const current = (await repo.membershipsOf(trx, tenantId, [staffId])).map((m) => m.department_id);
  const added = unique.filter((id) => !current.includes(id));
  const removed = current.filter((id) => !unique.includes(id));
  const found = await repo.findByIds(trx, tenantId, added);
  if (found.length !== added.length || found.some((d) => !d.active)) return { ok: false, error: 'unknownDepartment' };
  await repo.removeMemberships(trx, tenantId, staffId, removed);
  await repo.addMemberships(trx, tenantId, staffId, added);
  return { ok: true, added, removed };
}
