/**
 * Who may do what: the one permission check. Every use case starts with `ensure` (or `can` when it
 * only needs a yes or no, e.g. to hide a link). The rules, in short:
 *
 * - nobody crosses towns: a principal acts only on its own town's resources;
 * - residents: their own records and those of their household;
 * - agents: the records of their departments;
 * - managers: the records of every department of their town;
 * - administrators: everything in their town, plus staff accounts, departments, settings and the audit trail.
 *
 * `can` is pure (no database); `ensure` records each refusal in the audit trail ('permission.denied')
 * in a transaction of its own, so the record survives the error it throws. Call it before opening
 * the use case's transaction.
 */
import type { Database } from '../db/database.ts';
import { recordAudit, type AuditEvent } from './audit.ts';
import { AppError } from './errors.ts';

export type StaffRole = 'agent' | 'manager' | 'admin';

export type Principal =
  | { kind: 'anonymous'; tenantId: string }
  | {
      kind: 'resident';
      tenantId: string;
      id: string;
      /** The people the resident acts for (household_members ids); their records are the resident's too. */
      householdMemberIds?: readonly string[];
    }
  | {
      kind: 'staff';
      tenantId: string;
      id: string;
      role: StaffRole;
      /** The departments an agent works in; managers and administrators see every department. */
      departmentIds: readonly string[];
    };

export type StaffPrincipalOf = Extract<Principal, { kind: 'staff' }>;

/** What a permission is asked about. Every resource names its town. */
export type Resource =
  /** The town as a whole: its lists, its settings, its audit trail. */
  | { kind: 'town'; tenantId: string }
  | { kind: 'staffAccount'; tenantId: string; id: string }
  | { kind: 'department'; tenantId: string; id: string }
  /** A message of the outbox, as the development mailbox shows it. */
  | { kind: 'outboxMessage'; tenantId: string; id: string; production: boolean }
  | { kind: 'contactMessage'; tenantId: string; id: string; departmentId: string | null }
  /**
   * Anything a resident has with the town (request, application, booking, pass, receipt, message):
   * whose it is, for which household member if any, and which department handles it.
   */
  | {
      kind: 'residentRecord';
      tenantId: string;
      id: string;
      residentId: string;
      householdMemberId?: string | null;
      departmentId: string | null;
    }
  /** A resident's profile (name, email, phone, address, household). */
  | { kind: 'residentProfile'; tenantId: string; residentId: string }
  /** A service request (modules/requests): whose it is (null: anonymous or by email) and its department. */
  | { kind: 'serviceRequest'; tenantId: string; id: string; residentId: string | null; departmentId: string | null };

export type ResourceKind = Resource['kind'];
type ResourceOf<K extends ResourceKind> = Extract<Resource, { kind: K }>;

interface Rule<K extends ResourceKind> {
  resource: K;
  allow: (principal: Principal, resource: ResourceOf<K>) => boolean;
}

const rule = <K extends ResourceKind>(resource: K, allow: Rule<K>['allow']): Rule<K> => ({ resource, allow });

const isStaff = (p: Principal): p is StaffPrincipalOf => p.kind === 'staff';
const isAdmin = (p: Principal) => isStaff(p) && p.role === 'admin';
const isManagerOrAdmin = (p: Principal) => isStaff(p) && (p.role === 'manager' || p.role === 'admin');

/** Staff who see a departmental record: managers and administrators always, agents in its department. */
function staffSeesDepartment(p: Principal, departmentId: string | null): boolean {
  if (!isStaff(p)) return false;
  if (p.role !== 'agent') return true;
  return departmentId !== null && p.departmentIds.includes(departmentId);
}

function residentOwns(p: Principal, r: { residentId: string; householdMemberId?: string | null }): boolean {
  if (p.kind !== 'resident') return false;
  if (r.residentId === p.id) return true;
  return r.householdMemberId != null && (p.householdMemberIds ?? []).includes(r.householdMemberId);
}

