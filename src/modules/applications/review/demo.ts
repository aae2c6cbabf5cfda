/**
 * The review's demo content for the demo town (after the applications' own demo, which creates
 * the services): the demo resident's teleworker program application in review with its interview
 * scheduled, and their dog licence issued a year ago, ending in three weeks (so the renewal
 * reminder goes out at the next hourly run). Safe to run twice: fixed form keys, and each step
 * only acts on an application still in the status it expects.
 */
import type { Database } from '../../../db/database.ts';
import { DEMO_STEPS } from '../../demo/seed.ts';
import { staffPrincipal } from '../../departments/service.ts';
import { DEMO_RESIDENT, findDemoResident } from '../../residents/demo.ts';
import { findStaffByEmail } from '../../staff/service.ts';
import type { Tenant } from '../../tenants/service.ts';
import '../demo.ts';
import { addDays, dayIn } from '../documents/service.ts';
import { renderDocumentPdf } from '../documents/pdf.ts';
import { addFile, saveDraft, startApplication, submitApplication, type ApplicationCaller } from '../service.ts';
import * as appsRepo from '../repo.ts';
import { approve, assignReviewer, issueDocument, scheduleInterview } from './actions.ts';
import type { ReviewCaller } from './common.ts';
import { zonedDateTime } from './http.ts';

const DEMO_ADMIN = 'admin@val-des-lacs.example';

/** A small real PDF to stand for the documents the resident attached. */
async function attachment(tenant: Tenant, title: string): Promise<Buffer> {
  return renderDocumentPdf({
    locale: 'fr',
    town: tenant.name,
    timeZone: tenant.timeZone,
    title: { fr: title, en: title },
    number: '0000-00000',
    holderName: DEMO_RESIDENT.name,
    holderAddress: '',
    conditions: '',
    validFrom: dayIn(tenant.timeZone, new Date()),
    validUntil: null,
    issuedAt: new Date(),
    verifyUrl: 'https://example.org/',
  });
}

/** Starts (or finds) the application with this fixed key, fills its pages and submits it; null if it was already past that. */
async function submitted(c: ApplicationCaller, slug: string, key: string, pages: Array<[string, Record<string, unknown>]>, file: [string, Buffer], payment: 'counter' | null): Promise<string | null> {
  const started = await startApplication(c, slug, { idempotencyKey: key, locale: 'fr' });
  if (!started.ok) return null;
  const id = started.applicationId;
  const current = await c.db.withTenant(c.tenant.id, (trx) => appsRepo.findApplication(trx, c.tenant.id, id));
  if (current?.status !== 'draft') return current?.status === 'submitted' ? id : null;
  for (const [i, [page, answers]] of pages.entries()) await saveDraft(c, id, { pageCode: page, answers: answers as never, nextPage: i + 1, check: false });
  await addFile(c, id, file[0], { filename: `${file[0]}.pdf`, contentType: 'application/pdf', bytes: file[1] });
  const done = await submitApplication(c, id, { paymentMethod: payment, submitKey: `${key}-submit` });
  return done.ok ? id : null;
}

export async function seedReviewDemo(db: Database, tenant: Tenant): Promise<void> {
  const admin = await findStaffByEmail(db, tenant.id, DEMO_ADMIN);
  const resident = await findDemoResident(db, tenant);
  if (!admin || !resident) return;
  const base = 'http://localhost:3000';
  const staff: ReviewCaller = { db, tenant, principal: await staffPrincipal(db, tenant.id, admin), ip: null, baseUrl: base };
  const applicant: ApplicationCaller = { db, tenant, resident, ip: null, publicUrl: base };
  const today = dayIn(tenant.timeZone, new Date());

  const program = await submitted(
    applicant,
    'programme-teletravailleurs',
    'demo-review-teleworkers-0001',
    [
      ['eligibility', { work_situation: 'remote_employee', move_date: addDays(today, 60), age: '34' }],
      ['employment', { employer: 'Studio Nordique inc.', employer_city: 'Montréal' }],
      ['household', { household_size: '3', phone: '418 555-0142' }],
    ],
    ['employment_proof', await attachment(tenant, 'Lettre de l’employeur')],
    null,
  );
  if (program) {
    await assignReviewer(staff, program, admin.id);
    const at = zonedDateTime(addDays(today, 7), '14:00', tenant.timeZone)!;
    await scheduleInterview(staff, program, at, 'Hôtel de ville, salle du conseil (ou par visioconférence)');
  }

  const licence = await submitted(
    applicant,
    'licence-chien',
    'demo-review-dog-licence-0001',
    [
      ['dog', { dog_name: 'Biscuit', breed: 'Golden retriever', birth_year: '2021', sex: 'female', sterilized: 'yes', vaccinated: 'yes' }],
      ['proof', {}],
    ],
    ['vaccine_proof', await attachment(tenant, 'Certificat de vaccination')],
    'counter',
  );
  if (licence) {
    await approve(staff, licence, 'Porter la médaille en tout temps. Tenir en laisse dans les parcs.');
    // Issued as if a year ago: it ends in three weeks, inside the renewal reminder's window.
    await issueDocument(staff, licence, { validFrom: addDays(today, -344), validUntil: addDays(today, 21) });
  }
}

DEMO_STEPS.push(seedReviewDemo);
