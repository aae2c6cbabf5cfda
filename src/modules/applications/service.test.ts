/**
 * The applications' use cases on the real database: start, save page by page, submit once, the
 * form version kept after a new publication, and another resident's application out of reach.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTown, openTestDatabase, type TestTown } from '../../../test/harness.ts';
import type { Database } from '../../db/database.ts';
import { makeResidents } from '../bookings/testing.ts';
import { publishVersion, saveDraftDefinition, serviceForBuilder, type StaffCaller } from './builder.ts';
import { applicationForResident, saveDraft, startApplication, submitApplication, addFile, fileForResident } from './service.ts';
import { adminCaller, newKey, publishedService, residentCaller } from './testing.ts';

let db: Database;
let town: TestTown;
let admin: StaffCaller;

beforeAll(async () => {
  db = await openTestDatabase();
  town = await createTestTown(db, 'Sutton');
  admin = await adminCaller(db, town.tenant);
});
afterAll(() => db.close());

const today = new Date().toISOString().slice(0, 10);
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(100, 1)]);

describe('an application from start to submission', () => {
  it('saves drafts, submits once, keeps its version', async () => {
    const { service } = await publishedService(admin);
    const [alice, bob] = await makeResidents(db, town.tenant.id, 2, 'en');
    const c = residentCaller(db, town.tenant, alice!);
    const key = newKey();
    const started = await startApplication(c, service.slug, { idempotencyKey: key, locale: 'en' });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    const again = await startApplication(c, service.slug, { idempotencyKey: key, locale: 'en' });
    expect(again).toEqual({ ok: true, applicationId: started.applicationId, created: false });
    const id = started.applicationId;

    const bad = await saveDraft(c, id, { pageCode: 'work', answers: { where: { address: '12 rue Principale', lot: '' }, extension: 'yes', area: 'lots' }, nextPage: 1, check: true });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => [e.question, e.code])).toEqual([['area', 'notNumber']]);
    const good = await saveDraft(c, id, { pageCode: 'work', answers: { where: { address: '12 rue Principale', lot: '' }, extension: 'yes', area: '40' }, nextPage: 1, check: true });
    expect(good.ok).toBe(true);
    await saveDraft(c, id, { pageCode: 'details', answers: { start: today }, nextPage: 2, check: true });

    const missingPlan = await submitApplication(c, id, { paymentMethod: 'counter', submitKey: newKey() });
    expect(missingPlan).toMatchObject({ ok: false, reason: 'invalid', errors: [{ question: 'plan', code: 'required' }] });
    const file = await addFile(c, id, 'plan', { filename: '../../plan.png', contentType: 'image/png', bytes: PNG });
    expect(file.ok).toBe(true);
    if (!file.ok) return;
    expect(file.file.filename).toBe('plan.png');

    // Another resident cannot read it nor its file, even knowing the ids.
    const other = residentCaller(db, town.tenant, bob!);
    await expect(applicationForResident(other, id)).rejects.toMatchObject({ code: 'notFound' });
    await expect(fileForResident(other, id, file.file.id)).rejects.toMatchObject({ code: 'notFound' });

    // A new version published meanwhile does not change this application.
    const builder = await serviceForBuilder(admin, service.id);
    const changed = structuredClone(builder.draft.definition);
    changed.fee = { kind: 'fixed', cents: 99_900 };
    expect((await saveDraftDefinition(admin, service.id, changed)).ok).toBe(true);
    expect((await publishVersion(admin, service.id)).ok).toBe(true);

    const [first, second] = await Promise.all([
      submitApplication(c, id, { paymentMethod: 'counter', submitKey: newKey() }),
      submitApplication(c, id, { paymentMethod: 'counter', submitKey: newKey() }),
    ]);
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect([first.created, second.created].sort()).toEqual([false, true]);
    expect(first.application.version).toBe(1);
    // $50 + 40 m² × $2.50 = $150.
    expect(first.application.feeCents).toBe(15_000);
    expect(first.application.paymentStatus).toBe('due');
    const view = await applicationForResident(c, id);
    expect(view.application.status).toBe('submitted');
    expect(view.events.map((e) => e.kind)).toEqual(['started', 'submitted']);
    const mails = await db.withTenant(town.tenant.id, (trx) => trx.selectFrom('outbox').select(['dedupe_key', 'locale']).where('tenant_id', '=', town.tenant.id).where('dedupe_key', '=', `application:${id}:submitted`).execute());
    expect(mails).toEqual([{ dedupe_key: `application:${id}:submitted`, locale: 'en' }]);
  });

  it('refuses to change a published version, in the database too', async () => {
    const { version } = await publishedService(admin);
    await expect(
      db.withTenant(town.tenant.id, (trx) => trx.updateTable('application_form_versions').set({ definition: JSON.stringify({}) }).where('tenant_id', '=', town.tenant.id).where('id', '=', version.id).execute()),
    ).rejects.toThrow(/published form version/);
  });
});
