/**
 * Renewal reminders of licences: a periodic job of the queue emails the holder once, some weeks
 * before the end, in the document's language; a licence further away, a revoked one, a document
 * without a reminder and a second run send nothing. Runs on PGlite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTown, openTestDatabase, testConfig, type TestTown } from '../../../../test/harness.ts';
import type { Database } from '../../../db/database.ts';
import { startJobs, type Jobs } from '../../../platform/jobs.ts';
import { periodicTasks, startPeriodicTasks } from '../../../platform/periodic.ts';
import { newResident, reviewTown, submittedApplication, type ReviewTown } from '../review/testing.ts';
import { RENEWAL_QUEUE, sendRenewalReminders } from './reminders.ts';
import { addDays, dayIn, issueDocumentIn, revokeDocumentIn } from './service.ts';

const silent = { info() {}, warn() {}, error() {}, debug() {} };
let db: Database;
let jobs: Jobs;
let town: TestTown;
let rt: ReviewTown;

beforeAll(async () => {
  db = await openTestDatabase();
  jobs = await startJobs({ config: testConfig(), db, logger: silent, options: { schema: `pgboss_${Math.random().toString(36).slice(2, 10)}`, work: false, sweepIntervalSeconds: 0 } });
  town = await createTestTown(db, 'Amqui');
  rt = await reviewTown(db, town);
});
afterAll(async () => {
  await jobs.stop();
  await db.close();
});

async function licence(locale: 'fr' | 'en', endsInDays: number, remind: number | null = 28) {
  const resident = await newResident(db, town, locale);
  const applicationId = await submittedApplication(db, town, rt.services.licence.slug, resident, locale);
  const today = dayIn(town.tenant.timeZone, new Date());
  const doc = await db.withTenant(town.tenant.id, (trx) =>
    issueDocumentIn(trx, {
      tenant: town.tenant,
      baseUrl: `http://${town.host}`,
      applicationId,
      residentId: resident.id,
      holderName: resident.name ?? '',
      holderAddress: '',
      locale,
      title: { fr: 'Licence de chien', en: 'Dog licence' },
      conditions: '',
      validFrom: addDays(today, endsInDays - 365),
      validUntil: addDays(today, endsInDays),
      remindDaysBefore: remind,
      issuedBy: null,
      now: new Date(),
    }),
  );
  return { doc, resident };
}

const mailsTo = (email: string) =>
  db.withTenant(town.tenant.id, (trx) => trx.selectFrom('outbox').select(['dedupe_key', 'locale', 'subject', 'body_text']).where('recipient', '=', email).where('dedupe_key', 'like', 'document:%').execute());

describe('renewal reminders', () => {
  it('is a periodic task of the job queue', () => {
    expect(periodicTasks().map((t) => t.queue)).toContain(RENEWAL_QUEUE);
  });

  it('emails a holder once, weeks before the end, in their language; not too early, not when revoked or without reminder', async () => {
    const soonFr = await licence('fr', 20);
    const soonEn = await licence('en', 27);
    const later = await licence('fr', 60);
    const revoked = await licence('en', 10);
    const none = await licence('fr', 5, null);
    await db.withTenant(town.tenant.id, (trx) => revokeDocumentIn(trx, town.tenant.id, revoked.doc.id, 'Chien décédé', new Date()));

    // Through the queue: the periodic job offered, fetched and run.
    const periodic = await startPeriodicTasks(jobs.boss, { db, config: testConfig(), logger: silent }, { work: false, timers: false, pollingIntervalSeconds: 1 });
    expect(await periodic.tick()).toContain(RENEWAL_QUEUE);
    expect(await periodic.drain()).toBeGreaterThanOrEqual(1);
    await periodic.stop();

    const fr = await mailsTo(soonFr.resident.email);
    expect(fr).toHaveLength(1);
    expect(fr[0]).toMatchObject({ dedupe_key: `document:${soonFr.doc.id}:renewal`, locale: 'fr' });
    expect(fr[0]!.subject).toContain(soonFr.doc.number);
    expect(fr[0]!.body_text).toContain(`/fr/applications/services/${rt.services.licence.slug}`);
    const en = await mailsTo(soonEn.resident.email);
    expect(en).toHaveLength(1);
    expect(en[0]!.subject).toContain('renew before');
    for (const quiet of [later, revoked, none]) expect(await mailsTo(quiet.resident.email)).toHaveLength(0);

    // A second pass, or a later day, sends nothing more.
    expect(await sendRenewalReminders(db, 'http://guichet.test', new Date(), [town.tenant.id])).toBe(0);
    expect(await sendRenewalReminders(db, 'http://guichet.test', new Date(Date.now() + 40 * 86_400_000), [town.tenant.id])).toBe(1);
    expect(await mailsTo(soonFr.resident.email)).toHaveLength(1);
    expect(await mailsTo(later.resident.email)).toHaveLength(1);
  });
});
