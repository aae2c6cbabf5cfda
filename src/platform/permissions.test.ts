/**
 * The permission matrix: every kind of principal against every action and kind of record, in its
 * own town and across towns; and `ensure` records each refusal in the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTown, openTestDatabase, type TestTown } from '../../test/harness.ts';
import type { Database } from '../db/database.ts';
import { AppError } from './errors.ts';
import { can, ensure, RULES, type Action, type Principal, type Resource } from './permissions.ts';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const DEPT1 = 'd1';
const DEPT2 = 'd2';

const principals = {
  anonymous: { kind: 'anonymous', tenantId: A },
  resident: { kind: 'resident', tenantId: A, id: 'r1', householdMemberIds: ['m1'] },
  otherResident: { kind: 'resident', tenantId: A, id: 'r2' },
  agent1: { kind: 'staff', tenantId: A, id: 's1', role: 'agent', departmentIds: [DEPT1] },
  agent2: { kind: 'staff', tenantId: A, id: 's2', role: 'agent', departmentIds: [DEPT2] },
  manager: { kind: 'staff', tenantId: A, id: 's3', role: 'manager', departmentIds: [] },
  admin: { kind: 'staff', tenantId: A, id: 's4', role: 'admin', departmentIds: [] },
  // Town B's administrator and resident, looking at town A's things.
  adminB: { kind: 'staff', tenantId: B, id: 's9', role: 'admin', departmentIds: [] },
  residentB: { kind: 'resident', tenantId: B, id: 'r1' },
} as const satisfies Record<string, Principal>;
type Who = keyof typeof principals;
const everyone = Object.keys(principals) as Who[];

const town: Resource = { kind: 'town', tenantId: A };
const record = (over: Partial<Extract<Resource, { kind: 'residentRecord' }>> = {}): Resource => ({
  kind: 'residentRecord',
  tenantId: A,
  id: 'rec',
  residentId: 'r1',
  householdMemberId: null,
  departmentId: DEPT1,
  ...over,
});

/** Each row: an action, the resource, and exactly who may do it. */
const MATRIX: Array<[Action, Resource, Who[]]> = [
  // Staff accounts, settings, the audit trail: the town's administrators only.
  ['staff.list', town, ['admin']],
  ['staff.invite', town, ['admin']],
  ['staff.view', { kind: 'staffAccount', tenantId: A, id: 's1' }, ['admin']],
  ['staff.changeAccess', { kind: 'staffAccount', tenantId: A, id: 's1' }, ['admin']],
  ['staff.disable', { kind: 'staffAccount', tenantId: A, id: 's4' }, ['admin']],
  ['staff.resetMfa', { kind: 'staffAccount', tenantId: A, id: 's4' }, ['admin']],
  ['staff.acceptInvitation', town, ['anonymous', 'resident', 'otherResident', 'agent1', 'agent2', 'manager', 'admin']],
  ['settings.manage', town, ['admin']],
  ['audit.search', town, ['admin']],
  ['audit.export', town, ['admin']],
  // Departments: every staff member sees the list; administrators manage it.
  ['department.list', town, ['agent1', 'agent2', 'manager', 'admin']],
  ['department.create', town, ['admin']],
  ['department.manage', { kind: 'department', tenantId: A, id: DEPT1 }, ['admin']],
  // The mailbox: staff in development, administrators in production.
  ['mail.list', town, ['agent1', 'agent2', 'manager', 'admin']],
  ['mail.view', { kind: 'outboxMessage', tenantId: A, id: 'o1', production: false }, ['agent1', 'agent2', 'manager', 'admin']],
  ['mail.view', { kind: 'outboxMessage', tenantId: A, id: 'o1', production: true }, ['admin']],
  // Contact messages: anyone writes; staff read by department.
  ['contact.submit', town, ['anonymous', 'resident', 'otherResident', 'agent1', 'agent2', 'manager', 'admin']],
  ['contact.view', { kind: 'contactMessage', tenantId: A, id: 'c1', departmentId: DEPT1 }, ['agent1', 'manager', 'admin']],
  ['contact.view', { kind: 'contactMessage', tenantId: A, id: 'c1', departmentId: null }, ['manager', 'admin']],
  ['contact.list', town, ['manager', 'admin']],
  // A resident's records: their own and their household's; staff by department.
  ['record.view', record(), ['resident', 'agent1', 'manager', 'admin']],
  ['record.view', record({ departmentId: DEPT2 }), ['resident', 'agent2', 'manager', 'admin']],
  ['record.view', record({ residentId: 'r2' }), ['otherResident', 'agent1', 'manager', 'admin']],
  ['record.view', record({ residentId: 'r2', householdMemberId: 'm1' }), ['resident', 'otherResident', 'agent1', 'manager', 'admin']],
  ['record.view', record({ departmentId: null }), ['resident', 'manager', 'admin']],
  ['record.update', record(), ['agent1', 'manager', 'admin']],
  ['record.submit', record(), ['resident']],
  ['record.submit', record({ residentId: 'r2', householdMemberId: 'm1' }), ['resident', 'otherResident']],
  // A resident's profile: themselves; managers and administrators (agents through a record only).
  ['resident.viewProfile', { kind: 'residentProfile', tenantId: A, residentId: 'r1' }, ['resident', 'manager', 'admin']],
  ['resident.updateProfile', { kind: 'residentProfile', tenantId: A, residentId: 'r1' }, ['resident']],
  ['bookings.checkin', town, ['agent1', 'agent2', 'manager', 'admin']],
  // Staff booking pages: every staff member sees rosters and serves at the counter; managers and administrators manage.
  ['bookings.view', town, ['agent1', 'agent2', 'manager', 'admin']],
  ['bookings.serve', town, ['agent1', 'agent2', 'manager', 'admin']],
  ['bookings.manage', town, ['manager', 'admin']],
  ['bookings.calendarFeed', town, ['anonymous', 'resident', 'otherResident', 'agent1', 'agent2', 'manager', 'admin']],
  // The service-request staff queue: any staff member; Open311 API keys: administrators.
  // Service requests: anyone reports, follows, tracks with a private link; staff by department.
  ['request.submit', town, ['anonymous', 'resident', 'otherResident', 'agent1', 'agent2', 'manager', 'admin']],
  ['request.submitOnBehalf', town, ['agent1', 'agent2', 'manager', 'admin']],
  ['request.follow', town, ['anonymous', 'resident', 'otherResident', 'agent1', 'agent2', 'manager', 'admin']],
  ['request.track', town, ['anonymous', 'resident', 'otherResident', 'agent1', 'agent2', 'manager', 'admin']],
  ['request.view', { kind: 'serviceRequest', tenantId: A, id: 'q1', residentId: 'r1', departmentId: DEPT1 }, ['resident', 'agent1', 'manager', 'admin']],
  ['request.view', { kind: 'serviceRequest', tenantId: A, id: 'q1', residentId: null, departmentId: null }, ['manager', 'admin']],
  ['request.update', { kind: 'serviceRequest', tenantId: A, id: 'q1', residentId: 'r1', departmentId: DEPT2 }, ['agent2', 'manager', 'admin']],
  ['request.reopen', { kind: 'serviceRequest', tenantId: A, id: 'q1', residentId: 'r1', departmentId: DEPT1 }, ['resident']],
  ['requestType.manage', town, ['admin']],
  ['request.queue', town, ['agent1', 'agent2', 'manager', 'admin']],
  ['apiKey.manage', town, ['admin']],
  // Online applications (modules/applications): the builder, starting one, the review queue, issued documents.
  ['applicationService.manage', town, ['admin']],
  ['application.start', town, ['resident', 'otherResident']],
  ['application.queue', town, ['agent1', 'agent2', 'manager', 'admin']],
  ['document.download', record(), ['resident', 'agent1', 'manager', 'admin']],
  ['document.download', record({ departmentId: DEPT2, residentId: 'r2' }), ['otherResident', 'agent2', 'manager', 'admin']],
];

