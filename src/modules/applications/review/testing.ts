/**
 * For tests of the review: a town with two departments, a reviewer in each, an administrator,
 * three services (a permit, a dog licence, a program with an interview step), submitted
 * applications, and signed-in residents for the follow-up pages.
 */
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../../db/database.ts';
import type { TestTown } from '../../../../test/harness.ts';
import { createResidentSession } from '../../../platform/auth/session.ts';
import type { ResidentPrincipal } from '../../../platform/http.ts';
import { makeResidents } from '../../bookings/testing.ts';
import { createDepartment, setStaffDepartments } from '../../departments/service.ts';
import { browser, type Browser } from '../../residents/testing.ts';
import { createStaff } from '../../staff/service.ts';
import { signInCookie } from '../../staff/testing.ts';
import { createService, publishVersion, type StaffCaller } from '../builder.ts';
import type { ApplicationServiceKind } from '../domain.ts';
import type { FormDefinition } from '../engine/index.ts';
import { saveDraft, startApplication, submitApplication } from '../service.ts';
import { adminCaller, newKey, residentCaller } from '../testing.ts';

export const STAFF_PASSWORD = 'une phrase de passe pour les tests';
/** The password ../testing.ts gives administrators. */
export const ADMIN_PASSWORD = 'une phrase de passe de test';
const b = (fr: string, en: string) => ({ fr, en });

export function reviewDefinition(options: { interview?: boolean } = {}): FormDefinition {
  return {
    pages: [
      {
        code: 'about',
        title: b('Votre demande', 'Your application'),
        intro: b('', ''),
        showIf: null,
        questions: [
          { code: 'where', kind: 'address', label: b('Adresse', 'Address'), help: b('', ''), required: true, showIf: null },
          { code: 'details', kind: 'text', label: b('Précisions', 'Details'), help: b('', ''), required: false, showIf: null, multiline: true, minLength: null, maxLength: 500, pattern: null },
        ],
      },
    ],
    documents: [],
    fee: { kind: 'none' },
    steps: options.interview ? [{ code: 'interview', label: b('Entrevue', 'Interview') }] : [],
    targetDays: 10,
  };
}

export interface ReviewTown {
  town: TestTown;
  admin: StaffCaller;
  adminEmail: string;
  departments: { permits: string; works: string };
  /** An agent of the permits department (reviews the three services). */
  reviewer: { id: string; email: string };
  /** An agent of the public works department (reviews none of them). */
  outsider: { id: string; email: string };
  services: Record<'permit' | 'licence' | 'program', { id: string; slug: string }>;
}

async function agent(db: Database, town: TestTown, name: string, departmentId: string) {
  const email = `${name.toLowerCase()}.${crypto.randomBytes(3).toString('hex')}@example.test`;
  const staff = await createStaff(db, town.tenant.id, { email, name, role: 'agent', locale: 'fr', password: STAFF_PASSWORD });
  await db.withTenant(town.tenant.id, (trx) => setStaffDepartments(trx, town.tenant.id, staff.id, [departmentId]));
  return { id: staff.id, email };
}

async function service(admin: StaffCaller, kind: ApplicationServiceKind, name: { fr: string; en: string }, departmentId: string, interview = false) {
  const slug = `${kind}-${crypto.randomBytes(3).toString('hex')}`;
  const created = await createService(admin, { slug, kind, name, summary: b('', ''), departmentId, targetDays: 10, active: true }, reviewDefinition({ interview }));
  if (!created.ok) throw new Error('service not created');
  const published = await publishVersion(admin, created.service.id);
  if (!published.ok) throw new Error('service not published');
  return { id: created.service.id, slug };
}

export async function reviewTown(db: Database, town: TestTown): Promise<ReviewTown> {
  const admin = await adminCaller(db, town.tenant);
  const adminEmail = (await db.withTenant(town.tenant.id, (trx) => trx.selectFrom('staff_users').select('email').where('id', '=', admin.principal.kind === 'staff' ? admin.principal.id : '').executeTakeFirstOrThrow())).email;
  const dept = async (fr: string, en: string) => {
    const r = await createDepartment(admin, { fr, en });
    if (!r.ok) throw new Error('department not created');
    return r.department.id;
  };
  const permits = await dept(`Urbanisme ${crypto.randomBytes(2).toString('hex')}`, `Planning ${crypto.randomBytes(2).toString('hex')}`);
  const works = await dept(`Travaux publics ${crypto.randomBytes(2).toString('hex')}`, `Public works ${crypto.randomBytes(2).toString('hex')}`);
  return {
    town,
    admin,
    adminEmail,
    departments: { permits, works },
    reviewer: await agent(db, town, 'Rita', permits),
    outsider: await agent(db, town, 'Omar', works),
    services: {
      permit: await service(admin, 'permit', b('Permis de rénovation', 'Renovation permit'), permits),
      licence: await service(admin, 'licence', b('Licence de chien', 'Dog licence'), permits),
      program: await service(admin, 'program', b('Programme télétravailleurs', 'Teleworker program'), permits, true),
    },
  };
}

/** A resident's application of `slug`, filled and submitted; returns its id. */
export async function submittedApplication(db: Database, town: TestTown, slug: string, resident: ResidentPrincipal, locale: 'fr' | 'en' = 'fr'): Promise<string> {
  const c = residentCaller(db, town.tenant, resident);
  const started = await startApplication(c, slug, { idempotencyKey: newKey(), locale });
  if (!started.ok) throw new Error('not started');
  const saved = await saveDraft(c, started.applicationId, { pageCode: 'about', answers: { where: { address: '12, rue des Érables', lot: '' }, details: 'Un chien, Rex.' }, nextPage: 1, check: true });
  if (!saved.ok) throw new Error(`draft refused: ${JSON.stringify(saved.errors)}`);
  const submitted = await submitApplication(c, started.applicationId, { paymentMethod: null, submitKey: newKey() });
  if (!submitted.ok) throw new Error(`not submitted: ${JSON.stringify(submitted)}`);
  return started.applicationId;
}

/** A new resident of the town with a name (documents print it). */
export async function newResident(db: Database, town: TestTown, locale: 'fr' | 'en', name = 'Zoé Lévesque'): Promise<ResidentPrincipal> {
  const [r] = await makeResidents(db, town.tenant.id, 1, locale);
  await db.withTenant(town.tenant.id, (trx) => trx.updateTable('residents').set({ name }).where('tenant_id', '=', town.tenant.id).where('id', '=', r!.id).execute());
  return { ...r!, name };
}

/** A browser signed in as the resident (a session made directly, as the sign-in pages would). */
export async function residentBrowser(db: Database, town: TestTown, resident: ResidentPrincipal): Promise<Browser> {
  const token = await db.withTenant(town.tenant.id, (trx) => createResidentSession(trx, town.tenant.id, resident.id));
  const br = browser(town.host);
  br.cookies.set('guichet-session', token);
  return br;
}

/** A staff browser signed in through the real sign-in pages. */
export async function staffBrowser(app: FastifyInstance, town: TestTown, email: string, lang: 'fr' | 'en', password = STAFF_PASSWORD): Promise<Browser> {
  const cookie = await signInCookie(app, town.host, email, password, lang);
  const [name, value] = cookie.split('=') as [string, string];
  const br = browser(town.host);
  br.cookies.set(name, value);
  return br;
}
