/**
 * The demo town's service requests: the four demo types (pothole, streetlight, missed pickup,
 * graffiti) with their questions, the town's area (a box north of Québec City, near Lac-Beauport),
 * and a few open reports to find as duplicates. Safe to run twice: types are updated by code, and
 * each demo report has a fixed idempotency key.
 */
import type { Database } from '../../db/database.ts';
import { DEMO_STEPS } from '../demo/seed.ts';
import type { Tenant } from '../tenants/service.ts';
import { DEMO_AREA, DEMO_TYPES } from './catalogue-demo.ts';
import { submitRequest, type ReportInput } from './report.ts';
import { defineRequestType, setTownArea } from './setup.ts';

const DEMO_REPORTS: Array<Omit<ReportInput, 'photos' | 'channel' | 'contact'> & { email: string }> = [
  {
    typeCode: 'pothole',
    location: { lat: 46.9762, lng: -71.2861 },
    address: '45, chemin du Tour-du-Lac',
    description: 'Gros trou dans la voie de droite, juste après la courbe.',
    answers: { size: 'large', lane: ['road'] },
    locale: 'fr',
    idempotencyKey: 'demo-request-pothole-tour-du-lac',
    email: 'voisine@val-des-lacs.example',
  },
  {
    typeCode: 'streetlight',
    location: { lat: 46.9741, lng: -71.2832 },
    address: 'Parc du Boisé, sentier nord',
    description: 'The light at the park entrance has been out for a week.',
    answers: { lights_out: '1' },
    locale: 'en',
    idempotencyKey: 'demo-request-streetlight-boise',
    email: 'neighbour@val-des-lacs.example',
  },
  {
    typeCode: 'graffiti',
    location: { lat: 46.9788, lng: -71.2905 },
    address: 'Abribus de la rue Principale',
    description: 'Graffiti sur la vitre de l’abribus.',
    answers: { offensive: 'no' },
    locale: 'fr',
    idempotencyKey: 'demo-request-graffiti-abribus',
    email: 'voisin@val-des-lacs.example',
  },
];

export async function seedRequestsDemo(db: Database, tenant: Tenant, publicUrl = 'http://localhost:3000'): Promise<void> {
  await db.withTenant(tenant.id, async (trx) => {
    for (const def of DEMO_TYPES) await defineRequestType(trx, tenant.id, def);
    await setTownArea(trx, tenant.id, DEMO_AREA);
  });
  const caller = { db, tenant, principal: { kind: 'anonymous' as const, tenantId: tenant.id }, ip: null, publicUrl };
  for (const { email, ...report } of DEMO_REPORTS) {
    await submitRequest(caller, { ...report, photos: [], channel: 'web', contact: { kind: 'email', email } });
  }
}

DEMO_STEPS.push(async (db, tenant) => {
  await seedRequestsDemo(db, tenant);
});