/** Every action of the product and who may do it. Add a line here when a capability adds a use case. */
export const RULES = {
  // Staff accounts: administrators only.
  'staff.list': rule('town', isAdmin),
  'staff.invite': rule('town', isAdmin),
  'staff.view': rule('staffAccount', isAdmin),
  'staff.changeAccess': rule('staffAccount', isAdmin),
  'staff.disable': rule('staffAccount', isAdmin),
  'staff.resetMfa': rule('staffAccount', isAdmin),
  // Anyone holding an invitation link may accept it: the link's token is the proof, checked by the use case.
  'staff.acceptInvitation': rule('town', () => true),
  // Departments: every staff member can see the list; administrators manage it.
  'department.list': rule('town', isStaff),
  'department.create': rule('town', isAdmin),
  'department.manage': rule('department', isAdmin),
  // The audit trail and the town's settings.
  'audit.search': rule('town', isAdmin),
  'audit.export': rule('town', isAdmin),
  'settings.manage': rule('town', isAdmin),
  // The development mailbox holds residents' messages: in production, administrators only.
  'mail.list': rule('town', isStaff),
  'mail.view': rule('outboxMessage', (p, r) => isAdmin(p) || (isStaff(p) && !r.production)),
  // Messages residents send through the contact form.
  'contact.submit': rule('town', () => true),
  'contact.view': rule('contactMessage', (p, r) => staffSeesDepartment(p, r.departmentId)),
  // The list of messages: those who may open messages without a department (managers, administrators).
  'contact.list': rule('town', (p) => staffSeesDepartment(p, null)),
  // A resident's records: their own and their household's; staff by department.
  'record.view': rule('residentRecord', (p, r) => residentOwns(p, r) || staffSeesDepartment(p, r.departmentId)),
  'record.update': rule('residentRecord', (p, r) => staffSeesDepartment(p, r.departmentId)),
  'record.submit': rule('residentRecord', (p, r) => residentOwns(p, r)),
  // A resident's profile: the resident, and managers or administrators (an agent sees what a record shows).
  'resident.viewProfile': rule('residentProfile', (p, r) => (p.kind === 'resident' && p.id === r.residentId) || isManagerOrAdmin(p)),
  'resident.updateProfile': rule('residentProfile', (p, r) => p.kind === 'resident' && p.id === r.residentId),
  // The door scanner (modules/bookings/scanner): any staff member of the town checks passes in.
  'bookings.checkin': rule('town', isStaff),
  // A personal calendar feed is read by calendar apps without a session: its secret token is the proof.
  'bookings.calendarFeed': rule('town', () => true),
  // Service requests (modules/requests). Anyone may report, follow, or track with the private
  // link (the link's token is the proof, checked by the use case); staff by department.
  'request.submit': rule('town', () => true),
  'request.submitOnBehalf': rule('town', isStaff),
  'request.follow': rule('town', () => true),
  'request.track': rule('town', () => true),
  'request.view': rule('serviceRequest', (p, r) => (p.kind === 'resident' && r.residentId === p.id) || staffSeesDepartment(p, r.departmentId)),
  'request.update': rule('serviceRequest', (p, r) => staffSeesDepartment(p, r.departmentId)),
  'request.reopen': rule('serviceRequest', (p, r) => p.kind === 'resident' && r.residentId === p.id),
  'requestType.manage': rule('town', isAdmin),
  // The staff queue (modules/requests/staff): any staff member opens it; an agent sees only their
  // departments' cases in it (request.view / request.update per case). Open311 API keys: administrators.
  'request.queue': rule('town', isStaff),
  'apiKey.manage': rule('town', isAdmin),
  // Online applications (modules/applications): administrators define services and their forms;
  // signed-in residents start applications. A resident's own application is a residentRecord
  // (record.submit to fill it, record.view to read it); staff review by department (record.update).
  'applicationService.manage': rule('town', isAdmin),
  'application.start': rule('town', (p) => p.kind === 'resident'),
  // The review (modules/applications/review): any staff member opens the queue, which lists only
  // the applications they may review (record.update: their departments; managers and
  // administrators every department); issued documents are downloaded by their holder or a reviewer.
  'application.queue': rule('town', isStaff),
  'document.download': rule('residentRecord', (p, r) => residentOwns(p, r) || staffSeesDepartment(p, r.departmentId)),
  // Bookings (modules/bookings/staff): any staff member sees rosters and serves people at the
  // counter (marks paid, moves, cancels); managers and administrators run the catalogue, sessions,
  // draws, refunds and residency reviews.
  'bookings.view': rule('town', isStaff),
  'bookings.serve': rule('town', isStaff),
  'bookings.manage': rule('town', isManagerOrAdmin),
} as const;

