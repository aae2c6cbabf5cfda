/** The demo resident: made once with a profile and a household, then signs in with a code like anyone. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createTestTown, type TestApp, type TestTown } from '../../../test/harness.ts';
import { DEMO_RESIDENT, ensureDemoResident } from './demo.ts';
import { signInResident, visit } from './testing.ts';

let t: TestApp;
let town: TestTown;

beforeAll(async () => {
  t = await createTestApp();
  town = await createTestTown(t.db, 'Val-des-Lacs');
});
afterAll(() => t.close());

it('seeds the demo resident once, ready to sign in with a code', async () => {
  expect(await ensureDemoResident(t.db, town.tenant)).toEqual({ email: DEMO_RESIDENT.email, created: true });
  expect(await ensureDemoResident(t.db, town.tenant)).toEqual({ email: DEMO_RESIDENT.email, created: false });
  const br = await signInResident(t.app, t.db, town, DEMO_RESIDENT.email, 'en');
  const file = await visit(t.app, br, '/en/account');
  expect(file.body).toContain('Hello Dominique Bouchard!');
  const household = await visit(t.app, br, '/en/account/household');
  for (const member of DEMO_RESIDENT.household) expect(household.body).toContain(member.name);
});
