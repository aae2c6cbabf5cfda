/** The review's demo content: made once (a second run changes nothing), with the interview and the licence near its end. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestTown, openTestDatabase, type TestTown } from '../../../../test/harness.ts';
import type { Database } from '../../../db/database.ts';
import { ensureDemoResident } from '../../residents/demo.ts';
import { createStaff } from '../../staff/service.ts';
import { seedApplicationsDemo } from '../demo.ts';
import { sendRenewalReminders } from '../documents/reminders.ts';
import { addDays, dayIn } from '../documents/service.ts';
import { pdfText } from '../documents/pdf-text.ts';
import { seedReviewDemo } from './demo.ts';

let db: Database;
let town: TestTown;

beforeAll(async () => {
  db = await openTestDatabase();
  town = await createTestTown(db, 'Val-des-Lacs');
  await createStaff(db, town.tenant.id, { email: 'admin@val-des-lacs.example', name: 'Camille Tremblay', role: 'admin', locale: 'fr', password: 'val-des-lacs-demo' });
  await ensureDemoResident(db, town.tenant);
  await seedApplicationsDemo(db, town.tenant);
});
afterAll(() => db.close());

it('puts the teleworker application in review with its interview, and issues a dog licence ending in three weeks, once', async () => {
  await seedReviewDemo(db, town.tenant);
  await seedReviewDemo(db, town.tenant);
  const rows = await db.withTenant(town.tenant.id, (trx) =>
    trx
      .selectFrom('applications as a')
      .innerJoin('application_services as s', (j) => j.onRef('s.tenant_id', '=', 'a.tenant_id').onRef('s.id', '=', 'a.service_id'))
      .leftJoin('application_interviews as i', (j) => j.onRef('i.tenant_id', '=', 'a.tenant_id').onRef('i.application_id', '=', 'a.id'))
      .select(['s.slug', 'a.status', 'i.place'])
      .where('a.tenant_id', '=', town.tenant.id)
      .orderBy('s.slug')
      .execute(),
  );
  expect(rows).toEqual([
    { slug: 'licence-chien', status: 'issued', place: null },
    { slug: 'programme-teletravailleurs', status: 'in_review', place: 'Hôtel de ville, salle du conseil (ou par visioconférence)' },
  ]);
  const docs = await db.withTenant(town.tenant.id, (trx) => trx.selectFrom('issued_documents').select(['valid_until', 'remind_days_before']).execute());
  expect(docs).toEqual([{ valid_until: addDays(dayIn(town.tenant.timeZone, new Date()), 21), remind_days_before: 28 }]);
  // The dog licence form asks no address: the holder's profile address is printed.
  const pdf = await db.withTenant(town.tenant.id, (trx) => trx.selectFrom('issued_documents').select('pdf').executeTakeFirstOrThrow());
  expect(pdfText(pdf.pdf).join('\n')).toContain('24, chemin du Lac-Vert');
  expect(await sendRenewalReminders(db, 'http://localhost:3000', new Date(), [town.tenant.id])).toBe(1);
});
