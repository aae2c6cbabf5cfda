/**
 * The staff queue: one list of service requests across departments, filtered, counted per filter,
 * sorted by the time left before each type's target, paged. An agent sees only their departments'
 * cases; managers and administrators see every case of the town.
 */
import type { Bilingual, RequestStatus } from '../../../db/schema.ts';
import { ensure } from '../../../platform/permissions.ts';
import { formatReference } from '../../../platform/reference.ts';
import { departmentsIn } from '../../departments/service.ts';
import { areaIn } from '../catalogue.ts';
import * as catalogue from '../repo/catalogue.ts';
import * as repo from '../repo/queue.ts';
import type { RequestsCaller } from '../types.ts';

export const QUEUE_PAGE_SIZE = 50;
export const STATUS_FILTERS = ['open', 'new', 'acknowledged', 'in_progress', 'closed', 'all'] as const;
export const AGE_FILTERS = ['day', 'week', 'month', 'older'] as const;
/** The town's box cut in nine sectors (north-west … south-east), and cases placed by address only. */
export const AREA_FILTERS = ['nw', 'nc', 'ne', 'cw', 'cc', 'ce', 'sw', 'sc', 'se', 'none'] as const;

export type StatusFilter = (typeof STATUS_FILTERS)[number];
export type AgeFilter = (typeof AGE_FILTERS)[number];
export type AreaFilter = (typeof AREA_FILTERS)[number];

export interface QueueFilters {
  status: StatusFilter;
  /** A department id, 'none', or '' for all. */
  department: string;
  /** A type's code, or '' for all. */
  type: string;
  /** A staff id, 'me', 'none', or '' for anyone. */
  assignee: string;
  age: AgeFilter | '';
  area: AreaFilter | '';
  overdue: boolean;
}

export const NO_FILTERS: QueueFilters = { status: 'open', department: '', type: '', assignee: '', age: '', area: '', overdue: false };

export interface QueueItem {
  id: string;
  reference: string;
  type: { code: string; name: Bilingual };
  departmentId: string | null;
  status: RequestStatus;
  address: string | null;
  located: boolean;
  requestedAt: Date;
  /** When the type's target falls. */
  dueAt: Date;
  /** Milliseconds left before the target (negative: overdue); null once closed. */
  timeLeft: number | null;
  overdue: boolean;
  assignee: { id: string; name: string } | null;
  reopened: boolean;
  merged: boolean;
}

export interface Option {
  value: string;
  label: Bilingual | string;
  count: number;
}

export interface QueuePage {
  items: QueueItem[];
  total: number;
  overdue: number;
  page: number;
  pages: number;
  counts: { status: Map<string, number>; department: Option[]; type: Option[]; assignee: Option[]; age: Map<string, number>; area: Map<string, number> };
  staff: Array<{ id: string; name: string; role: string }>;
  departments: Array<{ id: string; name: Bilingual }>;
  types: Array<{ code: string; name: Bilingual }>;
}

const DAY_MS = 86_400_000;
const STATUSES: Record<StatusFilter, RequestStatus[] | null> = {
  open: ['new', 'acknowledged', 'in_progress'],
  new: ['new'],
  acknowledged: ['acknowledged'],
  in_progress: ['in_progress'],
  closed: ['closed'],
  all: null,
};

function ageRange(age: AgeFilter | '', now: number): { after: Date | null; before: Date | null } {
  const ago = (days: number) => new Date(now - days * DAY_MS);
  switch (age) {
    case 'day':
      return { after: ago(1), before: null };
    case 'week':
      return { after: ago(7), before: ago(1) };
    case 'month':
      return { after: ago(30), before: ago(7) };
    case 'older':
      return { after: null, before: ago(30) };
    default:
      return { after: null, before: null };
  }
}

/** A sector's box, open towards the outside so every point of the town falls in one sector. */
export function sectorBox(sector: Exclude<AreaFilter, 'none'>, town: repo.Box): repo.Box {
  const lat = [-90, town.minLat + (town.maxLat - town.minLat) / 3, town.minLat + (2 * (town.maxLat - town.minLat)) / 3, 90.0001];
  const lng = [-180, town.minLng + (town.maxLng - town.minLng) / 3, town.minLng + (2 * (town.maxLng - town.minLng)) / 3, 180.0001];
  const row = { s: 0, c: 1, n: 2 }[sector[0] as 's' | 'c' | 'n'];
  const col = { w: 0, c: 1, e: 2 }[sector[1] as 'w' | 'c' | 'e'];
  return { minLat: lat[row]!, maxLat: lat[row + 1]!, minLng: lng[col]!, maxLng: lng[col + 1]! };
}

