/** The demo town's services and pre-check: seeded once (safe to repeat), each form valid, offered in both languages. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createTestTown, type TestApp, type TestTown } from '../../../test/harness.ts';
import { seedApplicationsDemo } from './demo.ts';
import { listOpenServices } from './service.ts';
import { visibility } from './engine/index.ts';

let t: TestApp;
let town: TestTown;

beforeAll(async () => {
  t = await createTestApp();
  town = await createTestTown(t.db, 'Val-des-Lacs');
});
afterAll(() => t.close());

const get = (url: string) => t.app.inject({ url, headers: { host: town.host } });

it('seeds three services and a pre-check once, in both languages', async () => {
  await seedApplicationsDemo(t.db, town.tenant);
  await seedApplicationsDemo(t.db, town.tenant);
  const open = await listOpenServices(t.db, town.tenant);
  expect(open.map((o) => [o.service.slug, o.form.version])).toEqual([
    ['licence-chien', 1],
    ['permis-renovation', 1],
    ['programme-teletravailleurs', 1],
  ]);
  const fr = await get('/fr/applications');
  expect(fr.body).toContain('Programme d’accueil des télétravailleurs');
  expect(fr.body).toContain('Ai-je besoin d’un permis de rénovation?');
  const en = await get('/en/applications/services/permis-renovation');
  expect(en.body).toContain('Residential renovation permit');
  expect(en.body).toContain('$2.50 per m²');

  // The pre-check: renovation work outside the heritage site leads to the permit's form.
  const step = await get('/en/applications/check/permis-renovation-requis/answer?at=work_kind&choice=renovation');
  expect(step.headers.location).toBe('/en/applications/check/permis-renovation-requis/q/heritage');
  const none = await get('/en/applications/check/permis-renovation-requis/answer?at=heritage');
  expect(none.statusCode).toBe(422);
  expect(none.body).toContain('Choose an answer');
  const outcome = await get('/en/applications/check/permis-renovation-requis/answer?at=heritage&choice=no');
  const page = await get(String(outcome.headers.location));
  expect(page.body).toContain('A permit is needed');
  expect(page.body).toContain('/en/applications/services/permis-renovation');
  expect((await get('/fr/applications/check/permis-renovation-requis/outcome/nothing')).statusCode).toBe(404);

  // The teleworker program asks about employment only when the situation qualifies.
  const program = open.find((o) => o.service.slug === 'programme-teletravailleurs')!.form.definition;
  expect(visibility(program, { work_situation: 'other' }).pages.has('employment')).toBe(false);
  expect(visibility(program, { work_situation: 'self_employed' }).pages.has('employment')).toBe(true);
});
