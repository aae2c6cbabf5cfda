/**
 * The demo town's resident: an account with a profile and a household, so the residents' pages
 * have something to show. Safe to run again: an existing account is left as it is. Signing in takes
 * a code like any resident; without SMTP_URL the code is read in the staff area's "Sent mail".
 */
import type { Database } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { Tenant } from '../tenants/service.ts';
import type { ResidentPrincipal } from '../../platform/http.ts';
import * as repo from './repo.ts';

export const DEMO_RESIDENT = {
  email: 'resident@val-des-lacs.example',
  name: 'Dominique Bouchard',
  phone: '819 555-0142',
  address: '24, chemin du Lac-Vert\nVal-des-Lacs (Québec) J0T 2P0',
  locale: 'fr' as const,
  household: [
    { name: 'Léa Bouchard', birthDate: '2016-05-14', relationship: 'child' as const },
    { name: 'Noah Bouchard', birthDate: '2019-09-02', relationship: 'child' as const },
    { name: 'Alex Côté', birthDate: '1986-11-30', relationship: 'spouse' as const },
  ],
};

/** Makes the demo resident unless the address already has an account; tells whether it made it. */
export async function ensureDemoResident(db: Database, tenant: Tenant): Promise<{ email: string; created: boolean }> {
  const person = DEMO_RESIDENT;
  return db.withTenant(tenant.id, async (trx) => {
    const { row, created } = await repo.insertResidentOnce(trx, tenant.id, person.email, person.locale);
    if (created) {
      await repo.updateProfile(trx, tenant.id, row.id, {
        name: person.name,
        phone: person.phone,
        locale: person.locale,
        address: person.address,
        notify_updates: true,
        notify_reminders: true,
        notify_news: false,
        birth_date: null,
      });
      for (const member of person.household) await repo.insertMember(trx, tenant.id, row.id, member);
      await recordAudit(trx, { tenantId: tenant.id, actor: { kind: 'system' }, action: 'resident.created', subject: { kind: 'resident', id: row.id }, details: { demo: true } });
    }
    return { email: person.email, created };
  });
}

/** The demo resident's account, if it exists (other modules' demo content is made for them). */
export async function findDemoResident(db: Database, tenant: Tenant): Promise<ResidentPrincipal | null> {
  return db.withTenant(tenant.id, async (trx) => {
    const row = await repo.findResidentByEmail(trx, tenant.id, DEMO_RESIDENT.email);
    return row ? { id: row.id, email: row.email, name: row.name, locale: row.locale } : null;
  });
}
