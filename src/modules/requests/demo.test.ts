/** The demo content of service requests: bilingual types with questions, the area, open reports; safe to run twice. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestTown, openTestDatabase, type TestTown } from '../../../test/harness.ts';
import type { Database } from '../../db/database.ts';
import { seedRequestsDemo } from './demo.ts';
import * as svc from './service.ts';
import { anonymousCaller } from './testing.ts';

let db: Database;
let town: TestTown;

beforeAll(async () => {
  db = await openTestDatabase();
  town = await createTestTown(db, 'Val-des-Lacs');
});
afterAll(async () => {
  await db?.close();
});

it('seeds the demo catalogue, area and open reports, and changes nothing the second time', async () => {
  await seedRequestsDemo(db, town.tenant);
  await seedRequestsDemo(db, town.tenant);
  const types = await svc.listAllRequestTypes(db, town.tenant.id);
  expect(types.map((t) => t.code)).toEqual(['pothole', 'streetlight', 'missed-pickup', 'graffiti']);
  for (const t of types) {
    expect(t.name.fr && t.name.en && t.questions.length > 0).toBeTruthy();
    for (const q of t.questions) expect(q.label.fr && q.label.en).toBeTruthy();
  }
  const area = await svc.getTownArea(db, town.tenant.id);
  expect(area && svc.insideArea(area.center, area)).toBe(true);
  const rows = await db.withTenant(town.tenant.id, (trx) => trx.selectFrom('requests').select(['reference', 'status']).execute());
  expect(rows).toHaveLength(3);
  expect(rows.every((r) => r.status === 'new')).toBe(true);
  const near = await svc.findNearbyOpen(anonymousCaller(db, town.tenant), 'pothole', { lat: 46.9762, lng: -71.2861 });
  expect(near).toHaveLength(1);
});