export async function listQueue(c: RequestsCaller, filters: QueueFilters, page: number): Promise<QueuePage> {
  await ensure(c, 'request.queue');
  const p = c.principal;
  if (p.kind !== 'staff') throw new Error('request.queue lets staff only');
  const tenantId = c.tenant.id;
  const now = Date.now();
  return c.db.withTenant(tenantId, async (trx) => {
    const types = (await catalogue.listTypes(trx, tenantId, false)).map((t) => ({ id: t.id, code: t.service_code, name: t.name }));
    const area = await areaIn(trx, tenantId);
    const town = area ? { minLat: area.minLat, maxLat: area.maxLat, minLng: area.minLng, maxLng: area.maxLng } : null;
    const age = ageRange(filters.age, now);
    const where: repo.QueueWhere = {
      visibleDepartments: p.role === 'agent' ? p.departmentIds : null,
      statuses: STATUSES[filters.status],
      department: filters.department || null,
      typeId: filters.type ? (types.find((t) => t.code === filters.type)?.id ?? '00000000-0000-0000-0000-000000000000') : null,
      assignee: filters.assignee === 'me' ? p.id : filters.assignee || null,
      area: filters.area === 'none' ? 'none' : filters.area && town ? sectorBox(filters.area, town) : null,
      requestedAfter: age.after,
      requestedBefore: age.before,
      overdue: filters.overdue,
    };
    const total = await repo.queueCount(trx, tenantId, where);
    const pages = Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE));
    const current = Math.min(Math.max(1, page), pages);
    const rows = await repo.queuePage(trx, tenantId, where, QUEUE_PAGE_SIZE, (current - 1) * QUEUE_PAGE_SIZE);
    const staff = await repo.assignableStaff(trx, tenantId);
    const names = new Map(staff.map((s) => [s.id, s.name]));
    const departments = (await departmentsIn(trx, tenantId)).filter((d) => p.role !== 'agent' || p.departmentIds.includes(d.id));
    const facet = (f: repo.Facet) => repo.facetCounts(trx, tenantId, where, f, town);
    const [status, department, type, assignee, ageCounts, areaCounts] = [await facet('status'), await facet('department'), await facet('type'), await facet('assignee'), await facet('age'), await facet('area')];
    const overdue = await repo.overdueCount(trx, tenantId, { ...where, overdue: true });
    const statusCounts = new Map<string, number>();
    for (const f of STATUS_FILTERS) {
      const wanted = STATUSES[f];
      statusCounts.set(f, [...status].filter(([s]) => wanted === null || wanted.includes(s as RequestStatus)).reduce((n, [, v]) => n + v, 0));
    }
    return {
      items: rows.map((r) => {
        const dueAt = new Date(r.due_at);
        const open = r.status !== 'closed';
        return {
          id: r.id,
          reference: formatReference(r.reference),
          type: { code: r.service_code, name: r.type_name },
          departmentId: r.department_id,
          status: r.status,
          address: r.address,
          located: r.lat !== null,
          requestedAt: r.requested_at,
          dueAt,
          timeLeft: open ? dueAt.getTime() - now : null,
          overdue: open && dueAt.getTime() < now,
          assignee: r.assignee_id ? { id: r.assignee_id, name: names.get(r.assignee_id) ?? '' } : null,
          reopened: r.reopened,
          merged: r.merged_into !== null,
        };
      }),
      total,
      overdue,
      page: current,
      pages,
      counts: {
        status: statusCounts,
        department: [
          ...departments.map((d) => ({ value: d.id, label: d.name, count: department.get(d.id) ?? 0 })),
          ...(p.role === 'agent' ? [] : [{ value: 'none', label: '', count: department.get('none') ?? 0 }]),
        ],
        type: types.map((t) => ({ value: t.code, label: t.name, count: type.get(t.id) ?? 0 })),
        assignee: [
          { value: 'me', label: '', count: assignee.get(p.id) ?? 0 },
          { value: 'none', label: '', count: assignee.get('none') ?? 0 },
          ...staff.filter((s) => s.id !== p.id).map((s) => ({ value: s.id, label: s.name, count: assignee.get(s.id) ?? 0 })),
        ],
        age: ageCounts,
        area: areaCounts,
      },
      staff,
      departments: departments.map((d) => ({ id: d.id, name: d.name })),
      types: types.map((t) => ({ code: t.code, name: t.name })),
    };
  });
}