export type Action = keyof typeof RULES;
export type ResourceKindFor<A extends Action> = (typeof RULES)[A]['resource'];
export type ResourceFor<A extends Action> = ResourceOf<ResourceKindFor<A>>;
/** Town-wide actions may leave the resource out: it is then the principal's own town. */
type ResourceArg<A extends Action> = ResourceKindFor<A> extends 'town' ? [resource?: ResourceFor<A>] : [resource: ResourceFor<A>];

function resolve(principal: Principal, action: Action, resource: Resource | undefined): Resource {
  if (resource) return resource;
  if (RULES[action].resource !== 'town') throw new Error(`${action} needs a resource`);
  return { kind: 'town', tenantId: principal.tenantId };
}

function check(principal: Principal, action: Action, resource: Resource): boolean {
  const r = RULES[action] as Rule<ResourceKind>;
  // A resource of another kind than the rule's is a programming error the types already forbid.
  if (resource.kind !== r.resource) return false;
  if (principal.tenantId !== resource.tenantId || principal.tenantId === '') return false;
  return r.allow(principal, resource);
}

/** May this principal do this? Pure: no database, no audit. */
export function can<A extends Action>(principal: Principal, action: A, ...[resource]: ResourceArg<A>): boolean {
  return check(principal, action, resolve(principal, action, resource));
}

/** Who calls a use case: the principal, the database, and where the request came from (for the audit trail). */
export interface Caller {
  db: Database;
  principal: Principal;
  /** The client's address. */
  ip: string | null;
}

function actorOf(p: Principal): AuditEvent['actor'] {
  return p.kind === 'anonymous' ? { kind: 'anonymous' } : { kind: p.kind, id: p.id };
}

function subjectOf(r: Resource): AuditEvent['subject'] | undefined {
  switch (r.kind) {
    case 'town':
      return undefined;
    case 'residentRecord':
      return { kind: 'residentRecord', id: r.id };
    case 'residentProfile':
      return { kind: 'resident', id: r.residentId };
    case 'staffAccount':
      return { kind: 'staff', id: r.id };
    case 'outboxMessage':
      return { kind: 'outbox', id: r.id };
    case 'contactMessage':
      return { kind: 'contact_message', id: r.id };
    case 'department':
      return { kind: 'department', id: r.id };
    case 'serviceRequest':
      return { kind: 'request', id: r.id };
  }
}

/**
 * Throws AppError('forbidden') unless the principal may do this, after recording the refusal in
 * the principal's town's audit trail. Must be called outside any transaction (it opens its own).
 */
export async function ensure<A extends Action>(caller: Caller, action: A, ...[resource]: ResourceArg<A>): Promise<void> {
  const { principal } = caller;
  const target = resolve(principal, action, resource);
  if (check(principal, action, target)) return;
  if (principal.tenantId !== '') {
    const subject = principal.tenantId === target.tenantId ? subjectOf(target) : undefined;
    await caller.db.withTenant(principal.tenantId, (trx) =>
      recordAudit(trx, {
        tenantId: principal.tenantId,
        actor: actorOf(principal),
        action: 'permission.denied',
        ...(subject ? { subject } : {}),
        ip: caller.ip,
        // Another town's resource is named by its kind only: its id says nothing useful here.
        details: { action, resource: target.kind, ...(principal.tenantId === target.tenantId ? {} : { crossTown: true }) },
      }),
    );
  }
  throw new AppError('forbidden', `${action} denied`);
}
