/** For tests of applications (and the review side's): callers, a small form, a published service. */
import crypto from 'node:crypto';
import type { Database } from '../../db/database.ts';
import type { ResidentPrincipal } from '../../platform/http.ts';
import { staffPrincipal } from '../departments/service.ts';
import { createStaff } from '../staff/service.ts';
import type { Tenant } from '../tenants/service.ts';
import { createService, publishVersion, type StaffCaller } from './builder.ts';
import type { FormDefinition } from './engine/index.ts';
import type { ApplicationCaller } from './service.ts';

export { newIdempotencyKey as newKey } from './service.ts';

export function residentCaller(db: Database, tenant: Tenant, resident: ResidentPrincipal): ApplicationCaller {
  return { db, tenant, resident, ip: null, publicUrl: 'http://guichet.test' };
}

/** An administrator made directly (no sign-in) and the caller the builder's use cases take. */
export async function adminCaller(db: Database, tenant: Tenant): Promise<StaffCaller> {
  const email = `admin.${crypto.randomBytes(4).toString('hex')}@example.test`;
  const staff = await createStaff(db, tenant.id, { email, name: 'Ada Admin', role: 'admin', locale: 'fr', password: 'une phrase de passe de test' });
  const principal = await staffPrincipal(db, tenant.id, { id: staff.id, name: 'Ada Admin', email, role: 'admin', locale: 'fr' });
  return { db, principal, ip: null, tenant };
}

const b = (fr: string, en: string) => ({ fr, en });

/**
 * A small form: a yes/no, a number (m²) shown when "yes", a file shown when "yes", an address and a
 * date; fee $50 + $2.50/m² (min $75, max $500).
 */
export function sampleDefinition(): FormDefinition {
  return {
    pages: [
      {
        code: 'work',
        title: b('Vos travaux', 'Your work'),
        intro: b('', ''),
        showIf: null,
        questions: [
          { code: 'where', kind: 'address', label: b('Adresse des travaux', 'Address of the work'), help: b('', ''), required: true, showIf: null },
          { code: 'extension', kind: 'yesno', label: b('Agrandissez-vous le bâtiment?', 'Are you extending the building?'), help: b('', ''), required: true, showIf: null },
          {
            code: 'area',
            kind: 'number',
            label: b('Superficie ajoutée', 'Area added'),
            help: b('', ''),
            required: true,
            showIf: { question: 'extension', op: 'equals', value: 'yes' },
            min: 1,
            max: 500,
            integer: false,
            unit: b('m²', 'm²'),
          },
        ],
      },
      {
        code: 'details',
        title: b('Détails', 'Details'),
        intro: b('', ''),
        showIf: null,
        questions: [
          { code: 'start', kind: 'date', label: b('Début des travaux', 'Start of work'), help: b('', ''), required: true, showIf: null, minDaysFromToday: 0, maxDaysFromToday: 365 },
          {
            code: 'plan',
            kind: 'file',
            label: b('Plan', 'Plan'),
            help: b('PDF ou image', 'PDF or image'),
            required: true,
            showIf: { question: 'extension', op: 'equals', value: 'yes' },
            accept: ['pdf', 'png', 'jpeg'],
            maxBytes: 200 * 1024,
            maxFiles: 2,
          },
          { code: 'notes', kind: 'text', label: b('Remarques', 'Notes'), help: b('', ''), required: false, showIf: null, multiline: true, minLength: null, maxLength: 200, pattern: null },
        ],
      },
    ],
    documents: [{ label: b('Plan des travaux', 'Plan of the work'), question: 'plan' }],
    fee: { kind: 'perUnit', question: 'area', baseCents: 5000, centsPerUnit: 250, minCents: 7500, maxCents: 50000 },
    steps: [{ code: 'check', label: b('Vérification', 'Check') }],
    targetDays: 20,
  };
}

/** A service with `definition` published as version 1. */
export async function publishedService(admin: StaffCaller, definition: FormDefinition = sampleDefinition(), slug = `permis-${crypto.randomBytes(3).toString('hex')}`) {
  const created = await createService(
    admin,
    { slug, kind: 'permit', name: b('Permis de rénovation', 'Renovation permit'), summary: b('Pour rénover.', 'To renovate.'), departmentId: null, targetDays: 20, active: true },
    definition,
  );
  if (!created.ok) throw new Error('service not created');
  const published = await publishVersion(admin, created.service.id);
  if (!published.ok) throw new Error(`not published: ${JSON.stringify(published)}`);
  return { service: created.service, version: published.version };
}
