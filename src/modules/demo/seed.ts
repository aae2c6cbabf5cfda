/**
 * The demo town: a bilingual town served on localhost, with an administrator and an agent whose
 * password is public (it is printed at start and written in the README). Safe to run again: what
 * exists is left as it is. Modules add their demo content (services, requests...) to DEMO_STEPS.
 */
import type { Database } from '../../db/database.ts';
import { createTenant, findTenantBySlug, listTenants, TenantInputError, type Tenant } from '../tenants/service.ts';
import { createStaff, findStaffByEmail, type StaffRole } from '../staff/service.ts';
import { ensureDemoResident } from '../residents/demo.ts';

export const DEMO_SLUG = 'demo';
export const DEMO_HOSTS = ['localhost', '127.0.0.1'] as const;
/** Demo only: anyone who reads the README knows it. Never seed the demo on a real deployment. */
export const DEMO_PASSWORD = 'val-des-lacs-demo';

export const DEMO_STAFF: ReadonlyArray<{ email: string; name: string; role: StaffRole; locale: 'fr' | 'en' }> = [
  { email: 'admin@val-des-lacs.example', name: 'Camille Tremblay', role: 'admin', locale: 'fr' },
  { email: 'agent@val-des-lacs.example', name: 'Sam Gagnon', role: 'agent', locale: 'en' },
];

/** A module's demo content for the demo town; each step must be safe to run again. */
export type DemoStep = (db: Database, tenant: Tenant) => Promise<void>;
export const DEMO_STEPS: DemoStep[] = [];

export interface DemoSeed {
  tenant: Tenant;
  townCreated: boolean;
  /** The host names the demo town answers on. */
  hosts: string[];
  staff: Array<{ email: string; name: string; role: StaffRole; created: boolean }>;
  password: string;
  /** The demo resident: signs in with a code sent to this address (no password). */
  resident: { email: string; created: boolean };
}

async function demoTown(db: Database): Promise<{ tenant: Tenant; created: boolean }> {
  const existing = await findTenantBySlug(db, DEMO_SLUG);
  if (existing) return { tenant: existing, created: false };
  // A host another town already answers on stays with that town.
  const taken = new Set((await listTenants(db)).flatMap((t) => t.hosts));
  try {
    const tenant = await createTenant(db, {
      slug: DEMO_SLUG,
      name: { fr: 'Ville de Val-des-Lacs', en: 'Town of Val-des-Lacs' },
      hosts: DEMO_HOSTS.filter((h) => !taken.has(h)),
      timeZone: 'America/Toronto',
      defaultLocale: 'fr',
      contactEmail: 'greffe@val-des-lacs.example',
    });
    return { tenant, created: true };
  } catch (err) {
    // Another process seeding the same database at the same moment won the race.
    const raced = await findTenantBySlug(db, DEMO_SLUG);
    if (raced && !(err instanceof TenantInputError && err.field !== 'slug')) return { tenant: raced, created: false };
    throw err;
  }
}

export async function seedDemo(db: Database): Promise<DemoSeed> {
  const { tenant, created } = await demoTown(db);
  const staff: DemoSeed['staff'] = [];
  for (const person of DEMO_STAFF) {
    const exists = await findStaffByEmail(db, tenant.id, person.email);
    if (!exists) {
      await createStaff(db, tenant.id, { ...person, password: DEMO_PASSWORD }).catch(async (err: unknown) => {
        if (!(await findStaffByEmail(db, tenant.id, person.email))) throw err; // else: seeded meanwhile by another process
      });
    }
    staff.push({ email: person.email, name: person.name, role: person.role, created: !exists });
  }
  const resident = await ensureDemoResident(db, tenant);
  for (const step of DEMO_STEPS) await step(db, tenant);
  const hosts = (await listTenants(db)).find((t) => t.id === tenant.id)?.hosts ?? [];
  return { tenant, townCreated: created, hosts, staff, password: DEMO_PASSWORD, resident };
}