describe('the permission matrix', () => {
  it('covers every action', () => {
    const covered = new Set(MATRIX.map(([action]) => action));
    expect(Object.keys(RULES).filter((a) => !covered.has(a as Action))).toEqual([]);
  });

  it.each(MATRIX.map(([action, resource, allowed], i) => [`${i + 1}. ${action} on ${JSON.stringify(resource)}`, action, resource, allowed] as const))(
    '%s',
    (_name, action, resource, allowed) => {
      const got = everyone.filter((who) => (can as (p: Principal, a: Action, r?: Resource) => boolean)(principals[who], action, resource));
      expect(got.sort()).toEqual([...allowed].sort());
    },
  );

  it('lets nobody act on another town, not even its administrators', () => {
    for (const [action, resource] of MATRIX) {
      const other: Resource = { ...resource, tenantId: B };
      for (const who of everyone.filter((w) => principals[w].tenantId === A)) {
        expect(`${who} ${action}: ${(can as (p: Principal, a: Action, r?: Resource) => boolean)(principals[who], action, other)}`).toBe(`${who} ${action}: false`);
      }
    }
  });

  it('takes the principal’s own town when a town-wide action names no resource', () => {
    expect(can(principals.admin, 'staff.list')).toBe(true);
    expect(can(principals.manager, 'staff.list')).toBe(false);
    expect(can(principals.adminB, 'audit.search')).toBe(true);
    expect(can(principals.adminB, 'audit.search', { kind: 'town', tenantId: A })).toBe(false);
  });

  it('refuses a resource of the wrong kind and a principal without a town', () => {
    const wrong = { kind: 'department', tenantId: A, id: 'x' } as unknown as Extract<Resource, { kind: 'staffAccount' }>;
    expect(can(principals.admin, 'staff.view', wrong)).toBe(false);
    expect(can({ kind: 'staff', tenantId: '', id: 'x', role: 'admin', departmentIds: [] }, 'staff.list', { kind: 'town', tenantId: '' })).toBe(false);
  });
});

