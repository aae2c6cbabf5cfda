/** For tests of service requests: the demo catalogue in a test town, callers, and a small image. */
import sharp from 'sharp';
import type { Database } from '../../db/database.ts';
import type { ResidentPrincipal } from '../../platform/http.ts';
import type { Principal } from '../../platform/permissions.ts';
import { residentPrincipal } from '../residents/service.ts';
import type { Tenant } from '../tenants/service.ts';
import { DEMO_AREA, DEMO_TYPES } from './catalogue-demo.ts';
import { defineRequestType, setTownArea } from './setup.ts';
import type { RequestsCaller } from './types.ts';

export { DEMO_AREA, DEMO_TYPES };
export { newIdempotencyKey as newKey } from './report.ts';

/** The demo types and area in a town; returns the type ids by code. */
export async function seedCatalogue(db: Database, tenantId: string, departmentId: string | null = null): Promise<Record<string, string>> {
  return db.withTenant(tenantId, async (trx) => {
    const ids: Record<string, string> = {};
    for (const def of DEMO_TYPES) ids[def.code] = await defineRequestType(trx, tenantId, { ...def, departmentId });
    await setTownArea(trx, tenantId, DEMO_AREA);
    return ids;
  });
}

export function anonymousCaller(db: Database, tenant: Tenant): RequestsCaller {
  return { db, tenant, principal: { kind: 'anonymous', tenantId: tenant.id }, ip: null, publicUrl: 'http://guichet.test' };
}

export function residentCaller(db: Database, tenant: Tenant, resident: ResidentPrincipal): RequestsCaller & { resident: ResidentPrincipal } {
  return { db, tenant, resident, principal: residentPrincipal(tenant.id, resident), ip: null, publicUrl: 'http://guichet.test' };
}

export function staffCaller(db: Database, tenant: Tenant, staff: { id: string; role: 'agent' | 'manager' | 'admin'; departmentIds?: string[] }): RequestsCaller {
  const principal: Principal = { kind: 'staff', tenantId: tenant.id, id: staff.id, role: staff.role, departmentIds: staff.departmentIds ?? [] };
  return { db, tenant, principal, ip: null, publicUrl: 'http://guichet.test' };
}

/** A point inside the demo area. */
export const IN_TOWN = { lat: 46.975, lng: -71.285 };
/** Québec City's Old Port: outside the demo area. */
export const OUT_OF_TOWN = { lat: 46.8139, lng: -71.208 };

/** A real JPEG made by sharp (a coloured square). */
export function testJpeg(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } }).jpeg().toBuffer();
}
