/**
 * For tests of the administration pages: a town with an administrator, a manager and two agents in
 * two departments, each with a session cookie. Sessions are opened directly (the sign-in pages
 * have their own tests); an administrator first sets up two-step verification, as the sign-in
 * would make them do, since a session of an administrator without it is not usable.
 */
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import type { TestApp, TestTown } from '../../../test/harness.ts';
import { formSession } from '../../../test/harness.ts';
import { createSession } from '../../platform/auth/session.ts';
import { createStaff, type StaffRole } from '../staff/service.ts';
import { confirmEnrolment, enrolmentSecret } from '../staff/mfa/service.ts';
import { codeAt } from '../staff/mfa/totp.ts';
import { secretBox } from '../staff/secret-box.ts';
import { createDepartment, staffPrincipal } from '../departments/service.ts';
import { changeStaffAccess } from './service.ts';

export const TEST_PASSWORD = 'une phrase de passe de test';

/** Sets up two-step verification for a staff member, as they would with their phone. */
export async function enrolMfa(t: Pick<TestApp, 'db' | 'config'>, tenantId: string, staffId: string): Promise<string> {
  const box = secretBox(t.config.sessionSecret);
  const enrolment = await enrolmentSecret(t.db, box, tenantId, staffId);
  if (enrolment.enrolled) throw new Error('already enrolled');
  const result = await confirmEnrolment(t.db, box, tenantId, staffId, { code: codeAt(enrolment.secret), ip: null });
  if (!result.ok) throw new Error(`enrolment failed: ${result.reason}`);
  return enrolment.secret;
}

/** A session cookie for this staff member ("guichet-session=<token>", or the production name). */
export async function sessionCookie(t: Pick<TestApp, 'db' | 'config'>, tenantId: string, staffId: string): Promise<string> {
  const token = await t.db.withTenant(tenantId, (trx) => createSession(trx, tenantId, staffId));
  return `${t.config.env === 'production' ? '__Host-guichet-session' : 'guichet-session'}=${token}`;
}

export interface TestPerson {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  cookie: string;
}

export interface AdminTown extends TestTown {
  admin: TestPerson;
  manager: TestPerson;
  /** Agent in department A (roads), and agent in department B (recreation). */
  agentA: TestPerson;
  agentB: TestPerson;
  departmentA: string;
  departmentB: string;
}

export async function addPerson(
  t: Pick<TestApp, 'db' | 'config'>,
  town: TestTown,
  role: StaffRole,
  name: string,
  locale: 'fr' | 'en' = 'fr',
): Promise<TestPerson> {
  const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}.${crypto.randomBytes(3).toString('hex')}@${town.host}`;
  const staff = await createStaff(t.db, town.tenant.id, { email, name, role, locale, password: TEST_PASSWORD });
  if (role === 'admin') await enrolMfa(t, town.tenant.id, staff.id);
  return { id: staff.id, email, name, role, cookie: await sessionCookie(t, town.tenant.id, staff.id) };
}

/** Puts an agent in departments, as an administrator would (through the use case). */
async function joinDepartments(db: Database, town: TestTown, admin: TestPerson, agentId: string, departmentIds: string[]) {
  const principal = await staffPrincipal(db, town.tenant.id, { id: admin.id, name: admin.name, email: admin.email, role: 'admin', locale: 'fr' });
  const result = await changeStaffAccess(
    { db, principal, ip: null, tenant: town.tenant, baseUrl: `http://${town.host}` },
    agentId,
    { role: 'agent', departmentIds },
  );
  if (!result.ok) throw new Error(`could not set departments: ${JSON.stringify(result.errors)}`);
}

export async function adminTown(t: Pick<TestApp, 'db' | 'config'>, town: TestTown): Promise<AdminTown> {
  const admin = await addPerson(t, town, 'admin', 'Adèle Admin');
  const manager = await addPerson(t, town, 'manager', 'Marc Manager', 'en');
  const agentA = await addPerson(t, town, 'agent', 'Alain Agent');
  const agentB = await addPerson(t, town, 'agent', 'Béa Agent', 'en');
  const principal = await staffPrincipal(t.db, town.tenant.id, { id: admin.id, name: admin.name, email: admin.email, role: 'admin', locale: 'fr' });
  const caller = { db: t.db, principal, ip: null };
  const a = await createDepartment(caller, { fr: 'Travaux publics', en: 'Public Works' });
  const b = await createDepartment(caller, { fr: 'Loisirs', en: 'Recreation' });
  if (!a.ok || !b.ok) throw new Error('could not create departments');
  await joinDepartments(t.db, town, admin, agentA.id, [a.department.id]);
  await joinDepartments(t.db, town, admin, agentB.id, [b.department.id]);
  return { ...town, admin, manager, agentA, agentB, departmentA: a.department.id, departmentB: b.department.id };
}

/** GET a page then POST its form like a browser (CSRF token and cookie from the page). */
export async function postForm(
  app: FastifyInstance,
  host: string,
  cookie: string,
  formPage: string,
  action: string,
  fields: Record<string, string | string[]>,
) {
  const page = await app.inject({ url: formPage, headers: { host, cookie } });
  if (page.statusCode !== 200) throw new Error(`${formPage} answered ${page.statusCode}`);
  const { token, cookie: csrfCookie } = formSession(page);
  const body = new URLSearchParams({ _csrf: token });
  for (const [k, v] of Object.entries(fields)) for (const value of Array.isArray(v) ? v : [v]) body.append(k, value);
  return app.inject({
    method: 'POST',
    url: action,
    headers: { host, cookie: `${cookie}; ${csrfCookie}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: body.toString(),
  });
}