describe('ensure', () => {
  let db: Database;
  let a: TestTown;
  let b: TestTown;
  beforeAll(async () => {
    db = await openTestDatabase();
    a = await createTestTown(db, 'Ensure A');
    b = await createTestTown(db, 'Ensure B');
  });
  afterAll(() => db.close());

  const denials = (tenantId: string) =>
    db.withTenant(tenantId, (trx) =>
      trx.selectFrom('audit_events').select(['actor_kind', 'actor_id', 'subject_kind', 'subject_id', 'details', 'ip']).where('action', '=', 'permission.denied').execute(),
    );

  it('passes silently when allowed, and records nothing', async () => {
    const admin: Principal = { kind: 'staff', tenantId: a.tenant.id, id: '00000000-0000-4000-8000-000000000001', role: 'admin', departmentIds: [] };
    await ensure({ db, principal: admin, ip: '192.0.2.1' }, 'staff.list');
    expect(await denials(a.tenant.id)).toEqual([]);
  });

  it('throws forbidden and records the refusal with who, what and from where', async () => {
    const agent: Principal = { kind: 'staff', tenantId: a.tenant.id, id: '00000000-0000-4000-8000-000000000002', role: 'agent', departmentIds: [] };
    const target = '00000000-0000-4000-8000-000000000003';
    const err = await ensure({ db, principal: agent, ip: '192.0.2.7' }, 'staff.disable', { kind: 'staffAccount', tenantId: a.tenant.id, id: target }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('forbidden');
    expect(await denials(a.tenant.id)).toEqual([
      {
        actor_kind: 'staff',
        actor_id: agent.id,
        subject_kind: 'staff',
        subject_id: target,
        details: { action: 'staff.disable', resource: 'staffAccount' },
        ip: '192.0.2.7',
      },
    ]);
  });

  it('records a cross-town attempt in the asker’s town only, without the other town’s id', async () => {
    const adminB: Principal = { kind: 'staff', tenantId: b.tenant.id, id: '00000000-0000-4000-8000-000000000004', role: 'admin', departmentIds: [] };
    await expect(
      ensure({ db, principal: adminB, ip: null }, 'staff.view', { kind: 'staffAccount', tenantId: a.tenant.id, id: '00000000-0000-4000-8000-000000000005' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const inB = await denials(b.tenant.id);
    expect(inB).toHaveLength(1);
    expect(inB[0]).toMatchObject({ subject_id: null, details: { action: 'staff.view', resource: 'staffAccount', crossTown: true } });
    expect((await denials(a.tenant.id)).some((d) => d.actor_id === adminB.id)).toBe(false);
  });

  it('records an anonymous refusal without an actor id', async () => {
    await expect(ensure({ db, principal: { kind: 'anonymous', tenantId: a.tenant.id }, ip: null }, 'audit.export')).rejects.toBeInstanceOf(AppError);
    expect((await denials(a.tenant.id)).some((d) => d.actor_kind === 'anonymous' && d.actor_id === null)).toBe(true);
  });
});
